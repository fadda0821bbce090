import type { Kysely } from 'kysely';

/**
 * clinic_hotlines: a clinic's own crisis lines (issue 16, crisis set-up), added by its admin with
 * `care clinic hotlines add` or `<care-admin>`. `crisis.resources` serves them after the region's
 * lines (server/contract/hotlines.ts), which stay read-only. At least one of call / text / url.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('clinic_hotlines')
    .addColumn('id', 'varchar(50)', (c) => c.primaryKey())
    .addColumn('clinic_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('call', 'varchar(40)')
    .addColumn('text', 'varchar(40)')
    .addColumn('url', 'varchar(500)')
    .addColumn('hours', 'varchar(200)', (c) => c.notNull())
    .addColumn('language', 'varchar(20)', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('clinic_hotlines_clinic').on('clinic_hotlines').columns(['clinic_id', 'created_at']).execute();
}
