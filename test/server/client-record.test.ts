import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import {
  CLINIC_B,
  dailyAnswers,
  dataOf,
  errorOf,
  groupInput,
  mintToken,
  minutesAgo,
  newRequestId,
  serverForThisFile,
  typedMutate,
  typedQuery,
} from './helpers.js';

/**
 * What a clinician's client record reads beyond the existing procedures: one person's alerts
 * (`alerts.list` with `clientId`) and the sessions they attended (`progress.sessions`).
 */
const server = await serverForThisFile();
const clinician = await mintToken({ sub: 'record-clinician', role: 'clinician' });
const otherClinicClinician = await mintToken({ sub: 'record-clinician-b', role: 'clinician', clinic: CLINIC_B });
const alex = await mintToken({ sub: 'record-alex', role: 'client', name: 'Alex' });
const sam = await mintToken({ sub: 'record-sam', role: 'client', name: 'Sam' });

before(async () => {
  // An urgent check-in each (one alert each), and Alex's is acknowledged: an open and a past alert between them.
  for (const token of [alex, alex, sam]) {
    dataOf(
      await typedMutate(
        server.baseUrl,
        'checkIn.submit',
        { clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers({ craving: 9, used: 'yes' }), submittedAt: minutesAgo(2) },
        token,
      ),
    );
  }
  const open = dataOf(await typedQuery(server.baseUrl, 'alerts.list', { status: 'open' }, clinician)).items;
  const first = open.find((a) => a.clientId === 'record-alex')!;
  dataOf(await typedMutate(server.baseUrl, 'alerts.acknowledge', { alertId: first.id, note: 'Called, safe' }, clinician));
});

const auditRows = (action: string, subject: string) =>
  server.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('subject_id', '=', subject).execute();

describe('alerts.list for one client', () => {
  test("a clinician reads one client's open and past alerts, and only theirs", async () => {
    const page = dataOf(await typedQuery(server.baseUrl, 'alerts.list', { clientId: 'record-alex', status: 'all' }, clinician));
    assert.ok(page.items.length >= 2, 'both of Alex’s alerts');
    assert.ok(page.items.every((a) => a.clientId === 'record-alex'));
    assert.ok(page.items.some((a) => a.acknowledgedAt !== null && a.acknowledgeNote === 'Called, safe'));
    assert.ok(page.items.some((a) => a.acknowledgedAt === null));
  });

  test('the read is audited even when the person has no alert in that status', async () => {
    const before = (await auditRows('alerts.list', 'record-sam')).length;
    const page = dataOf(await typedQuery(server.baseUrl, 'alerts.list', { clientId: 'record-sam', status: 'acknowledged' }, clinician));
    assert.equal(page.items.length, 0);
    const rows = await auditRows('alerts.list', 'record-sam');
    assert.equal(rows.length, before + 1);
    assert.equal(rows.at(-1)!.actor_id, 'record-clinician');
  });

  test('another clinic’s clinician and an unknown person get 404', async () => {
    assert.equal(errorOf(await typedQuery(server.baseUrl, 'alerts.list', { clientId: 'record-alex' }, otherClinicClinician)).data.httpStatus, 404);
    assert.equal(errorOf(await typedQuery(server.baseUrl, 'alerts.list', { clientId: 'nobody-here' }, clinician)).data.httpStatus, 404);
  });
});

describe('progress.sessions', () => {
  let groupId: string;
  before(async () => {
    const admin = await mintToken({ sub: 'record-admin', role: 'admin' });
    groupId = dataOf(
      await typedMutate(
        server.baseUrl,
        'groups.create',
        groupInput({ name: 'Tuesday circle', description: '', schedule: [{ day: 'tue', start: '18:00', minutes: 60 }] }),
        admin,
      ),
    ).id;
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000);
    await server.db
      .insertInto('sessions_attended')
      .values([
        { id: randomUUID(), clinic_id: 'clinic-a', client_id: 'record-alex', kind: 'group', source_id: groupId, joined_at: at(14).toISOString(), left_at: new Date(at(14).getTime() + 3_600_000).toISOString() },
        { id: randomUUID(), clinic_id: 'clinic-a', client_id: 'record-alex', kind: 'telehealth', source_id: 'visit-1', joined_at: at(7).toISOString(), left_at: new Date(at(7).getTime() + 1_800_000).toISOString() },
        { id: randomUUID(), clinic_id: 'clinic-a', client_id: 'record-sam', kind: 'group', source_id: groupId, joined_at: at(3).toISOString(), left_at: null },
      ])
      .execute();
  });

  test('a clinician reads the sessions a client attended, newest first, with the group’s name, and the read is audited', async () => {
    const before = (await auditRows('progress.sessions', 'record-alex')).length;
    const page = dataOf(await typedQuery(server.baseUrl, 'progress.sessions', { clientId: 'record-alex' }, clinician));
    assert.deepEqual(
      page.items.map((s) => [s.kind, s.groupName, s.minutes]),
      [
        ['telehealth', null, 30],
        ['group', 'Tuesday circle', 60],
      ],
    );
    assert.equal(page.items[1]!.groupId, groupId);
    assert.equal((await auditRows('progress.sessions', 'record-alex')).length, before + 1);
  });

  test('a client reads their own sessions (not audited) but another client’s is 404', async () => {
    const own = dataOf(await typedQuery(server.baseUrl, 'progress.sessions', {}, sam));
    assert.deepEqual(own.items.map((s) => s.minutes), [null]);
    assert.equal(errorOf(await typedQuery(server.baseUrl, 'progress.sessions', { clientId: 'record-alex' }, sam)).data.httpStatus, 404);
  });

  test('another clinic’s clinician gets 404, and staff must name the client', async () => {
    assert.equal(errorOf(await typedQuery(server.baseUrl, 'progress.sessions', { clientId: 'record-alex' }, otherClinicClinician)).data.httpStatus, 404);
    assert.equal(errorOf(await typedQuery(server.baseUrl, 'progress.sessions', {}, clinician)).data.httpStatus, 400);
  });

  test('pages with a cursor', async () => {
    const first = dataOf(await typedQuery(server.baseUrl, 'progress.sessions', { clientId: 'record-alex', limit: 1 }, clinician));
    assert.equal(first.items.length, 1);
    assert.ok(first.nextCursor);
    const second = dataOf(await typedQuery(server.baseUrl, 'progress.sessions', { clientId: 'record-alex', limit: 1, cursor: first.nextCursor }, clinician));
    assert.equal(second.items[0]!.kind, 'group');
    assert.equal(second.nextCursor, null);
  });
});
