import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BoardPage, GroupList, GroupMemberRecord, GroupSession, GroupSummary, JoinResult } from '../../server/contract/index.js';
import { dataOf, errorOf, mintToken, mutate, query, startServer, type TestServer, type TrpcResponse } from './helpers.js';

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
      {
        name,
        topic: 'recovery',
        description: 'Peer support',
        language: 'en',
        timeZone: 'UTC',
        schedule: openNow(),
        capacity: 50,
        guidelines: { en: 'Be kind.' },
        moderatorIds: ['rivera'],
      },
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
