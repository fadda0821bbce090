import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { Migrator } from 'kysely/migration';
import type { GroupList, GroupSession, GroupSummary, JoinResult, VideoConfigList, VideoConfigView } from '../../server/contract/index.js';
import { migrateToLatest, openDatabase } from '../../server/db/index.js';
import { migrations } from '../../server/db/migrations/index.js';
import { resolveVideo, type VideoRow } from '../../server/video/providers.js';
import { CLINIC_A, dataOf, errorOf, freshDatabase, mintToken, mutate, query, startServer, type TestServer } from './helpers.js';

/**
 * Video providers (issue 19): each provider's room token verified with jose against its exact
 * claim set, and the refusals (no provider, public-demo outside demo mode without a group's opt-in,
 * a private key that is not one, naming the field, with nothing stored changed).
 */
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
function openNow(): GroupSession[] {
  const start = new Date(Date.now() - 5 * 60_000);
  const hh = String(start.getUTCHours()).padStart(2, '0');
  const mm = String(start.getUTCMinutes()).padStart(2, '0');
  return [{ day: WEEKDAYS[start.getUTCDay()]!, start: `${hh}:${mm}`, minutes: 90 }];
}

const SELF_SECRET = 'self-hosted-test-secret-0123456789-abcdef';
const JAAS_APP = 'vpaas-magic-cookie-0123456789abcdef0123456789abcdef';
const JAAS_KID = 'a1b2c3';
const rsa = (bits = 2048) =>
  generateKeyPairSync('rsa', { modulusLength: bits, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const jaasKeys = rsa();
const otherKeys = rsa();

let server: TestServer;
const tokens: Record<string, string> = {};
const as = (who: string) => tokens[who]!;
const m = <T>(path: string, input: unknown, who: string) => mutate<T>(server.baseUrl, path, input, as(who));
const q = <T>(path: string, input: unknown, who: string) => query<T>(server.baseUrl, path, input, as(who));

async function newGroup(name: string, extra: Record<string, unknown> = {}): Promise<GroupSummary> {
  const group = dataOf(
    await m<GroupSummary>(
      'groups.create',
      { name, topic: 'recovery', description: '', language: 'en', timeZone: 'UTC', schedule: openNow(), capacity: 10, guidelines: { en: 'Be kind.' }, moderatorIds: ['mod'], ...extra },
      'admin',
    ),
  );
  dataOf(await m('groups.addMember', { groupId: group.id, userId: 'alice' }, 'mod'));
  dataOf(await m('groups.setAlias', { groupId: group.id, mode: 'alias', alias: 'River' }, 'alice'));
  dataOf(await m('groups.acceptGuidelines', { groupId: group.id, version: 1 }, 'alice'));
  return group;
}

const listed = async (groupId: string, who: string) => dataOf(await q<GroupList>('groups.list', { groupId }, who)).groups[0]!;

/** Every stored row an admin video change may touch: compared before and after a refusal. */
async function snapshot(): Promise<string> {
  const rows = await server.db.selectFrom('video_configs').selectAll().orderBy('clinic_id').orderBy('group_id').execute();
  const changes = await server.db.selectFrom('admin_changes').select('id').execute();
  return JSON.stringify({ rows, changes: changes.length });
}

async function assertRefused(input: Record<string, unknown>, field: string, secretText?: string): Promise<void> {
  const before = await snapshot();
  const res = await m('groups.setVideoConfig', input, 'admin');
  assert.equal(res.status, 400, res.text);
  const error = errorOf(res);
  assert.deepEqual(error.data.fieldErrors?.map((f) => f.path), [field], res.text);
  if (secretText) assert.ok(!res.text.includes(secretText.split('\n')[1]!), 'the refusal never echoes the key');
  assert.equal(await snapshot(), before, 'nothing stored changed');
}

before(async () => {
  server = await startServer();
  for (const [sub, role] of [['admin', 'admin'], ['mod', 'clinician'], ['alice', 'client']] as const) {
    tokens[sub] = await mintToken({ sub, role, name: `${sub} Realname` });
  }
  tokens.otherAdmin = await mintToken({ sub: 'b-admin', role: 'admin', clinic: 'clinic-b' });
});
after(async () => {
  await server.stop();
});

describe('a group with no video provider', () => {
  test('shows the board and the dial-in, no room: join is refused and staff are told why', async () => {
    const group = await newGroup('No video yet', { dialIn: { number: '+1 202 555 0142', pin: '1234#' } });
    const member = await listed(group.id, 'alice');
    assert.deepEqual(member.video, { provider: 'none', domain: null, mode: 'none', captions: false, publicTestRoom: false });
    assert.deepEqual(member.dialIn, { number: '+1 202 555 0142', pin: '1234#' });
    assert.deepEqual(member.notices, []);
    assert.deepEqual((await listed(group.id, 'admin')).notices, ['no-video']);
    const join = await m('groups.join', { groupId: group.id }, 'alice');
    assert.equal(join.status, 412);
    assert.match(errorOf(join).message, /no video room/);
    // The board still works.
    assert.equal((await m('groups.post', { groupId: group.id, body: 'Posting while there is no room' }, 'alice')).status, 200);
  });
});

describe('self-hosted', () => {
  let group: GroupSummary;
  before(async () => {
    group = await newGroup('Self-hosted group');
    const saved = dataOf(
      await m<VideoConfigView>('groups.setVideoConfig', { provider: 'self-hosted', domain: 'Meet.Clinic-A.example', appId: 'care-app', appSecret: SELF_SECRET, tenant: 'clinic-a', transcription: true, dialIn: { number: '+44 20 7946 0000' } }, 'admin'),
    );
    assert.equal(saved.domain, 'meet.clinic-a.example');
    assert.equal(saved.mode, 'token');
    assert.equal(saved.hasSecret, true);
  });

  test('the HS256 token has exactly the Prosody claims, signed with the app secret, limited to the session', async () => {
    const res = await m<JoinResult>('groups.join', { groupId: group.id }, 'alice');
    assert.ok(!res.text.includes(SELF_SECRET));
    const joined = dataOf(res);
    assert.equal(joined.provider, 'self-hosted');
    assert.equal(joined.domain, 'meet.clinic-a.example');
    assert.equal(joined.captions, true);
    assert.equal(joined.publicTestRoom, false);
    const { payload, protectedHeader } = await jwtVerify(joined.jwt!, new TextEncoder().encode(SELF_SECRET), {
      algorithms: ['HS256'],
      audience: 'jitsi',
      issuer: 'care-app',
      subject: 'clinic-a',
    });
    assert.deepEqual(protectedHeader, { alg: 'HS256', typ: 'JWT' });
    assert.deepEqual(Object.keys(payload).sort(), ['aud', 'context', 'exp', 'iat', 'iss', 'nbf', 'room', 'sub']);
    assert.equal(`clinic-a/${payload.room as string}`, joined.roomName);
    const context = payload.context as { user: Record<string, string>; features: Record<string, string> };
    assert.deepEqual(Object.keys(context).sort(), ['features', 'user']);
    assert.deepEqual(Object.keys(context.user).sort(), ['id', 'moderator', 'name']);
    assert.equal(context.user.name, 'River');
    assert.equal(context.user.moderator, 'false');
    assert.ok(!JSON.stringify(payload).includes('alice'), 'no person id or real name');
    assert.deepEqual(context.features, { transcription: 'true', recording: 'false', livestreaming: 'false' });
    assert.equal(payload.exp, Math.floor(Date.parse(joined.session.end) / 1000));
    assert.equal(payload.nbf, Math.floor((Date.parse(joined.session.start) - 10 * 60_000) / 1000));
    // The provider's dial-in shows where the group has none of its own.
    assert.deepEqual((await listed(group.id, 'alice')).dialIn, { number: '+44 20 7946 0000', pin: null });
  });

  test('a deployment that does not declare a transcriber offers no captions', async () => {
    dataOf(await m('groups.setVideoConfig', { provider: 'self-hosted', domain: 'meet.clinic-a.example', appId: 'care-app', tenant: 'clinic-a' }, 'admin'));
    const joined = dataOf(await m<JoinResult>('groups.join', { groupId: group.id }, 'alice'));
    assert.equal(joined.captions, false);
    const { payload } = await jwtVerify(joined.jwt!, new TextEncoder().encode(SELF_SECRET), { audience: 'jitsi', issuer: 'care-app' });
    assert.equal((payload.context as { features: { transcription: string } }).features.transcription, 'false', 'the secret was kept: same app id');
    assert.equal((await listed(group.id, 'alice')).video.captions, false);
  });

  test('the earlier input shape still works and answers domain and mode', async () => {
    const saved = dataOf(await m<VideoConfigView>('groups.setVideoConfig', { domain: 'meet.clinic-a.example', appId: 'care-app', appSecret: SELF_SECRET }, 'admin'));
    assert.deepEqual([saved.provider, saved.domain, saved.mode], ['self-hosted', 'meet.clinic-a.example', 'token']);
    const open = dataOf(await m<VideoConfigView>('groups.setVideoConfig', { domain: 'meet.clinic-a.example' }, 'admin'));
    assert.equal(open.mode, 'open');
    assert.deepEqual((await listed(group.id, 'admin')).notices, ['no-room-token']);
  });
});

describe('jaas', () => {
  let group: GroupSummary;
  before(async () => {
    group = await newGroup('JaaS group');
    const res = await m<VideoConfigView>('groups.setVideoConfig', { groupId: group.id, provider: 'jaas', appId: JAAS_APP, keyId: JAAS_KID, privateKey: jaasKeys.privateKey }, 'admin');
    assert.ok(!res.text.includes(jaasKeys.privateKey.split('\n')[1]!), 'the key never comes back');
    const saved = dataOf(res);
    assert.deepEqual(
      { provider: saved.provider, domain: saved.domain, groupId: saved.groupId, hasSecret: saved.hasSecret, transcription: saved.transcription, recording: saved.recording, livestreaming: saved.livestreaming, outboundCall: saved.outboundCall },
      { provider: 'jaas', domain: '8x8.vc', groupId: group.id, hasSecret: true, transcription: true, recording: false, livestreaming: false, outboundCall: false },
    );
    const der = createPublicKey(jaasKeys.publicKey).export({ type: 'spki', format: 'der' });
    assert.equal(saved.publicKeyFingerprint, createHash('sha256').update(der).digest('base64url'));
  });

  test("the RS256 token has exactly 8x8's documented claims and verifies with the public key of the pair", async () => {
    const joined = dataOf(await m<JoinResult>('groups.join', { groupId: group.id }, 'alice'));
    assert.deepEqual([joined.provider, joined.domain, joined.captions], ['jaas', '8x8.vc', true]);
    const { payload, protectedHeader } = await jwtVerify(joined.jwt!, createPublicKey(jaasKeys.publicKey), {
      algorithms: ['RS256'],
      audience: 'jitsi',
      issuer: 'chat',
      subject: JAAS_APP,
    });
    assert.deepEqual(protectedHeader, { alg: 'RS256', kid: `${JAAS_APP}/${JAAS_KID}`, typ: 'JWT' });
    assert.deepEqual(Object.keys(payload).sort(), ['aud', 'context', 'exp', 'iss', 'nbf', 'room', 'sub']);
    assert.equal(joined.roomName, `${JAAS_APP}/${payload.room as string}`);
    assert.match(payload.room as string, /^care-[0-9a-f]{24}$/);
    const context = payload.context as { user: Record<string, string>; features: Record<string, string> };
    assert.deepEqual(Object.keys(context.user).sort(), ['id', 'moderator', 'name'], 'no avatar, no email');
    assert.equal(context.user.name, 'River');
    assert.equal(context.user.moderator, 'false');
    assert.deepEqual(context.features, { livestreaming: 'false', recording: 'false', transcription: 'true', 'outbound-call': 'false', 'sip-outbound-call': 'false' });
    assert.equal(payload.exp, Math.floor(Date.parse(joined.session.end) / 1000));
    await assert.rejects(jwtVerify(joined.jwt!, createPublicKey(otherKeys.publicKey)), 'another key does not verify it');
  });

  test('a moderator is "true"; features the clinic enables are "true"; the stored key is kept when not given again', async () => {
    dataOf(await m('groups.setVideoConfig', { groupId: group.id, provider: 'jaas', appId: JAAS_APP, keyId: JAAS_KID, recording: true, transcription: false }, 'admin'));
    const joined = dataOf(await m<JoinResult>('groups.join', { groupId: group.id }, 'mod'));
    assert.equal(joined.captions, false);
    const { payload } = await jwtVerify(joined.jwt!, createPublicKey(jaasKeys.publicKey), { audience: 'jitsi', issuer: 'chat', subject: JAAS_APP });
    const context = payload.context as { user: Record<string, string>; features: Record<string, string> };
    assert.equal(context.user.moderator, 'true');
    assert.deepEqual(context.features, { livestreaming: 'false', recording: 'true', transcription: 'false', 'outbound-call': 'false', 'sip-outbound-call': 'false' });
    assert.equal(decodeProtectedHeader(joined.jwt!).kid, `${JAAS_APP}/${JAAS_KID}`);
  });

  test('refuses a private key that is not one, naming privateKey, and never echoing it; other fields likewise', async () => {
    const base = { groupId: group.id, provider: 'jaas', appId: JAAS_APP, keyId: 'new-key' };
    await assertRefused({ ...base, privateKey: '-----BEGIN PRIVATE KEY-----\nnot a key at all\n-----END PRIVATE KEY-----' }, 'privateKey', '-----BEGIN PRIVATE KEY-----\nnot a key at all');
    await assertRefused({ ...base, privateKey: jaasKeys.publicKey }, 'privateKey', jaasKeys.publicKey);
    await assertRefused({ ...base, privateKey: rsa(1024).privateKey }, 'privateKey');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    await assertRefused({ ...base, privateKey: ec.privateKey }, 'privateKey');
    // A new key id needs its key.
    await assertRefused(base, 'privateKey');
    await assertRefused({ groupId: group.id, provider: 'jaas', appId: JAAS_APP, privateKey: jaasKeys.privateKey }, 'keyId');
    await assertRefused({ groupId: group.id, provider: 'jaas', keyId: JAAS_KID, privateKey: jaasKeys.privateKey }, 'appId');
    await assertRefused({ groupId: group.id, provider: 'jaas', appId: JAAS_APP, keyId: JAAS_KID, appSecret: SELF_SECRET }, 'appSecret');
    await assertRefused({ provider: 'self-hosted', domain: 'meet.clinic-a.example', appId: 'brand-new-app' }, 'appSecret');
    await assertRefused({ provider: 'self-hosted', appId: 'care-app', appSecret: SELF_SECRET }, 'domain');
    await assertRefused({ provider: 'self-hosted', domain: 'meet.jit.si' }, 'domain');
    await assertRefused({ appId: 'x' }, 'provider');
  });

  test('the change is audited without the key; only admins of the clinic reach it', async () => {
    const rows = await server.db.selectFrom('admin_changes').selectAll().where('action', '=', 'group.video.set').execute();
    assert.ok(rows.length >= 2);
    const text = JSON.stringify(rows);
    assert.ok(!text.includes(jaasKeys.privateKey.split('\n')[1]!) && !text.includes(SELF_SECRET), 'no secret in the audit');
    assert.ok(rows.some((r) => JSON.parse(r.after!).secret === 'set') && rows.some((r) => JSON.parse(r.after!).secret === 'kept'));
    assert.equal((await m('groups.setVideoConfig', { provider: 'none', groupId: group.id }, 'mod')).status, 403);
    assert.equal((await m('groups.setVideoConfig', { provider: 'none', groupId: group.id }, 'otherAdmin')).status, 404);
    assert.equal((await m('groups.clearVideoConfig', { groupId: group.id }, 'otherAdmin')).status, 404);
    const shown = await q<VideoConfigList>('groups.videoConfig', undefined, 'admin');
    assert.ok(!shown.text.includes(jaasKeys.privateKey.split('\n')[1]!) && !shown.text.includes(SELF_SECRET));
    const list = dataOf(shown);
    assert.equal(list.clinic?.provider, 'self-hosted');
    assert.deepEqual(list.groups.map((g) => [g.groupId, g.provider]), [[group.id, 'jaas']]);
    assert.equal(list.demo, false);
  });
});

describe('public-demo (meet.jit.si)', () => {
  test('is refused clinic-wide outside demo mode, and for a group without its explicit opt-in', async () => {
    await assertRefused({ provider: 'public-demo' }, 'provider');
    await assertRefused({ domain: 'meet.jit.si' }, 'provider');
    const group = await newGroup('Public refused');
    await assertRefused({ provider: 'public-demo', groupId: group.id }, 'publicOptIn');
    await assertRefused({ provider: 'public-demo', groupId: group.id, publicOptIn: false }, 'publicOptIn');
  });

  test('a group that opted in gets the public room, no token, and members are told it is a public test room', async () => {
    const group = await newGroup('Public test group');
    dataOf(await m('groups.setVideoConfig', { provider: 'public-demo', groupId: group.id, publicOptIn: true }, 'admin'));
    const joined = dataOf(await m<JoinResult>('groups.join', { groupId: group.id }, 'alice'));
    assert.deepEqual(
      { provider: joined.provider, domain: joined.domain, jwt: joined.jwt, publicTestRoom: joined.publicTestRoom, captions: joined.captions },
      { provider: 'public-demo', domain: 'meet.jit.si', jwt: null, publicTestRoom: true, captions: false },
    );
    const { room_slug } = await server.db.selectFrom('groups').select('room_slug').where('id', '=', group.id).executeTakeFirstOrThrow();
    assert.equal(joined.roomName, room_slug);
    assert.equal((await listed(group.id, 'alice')).video.publicTestRoom, true);
    assert.deepEqual((await listed(group.id, 'admin')).notices, ['public-domain']);
    // Clearing the override puts the group back on the clinic's provider.
    const cleared = dataOf(await m<{ removed: VideoConfigView | null }>('groups.clearVideoConfig', { groupId: group.id }, 'admin'));
    assert.equal(cleared.removed?.provider, 'public-demo');
    assert.equal((await listed(group.id, 'alice')).video.provider, 'self-hosted');
  });

  test('a stored clinic-wide public-demo row is used in demo mode only', () => {
    const row: VideoRow = {
      clinic_id: CLINIC_A, group_id: '', provider: 'public-demo', domain: 'meet.jit.si', app_id: null, key_id: null, app_secret: null, private_key: null, tenant: null,
      transcription: 0, recording: 0, livestreaming: 0, outbound_call: 0, public_opt_in: 0, dial_in: null, updated_at: new Date().toISOString(),
    };
    assert.equal(resolveVideo(row, null, true).provider, 'public-demo');
    const outside = resolveVideo(row, null, false);
    assert.equal(outside.provider, 'none');
    assert.equal(outside.provider === 'none' && outside.reason, 'public-not-allowed');
    assert.equal(resolveVideo(row, { ...row, group_id: 'g', public_opt_in: 1 }, false).provider, 'public-demo');
    assert.equal(resolveVideo(row, { ...row, group_id: 'g', provider: 'none' }, true).provider, 'none');
  });
});

describe('migration 2026-12-03-120-video-providers', () => {
  test('existing rows become self-hosted, or public-demo (used in demo mode only) for meet.jit.si', async () => {
    const database = await freshDatabase();
    const db = openDatabase(database.url);
    try {
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
      const names = Object.keys(migrations);
      const { error } = await migrator.migrateTo(names[names.indexOf('2026-12-03-120-video-providers') - 1]!);
      assert.equal(error, undefined);
      const at = new Date().toISOString();
      for (const id of ['m-one', 'm-two']) {
        await (db as never as { insertInto(t: string): { values(v: unknown): { execute(): Promise<unknown> } } })
          .insertInto('clinics')
          .values({ id, name: id, region: 'US', default_locale: 'en', enabled_templates: '[]', hs256_secret: 'x'.repeat(32), jwks_url: null, created_at: at })
          .execute();
      }
      const legacy = db as never as { insertInto(t: string): { values(v: unknown): { execute(): Promise<unknown> } } };
      await legacy.insertInto('group_video_config').values({ clinic_id: 'm-one', domain: 'Video.Example.org', app_id: 'app', app_secret: SELF_SECRET, tenant: 'tn', updated_at: at }).execute();
      await legacy.insertInto('group_video_config').values({ clinic_id: 'm-two', domain: 'meet.jit.si', app_id: null, app_secret: null, tenant: null, updated_at: at }).execute();
      await migrateToLatest(db);
      const rows = await db.selectFrom('video_configs').select(['clinic_id', 'group_id', 'provider', 'domain', 'app_id', 'app_secret', 'tenant', 'transcription']).orderBy('clinic_id').execute();
      assert.deepEqual(rows, [
        { clinic_id: 'm-one', group_id: '', provider: 'self-hosted', domain: 'video.example.org', app_id: 'app', app_secret: SELF_SECRET, tenant: 'tn', transcription: 0 },
        { clinic_id: 'm-two', group_id: '', provider: 'public-demo', domain: 'meet.jit.si', app_id: null, app_secret: null, tenant: null, transcription: 0 },
      ]);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
