import type { Kysely } from 'kysely';

/**
 * danger_flags: "may be in danger" flags a group member raised about another member (issue 19).
 * Each raised an urgent alert (alerts.source 'danger_flag', alert_id here); the flagged person sees
 * a private notice until they dismiss it (seen_at). Who flagged is kept for the audit and the rate
 * limit, never shown to the flagged person or the moderators.
 */
// Kysely<any>: a migration sees the tables as they were then, not as schema.ts describes them now.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('danger_flags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinics.id'))
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('flagger_id', 'text', (c) => c.notNull())
    .addColumn('flagged_id', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('post_id', 'text')
    .addColumn('flagged_label', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('alert_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'text')
    .execute();
  await db.schema.createIndex('danger_flags_flagger').on('danger_flags').columns(['clinic_id', 'flagger_id', 'created_at']).execute();
  await db.schema.createIndex('danger_flags_flagged').on('danger_flags').columns(['clinic_id', 'flagged_id', 'created_at']).execute();
  await db.schema.createIndex('danger_flags_group').on('danger_flags').columns(['clinic_id', 'group_id', 'created_at']).execute();
}
