import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import type { GroupSession, GroupSummary, JoinResult, RoomParticipants, SessionRemoval } from '../../server/contract/index.js';
import { REMOVED_FROM_SESSION_MESSAGE } from '../../server/contract/index.js';
import { dataOf, errorOf, mintToken, mutate, query, startServer, type TestServer } from './helpers.js';

/**
 * Moderating the live room (issue 19, item 2) over HTTP: a moderator removes a member for the rest of
 * the session by the pseudonymous room id of their token; the server stores it, audits it and
 * refuses that member a room token until the session ends (the next session they join again). And
 * the other refusals of `groups.join`: guidelines not accepted (the current version), no open
 * session. Runs on SQLite, and on PostgreSQL with CARE_TEST_POSTGRES_URL.
 */
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const weekly = (at: Date, minutes: number): GroupSession[] => [
  { day: WEEKDAYS[at.getUTCDay()]!, start: `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`, minutes },
];
/** A session that started five minutes ago and lasts 90 minutes. */
const openNow = () => weekly(new Date(Date.now() - 5 * 60_000), 90);
/** A session that starts in three hours (the room is closed now). */
const laterToday = () => weekly(new Date(Date.now() + 3 * 3_600_000), 60);
const SECRET = 'room-moderation-test-secret-0123456789-ab';

let server: TestServer;
const tokens: Record<string, string> = {};
const m = <T>(path: string, input: unknown, who: string) => mutate<T>(server.baseUrl, path, input, tokens[who]);
const q = <T>(path: string, input: unknown, who: string) => query<T>(server.baseUrl, path, input, tokens[who]);

async function newGroup(name: string, schedule = openNow()): Promise<GroupSummary> {
  const group = dataOf(
    await m<GroupSummary>('groups.create', { name, topic: 'recovery', description: '', language: 'en', timeZone: 'UTC', schedule, capacity: 10, guidelines: { en: 'Be kind.' }, moderatorIds: ['mod'] }, 'admin'),
  );
  dataOf(await m('groups.setVideoConfig', { groupId: group.id, provider: 'self-hosted', domain: 'meet.clinic-a.example', appId: 'care-app', appSecret: SECRET }, 'admin'));
  for (const [who, alias] of [['alice', 'River'], ['bob', 'Cedar']] as const) {
    dataOf(await m('groups.addMember', { groupId: group.id, userId: who }, 'mod'));
    dataOf(await m('groups.setAlias', { groupId: group.id, mode: 'alias', alias }, who));
    dataOf(await m('groups.acceptGuidelines', { groupId: group.id, version: 1 }, who));
  }
  return group;
}

const roomIdOf = (joined: JoinResult) => (decodeJwt(joined.jwt!).context as { user: { id: string } }).user.id;
const removalRows = (groupId: string) => server.db.selectFrom('group_session_removals').selectAll().where('group_id', '=', groupId).execute();
const changeRows = () => server.db.selectFrom('admin_changes').selectAll().where('action', '=', 'group.session.remove').execute();

before(async () => {
  server = await startServer();
  for (const [sub, role] of [['admin', 'admin'], ['mod', 'clinician'], ['otherClinician', 'clinician'], ['alice', 'client'], ['bob', 'client'], ['carol', 'client']] as const) {
    tokens[sub] = await mintToken({ sub, role, name: `${sub} Realname` });
  }
  tokens.otherAdmin = await mintToken({ sub: 'b-admin', role: 'admin', clinic: 'clinic-b' });
});
after(async () => {
  await server.stop();
});

describe('groups.removeFromSession', () => {
  test('a moderator removes a member by their room id: stored, audited, and join refused until the session ends', async () => {
    const group = await newGroup('Removal circle');
    const aliceRoom = roomIdOf(dataOf(await m<JoinResult>('groups.join', { groupId: group.id }, 'alice')));
    const roster = dataOf(await q<RoomParticipants>('groups.roomParticipants', { groupId: group.id }, 'mod'));
    assert.deepEqual(
      roster.participants.map((p) => p.name),
      ['River', 'Cedar'],
      'members only, under the names the room shows',
    );
    assert.equal(roster.participants[0]!.participantId, aliceRoom, "the room id is the context.user.id of the member's room token");
    assert.ok(!JSON.stringify(roster).includes('alice'), 'no one is named by their user id');

    const removal = dataOf(await m<SessionRemoval>('groups.removeFromSession', { groupId: group.id, participantId: aliceRoom, reason: 'Shared another member’s phone number' }, 'mod'));
    assert.equal(removal.created, true);
    assert.equal(removal.participantId, aliceRoom);
    const joinedAsBob = dataOf(await m<JoinResult>('groups.join', { groupId: group.id }, 'bob'));
    assert.equal(removal.until, joinedAsBob.session.end, 'until the end of the open session');

    const rows = await removalRows(group.id);
    assert.equal(rows.length, 1);
    assert.deepEqual(
      { user: rows[0]!.user_id, by: rows[0]!.removed_by, start: rows[0]!.session_start, end: rows[0]!.session_end, reason: rows[0]!.reason, clinic: rows[0]!.clinic_id },
      { user: 'alice', by: 'mod', start: joinedAsBob.session.start, end: joinedAsBob.session.end, reason: 'Shared another member’s phone number', clinic: 'clinic-a' },
    );
    const audit = (await changeRows()).filter((c) => JSON.parse(c.after!).groupId === group.id);
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actor, 'clinician:mod');
    assert.deepEqual(JSON.parse(audit[0]!.after!), { groupId: group.id, userId: 'alice', sessionStart: joinedAsBob.session.start, sessionEnd: joinedAsBob.session.end, reason: 'Shared another member’s phone number' });

    const refused = await m('groups.join', { groupId: group.id }, 'alice');
    assert.equal(refused.status, 403);
    assert.equal(errorOf(refused).message, REMOVED_FROM_SESSION_MESSAGE);
    assert.match(errorOf(refused).message, /removed you from this session/);
    assert.ok(!refused.text.includes('eyJ'), 'no token in the refusal');
    // The board and crisis help stay open to them.
    assert.equal((await q('groups.messages', { groupId: group.id }, 'alice')).status, 200);
    assert.equal((await q('crisis.resources', undefined, 'alice')).status, 200);
    // The moderator still joins.
    assert.equal((await m('groups.join', { groupId: group.id }, 'mod')).status, 200);
  });

  test('removing twice keeps the first removal and writes one audit row', async () => {
    const group = await newGroup('Twice circle');
    const bobRoom = dataOf(await q<RoomParticipants>('groups.roomParticipants', { groupId: group.id }, 'admin')).participants.find((p) => p.name === 'Cedar')!.participantId;
    assert.equal(dataOf(await m<SessionRemoval>('groups.removeFromSession', { groupId: group.id, participantId: bobRoom }, 'admin')).created, true);
    assert.equal(dataOf(await m<SessionRemoval>('groups.removeFromSession', { groupId: group.id, participantId: bobRoom, reason: 'again' }, 'mod')).created, false);
    const rows = await removalRows(group.id);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.reason, null, 'the first removal (without a reason) stands');
    assert.equal(rows[0]!.removed_by, 'admin');
    assert.equal((await changeRows()).filter((c) => JSON.parse(c.after!).groupId === group.id).length, 1);
  });

  test('a removal from an earlier session does not refuse the next one', async () => {
    const group = await newGroup('Next week circle');
    const room = dataOf(await q<RoomParticipants>('groups.roomParticipants', { groupId: group.id }, 'mod')).participants[0]!.participantId;
    const removal = dataOf(await m<SessionRemoval>('groups.removeFromSession', { groupId: group.id, participantId: room }, 'mod'));
    assert.equal((await m('groups.join', { groupId: group.id }, 'alice')).status, 403);
    // Last week's session: the same row, a week earlier (the clock cannot be moved a week in a test).
    const week = 7 * 86_400_000;
    const row = (await removalRows(group.id))[0]!;
    await server.db
      .updateTable('group_session_removals')
      .set({ session_start: new Date(Date.parse(row.session_start) - week).toISOString(), session_end: new Date(Date.parse(removal.until) - week).toISOString() })
      .where('id', '=', row.id)
      .execute();
    assert.equal((await m('groups.join', { groupId: group.id }, 'alice')).status, 200, 'this session is a new one');
  });

  test('only the group’s moderators may: members and other clinicians are FORBIDDEN, another clinic’s admin NOT_FOUND; nothing stored', async () => {
    const group = await newGroup('Who may circle');
    const room = dataOf(await q<RoomParticipants>('groups.roomParticipants', { groupId: group.id }, 'mod')).participants[0]!.participantId;
    for (const [who, status] of [['bob', 403], ['otherClinician', 403], ['carol', 404], ['otherAdmin', 404]] as const) {
      const res = await m('groups.removeFromSession', { groupId: group.id, participantId: room }, who);
      assert.equal(res.status, status, `${who}: ${res.text}`);
      assert.equal((await q('groups.roomParticipants', { groupId: group.id }, who)).status, status, `${who} reading the room ids`);
    }
    assert.equal((await m('groups.removeFromSession', { groupId: 'no-such-group', participantId: room }, 'mod')).status, 404);
    assert.deepEqual(await removalRows(group.id), []);
    assert.equal((await m('groups.join', { groupId: group.id }, 'alice')).status, 200);
  });

  test('bad input names the field and changes nothing; never a 500', async () => {
    const group = await newGroup('Bad input circle');
    const moderatorRoom = roomIdOf(dataOf(await m<JoinResult>('groups.join', { groupId: group.id }, 'mod')));
    const before = (await changeRows()).length;
    const cases: [unknown, string][] = [
      [{ groupId: group.id }, 'participantId'],
      [{ groupId: group.id, participantId: '' }, 'participantId'],
      [{ groupId: group.id, participantId: 'x'.repeat(65) }, 'participantId'],
      [{ groupId: group.id, participantId: 'not-a-room-id' }, 'participantId'],
      [{ groupId: group.id, participantId: moderatorRoom }, 'participantId'],
      [{ groupId: group.id, participantId: 'abc', reason: 'x'.repeat(501) }, 'reason'],
      [{ participantId: 'abc' }, 'groupId'],
      [{ groupId: group.id, participantId: 42 }, 'participantId'],
    ];
    for (const [input, field] of cases) {
      const res = await m('groups.removeFromSession', input, 'mod');
      assert.equal(res.status, 400, `${JSON.stringify(input).slice(0, 80)}: ${res.text}`);
      assert.deepEqual(errorOf(res).data.fieldErrors?.map((f) => f.path), [field], res.text);
    }
    assert.deepEqual(await removalRows(group.id), []);
    assert.equal((await changeRows()).length, before);
  });

  test('with no session open there is no one to remove (412)', async () => {
    const group = await newGroup('Closed circle', laterToday());
    const room = dataOf(await q<RoomParticipants>('groups.roomParticipants', { groupId: group.id }, 'mod')).participants[0]!.participantId;
    const res = await m('groups.removeFromSession', { groupId: group.id, participantId: room }, 'mod');
    assert.equal(res.status, 412, res.text);
    assert.deepEqual(await removalRows(group.id), []);
  });
});

describe('groups.join refusals', () => {
  test('a member who has not accepted the current guidelines gets no room token (412), before and after a new version', async () => {
    const group = await newGroup('Guidelines circle');
    dataOf(await m('groups.addMember', { groupId: group.id, userId: 'carol' }, 'mod'));
    const first = await m('groups.join', { groupId: group.id }, 'carol');
    assert.equal(first.status, 412);
    assert.match(errorOf(first).message, /accept the group guidelines/);
    assert.ok(!first.text.includes('eyJ'), 'no token');
    assert.equal((await m('groups.join', { groupId: group.id }, 'alice')).status, 200, 'alice accepted version 1');

    dataOf(await m('groups.setGuidelines', { groupId: group.id, guidelines: { en: 'Be kind. No phone numbers.' } }, 'mod'));
    const stale = await m('groups.join', { groupId: group.id }, 'alice');
    assert.equal(stale.status, 412, 'version 1 is no longer the current guidelines');
    assert.ok(!stale.text.includes('eyJ'));
    dataOf(await m('groups.acceptGuidelines', { groupId: group.id, version: 2 }, 'alice'));
    assert.equal((await m('groups.join', { groupId: group.id }, 'alice')).status, 200);
  });

  test('outside the session window the room is closed (412), for members and moderators', async () => {
    const group = await newGroup('Evening circle', laterToday());
    for (const who of ['alice', 'mod']) {
      const res = await m('groups.join', { groupId: group.id }, who);
      assert.equal(res.status, 412, res.text);
      assert.match(errorOf(res).message, /room is closed/);
    }
  });

  test('a token is limited to the session window it was minted for', async () => {
    const group = await newGroup('Window circle');
    const joined = dataOf(await m<JoinResult>('groups.join', { groupId: group.id }, 'alice'));
    const claims = decodeJwt(joined.jwt!);
    assert.equal(claims.exp, Math.floor(Date.parse(joined.session.end) / 1000));
    assert.ok(claims.nbf! <= Math.floor(Date.now() / 1000));
  });
});
