import type { Kysely } from 'kysely';

/**
 * SMART write-back (issue 17): what became of each check-in a launch page writes back to the EHR as a
 * QuestionnaireResponse. One row per (clinic, check-in, EHR `iss`), made `pending` when the page asks
 * for the resource to send, then `written` (the EHR's resource id in `ehr_resource`) or `refused` (the
 * EHR's HTTP status in `http_status`, a `reason` code and the EHR's message in `detail`, at most 300
 * characters). The check-in row carries the person; this row only its delivery. smart_issuers.write_back
 * (migration 2026-12-03-004) is the clinic's on/off switch per EHR.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('smart_write_backs')
    .addColumn('clinic_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('check_in_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('iss', 'varchar(500)', (c) => c.notNull())
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('http_status', 'integer')
    .addColumn('reason', 'varchar(40)')
    .addColumn('detail', 'text')
    .addColumn('ehr_resource', 'varchar(300)')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('smart_write_backs_pk', ['clinic_id', 'check_in_id', 'iss'])
    .execute();
  await db.schema.createIndex('smart_write_backs_status').on('smart_write_backs').columns(['clinic_id', 'status']).execute();
}
