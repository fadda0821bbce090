import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TokenVerifier } from '../../server/auth/verify-token.js';
import { adminChanges, adminSnapshot, care, careJson } from './cli.js';
import { errorOf, mintToken, query, startServer, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server.stop();
});

const templates = (token: string) => query(server.baseUrl, 'checkIn.templates', undefined, token);
const clientToken = (clinic: string, secret: string) => mintToken({ sub: 'rotation-client', role: 'client', clinic, secret });

interface Created {
  clinic: { id: string; keys: string };
  secret: string;
}
interface Rotated {
  clinicId: string;
  secret: string;
  previousSecretValidUntil: string | null;
}

describe('care clinic secret rotate', () => {
  test('with a grace period the old and the new secret both verify, the audit row says "rotated" and holds no secret', async () => {
    const created = await careJson<Created>(server.config.databaseUrl, ['clinic', 'create', 'rot-grace', '--name', 'Rotating clinic']);
    assert.equal(created.clinic.keys, 'hs256');
    assert.ok(Buffer.from(created.secret, 'base64url').length >= 32, 'a new secret has at least 32 random bytes');

    const startedAt = Date.now();
    const rotated = await careJson<Rotated>(server.config.databaseUrl, ['clinic', 'secret', 'rotate', 'rot-grace', '--grace', '24h']);
    assert.deepEqual(Object.keys(rotated).sort(), ['clinicId', 'previousSecretValidUntil', 'secret']);
    assert.notEqual(rotated.secret, created.secret);
    assert.ok(Buffer.from(rotated.secret, 'base64url').length >= 32);
    const until = Date.parse(rotated.previousSecretValidUntil ?? '');
    assert.ok(until >= startedAt + 24 * 3600_000 - 1000 && until <= Date.now() + 24 * 3600_000 + 1000, `grace ends 24 h after the rotation (${rotated.previousSecretValidUntil})`);

    // The server has not read this clinic's keys before: it reads them now, with the grace.
    assert.equal((await templates(await clientToken('rot-grace', created.secret))).status, 200, 'old secret during grace');
    assert.equal((await templates(await clientToken('rot-grace', rotated.secret))).status, 200, 'new secret');
    const forged = await templates(await clientToken('rot-grace', 'some-other-secret-0123456789-abcdefghijkl'));
    assert.equal(forged.status, 401);
    assert.equal(errorOf(forged).data.code, 'UNAUTHORIZED');

    const changes = await adminChanges(server.db, 'rot-grace');
    assert.deepEqual(changes.map((c) => c.action), ['clinic.create', 'clinic.secret.rotate']);
    assert.match(changes[1]!.actor, /^cli:.+/);
    assert.deepEqual(changes[1]!.after, { secret: 'rotated', previousSecretValidUntil: rotated.previousSecretValidUntil });
    const stored = JSON.stringify(await server.db.selectFrom('admin_changes').selectAll().execute());
    assert.ok(!stored.includes(created.secret) && !stored.includes(rotated.secret), 'no secret in the audit');

    // Grace over (set in the database rather than waited for): a verifier reading the keys now refuses the old secret.
    await server.db.updateTable('clinics').set({ previous_secret_until: new Date(Date.now() - 1000).toISOString() }).where('id', '=', 'rot-grace').execute();
    const verifier = new TokenVerifier(server.db);
    await assert.rejects(verifier.verify(`Bearer ${await clientToken('rot-grace', created.secret)}`), /invalid/i);
    const principal = await verifier.verify(`Bearer ${await clientToken('rot-grace', rotated.secret)}`);
    assert.equal(principal.clinicId, 'rot-grace');
    const shown = await careJson<{ clinic: { previousSecretValidUntil: string | null } }>(server.config.databaseUrl, ['clinic', 'show', 'rot-grace']);
    assert.equal(shown.clinic.previousSecretValidUntil, null, 'show no longer reports an expired grace');
  });

  test('--grace 0 refuses the old secret at once; the new one verifies', async () => {
    const created = await careJson<Created>(server.config.databaseUrl, ['clinic', 'create', 'rot-now', '--name', 'Rotating now']);
    const rotated = await careJson<Rotated>(server.config.databaseUrl, ['clinic', 'secret', 'rotate', 'rot-now', '--grace', '0']);
    assert.equal(rotated.previousSecretValidUntil, null);
    const old = await templates(await clientToken('rot-now', created.secret));
    assert.equal(old.status, 401);
    assert.equal((await templates(await clientToken('rot-now', rotated.secret))).status, 200);
    const row = await server.db.selectFrom('clinics').select(['previous_hs256_secret', 'previous_secret_until']).where('id', '=', 'rot-now').executeTakeFirstOrThrow();
    assert.deepEqual(row, { previous_hs256_secret: null, previous_secret_until: null });
  });

  test('the secret is printed once on stdout, never on stderr', async () => {
    await careJson(server.config.databaseUrl, ['clinic', 'create', 'rot-text', '--name', 'Printed']);
    const result = await care(server.config.databaseUrl, ['clinic', 'secret', 'rotate', 'rot-text', '--grace', '1h']);
    assert.equal(result.code, 0, result.stderr);
    const secret = /^\s+([A-Za-z0-9_-]{43,})$/m.exec(result.stdout)?.[1];
    assert.ok(secret, result.stdout);
    assert.equal(result.stdout.split(secret).length - 1, 1, 'printed exactly once');
    assert.ok(!result.stderr.includes(secret));
    const row = await server.db.selectFrom('clinics').select('hs256_secret').where('id', '=', 'rot-text').executeTakeFirstOrThrow();
    assert.equal(row.hs256_secret, secret, 'the printed secret is the one stored');
  });

  test('refusals change nothing: an unknown clinic, a grace over 30 days (exit 1); a grace that is not a duration (exit 2)', async () => {
    const snapshot = await adminSnapshot(server.db);
    const unknown = await care(server.config.databaseUrl, ['--json', 'clinic', 'secret', 'rotate', 'no-such-clinic']);
    assert.equal(unknown.code, 1);
    assert.equal((JSON.parse(unknown.stderr) as { field: string }).field, 'clinic');
    const long = await care(server.config.databaseUrl, ['--json', 'clinic', 'secret', 'rotate', 'clinic-a', '--grace', '31d']);
    assert.equal(long.code, 1);
    assert.equal((JSON.parse(long.stderr) as { field: string }).field, 'grace');
    const usage = await care(server.config.databaseUrl, ['clinic', 'secret', 'rotate', 'clinic-a', '--grace', 'forever']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--grace/);
    assert.equal(await adminSnapshot(server.db), snapshot);
  });
});
