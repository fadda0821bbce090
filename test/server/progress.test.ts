import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CLINIC_A,
  CLINIC_B,
  dailyAnswers,
  dataOf,
  errorOf,
  itemAnswers,
  itemsSummingTo,
  mintToken,
  mutate,
  newRequestId,
  query,
  startServer,
  type DailyAnswers,
  type TestServer,
  typedMutate,
  typedQuery,
} from './helpers.js';

let server: TestServer;
let clinician: string;

before(async () => {
  server = await startServer();
  clinician = await mintToken({ sub: 'progress-clinician', role: 'clinician' });
});
after(async () => {
  await server.stop();
});

const DAY = 86_400_000;

/** Today's date on the calendar of `timeZone`. */
function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now());
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** The UTC instant of wall-clock `time` on `date` in `timeZone`. */
function zonedInstant(date: string, time: string, timeZone: string): string {
  const wall = Date.parse(`${date}T${time}:00Z`);
  const offsetAt = (ms: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' })
        .formatToParts(ms)
        .map((p) => [p.type, Number(p.value)]),
    );
    return Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour, parts.minute) - Math.floor(ms / 60_000) * 60_000;
  };
  let guess = wall - offsetAt(wall);
  guess = wall - offsetAt(guess);
  return new Date(guess).toISOString();
}

async function client(sub: string, clinic = CLINIC_A) {
  return mintToken({ sub, role: 'client', clinic });
}

async function daily(token: string, submittedAt: string, answers: Partial<DailyAnswers> = {}) {
  dataOf(
    await typedMutate(server.baseUrl, 'checkIn.submit', { clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers(answers), submittedAt }, token),
  );
}

/** A check-in at noon UTC `daysAgo` days before today (UTC). */
const noonUtc = (daysAgo: number) => `${addDays(todayIn('UTC'), -daysAgo)}T12:00:00.000Z`;
/** A moment today (UTC) that is not in the future. */
const earlierToday = () => new Date(Math.max(Date.now() - 60_000, Date.parse(`${todayIn('UTC')}T00:00:01Z`))).toISOString();

async function summary(token: string, input?: Record<string, unknown>) {
  return dataOf(await typedQuery(server.baseUrl, 'progress.summary', input, token));
}

describe('progress.summary: check-in streaks', () => {
  test('today counts, a gap breaks the run, and the longest run is kept', async () => {
    const token = await client('streak-today');
    for (const daysAgo of [7, 6, 5, 4, 2, 1]) await daily(token, noonUtc(daysAgo));
    await daily(token, earlierToday());
    const s = await summary(token);
    assert.equal(s.checkIns.total, 7);
    assert.equal(s.checkIns.checkedInToday, true);
    assert.equal(s.checkIns.lastOn, todayIn('UTC'));
    assert.equal(s.checkIns.currentStreak, 3); // two days ago, yesterday, today
    assert.equal(s.checkIns.longestStreak, 4); // 7..4 days ago
  });

  test('a run ending yesterday is still current, because today is not over', async () => {
    const token = await client('streak-yesterday');
    for (const daysAgo of [3, 2, 1]) await daily(token, noonUtc(daysAgo));
    const s = await summary(token);
    assert.equal(s.checkIns.checkedInToday, false);
    assert.equal(s.checkIns.currentStreak, 3);
    assert.equal(s.checkIns.longestStreak, 3);
  });

  test('a missed yesterday ends the current streak but not the longest', async () => {
    const token = await client('streak-gap');
    for (const daysAgo of [5, 4, 2]) await daily(token, noonUtc(daysAgo));
    const s = await summary(token);
    assert.equal(s.checkIns.currentStreak, 0);
    assert.equal(s.checkIns.longestStreak, 2);
  });

  test('two check-ins on one day count once', async () => {
    const token = await client('streak-twice');
    await daily(token, noonUtc(1));
    await daily(token, `${addDays(todayIn('UTC'), -1)}T18:00:00.000Z`);
    const s = await summary(token);
    assert.equal(s.checkIns.total, 2);
    assert.equal(s.checkIns.currentStreak, 1);
    assert.equal(s.checkIns.longestStreak, 1);
  });
});

describe('progress.summary: time zones', () => {
  const zone = 'America/Los_Angeles';

  test('a check-in at 23:30 local falls on the local day, not the UTC one', async () => {
    const token = await client('tz-late-night');
    const laToday = todayIn(zone);
    // Los Angeles: 23:30 ten days ago and 00:30 eight days ago — a day apart is missed locally.
    // In UTC both are the next morning (06:30–08:30 UTC): nine and eight days ago, back to back.
    const late = zonedInstant(addDays(laToday, -10), '23:30', zone);
    const early = zonedInstant(addDays(laToday, -8), '00:30', zone);
    await daily(token, late, { mood: 3 });
    await daily(token, early, { mood: 8 });
    assert.equal(late.slice(0, 10), addDays(laToday, -9), 'fixture: 23:30 in LA is the next UTC day');

    const local = await summary(token, { timeZone: zone });
    assert.equal(local.timeZone, zone);
    assert.equal(local.today, laToday);
    assert.equal(local.checkIns.longestStreak, 1);
    const localMood = (date: string) => local.trend.find((p) => p.date === date)?.mood;
    assert.equal(localMood(addDays(laToday, -10)), 3);
    assert.equal(localMood(addDays(laToday, -9)), null);
    assert.equal(localMood(addDays(laToday, -8)), 8);

    const utc = await summary(token);
    assert.equal(utc.timeZone, 'UTC');
    assert.equal(utc.checkIns.longestStreak, 2);
    const utcMood = (date: string) => utc.trend.find((p) => p.date === date)?.mood;
    assert.equal(utcMood(late.slice(0, 10)), 3);
    assert.equal(utcMood(early.slice(0, 10)), 8);
  });

  test('an unknown time zone is a 400 naming timeZone', async () => {
    const token = await client('tz-bad');
    for (const timeZone of ['Mars/Olympus_Mons', '', 'x'.repeat(80), 'America/New York']) {
      const res = await typedQuery(server.baseUrl, 'progress.summary', { timeZone }, token);
      assert.equal(res.status, 400, timeZone);
      assert.match(errorOf(res).message, /timeZone/);
      assert.ok(errorOf(res).data.fieldErrors?.some((f) => f.path === 'timeZone'));
    }
  });
});

describe('progress.summary: recovery stretches', () => {
  test('a reported use starts a new stretch the next day and keeps the start date and the history', async () => {
    const token = await client('stretch-use');
    const today = todayIn('UTC');
    const start = addDays(today, -20);
    dataOf(await typedMutate(server.baseUrl, 'progress.setRecoveryStart', { date: start }, token));
    await daily(token, noonUtc(10));

    const before = await summary(token);
    assert.equal(before.recovery.startDate, start);
    assert.equal(before.recovery.stretchStart, start);
    assert.equal(before.recovery.stretchStartedBy, 'start_date');
    assert.equal(before.recovery.daysInStretch, 21); // 20 days ago is day 1, today is day 21

    await daily(token, noonUtc(5), { used: 'yes' });
    const after = await summary(token);
    assert.equal(after.recovery.startDate, start, 'the start date the person set stays');
    assert.equal(after.recovery.stretchStart, addDays(today, -4));
    assert.equal(after.recovery.stretchStartedBy, 'reported_use');
    assert.equal(after.recovery.daysInStretch, 5); // 4 days ago .. today
    const year = Number(today.slice(0, 4));
    const from = start >= `${year}-01-01` ? start : `${year}-01-01`;
    const span = (Date.parse(today) - Date.parse(from)) / DAY + 1;
    const useThisYear = addDays(today, -5) >= from ? 1 : 0;
    assert.equal(after.recovery.daysThisYear, span - useThisYear);
    assert.equal(after.recovery.year, year);

    const history = dataOf(await typedQuery(server.baseUrl, 'checkIn.list', undefined, token));
    assert.equal(history.items.length, 2, 'the reported use is kept, not erased');
  });

  test('a use reported today means the new stretch starts tomorrow (day 0 today)', async () => {
    const token = await client('stretch-today');
    dataOf(await typedMutate(server.baseUrl, 'progress.setRecoveryStart', { date: addDays(todayIn('UTC'), -3) }, token));
    await daily(token, earlierToday(), { used: 'yes' });
    const s = await summary(token);
    assert.equal(s.recovery.daysInStretch, 0);
    assert.equal(s.recovery.stretchStart, addDays(todayIn('UTC'), 1));
    assert.equal(s.recovery.daysThisYear, 3); // 3 days ago, 2 days ago, yesterday; today had a use
  });

  test('days in recovery this year count from 1 January when recovery began last year, minus days with a reported use', async () => {
    const token = await client('stretch-year');
    const today = todayIn('UTC');
    const year = Number(today.slice(0, 4));
    dataOf(await typedMutate(server.baseUrl, 'progress.setRecoveryStart', { date: `${year - 1}-12-01` }, token));
    const dayOfYear = (Date.parse(today) - Date.UTC(year, 0, 1)) / DAY + 1; // 25 Nov 2026 is day 329
    assert.equal((await summary(token)).recovery.daysThisYear, dayOfYear);

    await daily(token, noonUtc(3), { used: 'yes' });
    await daily(token, `${addDays(today, -3)}T15:00:00.000Z`, { used: 'yes' }); // same day: one day, not two
    const s = await summary(token);
    const useInYear = addDays(today, -3).startsWith(String(year)) ? 1 : 0;
    assert.equal(s.recovery.daysThisYear, dayOfYear - useInYear);
    assert.equal(s.recovery.daysInStretch, 3);
  });

  test('with no start date the count begins at the first check-in; with no data at all there is no count', async () => {
    const token = await client('stretch-first');
    const empty = await summary(token);
    assert.equal(empty.recovery.daysInStretch, null);
    assert.equal(empty.recovery.daysThisYear, null);
    assert.equal(empty.checkIns.total, 0);
    assert.equal(empty.trend.length, 90);
    assert.ok(empty.trend.every((p) => p.mood === null && p.craving === null && p.sleepHours === null));
    assert.deepEqual(empty.goals, []);

    await daily(token, noonUtc(2));
    const s = await summary(token);
    assert.equal(s.recovery.stretchStartedBy, 'first_check_in');
    assert.equal(s.recovery.daysInStretch, 3);
  });

  test('setRecoveryStart keeps every earlier value and refuses future dates, bad dates and staff', async () => {
    const token = await client('stretch-edit');
    const first = dataOf(await typedMutate(server.baseUrl, 'progress.setRecoveryStart', { date: '2026-01-10' }, token));
    assert.deepEqual(first, { startDate: '2026-01-10', previousStartDate: null });
    const second = dataOf(await typedMutate(server.baseUrl, 'progress.setRecoveryStart', { date: '2026-02-01' }, token));
    assert.deepEqual(second, { startDate: '2026-02-01', previousStartDate: '2026-01-10' });
    const rows = await server.db.selectFrom('recovery_starts').select(['start_date']).where('client_id', '=', 'stretch-edit').orderBy('set_at').execute();
    assert.deepEqual(rows.map((r) => r.start_date), ['2026-01-10', '2026-02-01']);

    const future = await typedMutate(server.baseUrl, 'progress.setRecoveryStart', { date: addDays(todayIn('UTC'), 5) }, token);
    assert.equal(future.status, 400);
    assert.match(errorOf(future).message, /date: Must not be in the future/);
    for (const date of ['2026-02-30', '25/11/2026', '1850-01-01']) {
      const bad = await typedMutate(server.baseUrl, 'progress.setRecoveryStart', { date }, token);
      assert.equal(bad.status, 400, date);
      assert.ok(errorOf(bad).data.fieldErrors?.some((f) => f.path === 'date'), date);
    }
    const unknown = await mutate(server.baseUrl, 'progress.setRecoveryStart', { date: '2026-01-01', extra: 1 }, token);
    assert.equal(unknown.status, 400);
    assert.match(errorOf(unknown).message, /extra/);
    const staff = await typedMutate(server.baseUrl, 'progress.setRecoveryStart', { date: '2026-01-01' }, clinician);
    assert.equal(staff.status, 403);
  });
});

describe('progress.summary: sessions, modules, goals, trends and scores', () => {
  test('counts sessions attended by kind and modules the clinic recorded', async () => {
    const token = await client('counts-client');
    await daily(token, noonUtc(1)); // the client exists once they have checked in
    const rows = [
      { kind: 'group' as const, clinic: CLINIC_A, client: 'counts-client' },
      { kind: 'group' as const, clinic: CLINIC_A, client: 'counts-client' },
      { kind: 'telehealth' as const, clinic: CLINIC_A, client: 'counts-client' },
      { kind: 'group' as const, clinic: CLINIC_A, client: 'someone-else' },
      { kind: 'group' as const, clinic: CLINIC_B, client: 'counts-client' },
    ];
    await server.db
      .insertInto('sessions_attended')
      .values(rows.map((r, i) => ({ id: randomUUID(), clinic_id: r.clinic, client_id: r.client, kind: r.kind, source_id: null, joined_at: noonUtc(i + 2), left_at: null })))
      .execute();

    const recorded = dataOf(
      await typedMutate(server.baseUrl, 'progress.recordModule', { clientId: 'counts-client', moduleId: 'cbt-1', title: 'Coping with cravings' }, clinician),
    );
    assert.equal(recorded.title, 'Coping with cravings');
    dataOf(await typedMutate(server.baseUrl, 'progress.recordModule', { clientId: 'counts-client', moduleId: 'cbt-1', title: 'Again' }, clinician));
    dataOf(
      await typedMutate(server.baseUrl, 'progress.recordModule', { clientId: 'counts-client', moduleId: 'sleep', title: 'Sleep basics', completedAt: noonUtc(3) }, clinician),
    );

    const s = await summary(token);
    assert.deepEqual(s.sessionsAttended, { total: 3, group: 2, telehealth: 1 });
    assert.equal(s.modules.completed, 2, 'recording a module twice keeps one');
    assert.deepEqual(s.modules.recent.map((m) => m.title), ['Coping with cravings', 'Sleep basics']);
  });

  test('recordModule is for staff of the client’s clinic', async () => {
    const token = await client('module-client');
    await daily(token, noonUtc(1));
    const input = { clientId: 'module-client', moduleId: 'm1', title: 'Module' };
    assert.equal((await typedMutate(server.baseUrl, 'progress.recordModule', input, token)).status, 403);
    const otherClinic = await mintToken({ sub: 'b-clinician', role: 'clinician', clinic: CLINIC_B });
    assert.equal((await typedMutate(server.baseUrl, 'progress.recordModule', input, otherClinic)).status, 404);
    assert.equal((await typedMutate(server.baseUrl, 'progress.recordModule', { ...input, clientId: 'nobody' }, clinician)).status, 404);
    const bad = await typedMutate(server.baseUrl, 'progress.recordModule', { ...input, title: '' }, clinician);
    assert.equal(bad.status, 400);
    assert.match(errorOf(bad).message, /title/);
  });

  test('a client creates and updates their own goals; current above target and other people’s goals are refused', async () => {
    const token = await client('goal-client');
    const id = randomUUID();
    const created = dataOf(await typedMutate(server.baseUrl, 'progress.saveGoal', { id, title: 'Go to 12 meetings', target: 12, current: 3 }, token));
    assert.equal(created.completed, false);
    const updated = dataOf(await typedMutate(server.baseUrl, 'progress.saveGoal', { id, title: 'Go to 12 meetings', target: 12, current: 12 }, token));
    assert.equal(updated.current, 12);
    assert.equal(updated.completed, true);
    assert.equal(updated.createdAt, created.createdAt);

    const over = await typedMutate(server.baseUrl, 'progress.saveGoal', { id, title: 'x', target: 5, current: 6 }, token);
    assert.equal(over.status, 400);
    assert.ok(errorOf(over).data.fieldErrors?.some((f) => f.path === 'current'));

    const other = await client('goal-other');
    const stolen = await typedMutate(server.baseUrl, 'progress.saveGoal', { id, title: 'Mine now', target: 1, current: 0 }, other);
    assert.equal(stolen.status, 404);
    assert.equal((await typedMutate(server.baseUrl, 'progress.saveGoal', { id, title: 'x', target: 1, current: 0 }, clinician)).status, 403);

    const archived = randomUUID();
    dataOf(await typedMutate(server.baseUrl, 'progress.saveGoal', { id: archived, title: 'Old goal', target: 2, current: 1, archived: true }, token));
    const s = await summary(token);
    assert.deepEqual(s.goals.map((g) => [g.title, g.current, g.target]), [['Go to 12 meetings', 12, 12]]);
  });

  test('the trend has one point per day for 90 days, averaging a day’s check-ins, and score history carries severity', async () => {
    const token = await client('trend-client');
    const today = todayIn('UTC');
    await daily(token, noonUtc(2), { mood: 4, craving: 6, sleepHours: 6 });
    await daily(token, `${addDays(today, -2)}T18:00:00.000Z`, { mood: 7, craving: 3, sleepHours: 7 });
    await daily(token, noonUtc(1), { mood: 8, craving: 1, sleepHours: 8.5 });
    for (const [daysAgo, total] of [[30, 16], [16, 11], [2, 4]] as const) {
      dataOf(
        await typedMutate(
          server.baseUrl,
          'checkIn.submit',
          { clientRequestId: newRequestId(), templateId: 'phq9', answers: itemAnswers(itemsSummingTo(total, 9, { keepLastZero: true })), submittedAt: noonUtc(daysAgo) },
          token,
        ),
      );
    }
    dataOf(
      await typedMutate(server.baseUrl, 'checkIn.submit', { clientRequestId: newRequestId(), templateId: 'gad7', answers: itemAnswers([3, 3, 3, 3, 3, 0, 0]), submittedAt: noonUtc(5) }, token),
    );

    const s = await summary(token);
    assert.equal(s.trend.length, 90);
    assert.equal(s.trend[0]!.date, addDays(today, -89));
    assert.equal(s.trend.at(-1)!.date, today);
    assert.deepEqual(s.trend.at(-3), { date: addDays(today, -2), mood: 5.5, craving: 4.5, sleepHours: 6.5 });
    assert.deepEqual(s.trend.at(-2), { date: addDays(today, -1), mood: 8, craving: 1, sleepHours: 8.5 });
    assert.deepEqual(s.trend.at(-1), { date: today, mood: null, craving: null, sleepHours: null });
    assert.deepEqual(
      s.scores.phq9.map((p) => [p.date, p.total, p.severity]),
      [
        [addDays(today, -30), 16, 'moderately_severe'],
        [addDays(today, -16), 11, 'moderate'],
        [addDays(today, -2), 4, 'minimal'],
      ],
    );
    assert.deepEqual(s.scores.gad7.map((p) => [p.total, p.max, p.severity]), [[15, 21, 'severe']]);
  });
});

describe('progress.summary: who may read whose progress', () => {
  const auditFor = (subject: string) =>
    server.db.selectFrom('audit_log').selectAll().where('action', '=', 'progress.summary').where('subject_id', '=', subject).execute();

  test('a client reads their own, by omission or by name, without an audit row', async () => {
    const token = await client('access-self');
    await daily(token, noonUtc(1));
    assert.equal((await summary(token)).clientId, 'access-self');
    assert.equal((await summary(token, { clientId: 'access-self' })).clientId, 'access-self');
    assert.equal((await auditFor('access-self')).length, 0);
  });

  test("another client's progress is 404, in the same clinic or another", async () => {
    const token = await client('access-a');
    await daily(token, noonUtc(1));
    const neighbour = await client('access-neighbour');
    const res = await typedQuery(server.baseUrl, 'progress.summary', { clientId: 'access-a' }, neighbour);
    assert.equal(res.status, 404);
    const outsider = await client('access-a', CLINIC_B); // same user id, other clinic: sees only their own (empty) record
    const own = await summary(outsider);
    assert.equal(own.checkIns.total, 0);
  });

  test('a clinician or admin reads a client of their clinic and each read is audited', async () => {
    const token = await client('access-audited');
    await daily(token, noonUtc(1));
    const s = await summary(clinician, { clientId: 'access-audited', timeZone: 'Europe/Madrid' });
    assert.equal(s.checkIns.total, 1);
    const admin = await mintToken({ sub: 'progress-admin', role: 'admin' });
    await summary(admin, { clientId: 'access-audited' });
    const rows = await auditFor('access-audited');
    assert.deepEqual(rows.map((r) => [r.actor_id, r.actor_role, r.clinic_id]).sort(), [
      ['progress-admin', 'admin', CLINIC_A],
      ['progress-clinician', 'clinician', CLINIC_A],
    ]);
  });

  test("staff of another clinic, unknown clients and a missing clientId are refused without an audit row", async () => {
    const token = await client('access-private');
    await daily(token, noonUtc(1));
    const otherClinic = await mintToken({ sub: 'b-clinician', role: 'clinician', clinic: CLINIC_B });
    assert.equal((await typedQuery(server.baseUrl, 'progress.summary', { clientId: 'access-private' }, otherClinic)).status, 404);
    assert.equal((await typedQuery(server.baseUrl, 'progress.summary', { clientId: 'nobody-here' }, clinician)).status, 404);
    assert.equal((await typedQuery(server.baseUrl, 'progress.summary', { clientId: 'progress-clinician' }, clinician)).status, 404);
    const missing = await typedQuery(server.baseUrl, 'progress.summary', undefined, clinician);
    assert.equal(missing.status, 400);
    assert.match(errorOf(missing).message, /clientId/);
    assert.equal((await auditFor('access-private')).length, 0);
  });

  test('no token is 401 and unknown fields are 400', async () => {
    assert.equal((await typedQuery(server.baseUrl, 'progress.summary', undefined)).status, 401);
    const token = await client('access-fields');
    const res = await query(server.baseUrl, 'progress.summary', { since: '2026-01-01' }, token);
    assert.equal(res.status, 400);
    assert.match(errorOf(res).message, /since/);
  });
});
