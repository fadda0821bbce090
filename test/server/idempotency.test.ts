import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SubmitCheckInResult } from '../../server/contract/index.js';
import {
  countRows,
  dailyAnswers,
  dataOf,
  mintToken,
  minutesAgo,
  mutate,
  newRequestId,
  serverForThisFile,
} from './helpers.js';

const server = await serverForThisFile();

async function rowsWithRequestId(clientRequestId: string): Promise<number> {
  const rows = await server.db
    .selectFrom('check_ins')
    .select('id')
    .where('client_request_id', '=', clientRequestId)
    .execute();
  return rows.length;
}

const submit = (token: string, body: unknown) =>
  mutate<SubmitCheckInResult>(server.baseUrl, 'checkIn.submit', body, token);

test('submitting the same clientRequestId twice returns the same id and result and stores one row', async () => {
  const token = await mintToken({ sub: 'idem-client-1', role: 'client' });
  const body = { clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers({ craving: 9 }), submittedAt: minutesAgo(2) };
  const before = await countRows(server.db, 'check_ins');
  const first = dataOf(await submit(token, body));
  const second = dataOf(await submit(token, body));
  assert.deepEqual(second, first);
  assert.equal(first.clientRequestId, body.clientRequestId);
  assert.equal(await rowsWithRequestId(body.clientRequestId), 1);
  assert.equal(await countRows(server.db, 'check_ins'), before + 1);
});

test('a retry with the same clientRequestId but a different payload gets the first result back and stores nothing new', async () => {
  const token = await mintToken({ sub: 'idem-client-2', role: 'client' });
  const clientRequestId = newRequestId();
  const first = dataOf(
    await submit(token, { clientRequestId, templateId: 'daily', answers: dailyAnswers({ craving: 1 }), submittedAt: minutesAgo(3) }),
  );
  const alertsBefore = await countRows(server.db, 'alerts');
  const second = dataOf(
    await submit(token, {
      clientRequestId,
      templateId: 'phq9',
      answers: { q1: 3, q2: 3, q3: 3, q4: 3, q5: 3, q6: 3, q7: 3, q8: 3, q9: 3 },
      submittedAt: minutesAgo(1),
    }),
  );
  assert.deepEqual(second, first);
  assert.equal(second.templateId, 'daily');
  assert.deepEqual(second.risk, { level: 'none', reasons: [] });
  assert.equal(await rowsWithRequestId(clientRequestId), 1);
  assert.equal(await countRows(server.db, 'alerts'), alertsBefore, 'the differing retry raised no alert');
  const stored = await server.db.selectFrom('check_ins').selectAll().where('client_request_id', '=', clientRequestId).executeTakeFirstOrThrow();
  assert.equal(stored.template_id, 'daily');
  assert.equal(JSON.parse(stored.answers).craving, 1);
});

test('five concurrent submits with the same clientRequestId store one row and all answer with the same id', async () => {
  const token = await mintToken({ sub: 'idem-client-3', role: 'client' });
  const clientRequestId = newRequestId();
  const responses = await Promise.all(
    Array.from({ length: 5 }, (_, i) =>
      submit(token, { clientRequestId, templateId: 'daily', answers: dailyAnswers({ craving: 8, mood: i }), submittedAt: minutesAgo(1) }),
    ),
  );
  const results = responses.map((r) => dataOf(r));
  const ids = new Set(results.map((r) => r.id));
  assert.equal(ids.size, 1, `all five got one id, got ${[...ids].join(', ')}`);
  for (const r of results) assert.deepEqual(r, results[0]);
  assert.equal(await rowsWithRequestId(clientRequestId), 1);
  const alerts = await server.db.selectFrom('alerts').select('id').where('check_in_id', '=', [...ids][0]!).execute();
  assert.equal(alerts.length, 1, 'one alert for the one stored check-in');
});

test('the same clientRequestId from two different clients stores two separate check-ins', async () => {
  const clientRequestId = newRequestId();
  const body = { clientRequestId, templateId: 'daily', answers: dailyAnswers(), submittedAt: minutesAgo(1) };
  const a = dataOf(await submit(await mintToken({ sub: 'idem-client-4', role: 'client' }), body));
  const b = dataOf(await submit(await mintToken({ sub: 'idem-client-5', role: 'client' }), body));
  assert.notEqual(a.id, b.id);
  assert.equal(await rowsWithRequestId(clientRequestId), 2);
});

test('the same clientRequestId in two clinics for the same user id stores two separate check-ins', async () => {
  const clientRequestId = newRequestId();
  const body = { clientRequestId, templateId: 'daily', answers: dailyAnswers(), submittedAt: minutesAgo(1) };
  const a = dataOf(await submit(await mintToken({ sub: 'idem-shared', role: 'client', clinic: 'clinic-a' }), body));
  const b = dataOf(await submit(await mintToken({ sub: 'idem-shared', role: 'client', clinic: 'clinic-b' }), body));
  assert.notEqual(a.id, b.id);
  assert.equal(await rowsWithRequestId(clientRequestId), 2);
});
