import type { Kysely } from 'kysely';

/**
 * Running a clinic without SQL (issue 16):
 * - clinics.previous_hs256_secret / previous_secret_until: after `care clinic secret rotate` the old
 *   shared secret keeps verifying tokens until `previous_secret_until` (ISO), then never again.
 * - clinics.languages: JSON array of the languages the clinic's widgets offer (NULL: every language).
 * - clinic_origins: the web origins (`scheme://host[:port]`) of a clinic's portals, for CORS and the
 *   per-call origin check; CARE_ALLOWED_ORIGINS stays the server-wide default.
 * - admin_changes: one row per administrative change (CLI or admin widget) with before/after JSON;
 *   secrets are never stored in it (a rotation records "rotated").
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('clinics').addColumn('previous_hs256_secret', 'text').execute();
  await db.schema.alterTable('clinics').addColumn('previous_secret_until', 'text').execute();
  await db.schema.alterTable('clinics').addColumn('languages', 'text').execute();

  await db.schema
    .createTable('clinic_origins')
    .addColumn('clinic_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('origin', 'varchar(300)', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('clinic_origins_pk', ['clinic_id', 'origin'])
    .execute();
  await db.schema.createIndex('clinic_origins_origin').on('clinic_origins').column('origin').execute();

  await db.schema
    .createTable('admin_changes')
    .addColumn('id', 'varchar(50)', (c) => c.primaryKey())
    .addColumn('clinic_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('actor', 'varchar(300)', (c) => c.notNull())
    .addColumn('action', 'varchar(100)', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('admin_changes_clinic_at').on('admin_changes').columns(['clinic_id', 'at']).execute();
}
