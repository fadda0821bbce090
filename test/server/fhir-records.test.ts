import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { TEMPLATES, type TemplateId } from '../../server/contract/index.js';
import { CARE_CODE_SYSTEM, patientIdOf } from '../../server/fhir/codes.js';
import { assertValidFhir } from './fhir-validate.js';
import { CLINIC_B, countRows, dailyAnswers, dataOf, itemAnswers, minutesAgo, mintToken, startServer, typedMutate } from './helpers.js';

type Server = Awaited<ReturnType<typeof startServer>>;
const PHQ9 = 'https://care-widgets.org/fhir/Questionnaire/phq9';

/** Every code of our CodeSystem a resource uses, wherever it sits. */
function ourCodes(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => ourCodes(v, found));
  else if (value && typeof value === 'object') {
    const coding = value as { system?: string; code?: string };
    if (coding.system === CARE_CODE_SYSTEM && coding.code) found.push(coding.code);
    Object.values(value).forEach((v) => ourCodes(v, found));
  }
  return found;
}

describe('FHIR records: QuestionnaireResponse, Observation, Patient', () => {
  let server: Server;
  let fhir: string;
  before(async () => {
    server = await startServer();
    fhir = `${server.baseUrl}/fhir/R4`;
  });
  after(() => server.stop());

  const token = (sub: string, role: 'client' | 'clinician' | 'admin' = 'client', clinic?: string) => mintToken({ sub, role, clinic });
  async function get<T extends { resourceType: string }>(path: string, bearer: string | undefined, status = 200): Promise<T> {
    const res = await fetch(path.startsWith('http') ? path : `${fhir}${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
    const body = (await res.json()) as T;
    assert.equal(res.status, status, `${path}: ${JSON.stringify(body)}`);
    assert.match(res.headers.get('content-type') ?? '', /^application\/fhir\+json/);
    return assertValidFhir(body);
  }
  async function post(body: unknown, bearer: string) {
    const res = await fetch(`${fhir}/QuestionnaireResponse`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as fhir4.QuestionnaireResponse | fhir4.OperationOutcome;
    assertValidFhir(json);
    return { status: res.status, location: res.headers.get('location'), body: json };
  }
  async function submit(sub: string, templateId: 'daily' | 'phq9' | 'gad7' | 'bam' | 'feedback', answers: Record<string, unknown>, submittedAt = minutesAgo(5)) {
    const res = await typedMutate(server.baseUrl, 'checkIn.submit', { clientRequestId: randomUUID(), templateId, answers, submittedAt }, await token(sub));
    return dataOf(res);
  }
  const phq9Response = (values: number[], overrides: Partial<fhir4.QuestionnaireResponse> = {}): fhir4.QuestionnaireResponse => ({
    resourceType: 'QuestionnaireResponse',
    questionnaire: `${PHQ9}|1`,
    status: 'completed',
    identifier: { system: 'urn:care-widgets:client-request-id', value: randomUUID() },
    authored: minutesAgo(3),
    item: [
      {
        linkId: 'page',
        item: values.map((v, i) => ({
          linkId: `q${i + 1}`,
          answer: [{ valueCoding: { system: 'http://loinc.org', code: ['LA6568-5', 'LA6569-3', 'LA6570-1', 'LA6571-9'][v]! } }],
        })),
      },
    ],
    ...overrides,
  });
  const issueOf = (body: unknown) => (body as fhir4.OperationOutcome).issue[0]!;

  it('answers 401 without a token on every record interaction', async () => {
    for (const path of ['/QuestionnaireResponse', '/QuestionnaireResponse/x', '/Observation', '/Observation/x', '/Patient/x', '/Patient/x/$everything']) {
      const body = await get<fhir4.OperationOutcome>(path, undefined, 401);
      assert.equal(body.issue[0]?.code, 'login');
    }
  });

  it('serves each template as a valid QuestionnaireResponse and its Observations, and reads its own form back equal', async () => {
    const sub = 'fhir-templates';
    const bearer = await token(sub);
    const stored = {
      daily: await submit(sub, 'daily', dailyAnswers({ warningSigns: ['stress', 'poor_sleep'], note: 'ok day' })),
      phq9: await submit(sub, 'phq9', { ...itemAnswers([1, 2, 0, 3, 1, 0, 0, 1, 0]), difficulty: 'somewhat_difficult' }),
      gad7: await submit(sub, 'gad7', itemAnswers([3, 3, 3, 3, 3, 0, 0])),
      bam: await submit(sub, 'bam', { q1: 2, q2: 3, q3: 0, q4: 0, q6: 0, q8: 1, q9: 3, q10: 10, q11: 1, q12: 2, q13: 4, q14: 'yes', q15: 1, q16: 2, q17: 3 }),
      feedback: await submit(sub, 'feedback', { satisfaction: 5, usefulness: 4, barriers: ['cost'], comment: 'thanks' }),
    };
    const expectedObservations = { daily: ['mood', 'craving', 'sleep'], phq9: ['phq9-total'], gad7: ['gad7-total'], bam: [], feedback: [] };
    const published = new Set((await get<fhir4.CodeSystem>('/CodeSystem/care-widgets', bearer)).concept?.map((c) => c.code));
    for (const [templateId, result] of Object.entries(stored)) {
      const qr = await get<fhir4.QuestionnaireResponse>(`/QuestionnaireResponse/${result.id}`, bearer);
      assert.equal(qr.id, result.id);
      assert.equal(qr.status, 'completed');
      assert.equal(qr.questionnaire, `https://care-widgets.org/fhir/Questionnaire/${templateId}|${TEMPLATES[templateId as TemplateId].version}`);
      assert.equal(qr.subject?.reference, `Patient/${patientIdOf(sub)}`);
      assert.equal(qr.identifier?.value, result.clientRequestId);
      assert.equal(qr.authored, result.submittedAt);
      for (const kind of expectedObservations[templateId as keyof typeof expectedObservations]) {
        const obs = await get<fhir4.Observation>(`/Observation/${result.id}-${kind}`, bearer);
        assert.deepEqual(obs.derivedFrom, [{ reference: `QuestionnaireResponse/${result.id}` }]);
        assert.equal(obs.effectiveDateTime, result.submittedAt);
        assert.equal(obs.category?.[0]?.coding?.[0]?.code, 'survey');
        for (const code of ourCodes(obs)) assert.ok(published.has(code), `${code} is not in our CodeSystem`);
      }
      for (const code of ourCodes(qr)) assert.ok(published.has(code), `${code} is not in our CodeSystem`);
      // What we serve is what we accept: the same form under a new identifier stores the same answers.
      const again = await post({ ...qr, id: undefined, identifier: { value: randomUUID() } }, bearer);
      assert.equal(again.status, 201, JSON.stringify(again.body));
      const first = await server.db.selectFrom('check_ins').select('answers').where('id', '=', result.id).executeTakeFirstOrThrow();
      const second = await server.db.selectFrom('check_ins').select('answers').where('id', '=', (again.body as fhir4.QuestionnaireResponse).id!).executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(String(second.answers)), JSON.parse(String(first.answers)), templateId);
    }
    const phq9 = await get<fhir4.QuestionnaireResponse>(`/QuestionnaireResponse/${stored.phq9.id}`, bearer);
    assert.deepEqual(phq9.item?.find((i) => i.linkId === 'q4')?.answer?.[0]?.valueCoding?.code, 'LA6571-9');
    assert.deepEqual(phq9.item?.find((i) => i.linkId === 'difficulty')?.answer?.[0]?.valueCoding?.code, 'LA6573-5');
    assert.deepEqual(phq9.item?.find((i) => i.linkId === 'total')?.answer, [{ valueInteger: 8 }]);
    const total = await get<fhir4.Observation>(`/Observation/${stored.phq9.id}-phq9-total`, bearer);
    assert.equal(total.code.coding?.[0]?.code, '44261-6');
    assert.equal(total.valueInteger, 8);
    assert.equal(total.interpretation?.[0]?.text, 'mild');
    const gad7 = await get<fhir4.Observation>(`/Observation/${stored.gad7.id}-gad7-total`, bearer);
    assert.equal(gad7.code.coding?.[0]?.code, '70274-6');
    assert.equal(gad7.interpretation?.[0]?.text, 'severe');
    const sleep = await get<fhir4.Observation>(`/Observation/${stored.daily.id}-sleep`, bearer);
    assert.equal(sleep.code.coding?.[0]?.code, '93832-4');
    assert.deepEqual(sleep.valueQuantity, { value: 7.5, unit: 'h', system: 'http://unitsofmeasure.org', code: 'h' });
    const daily = await get<fhir4.QuestionnaireResponse>(`/QuestionnaireResponse/${stored.daily.id}`, bearer);
    assert.equal(daily.item?.find((i) => i.linkId === 'warningSigns')?.answer?.length, 2);
    assert.deepEqual(daily.item?.find((i) => i.linkId === 'sleepHours')?.answer, [{ valueDecimal: 7.5 }]);
    await get<fhir4.OperationOutcome>(`/Observation/${stored.bam.id}-mood`, bearer, 404);
  });

  it('creates a check-in from a posted PHQ-9 response: scored, urgent alert, idempotent on identifier', async () => {
    const bearer = await token('fhir-poster');
    const qr = phq9Response([1, 0, 0, 1, 0, 0, 0, 0, 2]);
    const before = await countRows(server.db, 'check_ins');
    const created = await post(qr, bearer);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const stored = created.body as fhir4.QuestionnaireResponse;
    assert.equal(created.location, `${fhir}/QuestionnaireResponse/${stored.id}`);
    assert.equal(stored.item?.find((i) => i.linkId === 'total')?.answer?.[0]?.valueInteger, 4);
    const row = await server.db.selectFrom('check_ins').selectAll().where('id', '=', stored.id!).executeTakeFirstOrThrow();
    assert.equal(row.risk_level, 'urgent');
    const alert = await server.db.selectFrom('alerts').selectAll().where('check_in_id', '=', stored.id!).executeTakeFirstOrThrow();
    assert.equal(alert.level, 'urgent');
    // A retry answers with the first response whatever its (valid) answers say, as checkIn.submit does.
    const replay = await post({ ...phq9Response([0, 0, 0, 0, 0, 0, 0, 0, 0]), identifier: qr.identifier }, bearer);
    assert.equal(replay.status, 200);
    assert.deepEqual(replay.body, stored);
    assert.equal(await countRows(server.db, 'check_ins'), before + 1);
    const alerts = await server.db.selectFrom('alerts').select('id').where('check_in_id', '=', stored.id!).execute();
    assert.equal(alerts.length, 1);
    // Frequency items also accept valueInteger.
    const asIntegers = await post({ ...phq9Response([0]), item: Array.from({ length: 9 }, (_, i) => ({ linkId: `q${i + 1}`, answer: [{ valueInteger: 1 }] })) }, bearer);
    assert.equal(asIntegers.status, 201);
  });

  it('refuses bad responses with 422 naming the element, and staff with 403', async () => {
    const bearer = await token('fhir-refused');
    const cases: [fhir4.QuestionnaireResponse, string][] = [
      [{ ...phq9Response([0, 0, 0, 0, 0, 0, 0, 0, 0]), item: [...Array.from({ length: 8 }, (_, i) => ({ linkId: `q${i + 1}`, answer: [{ valueInteger: 0 }] })), { linkId: 'q9', answer: [{ valueInteger: 7 }] }] }, "QuestionnaireResponse.item.where(linkId='q9')"],
      [phq9Response([0, 0, 0, 0, 0, 0, 0, 0]), "QuestionnaireResponse.item.where(linkId='q9')"],
      [{ ...phq9Response([0, 0, 0, 0, 0, 0, 0, 0, 0]), item: [{ linkId: 'q1', answer: [{ valueCoding: { code: 'LA0000-0' } }] }] }, "QuestionnaireResponse.item.where(linkId='q1')"],
      [{ ...phq9Response([0, 0, 0, 0, 0, 0, 0, 0, 0]), item: [{ linkId: 'bogus', answer: [{ valueInteger: 1 }] }] }, "QuestionnaireResponse.item.where(linkId='bogus')"],
      [phq9Response([0, 0, 0, 0, 0, 0, 0, 0, 0], { questionnaire: 'https://example.org/Questionnaire/unknown' }), 'QuestionnaireResponse.questionnaire'],
      [phq9Response([0, 0, 0, 0, 0, 0, 0, 0, 0], { questionnaire: `${PHQ9}|99` }), 'QuestionnaireResponse.questionnaire'],
      [phq9Response([0, 0, 0, 0, 0, 0, 0, 0, 0], { status: 'in-progress' }), 'QuestionnaireResponse.status'],
      [phq9Response([0, 0, 0, 0, 0, 0, 0, 0, 0], { identifier: undefined }), 'QuestionnaireResponse.identifier'],
      [phq9Response([0, 0, 0, 0, 0, 0, 0, 0, 0], { authored: new Date(Date.now() + 3_600_000).toISOString() }), 'QuestionnaireResponse.authored'],
    ];
    for (const [qr, expression] of cases) {
      const res = await post(qr, bearer);
      assert.equal(res.status, 422, `${expression}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(issueOf(res.body).expression, [expression]);
    }
    // Offline-late (a day ago) is accepted, as by checkIn.submit.
    assert.equal((await post(phq9Response([0, 0, 0, 0, 0, 0, 0, 0, 0], { authored: minutesAgo(24 * 60) }), bearer)).status, 201);
    // amended counts as done; the subject may be named, as the caller (relative or absolute).
    const amended = phq9Response([0, 0, 0, 0, 0, 0, 0, 0, 0], { status: 'amended', subject: { reference: `${fhir}/Patient/${patientIdOf('fhir-refused')}` } });
    assert.equal((await post(amended, bearer)).status, 201);
    const other = await post(phq9Response([0, 0, 0, 0, 0, 0, 0, 0, 0], { subject: { reference: 'Patient/someone-else' } }), bearer);
    assert.equal(other.status, 403);
    const staff = await post(phq9Response([0, 0, 0, 0, 0, 0, 0, 0, 0]), await token('fhir-clinician', 'clinician'));
    assert.equal(staff.status, 403);
    assert.equal(issueOf(staff.body).code, 'forbidden');
  });

  it('keeps people apart: another client and another clinic get 404; staff reads are audited', async () => {
    const own = await submit('fhir-owner', 'phq9', itemAnswers([1, 1, 1, 1, 1, 1, 1, 1, 0]));
    const stranger = await token('fhir-stranger');
    await get(`/QuestionnaireResponse/${own.id}`, stranger, 404);
    await get(`/Observation/${own.id}-phq9-total`, stranger, 404);
    await get(`/Patient/${patientIdOf('fhir-owner')}`, stranger, 404);
    await get(`/QuestionnaireResponse?patient=Patient/${patientIdOf('fhir-owner')}`, stranger, 404);
    const otherClinic = await token('fhir-b-clinician', 'clinician', CLINIC_B);
    await get(`/QuestionnaireResponse/${own.id}`, otherClinic, 404);
    await get(`/Patient/${patientIdOf('fhir-owner')}/$everything`, otherClinic, 404);
    await get(`/Observation?patient=${patientIdOf('fhir-owner')}`, otherClinic, 404);

    const clinician = await token('fhir-clinician', 'clinician');
    const audits = () => server.db.selectFrom('audit_log').select(['action', 'subject_id']).where('actor_id', '=', 'fhir-clinician').execute();
    const beforeRows = (await audits()).length;
    await get(`/QuestionnaireResponse/${own.id}`, clinician);
    await get(`/Observation/${own.id}-phq9-total`, clinician);
    const search = await get<fhir4.Bundle>(`/QuestionnaireResponse?patient=${patientIdOf('fhir-owner')}`, clinician);
    assert.equal(search.entry?.length, 1);
    const patient = await get<fhir4.Patient>(`/Patient/${patientIdOf('fhir-owner')}`, clinician);
    assert.deepEqual(patient.identifier, [{ system: 'urn:care-widgets:clinic:clinic-a', value: 'fhir-owner' }]);
    assert.equal(patient.name, undefined);
    const rows = (await audits()).slice(beforeRows);
    assert.deepEqual(
      rows.map((r) => r.action).sort(),
      ['fhir.Observation.read', 'fhir.Patient.read', 'fhir.QuestionnaireResponse.read', 'fhir.QuestionnaireResponse.search'],
    );
    assert.ok(rows.every((r) => r.subject_id === 'fhir-owner'));
    // A client's own reads are not audited.
    const auditCount = await countRows(server.db, 'audit_log');
    await get(`/QuestionnaireResponse/${own.id}`, await token('fhir-owner'));
    assert.equal(await countRows(server.db, 'audit_log'), auditCount);
  });

  it('pages QuestionnaireResponse and Observation searches with next links, every row exactly once, newest first', async () => {
    const sub = 'fhir-pager';
    const bearer = await token(sub);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await submit(sub, 'daily', dailyAnswers({ mood: i }), minutesAgo(100 - i))).id);
    const seen: string[] = [];
    let url: string | undefined = `/QuestionnaireResponse?_count=3&_sort=-authored`;
    let pages = 0;
    while (url) {
      const bundle: fhir4.Bundle = await get<fhir4.Bundle>(url, bearer);
      assert.equal(bundle.type, 'searchset');
      assert.ok(bundle.link?.some((l) => l.relation === 'self'));
      for (const entry of bundle.entry ?? []) {
        assert.equal(entry.search?.mode, 'match');
        assert.equal(entry.fullUrl, `${fhir}/QuestionnaireResponse/${entry.resource!.id}`);
        seen.push(entry.resource!.id!);
      }
      url = bundle.link?.find((l) => l.relation === 'next')?.url;
      pages++;
    }
    assert.equal(pages, 3);
    assert.deepEqual(seen, [...ids].reverse());

    const observations: string[] = [];
    url = `/Observation?patient=Patient/${patientIdOf(sub)}&category=survey&_count=2`;
    while (url) {
      const bundle: fhir4.Bundle = await get<fhir4.Bundle>(url, bearer);
      assert.ok((bundle.entry?.length ?? 0) <= 2);
      observations.push(...(bundle.entry ?? []).map((e) => e.resource!.id!));
      url = bundle.link?.find((l) => l.relation === 'next')?.url;
    }
    assert.deepEqual(observations, [...ids].reverse().flatMap((id) => [`${id}-mood`, `${id}-craving`, `${id}-sleep`]));
    const moods = await get<fhir4.Bundle>(`/Observation?code=http://care-widgets.org/x|daily-mood,daily-mood&_count=200`, bearer);
    assert.equal(moods.entry?.length, 7);
    const none = await get<fhir4.Bundle>(`/Observation?category=laboratory`, bearer);
    assert.equal(none.entry?.length, 0);
  });

  it('filters by authored and date prefixes and by questionnaire; refuses unknown parameters with 400', async () => {
    const sub = 'fhir-dates';
    const bearer = await token(sub);
    const old = await submit(sub, 'phq9', itemAnswers([0, 0, 0, 0, 0, 0, 0, 0, 0]), minutesAgo(3 * 24 * 60));
    const recent = await submit(sub, 'gad7', itemAnswers([0, 0, 0, 0, 0, 0, 0]), minutesAgo(10));
    const cut = encodeURIComponent(minutesAgo(24 * 60));
    const idsOf = (b: fhir4.Bundle) => (b.entry ?? []).map((e) => e.resource!.id);
    assert.deepEqual(idsOf(await get<fhir4.Bundle>(`/QuestionnaireResponse?authored=ge${cut}`, bearer)), [recent.id]);
    assert.deepEqual(idsOf(await get<fhir4.Bundle>(`/QuestionnaireResponse?authored=lt${cut}`, bearer)), [old.id]);
    const day = old.submittedAt.slice(0, 10);
    assert.ok(idsOf(await get<fhir4.Bundle>(`/QuestionnaireResponse?authored=${day}`, bearer)).includes(old.id));
    assert.deepEqual(idsOf(await get<fhir4.Bundle>(`/QuestionnaireResponse?authored=gt${day}&authored=le${new Date().toISOString().slice(0, 10)}`, bearer)), [recent.id]);
    assert.deepEqual(idsOf(await get<fhir4.Bundle>(`/QuestionnaireResponse?questionnaire=${encodeURIComponent(`${PHQ9}|1`)}`, bearer)), [old.id]);
    assert.deepEqual(idsOf(await get<fhir4.Bundle>(`/Observation?date=lt${cut}`, bearer)), [`${old.id}-phq9-total`]);
    assert.deepEqual(idsOf(await get<fhir4.Bundle>(`/Observation?code=http://loinc.org|70274-6`, bearer)), [`${recent.id}-gad7-total`]);
    for (const [path, name] of [
      ['/QuestionnaireResponse?color=blue', 'color'],
      ['/QuestionnaireResponse?authored=yesterday', 'authored'],
      ['/QuestionnaireResponse?_count=0', '_count'],
      ['/QuestionnaireResponse?_cursor=nope', '_cursor'],
      ['/QuestionnaireResponse?_sort=authored', '_sort'],
      ['/Observation?value=3', 'value'],
    ] as const) {
      const body = await get<fhir4.OperationOutcome>(path, bearer, 400);
      assert.deepEqual(body.issue[0]?.expression, [name], path);
    }
  });

  it('reads a Patient and $everything (paged by check-ins, Patient on the first page)', async () => {
    const sub = 'fhir-everything';
    const bearer = await token(sub);
    await submit(sub, 'daily', dailyAnswers(), minutesAgo(30));
    await submit(sub, 'phq9', itemAnswers([0, 0, 0, 0, 0, 0, 0, 0, 0]), minutesAgo(20));
    await submit(sub, 'bam', { q1: 2, q2: 3, q3: 0, q4: 0, q6: 0, q8: 1, q9: 3, q10: 10, q11: 1, q12: 2, q13: 4, q14: 'no', q15: 1, q16: 2, q17: 3 }, minutesAgo(10));
    const patient = await get<fhir4.Patient>(`/Patient/${patientIdOf(sub)}`, bearer);
    assert.equal(patient.id, patientIdOf(sub));
    const first = await get<fhir4.Bundle>(`/Patient/${patientIdOf(sub)}/$everything?_count=2`, bearer);
    assert.deepEqual(first.entry?.map((e) => e.resource!.resourceType), ['Patient', 'QuestionnaireResponse', 'QuestionnaireResponse', 'Observation']);
    const next = first.link?.find((l) => l.relation === 'next')?.url;
    assert.ok(next);
    const second = await get<fhir4.Bundle>(next, bearer);
    assert.deepEqual(second.entry?.map((e) => e.resource!.resourceType), ['QuestionnaireResponse', 'Observation', 'Observation', 'Observation']);
    assert.equal(second.link?.find((l) => l.relation === 'next'), undefined);
    await get(`/Patient/${patientIdOf(sub)}/$nothing`, bearer, 404);
    // Staff may search clinic-wide (as checkIn.list); each person returned is audited.
    const wide = await get<fhir4.Bundle>(`/QuestionnaireResponse?_count=200`, await token('fhir-admin', 'admin'));
    assert.ok((wide.entry?.length ?? 0) >= 3);
    const audited = await server.db.selectFrom('audit_log').select('subject_id').where('actor_id', '=', 'fhir-admin').execute();
    assert.ok(audited.some((r) => r.subject_id === sub));
    // Only the people a page shows are audited.
    const one = await get<fhir4.Bundle>(`/Observation?_count=1`, await token('fhir-admin-2', 'admin'));
    assert.equal(one.entry?.length, 1);
    const shown = (one.entry[0]!.resource as fhir4.Observation).subject?.reference;
    const rows = await server.db.selectFrom('audit_log').select(['subject_id', 'action']).where('actor_id', '=', 'fhir-admin-2').execute();
    assert.deepEqual(rows.map((r) => [`Patient/${patientIdOf(r.subject_id!)}`, r.action]), [[shown, 'fhir.Observation.search']]);
  });
});
