import assert from 'node:assert/strict';
import { after, before, describe, mock, test } from 'node:test';
import { TokenVerifier } from '../../server/auth/verify-token.js';
import { RISK_RULES_CACHE_MS, submitCheckIn } from '../../server/domain/check-ins.js';
import { CLINIC_A, SECRET_B, countRows, dailyAnswers, minutesAgo, mintToken, newRequestId, startServer, type TestServer } from './helpers.js';

/** What the server remembers between requests (tokens, risk rules, users), and how it stops remembering. */
let server: TestServer;

before(async () => {
  server = await startServer();
});
after(async () => {
  await server.stop();
});

const rejection = (verifier: TokenVerifier, token: string) =>
  verifier.verify(`Bearer ${token}`).then(
    () => 'accepted',
    (error: Error) => error.message,
  );

describe('remembered tokens', () => {
  test('a remembered token is refused once its exp has passed', async (t) => {
    t.after(() => mock.timers.reset());
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const verifier = new TokenVerifier(server.db);
    const token = await mintToken({ sub: 'client-exp', role: 'client', exp: Math.floor(Date.now() / 1000) + 2 });
    assert.equal((await verifier.verify(`Bearer ${token}`)).userId, 'client-exp');
    assert.equal((await verifier.verify(`Bearer ${token}`)).userId, 'client-exp');
    mock.timers.tick(2_100);
    assert.match(await rejection(verifier, token), /expired/);
  });

  test('a remembered token is refused once the clinic secret was rotated and the keys re-read (30 s)', async (t) => {
    t.after(() => mock.timers.reset());
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const verifier = new TokenVerifier(server.db);
    const oldToken = await mintToken({ sub: 'client-rot', role: 'client', clinic: CLINIC_A });
    assert.equal((await verifier.verify(`Bearer ${oldToken}`)).userId, 'client-rot');

    await server.db.updateTable('clinics').set({ hs256_secret: SECRET_B }).where('id', '=', CLINIC_A).execute();
    try {
      mock.timers.tick(29_000);
      assert.equal((await verifier.verify(`Bearer ${oldToken}`)).userId, 'client-rot', 'within the key cache time, as before');
      mock.timers.tick(2_000);
      assert.match(await rejection(verifier, oldToken), /signature/);
      const newToken = await mintToken({ sub: 'client-rot', role: 'client', clinic: CLINIC_A, secret: SECRET_B });
      assert.equal((await verifier.verify(`Bearer ${newToken}`)).userId, 'client-rot');
    } finally {
      await server.db.updateTable('clinics').set({ hs256_secret: (await import('./helpers.js')).SECRET_A }).where('id', '=', CLINIC_A).execute();
    }
  });

  test('a token that failed is not remembered, and one token never answers for another', async () => {
    const verifier = new TokenVerifier(server.db);
    const good = await mintToken({ sub: 'client-x', role: 'client' });
    const [header, payload] = good.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;
    assert.match(await rejection(verifier, forged), /signature/);
    assert.equal((await verifier.verify(`Bearer ${good}`)).userId, 'client-x');
    assert.match(await rejection(verifier, forged), /signature/);
    const other = await mintToken({ sub: 'client-y', role: 'clinician' });
    const { expiresAt, ...principal } = await verifier.verify(`Bearer ${other}`);
    assert.deepEqual(principal, { clinicId: CLINIC_A, userId: 'client-y', role: 'clinician', name: null });
    assert.equal(expiresAt, JSON.parse(Buffer.from(other.split('.')[1]!, 'base64url').toString()).exp * 1000);
  });
});

describe('remembered risk rules and users', () => {
  const principal = { clinicId: CLINIC_A, userId: 'client-rules', role: 'client' as const, name: null };
  const submit = (craving: number) =>
    submitCheckIn(server.services, principal, {
      clientRequestId: newRequestId(),
      templateId: 'daily',
      answers: dailyAnswers({ craving }),
      submittedAt: minutesAgo(1),
    });

  test('a changed risk rule applies once the rules are read again (at most RISK_RULES_CACHE_MS later)', async (t) => {
    t.after(() => mock.timers.reset());
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    assert.equal((await submit(6)).risk.level, 'none');
    await server.db.updateTable('clinics').set({ risk_rules: '{"cravingElevated":6}' }).where('id', '=', CLINIC_A).execute();
    try {
      mock.timers.tick(RISK_RULES_CACHE_MS);
      assert.deepEqual((await submit(6)).risk, { level: 'elevated', reasons: ['high_craving'] });
    } finally {
      await server.db.updateTable('clinics').set({ risk_rules: null }).where('id', '=', CLINIC_A).execute();
    }
  });

  test('the first check-in of a new person stores their user row once; later ones add none', async () => {
    const before = await countRows(server.db, 'users');
    const newcomer = { ...principal, userId: 'client-newcomer' };
    for (let i = 0; i < 3; i++) {
      await submitCheckIn(server.services, newcomer, {
        clientRequestId: newRequestId(),
        templateId: 'daily',
        answers: dailyAnswers({}),
        submittedAt: minutesAgo(1),
      });
    }
    assert.equal(await countRows(server.db, 'users'), before + 1);
  });
});
