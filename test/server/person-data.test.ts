import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { GroupSession } from '../../server/contract/index.js';
import type { Db } from '../../server/db/index.js';
import { NOT_PERSONAL_TABLES, PERSON_TABLES, personHash, type PersonExport } from '../../server/domain/person-export.js';
import { assertValidFhir } from './fhir-validate.js';
import {
  CLINIC_B,
  dailyAnswers,
  dataOf,
  itemAnswers,
  minutesAgo,
  mintToken,
  mutate,
  newRequestId,
  query,
  rawRequest,
  startServer,
  tableNames,
  type TestServer,
} from './helpers.js';
import { CARE_CLI } from './care-command.js';

/**
 * `care person export` and `care person erase` as a clinic runs them: a person's data is made through
 * the HTTP API, the commands run as subprocesses on the server's database (SQLite, or PostgreSQL with
 * CARE_TEST_POSTGRES_URL), and the database itself is searched afterwards.
 */

const CLINIC = 'clinic-person';
const SECRET = 'clinic-person-test-secret-0123456789-abcdefgh';
const PERSON = 'person-qz7k';
const NAME = 'Patricia Qzunique';
const OTHER = 'other-client-r4';
const CLINICIAN = 'dr-person-test';
const ADMIN = 'admin-person-test';
/** Text the person (or staff about them) wrote: none of it may survive erasure. */
const MARKERS = {
  note: 'QZMARK daily note about my week',
  feedbackComment: 'QZMARK the app logs me out',
  clinicianNote: 'QZMARK called her, safe tonight',
  plan: 'QZMARK walk the dog at night',
  goal: 'QZMARK twelve meetings',
  post: 'QZMARK hello from me',
  groupComment: 'QZMARK the group helped',
  hideReason: 'QZMARK off topic',
  alias: 'Qzmark Fox',
  ehrPatient: 'QZMARK-ehr-patient-4711',
} as const;

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
function openNow(minutes = 120): GroupSession[] {
  const start = new Date(Date.now() - 5 * 60_000);
  const hh = String(start.getUTCHours()).padStart(2, '0');
  const mm = String(start.getUTCMinutes()).padStart(2, '0');
  return [{ day: WEEKDAYS[start.getUTCDay()]!, start: `${hh}:${mm}`, minutes }];
}

let server: TestServer;
let work: string;
const tokens: Record<string, string> = {};

interface CareRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `care …` (the bundled CLI: see care-command.ts) on the test server's database, with standard input not a terminal. */
function care(args: string[]): Promise<CareRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CARE_CLI, '--database', server.config.databaseUrl, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, DATABASE_URL: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs `care …` on a terminal (util-linux `script` gives it a pty) and types `typed` at the prompt. */
function careOnTty(args: string[], typed: string): Promise<CareRun> {
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, CARE_CLI, '--database', server.config.databaseUrl, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stdin.end(`${typed}\n`);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr: '' }));
  });
}
const noTerminal = existsSync('/usr/bin/script') ? false : 'needs util-linux script(1) to give the command a terminal';

const ok = (run: CareRun): CareRun => {
  assert.equal(run.code, 0, `care exited ${run.code}: ${run.stderr}${run.stdout.slice(0, 500)}`);
  return run;
};

/** Every row of every table, as JSON text: what the database holds, whatever the table. */
async function dumpAll(db: Db): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const table of await tableNames(db)) {
    dump[table] = await db
      .selectFrom(table as 'users')
      .selectAll()
      .execute();
  }
  return dump;
}

async function outcomesCsv(): Promise<string> {
  const res = await rawRequest(server.baseUrl, '/reports/outcomes.csv', { headers: { authorization: `Bearer ${tokens.admin}` } });
  assert.equal(res.status, 200, res.text);
  return res.text;
}

const m = async <T = unknown>(path: string, input: unknown, who: string): Promise<T> => dataOf(await mutate<T>(server.baseUrl, path, input, tokens[who]));
const q = async <T = unknown>(path: string, input: unknown, who: string): Promise<T> => dataOf(await query<T>(server.baseUrl, path, input, tokens[who]));

before(async () => {
  server = await startServer({ extraClinics: [{ id: CLINIC, secret: SECRET, enabledTemplates: '["daily","phq9","gad7","bam","feedback"]' }] });
  work = mkdtempSync(join(tmpdir(), 'care-person-'));
  const mint = (sub: string, role: string, name: string) => mintToken({ sub, role, name, clinic: CLINIC, secret: SECRET });
  tokens.person = await mint(PERSON, 'client', NAME);
  tokens.other = await mint(OTHER, 'client', 'Olga Other');
  tokens.clinician = await mint(CLINICIAN, 'clinician', 'Dr. Reader');
  tokens.admin = await mint(ADMIN, 'admin', 'Ada Admin');
  tokens.tty = await mint('tty-client-9', 'client', 'Terry Tty');

  // The person's check-ins: a daily with a note and reported use, a PHQ-9, a feedback with a comment.
  await m('checkIn.submit', { clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers({ used: 'yes', note: MARKERS.note, craving: 9 }), submittedAt: minutesAgo(30) }, 'person');
  await m('checkIn.submit', { clientRequestId: newRequestId(), templateId: 'phq9', answers: { ...itemAnswers([2, 2, 1, 1, 1, 0, 0, 0, 0]), difficulty: 'somewhat_difficult' }, submittedAt: minutesAgo(20) }, 'person');
  await m('checkIn.submit', { clientRequestId: newRequestId(), templateId: 'feedback', answers: { satisfaction: 2, usefulness: 4, barriers: ['technology'], comment: MARKERS.feedbackComment }, submittedAt: minutesAgo(10) }, 'person');
  // Someone else of the clinic, so the outcome report is not only about the person.
  await m('checkIn.submit', { clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers(), submittedAt: minutesAgo(15) }, 'other');
  await m('checkIn.submit', { clientRequestId: newRequestId(), templateId: 'feedback', answers: { satisfaction: 5, usefulness: 5 }, submittedAt: minutesAgo(5) }, 'other');

  // A crisis press, acknowledged with a clinician's note (the clinician's list is an audited read).
  await m('crisis.alert', { clientRequestId: newRequestId() }, 'person');
  const alerts = await q<{ items: { id: string; source: string }[] }>('alerts.list', { clientId: PERSON, status: 'all' }, 'clinician');
  const crisis = alerts.items.find((a) => a.source === 'crisis');
  assert.ok(crisis, 'the crisis press raised an alert');
  await m('alerts.acknowledge', { alertId: crisis.id, note: MARKERS.clinicianNote }, 'clinician');

  // Safety plan: two versions.
  const sections = (text: string) => ({
    warningSigns: [{ text }],
    copingStrategies: [{ text: 'QZMARK breathe' }],
    socialDistractions: [],
    helpContacts: [{ text: 'QZMARK Maria', phone: '+1 202 555 0162' }],
    professionals: [],
    safeEnvironment: [],
    reasonsForLiving: [{ text: 'QZMARK my dog' }],
  });
  await m('safetyPlan.save', { baseVersion: null, sections: sections(MARKERS.plan) }, 'person');
  await m('safetyPlan.save', { baseVersion: 1, sections: sections(`${MARKERS.plan} v2`) }, 'person');

  // Recovery: start date, a goal, a module recorded by the clinician.
  await m('progress.setRecoveryStart', { date: new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10) }, 'person');
  await m('progress.saveGoal', { id: randomUUID(), title: MARKERS.goal, target: 12, current: 3 }, 'person');
  await m('progress.recordModule', { clientId: PERSON, moduleId: 'cbt-1', title: 'Coping with cravings' }, 'clinician');

  // A group: alias, a post with a reply from someone else, a report and a moderator's hiding, attendance, feedback.
  const group = await m<{ id: string }>(
    'groups.create',
    { name: 'Evening circle', topic: 'recovery', description: 'Peer support', language: 'en', timeZone: 'UTC', schedule: openNow(), capacity: 10, guidelines: { en: 'Be kind.' }, moderatorIds: [CLINICIAN] },
    'admin',
  );
  for (const who of [PERSON, OTHER]) await m('groups.addMember', { groupId: group.id, userId: who }, 'clinician');
  await m('groups.setAlias', { groupId: group.id, mode: 'alias', alias: MARKERS.alias }, 'person');
  for (const who of ['person', 'other']) await m('groups.acceptGuidelines', { groupId: group.id, version: 1 }, who);
  const post = await m<{ id: string }>('groups.post', { groupId: group.id, body: MARKERS.post }, 'person');
  const second = await m<{ id: string }>('groups.post', { groupId: group.id, body: `${MARKERS.post} again` }, 'person');
  await m('groups.post', { groupId: group.id, body: 'A reply from Olga', parentId: post.id }, 'other');
  await m('groups.report', { postId: second.id, reason: 'personal_info' }, 'other');
  await m('groups.hide', { postId: second.id, reason: MARKERS.hideReason }, 'clinician');
  await m('groups.attendance', { groupId: group.id, event: 'joined' }, 'person');
  await m('groups.feedback', { groupId: group.id, sessionStart: minutesAgo(60), rating: 4, comment: MARKERS.groupComment }, 'person');

  // A SMART launch from the clinic's EHR linked the person to its patient record.
  await server.db
    .insertInto('smart_patient_links')
    .values({ clinic_id: CLINIC, iss: 'https://ehr.example/fhir', ehr_patient_id: MARKERS.ehrPatient, person_id: PERSON, created_at: new Date().toISOString() })
    .execute();

  // The clinician opens the person's check-ins: an audit row of who read their data.
  await q('checkIn.list', { clientId: PERSON }, 'clinician');

  // A person of another clinic, to be refused by id.
  await mutate(server.baseUrl, 'checkIn.submit', { clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers(), submittedAt: minutesAgo(3) }, await mintToken({ sub: 'b-person', role: 'client', clinic: CLINIC_B }));
});

after(async () => {
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('every table is classified', () => {
  test('each table naming people is exported and erased, or allow-listed as holding nothing about a client', async () => {
    const personLike = /^(id|client_id|user_id|author_id|actor_id|subject_id|reporter_id|requester_id)$|_by$/;
    const tables = await server.db.introspection.getTables();
    assert.ok(tables.length > 20, 'introspection sees the schema');
    for (const table of tables) {
      const covered = PERSON_TABLES[table.name as keyof typeof PERSON_TABLES];
      const allowed = NOT_PERSONAL_TABLES[table.name];
      assert.ok(covered ?? allowed, `table ${table.name} is neither in PERSON_TABLES nor in NOT_PERSONAL_TABLES`);
      const named = table.columns.map((c) => c.name).filter((c) => personLike.test(c) && !(c === 'id' && table.name !== 'users'));
      for (const column of named) {
        const classified = covered ? [...covered.person, ...(covered.staff ?? [])] : (allowed?.notAPerson ?? []);
        assert.ok(classified.includes(column), `${table.name}.${column} may name a person: classify it in person-export.ts`);
      }
    }
  });
});

describe('care person export', () => {
  test('JSON holds everything about the person, with schemaVersion 1, and is an audited read', async () => {
    const run = ok(await care(['person', 'export', '--clinic', CLINIC, '--person', PERSON]));
    const doc = JSON.parse(run.stdout) as PersonExport;
    assert.equal(doc.schemaVersion, 1);
    assert.deepEqual(doc.clinic, { id: CLINIC, name: `Clinic ${CLINIC}` });
    assert.equal(doc.person?.displayName, NAME);
    assert.ok(doc.person?.recoveryStartDate);
    assert.equal(doc.erasedAt, null);
    assert.deepEqual(doc.checkIns.map((c) => c.templateId), ['daily', 'phq9', 'feedback']);
    assert.equal((doc.checkIns[0]!.answers as { note?: string }).note, MARKERS.note);
    assert.deepEqual(doc.checkIns[1]!.score, { instrument: 'phq9', total: 7, max: 27, severity: 'mild' });
    const crisis = doc.alerts.find((a) => a.source === 'crisis');
    assert.equal(crisis?.clinicianNote, MARKERS.clinicianNote);
    assert.equal(doc.crisisRequests.length, 1);
    assert.deepEqual(doc.safetyPlans.map((p) => [p.version, (p.sections as { warningSigns: { text: string }[] }).warningSigns[0]!.text]), [
      [1, MARKERS.plan],
      [2, `${MARKERS.plan} v2`],
    ]);
    assert.equal(doc.recovery.starts.length, 1);
    assert.deepEqual(doc.recovery.goals.map((g) => g.title), [MARKERS.goal]);
    assert.deepEqual(doc.recovery.modulesCompleted.map((x) => [x.moduleId, x.recordedBy]), [['cbt-1', CLINICIAN]]);
    assert.deepEqual(doc.recovery.sessionsAttended.map((s) => s.kind), ['group']);
    assert.deepEqual(doc.groups.memberships.map((g) => [g.groupName, g.alias]), [['Evening circle', MARKERS.alias]]);
    assert.deepEqual(doc.groups.posts.map((p) => p.body), [MARKERS.post, `${MARKERS.post} again`]);
    assert.equal(doc.groups.posts[1]!.hiddenReason, MARKERS.hideReason);
    assert.deepEqual(doc.ehrLinks.map((l) => l.ehrPatientId), [MARKERS.ehrPatient]);
    assert.deepEqual(doc.groups.feedback.map((f) => [f.rating, f.comment]), [[4, MARKERS.groupComment]]);
    assert.ok(doc.access.readsOfTheirData.some((r) => r.actorId === CLINICIAN && r.action.startsWith('checkIn')), JSON.stringify(doc.access));
    // The export itself is recorded as a read of their data by the operator.
    const audit = await server.db.selectFrom('audit_log').selectAll().where('clinic_id', '=', CLINIC).where('action', '=', 'person.export').execute();
    assert.ok(audit.some((a) => a.subject_id === PERSON && a.actor_id.startsWith('cli:')));
  });

  test('FHIR: a valid R4 collection Bundle with the Patient, QuestionnaireResponses, Observations and the JSON as a Binary', async () => {
    const file = join(work, 'person.fhir.json');
    const run = ok(await care(['--json', 'person', 'export', '--clinic', CLINIC, '--person', PERSON, '--format', 'fhir', '--output', file]));
    const summary = JSON.parse(run.stdout) as { format: string; output: string; counts: Record<string, number> };
    assert.equal(summary.format, 'fhir');
    assert.equal(summary.output, file);
    assert.equal(summary.counts.checkIns, 3);
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as fhir4.Bundle;
    assertValidFhir(bundle);
    assert.equal(bundle.type, 'collection');
    const resources = (bundle.entry ?? []).map((e) => e.resource!);
    for (const resource of resources) assertValidFhir(resource);
    const byType = (type: string) => resources.filter((r) => r.resourceType === type);
    assert.equal(byType('Patient').length, 1);
    assert.deepEqual((byType('Patient')[0] as fhir4.Patient).name, [{ text: NAME }]);
    assert.equal(byType('QuestionnaireResponse').length, 3);
    assert.ok(byType('Observation').some((o) => (o as fhir4.Observation).valueInteger === 7), 'the PHQ-9 total');
    const binary = byType('Binary')[0] as fhir4.Binary;
    const inner = JSON.parse(Buffer.from(binary.data!, 'base64').toString('utf8')) as PersonExport;
    assert.equal(inner.schemaVersion, 1);
    assert.equal(inner.groups.posts.length, 2);
    // An existing file is not overwritten without --force.
    const again = await care(['--json', 'person', 'export', '--clinic', CLINIC, '--person', PERSON, '--output', file]);
    assert.equal(again.code, 1);
    assert.equal((JSON.parse(again.stderr) as { field: string }).field, 'output');
  });

  test('an unknown clinic, an unknown person and another clinic’s person are refused naming the field', async () => {
    const unknownClinic = await care(['--json', 'person', 'export', '--clinic', 'no-such-clinic', '--person', PERSON]);
    assert.equal(unknownClinic.code, 1);
    assert.equal((JSON.parse(unknownClinic.stderr) as { field: string }).field, 'clinic');
    const elsewhere = await care(['--json', 'person', 'export', '--clinic', CLINIC, '--person', 'b-person']);
    assert.equal(elsewhere.code, 1);
    assert.deepEqual(Object.keys(JSON.parse(elsewhere.stderr) as object).sort(), ['error', 'field']);
    assert.equal((JSON.parse(elsewhere.stderr) as { field: string }).field, 'person');
    assert.equal(elsewhere.stdout, '', 'nothing about anyone is printed');
    const badFormat = await care(['person', 'export', '--clinic', CLINIC, '--person', PERSON, '--format', 'xml']);
    assert.equal(badFormat.code, 2);
    const missing = await care(['person', 'export', '--clinic', CLINIC]);
    assert.equal(missing.code, 2);
  });
});

describe('care person erase', () => {
  test('refuses without --yes off a terminal, another clinic’s person, staff and an unknown clinic, changing nothing', async () => {
    const before = await dumpAll(server.db);
    const noYes = await care(['--json', 'person', 'erase', '--clinic', CLINIC, '--person', PERSON]);
    assert.equal(noYes.code, 1);
    assert.equal((JSON.parse(noYes.stderr) as { field: string }).field, 'yes');
    assert.match(noYes.stderr, /--yes/);
    const elsewhere = await care(['--json', 'person', 'erase', '--clinic', CLINIC, '--person', 'b-person', '--yes']);
    assert.equal(elsewhere.code, 1);
    assert.equal((JSON.parse(elsewhere.stderr) as { field: string }).field, 'person');
    const staff = await care(['--json', 'person', 'erase', '--clinic', CLINIC, '--person', CLINICIAN, '--yes']);
    assert.equal(staff.code, 1);
    assert.equal((JSON.parse(staff.stderr) as { field: string }).field, 'person');
    const clinic = await care(['--json', 'person', 'erase', '--clinic', 'no-such-clinic', '--person', PERSON, '--yes']);
    assert.equal(clinic.code, 1);
    assert.equal((JSON.parse(clinic.stderr) as { field: string }).field, 'clinic');
    assert.deepEqual(await dumpAll(server.db), before);
  });

  test('on a terminal it asks for the person id: a wrong answer erases nothing, the right one erases', { skip: noTerminal }, async () => {
    await m('checkIn.submit', { clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers({ note: 'QZTTY note' }), submittedAt: minutesAgo(2) }, 'tty');
    const before = await dumpAll(server.db);
    const wrong = await careOnTty(['person', 'erase', '--clinic', CLINIC, '--person', 'tty-client-9'], 'tty-client-8');
    assert.equal(wrong.code, 1, wrong.stdout);
    assert.match(wrong.stdout, /Type the person id to confirm/);
    assert.match(wrong.stdout, /Not confirmed: nothing was erased/);
    assert.deepEqual(await dumpAll(server.db), before);
    const right = await careOnTty(['person', 'erase', '--clinic', CLINIC, '--person', 'tty-client-9'], 'tty-client-9');
    assert.equal(right.code, 0, right.stdout);
    assert.match(right.stdout, /Erased "tty-client-9"/);
    assert.doesNotMatch(JSON.stringify(await dumpAll(server.db)), /QZTTY|tty-client-9/);
  });

  test('removes everything identifiable, keeps the outcome report identical, and a second erase changes nothing', async () => {
    const report = await outcomesCsv();
    const [header, ...rows] = report.trim().split('\r\n').map((line) => line.split(','));
    const thisMonth = Object.fromEntries(header!.map((name, i) => [name, rows.at(-1)![i]]));
    // The report counts the person: their feedback, their reported use, their group session.
    assert.deepEqual(
      [thisMonth.feedback_responses, thisMonth.mean_satisfaction, thisMonth.clients_reporting_use, thisMonth.sessions_attended],
      ['2', '3.5', '1', '1'],
    );
    const postsBefore = await server.db.selectFrom('group_posts').select(['id', 'parent_id']).where('clinic_id', '=', CLINIC).orderBy('id').execute();
    const checkInsBefore = await server.db.selectFrom('check_ins').select(['id', 'submitted_at', 'score', 'risk_level']).where('clinic_id', '=', CLINIC).orderBy('id').execute();
    const otherClinicBefore = await server.db.selectFrom('check_ins').selectAll().where('clinic_id', '=', CLINIC_B).execute();

    const run = ok(await care(['--json', 'person', 'erase', '--clinic', CLINIC, '--person', PERSON, '--yes']));
    const result = JSON.parse(run.stdout) as { clinic: string; person: string; alreadyErased: boolean; erasedAt: string; removed: Record<string, number> };
    assert.deepEqual(Object.keys(result).sort(), ['alreadyErased', 'clinic', 'erasedAt', 'person', 'removed']);
    assert.equal(result.alreadyErased, false);
    assert.deepEqual(
      { ...result.removed, rowsPseudonymised: undefined },
      {
        checkInAnswers: 3,
        clinicianNotes: 1,
        safetyPlanVersions: 2,
        goals: 1,
        modulesCompleted: 1,
        recoveryStarts: 1,
        groupPostBodies: 2,
        groupAliases: 1,
        groupFeedbackComments: 1,
        ehrLinks: 1,
        calendarFeeds: 0,
        sessionRemovalReasons: 0,
        dangerFlags: 0,
        displayName: 1,
        recoveryStartDate: 1,
        rowsPseudonymised: undefined,
      },
    );
    assert.doesNotMatch(run.stdout, /erased-[0-9a-f]{8}-/, 'the pseudonym is not printed');

    // Nothing identifiable anywhere in the database: no text they or staff wrote about them, no name, no id.
    const dump = JSON.stringify(await dumpAll(server.db));
    assert.doesNotMatch(dump, /QZMARK|Qzmark/i);
    assert.ok(!dump.includes(NAME) && !dump.includes('Patricia'));
    assert.ok(!dump.includes(PERSON), 'the person id is gone from every table');

    // The outcome figures are the same, and so are the facts they come from.
    assert.equal(await outcomesCsv(), report);
    const postsAfter = await server.db.selectFrom('group_posts').select(['id', 'parent_id', 'body']).where('clinic_id', '=', CLINIC).orderBy('id').execute();
    assert.deepEqual(postsAfter.map((p) => [p.id, p.parent_id]), postsBefore.map((p) => [p.id, p.parent_id]), 'threads keep every post');
    assert.equal(postsAfter.filter((p) => p.body === 'removed').length, 2);
    assert.deepEqual(await server.db.selectFrom('check_ins').select(['id', 'submitted_at', 'score', 'risk_level']).where('clinic_id', '=', CLINIC).orderBy('id').execute(), checkInsBefore);
    assert.deepEqual(await server.db.selectFrom('check_ins').selectAll().where('clinic_id', '=', CLINIC_B).execute(), otherClinicBefore);
    const audit = await server.db.selectFrom('audit_log').selectAll().where('clinic_id', '=', CLINIC).where('action', '=', 'person.erase').where('at', '=', result.erasedAt).execute();
    assert.equal(audit.length, 1);
    assert.match(audit[0]!.actor_id, /^cli:/);
    assert.match(audit[0]!.subject_id ?? '', /^erased-/);
    const record = await server.db.selectFrom('erased_persons').selectAll().where('clinic_id', '=', CLINIC).where('person_hash', '=', personHash(CLINIC, PERSON)).execute();
    assert.equal(record.length, 1);
    assert.deepEqual(JSON.parse(record[0]!.removed) as unknown, result.removed);

    // The export now shows nobody, and says when they were erased.
    const exported = JSON.parse(ok(await care(['person', 'export', '--clinic', CLINIC, '--person', PERSON])).stdout) as PersonExport;
    assert.equal(exported.person, null);
    assert.equal(exported.erasedAt, result.erasedAt);
    assert.doesNotMatch(JSON.stringify(exported), /QZMARK|Qzmark|Patricia/i);
    assert.deepEqual([exported.checkIns, exported.alerts, exported.safetyPlans, exported.groups.posts, exported.access.readsOfTheirData].map((l) => l.length), [0, 0, 0, 0, 0]);

    // Erasing again: exit 0, already erased, not one row different.
    const dumpBefore = await dumpAll(server.db);
    const again = JSON.parse(ok(await care(['--json', 'person', 'erase', '--clinic', CLINIC, '--person', PERSON, '--yes'])).stdout) as typeof result;
    assert.equal(again.alreadyErased, true);
    assert.equal(again.erasedAt, result.erasedAt);
    assert.deepEqual(again.removed, {});
    const human = ok(await care(['person', 'erase', '--clinic', CLINIC, '--person', PERSON, '--yes']));
    assert.match(human.stdout, /Already erased/);
    assert.deepEqual(await dumpAll(server.db), dumpBefore);

    // Their old token still works, as a new person with nothing on record.
    const list = await q<{ items: unknown[] }>('checkIn.list', {}, 'person');
    assert.deepEqual(list.items, []);
  });
});
