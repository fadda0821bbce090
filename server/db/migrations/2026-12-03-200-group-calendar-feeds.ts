import type { Kysely } from 'kysely';

/**
 * group_calendar_feeds: a member's subscription URL for a group's sessions (an iCalendar feed). The
 * URL's secret is kept only as a SHA-256 hash; a member has at most one per group (making a new one
 * replaces the old). The feed itself carries no personal data; the row names the member so the feed
 * ends when the membership does, and erasure removes it.
 */
// Kysely<any>: a migration sees the tables as they were then, not as schema.ts describes them now.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('group_calendar_feeds')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinics.id'))
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('join_url', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('group_calendar_feeds_member')
    .on('group_calendar_feeds')
    .columns(['clinic_id', 'group_id', 'person_id'])
    .unique()
    .execute();
}
