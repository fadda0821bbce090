import type { Kysely } from 'kysely';

/**
 * Crisis help and the Stanley-Brown safety plan:
 * - clinic settings for the crisis webhook and on-call hours;
 * - safety_plans: one row per saved version, never updated;
 * - crisis_requests: the idempotency record of each crisis.alert (one alert per clientRequestId);
 * - webhook_deliveries: every attempt to notify a clinic's webhook.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The secret signs webhook bodies (HMAC-SHA256); it is never sent to a browser or written to a log.
  await db.schema.alterTable('clinics').addColumn('crisis_webhook_url', 'text').execute();
  await db.schema.alterTable('clinics').addColumn('crisis_webhook_secret', 'text').execute();
  // JSON: OnCallWindow[] in the clinic's wall-clock time.
  await db.schema.alterTable('clinics').addColumn('on_call_hours', 'text').execute();
  await db.schema.alterTable('clinics').addColumn('on_call_time_zone', 'text').execute();
  await db.schema.alterTable('clinics').addColumn('on_call_phone', 'text').execute();

  await db.schema
    .createTable('safety_plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinics.id'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // 'plan' | 'suggestion'
    .addColumn('base_version', 'integer')
    .addColumn('sections', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('author_role', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    // Two saves from the same base race for the same version number; the loser gets CONFLICT.
    .addUniqueConstraint('safety_plans_version_unique', ['clinic_id', 'client_id', 'version'])
    .execute();

  await db.schema
    .createTable('crisis_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinics.id'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_request_id', 'text', (c) => c.notNull())
    .addColumn('alert_id', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    // 'not_configured' | 'pending' | 'delivered' | 'failed'
    .addColumn('webhook_status', 'text', (c) => c.notNull())
    .addUniqueConstraint('crisis_requests_unique', ['clinic_id', 'client_id', 'client_request_id'])
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinics.id'))
    .addColumn('alert_id', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('attempted_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_deliveries_alert').on('webhook_deliveries').columns(['clinic_id', 'alert_id', 'attempt']).execute();
}
