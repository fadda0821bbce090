import type { Kysely } from 'kysely';

/**
 * SMART App Launch (issue 17):
 * - smart_issuers: the EHRs a clinic registered our widgets with. `iss` is the EHR's FHIR base URL (what
 *   the EHR sends as `iss` on launch); `openid_issuer` the OpenID Connect issuer of its id_tokens when
 *   it differs from `iss`. `client_id` is our app's client id at that EHR (the id_token's `aud`);
 *   `scopes` the space-separated scopes the launch page requests; `launch_widgets` a JSON array of the
 *   widget names the launch page shows; `write_back` 1/0; `disabled_at` set when the clinic turned it off.
 *   One row per (clinic, iss); an `iss` may be registered by several clinics only with distinct client ids.
 * - smart_patient_links: an EHR patient (iss + Patient id) to our person id in the clinic, made on the
 *   first launch; unique per (clinic, iss, ehr_patient_id).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('smart_issuers')
    .addColumn('clinic_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('iss', 'varchar(500)', (c) => c.notNull())
    .addColumn('openid_issuer', 'varchar(500)')
    .addColumn('client_id', 'varchar(200)', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('launch_widgets', 'text', (c) => c.notNull())
    .addColumn('write_back', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .addPrimaryKeyConstraint('smart_issuers_pk', ['clinic_id', 'iss'])
    .execute();
  await db.schema.createIndex('smart_issuers_iss').on('smart_issuers').columns(['iss', 'client_id']).unique().execute();

  await db.schema
    .createTable('smart_patient_links')
    .addColumn('clinic_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('iss', 'varchar(500)', (c) => c.notNull())
    .addColumn('ehr_patient_id', 'varchar(200)', (c) => c.notNull())
    .addColumn('person_id', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('smart_patient_links_pk', ['clinic_id', 'iss', 'ehr_patient_id'])
    .execute();
  await db.schema.createIndex('smart_patient_links_person').on('smart_patient_links').columns(['clinic_id', 'person_id']).execute();
}
