import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupVideoSettings } from '../../server/contract/group-admin.js';
import type { VideoConfigList } from '../../server/contract/groups.js';
import {
  adminTokens,
  CLINIC_A,
  dataOf,
  fieldsOf,
  groupInput,
  mintToken,
  mutate,
  query,
  serverForThisFile,
  typedMutate,
  typedQuery,
} from './helpers.js';

/**
 * The Groups section of `<care-admin>` over HTTP: editing a group, moderators and members, the
 * guidelines' new versions and the video settings read back. Each change is one transaction with an
 * `admin_changes` row; a refusal names the field and changes nothing; clinic B never reaches clinic A.
 */
const server = await serverForThisFile();
const { adminA, adminB, clinicianA, clientA } = await adminTokens();
const moderatorA = await mintToken({ sub: 'moderator-a', role: 'clinician', clinic: CLINIC_A });

/** Everything stored about a clinic's groups, as text: compared before and after a refusal. */
async function snapshot(clinicId: string): Promise<string> {
  const groups = await server.db.selectFrom('groups').selectAll().where('clinic_id', '=', clinicId).orderBy('id').execute();
  const members = await server.db.selectFrom('group_members').selectAll().where('clinic_id', '=', clinicId).orderBy('group_id').orderBy('user_id').execute();
  const changes = await server.db.selectFrom('admin_changes').select('id').where('clinic_id', '=', clinicId).orderBy('id').execute();
  const video = await server.db.selectFrom('video_configs').selectAll().where('clinic_id', '=', clinicId).execute();
  return JSON.stringify({ groups, members, changes, video });
}

async function changesOf(clinicId: string, action: string) {
  return server.db.selectFrom('admin_changes').selectAll().where('clinic_id', '=', clinicId).where('action', '=', action).orderBy('at').execute();
}

async function newGroup(name = 'Tuesday circle') {
  return dataOf(await typedMutate(server.baseUrl, 'groups.create', groupInput({ name, moderatorIds: ['moderator-a'] }), adminA));
}

describe('groups.update', () => {
  it("changes a group's name, schedule, time zone and capacity in one audited change, and groups.list reads them back", async () => {
    const group = await newGroup();
    const schedule = [
      { day: 'tue' as const, start: '18:30', minutes: 90 },
      { day: 'thu' as const, start: '09:00', minutes: 60 },
    ];
    const res = dataOf(
      await typedMutate(server.baseUrl, 'groups.update', { groupId: group.id, name: 'Evening circle', schedule, timeZone: 'Europe/Paris', capacity: 12, description: 'Peer support' }, adminA),
    );
    assert.deepEqual(res.changed.sort(), ['capacity', 'name', 'schedule', 'timeZone']);
    const [listed] = dataOf(await typedQuery(server.baseUrl, 'groups.list', { groupId: group.id }, adminA)).groups;
    assert.equal(listed!.name, 'Evening circle');
    assert.deepEqual(listed!.schedule, schedule);
    assert.equal(listed!.timeZone, 'Europe/Paris');
    assert.equal(listed!.capacity, 12);
    const [change] = (await changesOf(CLINIC_A, 'group.update')).filter((c) => String(c.before).includes(group.id));
    assert.ok(change, 'an admin_changes row');
    assert.equal(change.actor, 'admin:admin-a');
    assert.deepEqual(JSON.parse(String(change.before)), { groupId: group.id, name: 'Tuesday circle', timeZone: 'UTC', schedule: groupInput().schedule, capacity: 10 });
    assert.deepEqual(JSON.parse(String(change.after)), { groupId: group.id, name: 'Evening circle', timeZone: 'Europe/Paris', schedule, capacity: 12 });
  });

  it('a change to the same values writes nothing', async () => {
    const group = await newGroup('Same values');
    const before = await snapshot(CLINIC_A);
    const res = dataOf(await typedMutate(server.baseUrl, 'groups.update', { groupId: group.id, name: 'Same values', capacity: 10 }, adminA));
    assert.deepEqual(res.changed, []);
    assert.equal(await snapshot(CLINIC_A), before);
  });

  it('refuses bad values naming each field, and changes nothing', async () => {
    const group = await newGroup('Refusals');
    const before = await snapshot(CLINIC_A);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '   ' }, 'name'],
      [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ schedule: [] }, 'schedule'],
      [{ schedule: [{ day: 'mon', start: '25:00', minutes: 60 }] }, 'schedule.0.start'],
      [{ schedule: [{ day: 'someday', start: '10:00', minutes: 60 }] }, 'schedule.0.day'],
      [{ schedule: [{ day: 'mon', start: '10:00', minutes: 5 }] }, 'schedule.0.minutes'],
      [{ capacity: 1 }, 'capacity'],
      [{ capacity: 2.5 }, 'capacity'],
      [{}, 'changes'],
    ];
    for (const [change, field] of cases) {
      const res = await mutate(server.baseUrl, 'groups.update', { groupId: group.id, ...change }, adminA);
      assert.ok(fieldsOf(res).includes(field), `${JSON.stringify(change)} names ${field}: ${res.text.slice(0, 200)}`);
    }
    assert.equal(await snapshot(CLINIC_A), before);
  });

  it("is the admin's only: a clinician, even the group's moderator, gets 403; another clinic's admin 404 and nothing changes", async () => {
    const group = await newGroup('Admins only');
    const before = await snapshot(CLINIC_A);
    assert.equal((await mutate(server.baseUrl, 'groups.update', { groupId: group.id, name: 'Taken' }, moderatorA)).status, 403);
    assert.equal((await mutate(server.baseUrl, 'groups.update', { groupId: group.id, name: 'Taken' }, clientA)).status, 403);
    assert.equal((await mutate(server.baseUrl, 'groups.update', { groupId: group.id, name: 'Taken' }, adminB)).status, 404);
    assert.equal(await snapshot(CLINIC_A), before);
  });
});

describe('members and moderators', () => {
  it('adds a member, makes them moderator and member again, removes them: each one audited change, and groups.members shows it', async () => {
    const group = await newGroup('Membership');
    const count = async () => (await server.db.selectFrom('admin_changes').select('id').where('clinic_id', '=', CLINIC_A).execute()).length;
    const start = await count();
    assert.deepEqual(dataOf(await typedMutate(server.baseUrl, 'groups.addMember', { groupId: group.id, userId: 'client-a' }, adminA)), { userId: 'client-a', role: 'member' });
    const roleOf = async () =>
      dataOf(await typedQuery(server.baseUrl, 'groups.members', { groupId: group.id }, adminA)).members.find((m) => m.userId === 'client-a')?.role ?? null;
    assert.equal(await roleOf(), 'member');
    dataOf(await typedMutate(server.baseUrl, 'groups.setMemberRole', { groupId: group.id, userId: 'client-a', role: 'moderator' }, adminA));
    assert.equal(await roleOf(), 'moderator');
    dataOf(await typedMutate(server.baseUrl, 'groups.setMemberRole', { groupId: group.id, userId: 'client-a', role: 'member' }, adminA));
    assert.equal(await roleOf(), 'member');
    assert.deepEqual(dataOf(await typedMutate(server.baseUrl, 'groups.removeMember', { groupId: group.id, userId: 'client-a' }, adminA)), { groupId: group.id, userId: 'client-a', role: null });
    assert.equal(await roleOf(), null);
    assert.equal((await count()) - start, 4);
    const removed = (await changesOf(CLINIC_A, 'group.member.remove')).at(-1)!;
    assert.deepEqual(JSON.parse(String(removed.before)), { groupId: group.id, userId: 'client-a', role: 'member' });
    assert.equal(removed.after, null);
    // Once removed, the group is gone for them.
    assert.equal((await query(server.baseUrl, 'groups.messages', { groupId: group.id }, clientA)).status, 404);
  });

  it('a moderator of the group may change roles and remove members; a clinician who does not moderate it gets 403', async () => {
    const group = await newGroup('Moderated');
    dataOf(await typedMutate(server.baseUrl, 'groups.addMember', { groupId: group.id, userId: 'someone' }, moderatorA));
    const before = await snapshot(CLINIC_A);
    assert.equal((await mutate(server.baseUrl, 'groups.setMemberRole', { groupId: group.id, userId: 'someone', role: 'moderator' }, clinicianA)).status, 403);
    assert.equal((await mutate(server.baseUrl, 'groups.removeMember', { groupId: group.id, userId: 'someone' }, clinicianA)).status, 403);
    assert.equal((await mutate(server.baseUrl, 'groups.removeMember', { groupId: group.id, userId: 'someone' }, clientA)).status, 403);
    assert.equal(await snapshot(CLINIC_A), before);
    dataOf(await typedMutate(server.baseUrl, 'groups.setMemberRole', { groupId: group.id, userId: 'someone', role: 'moderator' }, moderatorA));
    dataOf(await typedMutate(server.baseUrl, 'groups.removeMember', { groupId: group.id, userId: 'someone' }, moderatorA));
    const last = (await changesOf(CLINIC_A, 'group.member.remove')).at(-1)!;
    assert.equal(last.actor, 'clinician:moderator-a');
  });

  it('refuses a person who is not in the group, or a bad role, naming the field, and changes nothing', async () => {
    const group = await newGroup('Not a member');
    const before = await snapshot(CLINIC_A);
    assert.deepEqual(fieldsOf(await mutate(server.baseUrl, 'groups.setMemberRole', { groupId: group.id, userId: 'nobody', role: 'moderator' }, adminA)), ['userId']);
    assert.deepEqual(fieldsOf(await mutate(server.baseUrl, 'groups.removeMember', { groupId: group.id, userId: 'nobody' }, adminA)), ['userId']);
    assert.deepEqual(fieldsOf(await mutate(server.baseUrl, 'groups.setMemberRole', { groupId: group.id, userId: 'moderator-a', role: 'owner' }, adminA)), ['role']);
    assert.deepEqual(fieldsOf(await mutate(server.baseUrl, 'groups.addMember', { groupId: group.id, userId: '  ' }, adminA)), ['userId']);
    assert.equal(await snapshot(CLINIC_A), before);
  });

  it("another clinic's admin can neither see nor change clinic A's members (404), and learns nothing", async () => {
    const group = await newGroup('Private membership');
    dataOf(await typedMutate(server.baseUrl, 'groups.addMember', { groupId: group.id, userId: 'client-a' }, adminA));
    const before = await snapshot(CLINIC_A);
    for (const [path, input] of [
      ['groups.addMember', { groupId: group.id, userId: 'b-person' }],
      ['groups.setMemberRole', { groupId: group.id, userId: 'client-a', role: 'moderator' }],
      ['groups.removeMember', { groupId: group.id, userId: 'client-a' }],
      ['groups.setGuidelines', { groupId: group.id, guidelines: { en: 'Taken over' } }],
    ] as const) {
      const res = await mutate(server.baseUrl, path, input, adminB);
      assert.equal(res.status, 404, `${path}: ${res.text.slice(0, 200)}`);
      assert.ok(!res.text.includes('client-a') && !res.text.includes('Private membership'));
    }
    const members = await query(server.baseUrl, 'groups.members', { groupId: group.id }, adminB);
    assert.equal(members.status, 404);
    const list = dataOf(await typedQuery(server.baseUrl, 'groups.list', undefined, adminB));
    assert.ok(!list.groups.some((g) => g.id === group.id));
    assert.equal(await snapshot(CLINIC_A), before);
  });
});

describe('guidelines', () => {
  it('a new version makes members accept again before they take part; the member list shows who accepted which version', async () => {
    const group = await newGroup('Guidelines');
    dataOf(await typedMutate(server.baseUrl, 'groups.addMember', { groupId: group.id, userId: 'client-a' }, adminA));
    dataOf(await typedMutate(server.baseUrl, 'groups.acceptGuidelines', { groupId: group.id, version: 1 }, clientA));
    assert.equal((await query(server.baseUrl, 'groups.messages', { groupId: group.id }, clientA)).status, 200);
    assert.deepEqual(dataOf(await typedMutate(server.baseUrl, 'groups.setGuidelines', { groupId: group.id, guidelines: { en: 'Be kind. Keep it private.' } }, adminA)), { version: 2 });
    assert.equal((await query(server.baseUrl, 'groups.messages', { groupId: group.id }, clientA)).status, 412);
    const member = dataOf(await typedQuery(server.baseUrl, 'groups.members', { groupId: group.id }, adminA)).members.find((m) => m.userId === 'client-a')!;
    assert.equal(member.guidelinesAcceptedVersion, 1);
    assert.equal((await mutate(server.baseUrl, 'groups.acceptGuidelines', { groupId: group.id, version: 1 }, clientA)).status, 400);
    dataOf(await typedMutate(server.baseUrl, 'groups.acceptGuidelines', { groupId: group.id, version: 2 }, clientA));
    assert.equal((await query(server.baseUrl, 'groups.messages', { groupId: group.id }, clientA)).status, 200);
  });

  it('creating a group and publishing guidelines from the widget are admin changes too, with before and after', async () => {
    const group = await newGroup('Audited circle');
    const [created] = (await changesOf(CLINIC_A, 'group.create')).filter((c) => String(c.after).includes(group.id));
    assert.ok(created, 'group.create is in admin_changes');
    assert.equal(created.actor, 'admin:admin-a');
    assert.equal(JSON.parse(String(created.before)), null);
    assert.deepEqual(
      { ...JSON.parse(String(created.after)), schedule: undefined },
      { groupId: group.id, name: 'Audited circle', topic: 'recovery', language: 'en', timeZone: 'UTC', schedule: undefined, capacity: 10, guidelinesLanguages: ['en'], moderatorIds: ['moderator-a'], dialIn: null },
    );
    dataOf(await typedMutate(server.baseUrl, 'groups.setGuidelines', { groupId: group.id, guidelines: { en: 'Listen first.', es: 'Escuche primero.' } }, adminA));
    const [published] = (await changesOf(CLINIC_A, 'group.guidelines')).filter((c) => String(c.after).includes(group.id));
    assert.ok(published, 'group.guidelines is in admin_changes');
    assert.deepEqual(JSON.parse(String(published.before)), { groupId: group.id, version: 1 });
    assert.deepEqual(JSON.parse(String(published.after)), { groupId: group.id, version: 2, languages: ['en', 'es'] });
  });
});

describe('video settings', () => {
  it('reads back the saved settings with only whether a secret is set, never the secret', async () => {
    const secret = 'a-very-secret-app-secret-0123456789';
    const fresh = dataOf(await typedQuery(server.baseUrl, 'groups.videoConfig', undefined, adminB));
    assert.deepEqual(groupVideoSettings(fresh), { provider: 'none', domain: '', mode: 'none', appId: null, tenant: null, secretSet: false, configured: false });
    dataOf(await typedMutate(server.baseUrl, 'groups.setVideoConfig', { domain: 'meet.clinic-a.example.org', appId: 'care-app', appSecret: secret, tenant: 'clinic-a' }, adminA));
    const res = await query(server.baseUrl, 'groups.videoConfig', undefined, adminA);
    assert.ok(!res.text.includes(secret), 'the secret never comes back');
    assert.deepEqual(groupVideoSettings(dataOf(res) as VideoConfigList), { provider: 'self-hosted', domain: 'meet.clinic-a.example.org', mode: 'token', appId: 'care-app', tenant: 'clinic-a', secretSet: true, configured: true });
    // Clinic B's admin still sees only clinic B's (unconfigured) settings.
    assert.deepEqual(dataOf(await typedQuery(server.baseUrl, 'groups.videoConfig', undefined, adminB)), fresh);
    assert.equal((await query(server.baseUrl, 'groups.videoConfig', undefined, clinicianA)).status, 403);
  });
});
