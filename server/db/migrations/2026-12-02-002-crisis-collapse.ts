import { sql, type Kysely } from 'kysely';

/** Who closed a duplicate this migration folded into an earlier alert (shown as "acknowledged by"). */
const MERGED_BY = 'system:crisis-collapse';

interface OpenCrisisAlert {
  id: string;
  clinic_id: string;
  client_id: string;
  created_at: string;
}

/**
 * One person has at most one open crisis alert: further presses of the crisis button attach to it
 * (a crisis_requests row each, pointing at the same alert_id) instead of raising another urgent
 * alert and paging on-call again.
 * - alerts.repeats: presses after the first while the alert was open (0 for check-in alerts);
 * - alerts.last_requested_at: when the latest press was made (null for check-in alerts);
 * - a partial unique index that lets the database, not the application, settle racing presses.
 * Duplicates made before this change are folded into each person's earliest open crisis alert;
 * no row is deleted.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('alerts').addColumn('repeats', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('alerts').addColumn('last_requested_at', 'text').execute();

  // The latest press of each crisis alert: the device's time when it sent one, else the server's.
  await sql`
    update alerts set last_requested_at = coalesce(
      (select max(coalesce(r.requested_at, r.created_at)) from crisis_requests r
        where r.clinic_id = alerts.clinic_id and r.alert_id = alerts.id),
      alerts.created_at)
    where source = 'crisis'`.execute(db);

  await foldDuplicateOpenAlerts(db);

  await db.schema
    .createIndex('alerts_one_open_crisis')
    .unique()
    .on('alerts')
    .columns(['clinic_id', 'client_id'])
    .where(sql.ref('source'), '=', sql.lit('crisis'))
    .where(sql.ref('acknowledged_at'), 'is', null)
    .execute();
}

/**
 * Keeps each person's earliest open crisis alert open (its page went out first) and counts the
 * later ones' presses on it. The later alerts stay, acknowledged with a note naming the one that
 * holds them; their crisis_requests and webhook_deliveries keep pointing at them, as they happened.
 */
async function foldDuplicateOpenAlerts(db: Kysely<any>): Promise<void> {
  const open: OpenCrisisAlert[] = await db
    .selectFrom('alerts')
    .select(['id', 'clinic_id', 'client_id', 'created_at'])
    .where('source', '=', 'crisis')
    .where('acknowledged_at', 'is', null)
    .orderBy('clinic_id')
    .orderBy('client_id')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const byPerson = new Map<string, OpenCrisisAlert[]>();
  for (const alert of open) {
    const key = JSON.stringify([alert.clinic_id, alert.client_id]);
    byPerson.set(key, [...(byPerson.get(key) ?? []), alert]);
  }
  const now = new Date().toISOString();
  for (const [keep, ...later] of byPerson.values()) {
    if (!keep || later.length === 0) continue;
    const ids = [keep, ...later].map((a) => a.id);
    const presses = await db
      .selectFrom('crisis_requests')
      .select((eb) => [eb.fn.countAll<number | string>().as('n')])
      .where('clinic_id', '=', keep.clinic_id)
      .where('alert_id', 'in', ids)
      .executeTakeFirstOrThrow();
    const latest = await db
      .selectFrom('alerts')
      .select((eb) => eb.fn.max<string>('last_requested_at').as('at'))
      .where('clinic_id', '=', keep.clinic_id)
      .where('id', 'in', ids)
      .executeTakeFirstOrThrow();
    // An alert without a request row (written by hand) still stands for one press.
    const total = Math.max(Number(presses.n), ids.length);
    await db
      .updateTable('alerts')
      .set({ repeats: total - 1, last_requested_at: latest.at })
      .where('clinic_id', '=', keep.clinic_id)
      .where('id', '=', keep.id)
      .execute();
    await db
      .updateTable('alerts')
      .set({ acknowledged_at: now, acknowledged_by: MERGED_BY, ack_note: `Repeat crisis request, counted on alert ${keep.id}` })
      .where('clinic_id', '=', keep.clinic_id)
      .where('id', 'in', later.map((a) => a.id))
      .execute();
  }
}
