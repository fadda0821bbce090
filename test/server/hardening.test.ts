/**
 * What an outside probe broke (issue 11), kept as categories so it stays fixed: sign-in lock-outs,
 * memory growth by input, batching and limits, proxies, streams, demo data, text the databases
 * cannot keep, caching of health data, token lifetimes and stalled connections.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { createApp } from '../../server/app.js';
import { ConfigError, configFromEnv, DEFAULT_DATABASE_URL, DEMO_DATABASE_URL, parseTrustProxy } from '../../server/config.js';
import { cachedTimeZoneFormatters, isTimeZone } from '../../server/contract/time-zone.js';
import { DEMO_CLINIC_ID, DEMO_SECRET } from '../../server/demo/seed.js';
import { listen } from '../../server/http-server.js';
import { openStream } from './event-stream.js';
import {
  CLINIC_A,
  CLINIC_B,
  countRows,
  dailyAnswers,
  dataOf,
  errorOf,
  freshDatabase,
  mintToken,
  mutate,
  newRequestId,
  query,
  rawRequest,
  startServer,
  type TestServer,
} from './helpers.js';
import { CARE_SERVER } from './care-command.js';

const defaults = configFromEnv({});
const submitDaily = (token: string, overrides: Record<string, unknown> = {}) =>
  mutate(server.baseUrl, 'checkIn.submit', { clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers(), submittedAt: new Date().toISOString(), ...overrides }, token);
let server: TestServer;

/** `GET /trpc/a,a,a?batch=1`: the same query `calls` times in one request. */
function batchedQuery(baseUrl: string, path: string, calls: number, token: string) {
  const input = Object.fromEntries(Array.from({ length: calls }, (_, i) => [String(i), {}]));
  return rawRequest(baseUrl, `/trpc/${Array(calls).fill(path).join(',')}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`, {
    headers: { authorization: `Bearer ${token}` },
  });
}

describe('sign-in lock-out counts only refused tokens', () => {
  test('live-update streams opened and dropped, and aborted requests, never lock an address out', async () => {
    server = await startServer({ config: { authFailureLimit: 5, streamsPerToken: 100 } });
    try {
      const staff = await mintToken({ sub: 'nurse', role: 'clinician' });
      for (let i = 0; i < 20; i++) {
        const stream = await openStream(server.baseUrl, 'alerts.onChange', undefined, staff);
        await stream.next();
        stream.close();
      }
      for (let i = 0; i < 10; i++) {
        const abort = new AbortController();
        const pending = fetch(`${server.baseUrl}/trpc/checkIn.templates`, { headers: { authorization: `Bearer ${staff}` }, signal: abort.signal }).catch(() => undefined);
        abort.abort();
        await pending;
      }
      assert.equal((await query(server.baseUrl, 'checkIn.templates', undefined, staff)).status, 200);
    } finally {
      await server.stop();
    }
  });

  test('150 people behind one address check in at once with the default limits', async () => {
    server = await startServer({
      config: { authFailureLimit: defaults.authFailureLimit, rateLimitPerIp: defaults.rateLimitPerIp, rateLimitPerToken: defaults.rateLimitPerToken },
    });
    try {
      const tokens = await Promise.all(Array.from({ length: 150 }, (_, i) => mintToken({ sub: `nat-${i}`, role: 'client' })));
      const statuses = (await Promise.all(tokens.map((token) => submitDaily(token)))).map((r) => r.status);
      assert.deepEqual(statuses.filter((s) => s !== 200), []);
    } finally {
      await server.stop();
    }
  });

  test('expired tokens the clinic signed are not guesses; refused ones are counted', async () => {
    server = await startServer({ config: { authFailureLimit: 3 } });
    try {
      const expired = await mintToken({ sub: 'late', role: 'client', exp: Math.floor(Date.now() / 1000) - 60 });
      for (let i = 0; i < 6; i++) assert.equal((await query(server.baseUrl, 'checkIn.templates', undefined, expired)).status, 401);
      const valid = await mintToken({ sub: 'fine', role: 'client' });
      assert.equal((await query(server.baseUrl, 'checkIn.templates', undefined, valid)).status, 200);
      const forged = await mintToken({ sub: 'guess', role: 'client', secret: 'not-the-clinic-secret-0123456789abcdef' });
      for (let i = 0; i < 3; i++) assert.equal((await query(server.baseUrl, 'checkIn.templates', undefined, forged)).status, 401);
      const locked = await query(server.baseUrl, 'checkIn.templates', undefined, valid);
      assert.equal(locked.status, 429);
      assert.match(errorOf(locked).message, /failed sign-ins/);
    } finally {
      await server.stop();
    }
  });
});

describe('memory that input can grow is bounded', () => {
  test('time-zone spellings map to one canonical zone and keep one formatter', async () => {
    server = await startServer();
    try {
      const token = await mintToken({ sub: 'zones', role: 'client' });
      const spellings = ['america/new_york', 'AMERICA/NEW_YORK', 'America/New_york', 'aMeRiCa/nEw_YoRk'];
      for (const timeZone of spellings) {
        const summary = dataOf(await query<{ timeZone: string }>(server.baseUrl, 'progress.summary', { timeZone }, token));
        assert.equal(summary.timeZone, 'America/New_York');
      }
      const before = cachedTimeZoneFormatters();
      // Every case variant of a long zone name (2^20 exist): formatters stay per canonical zone.
      const zone = 'America/Argentina/ComodRivadavia';
      for (let i = 0; i < 5_000; i++) {
        const variant = [...zone].map((c, j) => ((i >> (j % 20)) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');
        assert.ok(isTimeZone(variant), variant);
      }
      assert.ok(cachedTimeZoneFormatters() <= before + 1, `formatters grew from ${before} to ${cachedTimeZoneFormatters()}`);
    } finally {
      await server.stop();
    }
  });
});

describe('batched requests', () => {
  before(async () => {
    server = await startServer({ config: { rateLimitPerToken: 5, maxBatchSize: 20 } });
  });
  after(() => server.stop());

  test('each call of a batch counts against the per-token limit', async () => {
    const token = await mintToken({ sub: 'batcher', role: 'client' });
    assert.equal((await batchedQuery(server.baseUrl, 'checkIn.templates', 3, token)).status, 200);
    const over = await batchedQuery(server.baseUrl, 'checkIn.templates', 3, token);
    assert.equal(over.status, 429);
    const alone = await mintToken({ sub: 'batcher-2', role: 'client' });
    assert.equal((await batchedQuery(server.baseUrl, 'checkIn.templates', 6, alone)).status, 429);
  });

  test('a batch of more calls than allowed is refused as a whole', async () => {
    const token = await mintToken({ sub: 'big-batch', role: 'client' });
    const res = await batchedQuery(server.baseUrl, 'health', 21, token);
    assert.equal(res.status, 400);
  });
});

describe('configuration', () => {
  test('a bad environment variable is refused with its name, what it accepts and what it got', () => {
    const refusal = (env: NodeJS.ProcessEnv): string => {
      try {
        configFromEnv(env);
      } catch (error) {
        assert.ok(error instanceof ConfigError);
        return error.message;
      }
      return 'accepted';
    };
    assert.match(refusal({ LOG_LEVEL: 'loud' }), /^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent \(got "loud"\)$/);
    assert.match(refusal({ CARE_MAX_BATCH_SIZE: '0' }), /^CARE_MAX_BATCH_SIZE must be a whole number above 0 \(got "0"\)$/);
    assert.match(refusal({ CARE_WEBHOOK_RETRY_MS: '1s,5s' }), /^CARE_WEBHOOK_RETRY_MS must be a comma-separated list of milliseconds/);
    assert.match(refusal({ CARE_WEBHOOK_TIMEOUT_MS: 'soon' }), /^CARE_WEBHOOK_TIMEOUT_MS must be a whole number above 0/);
    assert.match(refusal({ DATABASE_URL: 'mysql://db/care' }), /^DATABASE_URL must be sqlite:<file>, sqlite::memory: or postgres:/);
    assert.match(refusal({ CARE_DEMO: 'yes', PORT: '70000' }), /CARE_DEMO must be 1 \(demo mode\) or 0 \(got "yes"\); PORT must be a port number from 0 to 65535/);
  });

  test('the webhook timing, port and host come from the environment, with defaults', () => {
    const config = configFromEnv({ CARE_WEBHOOK_RETRY_MS: '40, 40', CARE_WEBHOOK_TIMEOUT_MS: '400', PORT: '9000', HOST: '0.0.0.0' });
    assert.deepEqual(config.webhooks, { retryDelaysMs: [40, 40], timeoutMs: 400 });
    assert.deepEqual([config.port, config.host], [9000, '0.0.0.0']);
    assert.deepEqual(configFromEnv({ CARE_WEBHOOK_RETRY_MS: '' }).webhooks.retryDelaysMs, [], 'empty: no retries');
    assert.deepEqual(configFromEnv({}).webhooks, { retryDelaysMs: [1_000, 5_000, 30_000, 120_000, 600_000], timeoutMs: 5_000 });
    assert.deepEqual([defaults.port, defaults.host], [8787, '127.0.0.1']);
  });

  test('the server does not start on a bad variable: exit status 2 and the reason on stderr', () => {
    const run = spawnSync(process.execPath, [CARE_SERVER], {
      env: { ...process.env, LOG_LEVEL: 'loud', DATABASE_URL: 'sqlite::memory:' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /LOG_LEVEL must be one of/);
  });
});

describe('TRUST_PROXY', () => {
  test('takes a hop count or proxy addresses, never "true"', () => {
    assert.equal(parseTrustProxy('1'), 1);
    assert.equal(parseTrustProxy(undefined), false);
    assert.deepEqual(parseTrustProxy('10.0.0.1, 10.1.0.0/16'), ['10.0.0.1', '10.1.0.0/16']);
    assert.throws(() => parseTrustProxy('true'), /hop count/);
    assert.throws(() => parseTrustProxy('*'), /hop count/);
  });

  test('with one proxy, a forged X-Forwarded-For cannot escape the per-address limit', async () => {
    server = await startServer({ config: { trustProxy: configFromEnv({ TRUST_PROXY: '1' }).trustProxy, rateLimitPerIp: 3 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        // What the proxy forwards: whatever the caller claimed, then the address it saw.
        const res = await rawRequest(server.baseUrl, '/trpc/health', { headers: { 'x-forwarded-for': `203.0.113.${i}, 198.51.100.7` } });
        statuses.push(res.status);
      }
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    } finally {
      await server.stop();
    }
  });
});

describe('live-update streams are limited', () => {
  test('one token holds at most its share of streams, through the header or connectionParams', async () => {
    server = await startServer({ config: { streamsPerToken: 3 } });
    try {
      const staff = await mintToken({ sub: 'tabs', role: 'clinician' });
      const open = [];
      for (let i = 0; i < 3; i++) {
        const stream = await openStream(server.baseUrl, 'alerts.onChange', undefined, staff, i % 2 ? 'header' : 'connectionParams');
        await stream.next();
        open.push(stream);
      }
      const fourth = await openStream(server.baseUrl, 'alerts.onChange', undefined, staff, 'connectionParams');
      assert.equal((await fourth.error()).data.httpStatus, 429);
      fourth.close();
      open.pop()!.close();
      // The slot comes back when a stream ends.
      let reopened;
      for (let attempt = 0; attempt < 50; attempt++) {
        const stream = await openStream(server.baseUrl, 'alerts.onChange', undefined, staff);
        const first = await Promise.race([stream.next().then(() => 'ready'), stream.error().then(() => 'refused')]);
        if (first === 'ready') {
          reopened = stream;
          break;
        }
        stream.close();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(reopened, 'a stream opens again once one closed');
      reopened.close();
      for (const stream of open) stream.close();
    } finally {
      await server.stop();
    }
  });

  test('a clinic holds at most its share of streams', async () => {
    server = await startServer({ config: { streamsPerClinic: 2 } });
    try {
      const streams = [];
      for (let i = 0; i < 2; i++) {
        const stream = await openStream(server.baseUrl, 'alerts.onChange', undefined, await mintToken({ sub: `nurse-${i}`, role: 'clinician' }));
        await stream.next();
        streams.push(stream);
      }
      const third = await openStream(server.baseUrl, 'alerts.onChange', undefined, await mintToken({ sub: 'nurse-3', role: 'clinician' }));
      assert.equal((await third.error()).data.httpStatus, 429);
      third.close();
      const otherClinic = await openStream(server.baseUrl, 'alerts.onChange', undefined, await mintToken({ sub: 'nurse-b', role: 'clinician', clinic: 'clinic-b' }));
      assert.deepEqual(await otherClinic.next(), { kind: 'ready', alertId: null });
      otherClinic.close();
      for (const stream of streams) stream.close();
    } finally {
      await server.stop();
    }
  });

  test('refused stream tokens count as failed sign-ins, and connectionParams tokens meet the per-token limit', async () => {
    server = await startServer({ config: { authFailureLimit: 2, rateLimitPerToken: 2 } });
    try {
      const forged = await mintToken({ sub: 'guess', role: 'clinician', secret: 'not-the-clinic-secret-0123456789abcdef' });
      for (let i = 0; i < 2; i++) {
        const stream = await openStream(server.baseUrl, 'alerts.onChange', undefined, forged, 'connectionParams');
        assert.equal((await stream.error()).data.httpStatus, 401);
        stream.close();
      }
      const valid = await mintToken({ sub: 'nurse', role: 'clinician' });
      assert.equal((await query(server.baseUrl, 'checkIn.templates', undefined, valid)).status, 429);
    } finally {
      await server.stop();
    }
    server = await startServer({ config: { rateLimitPerToken: 2 } });
    try {
      const staff = await mintToken({ sub: 'nurse', role: 'clinician' });
      const params = new URLSearchParams({ connectionParams: JSON.stringify({ token: staff }) });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const abort = new AbortController();
        const res = await fetch(`${server.baseUrl}/trpc/alerts.onChange?${params}`, { headers: { accept: 'text/event-stream' }, signal: abort.signal });
        statuses.push(res.status);
        abort.abort();
      }
      assert.deepEqual(statuses, [200, 200, 429]);
    } finally {
      await server.stop();
    }
  });
});

describe('demo data stays in demo mode', () => {
  test('demo mode has its own database file by default', () => {
    assert.equal(configFromEnv({ CARE_DEMO: '1' }).databaseUrl, DEMO_DATABASE_URL);
    assert.equal(configFromEnv({}).databaseUrl, DEFAULT_DATABASE_URL);
    assert.notEqual(DEMO_DATABASE_URL, DEFAULT_DATABASE_URL);
  });

  test('a non-demo start on a database that holds the demo clinic refuses its tokens and has no /demo/token', async () => {
    const database = await freshDatabase();
    try {
      const demo = await createApp(configFromEnv({}, { databaseUrl: database.url, demo: true, logLevel: 'silent' }));
      await demo.close();
      const config = configFromEnv({}, { databaseUrl: database.url, demo: false, logLevel: 'silent' });
      const care = await createApp(config);
      const http = await listen(care.app, config, 0, '127.0.0.1');
      try {
        const baseUrl = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
        const demoToken = await new SignJWT({ clinic: DEMO_CLINIC_ID, role: 'clinician' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('intruder')
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(DEMO_SECRET));
        const res = await query(baseUrl, 'alerts.list', {}, demoToken);
        assert.equal(res.status, 401);
        assert.equal((await rawRequest(baseUrl, '/demo/token?sub=x&role=admin')).status, 404);
      } finally {
        http.closeAllConnections();
        await new Promise((resolve) => http.close(resolve));
        await care.close();
      }
    } finally {
      await database.drop();
    }
  });
});

describe('text the databases cannot keep is refused, naming the field', () => {
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  test('NUL and lone surrogates in any text field are a 400 and nothing is stored', async () => {
    const token = await mintToken({ sub: 'nul', role: 'client' });
    const before = await countRows(server.db, 'check_ins');
    for (const note of ['before\u0000after', 'lone \ud800 surrogate', 'reversed \udc00\ud800']) {
      const res = await submitDaily(token, { answers: { ...dailyAnswers(), note } });
      assert.equal(res.status, 400, JSON.stringify(note));
      assert.deepEqual(errorOf(res).data.fieldErrors?.map((f) => f.path), ['answers.note']);
    }
    const keyed = await submitDaily(token, { answers: { ...dailyAnswers(), ['mo\u0000od']: 3 } });
    assert.equal(keyed.status, 400);
    assert.match(errorOf(keyed).data.fieldErrors?.[0]?.path ?? '', /^answers\.mo/);
    const plan = await mutate(server.baseUrl, 'safetyPlan.save', { baseVersion: null, sections: { warningSigns: [{ text: 'x\u0000' }] } }, token);
    assert.equal(plan.status, 400);
    assert.equal(await countRows(server.db, 'check_ins'), before);
    // A well-formed pair (an emoji) is fine.
    assert.equal((await submitDaily(token, { answers: { ...dailyAnswers(), note: 'ok 🙂' } })).status, 200);
  });

  test('NUL in a token claim is a 401, never a 500', async () => {
    for (const claims of [{ clinic: `${CLINIC_A}\u0000` }, { sub: 'a\u0000b' }, { name: 'Sam\u0000' }]) {
      const token = await new SignJWT({ clinic: CLINIC_A, role: 'client', ...claims })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject((claims as { sub?: string }).sub ?? 'someone')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('clinic-a-test-secret-0123456789-abcdefghij'));
      const res = await query(server.baseUrl, 'checkIn.list', {}, token);
      assert.equal(res.status, 401, JSON.stringify(claims));
    }
  });
});

describe('health data is never cached', () => {
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  test('every /trpc answer and every report says Cache-Control: no-store', async () => {
    const token = await mintToken({ sub: 'cache', role: 'clinician' });
    const answers = await Promise.all([
      fetch(`${server.baseUrl}/trpc/checkIn.templates`, { headers: { authorization: `Bearer ${token}` } }),
      fetch(`${server.baseUrl}/trpc/checkIn.templates,roster.list?batch=1&input=${encodeURIComponent('{"0":{},"1":{}}')}`, { headers: { authorization: `Bearer ${token}` } }),
      fetch(`${server.baseUrl}/trpc/alerts.list`),
      fetch(`${server.baseUrl}/trpc/health`),
      fetch(`${server.baseUrl}/reports/outcomes.csv`, { headers: { authorization: `Bearer ${token}` } }),
      fetch(`${server.baseUrl}/reports/outcomes.csv`),
    ]);
    for (const res of answers) assert.equal(res.headers.get('cache-control'), 'no-store', res.url);
  });
});

describe('tokens', () => {
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  test('a token living longer than the clinic allows is refused (default 12 hours)', async () => {
    const tenYears = await mintToken({ sub: 'forever', role: 'client', exp: '3650d' });
    const refused = await query(server.baseUrl, 'checkIn.templates', undefined, tenYears);
    assert.equal(refused.status, 401);
    assert.match(errorOf(refused).message, /longer than this clinic allows/);
    assert.equal((await query(server.baseUrl, 'checkIn.templates', undefined, await mintToken({ sub: 'shift', role: 'client', exp: '12h' }))).status, 200);

    // Clinic B (no token of it seen yet) allows one hour.
    await server.db.updateTable('clinics').set({ max_token_lifetime_s: 3600 }).where('id', '=', CLINIC_B).execute();
    const twoHours = await mintToken({ sub: 'two-hours', role: 'client', clinic: CLINIC_B, exp: '2h' });
    assert.equal((await query(server.baseUrl, 'checkIn.templates', undefined, twoHours)).status, 401);
    assert.equal((await query(server.baseUrl, 'checkIn.templates', undefined, await mintToken({ sub: 'hour', role: 'client', clinic: CLINIC_B, exp: '55m' }))).status, 200);
  });

  test('an unknown clinic and a bad signature get the same answer', async () => {
    const unknown = await mintToken({ sub: 'x', role: 'client', clinic: 'no-such-clinic', secret: 'whatever-secret-0123456789abcdefghijkl' });
    const forged = await mintToken({ sub: 'x', role: 'client', secret: 'whatever-secret-0123456789abcdefghijkl' });
    const [a, b] = await Promise.all([query(server.baseUrl, 'checkIn.templates', undefined, unknown), query(server.baseUrl, 'checkIn.templates', undefined, forged)]);
    assert.equal(a.status, 401);
    assert.equal(b.status, 401);
    assert.equal(errorOf(a).message, errorOf(b).message);
  });
});

describe('connections', () => {
  const open = (port: number) =>
    new Promise<Socket>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket));
      socket.once('error', reject);
    });
  const closedWithin = (socket: Socket, ms: number) =>
    new Promise<{ closed: boolean; data: string }>((resolve) => {
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      const timer = setTimeout(() => resolve({ closed: false, data }), ms);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve({ closed: true, data });
      });
      socket.on('error', () => undefined);
    });

  test('a stalled request body is cut off after the request timeout', async () => {
    server = await startServer({ config: { requestTimeoutMs: 1000, headersTimeoutMs: 1000 } });
    try {
      const socket = await open(Number(new URL(server.baseUrl).port));
      socket.write('POST /trpc/checkIn.submit HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"clientRe');
      const result = await closedWithin(socket, 4000);
      socket.destroy();
      assert.ok(result.closed, 'the server closed the stalled connection');
      assert.match(result.data, /^HTTP\/1\.1 408/);
    } finally {
      await server.stop();
    }
  });

  test('an idle keep-alive connection stays open for the keep-alive time, not the 5 s Node keeps it (65 s unless set: longer than a proxy keeps it)', async () => {
    assert.equal(defaults.keepAliveTimeoutMs, 65_000);
    server = await startServer({ config: { keepAliveTimeoutMs: 1500 } });
    try {
      const socket = await open(Number(new URL(server.baseUrl).port));
      socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
      const early = await closedWithin(socket, 700);
      assert.ok(!early.closed, 'open while idle for less than the keep-alive time');
      assert.match(early.data, /^HTTP\/1\.1 200/);
      assert.match(early.data, /Keep-Alive: timeout=1/i);
      const later = await closedWithin(socket, 4000);
      socket.destroy();
      assert.ok(later.closed, 'closed once idle for the keep-alive time');
    } finally {
      await server.stop();
    }
  });

  test('connections past the limit are closed at once', async () => {
    server = await startServer({ config: { maxConnections: 3 } });
    try {
      const port = Number(new URL(server.baseUrl).port);
      const held = await Promise.all([open(port), open(port), open(port)]);
      const extra = await open(port);
      const result = await closedWithin(extra, 2000);
      assert.ok(result.closed, 'the fourth connection was closed');
      for (const socket of held) socket.destroy();
      extra.destroy();
    } finally {
      await server.stop();
    }
  });
});
