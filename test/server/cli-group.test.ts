import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertCareRefused, care, careJson, tempFiles } from './cli.js';
import { CLINIC_A, CLINIC_B, mintToken, mutate, query, startServer, type TestServer } from './helpers.js';

/** `care group …` in real subprocesses against a server's database: success, refusals (exit 1, field named, nothing changed), usage (exit 2), `--json` shapes. */
let server: TestServer;
let url: string;
const { file } = tempFiles('care-cli-group-');

before(async () => {
  server = await startServer();
  url = server.config.databaseUrl;
});
after(async () => {
  await server.stop();
});

async function snapshot(): Promise<string> {
  const groups = await server.db.selectFrom('groups').selectAll().orderBy('id').execute();
  const members = await server.db.selectFrom('group_members').selectAll().orderBy('group_id').orderBy('user_id').execute();
  const changes = await server.db.selectFrom('admin_changes').select('id').orderBy('id').execute();
  return JSON.stringify({ groups, members, changes });
}

const assertRefused = (args: string[], field: string) => assertCareRefused(url, args, field, snapshot);

interface GroupJson {
  id: string;
  name: string;
  timeZone: string;
  schedule: { day: string; start: string; minutes: number }[];
  capacity: number;
  guidelinesVersion: number;
}
interface MembersJson {
  groupId: string;
  guidelinesVersion: number;
  members: { userId: string; role: string; guidelinesAcceptedVersion: number | null }[];
}

describe('care group', () => {
  let groupId: string;

  test('create makes a group the API lists, with its schedule in the given zone', async () => {
    const rules = file('rules.txt', 'Keep what is shared here private.\nListen without judging.\n');
    const { group } = await careJson<{ group: GroupJson }>(url, [
      'group', 'create', '--clinic', CLINIC_A, '--name', 'Tuesday circle', '--schedule', 'tue 18:30 90, thu 09:00 60',
      '--time-zone', 'europe/paris', '--capacity', '8', '--guidelines-file', rules, '--moderators', 'dr-rivera',
    ]);
    groupId = group.id;
    assert.deepEqual(
      { ...group, id: undefined },
      { id: undefined, name: 'Tuesday circle', topic: 'recovery', language: 'en', timeZone: 'Europe/Paris', schedule: [{ day: 'tue', start: '18:30', minutes: 90 }, { day: 'thu', start: '09:00', minutes: 60 }], capacity: 8, guidelinesVersion: 1 },
    );
    const admin = await mintToken({ sub: 'admin-a', role: 'admin', clinic: CLINIC_A });
    const listed = (await query<{ groups: { id: string }[] }>(server.baseUrl, 'groups.list', undefined, admin)).body?.result?.data.groups ?? [];
    assert.ok(listed.some((g) => g.id === groupId));
    const { groups } = await careJson<{ clinicId: string; groups: GroupJson[] }>(url, ['group', 'list', '--clinic', CLINIC_A]);
    assert.ok(groups.some((g) => g.id === groupId && g.name === 'Tuesday circle'));
    const human = await care(url, ['group', 'list', '--clinic', CLINIC_A]);
    assert.equal(human.code, 0);
    assert.match(human.stdout, /Tuesday circle\s+Europe\/Paris\s+tue 18:30 90m, thu 09:00 60m/);
  });

  test('members adds, promotes and removes, each an admin change by cli:<user>; list shows roles and accepted versions', async () => {
    const added = await careJson<MembersJson & { change: unknown }>(url, ['group', 'members', groupId, '--clinic', CLINIC_A, '--add', 'client-42']);
    assert.deepEqual(added.change, { userId: 'client-42', role: 'member' });
    assert.deepEqual(added.members.map((m) => [m.userId, m.role]), [['dr-rivera', 'moderator'], ['client-42', 'member']]);
    await careJson(url, ['group', 'members', groupId, '--clinic', CLINIC_A, '--moderator', 'client-42']);
    const listed = await careJson<MembersJson>(url, ['group', 'members', groupId, '--clinic', CLINIC_A]);
    assert.equal(listed.members.find((m) => m.userId === 'client-42')?.role, 'moderator');
    await careJson(url, ['group', 'members', groupId, '--clinic', CLINIC_A, '--remove', 'client-42']);
    const after = await careJson<MembersJson>(url, ['group', 'members', groupId, '--clinic', CLINIC_A]);
    assert.deepEqual(after.members.map((m) => m.userId), ['dr-rivera']);
    const changes = await server.db.selectFrom('admin_changes').select(['actor', 'action']).where('clinic_id', '=', CLINIC_A).where('action', 'like', 'group.member.%').execute();
    assert.deepEqual(changes.map((c) => c.action).sort(), ['group.member.add', 'group.member.remove', 'group.member.role']);
    assert.ok(changes.every((c) => c.actor.startsWith('cli:')));
  });

  test('guidelines shows the current text, and a new file publishes the next version that members must accept again', async () => {
    const client = await mintToken({ sub: 'client-7', role: 'client', clinic: CLINIC_A });
    await careJson(url, ['group', 'members', groupId, '--clinic', CLINIC_A, '--add', 'client-7']);
    assert.equal((await mutate(server.baseUrl, 'groups.acceptGuidelines', { groupId, version: 1 }, client)).status, 200);
    assert.equal((await query(server.baseUrl, 'groups.messages', { groupId }, client)).status, 200);
    const shown = await careJson<{ version: number; guidelines: Record<string, string> }>(url, ['group', 'guidelines', groupId, '--clinic', CLINIC_A]);
    assert.equal(shown.version, 1);
    assert.match(shown.guidelines.en!, /Listen without judging/);
    const v2 = file('rules-v2.json', JSON.stringify({ en: 'Be kind. No recording.', es: 'Sea amable. Sin grabaciones.' }));
    const published = await careJson<{ version: number }>(url, ['group', 'guidelines', groupId, '--clinic', CLINIC_A, '--file', v2]);
    assert.equal(published.version, 2);
    const refused = await query(server.baseUrl, 'groups.messages', { groupId }, client);
    assert.equal(refused.status, 412, 'the member must accept version 2 first');
    const members = await careJson<MembersJson>(url, ['group', 'members', groupId, '--clinic', CLINIC_A]);
    assert.equal(members.guidelinesVersion, 2);
    assert.equal(members.members.find((m) => m.userId === 'client-7')?.guidelinesAcceptedVersion, 1);
    assert.equal((await mutate(server.baseUrl, 'groups.acceptGuidelines', { groupId, version: 2 }, client)).status, 200);
    assert.equal((await query(server.baseUrl, 'groups.messages', { groupId }, client)).status, 200);
  });

  test('refusals name the field, exit 1 and change nothing', async () => {
    const rules = file('r.txt', 'Be kind.');
    await assertRefused(['group', 'list', '--clinic', 'no-such-clinic'], 'clinic');
    await assertRefused(['group', 'create', '--clinic', CLINIC_A, '--name', 'X', '--schedule', 'mon 25:00 60', '--guidelines-file', rules], 'schedule.0.start');
    await assertRefused(['group', 'create', '--clinic', CLINIC_A, '--name', 'X', '--schedule', 'mon 18:00', '--guidelines-file', rules], 'schedule.0');
    await assertRefused(['group', 'create', '--clinic', CLINIC_A, '--name', 'X', '--schedule', 'mon 18:00 60', '--capacity', '500', '--guidelines-file', rules], 'capacity');
    await assertRefused(['group', 'create', '--clinic', CLINIC_A, '--name', 'X', '--schedule', 'mon 18:00 60', '--time-zone', 'Mars/Base', '--guidelines-file', rules], 'timeZone');
    await assertRefused(['group', 'members', groupId, '--clinic', CLINIC_A, '--remove', 'nobody'], 'userId');
    // Clinic B does not have clinic A's group.
    await assertRefused(['group', 'members', groupId, '--clinic', CLINIC_B, '--add', 'b-person'], 'group');
    await assertRefused(['group', 'guidelines', groupId, '--clinic', CLINIC_B, '--file', rules], 'group');
    await assertRefused(['group', 'guidelines', groupId, '--clinic', CLINIC_A, '--file', file('bad.json', '{"english": "Be kind."}')], 'guidelines');
  });

  test('usage errors exit 2: a missing --clinic, two changes at once; --help describes the JSON', async () => {
    const missing = await care(url, ['group', 'list']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--clinic/);
    const two = await care(url, ['group', 'members', groupId, '--clinic', CLINIC_A, '--add', 'a', '--remove', 'b']);
    assert.equal(two.code, 2);
    const help = await care(url, ['group', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Group = \{ id, name/);
  });
});
