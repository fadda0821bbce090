import type { Kysely } from 'kysely';

interface CheckInAlert {
  id: string;
  clinic_id: string;
  check_in_id: string;
  acknowledged_at: string | null;
}

/**
 * One check-in raises at most one alert: a unique index on (clinic_id, check_in_id) lets the
 * database hold that (check_in_id is null for crisis alerts, and nulls never collide). Where a
 * check-in already has several alerts (the same event shown twice), the one a clinician
 * acknowledged first is kept (it holds who saw it and their note), else the earliest; the others
 * are copies of it and are removed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const rows: CheckInAlert[] = await db
    .selectFrom('alerts')
    .select(['id', 'clinic_id', 'check_in_id', 'acknowledged_at'])
    .where('check_in_id', 'is not', null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('alerts as other')
          .select('other.id')
          .whereRef('other.clinic_id', '=', 'alerts.clinic_id')
          .whereRef('other.check_in_id', '=', 'alerts.check_in_id')
          .whereRef('other.id', '<>', 'alerts.id'),
      ),
    )
    .orderBy('clinic_id')
    .orderBy('check_in_id')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const byCheckIn = new Map<string, CheckInAlert[]>();
  for (const row of rows) {
    const key = JSON.stringify([row.clinic_id, row.check_in_id]);
    byCheckIn.set(key, [...(byCheckIn.get(key) ?? []), row]);
  }
  for (const copies of byCheckIn.values()) {
    const acknowledged = copies.filter((a) => a.acknowledged_at !== null).sort((a, b) => a.acknowledged_at!.localeCompare(b.acknowledged_at!));
    const keep = acknowledged[0] ?? copies[0]!;
    const drop = copies.filter((a) => a.id !== keep.id).map((a) => a.id);
    await db.deleteFrom('alerts').where('clinic_id', '=', keep.clinic_id).where('id', 'in', drop).execute();
  }
  await db.schema.createIndex('alerts_one_per_check_in').unique().on('alerts').columns(['clinic_id', 'check_in_id']).execute();
}
