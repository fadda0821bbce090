import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { CheckInPage, OutcomesReport, ProgressSummary, SubmitCheckInResult } from '../../server/contract/index.js';
import { openDatabase } from '../../server/db/index.js';
import { migrations } from '../../server/db/migrations/index.js';
import { assertValidFhir } from './fhir-validate.js';
import { dataOf, errorOf, freshDatabase, minutesAgo, mintToken, mutate, query, seedClinic, startServer, type TestServer } from './helpers.js';

const BASE = { q1: 1, q2: 2, q3: 0, q4: 3, q5: 0, q6: 0, q8: 1, q9: 3, q10: 10, q11: 1, q12: 2, q13: 4, q14: 'yes', q15: 1, q16: 2, q17: 3 };
const DRUGS = { q7a: 5, q7b: 0, q7c: 2, q7d: 0, q7e: 0, q7f: 0, q7g: 0 };
const DRUG_IDS = Object.keys(DRUGS);

async function submit(server: TestServer, token: string, answers: Record<string, unknown>) {
  return mutate<SubmitCheckInResult>(
    server.baseUrl,
    'checkIn.submit',
    { clientRequestId: randomUUID(), templateId: 'bam', answers, submittedAt: minutesAgo(2) },
    token,
  );
}

async function listed(server: TestServer, token: string): Promise<CheckInPage> {
  return dataOf(await query<CheckInPage>(server.baseUrl, 'checkIn.list', { templateId: 'bam' }, token));
}

describe('BAM items 7A–7G, asked when item 6 (days of any drug use) is above 0', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  test('answers to 7A–7G while item 6 is 0 are refused, naming each field, and nothing is stored', async () => {
    const token = await mintToken({ sub: 'bam-refused-extra', role: 'client' });
    const res = await submit(server, token, { ...BASE, q6: 0, q7a: 3, q7e: 1 });
    assert.equal(res.status, 400);
    const paths = (errorOf(res).data.fieldErrors ?? []).map((f) => f.path).sort();
    assert.deepEqual(paths, ['answers.q7a', 'answers.q7e']);
    assert.match(errorOf(res).message, /q7a/);
    assert.equal((await listed(server, token)).items.length, 0);
  });

  test('item 6 above 0 without 7A–7G is refused naming every missing one, and nothing is stored', async () => {
    const token = await mintToken({ sub: 'bam-refused-missing', role: 'client' });
    const res = await submit(server, token, { ...BASE, q6: 4, q7a: 4 });
    assert.equal(res.status, 400);
    const paths = (errorOf(res).data.fieldErrors ?? []).map((f) => f.path).sort();
    assert.deepEqual(paths, DRUG_IDS.filter((id) => id !== 'q7a').map((id) => `answers.${id}`));
    assert.equal((await listed(server, token)).items.length, 0);
  });

  test('a 7A–7G day count outside 0–30 is refused naming that item', async () => {
    const token = await mintToken({ sub: 'bam-refused-range', role: 'client' });
    const res = await submit(server, token, { ...BASE, q6: 4, ...DRUGS, q7c: 31 });
    assert.equal(res.status, 400);
    assert.deepEqual((errorOf(res).data.fieldErrors ?? []).map((f) => f.path), ['answers.q7c']);
  });

  test('item 6 above 0 with every 7A–7G answered is stored with them and scored by the manual (7A–7G in no subscale)', async () => {
    const token = await mintToken({ sub: 'bam-complete', role: 'client' });
    const result = dataOf(await submit(server, token, { ...BASE, q6: 4, ...DRUGS }));
    // Use = band(3) + band(0) + band(4) = 1 + 0 + 2.
    assert.deepEqual(result.score, { instrument: 'bam', use: 3, risk: 1 + 1 + 0 + 1 + 1 + 1, protective: 3 + 3 + 2 + 2 + 4 + 1 });
    const [stored] = (await listed(server, token)).items;
    assert.deepEqual(stored?.answers, { ...BASE, q6: 4, ...DRUGS });
    assert.equal(result.risk.reasons.includes('bam_recent_use'), true);
  });

  test('item 6 at 0 needs no 7A–7G', async () => {
    const token = await mintToken({ sub: 'bam-no-drugs', role: 'client' });
    const result = dataOf(await submit(server, token, BASE));
    assert.deepEqual(result.score, { instrument: 'bam', use: 1, risk: 5, protective: 15 });
  });

  test('the FHIR Questionnaire nests 7A–7G in group q7 enabled when q6 > 0, and a response nests its answers there', async () => {
    const token = await mintToken({ sub: 'bam-fhir', role: 'client' });
    const clinician = await mintToken({ sub: 'bam-fhir-dr', role: 'clinician' });
    const stored = dataOf(await submit(server, token, { ...BASE, q6: 4, ...DRUGS }));
    const get = async <T>(path: string): Promise<T> => {
      const res = await fetch(`${server.baseUrl}/fhir/R4${path}`, { headers: { authorization: `Bearer ${clinician}` } });
      assert.equal(res.status, 200, path);
      return assertValidFhir((await res.json()) as T & { resourceType: string });
    };
    const questionnaire = await get<fhir4.Questionnaire>('/Questionnaire/bam-v3');
    const group = questionnaire.item?.find((i) => i.linkId === 'q7');
    assert.equal(group?.type, 'group');
    assert.deepEqual(group?.enableWhen, [{ question: 'q6', operator: '>', answerInteger: 0 }]);
    assert.deepEqual(group?.item?.map((i) => [i.linkId, i.type, i.required]), DRUG_IDS.map((id) => [id, 'integer', true]));
    assert.match(group?.text ?? '', /following drugs/);
    const linkIds = questionnaire.item?.map((i) => i.linkId);
    assert.deepEqual(linkIds?.slice(linkIds.indexOf('q6'), linkIds.indexOf('q6') + 3), ['q6', 'q7', 'q8']);

    const response = await get<fhir4.QuestionnaireResponse>(`/QuestionnaireResponse/${stored.id}`);
    assert.equal(response.questionnaire, 'https://care-widgets.org/fhir/Questionnaire/bam|3');
    const answered = response.item?.find((i) => i.linkId === 'q7');
    assert.deepEqual(
      answered?.item?.map((i) => [i.linkId, i.answer?.[0]?.valueInteger]),
      Object.entries(DRUGS),
    );
    // Version 1 (before 7A–7G) stays published for the check-ins stored with it.
    const v1 = await get<fhir4.Questionnaire>('/Questionnaire/bam-v1');
    assert.equal(v1.item?.some((i) => i.linkId === 'q7'), false);
  });
});

describe('BAM item 5 (heavy drinking days), skipped when item 4 (days of any alcohol) is 0', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());
  const { q5: _q5, ...NO_ITEM_5 } = BASE;

  test('an answer to item 5 while item 4 is 0 is refused with a field error naming answers.q5, and nothing is stored', async () => {
    const token = await mintToken({ sub: 'bam-q5-refused', role: 'client' });
    const res = await submit(server, token, { ...NO_ITEM_5, q4: 0, q5: 0 });
    assert.equal(res.status, 400);
    const errors = errorOf(res).data.fieldErrors ?? [];
    assert.deepEqual(errors.map((f) => f.path), ['answers.q5']);
    assert.match(errors[0]?.message ?? '', /left out when q4 is 0/);
    assert.equal((await listed(server, token)).items.length, 0);
  });

  test('item 4 above 0 without item 5 is refused naming answers.q5', async () => {
    const token = await mintToken({ sub: 'bam-q5-missing', role: 'client' });
    const res = await submit(server, token, { ...NO_ITEM_5, q4: 2 });
    assert.equal(res.status, 400);
    assert.deepEqual((errorOf(res).data.fieldErrors ?? []).map((f) => f.path), ['answers.q5']);
    assert.equal((await listed(server, token)).items.length, 0);
  });

  test('item 4 at 0 without item 5 is stored as answered and item 5 counts 0 in Use', async () => {
    const token = await mintToken({ sub: 'bam-q5-skipped', role: 'client' });
    const result = dataOf(await submit(server, token, { ...NO_ITEM_5, q4: 0, q6: 20, ...DRUGS }));
    assert.deepEqual(result.score, { instrument: 'bam', use: 4, risk: 5, protective: 15 });
    const [stored] = (await listed(server, token)).items;
    assert.equal(stored?.answers.q5, undefined);
    assert.equal(stored?.answers.q4, 0);
  });

  test('item 4 above 0 with item 5 scores both in Use', async () => {
    const token = await mintToken({ sub: 'bam-q5-asked', role: 'client' });
    const result = dataOf(await submit(server, token, { ...BASE, q4: 9, q5: 4 }));
    assert.deepEqual(result.score, { instrument: 'bam', use: 3 + 2, risk: 5, protective: 15 });
  });

  test('the FHIR Questionnaire enables q5 when q4 > 0; version 2 (item 5 always asked) stays published', async () => {
    const clinician = await mintToken({ sub: 'bam-q5-dr', role: 'clinician' });
    const get = async (id: string) => {
      const res = await fetch(`${server.baseUrl}/fhir/R4/Questionnaire/${id}`, { headers: { authorization: `Bearer ${clinician}` } });
      assert.equal(res.status, 200, id);
      return assertValidFhir((await res.json()) as fhir4.Questionnaire);
    };
    const q5 = (await get('bam-v3')).item?.find((i) => i.linkId === 'q5');
    assert.deepEqual(q5?.enableWhen, [{ question: 'q4', operator: '>', answerInteger: 0 }]);
    assert.equal(q5?.required, true);
    const v2 = await get('bam-v2');
    assert.equal(v2.version, '2');
    assert.equal(v2.item?.find((i) => i.linkId === 'q5')?.enableWhen, undefined);
    assert.equal(v2.item?.some((i) => i.linkId === 'q7'), true);
  });
});

describe('BAM check-ins answered on an earlier form, read by the care team', () => {
  test('checkIn.list and alerts.list say which version of the form the person answered, with every stored answer and the stored score', async () => {
    const server = await startServer();
    try {
      const client = await mintToken({ sub: 'bam-v2-client', role: 'client' });
      const clinician = await mintToken({ sub: 'bam-v2-dr', role: 'clinician' });
      const current = dataOf(await submit(server, client, BASE));
      // Stored by a server of template version 2 (item 5 always asked), Use already without item 5 (migration 240).
      const checkInId = randomUUID();
      await server.db
        .insertInto('check_ins')
        .values({
          id: checkInId,
          clinic_id: 'clinic-a',
          client_id: 'bam-v2-client',
          client_request_id: randomUUID(),
          template_id: 'bam',
          template_version: 2,
          answers: JSON.stringify({ ...BASE, q4: 0, q5: 6 }),
          score: JSON.stringify({ instrument: 'bam', use: 0, risk: 5, protective: 15 }),
          risk_level: 'elevated',
          risk_reasons: JSON.stringify(['bam_recent_use']),
          submitted_at: minutesAgo(60 * 24 * 3),
          received_at: minutesAgo(60 * 24 * 3),
        })
        .execute();
      await server.db
        .insertInto('alerts')
        .values({ id: randomUUID(), clinic_id: 'clinic-a', client_id: 'bam-v2-client', check_in_id: checkInId, source: 'check_in', level: 'elevated', reasons: JSON.stringify(['bam_recent_use']), created_at: minutesAgo(60 * 24 * 3), acknowledged_at: null, acknowledged_by: null, ack_note: null })
        .execute();

      const page = dataOf(await query<CheckInPage>(server.baseUrl, 'checkIn.list', { clientId: 'bam-v2-client' }, clinician));
      assert.deepEqual(
        page.items.map((c) => [c.id, c.templateVersion]),
        [
          [current.id, 3],
          [checkInId, 2],
        ],
      );
      const old = page.items[1]!;
      assert.equal(old.answers.q5, 6, 'the answer to item 5 is served as stored');
      assert.deepEqual(old.score, { instrument: 'bam', use: 0, risk: 5, protective: 15 }, 'the stored score, item 5 not in Use');
      const alerts = dataOf(await query<{ items: { checkIn: CheckInPage['items'][number] | null }[] }>(server.baseUrl, 'alerts.list', { clientId: 'bam-v2-client', status: 'all' }, clinician));
      assert.deepEqual(
        alerts.items.map((a) => [a.checkIn?.id, a.checkIn?.templateVersion]).sort((x, y) => Number(x[1]) - Number(y[1])),
        [
          [checkInId, 2],
          [current.id, 3],
        ],
      );
    } finally {
      await server.stop();
    }
  });
});

describe('BAM subscales in the outcome report (JSON and CSV)', () => {
  test('a month shows how many BAM check-ins, by how many people, and the mean of each subscale; progress.summary lists the person’s own', async () => {
    // A clinic of its own: the month's figures are this test's check-ins only.
    const server = await startServer({ extraClinics: [{ id: 'clinic-bam-outcomes', secret: 'clinic-bam-outcomes-secret-0123456789-abc' }] });
    try {
      const secret = { clinic: 'clinic-bam-outcomes', secret: 'clinic-bam-outcomes-secret-0123456789-abc' };
      const a = await mintToken({ sub: 'bam-out-a', role: 'client', ...secret });
      const b = await mintToken({ sub: 'bam-out-b', role: 'client', ...secret });
      const scores = [
        dataOf(await submit(server, a, BASE)).score,
        dataOf(await submit(server, a, { ...BASE, q6: 20, ...DRUGS })).score,
        dataOf(await submit(server, b, { ...BASE, q1: 4, q9: 0 })).score,
      ] as { use: number; risk: number; protective: number }[];
      const mean = (pick: (s: { use: number; risk: number; protective: number }) => number) => Math.round((scores.reduce((t, s) => t + pick(s), 0) / 3) * 10) / 10;
      const progress = dataOf(await query<ProgressSummary>(server.baseUrl, 'progress.summary', undefined, a));
      assert.deepEqual(progress.bam.map((p) => [p.use, p.risk, p.protective]), scores.slice(0, 2).map((x) => [x.use, x.risk, x.protective]), 'the person’s own results, oldest first');
      const clinician = await mintToken({ sub: 'bam-out-dr', role: 'clinician', ...secret });
      const report = dataOf(await query<OutcomesReport>(server.baseUrl, 'outcomes.report', {}, clinician));
      const month = report.months.at(-1)!;
      // Sent without a shown language (as before issue 18): no provenance, so none counted as an unverified translation.
      assert.deepEqual(month.bam, { scores: 3, clients: 2, use: mean((s) => s.use), risk: mean((s) => s.risk), protective: mean((s) => s.protective), unverifiedTranslation: 0 });
      assert.equal(report.months[0]!.bam.use, null, 'a month without BAM check-ins has no means');
      const csv = await (await fetch(`${server.baseUrl}/reports/outcomes.csv`, { headers: { authorization: `Bearer ${clinician}` } })).text();
      const [header, ...rows] = csv.trimEnd().split('\r\n');
      const cols = header!.split(',');
      const last = rows.at(-1)!.split(',');
      const cell = (name: string) => last[cols.indexOf(name)];
      assert.deepEqual(
        ['bam_scores', 'bam_clients', 'bam_mean_use', 'bam_mean_risk_factors', 'bam_mean_protective_factors', 'bam_unverified_translation'].map(cell),
        [3, 2, month.bam.use, month.bam.risk, month.bam.protective, 0].map(String),
      );
    } finally {
      await server.stop();
    }
  });
});

describe('upgrading a database with BAM check-ins scored before the Use subscale followed the manual', () => {
  const LEGACY = 'clinic-bam-legacy';
  const SECRET = 'clinic-bam-legacy-secret-0123456789-abcdef';

  test('rescores Use from the stored answers (raw days 13 → manual 4; item 5 dropped when item 4 was 0), keeps every answer, and serves the old version', async () => {
    const database = await freshDatabase();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const old = openDatabase(database.url) as unknown as Kysely<any>;
    const migrator = new Migrator({ db: old, provider: { getMigrations: async () => migrations } });
    assert.equal((await migrator.migrateTo('2026-12-03-004-smart')).error, undefined);
    await seedClinic(old, { id: LEGACY, secret: SECRET });
    await old
      .insertInto('users')
      .values({ clinic_id: LEGACY, id: 'legacy-client', role: 'client', display_name: null, created_at: minutesAgo(90), recovery_start_date: null })
      .execute();
    const answers = { ...BASE, q4: 3, q6: 10 };
    const row = (id: string, template: string, score: unknown, storedAnswers: unknown) => ({
      id,
      clinic_id: LEGACY,
      client_id: 'legacy-client',
      client_request_id: randomUUID(),
      template_id: template,
      template_version: 1,
      answers: JSON.stringify(storedAnswers),
      score: JSON.stringify(score),
      risk_level: 'elevated',
      risk_reasons: JSON.stringify(['bam_recent_use']),
      submitted_at: minutesAgo(60),
      received_at: minutesAgo(60),
    });
    await old
      .insertInto('check_ins')
      .values([
        row('bam-old', 'bam', { instrument: 'bam', use: 13, risk: 5, protective: 15 }, answers),
        // Item 5 answered although item 4 was 0 (version 1 asked it always): no longer part of Use.
        row('bam-no-alcohol', 'bam', { instrument: 'bam', use: 12, risk: 5, protective: 15 }, { ...BASE, q4: 0, q5: 12, q6: 0 }),
        row('phq-old', 'phq9', { instrument: 'phq9', total: 3, max: 27, severity: 'minimal' }, { q1: 1, q2: 1, q3: 1, q4: 0, q5: 0, q6: 0, q7: 0, q8: 0, q9: 0 }),
      ])
      .execute();
    await old.destroy();

    const server = await startServer({ database });
    try {
      const clinician = await mintToken({ sub: 'legacy-dr', role: 'clinician', clinic: LEGACY, secret: SECRET });
      const page = dataOf(await query<CheckInPage>(server.baseUrl, 'checkIn.list', { clientId: 'legacy-client' }, clinician));
      const bam = page.items.find((c) => c.id === 'bam-old');
      assert.deepEqual(bam?.score, { instrument: 'bam', use: 4, risk: 5, protective: 15 });
      assert.deepEqual(bam?.answers, answers);
      const noAlcohol = page.items.find((c) => c.id === 'bam-no-alcohol');
      assert.deepEqual(noAlcohol?.score, { instrument: 'bam', use: 0, risk: 5, protective: 15 });
      assert.equal(noAlcohol?.answers.q5, 12, 'the answer itself is kept');
      assert.equal(noAlcohol?.risk.level, 'elevated', 'the risk told at the time is kept');
      const phq = page.items.find((c) => c.id === 'phq-old');
      assert.deepEqual(phq?.score, { instrument: 'phq9', total: 3, max: 27, severity: 'minimal' });

      const res = await fetch(`${server.baseUrl}/fhir/R4/QuestionnaireResponse/bam-old`, { headers: { authorization: `Bearer ${clinician}` } });
      assert.equal(res.status, 200);
      const response = assertValidFhir((await res.json()) as fhir4.QuestionnaireResponse);
      assert.equal(response.questionnaire, 'https://care-widgets.org/fhir/Questionnaire/bam|1');
      assert.equal(response.item?.some((i) => i.linkId === 'q7'), false);
      assert.equal(response.item?.find((i) => i.linkId === 'q6')?.answer?.[0]?.valueInteger, 10);
    } finally {
      await server.stop();
    }
  });
});
