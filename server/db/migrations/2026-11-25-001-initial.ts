import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('clinics')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('hs256_secret', 'text')
    .addColumn('jwks_url', 'text')
    .addColumn('region', 'text', (c) => c.notNull().defaultTo('US'))
    .addColumn('default_locale', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('risk_rules', 'text')
    .addColumn('enabled_templates', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinics.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('recovery_start_date', 'text')
    .addPrimaryKeyConstraint('users_pk', ['clinic_id', 'id'])
    .execute();

  await db.schema
    .createTable('check_ins')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinics.id'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_request_id', 'text', (c) => c.notNull())
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('template_version', 'integer', (c) => c.notNull())
    .addColumn('answers', 'text', (c) => c.notNull())
    .addColumn('score', 'text')
    .addColumn('risk_level', 'text', (c) => c.notNull())
    .addColumn('risk_reasons', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('check_ins_request_unique', ['clinic_id', 'client_id', 'client_request_id'])
    .execute();
  await db.schema
    .createIndex('check_ins_client_time')
    .on('check_ins')
    .columns(['clinic_id', 'client_id', 'submitted_at', 'id'])
    .execute();
  await db.schema.createIndex('check_ins_clinic_time').on('check_ins').columns(['clinic_id', 'submitted_at', 'id']).execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinics.id'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('check_in_id', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'text')
    .addColumn('ack_note', 'text')
    .execute();
  await db.schema.createIndex('alerts_clinic_open').on('alerts').columns(['clinic_id', 'acknowledged_at', 'created_at']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_clinic_time').on('audit_log').columns(['clinic_id', 'at']).execute();
}
