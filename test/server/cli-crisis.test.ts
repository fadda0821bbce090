import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { AdminCrisisView, AdminHotline, AdminWebhookTestResult } from '../../server/contract/admin.js';
import type { CrisisResources } from '../../server/contract/crisis.js';
import { signWebhook } from '../../server/domain/webhook.js';
import { adminChanges, adminSnapshot, assertCareRefused, care, careJson } from './cli.js';
import { CLINIC_A, CLINIC_B, dataOf, mintToken, query, startServer, type TestServer } from './helpers.js';

/**
 * `care clinic crisis show|set|test|secret rotate` and `care clinic hotlines list|add|remove`, each
 * run as a real subprocess against the database of a running server: success, refusal (exit 1, the
 * field named, nothing changed), usage (exit 2), and the --json shapes.
 */
let server: TestServer;
let url: string;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}
/** A receiver on 127.0.0.1 answering with `status` and `reply`, remembering what it got. */
async function receiver(status: number, reply: string, delayMs = 0): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const http: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      setTimeout(() => res.writeHead(status, { 'content-type': 'text/plain' }).end(reply), delayMs);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/care-hook`, received, close: () => new Promise((resolve) => http.close(() => resolve())) };
}

before(async () => {
  server = await startServer();
  url = server.config.databaseUrl;
});
after(async () => {
  await server.stop();
});

const assertRefused = (args: string[], field: string) => assertCareRefused(url, args, field, () => adminSnapshot(server.db));

const CRISIS_KEYS = ['onCallHours', 'onCallPhone', 'onCallTimeZone', 'webhookSecretSet', 'webhookUrl'];

describe('care clinic crisis', () => {
  test('set changes the on-call hours, zone and phone in one audited change; show prints them (JSON shape)', async () => {
    const result = await careJson<{ clinicId: string; crisis: AdminCrisisView; changed: { before: Record<string, unknown>; after: Record<string, unknown> }; webhookSecret: string | null }>(url, [
      'clinic', 'crisis', 'set', CLINIC_A, '--on-call-hours', 'Mon-Fri 09:00-17:00; sat 10:00-14:00', '--on-call-time-zone', 'america/new_york', '--on-call-phone', '+1 202 555 0100',
    ]);
    assert.deepEqual(Object.keys(result).sort(), ['changed', 'clinicId', 'crisis', 'webhookSecret']);
    assert.deepEqual(Object.keys(result.crisis).sort(), CRISIS_KEYS);
    assert.deepEqual(result.crisis, {
      onCallHours: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }, { days: [6], start: '10:00', end: '14:00' }],
      onCallTimeZone: 'America/New_York',
      onCallPhone: '+1 202 555 0100',
      webhookUrl: null,
      webhookSecretSet: false,
    });
    assert.equal(result.webhookSecret, null);
    const shown = await careJson<{ crisis: AdminCrisisView }>(url, ['clinic', 'crisis', 'show', CLINIC_A]);
    assert.deepEqual(shown.crisis, result.crisis);
    const human = await care(url, ['clinic', 'crisis', 'show', CLINIC_A]);
    assert.equal(human.code, 0);
    assert.match(human.stdout, /on-call hours: +Mon-Fri 09:00-17:00; Sat 10:00-14:00/);

    const change = (await adminChanges(server.db, CLINIC_A)).at(-1)!;
    assert.equal(change.action, 'clinic.crisis.set');
    assert.deepEqual(change.before, { onCallHours: [], onCallTimeZone: null, onCallPhone: null });
    assert.deepEqual(Object.keys(change.after as object).sort(), ['onCallHours', 'onCallPhone', 'onCallTimeZone']);

    // What clients get from crisis.resources is what was set.
    const client = await mintToken({ sub: 'cli-crisis-client', role: 'client' });
    const resources = dataOf(await query<CrisisResources>(server.baseUrl, 'crisis.resources', undefined, client));
    assert.equal(resources.onCall?.phone, '+1 202 555 0100');
    assert.equal(resources.onCall?.timeZone, 'America/New_York');
  });

  test('set refuses bad values naming the field, changes nothing, and needs an option (usage)', async () => {
    await assertRefused(['clinic', 'crisis', 'set', CLINIC_A, '--on-call-hours', 'Mon-Fri 18:00-09:00'], 'onCallHours.0.end');
    await assertRefused(['clinic', 'crisis', 'set', CLINIC_A, '--on-call-hours', 'Someday 09:00-17:00'], 'onCallHours');
    await assertRefused(['clinic', 'crisis', 'set', CLINIC_A, '--on-call-hours', '[{"days":[0],"start":"09:00","end":"10:00"}]'], 'onCallHours.0.days');
    await assertRefused(['clinic', 'crisis', 'set', CLINIC_A, '--on-call-time-zone', 'Mars/Olympus', '--on-call-phone', '+1 555 0101'], 'onCallTimeZone');
    await assertRefused(['clinic', 'crisis', 'set', CLINIC_A, '--on-call-phone', 'call me maybe'], 'onCallPhone');
    await assertRefused(['clinic', 'crisis', 'set', CLINIC_A, '--webhook-url', 'http://pager.example.org/hook'], 'webhookUrl');
    await assertRefused(['clinic', 'crisis', 'set', 'no-such-clinic', '--on-call-phone', '+1 555 0101'], 'clinic');
    await assertRefused(['clinic', 'crisis', 'test', CLINIC_B], 'webhookUrl');
    const snapshot = await adminSnapshot(server.db);
    const usage = await care(url, ['clinic', 'crisis', 'set', CLINIC_A]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--on-call-hours/);
    assert.equal(await adminSnapshot(server.db), snapshot);
  });

  test('a first webhook URL prints its signing secret once; test sends a signed, marked test alert and shows the answer; no alert is opened', async () => {
    const hook = await receiver(202, 'queued for the on-call nurse');
    try {
      const set = await careJson<{ crisis: AdminCrisisView; webhookSecret: string }>(url, ['clinic', 'crisis', 'set', CLINIC_A, '--webhook-url', hook.url]);
      assert.equal(set.crisis.webhookUrl, hook.url);
      assert.equal(set.crisis.webhookSecretSet, true);
      assert.match(set.webhookSecret, /^[A-Za-z0-9_-]{43}$/);
      const changes = await adminChanges(server.db, CLINIC_A);
      assert.deepEqual(changes.at(-1)!.after, { webhookUrl: hook.url, webhookSecret: 'created' });
      assert.ok(!JSON.stringify(changes).includes(set.webhookSecret), 'the secret is not in the audit');
      const again = await careJson<{ webhookSecret: string | null }>(url, ['clinic', 'crisis', 'show', CLINIC_A]);
      assert.ok(!JSON.stringify(again).includes(set.webhookSecret), 'show never prints the secret');

      const alertsBefore = await server.db.selectFrom('alerts').select('id').execute();
      const requestsBefore = await server.db.selectFrom('crisis_requests').select('id').execute();
      const result = await careJson<AdminWebhookTestResult & { clinicId: string }>(url, ['clinic', 'crisis', 'test', CLINIC_A]);
      assert.deepEqual(Object.keys(result).sort(), ['bodyExcerpt', 'clinicId', 'deliveryId', 'durationMs', 'error', 'errorMessage', 'ok', 'sentAt', 'statusCode', 'url']);
      assert.equal(result.ok, true);
      assert.equal(result.statusCode, 202);
      assert.equal(result.bodyExcerpt, 'queued for the on-call nurse');
      assert.equal(result.error, null);
      assert.equal(hook.received.length, 1);
      const [got] = hook.received;
      assert.equal(got!.headers['x-care-event'], 'crisis.test');
      assert.equal(got!.headers['x-care-signature'], signWebhook(set.webhookSecret, String(got!.headers['x-care-timestamp']), got!.body), 'signed with the printed secret');
      const payload = JSON.parse(got!.body) as Record<string, unknown>;
      assert.equal(payload.type, 'crisis.test');
      assert.equal(payload.test, true);
      assert.equal(payload.clientId, null);
      assert.match(String(payload.message), /TEST ALERT/);
      assert.equal((await server.db.selectFrom('alerts').select('id').execute()).length, alertsBefore.length, 'no alert was opened');
      assert.equal((await server.db.selectFrom('crisis_requests').select('id').execute()).length, requestsBefore.length, 'no crisis request');
      assert.equal((await adminChanges(server.db, CLINIC_A)).at(-1)!.action, 'clinic.crisis.test');

      const human = await care(url, ['clinic', 'crisis', 'test', CLINIC_A]);
      assert.equal(human.code, 0);
      assert.match(human.stdout, /answered HTTP 202/);
      assert.match(human.stdout, /queued for the on-call nurse/);
    } finally {
      await hook.close();
    }
  });

  test('test reports a receiver error status and a refused connection in words, with exit 1', async () => {
    const failing = await receiver(503, 'pager maintenance');
    try {
      await careJson(url, ['clinic', 'crisis', 'set', CLINIC_A, '--webhook-url', failing.url]);
      const result = await care(url, ['--json', 'clinic', 'crisis', 'test', CLINIC_A]);
      assert.equal(result.code, 1);
      const body = JSON.parse(result.stdout) as AdminWebhookTestResult;
      assert.equal(body.ok, false);
      assert.equal(body.statusCode, 503);
      assert.equal(body.bodyExcerpt, 'pager maintenance');
    } finally {
      await failing.close();
    }
    // The receiver is gone: nothing listens on its port any more.
    const gone = await care(url, ['clinic', 'crisis', 'test', CLINIC_A]);
    assert.equal(gone.code, 1);
    assert.match(gone.stdout, /got no answer: the connection was refused/);
    const slow = await receiver(200, 'late', 3000);
    try {
      await careJson(url, ['clinic', 'crisis', 'set', CLINIC_A, '--webhook-url', slow.url]);
      const timedOut = await care(url, ['--json', 'clinic', 'crisis', 'test', CLINIC_A, '--timeout', '1s']);
      assert.equal(timedOut.code, 1);
      const body = JSON.parse(timedOut.stdout) as AdminWebhookTestResult;
      assert.deepEqual([body.error, body.errorMessage, body.statusCode], ['timeout', 'no answer within 1 s', null]);
    } finally {
      await slow.close();
    }
  });

  test('secret rotate prints a new secret once; the audit says only "rotated"', async () => {
    const first = await careJson<{ secret: string; crisis: AdminCrisisView }>(url, ['clinic', 'crisis', 'secret', 'rotate', CLINIC_A]);
    const second = await careJson<{ secret: string }>(url, ['clinic', 'crisis', 'secret', 'rotate', CLINIC_A]);
    assert.notEqual(first.secret, second.secret);
    assert.equal(first.crisis.webhookSecretSet, true);
    const stored = await server.db.selectFrom('clinics').select('crisis_webhook_secret').where('id', '=', CLINIC_A).executeTakeFirstOrThrow();
    assert.equal(stored.crisis_webhook_secret, second.secret);
    const changes = await adminChanges(server.db, CLINIC_A);
    assert.deepEqual(changes.at(-1)!.after, { webhookSecret: 'rotated' });
    assert.ok(!JSON.stringify(changes).includes(first.secret) && !JSON.stringify(changes).includes(second.secret));
    await assertRefused(['clinic', 'crisis', 'secret', 'rotate', 'no-such-clinic'], 'clinic');
  });
});

describe('care clinic hotlines', () => {
  test("add, list and remove the clinic's own lines; clients get them after the region's lines", async () => {
    const added = await careJson<{ clinicId: string; hotline: AdminHotline; clinicLines: AdminHotline[] }>(url, [
      'clinic', 'hotlines', 'add', CLINIC_A, '--name', 'Harbor night line', '--call', '+1 202 555 0199', '--hours', '20:00–08:00', '--language', 'es',
    ]);
    assert.deepEqual(Object.keys(added).sort(), ['clinicId', 'clinicLines', 'hotline']);
    assert.deepEqual(Object.keys(added.hotline).sort(), ['call', 'createdAt', 'hours', 'id', 'language', 'name', 'text', 'url']);
    assert.deepEqual({ ...added.hotline, id: undefined, createdAt: undefined }, { id: undefined, createdAt: undefined, name: 'Harbor night line', call: '+1 202 555 0199', text: null, url: null, hours: '20:00–08:00', language: 'es' });
    const listed = await careJson<{ region: string; regionLines: { name: string }[]; clinicLines: AdminHotline[] }>(url, ['clinic', 'hotlines', 'list', CLINIC_A]);
    assert.equal(listed.region, 'US');
    assert.ok(listed.regionLines.some((l) => l.name === '988 Suicide & Crisis Lifeline'));
    assert.deepEqual(listed.clinicLines.map((l) => l.id), [added.hotline.id]);

    const client = await mintToken({ sub: 'cli-hotline-client', role: 'client' });
    const resources = dataOf(await query<CrisisResources>(server.baseUrl, 'crisis.resources', { locale: 'en-US' }, client));
    assert.deepEqual(resources.lines.map((l) => l.name), ['988 Suicide & Crisis Lifeline', 'Harbor night line'], "the region's lines first, then the clinic's");
    assert.deepEqual(resources.lines[1], { name: 'Harbor night line', call: '+12025550199', callDisplay: '+1 202 555 0199', languages: ['es'], hours: '20:00–08:00', source: 'clinic', lastChecked: added.hotline.createdAt.slice(0, 10), addedByClinic: true });
    const other = await mintToken({ sub: 'b-client', role: 'client', clinic: CLINIC_B });
    assert.ok(!dataOf(await query<CrisisResources>(server.baseUrl, 'crisis.resources', undefined, other)).lines.some((l) => l.name === 'Harbor night line'), "another clinic's clients do not get it");

    const change = (await adminChanges(server.db, CLINIC_A)).at(-1)!;
    assert.equal(change.action, 'clinic.hotlines.add');
    assert.equal(change.before, null);

    const removed = await careJson<{ hotline: AdminHotline; clinicLines: AdminHotline[] }>(url, ['clinic', 'hotlines', 'remove', CLINIC_A, added.hotline.id]);
    assert.equal(removed.hotline.id, added.hotline.id);
    assert.deepEqual(removed.clinicLines, []);
    assert.equal((await adminChanges(server.db, CLINIC_A)).at(-1)!.action, 'clinic.hotlines.remove');
    assert.deepEqual(dataOf(await query<CrisisResources>(server.baseUrl, 'crisis.resources', { locale: 'en-US' }, client)).lines.map((l) => l.name), ['988 Suicide & Crisis Lifeline']);
  });

  test('add and remove refuse bad values naming the field, and changes nothing', async () => {
    await assertRefused(['clinic', 'hotlines', 'add', CLINIC_A, '--name', 'No way to reach it', '--language', 'en'], 'call');
    await assertRefused(['clinic', 'hotlines', 'add', CLINIC_A, '--name', 'Chat', '--url', 'http://chat.example.org', '--language', 'en'], 'url');
    await assertRefused(['clinic', 'hotlines', 'add', CLINIC_A, '--name', 'Line', '--call', '988', '--language', 'xx'], 'language');
    await assertRefused(['clinic', 'hotlines', 'add', CLINIC_A, '--name', 'Line', '--text', 'TEXT ME', '--language', 'en'], 'text');
    await assertRefused(['clinic', 'hotlines', 'add', CLINIC_A, '--name', '   ', '--call', '988', '--language', 'en'], 'name');
    await assertRefused(['clinic', 'hotlines', 'remove', CLINIC_A, 'no-such-line'], 'id');
    await assertRefused(['clinic', 'hotlines', 'list', 'no-such-clinic'], 'clinic');
    const usage = await care(url, ['clinic', 'hotlines', 'add', CLINIC_A, '--call', '988']);
    assert.equal(usage.code, 2);
  });
});
