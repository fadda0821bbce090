import type { Kysely } from 'kysely';

/**
 * SMART Backend Services (FHIR R4, issue 15):
 * - fhir_clients: a clinic's registered system clients (EHRs, registries). `client_id` is unique across
 *   clinics because an assertion names it (`iss`/`sub`) before the clinic is known. Keys are the
 *   client's public JWKS (JSON text) or a JWKS URL; `scopes` the space-separated SMART v2 system
 *   scopes it may be granted.
 * - fhir_assertion_jtis: each assertion's `jti` per client until its `exp`, so none is accepted twice.
 * - fhir_server_keys: the secret this server signs its access tokens with, generated once and shared by
 *   every server process on the database.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('fhir_clients')
    .addColumn('client_id', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('jwks', 'text')
    .addColumn('jwks_url', 'text')
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .execute();
  await db.schema.createIndex('fhir_clients_clinic').on('fhir_clients').columns(['clinic_id', 'created_at']).execute();

  await db.schema
    .createTable('fhir_assertion_jtis')
    .addColumn('client_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('jti', 'varchar(255)', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('fhir_assertion_jtis_pk', ['client_id', 'jti'])
    .execute();
  await db.schema.createIndex('fhir_assertion_jtis_expires').on('fhir_assertion_jtis').column('expires_at').execute();

  await db.schema
    .createTable('fhir_server_keys')
    .addColumn('id', 'varchar(50)', (c) => c.primaryKey())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
