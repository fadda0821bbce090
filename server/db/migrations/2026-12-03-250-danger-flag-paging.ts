import type { Kysely } from 'kysely';

/**
 * danger_flags.webhook_status: whether the clinic's on-call webhook was paged for the flag, as
 * crisis_requests has it, so a page a stopped server left undelivered is resumed at the next
 * start-up. Flags raised before this migration stay null (not tracked).
 */
// Kysely<any>: a migration sees the tables as they were then, not as schema.ts describes them now.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('danger_flags').addColumn('webhook_status', 'text').execute();
  await db.schema.createIndex('danger_flags_webhook_pending').on('danger_flags').columns(['webhook_status', 'created_at']).execute();
}
