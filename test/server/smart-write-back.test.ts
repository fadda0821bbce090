import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CheckInPage, SubmitCheckInResult } from '../../server/contract/index.js';
import { addIssuer, linkPatient } from '../../server/smart/registration.js';
import type { PreparedWriteBack } from '../../server/smart/write-back.js';
import { careJson } from './cli.js';
import { assertValidFhir } from './fhir-validate.js';
import { CLINIC_A, CLINIC_B, dailyAnswers, dataOf, errorOf, minutesAgo, mintToken, mutate, newRequestId, query, startServer, type TestServer } from './helpers.js';
import { authorize, startSampleEhr, type SampleEhr } from './smart-fixtures.js';

const EHR = 'https://ehr.example.org/fhir';

/**
 * SMART write-back, our server's side: smartWriteBack.prepare (the QuestionnaireResponse to create at
 * the EHR, subject = the EHR's Patient) and smartWriteBack.report (the EHR's answer, shown to clinicians
 * on the check-in), their authorization and bad input; the clinic's off switch. Then the sample EHR's
 * FHIR endpoint the browser tests write to: conditional create, validation, count.
 */
describe('SMART write-back procedures', () => {
  let server: TestServer;
  let person: string;
  let token: string;
  let checkIn: SubmitCheckInResult;
  let clinician: string;

  const rowOf = (checkInId: string) => server.db.selectFrom('smart_write_backs').selectAll().where('check_in_id', '=', checkInId).executeTakeFirst();
  const submit = async (as: string) =>
    dataOf(await mutate<SubmitCheckInResult>(server.baseUrl, 'checkIn.submit', { clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers(), submittedAt: minutesAgo(1) }, as));
  const recordOf = async (checkInId: string) => {
    const page = dataOf(await query<CheckInPage>(server.baseUrl, 'checkIn.list', { clientId: person }, clinician));
    return page.items.find((i) => i.id === checkInId);
  };

  before(async () => {
    // Indexing the R4 definitions blocks the event loop for seconds: done before any server connection is open.
    assertValidFhir({ resourceType: 'Basic', code: { text: 'warm-up' } });
    server = await startServer();
    await addIssuer(server.db, CLINIC_A, EHR, { clientId: 'care-a', writeBack: true });
    ({ personId: person } = await linkPatient(server.db, CLINIC_A, EHR, '123'));
    token = await mintToken({ sub: person, role: 'client' });
    clinician = await mintToken({ sub: 'dr-a', role: 'clinician' });
    checkIn = await submit(token);
  });
  after(() => server?.stop());

  it('prepare answers our FHIR mapping of the check-in with the EHR patient as subject, the conditional-create header, and records it pending', async () => {
    const prepared = dataOf(await mutate<PreparedWriteBack>(server.baseUrl, 'smartWriteBack.prepare', { iss: `${EHR}/`, checkInId: checkIn.id }, token));
    assert.equal(prepared.url, `${EHR}/QuestionnaireResponse`);
    assert.equal(prepared.ifNoneExist, `identifier=${encodeURIComponent(`urn:care-widgets:client-request-id|${checkIn.clientRequestId}`)}`);
    assert.deepEqual(prepared.resource.subject, { reference: 'Patient/123' });
    assert.equal(prepared.resource.id, undefined, 'the EHR assigns the id');
    assert.deepEqual(prepared.resource.identifier, { system: 'urn:care-widgets:client-request-id', value: checkIn.clientRequestId });
    assert.equal(prepared.resource.status, 'completed');
    assertValidFhir(prepared.resource);
    assert.equal((await rowOf(checkIn.id))?.status, 'pending');
    assert.equal((await recordOf(checkIn.id))?.writeBack?.status, 'pending', 'the clinician sees it waiting');
  });

  it('report records a refusal with the EHR status and message, which the clinician sees on the check-in; a later write wins', async () => {
    const refused = await mutate(server.baseUrl, 'smartWriteBack.report', { iss: EHR, checkInId: checkIn.id, outcome: 'refused', reason: 'refused', httpStatus: 403, detail: 'Not allowed for this app' }, token);
    assert.deepEqual(dataOf(refused), { status: 'refused' });
    const seen = await recordOf(checkIn.id);
    assert.deepEqual({ ...seen?.writeBack, updatedAt: undefined }, { status: 'refused', iss: EHR, httpStatus: 403, reason: 'refused', detail: 'Not allowed for this app', updatedAt: undefined });
    // The person's relaunch got through: written, and a stale refusal afterwards does not undo it.
    assert.deepEqual(dataOf(await mutate(server.baseUrl, 'smartWriteBack.report', { iss: EHR, checkInId: checkIn.id, outcome: 'written', httpStatus: 201, resource: 'QuestionnaireResponse/abc' }, token)), { status: 'written' });
    assert.deepEqual(dataOf(await mutate(server.baseUrl, 'smartWriteBack.report', { iss: EHR, checkInId: checkIn.id, outcome: 'refused', reason: 'token' }, token)), { status: 'written' });
    const row = await rowOf(checkIn.id);
    assert.equal(row?.status, 'written');
    assert.equal(row?.ehr_resource, 'QuestionnaireResponse/abc');
    assert.equal(row?.reason, null);
  });

  it('is for the client themself: 401 without a token, 403 for staff, 404 for another person or clinic', async () => {
    const input = { iss: EHR, checkInId: checkIn.id, outcome: 'refused', reason: 'token' };
    assert.equal((await mutate(server.baseUrl, 'smartWriteBack.report', input)).status, 401);
    assert.equal((await mutate(server.baseUrl, 'smartWriteBack.prepare', { iss: EHR, checkInId: checkIn.id })).status, 401);
    assert.equal((await mutate(server.baseUrl, 'smartWriteBack.report', input, clinician)).status, 403);
    assert.equal((await mutate(server.baseUrl, 'smartWriteBack.prepare', { iss: EHR, checkInId: checkIn.id }, await mintToken({ sub: 'admin-a', role: 'admin' }))).status, 403);
    const other = await mintToken({ sub: 'someone-else', role: 'client' });
    const otherPrepare = await mutate(server.baseUrl, 'smartWriteBack.prepare', { iss: EHR, checkInId: checkIn.id }, other);
    assert.equal(otherPrepare.status, 404, 'not linked at this EHR');
    assert.equal((await mutate(server.baseUrl, 'smartWriteBack.report', input, other)).status, 404);
    const otherClinic = await mintToken({ sub: person, role: 'client', clinic: CLINIC_B });
    assert.equal((await mutate(server.baseUrl, 'smartWriteBack.prepare', { iss: EHR, checkInId: checkIn.id }, otherClinic)).status, 404);
    assert.equal((await mutate(server.baseUrl, 'smartWriteBack.report', input, otherClinic)).status, 404);
    // Linked at the EHR, but naming a check-in of someone else.
    const { personId: second } = await linkPatient(server.db, CLINIC_A, EHR, '124');
    const secondToken = await mintToken({ sub: second, role: 'client' });
    assert.equal((await mutate(server.baseUrl, 'smartWriteBack.prepare', { iss: EHR, checkInId: checkIn.id }, secondToken)).status, 404);
    assert.equal((await rowOf(checkIn.id))?.status, 'written', 'nothing changed');
  });

  it('bad input is a 400 naming the field, never a 500, and changes nothing', async () => {
    const fresh = await submit(token);
    dataOf(await mutate(server.baseUrl, 'smartWriteBack.prepare', { iss: EHR, checkInId: fresh.id }, token));
    const before = await rowOf(fresh.id);
    const cases: [Record<string, unknown>, string][] = [
      [{ iss: EHR, checkInId: fresh.id }, 'outcome'],
      [{ iss: EHR, checkInId: fresh.id, outcome: 'lost' }, 'outcome'],
      [{ iss: EHR, checkInId: fresh.id, outcome: 'refused' }, 'reason'],
      [{ iss: EHR, checkInId: fresh.id, outcome: 'refused', reason: 'refused' }, 'httpStatus'],
      [{ iss: EHR, checkInId: fresh.id, outcome: 'refused', reason: 'refused', httpStatus: 999 }, 'httpStatus'],
      [{ iss: EHR, checkInId: fresh.id, outcome: 'written', reason: 'token' }, 'reason'],
      [{ iss: EHR, checkInId: fresh.id, outcome: 'written', resource: 'Patient/1' }, 'resource'],
      [{ iss: 'ftp://ehr', checkInId: fresh.id, outcome: 'written' }, 'iss'],
      [{ iss: EHR, checkInId: '', outcome: 'written' }, 'checkInId'],
      [{ iss: EHR, checkInId: fresh.id, outcome: 'written', extra: 1 }, 'extra'],
    ];
    for (const [input, field] of cases) {
      const res = await mutate(server.baseUrl, 'smartWriteBack.report', input, token);
      assert.equal(res.status, 400, `${JSON.stringify(input)}: ${res.text.slice(0, 200)}`);
      const fields = errorOf(res).data.fieldErrors?.map((f) => f.path) ?? [];
      assert.ok(fields.includes(field), `${JSON.stringify(input)} names ${field}: ${JSON.stringify(fields)}`);
    }
    const badPrepare = await mutate(server.baseUrl, 'smartWriteBack.prepare', { iss: 'not a url', checkInId: fresh.id }, token);
    assert.equal(badPrepare.status, 400);
    assert.deepEqual(errorOf(badPrepare).data.fieldErrors?.map((f) => f.path), ['iss']);
    assert.equal((await mutate(server.baseUrl, 'smartWriteBack.report', 'not json{', token, { raw: true })).status, 400);
    assert.deepEqual(await rowOf(fresh.id), before);
    // A report for a write-back that was never prepared: not found, nothing stored.
    const unprepared = await submit(token);
    const res = await mutate(server.baseUrl, 'smartWriteBack.report', { iss: EHR, checkInId: unprepared.id, outcome: 'written' }, token);
    assert.equal(res.status, 404);
    assert.equal(await rowOf(unprepared.id), undefined);
  });

  it('the clinic turns write-back off per EHR (care smart issuer set --write-back off): prepare answers 412 and records nothing', async () => {
    const set = await careJson<{ writeBack: boolean }>(server.config.databaseUrl, ['smart', 'issuer', 'set', EHR, '--clinic', CLINIC_A, '--write-back', 'off']);
    assert.equal(set.writeBack, false);
    const later = await submit(token);
    const res = await mutate(server.baseUrl, 'smartWriteBack.prepare', { iss: EHR, checkInId: later.id }, token);
    assert.equal(res.status, 412);
    assert.match(errorOf(res).message, /write-back is off/);
    assert.equal(await rowOf(later.id), undefined);
    assert.equal((await recordOf(later.id))?.writeBack, undefined, 'no write-back status on a check-in never written back');
    const on = await careJson<{ writeBack: boolean }>(server.config.databaseUrl, ['smart', 'issuer', 'set', EHR, '--clinic', CLINIC_A, '--write-back', 'on']);
    assert.equal(on.writeBack, true);
    dataOf(await mutate(server.baseUrl, 'smartWriteBack.prepare', { iss: EHR, checkInId: later.id }, token));
  });
});

describe("the sample EHR's QuestionnaireResponse creates", () => {
  const CLIENT = 'care-widgets-wb';
  const REDIRECT = 'http://127.0.0.1:9/smart/ready';
  let ehr: SampleEhr;
  let accessToken: string;

  const qr = (overrides: Partial<fhir4.QuestionnaireResponse> = {}): fhir4.QuestionnaireResponse => ({
    resourceType: 'QuestionnaireResponse',
    identifier: { system: 'urn:care-widgets:client-request-id', value: 'f4a0c7b6-3c41-4d6c-9d59-2f1e8c0b7a11' },
    questionnaire: 'https://care-widgets.org/fhir/Questionnaire/daily|1',
    status: 'completed',
    subject: { reference: 'Patient/123' },
    authored: '2026-12-03T08:00:00.000Z',
    item: [{ linkId: 'mood', answer: [{ valueInteger: 4 }] }],
    ...overrides,
  });
  const create = (resource: unknown, headers: Record<string, string> = {}, token = accessToken) =>
    fetch(`${ehr.fhirBase}/QuestionnaireResponse`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json', ...headers }, body: JSON.stringify(resource) });
  const condition = `identifier=${encodeURIComponent('urn:care-widgets:client-request-id|f4a0c7b6-3c41-4d6c-9d59-2f1e8c0b7a11')}`;

  before(async () => {
    ehr = await startSampleEhr({ clients: [{ clientId: CLIENT, redirectUris: [REDIRECT] }] });
    const granted = await authorize(ehr, { clientId: CLIENT, redirectUri: REDIRECT, scope: 'launch/patient openid fhirUser patient/Patient.rs patient/QuestionnaireResponse.c' });
    assert.ok(granted.tokens, JSON.stringify(granted));
    accessToken = granted.tokens.access_token;
  });
  after(() => ehr?.stop());

  it('creates once per identifier with If-None-Exist, validates each and counts them', async () => {
    const first = await create(qr(), { 'if-none-exist': condition });
    assert.equal(first.status, 201);
    const stored = (await first.json()) as fhir4.QuestionnaireResponse;
    assert.match(first.headers.get('location') ?? '', new RegExp(`/QuestionnaireResponse/${stored.id}/_history/1$`));
    const again = await create(qr(), { 'if-none-exist': condition });
    assert.equal(again.status, 200);
    assert.equal(((await again.json()) as fhir4.QuestionnaireResponse).id, stored.id);
    assert.equal(ehr.writes.created.length, 1);
    assert.equal(ehr.writes.matched, 1);

    const { status: _required, ...noStatus } = qr();
    const invalid = await create(noStatus);
    assert.equal(invalid.status, 400, 'the FHIR validator refuses a missing required element');
    assert.equal((await create({ ...qr(), authored: 12 })).status, 400, 'and a wrong type');
    const unknownElement = await create({ ...qr(), colour: 'blue' });
    assert.equal(unknownElement.status, 400);
    const otherPatient = await create(qr({ subject: { reference: 'Patient/124' } }));
    assert.equal(otherPatient.status, 403, 'only the patient of the launch');
    assert.equal((await create(qr(), {}, 'not-a-token')).status, 401);
    assert.equal(ehr.writes.created.length, 1);
  });

  it('refuses creates without the scope patient/QuestionnaireResponse.c', async () => {
    const granted = await authorize(ehr, { clientId: CLIENT, redirectUri: REDIRECT, scope: 'launch/patient openid fhirUser patient/Patient.rs' });
    const res = await create(qr({ identifier: { system: 'urn:x', value: 'no-scope' } }), {}, granted.tokens!.access_token);
    assert.equal(res.status, 403);
    assert.equal(ehr.writes.created.length, 1);
  });
});
