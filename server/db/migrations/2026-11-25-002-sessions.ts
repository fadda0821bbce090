import type { Kysely } from 'kysely';

/** Sessions a client attended: support-group rooms (written on join/leave) and telehealth visits the clinic records. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sessions_attended')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinics.id'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // 'group' | 'telehealth'
    .addColumn('source_id', 'text') // group id or the clinic's visit id
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addColumn('left_at', 'text')
    .execute();
  await db.schema
    .createIndex('sessions_attended_client')
    .on('sessions_attended')
    .columns(['clinic_id', 'client_id', 'joined_at'])
    .execute();
}
