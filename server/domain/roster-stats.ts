import { sql } from 'kysely';
import { ENGAGEMENT_WINDOW_DAYS } from '../contract/clinician.js';
import type { Db } from '../db/index.js';
import { checkInJson } from '../db/rows.js';
import type { CheckInDaysTable, CheckInsTable, RosterStatsTable } from '../db/schema.js';
import { addDays, localDay, safeTimeZone } from './local-time.js';

/**
 * Keeps check_in_days and roster_stats in step with check_ins. Called before a roster or report
 * read: it folds in every check-in received since the last call (found by received_at), and once a
 * day recomputes the time-dependent columns (engagement, current streak) for the whole clinic.
 * Nothing here is authoritative: deleting the clinic's roster_state row rebuilds everything.
 */

/** Check-ins received this close before the last refresh are looked at again (clock skew between servers). */
const RECEIVED_LAG_MS = 5_000;
const CLIENTS_PER_CHUNK = 400;
const ROWS_PER_INSERT = 500;

export interface ClinicCalendar {
  clinicName: string;
  timeZone: string;
  today: string;
}

interface ClientHistory {
  days: Map<string, { checkIns: number; reportedUse: number }>;
  lastAt: string | null;
  phq9: { total: number; at: string } | null;
  gad7: { total: number; at: string } | null;
}

/** Consecutive days ending on the latest day with a check-in. */
export function streakRun(days: Iterable<string>): { lastDay: string | null; run: number } {
  const set = new Set(days);
  let lastDay: string | null = null;
  for (const d of set) if (lastDay === null || d > lastDay) lastDay = d;
  if (!lastDay) return { lastDay: null, run: 0 };
  let run = 0;
  for (let d = lastDay; set.has(d); d = addDays(d, -1)) run++;
  return { lastDay, run };
}

/** A streak is current while its last day is today or yesterday: today's check-in may still come. */
export const currentStreak = (lastDay: string | null, run: number, today: string): number =>
  lastDay !== null && lastDay >= addDays(today, -1) ? run : 0;

export const engagementWindowStart = (today: string) => addDays(today, -(ENGAGEMENT_WINDOW_DAYS - 1));

function reportedUse(templateId: string, answers: CheckInsTable['answers']): boolean {
  if (templateId !== 'daily') return false;
  try {
    return checkInJson.answers({ answers }).used === 'yes';
  } catch {
    return false;
  }
}

function total(score: CheckInsTable['score']): number | null {
  if (!score) return null;
  try {
    const parsed = checkInJson.score({ score })!;
    return 'total' in parsed ? parsed.total : null;
  } catch {
    return null;
  }
}

async function rebuildClients(db: Db, clinicId: string, clientIds: string[], timeZone: string, today: string): Promise<void> {
  const rows = await db
    .selectFrom('check_ins')
    .select(['client_id', 'template_id', 'submitted_at', 'score', 'answers'])
    .where('clinic_id', '=', clinicId)
    .where('client_id', 'in', clientIds)
    .orderBy('client_id')
    .orderBy('submitted_at')
    .execute();
  const histories = new Map<string, ClientHistory>(
    clientIds.map((id) => [id, { days: new Map(), lastAt: null, phq9: null, gad7: null }]),
  );
  for (const row of rows) {
    const h = histories.get(row.client_id)!;
    const day = localDay(row.submitted_at, timeZone);
    const entry = h.days.get(day) ?? { checkIns: 0, reportedUse: 0 };
    entry.checkIns += 1;
    if (reportedUse(row.template_id, row.answers)) entry.reportedUse += 1;
    h.days.set(day, entry);
    if (h.lastAt === null || row.submitted_at > h.lastAt) h.lastAt = row.submitted_at;
    if (row.template_id === 'phq9' || row.template_id === 'gad7') {
      const t = total(row.score);
      const latest = h[row.template_id];
      if (t !== null && (!latest || row.submitted_at >= latest.at)) h[row.template_id] = { total: t, at: row.submitted_at };
    }
  }

  const dayRows: CheckInDaysTable[] = [];
  const statRows: RosterStatsTable[] = [];
  const from = engagementWindowStart(today);
  for (const [clientId, h] of histories) {
    if (h.days.size === 0) continue;
    for (const [day, v] of h.days) {
      dayRows.push({ clinic_id: clinicId, client_id: clientId, day, check_ins: v.checkIns, reported_use: v.reportedUse });
    }
    const { lastDay, run } = streakRun(h.days.keys());
    statRows.push({
      clinic_id: clinicId,
      client_id: clientId,
      last_check_in_at: h.lastAt,
      last_day: lastDay,
      streak_run: run,
      current_streak: currentStreak(lastDay, run, today),
      engagement_14d: [...h.days.keys()].filter((d) => d >= from && d <= today).length,
      phq9_total: h.phq9?.total ?? null,
      phq9_at: h.phq9?.at ?? null,
      gad7_total: h.gad7?.total ?? null,
      gad7_at: h.gad7?.at ?? null,
    });
  }

  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('check_in_days').where('clinic_id', '=', clinicId).where('client_id', 'in', clientIds).execute();
    for (let i = 0; i < dayRows.length; i += ROWS_PER_INSERT) {
      await trx
        .insertInto('check_in_days')
        .values(dayRows.slice(i, i + ROWS_PER_INSERT))
        .onConflict((oc) =>
          oc.columns(['clinic_id', 'client_id', 'day']).doUpdateSet((eb) => ({
            check_ins: eb.ref('excluded.check_ins'),
            reported_use: eb.ref('excluded.reported_use'),
          })),
        )
        .execute();
    }
    for (let i = 0; i < statRows.length; i += ROWS_PER_INSERT) {
      await trx
        .insertInto('roster_stats')
        .values(statRows.slice(i, i + ROWS_PER_INSERT))
        .onConflict((oc) =>
          oc.columns(['clinic_id', 'client_id']).doUpdateSet((eb) => ({
            last_check_in_at: eb.ref('excluded.last_check_in_at'),
            last_day: eb.ref('excluded.last_day'),
            streak_run: eb.ref('excluded.streak_run'),
            current_streak: eb.ref('excluded.current_streak'),
            engagement_14d: eb.ref('excluded.engagement_14d'),
            phq9_total: eb.ref('excluded.phq9_total'),
            phq9_at: eb.ref('excluded.phq9_at'),
            gad7_total: eb.ref('excluded.gad7_total'),
            gad7_at: eb.ref('excluded.gad7_at'),
          })),
        )
        .execute();
    }
  });
}

/** Engagement and current streak move with the calendar: recompute them for every client of the clinic. */
async function rollOver(db: Db, clinicId: string, today: string): Promise<void> {
  const from = engagementWindowStart(today);
  await db
    .updateTable('roster_stats')
    .set((eb) => ({
      engagement_14d: eb
        .selectFrom('check_in_days as d')
        .select((d) => d.fn.countAll<number>().as('n'))
        .whereRef('d.clinic_id', '=', 'roster_stats.clinic_id')
        .whereRef('d.client_id', '=', 'roster_stats.client_id')
        .where('d.day', '>=', from)
        .where('d.day', '<=', today),
      current_streak: sql<number>`case when roster_stats.last_day >= ${addDays(today, -1)} then roster_stats.streak_run else 0 end`,
    }))
    .where('clinic_id', '=', clinicId)
    .execute();
}

/** Brings the derived tables up to date for the clinic and says which calendar they were computed in. */
export async function refreshClinic(db: Db, clinicId: string, now: Date = new Date()): Promise<ClinicCalendar> {
  const clinic = await db.selectFrom('clinics').selectAll().where('id', '=', clinicId).executeTakeFirstOrThrow();
  const timeZone = safeTimeZone(clinic.time_zone);
  const today = localDay(now, timeZone);
  const startedAt = now.toISOString();
  const state = await db.selectFrom('roster_state').selectAll().where('clinic_id', '=', clinicId).executeTakeFirst();
  const rebuildAll = !state || state.time_zone !== timeZone;

  // No DISTINCT: it would steer SQLite to the (clinic, client) index and a full scan instead of the received_at range.
  let changed = db.selectFrom('check_ins').select('client_id').where('clinic_id', '=', clinicId);
  if (!rebuildAll) {
    changed = changed.where('received_at', '>=', new Date(Date.parse(state.received_through) - RECEIVED_LAG_MS).toISOString());
  }
  const clientIds = [...new Set((await changed.execute()).map((r) => r.client_id))];
  if (rebuildAll) {
    await db.deleteFrom('check_in_days').where('clinic_id', '=', clinicId).execute();
    await db.deleteFrom('roster_stats').where('clinic_id', '=', clinicId).execute();
  }
  for (let i = 0; i < clientIds.length; i += CLIENTS_PER_CHUNK) {
    await rebuildClients(db, clinicId, clientIds.slice(i, i + CLIENTS_PER_CHUNK), timeZone, today);
  }
  if (!rebuildAll && state.as_of_day !== today) await rollOver(db, clinicId, today);

  // Nothing new and the same day: skip the write (and its fsync) on the read path.
  if (!rebuildAll && clientIds.length === 0 && state.as_of_day === today) return { clinicName: clinic.name, timeZone, today };
  const next = { time_zone: timeZone, received_through: startedAt, as_of_day: today };
  await db
    .insertInto('roster_state')
    .values({ clinic_id: clinicId, ...next })
    .onConflict((oc) => oc.column('clinic_id').doUpdateSet(next))
    .execute();
  return { clinicName: clinic.name, timeZone, today };
}

/**
 * Brings every clinic's derived tables up to date, as a server starts: after an upgrade or a time
 * zone change the first refresh rebuilds a clinic (tens of seconds for 10,000 clients), which would
 * otherwise fall on a clinician's first roster read. A failure is logged and left to that read.
 */
export async function refreshAllClinics(db: Db, log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void }): Promise<void> {
  const clinics = await db.selectFrom('clinics').select('id').execute();
  for (const { id } of clinics) {
    const started = performance.now();
    try {
      await refreshClinic(db, id);
      const ms = Math.round(performance.now() - started);
      if (ms > 1_000) log.info({ clinic: id, ms }, 'roster tables brought up to date');
    } catch (error) {
      log.error({ clinic: id, err: error }, 'roster tables could not be brought up to date');
    }
  }
}
