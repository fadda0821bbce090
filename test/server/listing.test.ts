import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { CheckInRecord, SubmitCheckInResult } from '../../server/contract/index.js';
import { VERSION } from '../../server/config.js';
import {
  dailyAnswers,
  dataOf,
  itemAnswers,
  mintToken,
  minutesAgo,
  mutate,
  newRequestId,
  query,
  rawRequest,
  serverForThisFile,
  typedQuery,
} from './helpers.js';

const CLINIC_D = 'clinic-d-two-templates';
const SECRET_D = 'clinic-d-test-secret-only-daily-and-phq9';
const CLINIC_E = 'clinic-e-with-unknown-template';
const SECRET_E = 'clinic-e-test-secret-with-an-unknown-one';

const server = await serverForThisFile({
  extraClinics: [
    { id: CLINIC_D, secret: SECRET_D, enabledTemplates: '["daily","phq9"]' },
    { id: CLINIC_E, secret: SECRET_E, enabledTemplates: '["gad7","not-a-template"]' },
  ],
});
const clientToken = await mintToken({ sub: 'list-client', role: 'client' });

async function submit(token: string, templateId: string, answers: unknown, submittedAt: string): Promise<SubmitCheckInResult> {
  return dataOf(
    await mutate(server.baseUrl, 'checkIn.submit', { clientRequestId: newRequestId(), templateId, answers, submittedAt }, token),
  );
}

async function walk(token: string, input: Record<string, unknown>): Promise<{ items: CheckInRecord[]; pages: number }> {
  const items: CheckInRecord[] = [];
  let cursor: string | null | undefined;
  let pages = 0;
  do {
    const page = dataOf(
      await typedQuery(server.baseUrl, 'checkIn.list', { ...input, ...(cursor ? { cursor } : {}) }, token),
    );
    pages += 1;
    assert.ok(page.items.length <= ((input.limit as number | undefined) ?? 20));
    items.push(...page.items);
    cursor = page.nextCursor;
    assert.ok(pages < 100, 'paging terminates');
  } while (cursor);
  return { items, pages };
}

describe('checkIn.list paging', () => {
  const submittedIds: { id: string; at: string }[] = [];

  before(async () => {
    // Submitted out of order so the list order comes from submittedAt, not insertion.
    for (const ago of [50, 10, 70, 30, 90, 20, 60, 40, 80]) {
      const at = minutesAgo(ago);
      const r = await submit(clientToken, 'daily', dailyAnswers(), at);
      submittedIds.push({ id: r.id, at: r.submittedAt });
    }
  });

  test("checkIn.list returns a client's check-ins newest first", async () => {
    const page = dataOf(await typedQuery(server.baseUrl, 'checkIn.list', undefined, clientToken));
    assert.equal(page.items.length, 9);
    const times = page.items.map((i) => Date.parse(i.submittedAt));
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    assert.equal(page.nextCursor, null);
    assert.ok(page.items.every((i) => i.clientId === 'list-client' && i.templateId === 'daily'));
    assert.deepEqual(page.items[0]?.answers, dailyAnswers());
  });

  test('checkIn.list honours the limit and hands out a cursor when more rows remain', async () => {
    const page = dataOf(await typedQuery(server.baseUrl, 'checkIn.list', { limit: 4 }, clientToken));
    assert.equal(page.items.length, 4);
    assert.equal(typeof page.nextCursor, 'string');
  });

  test('following nextCursor walks every row once, newest first, without duplicates', async () => {
    const { items, pages } = await walk(clientToken, { limit: 2 });
    assert.equal(pages, 5);
    assert.equal(items.length, 9);
    assert.equal(new Set(items.map((i) => i.id)).size, 9);
    const expected = [...submittedIds].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).map((s) => s.id);
    assert.deepEqual(items.map((i) => i.id), expected);
  });

  test('a limit equal to the row count returns no cursor', async () => {
    const page = dataOf(await typedQuery(server.baseUrl, 'checkIn.list', { limit: 9 }, clientToken));
    assert.equal(page.items.length, 9);
    assert.equal(page.nextCursor, null);
  });

  test('check-ins with the same submittedAt are paged by id without loss or repeats', async () => {
    const token = await mintToken({ sub: 'list-same-time', role: 'client' });
    const at = minutesAgo(5);
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await submit(token, 'daily', dailyAnswers(), at)).id);
    const { items } = await walk(token, { limit: 1 });
    assert.equal(items.length, 5);
    assert.deepEqual(new Set(items.map((i) => i.id)), ids);
  });

  test("a clinician walking the clinic with a cursor sees every client's rows once", async () => {
    const other = await mintToken({ sub: 'list-other', role: 'client' });
    await submit(other, 'phq9', itemAnswers([1, 1, 1, 1, 1, 1, 1, 1, 1]), minutesAgo(15));
    const clinician = await mintToken({ sub: 'list-clinician', role: 'clinician' });
    const total = (await server.db.selectFrom('check_ins').select('id').where('clinic_id', '=', 'clinic-a').execute()).length;
    const { items } = await walk(clinician, { limit: 3 });
    assert.equal(items.length, total);
    assert.equal(new Set(items.map((i) => i.id)).size, total);
    const times = items.map((i) => Date.parse(i.submittedAt));
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
  });

  test('checkIn.list filters by templateId', async () => {
    await submit(clientToken, 'gad7', itemAnswers([0, 1, 0, 1, 0, 1, 0]), minutesAgo(1));
    const page = dataOf(await typedQuery(server.baseUrl, 'checkIn.list', { templateId: 'gad7' }, clientToken));
    assert.equal(page.items.length, 1);
    assert.equal(page.items[0]?.templateId, 'gad7');
    assert.deepEqual(page.items[0]?.score, { instrument: 'gad7', total: 3, max: 21, severity: 'minimal' });
  });
});

describe('checkIn.templates and health', () => {
  test('checkIn.templates returns the four templates a clinic enabled, in order', async () => {
    const data = dataOf(
      await typedQuery(
        server.baseUrl,
        'checkIn.templates',
        undefined,
        clientToken,
      ),
    );
    assert.deepEqual(data.templates.map((t) => t.id), ['daily', 'phq9', 'gad7', 'bam']);
    assert.equal(data.region, 'US');
    assert.equal(data.defaultLocale, 'en');
    const phq9 = data.templates.find((t) => t.id === 'phq9');
    assert.equal(phq9?.questions.length, 10);
  });

  test('checkIn.templates returns only the templates a clinic enabled', async () => {
    const token = await mintToken({ sub: 'd-client', role: 'client', clinic: CLINIC_D, secret: SECRET_D });
    const data = dataOf(await typedQuery(server.baseUrl, 'checkIn.templates', undefined, token));
    assert.deepEqual(data.templates.map((t) => t.id), ['daily', 'phq9']);
  });

  test('checkIn.templates skips template ids the server does not know', async () => {
    const token = await mintToken({ sub: 'e-clinician', role: 'clinician', clinic: CLINIC_E, secret: SECRET_E });
    const data = dataOf(await typedQuery(server.baseUrl, 'checkIn.templates', undefined, token));
    assert.deepEqual(data.templates.map((t) => t.id), ['gad7']);
  });

  test('health returns ok and the package version without a token', async () => {
    const data = dataOf(await query(server.baseUrl, 'health'));
    assert.deepEqual(data, { ok: true, version: VERSION });
    assert.match(VERSION, /^\d+\.\d+\.\d+/);
  });

  test('GET /healthz returns ok and the version', async () => {
    const res = await rawRequest(server.baseUrl, '/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { ok: true, version: VERSION });
  });
});
