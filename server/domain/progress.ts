import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import type {
  Goal,
  ProgressSummary,
  RecordedModule,
  RecordModuleInput,
  RecoveryStartResult,
  SaveGoalInput,
  ScorePoint,
  BamPoint,
  SetRecoveryStartInput,
  TrendPoint,
} from '../contract/index.js';
import { TREND_DAYS } from '../contract/progress.js';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/index.js';
import { checkInJson } from '../db/rows.js';
import type { CheckInsTable } from '../db/schema.js';
import { ensureUser } from './users.js';
import { calendarFor, dateOfDay, dayOfDate, firstDayOfYear, yearOfDay } from './local-days.js';

/** Score history shown per instrument: two years of fortnightly questionnaires. */
const SCORE_HISTORY = 52;
const RECENT_MODULES = 5;
/**
 * Answers are stored as JSON.stringify output, so a reported use always contains this exact text;
 * quotes inside free text are escaped (\"), so a note cannot match. Rows are confirmed by parsing.
 */
const REPORTED_USE_PATTERN = '%"used":"yes"%';

const round1 = (n: number) => Math.round(n * 10) / 10;

function mean(values: number[]): number | null {
  return values.length === 0 ? null : round1(values.reduce((a, b) => a + b, 0) / values.length);
}

interface Streaks {
  current: number;
  longest: number;
}

/** Runs of consecutive days; the current run may end yesterday, because today is not over yet. */
export function streaksOf(days: readonly number[], today: number): Streaks {
  let longest = 0;
  let run = 0;
  let previous: number | null = null;
  for (const day of days) {
    if (day === previous) continue;
    run = previous !== null && day === previous + 1 ? run + 1 : 1;
    if (run > longest) longest = run;
    previous = day;
  }
  const current = previous !== null && (previous === today || previous === today - 1) ? run : 0;
  return { current, longest };
}

function dailyQuery(db: Db, clinicId: string, clientId: string) {
  return db
    .selectFrom('check_ins')
    .where('clinic_id', '=', clinicId)
    .where('client_id', '=', clientId)
    .where('template_id', '=', 'daily');
}

/**
 * Everything the progress widget shows, in one call. A handful of indexed queries: daily check-in
 * times (index only), reported uses, the last 90 days of answers, score history, counts.
 */
export async function progressSummary(
  db: Db,
  clinicId: string,
  clientId: string,
  timeZone = 'UTC',
  now: Date = new Date(),
): Promise<ProgressSummary> {
  const calendar = calendarFor(timeZone);
  const today = calendar.dayOf(now.getTime());
  const trendFrom = today - (TREND_DAYS - 1);

  const user = await db
    .selectFrom('users')
    .select('recovery_start_date')
    .where('clinic_id', '=', clinicId)
    .where('id', '=', clientId)
    .executeTakeFirst();
  const times = await dailyQuery(db, clinicId, clientId).select('submitted_at').orderBy('submitted_at').execute();
  const useRows = await dailyQuery(db, clinicId, clientId)
    .select(['submitted_at', 'answers'])
    .where('answers', 'like', REPORTED_USE_PATTERN)
    .execute();
  const recent = await dailyQuery(db, clinicId, clientId)
    .select(['submitted_at', 'answers'])
    .where('submitted_at', '>=', new Date(calendar.roughStartOf(trendFrom)).toISOString())
    .orderBy('submitted_at')
    .execute();
  const scoreRows = await Promise.all(
    (['phq9', 'gad7', 'bam'] as const).map((instrument) =>
      db
        .selectFrom('check_ins')
        .select(['submitted_at', 'score'])
        .where('clinic_id', '=', clinicId)
        .where('client_id', '=', clientId)
        .where('template_id', '=', instrument)
        .orderBy('submitted_at', 'desc')
        .limit(SCORE_HISTORY)
        .execute(),
    ),
  );
  const sessions = await db
    .selectFrom('sessions_attended')
    .select(['kind', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('clinic_id', '=', clinicId)
    .where('client_id', '=', clientId)
    .groupBy('kind')
    .execute();
  const modules = await db
    .selectFrom('modules_completed')
    .select(['module_id', 'title', 'completed_at'])
    .where('clinic_id', '=', clinicId)
    .where('client_id', '=', clientId)
    .orderBy('completed_at', 'desc')
    .execute();
  const goalRows = await db
    .selectFrom('goals')
    .selectAll()
    .where('clinic_id', '=', clinicId)
    .where('client_id', '=', clientId)
    .where('archived', '=', 0)
    .orderBy('created_at')
    .execute();

  // Check-in days and streaks.
  const days = times.map((r) => calendar.dayOf(Date.parse(r.submitted_at)));
  const streaks = streaksOf(days, today);
  const lastDay = days.at(-1) ?? null;

  // Recovery: a reported use starts a new stretch the next day; nothing is erased.
  const useDays = new Set(
    useRows
      .filter((r) => checkInJson.answers(r).used === 'yes')
      .map((r) => calendar.dayOf(Date.parse(r.submitted_at)))
      .filter((d) => d <= today),
  );
  const startDate = user?.recovery_start_date ?? null;
  const origin = startDate ? dayOfDate(startDate) : (days[0] ?? null);
  let stretchStart: number | null = origin;
  let stretchStartedBy: ProgressSummary['recovery']['stretchStartedBy'] =
    origin === null ? null : startDate ? 'start_date' : 'first_check_in';
  const latestUse = useDays.size > 0 ? Math.max(...useDays) : null;
  if (origin !== null && latestUse !== null && latestUse + 1 > origin) {
    stretchStart = latestUse + 1;
    stretchStartedBy = 'reported_use';
  }
  const year = yearOfDay(today);
  let daysThisYear: number | null = null;
  if (origin !== null) {
    const from = Math.max(origin, firstDayOfYear(year));
    let useDaysCounted = 0;
    for (const d of useDays) if (d >= from && d <= today) useDaysCounted++;
    daysThisYear = from > today ? 0 : today - from + 1 - useDaysCounted;
  }

  // Daily trend: one point per local day, means of that day's check-ins.
  const buckets = new Map<number, { mood: number[]; craving: number[]; sleepHours: number[] }>();
  for (const row of recent) {
    const day = calendar.dayOf(Date.parse(row.submitted_at));
    if (day < trendFrom || day > today) continue;
    const answers = checkInJson.answers(row);
    let bucket = buckets.get(day);
    if (!bucket) buckets.set(day, (bucket = { mood: [], craving: [], sleepHours: [] }));
    for (const key of ['mood', 'craving', 'sleepHours'] as const) {
      const value = Number(answers[key]);
      if (answers[key] !== undefined && Number.isFinite(value)) bucket[key].push(value);
    }
  }
  const trend: TrendPoint[] = [];
  for (let day = trendFrom; day <= today; day++) {
    const b = buckets.get(day);
    trend.push({
      date: dateOfDay(day),
      mood: b ? mean(b.mood) : null,
      craving: b ? mean(b.craving) : null,
      sleepHours: b ? mean(b.sleepHours) : null,
    });
  }

  const toScores = (rows: Pick<CheckInsTable, 'submitted_at' | 'score'>[]): ScorePoint[] =>
    rows
      .map((row) => ({ row, score: checkInJson.score(row) }))
      .flatMap(({ row, score }) =>
        score && score.instrument !== 'bam'
          ? [
              {
                at: row.submitted_at,
                date: dateOfDay(calendar.dayOf(Date.parse(row.submitted_at))),
                total: score.total,
                max: score.max,
                severity: score.severity,
              },
            ]
          : [],
      )
      .reverse();

  const bam: BamPoint[] = scoreRows[2]!
    .flatMap((row) => {
      const score = checkInJson.score(row);
      return score?.instrument === 'bam'
        ? [{ at: row.submitted_at, date: dateOfDay(calendar.dayOf(Date.parse(row.submitted_at))), use: score.use, risk: score.risk, protective: score.protective }]
        : [];
    })
    .reverse();

  const sessionCount = (kind: string) => Number(sessions.find((s) => s.kind === kind)?.n ?? 0);
  return {
    clientId,
    timeZone,
    today: dateOfDay(today),
    recovery: {
      startDate,
      stretchStart: stretchStart === null ? null : dateOfDay(stretchStart),
      stretchStartedBy,
      daysInStretch: stretchStart === null ? null : Math.max(0, today - stretchStart + 1),
      daysThisYear,
      year,
    },
    sessionsAttended: {
      total: sessions.reduce((n, s) => n + Number(s.n), 0),
      group: sessionCount('group'),
      telehealth: sessionCount('telehealth'),
    },
    modules: {
      completed: modules.length,
      recent: modules.slice(0, RECENT_MODULES).map((m) => ({ moduleId: m.module_id, title: m.title, completedAt: m.completed_at })),
    },
    checkIns: {
      total: days.length,
      lastOn: lastDay === null ? null : dateOfDay(lastDay),
      checkedInToday: lastDay === today,
      currentStreak: streaks.current,
      longestStreak: streaks.longest,
    },
    goals: goalRows.map(toGoal),
    trend,
    scores: { phq9: toScores(scoreRows[0]!), gad7: toScores(scoreRows[1]!) },
    bam,
  };
}

function toGoal(row: { id: string; title: string; target: number; current: number; created_at: string; updated_at: string }): Goal {
  return {
    id: row.id,
    title: row.title,
    target: Number(row.target),
    current: Number(row.current),
    completed: Number(row.current) >= Number(row.target),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Sets the client's recovery start date; every earlier value stays in recovery_starts. */
export async function setRecoveryStart(db: Db, client: Principal, input: SetRecoveryStartInput): Promise<RecoveryStartResult> {
  const calendar = calendarFor(input.timeZone ?? 'UTC');
  // A day of leeway: the device's calendar may already be on tomorrow when the zone sent is stale.
  if (dayOfDate(input.date) > calendar.dayOf(Date.now()) + 1) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'Invalid input: date: Must not be in the future' });
  }
  await ensureUser(db, client);
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select('recovery_start_date')
      .where('clinic_id', '=', client.clinicId)
      .where('id', '=', client.userId)
      .executeTakeFirstOrThrow();
    const previous = user.recovery_start_date;
    await trx
      .updateTable('users')
      .set({ recovery_start_date: input.date })
      .where('clinic_id', '=', client.clinicId)
      .where('id', '=', client.userId)
      .execute();
    await trx
      .insertInto('recovery_starts')
      .values({
        id: randomUUID(),
        clinic_id: client.clinicId,
        client_id: client.userId,
        start_date: input.date,
        previous_start_date: previous,
        set_at: new Date().toISOString(),
      })
      .execute();
    return { startDate: input.date, previousStartDate: previous };
  });
}

/** Staff record a completed module for a client of their clinic; the same module twice keeps the first record. */
export async function recordModule(db: Db, staff: Principal, input: RecordModuleInput): Promise<RecordedModule> {
  const completedAt = input.completedAt ? new Date(input.completedAt).toISOString() : new Date().toISOString();
  if (Date.parse(completedAt) > Date.now() + 5 * 60_000) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'Invalid input: completedAt: Must not be in the future' });
  }
  await db
    .insertInto('modules_completed')
    .values({
      id: randomUUID(),
      clinic_id: staff.clinicId,
      client_id: input.clientId,
      module_id: input.moduleId,
      title: input.title,
      completed_at: completedAt,
      recorded_by: staff.userId,
      recorded_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.columns(['clinic_id', 'client_id', 'module_id']).doNothing())
    .execute();
  const row = await db
    .selectFrom('modules_completed')
    .select(['client_id', 'module_id', 'title', 'completed_at'])
    .where('clinic_id', '=', staff.clinicId)
    .where('client_id', '=', input.clientId)
    .where('module_id', '=', input.moduleId)
    .executeTakeFirstOrThrow();
  return { clientId: row.client_id, moduleId: row.module_id, title: row.title, completedAt: row.completed_at };
}

/** Creates or updates one of the client's own goals; an id that belongs to someone else is "not found". */
export async function saveGoal(db: Db, client: Principal, input: SaveGoalInput): Promise<Goal> {
  const existing = await db.selectFrom('goals').select(['clinic_id', 'client_id']).where('id', '=', input.id).executeTakeFirst();
  if (existing && (existing.clinic_id !== client.clinicId || existing.client_id !== client.userId)) {
    throw new TRPCError({ code: 'NOT_FOUND', message: 'No such goal' });
  }
  await ensureUser(db, client);
  const now = new Date().toISOString();
  const values = { title: input.title, target: input.target, current: input.current, archived: input.archived ? 1 : 0, updated_at: now };
  if (existing) {
    await db
      .updateTable('goals')
      .set(values)
      .where('clinic_id', '=', client.clinicId)
      .where('client_id', '=', client.userId)
      .where('id', '=', input.id)
      .execute();
  } else {
    await db
      .insertInto('goals')
      .values({ id: input.id, clinic_id: client.clinicId, client_id: client.userId, created_at: now, ...values })
      // A racing insert of the same id by someone else must not be overwritten: the select below then finds nothing.
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
  const row = await db
    .selectFrom('goals')
    .selectAll()
    .where('clinic_id', '=', client.clinicId)
    .where('client_id', '=', client.userId)
    .where('id', '=', input.id)
    .executeTakeFirst();
  if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such goal' });
  return toGoal(row);
}
