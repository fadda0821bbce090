import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { pino } from 'pino';
import type { Alert, AlertPage, CrisisAlertResult } from '../../server/contract/index.js';
import { openDatabase } from '../../server/db/index.js';
import { migrations } from '../../server/db/migrations/index.js';
import { resumePendingDeliveries } from '../../server/domain/webhook.js';
import {
  CLINIC_A,
  dailyAnswers,
  dataOf,
  freshDatabase,
  mintToken,
  mutate,
  newRequestId,
  query,
  seedClinic,
  startServer,
  type TestServer,
} from './helpers.js';

// Fast retries: the tests wait for deliveries to settle (CARE_WEBHOOK_RETRY_MS, CARE_WEBHOOK_TIMEOUT_MS).
const fastWebhooks = () => ({ retryDelaysMs: [40, 40, 40], timeoutMs: 400 });

const WEBHOOK_SECRET = 'whsec-hardening-0123456789abcdef';
const PERSON_NAME = 'Quentin Zebulon-Marchetti';

/** The clinic's on-call pager: records every request body. */
class Pager {
  bodies: string[] = [];
  url = '';
  private server!: Server;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.bodies.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/pager`;
  }

  pagesFor(alertId: string): Record<string, unknown>[] {
    return this.bodies.map((b) => JSON.parse(b) as Record<string, unknown>).filter((b) => b.alertId === alertId);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let server: TestServer;
const pager = new Pager();

before(async () => {
  server = await startServer({ config: { webhooks: fastWebhooks() } });
  await pager.start();
  await server.db
    .updateTable('clinics')
    .set({ crisis_webhook_url: pager.url, crisis_webhook_secret: WEBHOOK_SECRET })
    .where('id', '=', CLINIC_A)
    .execute();
});
after(async () => {
  await server.services.webhooks.settled();
  await pager.stop();
  await server.stop();
});
beforeEach(() => {
  pager.bodies = [];
});

const clientToken = (sub: string) => mintToken({ sub, role: 'client', name: PERSON_NAME });
const press = (token: string, extra: Record<string, unknown> = {}) =>
  mutate<CrisisAlertResult>(server.baseUrl, 'crisis.alert', { clientRequestId: newRequestId(), ...extra }, token);

async function openCrisisAlerts(clientId: string): Promise<Alert[]> {
  const staff = await mintToken({ sub: 'hardening-clinician', role: 'clinician' });
  const page = dataOf(await query<AlertPage>(server.baseUrl, 'alerts.list', { status: 'open', limit: 100 }, staff));
  return page.items.filter((a) => a.clientId === clientId && a.source === 'crisis');
}

async function acknowledge(alertId: string): Promise<void> {
  const staff = await mintToken({ sub: 'hardening-clinician', role: 'clinician' });
  dataOf(await mutate(server.baseUrl, 'alerts.acknowledge', { alertId }, staff));
}

/** Waits until every delivery started so far has finished, then a little longer for stragglers. */
async function settled(): Promise<void> {
  await new Promise((r) => setTimeout(r, 100));
  await server.services.webhooks.settled();
}

const requestRows = (clientId: string) =>
  server.db.selectFrom('crisis_requests').selectAll().where('clinic_id', '=', CLINIC_A).where('client_id', '=', clientId).execute();

describe('crisis alerts from one person collapse into one open alert', () => {
  test('repeated presses while the alert is open update it, are each recorded, and page the on-call system once', async () => {
    const token = await clientToken('collapse-sequential');
    const results: CrisisAlertResult[] = [];
    for (let i = 0; i < 5; i++) {
      results.push(dataOf(await press(token, { requestedAt: new Date(Date.now() - (5 - i) * 1000).toISOString() })));
    }
    const alertId = results[0]!.alertId;
    assert.deepEqual(results.map((r) => r.alertId), Array(5).fill(alertId), 'every press answers with the open alert');
    assert.ok(results.every((r) => r.paged), 'every press says the pager was reached or is being reached');
    assert.equal(new Set(results.map((r) => r.clientRequestId)).size, 5);

    const open = await openCrisisAlerts('collapse-sequential');
    assert.equal(open.length, 1);
    assert.equal(open[0]!.repeats, 4, 'four presses after the first');
    assert.ok(open[0]!.lastRequestedAt && Date.parse(open[0]!.lastRequestedAt) >= Date.parse(open[0]!.createdAt) - 6000);
    const rows = await requestRows('collapse-sequential');
    assert.equal(rows.length, 5, 'one request row per press');
    assert.ok(rows.every((r) => r.alert_id === alertId));

    await settled();
    assert.equal(pager.pagesFor(alertId).length, 1, 'one page for the open alert');
    assert.equal(pager.bodies.length, 1);
    // A retried press (same clientRequestId) is still that press, not another repeat.
    const again = dataOf(await mutate<CrisisAlertResult>(server.baseUrl, 'crisis.alert', { clientRequestId: results[2]!.clientRequestId }, token));
    assert.equal(again.alertId, alertId);
    assert.equal(again.paged, true);
    assert.equal((await openCrisisAlerts('collapse-sequential'))[0]!.repeats, 4);
  });

  test('50 concurrent presses give exactly one open alert and one page', async () => {
    const token = await clientToken('collapse-concurrent');
    const results = (await Promise.all(Array.from({ length: 50 }, () => press(token)))).map(dataOf);
    const alertIds = new Set(results.map((r) => r.alertId));
    assert.equal(alertIds.size, 1, 'every press answers with the same alert');
    assert.ok(results.every((r) => r.paged));
    const open = await openCrisisAlerts('collapse-concurrent');
    assert.equal(open.length, 1);
    assert.equal(open[0]!.id, results[0]!.alertId);
    assert.equal(open[0]!.repeats, 49);
    assert.equal((await requestRows('collapse-concurrent')).length, 50);
    await settled();
    assert.equal(pager.bodies.length, 1, 'one page');
  });

  test('one batched request with as many presses as a batch may hold gives one open alert and one page', async () => {
    const token = await clientToken('collapse-batched');
    const count = server.config.maxBatchSize;
    const paths = Array(count).fill('crisis.alert').join(',');
    const body = Object.fromEntries(Array.from({ length: count }, (_, i) => [String(i), { clientRequestId: randomUUID() }]));
    const res = await fetch(`${server.baseUrl}/trpc/${paths}?batch=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200);
    const answers = (await res.json()) as { result?: { data: CrisisAlertResult } }[];
    assert.equal(answers.length, count);
    assert.equal(new Set(answers.map((a) => a.result?.data.alertId)).size, 1);
    const open = await openCrisisAlerts('collapse-batched');
    assert.equal(open.length, 1);
    assert.equal(open[0]!.repeats, count - 1);
    await settled();
    assert.equal(pager.bodies.length, 1, 'one page');
  });

  test('once a clinician acknowledged the alert, the next press makes a new alert and a new page', async () => {
    const token = await clientToken('collapse-after-ack');
    const first = dataOf(await press(token));
    await settled();
    await acknowledge(first.alertId);
    const second = dataOf(await press(token));
    const third = dataOf(await press(token));
    assert.notEqual(second.alertId, first.alertId);
    assert.equal(third.alertId, second.alertId);
    assert.ok(second.paged && third.paged);
    const open = await openCrisisAlerts('collapse-after-ack');
    assert.deepEqual(open.map((a) => [a.id, a.repeats]), [[second.alertId, 1]]);
    await settled();
    assert.equal(pager.pagesFor(first.alertId).length, 1);
    assert.equal(pager.pagesFor(second.alertId).length, 1);
    assert.equal(pager.bodies.length, 2);
  });

  test('risk alerts from check-ins are not collapsed with each other or with an open crisis alert', async () => {
    const sub = 'collapse-check-ins';
    const token = await clientToken(sub);
    dataOf(await press(token));
    for (let i = 0; i < 2; i++) {
      const submitted = dataOf(
        await mutate<{ risk: { level: string } }>(
          server.baseUrl,
          'checkIn.submit',
          { clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers({ craving: 10, used: 'yes' }), submittedAt: new Date().toISOString() },
          token,
        ),
      );
      assert.notEqual(submitted.risk.level, 'none');
    }
    const staff = await mintToken({ sub: 'hardening-clinician', role: 'clinician' });
    const page = dataOf(await query<AlertPage>(server.baseUrl, 'alerts.list', { status: 'open', limit: 100 }, staff));
    const mine = page.items.filter((a) => a.clientId === sub);
    assert.equal(mine.filter((a) => a.source === 'check_in').length, 2);
    assert.equal(mine.filter((a) => a.source === 'crisis').length, 1);
    assert.ok(mine.filter((a) => a.source === 'check_in').every((a) => a.repeats === 0 && a.lastRequestedAt === null));
  });
});

describe('crisis webhook payload', () => {
  const ID_ONLY_KEYS = ['alertId', 'clientId', 'clinicId', 'createdAt', 'deliveryId', 'level', 'requestedAt', 'type'];

  test('carries ids only: no name field and no name text, also when a stopped server’s page is resumed', async () => {
    const sub = 'payload-ids-only';
    const result = dataOf(await press(await clientToken(sub), { requestedAt: new Date().toISOString() }));
    await settled();
    const [page] = pager.pagesFor(result.alertId);
    assert.ok(page, 'paged');
    assert.deepEqual(Object.keys(page).sort(), ID_ONLY_KEYS);
    assert.equal(page.clientId, sub);
    assert.ok(!pager.bodies.some((b) => b.includes('Quentin') || b.includes('Zebulon')), 'the person’s name is not sent');

    // As if the server had stopped before delivering: the next start resends it.
    await server.db
      .updateTable('crisis_requests')
      .set({ webhook_status: 'pending', created_at: new Date(Date.now() - 3_600_000).toISOString() })
      .where('alert_id', '=', result.alertId)
      .execute();
    pager.bodies = [];
    await resumePendingDeliveries(server.db, pino({ level: 'silent' }), server.services.webhooks);
    await settled();
    const [resumed] = pager.pagesFor(result.alertId);
    assert.ok(resumed, 'resumed');
    assert.deepEqual(Object.keys(resumed).sort(), [...ID_ONLY_KEYS, 'resumed'].sort());
    assert.ok(!pager.bodies.some((b) => b.includes('Quentin') || b.includes('Zebulon')));
  });
});

describe('upgrading a database that already holds duplicate open crisis alerts', () => {
  const LEGACY = 'clinic-legacy';
  const LEGACY_SECRET = 'clinic-legacy-secret-0123456789-abcdefghij';

  test('keeps every row, leaves one open crisis alert per person holding all presses, and later presses attach to it', async () => {
    const database = await freshDatabase();
    // The database as it was before the migration under test: its schema is not today's Database.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const old = openDatabase(database.url) as unknown as Kysely<any>;
    const before = await new Migrator({ db: old, provider: { getMigrations: async () => migrations } }).migrateTo('2026-11-25-006-clinician');
    assert.equal(before.error, undefined);
    await seedClinic(old, { id: LEGACY, secret: LEGACY_SECRET });
    const at = Object.fromEntries([90, 80, 30, 20, 15, 10, 5].map((m) => [m, new Date(Date.now() - m * 60_000).toISOString()]));
    const minutesAgo = (m: number) => at[m]!;
    const alertRow = (id: string, clientId: string, createdAt: string, acknowledgedAt: string | null, source = 'crisis') => ({
      id,
      clinic_id: LEGACY,
      client_id: clientId,
      check_in_id: null,
      source,
      level: 'urgent',
      reasons: '[]',
      created_at: createdAt,
      acknowledged_at: acknowledgedAt,
      acknowledged_by: acknowledgedAt ? 'dr-old' : null,
      ack_note: null,
    });
    const requestRow = (alertId: string, clientId: string, createdAt: string) => ({
      id: randomUUID(),
      clinic_id: LEGACY,
      client_id: clientId,
      client_request_id: randomUUID(),
      alert_id: alertId,
      requested_at: null,
      created_at: createdAt,
      webhook_status: 'delivered',
    });
    await old
      .insertInto('alerts')
      .values([
        alertRow('dup-1', 'legacy-client', minutesAgo(30), null),
        alertRow('dup-2', 'legacy-client', minutesAgo(20), null),
        alertRow('dup-3', 'legacy-client', minutesAgo(10), null),
        alertRow('old-acked', 'legacy-client', minutesAgo(90), minutesAgo(80)),
        alertRow('risk-1', 'legacy-client', minutesAgo(5), null, 'check_in'),
        alertRow('single', 'legacy-other', minutesAgo(15), null),
      ])
      .execute();
    await old
      .insertInto('crisis_requests')
      .values([
        requestRow('dup-1', 'legacy-client', minutesAgo(30)),
        requestRow('dup-2', 'legacy-client', minutesAgo(20)),
        requestRow('dup-3', 'legacy-client', minutesAgo(10)),
        requestRow('old-acked', 'legacy-client', minutesAgo(90)),
        requestRow('single', 'legacy-other', minutesAgo(15)),
      ])
      .execute();
    await old.destroy();

    const upgraded = await startServer({ database, config: { webhooks: fastWebhooks() } });
    try {
      const all = await upgraded.db.selectFrom('alerts').selectAll().where('clinic_id', '=', LEGACY).orderBy('created_at').execute();
      assert.equal(all.length, 6, 'no alert row is lost');
      const staff = await mintToken({ sub: 'legacy-staff', role: 'clinician', clinic: LEGACY, secret: LEGACY_SECRET });
      const open = dataOf(await query<AlertPage>(upgraded.baseUrl, 'alerts.list', { status: 'open', limit: 100 }, staff)).items;
      const crisis = open.filter((a) => a.clientId === 'legacy-client' && a.source === 'crisis');
      assert.deepEqual(crisis.map((a) => [a.id, a.repeats]), [['dup-1', 2]], 'the first alert stays open and counts the later presses');
      assert.equal(crisis[0]!.lastRequestedAt, minutesAgo(10), 'the last press of the three');
      const merged = all.filter((a) => a.id === 'dup-2' || a.id === 'dup-3');
      assert.ok(merged.every((a) => a.acknowledged_at !== null && a.ack_note?.includes('dup-1')), 'later duplicates are closed with a note naming the alert that holds them');
      assert.ok(open.some((a) => a.id === 'risk-1'), 'check-in alerts are untouched');
      assert.ok(open.some((a) => a.id === 'single' && a.repeats === 0));
      const acked = await upgraded.db.selectFrom('alerts').selectAll().where('id', '=', 'old-acked').executeTakeFirstOrThrow();
      assert.equal(acked.acknowledged_by, 'dr-old', 'earlier acknowledgements are kept as they were');

      const token = await mintToken({ sub: 'legacy-client', role: 'client', clinic: LEGACY, secret: LEGACY_SECRET });
      const next = dataOf(await mutate<CrisisAlertResult>(upgraded.baseUrl, 'crisis.alert', { clientRequestId: newRequestId() }, token));
      assert.equal(next.alertId, 'dup-1');
    } finally {
      await upgraded.stop();
    }
  });
});
