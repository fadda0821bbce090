import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AlertPage, CheckInPage, SubmitCheckInResult } from '../../server/contract/index.js';
import {
  CLINIC_A,
  CLINIC_B,
  SECRET_B,
  countRows,
  dailyAnswers,
  dataOf,
  errorOf,
  mintToken,
  minutesAgo,
  mutate,
  newRequestId,
  query,
  startServer,
  type TestServer,
  type TrpcResponse,
} from './helpers.js';

let server: TestServer;
let clientA: string;
let clinicianA: string;
let clientB: string;
let clinicianB: string;

before(async () => {
  server = await startServer();
  clientA = await mintToken({ sub: 'client-a1', role: 'client', clinic: CLINIC_A });
  clinicianA = await mintToken({ sub: 'clinician-a1', role: 'clinician', clinic: CLINIC_A });
  clientB = await mintToken({ sub: 'client-b1', role: 'client', clinic: CLINIC_B });
  clinicianB = await mintToken({ sub: 'clinician-b1', role: 'clinician', clinic: CLINIC_B });
});
after(async () => {
  await server.stop();
});

const validSubmit = (overrides: Record<string, unknown> = {}) => ({
  clientRequestId: newRequestId(),
  templateId: 'daily',
  answers: dailyAnswers(),
  submittedAt: minutesAgo(1),
  ...overrides,
});

function assertBadRequestNaming(res: TrpcResponse, field: string) {
  assert.equal(res.status, 400, res.text);
  const error = errorOf(res);
  assert.equal(error.data.code, 'BAD_REQUEST');
  assert.equal(error.data.httpStatus, 400);
  const paths = (error.data.fieldErrors ?? []).map((f) => f.path);
  assert.ok(paths.includes(field), `fieldErrors ${JSON.stringify(paths)} name ${field}`);
  assert.ok(error.message.includes(field), `message "${error.message}" names ${field}`);
}

function assertStatus(res: TrpcResponse, status: number, code: string) {
  assert.equal(res.status, status, res.text);
  const error = errorOf(res);
  assert.equal(error.data.code, code);
  assert.equal(error.data.httpStatus, status);
}

describe('400 for invalid input, naming the field', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a mood above 10', { answers: dailyAnswers({ mood: 11 }) }, 'answers.mood'],
    ['a negative mood', { answers: dailyAnswers({ mood: -1 }) }, 'answers.mood'],
    ['a fractional craving', { answers: dailyAnswers({ craving: 2.5 }) }, 'answers.craving'],
    ['an unknown answer key foo', { answers: { ...dailyAnswers(), foo: 1 } }, 'answers.foo'],
    ['a missing required answer', { answers: { mood: 5, craving: 2, sleepHours: 7, medication: 'yes' } }, 'answers.used'],
    ['an unknown warning sign', { answers: dailyAnswers({ warningSigns: ['dancing'] }) }, 'answers.warningSigns.0'],
    ['sleep hours off the half-hour step', { answers: dailyAnswers({ sleepHours: 7.25 }) }, 'answers.sleepHours'],
    ['a note longer than 2000 characters', { answers: dailyAnswers({ note: 'x'.repeat(2001) }) }, 'answers.note'],
    ['a clientRequestId that is not a uuid', { clientRequestId: 'not-a-uuid' }, 'clientRequestId'],
    ['a submittedAt in the future', { submittedAt: new Date(Date.now() + 3600_000).toISOString() }, 'submittedAt'],
    ['a submittedAt older than 60 days', { submittedAt: new Date(Date.now() - 61 * 86_400_000).toISOString() }, 'submittedAt'],
    ['a submittedAt that is not a date', { submittedAt: 'yesterday' }, 'submittedAt'],
    ['an unknown templateId', { templateId: 'phq10' }, 'templateId'],
    ['an unknown top-level field', { extra: true }, 'extra'],
    ['a PHQ-9 item above 3', { templateId: 'phq9', answers: { q1: 4, q2: 0, q3: 0, q4: 0, q5: 0, q6: 0, q7: 0, q8: 0, q9: 0 } }, 'answers.q1'],
  ];
  for (const [what, overrides, field] of cases) {
    test(`checkIn.submit with ${what} is a 400 naming ${field} and stores nothing`, async () => {
      const before = await countRows(server.db, 'check_ins');
      const alertsBefore = await countRows(server.db, 'alerts');
      const res = await mutate(server.baseUrl, 'checkIn.submit', validSubmit(overrides), clientA);
      assertBadRequestNaming(res, field);
      assert.equal(await countRows(server.db, 'check_ins'), before);
      assert.equal(await countRows(server.db, 'alerts'), alertsBefore);
    });
  }

  test('a 400 names every offending field at once', async () => {
    const res = await mutate(
      server.baseUrl,
      'checkIn.submit',
      validSubmit({ clientRequestId: 'nope', answers: { ...dailyAnswers({ mood: 42 }), foo: 1 } }),
      clientA,
    );
    assert.equal(res.status, 400);
    const paths = (errorOf(res).data.fieldErrors ?? []).map((f) => f.path).sort();
    assert.deepEqual(paths, ['answers.foo', 'answers.mood', 'clientRequestId']);
  });

  test('checkIn.list with a limit above 100 is a 400 naming limit', async () => {
    assertBadRequestNaming(await query(server.baseUrl, 'checkIn.list', { limit: 101 }, clientA), 'limit');
  });

  test('a valid check-in after all those 400s is stored as one row', async () => {
    const before = await countRows(server.db, 'check_ins');
    dataOf(await mutate(server.baseUrl, 'checkIn.submit', validSubmit(), clientA));
    assert.equal(await countRows(server.db, 'check_ins'), before + 1);
  });
});

describe('401 for a missing or unusable token', () => {
  const check = async (token: string | undefined) => {
    const res = await query(server.baseUrl, 'checkIn.templates', undefined, token);
    assertStatus(res, 401, 'UNAUTHORIZED');
    return res;
  };

  test('a call without a token is a 401', async () => {
    await check(undefined);
  });

  test('a token signed with another secret is a 401', async () => {
    await check(await mintToken({ sub: 'client-a1', role: 'client', clinic: CLINIC_A, secret: SECRET_B }));
  });

  test('a token whose signature was tampered with is a 401', async () => {
    const [header, payload] = clientA.split('.');
    await check(`${header}.${payload}.${'A'.repeat(43)}`);
  });

  test('an expired token is a 401', async () => {
    await check(await mintToken({ sub: 'client-a1', role: 'client', exp: Math.floor(Date.now() / 1000) - 60 }));
  });

  test('a token without exp is a 401', async () => {
    await check(await mintToken({ sub: 'client-a1', role: 'client', noExp: true }));
  });

  test('a token for an unknown clinic is a 401', async () => {
    await check(await mintToken({ sub: 'client-a1', role: 'client', clinic: 'no-such-clinic', secret: SECRET_B }));
  });

  test('a token with a role claim outside client, clinician and admin is a 401', async () => {
    await check(await mintToken({ sub: 'client-a1', role: 'superuser' }));
  });

  test('a token that is not a JWT at all is a 401', async () => {
    await check('not.a.jwt');
  });

  test('a protected mutation without a token is a 401 and stores nothing', async () => {
    const before = await countRows(server.db, 'check_ins');
    const res = await mutate(server.baseUrl, 'checkIn.submit', validSubmit());
    assertStatus(res, 401, 'UNAUTHORIZED');
    assert.equal(await countRows(server.db, 'check_ins'), before);
  });
});

describe('403 for the wrong role', () => {
  test('a clinician calling checkIn.submit is a 403 and stores nothing', async () => {
    const before = await countRows(server.db, 'check_ins');
    assertStatus(await mutate(server.baseUrl, 'checkIn.submit', validSubmit(), clinicianA), 403, 'FORBIDDEN');
    assert.equal(await countRows(server.db, 'check_ins'), before);
  });

  test('an admin calling checkIn.submit is a 403', async () => {
    const admin = await mintToken({ sub: 'admin-a1', role: 'admin' });
    assertStatus(await mutate(server.baseUrl, 'checkIn.submit', validSubmit(), admin), 403, 'FORBIDDEN');
  });

  test('a client calling alerts.list is a 403', async () => {
    assertStatus(await query(server.baseUrl, 'alerts.list', undefined, clientA), 403, 'FORBIDDEN');
  });

  test('a client calling alerts.acknowledge is a 403 and the alert stays open', async () => {
    const urgent = dataOf(
      await mutate<SubmitCheckInResult>(server.baseUrl, 'checkIn.submit', validSubmit({ answers: dailyAnswers({ craving: 10 }) }), clientA),
    );
    const alert = await server.db.selectFrom('alerts').selectAll().where('check_in_id', '=', urgent.id).executeTakeFirstOrThrow();
    assertStatus(await mutate(server.baseUrl, 'alerts.acknowledge', { alertId: alert.id }, clientA), 403, 'FORBIDDEN');
    const after = await server.db.selectFrom('alerts').selectAll().where('id', '=', alert.id).executeTakeFirstOrThrow();
    assert.equal(after.acknowledged_at, null);
  });
});

describe('404 for records of another client or clinic', () => {
  let checkInA: SubmitCheckInResult;
  let alertIdA: string;

  before(async () => {
    checkInA = dataOf(
      await mutate<SubmitCheckInResult>(
        server.baseUrl,
        'checkIn.submit',
        validSubmit({ answers: dailyAnswers({ craving: 9, note: 'private note of client a1' }) }),
        clientA,
      ),
    );
    const alert = await server.db.selectFrom('alerts').select('id').where('check_in_id', '=', checkInA.id).executeTakeFirstOrThrow();
    alertIdA = alert.id;
    // Clinic B has its own client with data, so its lists are not trivially empty.
    dataOf(await mutate(server.baseUrl, 'checkIn.submit', validSubmit({ answers: dailyAnswers({ craving: 9 }) }), clientB));
  });

  test('a client asking checkIn.list for another clientId gets a 404', async () => {
    const other = await mintToken({ sub: 'client-a2', role: 'client' });
    assertStatus(await query(server.baseUrl, 'checkIn.list', { clientId: 'client-a1' }, other), 404, 'NOT_FOUND');
  });

  test('a client asking checkIn.list for a clientId that does not exist gets the same 404', async () => {
    assertStatus(await query(server.baseUrl, 'checkIn.list', { clientId: 'nobody-here' }, clientA), 404, 'NOT_FOUND');
  });

  test('a client asking checkIn.list for their own clientId gets their check-ins', async () => {
    const page = dataOf(await query<CheckInPage>(server.baseUrl, 'checkIn.list', { clientId: 'client-a1' }, clientA));
    assert.ok(page.items.some((i) => i.id === checkInA.id));
    assert.ok(page.items.every((i) => i.clientId === 'client-a1'));
  });

  test('a clinician asking checkIn.list for a client of another clinic gets a 404', async () => {
    assertStatus(await query(server.baseUrl, 'checkIn.list', { clientId: 'client-a1' }, clinicianB), 404, 'NOT_FOUND');
  });

  test('a clinician asking checkIn.list for an unknown client gets a 404', async () => {
    assertStatus(await query(server.baseUrl, 'checkIn.list', { clientId: 'nobody-here' }, clinicianA), 404, 'NOT_FOUND');
  });

  test("acknowledging another clinic's alert is a 404 and leaves the alert open", async () => {
    assertStatus(await mutate(server.baseUrl, 'alerts.acknowledge', { alertId: alertIdA, note: 'not mine' }, clinicianB), 404, 'NOT_FOUND');
    const row = await server.db.selectFrom('alerts').selectAll().where('id', '=', alertIdA).executeTakeFirstOrThrow();
    assert.equal(row.acknowledged_at, null);
    assert.equal(row.ack_note, null);
  });

  test('acknowledging an alert id that does not exist is a 404', async () => {
    assertStatus(await mutate(server.baseUrl, 'alerts.acknowledge', { alertId: 'no-such-alert' }, clinicianA), 404, 'NOT_FOUND');
  });

  test("clinic B's clinician never sees clinic A's check-ins or alerts", async () => {
    const checkIns = dataOf(await query<CheckInPage>(server.baseUrl, 'checkIn.list', { limit: 100 }, clinicianB));
    assert.ok(checkIns.items.length > 0, 'clinic B sees its own check-ins');
    assert.ok(checkIns.items.every((i) => i.clientId === 'client-b1'), JSON.stringify(checkIns.items.map((i) => i.clientId)));
    assert.ok(!checkIns.items.some((i) => i.id === checkInA.id));
    assert.ok(!JSON.stringify(checkIns).includes('private note of client a1'));

    for (const status of ['open', 'acknowledged', 'all'] as const) {
      const alerts = dataOf(await query<AlertPage>(server.baseUrl, 'alerts.list', { status, limit: 100 }, clinicianB));
      assert.ok(alerts.items.every((a) => a.clientId === 'client-b1'), `${status}: ${JSON.stringify(alerts.items)}`);
      assert.ok(!alerts.items.some((a) => a.id === alertIdA));
    }
  });

  test("clinic A's clinician sees clinic A's alert and not clinic B's", async () => {
    const alerts = dataOf(await query<AlertPage>(server.baseUrl, 'alerts.list', { status: 'all', limit: 100 }, clinicianA));
    assert.ok(alerts.items.some((a) => a.id === alertIdA));
    assert.ok(alerts.items.every((a) => a.clientId.startsWith('client-a')));
  });

  test('a clinic B client with the same user id as a clinic A client sees only their own clinic B data', async () => {
    const twin = await mintToken({ sub: 'client-a1', role: 'client', clinic: CLINIC_B });
    const page = dataOf(await query<CheckInPage>(server.baseUrl, 'checkIn.list', undefined, twin));
    assert.ok(!page.items.some((i) => i.id === checkInA.id));
    assert.equal(page.items.length, 0);
  });

  test("a token naming clinic A but signed with clinic B's secret is a 401", async () => {
    const forged = await mintToken({ sub: 'clinician-b1', role: 'clinician', clinic: CLINIC_A, secret: SECRET_B });
    assertStatus(await query(server.baseUrl, 'alerts.list', undefined, forged), 401, 'UNAUTHORIZED');
  });
});
