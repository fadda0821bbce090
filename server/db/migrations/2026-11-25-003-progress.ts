import type { Kysely } from 'kysely';

/**
 * Progress: the history of recovery start dates a client set (never overwritten), modules the
 * clinic records as completed, the client's own goals, and an index that lets `progress.summary`
 * read one client's daily check-ins (5 years = ~1,800 rows) from the index alone.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('recovery_starts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinics.id'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('start_date', 'text', (c) => c.notNull()) // YYYY-MM-DD, the client's calendar
    .addColumn('previous_start_date', 'text')
    .addColumn('set_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('recovery_starts_client')
    .on('recovery_starts')
    .columns(['clinic_id', 'client_id', 'set_at'])
    .execute();

  await db.schema
    .createTable('modules_completed')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinics.id'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('module_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('modules_completed_unique', ['clinic_id', 'client_id', 'module_id'])
    .execute();

  await db.schema
    .createTable('goals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinics.id'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull()) // the client's words: never log
    .addColumn('target', 'integer', (c) => c.notNull())
    .addColumn('current', 'integer', (c) => c.notNull())
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('goals_client').on('goals').columns(['clinic_id', 'client_id', 'created_at']).execute();

  // Streaks, trends and score history read one client's check-ins of one template in time order.
  await db.schema
    .createIndex('check_ins_client_template_time')
    .on('check_ins')
    .columns(['clinic_id', 'client_id', 'template_id', 'submitted_at'])
    .execute();
}
