import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { AlertPage, OutcomesReport, RosterPage, SubmitCheckInResult } from '../../server/contract/index.js';
import { checkInRow } from '../../server/db/check-in-row.js';
import { submitCheckIn } from '../../server/domain/check-ins.js';
import { csvCell, outcomesReport } from '../../server/domain/outcomes.js';
import {
  CLINIC_A,
  CLINIC_B,
  dailyAnswers,
  dataOf,
  errorOf,
  freshDatabase,
  mintToken,
  minutesAgo,
  mutate,
  newRequestId,
  query,
  rawRequest,
  SECRET_A,
  seedClinic,
  serverForThisFile,
} from './helpers.js';

const CLINIC_TZ = 'clinic-tz';
const SECRET_TZ = 'clinic-tz-test-secret-0123456789-abcdefghijk';
const INJECTION_NAME = '=HYPERLINK("http://evil.example","open")';
const WITH_FEEDBACK = '["daily","phq9","gad7","bam","feedback"]';

const server = await serverForThisFile({ extraClinics: [{ id: CLINIC_TZ, secret: SECRET_TZ, enabledTemplates: WITH_FEEDBACK }] });
const clinician = await mintToken({ sub: 'roster-clinician', role: 'clinician' });
const clientToken = await mintToken({ sub: 'r-dana', role: 'client' });
const clinicianB = await mintToken({ sub: 'b-clinician', role: 'clinician', clinic: CLINIC_B });
const clinicianTz = await mintToken({ sub: 'tz-clinician', role: 'admin', clinic: CLINIC_TZ, secret: SECRET_TZ });

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

async function addUser(clinicId: string, id: string, name: string | null, createdAt: string, role: 'client' | 'clinician' = 'client') {
  await server.db
    .insertInto('users')
    .values({ clinic_id: clinicId, id, role, display_name: name, created_at: createdAt, recovery_start_date: null })
    .execute();
}

/** Writes a check-in row as checkIn.submit would, at any past time (submit refuses rows older than 60 days). */
async function addCheckIn(
  clinicId: string,
  clientId: string,
  submittedAt: string,
  templateId = 'daily',
  answers: object = dailyAnswers(),
  score: object | null = null,
) {
  await server.db
    .insertInto('check_ins')
    .values(checkInRow({ clinicId, clientId, templateId, answers, score, submittedAt, receivedAt: new Date().toISOString() }))
    .execute();
}

async function addAlert(clinicId: string, clientId: string, acknowledged: boolean) {
  const id = randomUUID();
  await server.db
    .insertInto('alerts')
    .values({
      id,
      clinic_id: clinicId,
      client_id: clientId,
      check_in_id: null,
      source: 'check_in',
      level: 'elevated',
      reasons: '["high_craving"]',
      created_at: hoursAgo(1),
      acknowledged_at: acknowledged ? hoursAgo(0.5) : null,
      acknowledged_by: acknowledged ? 'someone' : null,
      ack_note: null,
    })
    .execute();
  return id;
}

const phq9 = (total: number) => ({ instrument: 'phq9', total, max: 27, severity: 'mild' });
const gad7 = (total: number) => ({ instrument: 'gad7', total, max: 21, severity: 'severe' });

before(async () => {
  await server.db.updateTable('clinics').set({ time_zone: 'America/Los_Angeles', name: INJECTION_NAME }).where('id', '=', CLINIC_TZ).execute();

  // Roster fixture in clinic A (UTC), relative to now.
  const longAgo = hoursAgo(24 * 60);
  await addUser(CLINIC_A, 'r-alex', 'Alex Rivera', longAgo);
  await addUser(CLINIC_A, 'r-blake', 'Blake Stone', longAgo);
  await addUser(CLINIC_A, 'r-casey', 'casey 50%_off', longAgo);
  await addUser(CLINIC_A, 'r-dana', null, longAgo);
  await addUser(CLINIC_A, 'roster-clinician', 'Dr. Roster', longAgo, 'clinician');
  await addUser(CLINIC_B, 'b-alex', 'Alex Other', longAgo);
  await addCheckIn(CLINIC_A, 'r-alex', minutesAgo(1));
  await addCheckIn(CLINIC_A, 'r-alex', hoursAgo(24));
  await addCheckIn(CLINIC_A, 'r-alex', hoursAgo(48));
  await addCheckIn(CLINIC_A, 'r-alex', hoursAgo(24 * 5), 'phq9', {}, phq9(12));
  await addCheckIn(CLINIC_A, 'r-alex', hoursAgo(24 * 10), 'phq9', {}, phq9(7));
  await addCheckIn(CLINIC_A, 'r-blake', hoursAgo(24 * 3), 'gad7', {}, gad7(16));
  await addCheckIn(CLINIC_A, 'r-blake', hoursAgo(24 * 4));
  await addCheckIn(CLINIC_A, 'r-casey', hoursAgo(24 * 20));
  await addCheckIn(CLINIC_B, 'b-alex', minutesAgo(5));
  await addAlert(CLINIC_A, 'r-blake', false);
  await addAlert(CLINIC_A, 'r-blake', true);
  await addAlert(CLINIC_A, 'r-casey', true);
  await addAlert(CLINIC_B, 'b-alex', false);
});

const roster = (input: unknown, token = clinician) => query<RosterPage>(server.baseUrl, 'roster.list', input, token);
const ids = (page: RosterPage) => page.items.map((i) => i.clientId);

describe('roster.list', () => {
  test("lists only the clinic's clients, with last check-in, streak, latest scores, open alerts and engagement", async () => {
    const page = dataOf(await roster({}));
    assert.deepEqual(ids(page), ['r-alex', 'r-blake', 'r-casey', 'r-dana']);
    assert.equal(page.total, 4);
    const [alex, blake, casey, dana] = page.items;
    assert.equal(alex!.name, 'Alex Rivera');
    assert.equal(alex!.streak, 3);
    assert.equal(alex!.engagement, 5);
    assert.deepEqual({ total: alex!.phq9!.total, severity: alex!.phq9!.severity }, { total: 12, severity: 'moderate' });
    assert.equal(alex!.gad7, null);
    assert.equal(alex!.openAlerts, 0);
    assert.equal(blake!.streak, 0, 'a run that ended three days ago is not current');
    assert.equal(blake!.engagement, 2);
    assert.equal(blake!.gad7!.severity, 'severe');
    assert.equal(blake!.openAlerts, 1, 'acknowledged alerts are not open');
    assert.equal(casey!.engagement, 0, 'a check-in 20 days ago is outside the 14 days');
    assert.equal(casey!.openAlerts, 0);
    assert.deepEqual(dana, { clientId: 'r-dana', name: null, lastCheckInAt: null, streak: 0, phq9: null, gad7: null, openAlerts: 0, engagement: 0 });
    assert.equal(page.timeZone, 'UTC');
  });

  test('sorts by every whitelisted column, never-checked-in clients lowest, ties by name', async () => {
    const by = async (sort: string, direction?: string) => ids(dataOf(await roster({ sort, direction })));
    assert.deepEqual(await by('engagement'), ['r-alex', 'r-blake', 'r-casey', 'r-dana']);
    assert.deepEqual(await by('engagement', 'asc'), ['r-casey', 'r-dana', 'r-blake', 'r-alex']);
    assert.deepEqual(await by('name', 'desc'), ['r-dana', 'r-casey', 'r-blake', 'r-alex']);
    assert.deepEqual(await by('lastCheckIn', 'asc'), ['r-dana', 'r-casey', 'r-blake', 'r-alex']);
    assert.deepEqual(await by('lastCheckIn', 'desc'), ['r-alex', 'r-blake', 'r-casey', 'r-dana']);
    assert.deepEqual(await by('streak'), ['r-alex', 'r-blake', 'r-casey', 'r-dana']);
    assert.deepEqual(await by('phq9'), ['r-alex', 'r-blake', 'r-casey', 'r-dana']);
    assert.deepEqual(await by('gad7'), ['r-blake', 'r-alex', 'r-casey', 'r-dana']);
    assert.deepEqual(await by('openAlerts'), ['r-blake', 'r-alex', 'r-casey', 'r-dana']);
  });

  test('filters by name search (case-insensitive, wildcards literal), open alerts and engagement below N', async () => {
    assert.deepEqual(ids(dataOf(await roster({ search: 'ALEX' }))), ['r-alex']);
    assert.deepEqual(ids(dataOf(await roster({ search: '50%' }))), ['r-casey']);
    assert.deepEqual(ids(dataOf(await roster({ search: '_' }))), ['r-casey'], '_ matches only a real underscore');
    assert.deepEqual(ids(dataOf(await roster({ search: 'r-da' }))), ['r-dana'], 'search also matches the client id');
    assert.deepEqual(ids(dataOf(await roster({ hasOpenAlerts: true }))), ['r-blake']);
    assert.deepEqual(ids(dataOf(await roster({ hasOpenAlerts: false }))), ['r-alex', 'r-casey', 'r-dana']);
    assert.deepEqual(ids(dataOf(await roster({ engagementBelow: 1 }))), ['r-casey', 'r-dana']);
    const below3 = dataOf(await roster({ engagementBelow: 3, sort: 'engagement', direction: 'asc' }));
    assert.deepEqual(ids(below3), ['r-casey', 'r-dana', 'r-blake']);
    assert.equal(below3.total, 3);
  });

  test('pages on the server with a cursor, and refuses cursors it did not issue', async () => {
    const first = dataOf(await roster({ limit: 2 }));
    assert.deepEqual(ids(first), ['r-alex', 'r-blake']);
    assert.equal(first.total, 4);
    assert.equal(first.offset, 0);
    assert.ok(first.nextCursor);
    const second = dataOf(await roster({ limit: 2, cursor: first.nextCursor }));
    assert.deepEqual(ids(second), ['r-casey', 'r-dana']);
    assert.equal(second.offset, 2);
    assert.equal(second.nextCursor, null);
    for (const cursor of ['abc', '-1', '999999']) {
      const res = await roster({ cursor });
      assert.equal(res.status, 400, cursor);
      assert.match(errorOf(res).message, /cursor/);
    }
  });

  test('refuses unknown sort columns, oversized pages and unknown fields, naming the field', async () => {
    for (const [input, field] of [
      [{ sort: 'display_name; drop table users' }, 'sort'],
      [{ direction: 'sideways' }, 'direction'],
      [{ limit: 1000 }, 'limit'],
      [{ engagementBelow: 0 }, 'engagementBelow'],
      [{ search: 'x'.repeat(101) }, 'search'],
      [{ clinicId: CLINIC_B }, 'clinicId'],
    ] as const) {
      const res = await roster(input);
      assert.equal(res.status, 400, JSON.stringify(input));
      assert.ok(errorOf(res).data.fieldErrors?.some((f) => f.path === field), res.text);
    }
  });

  test('writes one audit row per client returned', async () => {
    const before = await server.db.selectFrom('audit_log').selectAll().where('action', '=', 'roster.list').execute();
    dataOf(await roster({ limit: 2, sort: 'name' }));
    const added = (await server.db.selectFrom('audit_log').selectAll().where('action', '=', 'roster.list').execute()).filter(
      (r) => !before.some((b) => b.id === r.id),
    );
    assert.deepEqual(added.map((r) => r.subject_id).sort(), ['r-alex', 'r-blake']);
    assert.ok(added.every((r) => r.actor_id === 'roster-clinician' && r.clinic_id === CLINIC_A));
  });

  test("is scoped to the token's clinic, 403 for a client token and 401 without one", async () => {
    assert.deepEqual(ids(dataOf(await roster({}, clinicianB))), ['b-alex']);
    assert.equal((await roster({}, clientToken)).status, 403);
    assert.equal((await query(server.baseUrl, 'outcomes.report', {}, clientToken)).status, 403);
    assert.equal((await query(server.baseUrl, 'alerts.list', {}, clientToken)).status, 403);
    assert.equal((await query(server.baseUrl, 'roster.list', {})).status, 401);
    assert.equal((await query(server.baseUrl, 'outcomes.report', {})).status, 401);
  });

  test('a check-in sent after a roster read shows up in the next read; an acknowledged alert stops counting', async () => {
    dataOf(await roster({}));
    dataOf(
      await mutate<SubmitCheckInResult>(
        server.baseUrl,
        'checkIn.submit',
        { clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers(), submittedAt: minutesAgo(2) },
        clientToken,
      ),
    );
    const dana = dataOf(await roster({ search: 'r-dana' })).items[0]!;
    assert.equal(dana.engagement, 1);
    assert.equal(dana.streak, 1);
    assert.ok(dana.lastCheckInAt);
    const open = dataOf(await query<AlertPage>(server.baseUrl, 'alerts.list', { status: 'open' }, clinician));
    const blakes = open.items.find((a) => a.clientId === 'r-blake')!;
    dataOf(await mutate(server.baseUrl, 'alerts.acknowledge', { alertId: blakes.id, note: 'Called, doing OK' }, clinician));
    assert.equal(dataOf(await roster({ search: 'blake' })).items[0]!.openAlerts, 0);
  });
});

/**
 * Outcomes fixture in clinic-tz (America/Los_Angeles), computed as of 2026-03-20 11:00 local.
 * Hand-computed expectations are next to each assertion.
 */
describe('outcomes.report metrics', () => {
  const NOW = new Date('2026-03-20T18:00:00Z'); // 11:00 PDT, today = 2026-03-20
  const noon = (day: string) => `${day}T20:00:00Z`; // 12:00 PST / 13:00 PDT: same local day
  const morning = (day: string) => `${day}T17:00:00Z`; // 09:00 PST / 10:00 PDT
  let report: OutcomesReport;

  before(async () => {
    const C = CLINIC_TZ;
    await addUser(C, 'o-a', 'Steady', '2026-01-01T20:00:00Z'); // joins Jan 1
    await addUser(C, 'o-b', 'Joined yesterday', '2026-03-19T18:00:00Z'); // Mar 19
    await addUser(C, 'o-c', 'Gap 30', '2026-01-10T20:00:00Z'); // Jan 10
    await addUser(C, 'o-d', 'Gap 29', '2026-01-10T20:00:00Z'); // Jan 10
    await addUser(C, 'o-e', 'Late night', '2026-01-05T20:00:00Z'); // Jan 5
    await addUser(C, 'o-f', 'Seven days', '2026-03-15T06:30:00Z'); // 2026-03-14 23:30 PDT: joins Mar 14
    await addUser(C, 'o-g', 'Six days', '2026-03-15T18:00:00Z'); // Mar 15
    for (let d = 2; d <= 11; d++) await addCheckIn(C, 'o-a', noon(`2026-01-${String(d).padStart(2, '0')}`)); // 10 days in Jan
    await addCheckIn(C, 'o-a', noon('2026-02-03'), 'daily', dailyAnswers({ used: 'yes' }));
    await addCheckIn(C, 'o-a', morning('2026-02-03'), 'daily', dailyAnswers({ used: 'yes' })); // same day: one occurrence
    await addCheckIn(C, 'o-a', noon('2026-02-10'));
    await addCheckIn(C, 'o-a', noon('2026-02-20')); // 3 days in Feb
    for (const d of ['01', '05', '10', '15', '20']) await addCheckIn(C, 'o-a', morning(`2026-03-${d}`)); // 5 days in Mar
    await addCheckIn(C, 'o-b', morning('2026-03-19'));
    await addCheckIn(C, 'o-b', morning('2026-03-20'));
    await addCheckIn(C, 'o-c', noon('2026-01-10'));
    await addCheckIn(C, 'o-c', noon('2026-02-09')); // exactly 30 days after joining
    await addCheckIn(C, 'o-d', noon('2026-01-10'));
    await addCheckIn(C, 'o-d', noon('2026-02-08')); // 29 days after joining
    await addCheckIn(C, 'o-e', noon('2026-01-05'));
    await addCheckIn(C, 'o-e', noon('2026-01-12'));
    // 2026-02-01 05:00 UTC is 2026-01-31 21:00 in Los Angeles: January, not February.
    await addCheckIn(C, 'o-e', '2026-02-01T05:00:00Z', 'daily', dailyAnswers({ used: 'yes' }));
    await addCheckIn(C, 'o-f', morning('2026-03-15'));
    await addCheckIn(C, 'o-a', morning('2026-02-10'), 'feedback', { satisfaction: 4, usefulness: 5, barriers: ['scheduling', 'cost'] });
    await addCheckIn(C, 'o-c', morning('2026-02-09'), 'feedback', { satisfaction: 5, usefulness: 3, barriers: ['scheduling'], comment: 'private words' });
    await addCheckIn(C, 'o-f', noon('2026-03-15'), 'feedback', { satisfaction: 2, usefulness: 2, barriers: [] });
    const session = (client: string, kind: 'group' | 'telehealth', joinedAt: string, clinic = C) =>
      server.db
        .insertInto('sessions_attended')
        .values({ id: randomUUID(), clinic_id: clinic, client_id: client, kind, source_id: null, joined_at: joinedAt, left_at: null })
        .execute();
    await session('o-a', 'group', '2026-02-01T03:00:00Z'); // Jan 31 19:00 local
    await session('o-a', 'telehealth', '2026-02-10T17:00:00Z');
    await session('o-c', 'group', '2026-02-10T18:00:00Z');
    await session('b-alex', 'group', '2026-02-10T18:00:00Z', CLINIC_B); // another clinic: never counted
    await addUser(CLINIC_B, 'b-jan', 'Other clinic', '2026-01-01T20:00:00Z');
    await addCheckIn(CLINIC_B, 'b-jan', noon('2026-01-02'), 'daily', dailyAnswers({ used: 'yes' }));
    report = await outcomesReport(server.db, C, { from: '2026-01', to: '2026-03' }, NOW);
  });

  const month = (m: string) => report.months.find((x) => x.month === m)!;

  test('reports each month in the clinic time zone, the running month marked partial', () => {
    assert.equal(report.timeZone, 'America/Los_Angeles');
    assert.equal(report.today, '2026-03-20');
    assert.deepEqual(report.months.map((m) => [m.month, m.partial]), [['2026-01', false], ['2026-02', false], ['2026-03', true]]);
  });

  test('engagement: at least one check-in day per week of exposure, counting local days', () => {
    // Jan: A (10 days ≥ 4 of 31) and E (3 days ≥ 3 of 27, the third on Jan 31 local) engaged; C, D (1 day of 22 → need 3) not.
    assert.deepEqual(month('2026-01').engagement, { eligible: 4, engaged: 2, rate: 0.5 });
    // Feb: A has 3 days of 28 (needs 4); nobody else checked in enough.
    assert.deepEqual(month('2026-02').engagement, { eligible: 4, engaged: 0, rate: 0 });
    // Mar (to the 20th): A 5 days of 20 (needs 2) and F (joined Mar 14 local: 7 days, needs 1) engaged; C, D, E not;
    // B joined yesterday and G has 6 days: neither is eligible yet.
    assert.deepEqual(month('2026-03').engagement, { eligible: 5, engaged: 2, rate: 0.4 });
  });

  test('retention at 30 days counts a check-in exactly 30 days after joining, not 29; 90 days is not measurable yet', () => {
    // Jan cohort A, C, D, E: A (March) and C (day 30 exactly) retained; D (day 29) and E (day 26) not.
    assert.deepEqual(month('2026-01').retention.d30, { cohort: 4, measured: 4, retained: 2, rate: 0.5 });
    assert.deepEqual(month('2026-01').retention.d90, { cohort: 4, measured: 0, retained: 0, rate: null });
    assert.deepEqual(month('2026-02').retention.d30, { cohort: 0, measured: 0, retained: 0, rate: null });
    // Mar cohort B (joined yesterday), F, G: nobody's day 30 has come.
    assert.deepEqual(month('2026-03').retention.d30, { cohort: 3, measured: 0, retained: 0, rate: null });
  });

  test('relapse occurrences count client-days with reported use, in local days, only this clinic', () => {
    assert.deepEqual(month('2026-01').relapse, { occurrences: 1, clients: 1 }); // E on Jan 31 local
    assert.deepEqual(month('2026-02').relapse, { occurrences: 1, clients: 1 }); // A twice on Feb 3: one day
    assert.deepEqual(month('2026-03').relapse, { occurrences: 0, clients: 0 });
  });

  test('attendance counts sessions by the local month they started in', () => {
    assert.deepEqual(month('2026-01').attendance, { sessions: 1, clients: 1, group: 1, telehealth: 0 });
    assert.deepEqual(month('2026-02').attendance, { sessions: 2, clients: 2, group: 1, telehealth: 1 });
    assert.deepEqual(month('2026-03').attendance, { sessions: 0, clients: 0, group: 0, telehealth: 0 });
  });

  test('feedback: response count, mean satisfaction and usefulness, barrier counts; no comments', () => {
    // Feedback forms are check-ins too, so they were sent on days that already had one (the fixture's day counts hold).
    const feb = month('2026-02').feedback;
    assert.equal(feb.responses, 2);
    assert.equal(feb.satisfaction, 4.5);
    assert.equal(feb.usefulness, 4);
    assert.equal(feb.barriers.scheduling, 2);
    assert.equal(feb.barriers.cost, 1);
    assert.equal(feb.barriers.technology, 0);
    assert.deepEqual(month('2026-03').feedback.satisfaction, 2);
    assert.equal(month('2026-01').feedback.responses, 0);
    assert.equal(month('2026-01').feedback.satisfaction, null);
    assert.ok(!JSON.stringify(report).includes('private words'));
  });

  test('over tRPC: defaults to six months, refuses a future month, a range over 24 months and from after to', async () => {
    const res = dataOf(await query<OutcomesReport>(server.baseUrl, 'outcomes.report', undefined, clinicianTz));
    assert.equal(res.months.length, 6);
    assert.equal(res.months.at(-1)!.partial, true);
    const refused = [
      [{ to: '2999-01' }, 'to'],
      [{ from: '2020-01', to: '2026-01' }, 'from'],
      [{ from: '2026-03', to: '2026-01' }, 'from'],
      [{ from: '2026-13' }, 'from'],
    ] as const;
    for (const [input, field] of refused) {
      const r = await query(server.baseUrl, 'outcomes.report', input, clinicianTz);
      assert.equal(r.status, 400, JSON.stringify(input));
      assert.match(errorOf(r).message, new RegExp(`${field}:`));
    }
  });
});

describe('GET /reports/outcomes.csv', () => {
  const csv = (qs: string, token?: string) =>
    rawRequest(server.baseUrl, `/reports/outcomes.csv${qs}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  test('answers 401 without a valid token and 403 for a client token, like tRPC', async () => {
    assert.equal((await csv('')).status, 401);
    assert.equal((await csv('', 'not-a-jwt')).status, 401);
    assert.equal((await csv('', await mintToken({ sub: 'x', role: 'clinician', secret: 'wrong-secret-wrong-secret-wrong' }))).status, 401);
    const forbidden = await csv('', clientToken);
    assert.equal(forbidden.status, 403);
    assert.doesNotMatch(forbidden.text, /month,/);
  });

  test('answers 400 naming the field for a bad month or an unknown parameter', async () => {
    const bad = await csv('?from=2026-1', clinicianTz);
    assert.equal(bad.status, 400);
    assert.match(bad.text, /from/);
    const unknown = await csv('?clinic=clinic-a', clinicianTz);
    assert.equal(unknown.status, 400);
    assert.match(unknown.text, /clinic/);
  });

  test('downloads the report as an attachment with injection-safe cells', async () => {
    const res = await csv('?from=2026-01&to=2026-03', clinicianTz);
    assert.equal(res.status, 200, res.text);
    assert.match(res.contentType, /^text\/csv/);
    const response = await fetch(`${server.baseUrl}/reports/outcomes.csv?from=2026-01&to=2026-03`, { headers: { authorization: `Bearer ${clinicianTz}` } });
    assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="outcomes-clinic-tz-2026-01-to-2026-03\.csv"$/);
    const lines = res.text.trimEnd().split('\r\n');
    assert.equal(lines.length, 4);
    assert.ok(lines[0]!.startsWith('clinic,time_zone,month,partial_month,eligible_clients,engaged_clients,engagement_rate_percent'));
    const january = lines[1]!;
    // The clinic's name starts with "=": the cell is quoted and defused with a leading apostrophe.
    assert.ok(january.startsWith(`"'=HYPERLINK(""http://evil.example"",""open"")",America/Los_Angeles,2026-01,no,4,2,50,4,4,2,50,`), january);
    assert.ok(!lines.some((l) => /(^|,)[=+@-]/.test(l)), 'no cell starts with a formula character');
  });

  test('csvCell defuses formula characters and quotes separators, leaving numbers alone', () => {
    assert.equal(csvCell('+1+1'), "'+1+1");
    assert.equal(csvCell('-2'), "'-2");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell('\t=1'), "'\t=1");
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell(12.5), '12.5');
    assert.equal(csvCell(null), '');
  });
});

describe('feedback check-in template', () => {
  test('is offered by clinics that enable it and is stored unscored with no risk and no alert', async () => {
    const token = await mintToken({ sub: 'fb-client', role: 'client', clinic: CLINIC_TZ, secret: SECRET_TZ });
    const templates = dataOf(await query<{ templates: { id: string }[] }>(server.baseUrl, 'checkIn.templates', undefined, token));
    assert.ok(templates.templates.some((t) => t.id === 'feedback'));
    const alertsBefore = await server.db.selectFrom('alerts').selectAll().where('clinic_id', '=', CLINIC_TZ).execute();
    const answers = { satisfaction: 1, usefulness: 2, barriers: ['technology', 'feeling_unwell'], comment: 'The app logs me out' };
    const result = dataOf(
      await mutate<SubmitCheckInResult>(
        server.baseUrl,
        'checkIn.submit',
        { clientRequestId: newRequestId(), templateId: 'feedback', answers, submittedAt: minutesAgo(1) },
        token,
      ),
    );
    assert.equal(result.score, null);
    assert.deepEqual(result.risk, { level: 'none', reasons: [] });
    const row = await server.db.selectFrom('check_ins').selectAll().where('id', '=', result.id).executeTakeFirstOrThrow();
    assert.equal(row.template_id, 'feedback');
    assert.deepEqual(JSON.parse(row.answers), answers);
    const alertsAfter = await server.db.selectFrom('alerts').selectAll().where('clinic_id', '=', CLINIC_TZ).execute();
    assert.equal(alertsAfter.length, alertsBefore.length);
  });

  test('refuses answers outside 1–5 and unknown barriers, naming the answer', async () => {
    const token = await mintToken({ sub: 'fb-client-2', role: 'client' });
    for (const [answers, field] of [
      [{ satisfaction: 0, usefulness: 3 }, 'answers.satisfaction'],
      [{ satisfaction: 3, usefulness: 6 }, 'answers.usefulness'],
      [{ satisfaction: 3, usefulness: 3, barriers: ['weather'] }, 'answers.barriers.0'],
      [{ usefulness: 3 }, 'answers.satisfaction'],
    ] as const) {
      const res = await mutate(server.baseUrl, 'checkIn.submit', { clientRequestId: newRequestId(), templateId: 'feedback', answers, submittedAt: minutesAgo(1) }, token);
      assert.equal(res.status, 400, JSON.stringify(answers));
      assert.ok(errorOf(res).data.fieldErrors?.some((f) => f.path === field), res.text);
    }
  });
});

test('a starting server brings the roster tables up to date (after an upgrade), not the first roster read', async () => {
  const database = await freshDatabase();
  const config = configFromEnv({}, { databaseUrl: database.url, demo: false, logLevel: 'silent', allowedOrigins: [] });
  try {
    const first = await createApp(config);
    await seedClinic(first.db, { id: CLINIC_A, secret: SECRET_A });
    const principal = { clinicId: CLINIC_A, userId: 'client-upgraded', role: 'client' as const, name: null };
    await submitCheckIn(first.services, principal, { clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers(), submittedAt: minutesAgo(5) });
    // As after an upgrade that brings the derived tables: nothing computed yet.
    await first.db.deleteFrom('roster_state').execute();
    await first.db.deleteFrom('roster_stats').execute();
    await first.close();

    const second = await createApp(config);
    try {
      const state = await second.db.selectFrom('roster_state').selectAll().where('clinic_id', '=', CLINIC_A).executeTakeFirst();
      assert.ok(state, 'roster_state written at start');
      const stats = await second.db.selectFrom('roster_stats').selectAll().where('client_id', '=', 'client-upgraded').executeTakeFirst();
      assert.equal(stats?.streak_run, 1);
    } finally {
      await second.close();
    }
  } finally {
    await database.drop();
  }
});
