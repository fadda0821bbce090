import type { Kysely } from 'kysely';

/**
 * SMART App Launch for clinicians (issue 17, practitioner launch):
 * - smart_practitioner_apps: the EHRs where a clinic registered our *clinician* app (a separate app
 *   registration at the EHR from the patient app in smart_issuers: its own client id, scopes
 *   `launch openid fhirUser user/Patient.rs` by default, launch URL /smart/clinician/launch). One row
 *   per (clinic, iss); a client id belongs to one clinic at an EHR.
 * - smart_practitioner_links: an EHR practitioner (iss + Practitioner id) to a staff user of the
 *   clinic (the `sub` of that clinician's portal tokens). Made only by an administrator
 *   (`care smart practitioner link`), never from a launch: an EHR's claim alone never makes staff.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('smart_practitioner_apps')
    .addColumn('clinic_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('iss', 'varchar(500)', (c) => c.notNull())
    .addColumn('openid_issuer', 'varchar(500)')
    .addColumn('client_id', 'varchar(200)', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .addPrimaryKeyConstraint('smart_practitioner_apps_pk', ['clinic_id', 'iss'])
    .execute();
  await db.schema.createIndex('smart_practitioner_apps_iss').on('smart_practitioner_apps').columns(['iss', 'client_id']).unique().execute();

  await db.schema
    .createTable('smart_practitioner_links')
    .addColumn('clinic_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('iss', 'varchar(500)', (c) => c.notNull())
    .addColumn('ehr_practitioner_id', 'varchar(200)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'varchar(200)', (c) => c.notNull())
    .addPrimaryKeyConstraint('smart_practitioner_links_pk', ['clinic_id', 'iss', 'ehr_practitioner_id'])
    .execute();
}
