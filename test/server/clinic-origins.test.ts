import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addOrigin } from '../../server/domain/clinic-settings.js';
import { care } from './cli.js';
import { CLINIC_B, errorOf, mintToken, rawRequest, startServer, type TestServer } from './helpers.js';

const PORTAL_A = 'https://portal-a.example';
const SHARED = 'https://shared-portal.example';
const SERVER_WIDE = 'https://everyone.example';

let server: TestServer;
let clientA: string;
let clientB: string;
let clinicianA: string;
let clinicianB: string;

before(async () => {
  server = await startServer({ config: { allowedOrigins: [SERVER_WIDE] } });
  // Listed before the server's first request (the lists are then read and cached for up to 30 s).
  const added = await care(server.config.databaseUrl, ['clinic', 'origins', 'add', 'clinic-a', PORTAL_A]);
  assert.equal(added.code, 0, added.stderr);
  await addOrigin(server.db, { kind: 'cli', user: 'test' }, 'clinic-a', SHARED);
  await addOrigin(server.db, { kind: 'cli', user: 'test' }, CLINIC_B, SHARED);
  clientA = await mintToken({ sub: 'origin-client-a', role: 'client' });
  clientB = await mintToken({ sub: 'origin-client-b', role: 'client', clinic: CLINIC_B });
  clinicianA = await mintToken({ sub: 'origin-clinician-a', role: 'clinician' });
  clinicianB = await mintToken({ sub: 'origin-clinician-b', role: 'clinician', clinic: CLINIC_B });
});
after(async () => {
  await server.stop();
});

const call = (token: string | undefined, origin: string | undefined, path = '/trpc/checkIn.templates') =>
  rawRequest(server.baseUrl, path, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(origin ? { origin } : {}) } });

async function preflight(origin: string): Promise<Response> {
  return fetch(`${server.baseUrl}/trpc/checkIn.submit`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });
}

describe('per-clinic origins', () => {
  test('a preflight (no token) is allowed for an origin some clinic lists or CARE_ALLOWED_ORIGINS names, and not for others', async () => {
    for (const origin of [PORTAL_A, SHARED, SERVER_WIDE]) {
      const res = await preflight(origin);
      assert.equal(res.headers.get('access-control-allow-origin'), origin, origin);
    }
    const stranger = await preflight('https://stranger.example');
    assert.equal(stranger.headers.get('access-control-allow-origin'), null);
  });

  test("a call from the token's clinic's origin is answered, with CORS headers", async () => {
    const res = await fetch(`${server.baseUrl}/trpc/checkIn.templates`, { headers: { authorization: `Bearer ${clientA}`, origin: PORTAL_A } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), PORTAL_A);
    assert.equal((await call(clientB, SHARED)).status, 200, 'an origin both clinics list');
  });

  test("a call from another clinic's origin is refused with 403 in tRPC's error shape naming the origin", async () => {
    const res = await call(clientB, PORTAL_A);
    assert.equal(res.status, 403);
    const error = errorOf(res);
    assert.equal(error.data.code, 'FORBIDDEN');
    assert.equal(error.data.httpStatus, 403);
    assert.ok(error.message.includes(PORTAL_A), error.message);

    const batch = await rawRequest(server.baseUrl, '/trpc/checkIn.templates,checkIn.templates?batch=1&input=%7B%7D', { headers: { authorization: `Bearer ${clientB}`, origin: PORTAL_A } });
    assert.equal(batch.status, 403);

    const post = await fetch(`${server.baseUrl}/trpc/checkIn.submit`, {
      method: 'POST',
      headers: { authorization: `Bearer ${clientB}`, origin: PORTAL_A, 'content-type': 'application/json' },
      body: JSON.stringify({ clientRequestId: crypto.randomUUID(), templateId: 'daily', answers: { mood: 5, craving: 1, sleepHours: 7, medication: 'yes', used: 'no' }, submittedAt: new Date().toISOString() }),
    });
    assert.equal(post.status, 403);
    const stored = await server.db.selectFrom('check_ins').select('id').where('client_id', '=', 'origin-client-b').execute();
    assert.equal(stored.length, 0, 'a refused call stores nothing');

    assert.equal((await call(clientA, 'https://stranger.example')).status, 403, 'an origin no clinic lists');
  });

  test('CARE_ALLOWED_ORIGINS is allowed for every clinic', async () => {
    assert.equal((await call(clientA, SERVER_WIDE)).status, 200);
    assert.equal((await call(clientB, SERVER_WIDE)).status, 200);
  });

  test("same-origin calls are unaffected: no Origin, or the server's own", async () => {
    assert.equal((await call(clientB, undefined)).status, 200);
    assert.equal((await call(clientB, server.baseUrl)).status, 200);
  });

  test('a call with an origin but no valid token gets the usual 401, not a 403', async () => {
    assert.equal((await call(undefined, PORTAL_A)).status, 401);
    assert.equal((await call('not-a-token', 'https://stranger.example')).status, 401);
  });

  test('/reports answers the same way', async () => {
    const path = '/reports/outcomes.csv';
    assert.equal((await call(clinicianA, PORTAL_A, path)).status, 200);
    const refused = await call(clinicianB, PORTAL_A, path);
    assert.equal(refused.status, 403);
    assert.ok(refused.text.includes(PORTAL_A));
    assert.equal((await call(clinicianB, undefined, path)).status, 200);
  });
});
