import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { liveClient } from '../../components/core/live-connection.js';
import type { Alert, AlertChange, AlertPage, GroupSession, GroupSummary, PostChange } from '../../server/contract/index.js';
import { openDatabase } from '../../server/db/index.js';
import {
  CLINIC_A,
  CLINIC_B,
  dailyAnswers,
  dataOf,
  freshDatabase,
  mintToken,
  mutate,
  newRequestId,
  query,
  SECRET_A,
  SECRET_B,
  seedClinic,
  startServer,
  type TestServer,
} from './helpers.js';

import { openStream, type Stream } from './event-stream.js';
import { CARE_SERVER } from './care-command.js';

const urgentDaily = () => ({
  clientRequestId: newRequestId(),
  templateId: 'daily',
  answers: dailyAnswers({ mood: 1, craving: 9, used: 'yes' }),
  submittedAt: new Date().toISOString(),
});

const isReady = (e: { kind: string }) => e.kind === 'ready';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- One process: the in-process bus (SQLite) and the authorisation of the streams ----------

describe('live updates in one process on SQLite (in-process bus)', () => {
  let server: TestServer;
  let dir: string;
  before(async () => {
    // Always SQLite, even when the suite runs on PostgreSQL: this is the MemoryLiveBus path.
    dir = mkdtempSync(join(tmpdir(), 'care-live-'));
    server = await startServer({ config: { databaseUrl: `sqlite:${join(dir, 'care.db')}` } });
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a clinician hears of an urgent check-in, a crisis alert and an acknowledgement, with ids only', async () => {
    const staff = await mintToken({ sub: 'nurse-1', role: 'clinician' });
    const client = await mintToken({ sub: 'client-1', role: 'client', name: 'Alice Private' });
    const stream = await openStream(server.baseUrl, 'alerts.onChange', undefined, staff);
    try {
      await stream.next<AlertChange>(isReady);
      dataOf(await mutate(server.baseUrl, 'checkIn.submit', urgentDaily(), client));
      const created = await stream.next<AlertChange>((e) => e.kind === 'created');
      const open = dataOf(await query<AlertPage>(server.baseUrl, 'alerts.list', { status: 'open' }, staff)).items;
      assert.deepEqual(created, { kind: 'created', alertId: open[0]!.id });

      const crisis = dataOf(await mutate<{ alertId: string }>(server.baseUrl, 'crisis.alert', { clientRequestId: newRequestId() }, client));
      assert.deepEqual(await stream.next<AlertChange>((e) => e.kind === 'created'), { kind: 'created', alertId: crisis.alertId });

      dataOf(await mutate<Alert>(server.baseUrl, 'alerts.acknowledge', { alertId: crisis.alertId, note: 'Called her back' }, staff));
      assert.deepEqual(await stream.next<AlertChange>((e) => e.kind === 'acknowledged'), { kind: 'acknowledged', alertId: crisis.alertId });

      // A second acknowledgement changes nothing and says nothing: the next event after it is the next alert.
      dataOf(await mutate<Alert>(server.baseUrl, 'alerts.acknowledge', { alertId: crisis.alertId }, staff));
      dataOf(await mutate(server.baseUrl, 'checkIn.submit', urgentDaily(), client));
      const next = await stream.next<AlertChange>((e) => e.kind === 'created' && e.alertId !== created.alertId && e.alertId !== crisis.alertId);
      assert.deepEqual(stream.seen.at(-1), next);
      assert.equal(stream.seen.filter((e) => (e as AlertChange).kind === 'acknowledged').length, 1);
      for (const event of stream.seen) assert.doesNotMatch(JSON.stringify(event), /Alice|Private|Called/);
    } finally {
      stream.close();
    }
  });

  test('a check-in that raises no alert, or a retried one, publishes nothing', async () => {
    const staff = await mintToken({ sub: 'nurse-2', role: 'admin' });
    const client = await mintToken({ sub: 'client-2', role: 'client' });
    const stream = await openStream(server.baseUrl, 'alerts.onChange', undefined, staff);
    try {
      await stream.next<AlertChange>(isReady);
      dataOf(await mutate(server.baseUrl, 'checkIn.submit', { ...urgentDaily(), answers: dailyAnswers() }, client));
      const urgent = urgentDaily();
      dataOf(await mutate(server.baseUrl, 'checkIn.submit', urgent, client));
      const first = await stream.next<AlertChange>((e) => e.kind === 'created');
      dataOf(await mutate(server.baseUrl, 'checkIn.submit', urgent, client));
      // The retry published nothing: the next event the stream hears is the next new alert.
      dataOf(await mutate(server.baseUrl, 'checkIn.submit', urgentDaily(), client));
      const next = await stream.next<AlertChange>((e) => e.kind === 'created' && e.alertId !== first.alertId);
      assert.deepEqual(stream.seen, [{ kind: 'ready', alertId: null }, first, next]);
    } finally {
      stream.close();
    }
  });
});

describe('who may follow live updates', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  test("a clinician of another clinic hears nothing of this clinic's alerts", async () => {
    const ours = await openStream(server.baseUrl, 'alerts.onChange', undefined, await mintToken({ sub: 'nurse-a', role: 'clinician' }));
    const theirs = await openStream(server.baseUrl, 'alerts.onChange', undefined, await mintToken({ sub: 'nurse-b', role: 'clinician', clinic: CLINIC_B }));
    try {
      await ours.next<AlertChange>(isReady);
      await theirs.next<AlertChange>(isReady);
      dataOf(await mutate(server.baseUrl, 'checkIn.submit', urgentDaily(), await mintToken({ sub: 'client-a', role: 'client' })));
      await ours.next<AlertChange>((e) => e.kind === 'created');
      // Their own clinic's next alert is the first thing they hear: nothing of ours came before it.
      dataOf(await mutate(server.baseUrl, 'checkIn.submit', urgentDaily(), await mintToken({ sub: 'client-b', role: 'client', clinic: CLINIC_B })));
      const own = await theirs.next<AlertChange>((e) => e.kind === 'created');
      assert.deepEqual(theirs.seen, [{ kind: 'ready', alertId: null }, own]);
      assert.ok(!ours.seen.some((e) => (e as AlertChange).alertId === own.alertId), 'and ours hears nothing of theirs');
    } finally {
      ours.close();
      theirs.close();
    }
  });

  test('a client gets 403 and no token gets 401, as an error event', async () => {
    const asClient = await openStream(server.baseUrl, 'alerts.onChange', undefined, await mintToken({ sub: 'client-a', role: 'client' }));
    const error = await asClient.error();
    asClient.close();
    assert.equal(error.data.code, 'FORBIDDEN');
    assert.equal(error.data.httpStatus, 403);
    assert.deepEqual(asClient.seen, []);

    const anonymous = await openStream(server.baseUrl, 'alerts.onChange', undefined, undefined);
    const unauthorized = await anonymous.error();
    anonymous.close();
    assert.equal(unauthorized.data.httpStatus, 401);

    const forged = await openStream(server.baseUrl, 'alerts.onChange', undefined, await mintToken({ sub: 'x', role: 'clinician', secret: SECRET_B }));
    assert.equal((await forged.error()).data.httpStatus, 401);
    forged.close();

    const extra = await openStream(server.baseUrl, 'alerts.onChange', { clinicId: CLINIC_B }, await mintToken({ sub: 'nurse-a', role: 'clinician' }));
    const invalid = (await extra.error()) as Awaited<ReturnType<Stream['error']>> & { data: { fieldErrors: { path: string }[] } };
    extra.close();
    assert.equal(invalid.data.httpStatus, 400);
    assert.deepEqual(invalid.data.fieldErrors.map((f) => f.path), ['clinicId'], 'a clinic cannot be chosen by input');
  });

  test('a stream ends when the token it was opened with expires, and a fresh token opens it again', async () => {
    const soon = Math.floor(Date.now() / 1000) + 2;
    const stream = await openStream(server.baseUrl, 'alerts.onChange', undefined, await mintToken({ sub: 'nurse-exp', role: 'clinician', exp: soon }));
    try {
      await stream.next<AlertChange>(isReady);
      const opened = Date.now();
      const outcome = await Promise.race([stream.ended.then(() => 'ended'), sleep(8000).then(() => 'still open')]);
      assert.equal(outcome, 'ended');
      assert.ok(Date.now() >= soon * 1000 - 50, `ended at expiry, not before (${Date.now() - opened} ms after ready)`);
    } finally {
      stream.close();
    }
    const again = await openStream(server.baseUrl, 'alerts.onChange', undefined, await mintToken({ sub: 'nurse-exp', role: 'clinician' }));
    await again.next<AlertChange>(isReady);
    again.close();
  });

  test('a browser EventSource may send the token as connectionParams instead of a header', async () => {
    const staff = await mintToken({ sub: 'nurse-cp', role: 'clinician' });
    const stream = await openStream(server.baseUrl, 'alerts.onChange', undefined, staff, 'connectionParams');
    try {
      await stream.next<AlertChange>(isReady);
      dataOf(await mutate(server.baseUrl, 'checkIn.submit', urgentDaily(), await mintToken({ sub: 'client-cp', role: 'client' })));
      await stream.next<AlertChange>((e) => e.kind === 'created');
    } finally {
      stream.close();
    }
    // Queries never take a token from the URL.
    const res = await fetch(`${server.baseUrl}/trpc/alerts.list?connectionParams=${encodeURIComponent(JSON.stringify({ token: staff }))}`);
    assert.equal(res.status, 401);
  });

  test('group board events reach members of that group only', async () => {
    const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
    const soon = new Date(Date.now() + 3 * 86_400_000);
    const schedule: GroupSession[] = [{ day: WEEKDAYS[soon.getUTCDay()]!, start: '12:00', minutes: 60 }];
    const admin = await mintToken({ sub: 'admin-g', role: 'admin' });
    const moderator = await mintToken({ sub: 'mod-g', role: 'clinician', name: 'Dr. Mod' });
    const alice = await mintToken({ sub: 'alice-g', role: 'client', name: 'Alice' });
    const bob = await mintToken({ sub: 'bob-g', role: 'client', name: 'Bob' });
    const outsider = await mintToken({ sub: 'olive-g', role: 'client' });
    const elsewhere = await mintToken({ sub: 'bea-g', role: 'clinician', clinic: CLINIC_B });
    const group = dataOf(
      await mutate<GroupSummary>(server.baseUrl, 'groups.create', {
        name: 'Thursday circle', topic: 'recovery', description: '', language: 'en', timeZone: 'UTC', schedule, capacity: 10,
        guidelines: { en: 'Be kind.' }, moderatorIds: ['mod-g'],
      }, admin),
    );
    for (const userId of ['alice-g', 'bob-g']) dataOf(await mutate(server.baseUrl, 'groups.addMember', { groupId: group.id, userId }, moderator));
    dataOf(await mutate(server.baseUrl, 'groups.acceptGuidelines', { groupId: group.id, version: 1 }, alice));

    // Bob has not accepted the guidelines yet: like the board itself, the stream waits for that.
    const bobStream = await openStream(server.baseUrl, 'groups.onPost', { groupId: group.id }, bob);
    assert.equal((await bobStream.error()).data.code, 'PRECONDITION_FAILED');
    bobStream.close();
    for (const [token, code] of [[outsider, 'NOT_FOUND'], [elsewhere, 'NOT_FOUND']] as const) {
      const s = await openStream(server.baseUrl, 'groups.onPost', { groupId: group.id }, token);
      assert.equal((await s.error()).data.code, code);
      s.close();
    }
    const bad = await openStream(server.baseUrl, 'groups.onPost', { groupId: group.id, extra: 1 }, alice);
    assert.equal((await bad.error()).data.httpStatus, 400);
    bad.close();

    const aliceStream = await openStream(server.baseUrl, 'groups.onPost', { groupId: group.id }, alice);
    const modStream = await openStream(server.baseUrl, 'groups.onPost', { groupId: group.id }, moderator);
    try {
      await aliceStream.next<PostChange>(isReady);
      await modStream.next<PostChange>(isReady);
      const post = dataOf(await mutate<{ id: string }>(server.baseUrl, 'groups.post', { groupId: group.id, body: 'Feeling hopeful today' }, alice));
      assert.deepEqual(await modStream.next<PostChange>((e) => e.kind === 'posted'), { kind: 'posted', postId: post.id });
      assert.deepEqual(await aliceStream.next<PostChange>((e) => e.kind === 'posted'), { kind: 'posted', postId: post.id });
      dataOf(await mutate(server.baseUrl, 'groups.hide', { postId: post.id, reason: 'Shares a phone number' }, moderator));
      assert.deepEqual(await aliceStream.next<PostChange>((e) => e.kind === 'hidden'), { kind: 'hidden', postId: post.id });
      for (const event of [...aliceStream.seen, ...modStream.seen]) assert.doesNotMatch(JSON.stringify(event), /hopeful|phone|Alice/);
    } finally {
      aliceStream.close();
      modStream.close();
    }
  });

  test("the widgets' live client (sseLink over fetch, token in a header) receives events", async () => {
    const staff = await mintToken({ sub: 'nurse-client', role: 'clinician' });
    const client = liveClient(server.baseUrl, () => staff);
    const events: AlertChange[] = [];
    let failed: unknown = null;
    const sub = client.alerts.onChange.subscribe(undefined, {
      onData: (e) => events.push(e),
      onError: (e) => {
        failed = e;
      },
    });
    try {
      const until = async (ok: () => boolean) => {
        for (let i = 0; i < 100 && !ok(); i++) await sleep(50);
        assert.ok(ok(), `events: ${JSON.stringify(events)} error: ${String(failed)}`);
      };
      await until(() => events.some(isReady));
      dataOf(await mutate(server.baseUrl, 'checkIn.submit', urgentDaily(), await mintToken({ sub: 'client-w', role: 'client' })));
      await until(() => events.some((e) => e.kind === 'created'));
    } finally {
      sub.unsubscribe();
    }

    const forbidden = liveClient(server.baseUrl, () => null);
    const error = await new Promise<unknown>((resolve) => {
      const s = forbidden.alerts.onChange.subscribe(undefined, { onError: (e) => (s.unsubscribe(), resolve(e)), onData: () => undefined });
    });
    assert.equal((error as { data?: { httpStatus?: number } }).data?.httpStatus, 401);
  });
});

// ---- Two server processes, one PostgreSQL database ------------------------------------------

const POSTGRES = process.env.CARE_TEST_POSTGRES_URL;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Proc {
  baseUrl: string;
  child: ChildProcess;
  stderr: string[];
  stop(): Promise<void>;
}

async function spawnServer(databaseUrl: string, name: string): Promise<Proc> {
  const port = await freePort();
  const child = spawn(process.execPath, [CARE_SERVER], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', CARE_DEMO: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${stderr.join('')}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 300) throw new Error(`${name} did not start: ${stderr.join('')}`);
    await sleep(100);
  }
  return {
    baseUrl,
    child,
    stderr,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('live updates across two server processes on one PostgreSQL database', { skip: POSTGRES ? false : 'CARE_TEST_POSTGRES_URL is not set: the two-process PostgreSQL test needs a server (see scripts/with-postgres.sh)' }, () => {
  let database: { url: string; drop(): Promise<void> };
  let one: Proc;
  let two: Proc;
  before(async () => {
    database = await freshDatabase();
    // Both start at once on an empty database: Kysely's migration lock lets exactly one migrate.
    [one, two] = await Promise.all([spawnServer(database.url, 'server 1'), spawnServer(database.url, 'server 2')]);
    const db = openDatabase(database.url);
    await seedClinic(db, { id: CLINIC_A, secret: SECRET_A });
    await seedClinic(db, { id: CLINIC_B, secret: SECRET_B });
    await db.destroy();
  });
  after(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    await database?.drop();
  });

  test('an urgent check-in on server 2 reaches a clinician following server 1 within seconds', async () => {
    const staff = await mintToken({ sub: 'nurse-pg', role: 'clinician' });
    const onOne = await openStream(one.baseUrl, 'alerts.onChange', undefined, staff);
    const onTwo = await openStream(two.baseUrl, 'alerts.onChange', undefined, staff);
    const otherClinic = await openStream(one.baseUrl, 'alerts.onChange', undefined, await mintToken({ sub: 'nurse-b', role: 'clinician', clinic: CLINIC_B }));
    try {
      await onOne.next<AlertChange>(isReady);
      await onTwo.next<AlertChange>(isReady);
      await otherClinic.next<AlertChange>(isReady);
      const started = Date.now();
      dataOf(await mutate(two.baseUrl, 'checkIn.submit', urgentDaily(), await mintToken({ sub: 'client-pg', role: 'client', name: 'Private Name' })));
      const event = await onOne.next<AlertChange>((e) => e.kind === 'created', 3000);
      const elapsed = Date.now() - started;
      const alerts = dataOf(await query<AlertPage>(one.baseUrl, 'alerts.list', { status: 'open' }, staff)).items;
      assert.equal(event.alertId, alerts[0]!.id, 'the event names the alert server 1 now lists');
      assert.ok(elapsed < 3000, `arrived after ${elapsed} ms`);
      // The publishing process hears it too (through its own LISTEN), and once only.
      assert.deepEqual(await onTwo.next<AlertChange>((e) => e.kind === 'created'), event);

      // And the other way round: acknowledged on server 1, heard on server 2.
      dataOf(await mutate(one.baseUrl, 'alerts.acknowledge', { alertId: event.alertId }, staff));
      assert.deepEqual(await onTwo.next<AlertChange>((e) => e.kind === 'acknowledged', 3000), { kind: 'acknowledged', alertId: event.alertId });
      // Server 1 heard the alert once: the next thing after it was the acknowledgement.
      await onOne.next<AlertChange>((e) => e.kind === 'acknowledged', 3000);
      assert.equal(onOne.seen.filter((e) => (e as AlertChange).kind === 'created').length, 1);
      for (const e of onOne.seen) assert.doesNotMatch(JSON.stringify(e), /Private|client-pg/);
      // Another clinic heard nothing of it: the first thing it hears is its own clinic's next alert.
      dataOf(await mutate(two.baseUrl, 'checkIn.submit', urgentDaily(), await mintToken({ sub: 'client-pg-b', role: 'client', clinic: CLINIC_B })));
      const own = await otherClinic.next<AlertChange>((e) => e.kind === 'created', 3000);
      assert.deepEqual(otherClinic.seen, [{ kind: 'ready', alertId: null }, own], 'another clinic hears nothing of ours');
    } finally {
      onOne.close();
      onTwo.close();
      otherClinic.close();
    }
  });

  test('a listener whose database connection drops reconnects, says resync, and keeps delivering', async () => {
    const staff = await mintToken({ sub: 'nurse-pg2', role: 'admin' });
    const stream = await openStream(one.baseUrl, 'alerts.onChange', undefined, staff);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await stream.next<AlertChange>(isReady);
      const name = new URL(database.url).pathname.slice(1);
      const killed = await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'care-live' and datname = $1`,
        [name],
      );
      assert.equal(killed.rowCount, 2, 'each server process has one listener connection');
      await stream.next<AlertChange>((e) => e.kind === 'resync', 10_000);
      dataOf(await mutate(two.baseUrl, 'checkIn.submit', urgentDaily(), await mintToken({ sub: 'client-pg2', role: 'client' })));
      await stream.next<AlertChange>((e) => e.kind === 'created', 5000);
    } finally {
      stream.close();
      await admin.end();
    }
  });

  test('stopping a server ends its streams at once instead of holding the shutdown', async () => {
    const stream = await openStream(two.baseUrl, 'alerts.onChange', undefined, await mintToken({ sub: 'nurse-stop', role: 'clinician' }));
    await stream.next<AlertChange>(isReady);
    const started = Date.now();
    await two.stop();
    assert.ok(Date.now() - started < 3000, `stopped in ${Date.now() - started} ms`);
    stream.close();
    assert.ok(!two.stderr.join('').includes('"level":50'), `no errors logged: ${two.stderr.join('')}`);
  });
});

// Ids in payloads only: the bus refuses anything that looks like free text.
test('the bus carries id-only payloads', async () => {
  const { isLivePayload, parsePayload, alertsChannel, postsChannel } = await import('../../server/live/bus.js');
  assert.ok(isLivePayload({ kind: 'created', id: randomUUID() }));
  assert.ok(!isLivePayload({ kind: 'created', id: 'Alice Smith relapsed' }));
  assert.ok(!isLivePayload({ note: 'x'.repeat(200) }));
  assert.equal(parsePayload('{"kind":"created","id":"a b"}'), null);
  assert.equal(parsePayload('not json'), null);
  assert.match(alertsChannel('clinic-a'), /^care_alerts_[0-9a-f]{32}$/);
  assert.notEqual(alertsChannel('clinic-a'), alertsChannel('clinic-b'));
  assert.notEqual(postsChannel('clinic-a', 'g1'), postsChannel('clinic-b', 'g1'));
  assert.doesNotMatch(alertsChannel('clinic-a'), /clinic/);
});

test('a reader that falls 100 events behind gets one resync in place of what it missed, then new events', async () => {
  const { MemoryLiveBus, alertsChannel } = await import('../../server/live/index.js');
  const { liveEvents } = await import('../../server/live/events.js');
  const bus = new MemoryLiveBus();
  const channel = alertsChannel('clinic-slow');
  const stream = liveEvents(bus, channel, undefined, undefined, (p) => p.id ?? null, 'ready', 'resync');
  assert.equal((await stream.next()).value, 'ready');
  for (let i = 0; i < 150; i++) bus.publish(channel, { kind: 'created', id: `a${i}` });
  await sleep(50);
  const seen: string[] = [];
  for (let i = 0; i < 101; i++) seen.push((await stream.next()).value as string);
  assert.deepEqual(seen, [...Array.from({ length: 100 }, (_, i) => `a${i}`), 'resync']);
  bus.publish(channel, { kind: 'created', id: 'a-late' });
  assert.equal((await stream.next()).value, 'a-late');
  await bus.close();
  assert.equal((await stream.next()).done, true, 'the stream ends when the bus closes');
});
