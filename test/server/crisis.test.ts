import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { CrisisAlertResult, CrisisResources } from '../../server/contract/index.js';
import { resumePendingDeliveries } from '../../server/domain/webhook.js';
import { pino } from 'pino';
import { CLINIC_A, CLINIC_B, countRows, dataOf, errorOf, mintToken, mutate, newRequestId, query, startServer, type TestServer } from './helpers.js';

// Fast retries for tests: three retries 40 ms apart, 400 ms per attempt (CARE_WEBHOOK_RETRY_MS, CARE_WEBHOOK_TIMEOUT_MS).
const fastWebhooks = () => ({ retryDelaysMs: [40, 40, 40], timeoutMs: 400 });

const WEBHOOK_SECRET = 'whsec-test-0123456789abcdef';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A clinic's on-call system: answers with the next scripted status (or hangs for 'hang'). */
class Receiver {
  received: Received[] = [];
  script: (number | 'hang')[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const next = this.script.shift() ?? 200;
        if (next === 'hang') return;
        res.writeHead(next).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/pager/crisis`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let server: TestServer;
const receiver = new Receiver();

before(async () => {
  server = await startServer({ config: { webhooks: fastWebhooks() } });
  await receiver.start();
});
after(async () => {
  await server.services.webhooks.settled();
  await receiver.stop();
  await server.stop();
});
beforeEach(() => {
  receiver.received = [];
  receiver.script = [];
});

async function configure(clinicId: string, settings: { webhook?: boolean; hours?: unknown; timeZone?: string | null; phone?: string | null }) {
  await server.db
    .updateTable('clinics')
    .set({
      crisis_webhook_url: settings.webhook ? receiver.url : null,
      crisis_webhook_secret: settings.webhook ? WEBHOOK_SECRET : null,
      on_call_hours: settings.hours === undefined ? null : JSON.stringify(settings.hours),
      on_call_time_zone: settings.timeZone ?? null,
      on_call_phone: settings.phone ?? null,
    })
    .where('id', '=', clinicId)
    .execute();
}

const client = (sub: string, clinic?: string) => mintToken({ sub, role: 'client', name: 'Alex', ...(clinic ? { clinic } : {}) });
const alert = (token: string, clientRequestId = newRequestId(), extra: Record<string, unknown> = {}) =>
  mutate<CrisisAlertResult>(server.baseUrl, 'crisis.alert', { clientRequestId, ...extra }, token);

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const deliveries = (alertId: string) =>
  server.db.selectFrom('webhook_deliveries').selectAll().where('alert_id', '=', alertId).orderBy('attempt').execute();
const requestRow = (alertId: string) => server.db.selectFrom('crisis_requests').selectAll().where('alert_id', '=', alertId).executeTakeFirstOrThrow();

function validSignature(r: Received): boolean {
  const timestamp = String(r.headers['x-care-timestamp']);
  const expected = `v1=${createHmac('sha256', WEBHOOK_SECRET).update(`${timestamp}.${r.body}`).digest('hex')}`;
  const given = String(r.headers['x-care-signature']);
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/** The current hour on the wall clock of `timeZone`, and that weekday (ISO, 1 = Monday). */
function wallClockNow(timeZone: string): { day: number; hour: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', hourCycle: 'h23' }).formatToParts(new Date());
  const day = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.find((p) => p.type === 'weekday')!.value) + 1;
  return { day, hour: Number(parts.find((p) => p.type === 'hour')!.value) };
}
const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;

describe('crisis.alert', () => {
  test('creates one urgent alert with source crisis and answers before the webhook attempt ends', async () => {
    await configure(CLINIC_A, { webhook: true });
    const token = await client('crisis-fast');
    dataOf(await query(server.baseUrl, 'crisis.resources', undefined, token)); // warm up the connection and key cache
    server.services.webhooks.options.timeoutMs = 1500;
    receiver.script = ['hang'];
    try {
      const started = Date.now();
      const result = dataOf(await alert(token));
      const elapsed = Date.now() - started;
      // The receiver is still holding the first attempt open: nothing is recorded yet, yet the client has its answer.
      assert.equal((await deliveries(result.alertId)).length, 0, 'answered before the first attempt finished');
      assert.ok(elapsed < 1000, `answered in ${elapsed} ms while the receiver hangs`);
      assert.equal(result.paged, true);
      const row = await server.db.selectFrom('alerts').selectAll().where('id', '=', result.alertId).executeTakeFirstOrThrow();
      assert.equal(row.source, 'crisis');
      assert.equal(row.level, 'urgent');
      assert.equal(row.client_id, 'crisis-fast');
      assert.equal(row.clinic_id, CLINIC_A);
      // The hanging attempt times out and the retry is delivered.
      const rows = await until(() => deliveries(result.alertId), (r) => r.some((d) => d.ok === 1));
      assert.equal(rows[0]!.ok, 0);
      assert.equal(rows[0]!.error, 'TimeoutError');
      assert.equal(rows.at(-1)!.ok, 1);
    } finally {
      server.services.webhooks.options.timeoutMs = 400;
    }
  });

  test('delivers a webhook to the receiver with a valid HMAC-SHA256 signature and no free text', async () => {
    await configure(CLINIC_A, { webhook: true });
    const result = dataOf(await alert(await client('crisis-signed'), newRequestId(), { requestedAt: new Date(Date.now() - 60_000).toISOString() }));
    await until(() => requestRow(result.alertId), (r) => r.webhook_status === 'delivered');
    assert.equal(receiver.received.length, 1);
    const [hit] = receiver.received;
    assert.ok(validSignature(hit!), 'signature verifies with the clinic secret');
    assert.equal(hit!.headers['content-type'], 'application/json');
    assert.equal(hit!.headers['x-care-event'], 'crisis.alert');
    assert.ok(Math.abs(Number(hit!.headers['x-care-timestamp']) - Date.now() / 1000) < 30, 'timestamp is current unix seconds');
    const body = JSON.parse(hit!.body) as Record<string, unknown>;
    assert.equal(body.type, 'crisis.alert');
    assert.equal(body.alertId, result.alertId);
    assert.equal(body.clientId, 'crisis-signed');
    assert.equal(body.clinicId, CLINIC_A);
    assert.equal(body.deliveryId, hit!.headers['x-care-delivery']);
    assert.ok(!hit!.body.includes(WEBHOOK_SECRET));
    // A body altered in transit no longer verifies.
    assert.equal(validSignature({ ...hit!, body: hit!.body.replace('crisis-signed', 'someone-else') }), false);
  });

  test('retries with backoff when the receiver fails (500, 500, then 200) and records every attempt', async () => {
    await configure(CLINIC_A, { webhook: true });
    receiver.script = [500, 500, 200];
    const result = dataOf(await alert(await client('crisis-retry')));
    const request = await until(() => requestRow(result.alertId), (r) => r.webhook_status === 'delivered');
    assert.equal(request.webhook_status, 'delivered');
    const rows = await deliveries(result.alertId);
    assert.deepEqual(rows.map((r) => [r.attempt, r.status_code, r.ok]), [[1, 500, 0], [2, 500, 0], [3, 200, 1]]);
    assert.equal(new Set(rows.map((r) => r.delivery_id)).size, 1, 'one delivery id across attempts');
    assert.equal(receiver.received.length, 3);
    assert.ok(receiver.received.every(validSignature));
    assert.deepEqual(receiver.received.map((r) => r.headers['x-care-attempt']), ['1', '2', '3']);
    const gaps = rows.slice(1).map((r, i) => Date.parse(r.attempted_at) - Date.parse(rows[i]!.attempted_at));
    assert.ok(gaps.every((g) => g >= 35), `waited between attempts: ${gaps.join(', ')} ms`);
  });

  test('gives up after the configured attempts, marks the delivery failed and keeps the alert', async () => {
    await configure(CLINIC_A, { webhook: true });
    receiver.script = [503, 503, 503, 503, 503];
    const result = dataOf(await alert(await client('crisis-down')));
    const request = await until(() => requestRow(result.alertId), (r) => r.webhook_status === 'failed');
    assert.equal(request.webhook_status, 'failed');
    assert.equal((await deliveries(result.alertId)).length, 4);
    assert.ok(await server.db.selectFrom('alerts').select('id').where('id', '=', result.alertId).executeTakeFirst());
  });

  test('the same clientRequestId twice is one alert, one request row and one notification', async () => {
    await configure(CLINIC_A, { webhook: true });
    const token = await client('crisis-idem');
    const id = newRequestId();
    const alertsBefore = await countRows(server.db, 'alerts');
    const [first, second] = await Promise.all([alert(token, id), alert(token, id)]);
    const third = await alert(token, id);
    const ids = [first, second, third].map((r) => dataOf(r).alertId);
    assert.equal(new Set(ids).size, 1);
    assert.equal((await countRows(server.db, 'alerts')) - alertsBefore, 1);
    await until(() => requestRow(ids[0]!), (r) => r.webhook_status === 'delivered');
    // Another person using the same id is a different request, notified on its own; by the time its
    // notification arrives, a second one for the first alert would have come before it.
    const other = dataOf(await alert(await client('crisis-idem-2'), id));
    assert.notEqual(other.alertId, ids[0]);
    const alertIds = () => receiver.received.map((r) => (JSON.parse(r.body) as { alertId: string }).alertId);
    await until(async () => alertIds(), (seen) => seen.includes(other.alertId));
    assert.deepEqual(alertIds(), [ids[0], other.alertId]);
  });

  test('a notification left pending by a stopped server is sent when the next one starts', async () => {
    await configure(CLINIC_A, { webhook: true });
    const result = dataOf(await alert(await client('crisis-resume')));
    await server.services.webhooks.settled();
    // As if the server had stopped mid-retry an hour ago: the request is still pending.
    await server.db
      .updateTable('crisis_requests')
      .set({ webhook_status: 'pending', created_at: new Date(Date.now() - 3_600_000).toISOString() })
      .where('alert_id', '=', result.alertId)
      .execute();
    receiver.received = [];
    receiver.script = [200];
    const resumed = await resumePendingDeliveries(server.db, pino({ level: 'silent' }), server.services.webhooks);
    assert.ok(resumed >= 1);
    await until(() => requestRow(result.alertId), (r) => r.webhook_status === 'delivered');
    const hit = receiver.received.find((r) => JSON.parse(r.body).alertId === result.alertId);
    assert.ok(hit && validSignature(hit), 'resumed delivery is signed');
    // A request made just now is left to the server that is retrying it, while an old one in the
    // same pass is sent: once the old one has arrived, the fresh one was passed over.
    const fresh = dataOf(await alert(await client('crisis-fresh')));
    const stale = dataOf(await alert(await client('crisis-stale')));
    for (const alertId of [fresh.alertId, stale.alertId]) await until(() => requestRow(alertId), (r) => r.webhook_status === 'delivered');
    await server.db.updateTable('crisis_requests').set({ webhook_status: 'pending' }).where('alert_id', '=', fresh.alertId).execute();
    await server.db
      .updateTable('crisis_requests')
      .set({ webhook_status: 'pending', created_at: new Date(Date.now() - 3_600_000).toISOString() })
      .where('alert_id', '=', stale.alertId)
      .execute();
    receiver.received = [];
    receiver.script = [200];
    await resumePendingDeliveries(server.db, pino({ level: 'silent' }), server.services.webhooks);
    await until(() => requestRow(stale.alertId), (r) => r.webhook_status === 'delivered');
    const resent = receiver.received.map((r) => (JSON.parse(r.body) as { alertId: string }).alertId);
    assert.ok(resent.includes(stale.alertId), 'the old request was sent again');
    assert.ok(!resent.includes(fresh.alertId), 'the fresh request was left alone');
  });

  test('without a webhook the alert still lands in the inbox and says it was not paged', async () => {
    await configure(CLINIC_A, {});
    const result = dataOf(await alert(await client('crisis-inbox')));
    assert.equal(result.paged, false);
    assert.equal(result.onCall, null);
    assert.equal((await requestRow(result.alertId)).webhook_status, 'not_configured');
    const clinician = await mintToken({ sub: 'crisis-clinician', role: 'clinician' });
    const page = dataOf(await query<{ items: { id: string; source: string; level: string }[] }>(server.baseUrl, 'alerts.list', { status: 'open', limit: 100 }, clinician));
    const listed = page.items.find((a) => a.id === result.alertId);
    assert.deepEqual(listed && { source: listed.source, level: listed.level }, { source: 'crisis', level: 'urgent' });
  });

  test("on-call hours are judged on the clinic's own clock", async () => {
    const tokyo = wallClockNow('Asia/Tokyo');
    const hours = [{ days: [tokyo.day], start: hh(tokyo.hour), end: hh(tokyo.hour + 1 === 24 ? 24 : tokyo.hour + 1) }];
    await configure(CLINIC_A, { hours, timeZone: 'Asia/Tokyo', phone: '+81 3 5555 0100' });
    const open = dataOf(await alert(await client('crisis-tokyo')));
    assert.deepEqual(open.onCall, { timeZone: 'Asia/Tokyo', windows: hours, phone: '+81 3 5555 0100', openNow: true, nextOpenAt: null });
    // The same wall-clock window in New York (13–14 hours behind) is closed now and opens later.
    await configure(CLINIC_A, { hours, timeZone: 'America/New_York' });
    const closed = dataOf(await alert(await client('crisis-ny')));
    assert.equal(closed.onCall?.openNow, false);
    assert.ok(closed.onCall?.nextOpenAt && Date.parse(closed.onCall.nextOpenAt) > Date.now());
    const at = new Date(closed.onCall.nextOpenAt);
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
    assert.equal(parts, hh(tokyo.hour), 'opens at the window start on the New York clock');
  });

  test('a malformed on-call setting does not break the alert', async () => {
    await configure(CLINIC_A, { hours: [{ days: [9], start: '25:00', end: 'x' }], timeZone: 'Not/AZone' });
    const result = await alert(await client('crisis-bad-config'));
    assert.equal(result.status, 200);
  });

  test('only clients raise crisis alerts; bad ids name the field', async () => {
    const clinician = await mintToken({ sub: 'crisis-staff', role: 'clinician' });
    assert.equal((await alert(clinician)).status, 403);
    const bad = await alert(await client('crisis-bad'), 'not-a-uuid');
    assert.equal(bad.status, 400);
    assert.ok(errorOf(bad).data.fieldErrors?.some((f) => f.path === 'clientRequestId'));
    const extra = await mutate(server.baseUrl, 'crisis.alert', { clientRequestId: newRequestId(), clinicId: CLINIC_B }, await client('crisis-bad'));
    assert.equal(extra.status, 400, 'the clinic comes from the token, never the input');
  });
});

describe('crisis.resources', () => {
  test('hotlines for the region and language with emergency number; the secret never leaves the server', async () => {
    await configure(CLINIC_A, { webhook: true, hours: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }], timeZone: 'America/New_York' });
    const token = await client('resources-reader');
    const us = await query<CrisisResources>(server.baseUrl, 'crisis.resources', undefined, token);
    const data = dataOf(us);
    assert.equal(data.region, 'US');
    assert.equal(data.emergency, '911');
    assert.equal(data.lines[0]!.call, '988');
    assert.equal(data.lines[0]!.text, '988');
    assert.ok(data.lines[0]!.chat);
    assert.ok(data.lines.every((l) => l.source && l.lastChecked));
    assert.equal(data.onCall?.timeZone, 'America/New_York');
    assert.ok(!us.text.includes(WEBHOOK_SECRET), 'secret not in the response');
    assert.ok(!us.text.includes(receiver.url), 'webhook URL not in the response');

    const cases: [string, string | undefined, string, string][] = [
      ['en-GB', undefined, '116123', '999'],
      ['en', 'IE', '116123', '112'],
      ['es-ES', undefined, '024', '112'],
      ['fr-FR', undefined, '3114', '112'],
      ['en-AU', undefined, '131114', '000'],
      ['fr-CA', undefined, '988', '911'],
      ['es-MX', undefined, '8009112000', '911'],
      ['de-DE', undefined, '08001110111', '112'],
    ];
    for (const [locale, region, call, emergency] of cases) {
      const r = dataOf(await query<CrisisResources>(server.baseUrl, 'crisis.resources', { locale, ...(region ? { region } : {}) }, token));
      assert.equal(r.lines[0]!.call, call, locale);
      assert.equal(r.emergency, emergency, locale);
    }
  });

  test('staff may read resources but get no contacts; bad input names the field; no token is 401', async () => {
    const staff = await mintToken({ sub: 'resources-staff', role: 'clinician' });
    const r = dataOf(await query<CrisisResources>(server.baseUrl, 'crisis.resources', { locale: 'es' }, staff));
    assert.deepEqual(r.contacts, []);
    const bad = await query(server.baseUrl, 'crisis.resources', { region: 'Narnia' }, staff);
    assert.equal(bad.status, 400);
    assert.ok(errorOf(bad).data.fieldErrors?.some((f) => f.path === 'region'));
    assert.equal((await query(server.baseUrl, 'crisis.resources')).status, 401);
  });
});
