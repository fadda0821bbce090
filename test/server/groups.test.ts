import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt, jwtVerify } from 'jose';
import type { BoardPage, BoardPost, GroupList, GroupSession, GroupSummary, JoinResult, MyMembership } from '../../server/contract/index.js';
import { CLINIC_B, dataOf, errorOf, mintToken, mutate, query, startServer, type TestServer } from './helpers.js';

const APP_ID = 'care-test-app';
const APP_SECRET = 'jitsi-test-secret-0123456789-abcdefghijklmnop';
const DOMAIN = 'video.clinic-a.example';
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** A weekly session that started five minutes ago (UTC), so the room is open while the tests run. */
function openNow(minutes = 120): GroupSession[] {
  const start = new Date(Date.now() - 5 * 60_000);
  const hh = String(start.getUTCHours()).padStart(2, '0');
  const mm = String(start.getUTCMinutes()).padStart(2, '0');
  return [{ day: WEEKDAYS[start.getUTCDay()]!, start: `${hh}:${mm}`, minutes }];
}

/** A weekly session three days away: the room is closed now. */
function closedNow(): GroupSession[] {
  const start = new Date(Date.now() + 3 * 86_400_000);
  return [{ day: WEEKDAYS[start.getUTCDay()]!, start: '12:00', minutes: 60 }];
}

let server: TestServer;
const tokens: Record<string, string> = {};
const person = (sub: keyof typeof PEOPLE) => tokens[sub]!;
const PEOPLE = {
  admin: { role: 'admin', name: 'Ada Admin' },
  moderator: { role: 'clinician', name: 'Dr. Mona Moderator' },
  otherClinician: { role: 'clinician', name: 'Dr. Not Moderating' },
  alice: { role: 'client', name: 'Alice Realname' },
  bob: { role: 'client', name: 'Bob Realname' },
  carol: { role: 'client', name: 'Carol Realname' },
  outsider: { role: 'client', name: 'Olive Outsider' },
  otherClinicClient: { role: 'client', name: 'Bea Elsewhere', clinic: CLINIC_B },
  otherClinicClinician: { role: 'clinician', name: 'Dr. Elsewhere', clinic: CLINIC_B },
} as const;

const call = {
  q: <T>(path: string, input: unknown, who: keyof typeof PEOPLE) => query<T>(server.baseUrl, path, input, person(who)),
  m: <T>(path: string, input: unknown, who: keyof typeof PEOPLE) => mutate<T>(server.baseUrl, path, input, person(who)),
};

async function createGroup(overrides: Record<string, unknown> = {}): Promise<GroupSummary> {
  return dataOf(
    await call.m<GroupSummary>(
      'groups.create',
      {
        name: 'Tuesday circle',
        topic: 'recovery',
        description: 'Peer support',
        language: 'en',
        timeZone: 'UTC',
        schedule: openNow(),
        capacity: 10,
        guidelines: { en: 'Be kind. Keep it private.', es: 'Sea amable. Manténgalo privado.' },
        moderatorIds: ['moderator'],
        ...overrides,
      },
      'admin',
    ),
  );
}

async function addMembers(groupId: string, ...userIds: string[]) {
  for (const userId of userIds) dataOf(await call.m('groups.addMember', { groupId, userId }, 'moderator'));
}

async function readyMember(groupId: string, who: keyof typeof PEOPLE, alias?: string) {
  if (alias) dataOf(await call.m('groups.setAlias', { groupId, mode: 'alias', alias }, who));
  dataOf(await call.m('groups.acceptGuidelines', { groupId, version: 1 }, who));
}

before(async () => {
  server = await startServer();
  for (const [sub, p] of Object.entries(PEOPLE)) {
    tokens[sub] = await mintToken({ sub, role: p.role, name: p.name, ...('clinic' in p ? { clinic: p.clinic } : {}) });
  }
});
after(async () => {
  await server.stop();
});

describe('video configuration', () => {
  test('without a video provider the group has no room (board and dial-in only), and groups.list tells staff', async () => {
    const group = await createGroup();
    await addMembers(group.id, 'alice');
    await readyMember(group.id, 'alice');
    const joined = await call.m<JoinResult>('groups.join', { groupId: group.id }, 'alice');
    assert.equal(joined.status, 412);
    assert.match(errorOf(joined).message, /no video room/);
    const staffView = dataOf(await call.q<GroupList>('groups.list', undefined, 'admin')).groups.find((g) => g.id === group.id)!;
    assert.deepEqual(staffView.notices, ['no-video']);
    assert.deepEqual(staffView.video, { provider: 'none', domain: null, mode: 'none', captions: false, publicTestRoom: false });
    const clientView = dataOf(await call.q<GroupList>('groups.list', undefined, 'alice')).groups.find((g) => g.id === group.id)!;
    assert.deepEqual(clientView.notices, []);
  });

  test('only an admin sets the video configuration, the secret never comes back, and app id and secret go together', async () => {
    const refused = await call.m('groups.setVideoConfig', { domain: DOMAIN, appId: APP_ID, appSecret: APP_SECRET }, 'moderator');
    assert.equal(refused.status, 403);
    const half = await call.m('groups.setVideoConfig', { domain: DOMAIN, appId: APP_ID }, 'admin');
    assert.equal(half.status, 400);
    assert.match(errorOf(half).message, /appSecret/);
    const badDomain = await call.m('groups.setVideoConfig', { domain: 'https://evil/<x>' }, 'admin');
    assert.equal(badDomain.status, 400);
    assert.match(errorOf(badDomain).message, /domain/);
    const saved = await call.m<{ domain: string; mode: string; provider: string }>('groups.setVideoConfig', { domain: DOMAIN, appId: APP_ID, appSecret: APP_SECRET }, 'admin');
    assert.deepEqual([dataOf(saved).domain, dataOf(saved).mode, dataOf(saved).provider], [DOMAIN, 'token', 'self-hosted']);
    assert.ok(!saved.text.includes(APP_SECRET));
    const listed = await call.q<GroupList>('groups.list', undefined, 'admin');
    assert.ok(!listed.text.includes(APP_SECRET));
    for (const g of dataOf(listed).groups) assert.deepEqual(g.notices, []);
  });
});

describe('joining a room', () => {
  let group: GroupSummary;
  before(async () => {
    dataOf(await call.m('groups.setVideoConfig', { domain: DOMAIN, appId: APP_ID, appSecret: APP_SECRET }, 'admin'));
    group = await createGroup({ name: 'JWT group' });
    await addMembers(group.id, 'alice', 'bob');
  });

  test('the room token carries the claims Jitsi token auth and JaaS expect, signed with the clinic key, limited to the session', async () => {
    await readyMember(group.id, 'alice', 'River');
    const joined = dataOf(await call.m<JoinResult>('groups.join', { groupId: group.id }, 'alice'));
    assert.equal(joined.domain, DOMAIN);
    assert.equal(joined.displayName, 'River');
    assert.equal(joined.moderator, false);
    const { payload, protectedHeader } = await jwtVerify(joined.jwt!, new TextEncoder().encode(APP_SECRET), {
      algorithms: ['HS256'],
      audience: 'jitsi',
      issuer: APP_ID,
      subject: DOMAIN,
    });
    assert.equal(protectedHeader.alg, 'HS256');
    assert.equal(payload.room, joined.roomName);
    const user = (payload.context as { user: Record<string, unknown> }).user;
    assert.equal(user.name, 'River');
    assert.equal(user.moderator, 'false');
    assert.equal(typeof user.id, 'string');
    assert.notEqual(user.id, 'alice');
    // Neither the person's id nor their real name reaches Jitsi.
    const claims = JSON.stringify(payload);
    assert.ok(!claims.includes('alice') && !claims.includes('Realname'), claims);
    const start = Date.parse(joined.session.start);
    const end = Date.parse(joined.session.end);
    assert.equal(payload.exp, Math.floor(end / 1000));
    assert.equal(payload.nbf, Math.floor((start - 10 * 60_000) / 1000));
    assert.ok(payload.nbf <= Date.now() / 1000 && payload.exp > Date.now() / 1000);
    assert.ok(payload.exp - payload.nbf <= (120 + 10) * 60);
  });

  test('a moderator gets a moderator token and needs no guidelines acceptance', async () => {
    const joined = dataOf(await call.m<JoinResult>('groups.join', { groupId: group.id }, 'moderator'));
    assert.equal(joined.moderator, true);
    // Named at creation by the admin, they have not chosen to show their name: a neutral label.
    assert.equal(joined.displayName, 'Moderator');
    const claims = decodeJwt(joined.jwt!) as { context: { user: { moderator: string; name: string } } };
    assert.equal(claims.context.user.moderator, 'true');
  });

  test('a self-hosted tenant becomes the token subject and the room name prefix', async () => {
    dataOf(await call.m('groups.setVideoConfig', { domain: '8x8.vc', appId: 'vpaas-magic-cookie-abc', appSecret: APP_SECRET, tenant: 'vpaas-magic-cookie-abc' }, 'admin'));
    try {
      const joined = dataOf(await call.m<JoinResult>('groups.join', { groupId: group.id }, 'alice'));
      assert.match(joined.roomName, /^vpaas-magic-cookie-abc\/care-/);
      const { payload } = await jwtVerify(joined.jwt!, new TextEncoder().encode(APP_SECRET), { audience: 'jitsi', subject: 'vpaas-magic-cookie-abc' });
      assert.equal(`vpaas-magic-cookie-abc/${payload.room as string}`, joined.roomName);
    } finally {
      dataOf(await call.m('groups.setVideoConfig', { domain: DOMAIN, appId: APP_ID, appSecret: APP_SECRET }, 'admin'));
    }
  });

  test('the room is closed outside the session window', async () => {
    const closed = await createGroup({ name: 'Closed group', schedule: closedNow() });
    await addMembers(closed.id, 'alice');
    await readyMember(closed.id, 'alice');
    const res = await call.m('groups.join', { groupId: closed.id }, 'alice');
    assert.equal(res.status, 412);
    assert.equal(errorOf(res).data.code, 'PRECONDITION_FAILED');
    const listed = dataOf(await call.q<GroupList>('groups.list', undefined, 'alice')).groups.find((g) => g.id === closed.id)!;
    assert.equal(listed.roomOpen, false);
    assert.ok(Date.parse(listed.nextSession!.start) > Date.now());
  });
});

describe('guidelines come first', () => {
  test('a member cannot join, read or post before accepting the current guidelines; acceptance records version and time', async () => {
    const group = await createGroup({ name: 'Guidelines group' });
    await addMembers(group.id, 'bob');
    for (const res of [
      await call.m('groups.join', { groupId: group.id }, 'bob'),
      await call.q('groups.messages', { groupId: group.id }, 'bob'),
      await call.m('groups.post', { groupId: group.id, body: 'hello' }, 'bob'),
    ]) {
      assert.equal(res.status, 412, res.text);
      assert.match(errorOf(res).message, /guidelines/);
    }
    const wrongVersion = await call.m('groups.acceptGuidelines', { groupId: group.id, version: 2 }, 'bob');
    assert.equal(wrongVersion.status, 400);
    assert.match(errorOf(wrongVersion).message, /version/);

    const membership = dataOf(await call.m<MyMembership>('groups.acceptGuidelines', { groupId: group.id, version: 1 }, 'bob'));
    assert.equal(membership.guidelinesAcceptedVersion, 1);
    const row = await server.db.selectFrom('group_members').selectAll().where('group_id', '=', group.id).where('user_id', '=', 'bob').executeTakeFirstOrThrow();
    assert.equal(row.guidelines_version, 1);
    assert.ok(Math.abs(Date.parse(row.guidelines_accepted_at!) - Date.now()) < 60_000);
    assert.equal((await call.m('groups.join', { groupId: group.id }, 'bob')).status, 200);

    // New wording is a new version: accept again before the next join.
    assert.deepEqual(dataOf(await call.m('groups.setGuidelines', { groupId: group.id, guidelines: { en: 'New rules' } }, 'moderator')), { version: 2 });
    assert.equal((await call.m('groups.join', { groupId: group.id }, 'bob')).status, 412);
    dataOf(await call.m('groups.acceptGuidelines', { groupId: group.id, version: 2 }, 'bob'));
    assert.equal((await call.m('groups.join', { groupId: group.id }, 'bob')).status, 200);
  });
});

describe('membership and moderation matrix', () => {
  let group: GroupSummary;
  let post: BoardPost;
  before(async () => {
    group = await createGroup({ name: 'Matrix group' });
    await addMembers(group.id, 'alice');
    await readyMember(group.id, 'alice');
    post = dataOf(await call.m<BoardPost>('groups.post', { groupId: group.id, body: 'A post to moderate' }, 'alice'));
  });

  const cases: { who: keyof typeof PEOPLE; join: number; messages: number; post: number; hide: number; members: number }[] = [
    { who: 'outsider', join: 404, messages: 404, post: 404, hide: 403, members: 403 },
    { who: 'alice', join: 200, messages: 200, post: 200, hide: 403, members: 403 },
    { who: 'moderator', join: 200, messages: 200, post: 200, hide: 200, members: 200 },
    { who: 'otherClinician', join: 403, messages: 403, post: 403, hide: 403, members: 403 },
    { who: 'otherClinicClient', join: 404, messages: 404, post: 404, hide: 403, members: 403 },
    { who: 'otherClinicClinician', join: 404, messages: 404, post: 404, hide: 404, members: 404 },
  ];
  for (const c of cases) {
    test(`${c.who}: join ${c.join}, messages ${c.messages}, post ${c.post}, hide ${c.hide}, members ${c.members}`, async () => {
      const got = {
        join: (await call.m('groups.join', { groupId: group.id }, c.who)).status,
        messages: (await call.q('groups.messages', { groupId: group.id }, c.who)).status,
        post: (await call.m('groups.post', { groupId: group.id, body: `from ${c.who}` }, c.who)).status,
        hide: (await call.m('groups.hide', { postId: post.id, reason: `checked by ${c.who}` }, c.who)).status,
        members: (await call.q('groups.members', { groupId: group.id }, c.who)).status,
      };
      assert.deepEqual(got, { join: c.join, messages: c.messages, post: c.post, hide: c.hide, members: c.members });
    });
  }

  test('a client never sees a group they are not in, nor another clinic’s groups', async () => {
    const outsiderGroups = dataOf(await call.q<GroupList>('groups.list', undefined, 'outsider')).groups;
    assert.equal(outsiderGroups.length, 0);
    const elsewhere = dataOf(await call.q<GroupList>('groups.list', undefined, 'otherClinicClinician')).groups;
    assert.equal(elsewhere.length, 0);
  });

  test('groups.list with a groupId answers that group alone, and nothing to those who may not see it', async () => {
    const other = await createGroup({ name: 'Another circle' });
    const only = dataOf(await call.q<GroupList>('groups.list', { groupId: group.id }, 'admin')).groups;
    assert.deepEqual(only.map((g) => g.id), [group.id]);
    assert.ok(dataOf(await call.q<GroupList>('groups.list', undefined, 'admin')).groups.some((g) => g.id === other.id));
    assert.deepEqual(dataOf(await call.q<GroupList>('groups.list', { groupId: group.id }, 'alice')).groups.map((g) => g.id), [group.id]);
    for (const who of ['outsider', 'otherClinicClinician'] as const) {
      assert.deepEqual(dataOf(await call.q<GroupList>('groups.list', { groupId: group.id }, who)).groups, []);
    }
  });

  test('staff need the group to exist in their clinic to add members, and clients cannot add anyone', async () => {
    assert.equal((await call.m('groups.addMember', { groupId: group.id, userId: 'x' }, 'alice')).status, 403);
    assert.equal((await call.m('groups.addMember', { groupId: group.id, userId: 'x' }, 'otherClinicClinician')).status, 404);
    assert.equal((await call.m('groups.addMember', { groupId: group.id, userId: 'x' }, 'otherClinician')).status, 403);
    assert.equal((await call.m('groups.create', { name: 'x' }, 'moderator')).status, 403);
  });
});

describe('aliases', () => {
  test('the alias is all other members see; the mapping is visible only to moderators, through an audited read', async () => {
    const group = await createGroup({ name: 'Alias group' });
    await addMembers(group.id, 'alice', 'bob');
    await readyMember(group.id, 'alice', 'Quiet Heron');
    await readyMember(group.id, 'bob');
    const thread = dataOf(await call.m<BoardPost>('groups.post', { groupId: group.id, body: 'First week done' }, 'alice'));
    dataOf(await call.m('groups.post', { groupId: group.id, body: 'Well done', parentId: thread.id }, 'bob'));

    const bobView = await call.q<BoardPage>('groups.messages', { groupId: group.id }, 'bob');
    const page = dataOf(bobView);
    assert.equal(page.threads[0]!.authorLabel, 'Quiet Heron');
    assert.equal(page.threads[0]!.mine, false);
    assert.equal(page.threads[0]!.replies[0]!.mine, true);
    const bobList = await call.q<GroupList>('groups.list', undefined, 'bob');
    for (const text of [bobView.text, bobList.text]) {
      assert.ok(!text.includes('Alice') && !text.includes('"alice"'), text);
    }

    const auditBefore = await server.db.selectFrom('audit_log').selectAll().where('action', '=', 'groups.members').execute();
    const members = dataOf(await call.q<{ members: { userId: string; name: string | null; alias: string | null }[] }>('groups.members', { groupId: group.id }, 'moderator')).members;
    const alice = members.find((m) => m.userId === 'alice')!;
    assert.equal(alice.alias, 'Quiet Heron');
    assert.equal(alice.name, 'Alice Realname');
    const audit = await server.db.selectFrom('audit_log').selectAll().where('action', '=', 'groups.members').execute();
    assert.equal(audit.length - auditBefore.length, 2);
    assert.ok(audit.some((r) => r.subject_id === 'alice' && r.actor_id === 'moderator'));
  });

  test('an alias another member uses is refused, and an empty alias names the field', async () => {
    const group = await createGroup({ name: 'Alias clash group' });
    await addMembers(group.id, 'alice', 'bob');
    dataOf(await call.m('groups.setAlias', { groupId: group.id, mode: 'alias', alias: 'Maple' }, 'alice'));
    const clash = await call.m('groups.setAlias', { groupId: group.id, mode: 'alias', alias: 'maple' }, 'bob');
    assert.equal(clash.status, 409);
    const empty = await call.m('groups.setAlias', { groupId: group.id, mode: 'alias' }, 'bob');
    assert.equal(empty.status, 400);
    assert.match(errorOf(empty).message, /alias/);
    const markup = await call.m('groups.setAlias', { groupId: group.id, mode: 'alias', alias: '<img src=x>' }, 'bob');
    assert.equal(markup.status, 400);
    assert.deepEqual(errorOf(markup).data.fieldErrors?.map((f) => f.path), ['alias']);
  });
});

describe('the group board', () => {
  let group: GroupSummary;
  before(async () => {
    group = await createGroup({ name: 'Board group' });
    await addMembers(group.id, 'alice', 'bob');
    await readyMember(group.id, 'alice', 'Fern');
    await readyMember(group.id, 'bob');
  });

  test('a hidden post is kept with who hid it and why, never shown to members, and still shown to moderators', async () => {
    const thread = dataOf(await call.m<BoardPost>('groups.post', { groupId: group.id, body: 'Buy pills at this link' }, 'bob'));
    const reply = dataOf(await call.m<BoardPost>('groups.post', { groupId: group.id, body: 'reply to it', parentId: thread.id }, 'alice'));
    dataOf(await call.m('groups.report', { postId: thread.id, reason: 'spam' }, 'alice'));
    dataOf(await call.m('groups.report', { postId: thread.id, reason: 'spam' }, 'alice'));
    const modBefore = dataOf(await call.q<BoardPage>('groups.messages', { groupId: group.id }, 'moderator'));
    assert.equal(modBefore.threads.find((t) => t.id === thread.id)!.reportCount, 1);

    const noReason = await call.m('groups.hide', { postId: thread.id }, 'moderator');
    assert.equal(noReason.status, 400);
    assert.match(errorOf(noReason).message, /reason/);
    const hidden = dataOf(await call.m<BoardPost>('groups.hide', { postId: thread.id, reason: 'Selling drugs' }, 'moderator'));
    assert.equal(hidden.hidden?.reason, 'Selling drugs');

    const memberView = await call.q<BoardPage>('groups.messages', { groupId: group.id }, 'alice');
    assert.ok(!dataOf(memberView).threads.some((t) => t.id === thread.id));
    assert.ok(!memberView.text.includes('Buy pills') && !memberView.text.includes(reply.id));
    const modView = dataOf(await call.q<BoardPage>('groups.messages', { groupId: group.id }, 'moderator'));
    assert.equal(modView.threads.find((t) => t.id === thread.id)?.hidden?.reason, 'Selling drugs');

    const row = await server.db.selectFrom('group_posts').selectAll().where('id', '=', thread.id).executeTakeFirstOrThrow();
    assert.equal(row.body, 'Buy pills at this link');
    assert.equal(row.hidden_by, 'moderator');
    assert.equal(row.hidden_reason, 'Selling drugs');
    assert.equal((await call.m('groups.report', { postId: thread.id, reason: 'spam' }, 'alice')).status, 404);
    assert.equal((await call.m('groups.post', { groupId: group.id, body: 'x', parentId: thread.id }, 'alice')).status, 404);
  });

  test('posting is limited per member per minute with TOO_MANY_REQUESTS', async () => {
    const limited = await createGroup({ name: 'Rate group' });
    await addMembers(limited.id, 'carol', 'alice');
    await readyMember(limited.id, 'carol');
    await readyMember(limited.id, 'alice');
    for (let i = 0; i < 5; i++) dataOf(await call.m('groups.post', { groupId: limited.id, body: `message ${i}` }, 'carol'));
    const sixth = await call.m('groups.post', { groupId: limited.id, body: 'one too many' }, 'carol');
    assert.equal(sixth.status, 429);
    assert.equal(errorOf(sixth).data.code, 'TOO_MANY_REQUESTS');
    // The limit is the person's, not the group's.
    assert.equal((await call.m('groups.post', { groupId: limited.id, body: 'hello' }, 'alice')).status, 200);
  });

  test('threads page newest first with a cursor, replies oldest first, and a bad body names the field', async () => {
    const paged = await createGroup({ name: 'Paging group' });
    await addMembers(paged.id, 'bob');
    await readyMember(paged.id, 'bob');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(dataOf(await call.m<BoardPost>('groups.post', { groupId: paged.id, body: `thread ${i}` }, 'bob')).id);
    const first = dataOf(await call.q<BoardPage>('groups.messages', { groupId: paged.id, limit: 2 }, 'bob'));
    assert.deepEqual(first.threads.map((t) => t.body), ['thread 2', 'thread 1']);
    const second = dataOf(await call.q<BoardPage>('groups.messages', { groupId: paged.id, limit: 2, cursor: first.nextCursor }, 'bob'));
    assert.deepEqual(second.threads.map((t) => t.body), ['thread 0']);
    assert.equal(second.nextCursor, null);
    const empty = await call.m('groups.post', { groupId: paged.id, body: '   ' }, 'bob');
    assert.equal(empty.status, 400);
    assert.deepEqual(errorOf(empty).data.fieldErrors?.map((f) => f.path), ['body']);
    const long = await call.m('groups.post', { groupId: paged.id, body: 'x'.repeat(2001) }, 'bob');
    assert.equal(long.status, 400);
    const badCursor = await call.q('groups.messages', { groupId: paged.id, cursor: 'nope' }, 'bob');
    assert.equal(badCursor.status, 400);
  });
});

describe('attendance and feedback', () => {
  test('joined and left are stored as a group session attended, a rejoin continues it, and progress.summary counts it', async () => {
    const group = await createGroup({ name: 'Attendance group' });
    await addMembers(group.id, 'carol');
    await readyMember(group.id, 'carol');
    const { attendanceId } = dataOf(await call.m<{ attendanceId: string }>('groups.attendance', { groupId: group.id, event: 'joined' }, 'carol'));
    const again = dataOf(await call.m<{ attendanceId: string }>('groups.attendance', { groupId: group.id, event: 'joined' }, 'carol'));
    assert.equal(again.attendanceId, attendanceId);
    dataOf(await call.m('groups.attendance', { groupId: group.id, event: 'left', attendanceId }, 'carol'));
    const rows = await server.db.selectFrom('sessions_attended').selectAll().where('client_id', '=', 'carol').execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.kind, 'group');
    assert.equal(rows[0]!.source_id, group.id);
    assert.ok(rows[0]!.left_at);
    const summary = dataOf(await call.q<{ sessionsAttended: { group: number } }>('progress.summary', undefined, 'carol'));
    assert.equal(summary.sessionsAttended.group, 1);
    const missing = await call.m('groups.attendance', { groupId: group.id, event: 'left', attendanceId: 'not-mine' }, 'carol');
    assert.equal(missing.status, 404);
  });

  test('a full room refuses another member but not a moderator', async () => {
    const group = await createGroup({ name: 'Small room', capacity: 2 });
    await addMembers(group.id, 'alice', 'bob', 'carol');
    for (const who of ['alice', 'bob', 'carol'] as const) await readyMember(group.id, who);
    for (const who of ['alice', 'bob'] as const) {
      dataOf(await call.m('groups.join', { groupId: group.id }, who));
      dataOf(await call.m('groups.attendance', { groupId: group.id, event: 'joined' }, who));
    }
    const full = await call.m('groups.join', { groupId: group.id }, 'carol');
    assert.equal(full.status, 409);
    assert.match(errorOf(full).message, /full/);
    assert.equal((await call.m('groups.join', { groupId: group.id }, 'moderator')).status, 200);
  });

  test('feedback is a rating from 1 to 5 with an optional comment, one per person per session', async () => {
    const group = await createGroup({ name: 'Feedback group' });
    await addMembers(group.id, 'alice');
    const sessionStart = new Date(Date.now() - 60 * 60_000).toISOString();
    const bad = await call.m('groups.feedback', { groupId: group.id, sessionStart, rating: 6 }, 'alice');
    assert.equal(bad.status, 400);
    assert.deepEqual(errorOf(bad).data.fieldErrors?.map((f) => f.path), ['rating']);
    dataOf(await call.m('groups.feedback', { groupId: group.id, sessionStart, rating: 3 }, 'alice'));
    dataOf(await call.m('groups.feedback', { groupId: group.id, sessionStart, rating: 5, comment: 'Helped a lot' }, 'alice'));
    const rows = await server.db.selectFrom('group_feedback').selectAll().where('group_id', '=', group.id).execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.rating, 5);
    assert.equal(rows[0]!.comment, 'Helped a lot');
    assert.equal((await call.m('groups.feedback', { groupId: group.id, sessionStart, rating: 4 }, 'outsider')).status, 404);
  });
});

describe('bad input', () => {
  test('creating a group with an unknown time zone, bad schedule or unknown field names each field', async () => {
    const res = await call.m(
      'groups.create',
      { name: 'x', topic: 'recovery', description: '', language: 'en', timeZone: 'Mars/Olympus', schedule: [{ day: 'mon', start: '25:00', minutes: 60 }], capacity: 10, guidelines: { en: 'x' }, extra: 1 },
      'admin',
    );
    assert.equal(res.status, 400);
    const paths = errorOf(res).data.fieldErrors?.map((f) => f.path) ?? [];
    assert.ok(paths.includes('timeZone') && paths.includes('schedule.0.start') && paths.includes('extra'), JSON.stringify(paths));
  });

  test('garbage input never produces a 500', async () => {
    for (const input of [null, 42, 'x', [], { groupId: 7 }, { groupId: 'a'.repeat(500) }]) {
      for (const path of ['groups.join', 'groups.post', 'groups.attendance', 'groups.feedback', 'groups.report', 'groups.setAlias']) {
        const res = await call.m(path, input, 'alice');
        assert.ok(res.status >= 400 && res.status < 500, `${path} ${JSON.stringify(input)} → ${res.status}`);
      }
    }
  });
});
