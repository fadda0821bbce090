import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Alert, SubmitCheckInResult } from '../../server/contract/index.js';
import {
  CLINIC_A,
  dailyAnswers,
  dataOf,
  mintToken,
  minutesAgo,
  newRequestId,
  serverForThisFile,
  typedMutate,
  typedQuery,
} from './helpers.js';

const server = await serverForThisFile();
const clientToken = await mintToken({ sub: 'audit-client', role: 'client', name: 'Audit Client' });
const otherClientToken = await mintToken({ sub: 'audit-other-client', role: 'client' });
const clinicianToken = await mintToken({ sub: 'audit-clinician', role: 'clinician' });
const secondClinicianToken = await mintToken({ sub: 'audit-clinician-2', role: 'clinician' });

async function submitDaily(token: string, craving = 2): Promise<SubmitCheckInResult> {
  return dataOf(
    await typedMutate(
      server.baseUrl,
      'checkIn.submit',
      { clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers({ craving }), submittedAt: minutesAgo(1) },
      token,
    ),
  );
}

const auditRows = (action?: string) => {
  let q = server.db.selectFrom('audit_log').selectAll();
  if (action) q = q.where('action', '=', action);
  return q.execute();
};

describe('audit of clinician reads', () => {
  test("a clinician's checkIn.list of a client writes an audit_log row naming actor, action and client", async () => {
    await submitDaily(clientToken);
    const before = (await auditRows()).length;
    const page = dataOf(await typedQuery(server.baseUrl, 'checkIn.list', { clientId: 'audit-client' }, clinicianToken));
    assert.ok(page.items.length > 0);
    const rows = await auditRows();
    assert.equal(rows.length, before + 1);
    const row = rows.find((r) => r.action === 'checkIn.list' && r.subject_id === 'audit-client');
    assert.ok(row, JSON.stringify(rows));
    assert.equal(row.actor_id, 'audit-clinician');
    assert.equal(row.actor_role, 'clinician');
    assert.equal(row.clinic_id, CLINIC_A);
    assert.ok(Math.abs(Date.parse(row.at) - Date.now()) < 60_000);
  });

  test("a clinician's clinic-wide checkIn.list writes one audit row per client whose data came back", async () => {
    await submitDaily(otherClientToken);
    const before = await auditRows('checkIn.list');
    dataOf(await typedQuery(server.baseUrl, 'checkIn.list', { limit: 100 }, secondClinicianToken));
    const added = (await auditRows('checkIn.list')).filter((r) => !before.some((b) => b.id === r.id));
    assert.deepEqual(added.map((r) => r.subject_id).sort(), ['audit-client', 'audit-other-client']);
    assert.ok(added.every((r) => r.actor_id === 'audit-clinician-2'));
  });

  test('a client reading their own check-ins writes no audit row', async () => {
    const before = (await auditRows()).length;
    const page = dataOf(await typedQuery(server.baseUrl, 'checkIn.list', undefined, clientToken));
    assert.ok(page.items.length > 0);
    dataOf(await typedQuery(server.baseUrl, 'checkIn.list', { clientId: 'audit-client' }, clientToken));
    assert.equal((await auditRows()).length, before);
  });

  test('a denied clinician read of another clinic writes no audit row', async () => {
    const before = (await auditRows()).length;
    const outsider = await mintToken({ sub: 'outsider', role: 'clinician', clinic: 'clinic-b' });
    const res = await typedQuery(server.baseUrl, 'checkIn.list', { clientId: 'audit-client' }, outsider);
    assert.equal(res.status, 404);
    assert.equal((await auditRows()).length, before);
  });
});

describe('alerts.acknowledge', () => {
  let alert: Alert;

  before(async () => {
    const checkIn = await submitDaily(clientToken, 9);
    const page = dataOf(await typedQuery(server.baseUrl, 'alerts.list', undefined, clinicianToken));
    const found = page.items.find((a) => a.checkInId === checkIn.id);
    assert.ok(found);
    alert = found;
  });

  test('an open alert carries the client id and the display name from the token', () => {
    assert.equal(alert.clientId, 'audit-client');
    assert.equal(alert.clientName, 'Audit Client');
    assert.equal(alert.acknowledgedAt, null);
  });

  test('acknowledging stores the note and the acknowledging clinician', async () => {
    const acked = dataOf(
      await typedMutate(server.baseUrl, 'alerts.acknowledge', { alertId: alert.id, note: 'Called, safe tonight' }, clinicianToken),
    );
    assert.equal(acked.id, alert.id);
    assert.equal(acked.acknowledgedBy, 'audit-clinician');
    assert.equal(acked.acknowledgeNote, 'Called, safe tonight');
    assert.ok(acked.acknowledgedAt && Math.abs(Date.parse(acked.acknowledgedAt) - Date.now()) < 60_000);
    const row = await server.db.selectFrom('alerts').selectAll().where('id', '=', alert.id).executeTakeFirstOrThrow();
    assert.equal(row.acknowledged_by, 'audit-clinician');
    assert.equal(row.ack_note, 'Called, safe tonight');
    assert.equal(row.acknowledged_at, acked.acknowledgedAt);
  });

  test('a second acknowledge keeps the first acknowledger, note and time', async () => {
    const first = await server.db.selectFrom('alerts').selectAll().where('id', '=', alert.id).executeTakeFirstOrThrow();
    const again = dataOf(
      await typedMutate(server.baseUrl, 'alerts.acknowledge', { alertId: alert.id, note: 'Second look' }, secondClinicianToken),
    );
    assert.equal(again.acknowledgedBy, 'audit-clinician');
    assert.equal(again.acknowledgeNote, 'Called, safe tonight');
    assert.equal(again.acknowledgedAt, first.acknowledged_at);
    const row = await server.db.selectFrom('alerts').selectAll().where('id', '=', alert.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, first);
  });

  test('an acknowledged alert leaves the open list and appears in the acknowledged list', async () => {
    const open = dataOf(await typedQuery(server.baseUrl, 'alerts.list', { status: 'open' }, clinicianToken));
    assert.ok(!open.items.some((a) => a.id === alert.id));
    const acknowledged = dataOf(await typedQuery(server.baseUrl, 'alerts.list', { status: 'acknowledged' }, clinicianToken));
    assert.ok(acknowledged.items.some((a) => a.id === alert.id));
  });

  test('acknowledging without a note stores a null note', async () => {
    const checkIn = await submitDaily(otherClientToken, 10);
    const row = await server.db.selectFrom('alerts').select('id').where('check_in_id', '=', checkIn.id).executeTakeFirstOrThrow();
    const acked = dataOf(await typedMutate(server.baseUrl, 'alerts.acknowledge', { alertId: row.id }, secondClinicianToken));
    assert.equal(acked.acknowledgedBy, 'audit-clinician-2');
    assert.equal(acked.acknowledgeNote, null);
  });

  test('a note longer than 2000 characters is a 400 naming note and acknowledges nothing', async () => {
    const checkIn = await submitDaily(otherClientToken, 10);
    const row = await server.db.selectFrom('alerts').select('id').where('check_in_id', '=', checkIn.id).executeTakeFirstOrThrow();
    const res = await typedMutate(server.baseUrl, 'alerts.acknowledge', { alertId: row.id, note: 'n'.repeat(2001) }, clinicianToken);
    assert.equal(res.status, 400);
    assert.ok(res.body?.error?.data.fieldErrors?.some((f) => f.path === 'note'));
    const after = await server.db.selectFrom('alerts').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    assert.equal(after.acknowledged_at, null);
  });

  test("alerts.list writes audit rows for the clients whose alerts a clinician read", async () => {
    const before = (await auditRows('alerts.list')).length;
    const page = dataOf(await typedQuery(server.baseUrl, 'alerts.list', { status: 'all' }, clinicianToken));
    const clients = new Set(page.items.map((a) => a.clientId));
    const rows = await auditRows('alerts.list');
    assert.equal(rows.length, before + clients.size);
  });
});
