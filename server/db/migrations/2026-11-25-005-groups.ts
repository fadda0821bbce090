import type { Kysely } from 'kysely';

/**
 * Support groups: the groups a clinic runs, who belongs to them (with the guidelines they accepted
 * and how they appear), the async board with its reports, session feedback, and the clinic's Jitsi
 * configuration. Attendance goes to the existing sessions_attended table (kind 'group').
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('group_video_config')
    .addColumn('clinic_id', 'text', (c) => c.primaryKey().references('clinics.id'))
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text')
    .addColumn('app_secret', 'text')
    .addColumn('tenant', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinics.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('schedule', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('guidelines', 'text', (c) => c.notNull())
    .addColumn('guidelines_version', 'integer', (c) => c.notNull())
    .addColumn('room_slug', 'text', (c) => c.notNull())
    .addColumn('dial_in', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('groups_clinic').on('groups').columns(['clinic_id', 'name']).execute();

  await db.schema
    .createTable('group_members')
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinics.id'))
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull()) // 'member' | 'moderator'
    .addColumn('display_mode', 'text', (c) => c.notNull()) // 'name' | 'alias'
    .addColumn('alias', 'text')
    .addColumn('guidelines_version', 'integer')
    .addColumn('guidelines_accepted_at', 'text')
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_members_pk', ['clinic_id', 'group_id', 'user_id'])
    .execute();
  await db.schema.createIndex('group_members_user').on('group_members').columns(['clinic_id', 'user_id']).execute();

  await db.schema
    .createTable('group_posts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinics.id'))
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addColumn('parent_id', 'text')
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('author_label', 'text', (c) => c.notNull())
    .addColumn('author_is_moderator', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('hidden_at', 'text')
    .addColumn('hidden_by', 'text')
    .addColumn('hidden_reason', 'text')
    .execute();
  await db.schema
    .createIndex('group_posts_thread')
    .on('group_posts')
    .columns(['clinic_id', 'group_id', 'parent_id', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('group_posts_author').on('group_posts').columns(['clinic_id', 'author_id', 'created_at']).execute();

  await db.schema
    .createTable('group_post_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinics.id'))
    .addColumn('post_id', 'text', (c) => c.notNull().references('group_posts.id'))
    .addColumn('reporter_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('group_post_reports_once', ['clinic_id', 'post_id', 'reporter_id'])
    .execute();

  await db.schema
    .createTable('group_feedback')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinics.id'))
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('session_start', 'text', (c) => c.notNull())
    .addColumn('rating', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('group_feedback_once', ['clinic_id', 'group_id', 'user_id', 'session_start'])
    .execute();
  await db.schema.createIndex('group_feedback_clinic_time').on('group_feedback').columns(['clinic_id', 'session_start']).execute();
}
