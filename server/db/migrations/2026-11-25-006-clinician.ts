import type { Kysely } from 'kysely';

/**
 * Clinician side: a clinic time zone (the calendar every roster day and report month is counted
 * in), and two tables derived from check_ins so the roster of a 10,000-client clinic sorts and
 * filters without reading every check-in:
 * - check_in_days: one row per client per local day with at least one check-in;
 * - roster_stats: one row per client with last check-in, streaks, latest scores and engagement;
 * - roster_state: per clinic, how far check_ins have been folded into them (by received_at) and
 *   the local day engagement and streaks were computed for.
 * Both are rebuilt from check_ins at any time, so they never hold anything check_ins does not.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('clinics').addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC')).execute();

  await db.schema
    .createTable('check_in_days')
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinics.id'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull()) // YYYY-MM-DD in the clinic's time zone
    .addColumn('check_ins', 'integer', (c) => c.notNull())
    .addColumn('reported_use', 'integer', (c) => c.notNull()) // daily check-ins that day answering used = yes
    .addPrimaryKeyConstraint('check_in_days_pk', ['clinic_id', 'client_id', 'day'])
    .execute();
  // Month-wide reports (relapse days, engagement) read a clinic's days in date order.
  await db.schema.createIndex('check_in_days_clinic_day').on('check_in_days').columns(['clinic_id', 'day', 'client_id']).execute();

  await db.schema
    .createTable('roster_stats')
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinics.id'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('last_check_in_at', 'text')
    .addColumn('last_day', 'text')
    .addColumn('streak_run', 'integer', (c) => c.notNull().defaultTo(0)) // consecutive days ending on last_day
    .addColumn('current_streak', 'integer', (c) => c.notNull().defaultTo(0)) // as of roster_state.as_of_day
    .addColumn('engagement_14d', 'integer', (c) => c.notNull().defaultTo(0)) // as of roster_state.as_of_day
    .addColumn('phq9_total', 'integer')
    .addColumn('phq9_at', 'text')
    .addColumn('gad7_total', 'integer')
    .addColumn('gad7_at', 'text')
    .addPrimaryKeyConstraint('roster_stats_pk', ['clinic_id', 'client_id'])
    .execute();
  for (const column of ['last_check_in_at', 'current_streak', 'engagement_14d', 'phq9_total', 'gad7_total']) {
    await db.schema.createIndex(`roster_stats_${column}`).on('roster_stats').columns(['clinic_id', column]).execute();
  }

  await db.schema
    .createTable('roster_state')
    .addColumn('clinic_id', 'text', (c) => c.primaryKey().references('clinics.id'))
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('received_through', 'text', (c) => c.notNull())
    .addColumn('as_of_day', 'text', (c) => c.notNull())
    .execute();

  // The refresh finds check-ins received since its last run; the roster's name sort and search read users in order.
  await db.schema.createIndex('check_ins_clinic_received').on('check_ins').columns(['clinic_id', 'received_at']).execute();
  await db.schema.createIndex('users_clinic_role_name').on('users').columns(['clinic_id', 'role', 'display_name', 'id']).execute();
  // Open alerts per client (roster column and filter).
  await db.schema.createIndex('alerts_clinic_client_open').on('alerts').columns(['clinic_id', 'client_id', 'acknowledged_at']).execute();
}
