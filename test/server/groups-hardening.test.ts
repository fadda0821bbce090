import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { GroupMembersTable } from '../../server/db/schema.js';
import type { BoardPage, GroupList, GroupMemberRecord, GroupSession, GroupSummary, JoinResult } from '../../server/contract/index.js';
import { Migrator } from 'kysely/migration';
import { migrateToLatest, openDatabase } from '../../server/db/index.js';
import { migrations } from '../../server/db/migrations/index.js';
import { nameSkeleton } from '../../server/domain/confusable-names.js';
import { dataOf, errorOf, freshDatabase, groupInput, mintToken, mutate, query, seedClinic, startServer, type TestServer, type TrpcResponse, CLINIC_A, SECRET_A } from './helpers.js';

/** Findings of the security probe (issue 11): real names of moderators, the board's rate limit, impersonating aliases. */

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** A weekly session that started five minutes ago (UTC), so the room is open while the tests run. */
function openNow(): GroupSession[] {
  const start = new Date(Date.now() - 5 * 60_000);
  const hh = String(start.getUTCHours()).padStart(2, '0');
  const mm = String(start.getUTCMinutes()).padStart(2, '0');
  return [{ day: WEEKDAYS[start.getUTCDay()]!, start: `${hh}:${mm}`, minutes: 120 }];
}

const PEOPLE = {
  admin: { role: 'admin', name: 'Ada Adminsworth' },
  rivera: { role: 'clinician', name: 'Ana Rivera' },
  paula: { role: 'client', name: 'Paula Peerhelper' },
  alice: { role: 'client', name: 'Alice Realname' },
  bob: { role: 'client', name: 'Bob Realname' },
  carol: { role: 'client', name: 'Carol Realname' },
} as const;
type Person = keyof typeof PEOPLE;

let server: TestServer;
const tokens = {} as Record<Person, string>;
const q = <T>(path: string, input: unknown, who: Person) => query<T>(server.baseUrl, path, input, tokens[who]);
const m = <T>(path: string, input: unknown, who: Person) => mutate<T>(server.baseUrl, path, input, tokens[who]);

before(async () => {
  server = await startServer();
  for (const [sub, p] of Object.entries(PEOPLE)) tokens[sub as Person] = await mintToken({ sub, role: p.role, name: p.name });
});
after(async () => {
  await server.stop();
});

/** A group run by staff moderator Ana Rivera (named at creation), with the given members (added by her). */
async function groupWith(name: string, ...members: Person[]): Promise<GroupSummary> {
  const group = dataOf(
    await m<GroupSummary>(
      'groups.create',
      groupInput({ name, schedule: openNow(), capacity: 50, moderatorIds: ['rivera'] }),
      'admin',
    ),
  );
  for (const userId of members) dataOf(await m('groups.addMember', { groupId: group.id, userId }, 'rivera'));
  return group;
}

async function accept(groupId: string, who: Person): Promise<void> {
  dataOf(await m('groups.acceptGuidelines', { groupId, version: 1 }, who));
}

const setAlias = (groupId: string, who: Person, alias: string) => m('groups.setAlias', { groupId, mode: 'alias', alias }, who);

describe('real names reach members only when their owner shows them', () => {
  test('moderators named at creation or added by staff, and members added by staff, appear under neutral labels', async () => {
    const group = await groupWith('Private names group', 'alice', 'bob');
    // A group needs a video provider to have a room: the clinic's own Jitsi, without tokens.
    dataOf(await m('groups.setVideoConfig', { provider: 'self-hosted', domain: 'meet.clinic-a.example' }, 'admin'));
    dataOf(await m('groups.addMember', { groupId: group.id, userId: 'paula', role: 'moderator' }, 'rivera'));
    await accept(group.id, 'alice');
    await accept(group.id, 'bob');
    // Every one of them has written something, so the server knows their names.
    dataOf(await m('groups.post', { groupId: group.id, body: 'Welcome, everyone' }, 'rivera'));
    dataOf(await m('groups.post', { groupId: group.id, body: 'Glad to help this week' }, 'paula'));
    dataOf(await m('groups.post', { groupId: group.id, body: 'Hello from Bob' }, 'bob'));

    const list = await q<GroupList>('groups.list', undefined, 'alice');
    const summary = dataOf(list).groups.find((g) => g.id === group.id)!;
    assert.deepEqual(summary.moderators, [{ name: 'Moderator' }, { name: 'Moderator' }]);
    const board = await q<BoardPage>('groups.messages', { groupId: group.id }, 'alice');
    assert.deepEqual(
      dataOf(board).threads.map((t) => t.authorLabel),
      ['Group member', 'Moderator', 'Moderator'],
    );
    const joins: TrpcResponse<JoinResult>[] = [];
    for (const who of ['rivera', 'paula', 'bob'] as const) joins.push(await m<JoinResult>('groups.join', { groupId: group.id }, who));
    assert.deepEqual(
      joins.map((j) => dataOf(j).displayName),
      ['Moderator', 'Moderator', 'Group member'],
    );
    for (const text of [list.text, board.text, ...joins.map((j) => j.text)]) {
      for (const real of ['Rivera', 'Peerhelper', 'Bob Realname']) assert.ok(!text.includes(real), `${real} leaked: ${text}`);
    }
  });

  test('a person who chooses to show their name is shown by it, and staff still see who is behind a label', async () => {
    const group = await groupWith('Shown names group', 'alice');
    dataOf(await m('groups.addMember', { groupId: group.id, userId: 'paula', role: 'moderator' }, 'rivera'));
    await accept(group.id, 'alice');
    dataOf(await m('groups.post', { groupId: group.id, body: 'Hi' }, 'paula'));
    dataOf(await m('groups.setAlias', { groupId: group.id, mode: 'name' }, 'rivera'));
    dataOf(await m('groups.post', { groupId: group.id, body: 'Named post' }, 'rivera'));

    const summary = dataOf(await q<GroupList>('groups.list', undefined, 'alice')).groups.find((g) => g.id === group.id)!;
    assert.deepEqual(summary.moderators, [{ name: 'Ana Rivera' }, { name: 'Moderator' }]);
    const board = dataOf(await q<BoardPage>('groups.messages', { groupId: group.id }, 'alice'));
    assert.equal(board.threads.find((t) => t.body === 'Named post')?.authorLabel, 'Ana Rivera');

    const members = dataOf(await q<{ members: GroupMemberRecord[] }>('groups.members', { groupId: group.id }, 'admin')).members;
    assert.equal(members.find((r) => r.userId === 'paula')?.name, 'Paula Peerhelper');
  });
});

describe('the board rate limit under concurrency', () => {
  test('40 posts sent at once by one member: exactly 5 are stored, the others are refused with TOO_MANY_REQUESTS', async () => {
    const group = await groupWith('Burst group', 'carol');
    await accept(group.id, 'carol');
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => m('groups.post', { groupId: group.id, body: `burst ${i}` }, 'carol')),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 5, JSON.stringify(statuses));
    assert.equal(statuses.filter((s) => s === 429).length, 35, JSON.stringify(statuses));
    for (const r of results.filter((r) => r.status === 429)) assert.equal(errorOf(r).data.code, 'TOO_MANY_REQUESTS');
    const stored = await server.db.selectFrom('group_posts').select('id').where('group_id', '=', group.id).where('author_id', '=', 'carol').execute();
    assert.equal(stored.length, 5);
  });
});

describe('aliases that impersonate', () => {
  test('two members taking the same alias at the same moment: one gets it, the other a CONFLICT', async () => {
    const group = await groupWith('Alias race group', 'alice', 'bob');
    const [a, b] = await Promise.all([setAlias(group.id, 'alice', 'Blue Heron'), setAlias(group.id, 'bob', 'Blue Heron')]);
    assert.deepEqual([a.status, b.status].sort(), [200, 409], `${a.text} ${b.text}`);
    const holders = await server.db.selectFrom('group_members').select('user_id').where('group_id', '=', group.id).where('alias', '=', 'Blue Heron').execute();
    assert.equal(holders.length, 1);
  });

  test('an alias that looks like another member’s (other script, other case) is refused', async () => {
    const group = await groupWith('Look-alike group', 'alice', 'bob');
    dataOf(await setAlias(group.id, 'alice', 'Sunny'));
    for (const lookalike of ['\u0405unny', 'SUNNY', 'sunny']) {
      const res = await setAlias(group.id, 'bob', lookalike);
      assert.equal(res.status, 409, `${lookalike}: ${res.text}`);
      assert.equal(errorOf(res).data.code, 'CONFLICT');
      assert.match(errorOf(res).message, /already uses that name/);
    }
    // The holder may set their own alias again.
    dataOf(await setAlias(group.id, 'alice', 'Sunny'));
  });

  test('an alias that names a staff member of the group, with or without an honorific, or a moderator label, is refused', async () => {
    const group = await groupWith('Staff name group', 'alice');
    for (const impostor of ['Dr. Rivera', 'Dr Rivera', 'Doctor Ana Rivera', 'Nurse Rivera', 'ANA RIVERA', 'Counselor Rivera', 'Moderator']) {
      const res = await setAlias(group.id, 'alice', impostor);
      assert.equal(res.status, 409, `${impostor}: ${res.text}`);
      assert.match(errorOf(res).message, /staff|moderator/i);
    }
    const accepted = dataOf(await setAlias(group.id, 'alice', 'Morning Walker')) as { displayName: string };
    assert.equal(accepted.displayName, 'Morning Walker');
  });
});

describe('existing aliases when the look-alike check arrives', () => {
  test('the migration gives the oldest of two look-alike aliases the skeleton and leaves the later one without', async () => {
    const database = await freshDatabase();
    const db = openDatabase(database.url);
    try {
      const before = new Migrator({ db, provider: { getMigrations: async () => migrations } });
      const { error } = await before.migrateTo('2026-11-25-006-clinician');
      assert.ifError(error);
      await seedClinic(db, { id: CLINIC_A, secret: SECRET_A });
      await db
        .insertInto('groups')
        .values({ id: 'g1', clinic_id: CLINIC_A, name: 'Old group', topic: 'recovery', description: '', language: 'en', time_zone: 'UTC', schedule: '[]', capacity: 10, guidelines: '{}', guidelines_version: 1, room_slug: 'care-old', dial_in: null, created_at: '2026-01-01T00:00:00.000Z' })
        .execute();
      const member = (user_id: string, alias: string | null, added_at: string) => ({ clinic_id: CLINIC_A, group_id: 'g1', user_id, role: 'member' as const, display_mode: 'alias' as const, alias, guidelines_version: null, guidelines_accepted_at: null, added_at });
      await db
        .withTables<{ group_members: Omit<GroupMembersTable, 'alias_skeleton'> }>()
        .insertInto('group_members')
        .values([member('first', 'Sunny', '2026-01-01T00:00:00.000Z'), member('later', '\u0405unny', '2026-01-02T00:00:00.000Z'), member('other', 'Maple', '2026-01-03T00:00:00.000Z'), member('none', null, '2026-01-04T00:00:00.000Z')])
        .execute();

      await migrateToLatest(db);
      const rows = await db.selectFrom('group_members').select(['user_id', 'alias_skeleton']).orderBy('user_id').execute();
      assert.deepEqual(
        Object.fromEntries(rows.map((r) => [r.user_id, r.alias_skeleton])),
        { first: nameSkeleton('Sunny'), later: null, none: null, other: nameSkeleton('Maple') },
      );
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
