import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { jwtVerify } from 'jose';
import type { GroupSummary, JoinResult, VideoConfigView } from '../../server/contract/index.js';
import { assertCareRefused, care, careJson, tempFiles } from './cli.js';
import { CLINIC_A, dataOf, groupInput, mintToken, mutate, startServer, type TestServer } from './helpers.js';

/** `care group video show|set|clear` in a real subprocess against the database a running server uses. */
let server: TestServer;
let url: string;
let groupId: string;
const { dir, file } = tempFiles('care-video-cli-');
const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const APP = 'vpaas-magic-cookie-cafe0123456789';
const SECRET = 'cli-self-hosted-secret-0123456789-xyz';
const tokens: Record<string, string> = {};

async function videoState(): Promise<string> {
  const rows = await server.db.selectFrom('video_configs').selectAll().orderBy('clinic_id').orderBy('group_id').execute();
  const changes = await server.db.selectFrom('admin_changes').select('id').execute();
  return JSON.stringify({ rows, changes: changes.length });
}

const assertRefused = (args: string[], field: string, secret?: string) => assertCareRefused(url, args, field, videoState, secret);

before(async () => {
  server = await startServer();
  url = server.config.databaseUrl;
  tokens.admin = await mintToken({ sub: 'cli-admin', role: 'admin' });
  tokens.member = await mintToken({ sub: 'cli-member', role: 'client' });
  const start = new Date(Date.now() - 5 * 60_000);
  const day = (['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const)[start.getUTCDay()]!;
  const schedule = [{ day, start: `${String(start.getUTCHours()).padStart(2, '0')}:${String(start.getUTCMinutes()).padStart(2, '0')}`, minutes: 60 }];
  const group = dataOf(await mutate<GroupSummary>(server.baseUrl, 'groups.create', groupInput({ schedule, timeZone: 'UTC', moderatorIds: ['cli-admin'] }), tokens.admin));
  groupId = group.id;
  dataOf(await mutate(server.baseUrl, 'groups.addMember', { groupId, userId: 'cli-member' }, tokens.admin));
  dataOf(await mutate(server.baseUrl, 'groups.acceptGuidelines', { groupId, version: 1 }, tokens.member));
});
after(async () => {
  await server.stop();
});

describe('care group video', () => {
  test('set --provider jaas reads the key from a file, never prints it, and the running server mints RS256 tokens with it', async () => {
    const keyFile = file('jaas.pem', keys.privateKey);
    const result = await care(url, ['--json', 'group', 'video', 'set', CLINIC_A, '--provider', 'jaas', '--app-id', APP, '--key-id', 'k1', '--private-key-file', keyFile, '--dial-in', '+1 202 555 0111', '--dial-in-pin', '99#']);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!result.stdout.includes(keys.privateKey.split('\n')[1]!));
    const { config } = JSON.parse(result.stdout) as { config: VideoConfigView };
    assert.deepEqual([config.provider, config.appId, config.keyId, config.hasSecret, config.transcription, config.recording], ['jaas', APP, 'k1', true, true, false]);
    assert.deepEqual(config.dialIn, { number: '+1 202 555 0111', pin: '99#' });
    const joined = dataOf(await mutate<JoinResult>(server.baseUrl, 'groups.join', { groupId }, tokens.member));
    const { protectedHeader, payload } = await jwtVerify(joined.jwt!, createPublicKey(keys.publicKey), { audience: 'jitsi', issuer: 'chat', subject: APP });
    assert.equal(protectedHeader.kid, `${APP}/k1`);
    assert.equal(joined.roomName, `${APP}/${payload.room as string}`);

    const human = await care(url, ['group', 'video', 'show', CLINIC_A]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /clinic clinic-a: jaas/);
    assert.match(human.stdout, /secret: +stored \(never shown\)/);
    assert.ok(!human.stdout.includes(keys.privateKey.split('\n')[1]!));
  });

  test('a self-hosted secret comes from stdin; a group override and clear put the group back on the clinic provider', async () => {
    const set = await care(url, ['--json', 'group', 'video', 'set', CLINIC_A, '--group', groupId, '--provider', 'self-hosted', '--domain', 'meet.clinic-a.example', '--app-id', 'care', '--app-secret-file', '-', '--transcription'], { input: `${SECRET}\n` });
    assert.equal(set.code, 0, set.stderr);
    assert.ok(!set.stdout.includes(SECRET));
    const joined = dataOf(await mutate<JoinResult>(server.baseUrl, 'groups.join', { groupId }, tokens.member));
    assert.equal(joined.provider, 'self-hosted');
    await jwtVerify(joined.jwt!, new TextEncoder().encode(SECRET), { audience: 'jitsi', issuer: 'care', subject: 'meet.clinic-a.example' });
    const shown = await careJson<{ config: VideoConfigView }>(url, ['group', 'video', 'show', CLINIC_A, '--group', groupId]);
    assert.deepEqual([shown.config.provider, shown.config.transcription, shown.config.hasSecret], ['self-hosted', true, true]);
    const cleared = await careJson<{ removed: VideoConfigView | null; groupId: string }>(url, ['group', 'video', 'clear', CLINIC_A, '--group', groupId]);
    assert.equal(cleared.removed?.provider, 'self-hosted');
    assert.equal(dataOf(await mutate<JoinResult>(server.baseUrl, 'groups.join', { groupId }, tokens.member)).provider, 'jaas');
    const again = await care(url, ['group', 'video', 'clear', CLINIC_A, '--group', groupId]);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /Nothing to remove/);
  });

  test('refuses (exit 1, naming the field, nothing changed) and rejects usage errors (exit 2)', async () => {
    const bad = file('bad.pem', '-----BEGIN PRIVATE KEY-----\nTHISISNOTAKEY\n-----END PRIVATE KEY-----\n');
    await assertRefused(['group', 'video', 'set', CLINIC_A, '--provider', 'jaas', '--app-id', APP, '--key-id', 'k2', '--private-key-file', bad], 'privateKey', 'THISISNOTAKEY');
    await assertRefused(['group', 'video', 'set', CLINIC_A, '--provider', 'public-demo'], 'provider');
    await assertRefused(['group', 'video', 'set', CLINIC_A, '--group', groupId, '--provider', 'public-demo'], 'publicOptIn');
    await assertRefused(['group', 'video', 'set', CLINIC_A, '--provider', 'self-hosted', '--domain', 'https://bad host'], 'domain');
    await assertRefused(['group', 'video', 'set', 'no-such-clinic', '--provider', 'none'], 'clinic');
    await assertRefused(['group', 'video', 'set', CLINIC_A, '--group', 'no-such-group', '--provider', 'none'], 'groupId');
    await assertRefused(['group', 'video', 'set', CLINIC_A, '--provider', 'jaas', '--app-id', APP, '--key-id', 'k1', '--private-key-file', join(dir, 'missing.pem')], 'file');
    for (const args of [['group', 'video', 'set', CLINIC_A], ['group', 'video', 'set', CLINIC_A, '--provider', 'zoom'], ['group', 'video', 'set', CLINIC_A, '--provider', 'none', '--dial-in-pin', '12']]) {
      const before = await videoState();
      const result = await care(url, args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(await videoState(), before);
    }
  });

  test('public-demo for one group needs --public-test-room; members are then told', async () => {
    const result = await careJson<{ config: VideoConfigView }>(url, ['group', 'video', 'set', CLINIC_A, '--group', groupId, '--provider', 'public-demo', '--public-test-room']);
    assert.deepEqual([result.config.provider, result.config.publicOptIn, result.config.usable], ['public-demo', true, true]);
    const joined = dataOf(await mutate<JoinResult>(server.baseUrl, 'groups.join', { groupId }, tokens.member));
    assert.deepEqual([joined.domain, joined.jwt, joined.publicTestRoom], ['meet.jit.si', null, true]);
  });
});
