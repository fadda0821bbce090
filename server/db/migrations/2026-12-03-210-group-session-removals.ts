import type { Kysely } from 'kysely';

/**
 * group_session_removals: a moderator removed a person from a group's live room for the rest of one
 * session (`groups.removeFromSession`). While the session lasts (`session_end` in the future) that
 * person gets no new room token for it; the next session they can join again. The reason is the
 * moderator's own words, optional. One row per person and session (removing twice keeps the first).
 */
// Kysely<any>: a migration sees the tables as they were then, not as schema.ts describes them now.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('group_session_removals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinics.id'))
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('session_start', 'text', (c) => c.notNull())
    .addColumn('session_end', 'text', (c) => c.notNull())
    .addColumn('removed_by', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('group_session_removals_once')
    .on('group_session_removals')
    .columns(['clinic_id', 'group_id', 'user_id', 'session_start'])
    .unique()
    .execute();
}
