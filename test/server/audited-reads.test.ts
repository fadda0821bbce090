import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { emptySafetyPlan } from '../../server/contract/index.js';
import {
  dailyAnswers,
  dataOf,
  groupInput,
  mintToken,
  minutesAgo,
  newRequestId,
  query,
  startServer,
  typedMutate,
  typedQuery,
  type TestServer,
} from './helpers.js';
import { procedures } from './router-probe.js';

/**
 * Every read of another person's data by staff writes an audit row (ARCHITECTURE: Data). The list
 * of procedures comes from the router itself, so a new procedure lands in one of three places or
 * this test fails:
 * - a query that takes a person (`clientId`, `userId`): called as a clinician on a client, it must audit that client;
 * - READS_WITHOUT_A_NAME: returns people's data without being told whose (a clinic-wide page, a
 *   group's members, a post's author): its scenario must produce an audit row for the client;
 * - EXEMPT: reads no other person's data, with the reason.
 */
const PERSON_KEYS = ['clientId', 'userId'];

const EXEMPT: Record<string, string> = {
  health: 'server status',
  'checkIn.templates': "the clinic's forms",
  'checkIn.submit': "the caller's own check-in",
  'alerts.acknowledge': 'acts on an alert read (and audited) through alerts.list; answers only that alert',
  'alerts.onChange': 'ids only; the widget refetches through alerts.list',
  'progress.setRecoveryStart': "the caller's own record",
  'progress.saveGoal': "the caller's own goal",
  'progress.recordModule': 'a write for a named client (checked by subjectOf); answers only the module written',
  'crisis.resources': "hotlines, and the caller's own plan contacts (none for staff)",
  'crisis.alert': "the caller's own alert",
  'groups.list': "groups, moderators' chosen labels and the caller's own membership",
  'groups.join': "the caller's own room ticket",
  'groups.acceptGuidelines': "the caller's own membership",
  'groups.setAlias': "the caller's own membership",
  'groups.attendance': "the caller's own attendance",
  'groups.messages': 'the board as members see it: posts under the labels their authors chose',
  'groups.onPost': 'ids only; the widget refetches through groups.messages',
  'groups.post': "the caller's own post",
  'groups.report': 'a report by the caller; answers only { reported }',
  'groups.flagDanger': 'a flag by the caller (audited as groups.flagDanger); answers only the alias the caller already sees',
  'groups.dangerNotices': "the caller's own notice, and for moderators the aliases flagged in their group (never who is behind them)",
  'groups.dismissDangerNotice': "the caller's own notice",
  'groups.feedback': "the caller's own feedback",
  'groups.addMember': 'a write; answers only the id and role given',
  'groups.setGuidelines': "the group's guidelines",
  'groups.create': 'a new group',
  'groups.calendar': "the group's schedule as iCalendar; no person's data",
  'groups.subscribeCalendar': "the caller's own calendar link",
  'groups.setVideoConfig': "a write to the clinic's video settings; answers them without a secret",
  'groups.videoConfig': "the clinic's video settings (never a secret)",
  'groups.clearVideoConfig': "a write; answers the removed video settings without a secret",
  'groups.update': "a write to a group's details; answers only the keys that changed",
  'groups.setMemberRole': 'a write; answers only the group, the person id and the role given',
  'groups.removeMember': 'a write; answers only the group and the person id given',
  'groups.roomParticipants': 'for moderators: the names members chose to be seen by in the live room, with pseudonymous room ids (no one\'s identity)',
  'groups.removeFromSession': 'a write; answers only the group, the pseudonymous room id given and when the session ends',
  'outcomes.report': 'clinic-wide aggregates, no one person',
  'fhirClients.register': "a new backend client of the admin's clinic",
  'fhirClients.list': "the clinic's backend clients (systems, not people)",
  'fhirClients.disable': 'a write; answers only the client id and when',
  'smartWriteBack.prepare': "the caller's own check-in, as the QuestionnaireResponse their EHR receives",
  'smartWriteBack.report': "a write about the caller's own check-in; answers only its status",
  'admin.clinic': "the admin's own clinic settings (never a secret)",
  'admin.setClinic': "a write to the admin's own clinic settings",
  'admin.origins': "the clinic's portal origins",
  'admin.addOrigin': 'a write; answers only the origin and the list',
  'admin.removeOrigin': 'a write; answers only the origin and the list',
  'admin.rules': "the clinic's risk rules",
  'admin.previewRules': "counts per level and reason over the clinic's check-ins, no one person",
  'admin.setRules': "a write to the clinic's risk rules",
  'admin.audit': "changes to the clinic's settings, made by staff or the command line",
  'admin.crisis': "the clinic's on-call hours, phone and webhook URL (never its secret)",
  'admin.setCrisis': "a write to the clinic's crisis set-up",
  'admin.testCrisisWebhook': "a test alert naming no person; answers the receiver's status and body start",
  'admin.rotateCrisisSecret': "a new webhook secret of the admin's own clinic",
  'admin.hotlines': "the region's crisis lines and the clinic's own",
  'admin.addHotline': "a write to the clinic's own crisis lines",
  'admin.removeHotline': "a write to the clinic's own crisis lines",
  'clinic.settings': "the caller's clinic's name and languages (no secret, no person)",
};

let server: TestServer;
let clinician: string;
let admin: string;
let client: string;
const CLIENT = 'audited-reads-client';
const CLINICIAN = 'audited-reads-clinician';
const ADMIN = 'audited-reads-admin';

/** Audit rows by `actor` about CLIENT for `action` written while `run` ran. */
async function auditedDuring(action: string, actor: string, run: () => Promise<unknown>): Promise<number> {
  const rows = () =>
    server.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', action)
      .where('actor_id', '=', actor)
      .where('subject_id', '=', CLIENT)
      .execute();
  const before = new Set((await rows()).map((r) => r.id));
  await run();
  return (await rows()).filter((r) => !before.has(r.id)).length;
}

before(async () => {
  server = await startServer();
  clinician = await mintToken({ sub: CLINICIAN, role: 'clinician' });
  admin = await mintToken({ sub: ADMIN, role: 'admin' });
  client = await mintToken({ sub: CLIENT, role: 'client', name: 'Robin' });
  dataOf(
    await typedMutate(
      server.baseUrl,
      'checkIn.submit',
      { clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers({ craving: 9, used: 'yes' }), submittedAt: minutesAgo(1) },
      client,
    ),
  );
});
after(async () => {
  await server.stop();
});

const all = procedures();
const takesPerson = (p: (typeof all)[number]) => p.inputKeys.some((k) => PERSON_KEYS.includes(k));
const personQueries = all.filter((p) => p.type === 'query' && takesPerson(p));

/** Scenarios for procedures that return people's data without being told whose: each must audit CLIENT. */
const READS_WITHOUT_A_NAME: Record<string, () => Promise<number>> = {
  'roster.list': () => auditedDuring('roster.list', CLINICIAN, async () => dataOf(await typedQuery(server.baseUrl, 'roster.list', {}, clinician))),
  'safetyPlan.save': () =>
    auditedDuring('safetyPlan.suggest', CLINICIAN, async () =>
      dataOf(await typedMutate(server.baseUrl, 'safetyPlan.save', { clientId: CLIENT, baseVersion: null, sections: emptySafetyPlan() }, clinician)),
    ),
  'groups.members': async () => {
    const group = dataOf(await typedMutate(server.baseUrl, 'groups.create', groupInput(), admin));
    dataOf(await typedMutate(server.baseUrl, 'groups.addMember', { groupId: group.id, userId: CLIENT }, admin));
    return auditedDuring('groups.members', ADMIN, async () => dataOf(await typedQuery(server.baseUrl, 'groups.members', { groupId: group.id }, admin)));
  },
  'groups.hide': async () => {
    const group = dataOf(await typedMutate(server.baseUrl, 'groups.create', groupInput(), admin));
    dataOf(await typedMutate(server.baseUrl, 'groups.addMember', { groupId: group.id, userId: CLIENT }, admin));
    dataOf(await typedMutate(server.baseUrl, 'groups.acceptGuidelines', { groupId: group.id, version: group.guidelinesVersion }, client));
    const post = dataOf(await typedMutate(server.baseUrl, 'groups.post', { groupId: group.id, body: 'Day 30 today' }, client));
    return auditedDuring('groups.hide', ADMIN, async () =>
      dataOf(await typedMutate(server.baseUrl, 'groups.hide', { postId: post.id, reason: 'Shares a phone number' }, admin)),
    );
  },
  'checkIn.list': () => auditedDuring('checkIn.list', CLINICIAN, async () => dataOf(await typedQuery(server.baseUrl, 'checkIn.list', { limit: 100 }, clinician))),
  'alerts.list': () => auditedDuring('alerts.list', CLINICIAN, async () => dataOf(await typedQuery(server.baseUrl, 'alerts.list', { status: 'all' }, clinician))),
};

describe('every read of another person is audited', () => {
  test('every procedure of the router is a person query, a read without a name, or exempt with a reason', () => {
    const unclassified = all
      .map((p) => p.path)
      .filter((path) => !personQueries.some((p) => p.path === path) && !(path in READS_WITHOUT_A_NAME) && !(path in EXEMPT));
    assert.deepEqual(unclassified, [], 'classify each new procedure: takes a person, reads people unnamed (READS_WITHOUT_A_NAME) or EXEMPT');
    const stale = [...Object.keys(EXEMPT), ...Object.keys(READS_WITHOUT_A_NAME)].filter((path) => !all.some((p) => p.path === path));
    assert.deepEqual(stale, [], 'entries for procedures the router no longer has');
    const exemptPersonQueries = personQueries.filter((p) => p.path in EXEMPT).map((p) => p.path);
    assert.deepEqual(exemptPersonQueries, [], 'a query that takes a person cannot be exempt');
  });

  test('the router has person queries to check (the probe still reads input keys)', () => {
    assert.ok(personQueries.length >= 5, personQueries.map((p) => p.path).join(', '));
  });

  for (const procedure of personQueries) {
    test(`${procedure.path} called by a clinician on a client writes an audit row for that client`, async () => {
      const key = procedure.inputKeys.find((k) => PERSON_KEYS.includes(k))!;
      const written = await auditedDuring(procedure.path, CLINICIAN, async () => {
        const res = await query(server.baseUrl, procedure.path, { [key]: CLIENT }, clinician);
        assert.equal(res.status, 200, res.text.slice(0, 300));
      });
      assert.equal(written, 1, `${procedure.path} read ${CLIENT}'s data without an audit row`);
    });

    test(`${procedure.path} called by the client on themselves writes no audit row`, async () => {
      const p = all.find((x) => x.path === procedure.path)!;
      if (!p.roles?.includes('client')) return;
      const key = procedure.inputKeys.find((k) => PERSON_KEYS.includes(k))!;
      const written = await auditedDuring(procedure.path, CLIENT, async () => {
        const res = await query(server.baseUrl, procedure.path, { [key]: CLIENT }, client);
        assert.equal(res.status, 200, res.text.slice(0, 300));
      });
      assert.equal(written, 0);
    });
  }

  for (const [path, scenario] of Object.entries(READS_WITHOUT_A_NAME)) {
    test(`${path} audits the client whose data it returned`, async () => {
      assert.ok((await scenario()) >= 1, `${path} returned ${CLIENT}'s data without an audit row`);
    });
  }
});
