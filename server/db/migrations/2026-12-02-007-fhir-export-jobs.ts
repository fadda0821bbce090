import type { Kysely } from 'kysely';

/**
 * FHIR Bulk Data export requests. Kept in the database (not in a process) so that any server behind
 * the balancer answers the status and file requests of a kick-off another one took.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('fhir_export_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull())
    .addColumn('requester_id', 'text', (c) => c.notNull())
    .addColumn('types', 'text', (c) => c.notNull())
    .addColumn('since', 'text')
    .addColumn('transaction_time', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('counts', 'text')
    .execute();
  await db.schema.createIndex('fhir_export_jobs_clinic').on('fhir_export_jobs').columns(['clinic_id', 'expires_at']).execute();
}
