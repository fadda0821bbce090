import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkInRow } from '../../server/db/check-in-row.js';
import { assertAllValidFhir, assertValidFhir } from './fhir-validate.js';
import { CLINIC_A, CLINIC_B, dailyAnswers, itemAnswers, mintToken, startServer } from './helpers.js';

const PEOPLE = 12;
const DAYS = 50;

describe('FHIR Bulk Data export', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let base: string;
  let admin: string;
  before(async () => {
    server = await startServer();
    base = `${server.baseUrl}/fhir/R4`;
    admin = await mintToken({ sub: 'admin-1', role: 'admin' });
    const { db } = server;
    const now = Date.now();
    for (let p = 0; p < PEOPLE; p++) {
      const clientId = `bulk-${p}`;
      await db.insertInto('users').values({ clinic_id: CLINIC_A, id: clientId, role: 'client', display_name: null, created_at: new Date(now - 100 * 86_400_000).toISOString(), recovery_start_date: null }).execute();
      const rows = Array.from({ length: DAYS }, (_, d) => {
        const at = new Date(now - (d + 1) * 86_400_000).toISOString();
        return d % 14 === 0
          ? checkInRow({ clinicId: CLINIC_A, clientId, templateId: 'phq9', answers: { ...itemAnswers([1, 1, 0, 0, 0, 0, 0, 0, 0]) }, score: { instrument: 'phq9', total: 2, max: 27, severity: 'minimal' }, submittedAt: at })
          : checkInRow({ clinicId: CLINIC_A, clientId, templateId: 'daily', answers: dailyAnswers(), submittedAt: at });
      });
      await db.insertInto('check_ins').values(rows).execute();
    }
    // Another clinic's person must never appear in clinic A's export.
    await db.insertInto('users').values({ clinic_id: CLINIC_B, id: 'other-clinic', role: 'client', display_name: null, created_at: new Date(now - 86_400_000).toISOString(), recovery_start_date: null }).execute();
    await db.insertInto('check_ins').values(checkInRow({ clinicId: CLINIC_B, clientId: 'other-clinic', templateId: 'daily', answers: dailyAnswers(), submittedAt: new Date(now - 3_600_000).toISOString() })).execute();
  });
  after(() => server.stop());

  const kickOff = (token: string, query = '', prefer = 'respond-async') =>
    fetch(`${base}/Group/${CLINIC_A}/$export${query}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json', ...(prefer ? { prefer } : {}) } });

  async function manifestOf(statusUrl: string, token: string) {
    for (let i = 0; i < 100; i++) {
      const res = await fetch(statusUrl, { headers: { authorization: `Bearer ${token}` } });
      if (res.status === 200) return (await res.json()) as { transactionTime: string; requiresAccessToken: boolean; output: { type: string; url: string; count?: number }[]; error: unknown[] };
      assert.equal(res.status, 202);
      assert.ok(res.headers.get('x-progress'));
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('export never completed');
  }

  async function lines(url: string, token: string): Promise<fhir4.Resource[]> {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/fhir\+ndjson/);
    return (await res.text())
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as fhir4.Resource);
  }

  it('kicks off with 202 and a status URL, then gives a manifest whose NDJSON files hold every valid resource once', async () => {
    const res = await kickOff(admin);
    assert.equal(res.status, 202);
    const statusUrl = res.headers.get('content-location');
    assert.ok(statusUrl?.startsWith(`${base}/bulk/`));
    const manifest = await manifestOf(statusUrl ?? '', admin);
    assert.equal(manifest.requiresAccessToken, true);
    assert.deepEqual(manifest.output.map((o) => o.type).sort(), ['Observation', 'Patient', 'QuestionnaireResponse']);

    const file = (type: string) => manifest.output.find((o) => o.type === type)!;
    const patients = await lines(file('Patient').url, admin);
    assert.equal(patients.length, PEOPLE);
    assert.equal(file('Patient').count, PEOPLE);
    const responses = await lines(file('QuestionnaireResponse').url, admin);
    assert.equal(responses.length, PEOPLE * DAYS);
    assert.equal(new Set(responses.map((r) => r.id)).size, PEOPLE * DAYS);
    const observations = await lines(file('Observation').url, admin);
    assert.ok(observations.length > responses.length, 'daily check-ins give mood, craving and sleep');
    await assertAllValidFhir([...patients, ...responses, ...observations]);
    assert.ok(!JSON.stringify(patients).includes('other-clinic'));

    const audit = await server.db.selectFrom('audit_log').select('subject_id').where('action', '=', 'fhir.export').where('actor_id', '=', 'admin-1').execute();
    assert.equal(new Set(audit.map((a) => a.subject_id)).size, PEOPLE);
  });

  it('honours _type and _since, and refuses unknown types, a missing Prefer and clients', async () => {
    const since = new Date(Date.now() - 10 * 86_400_000 + 60_000).toISOString();
    const res = await kickOff(admin, `?_type=QuestionnaireResponse&_since=${encodeURIComponent(since)}`);
    assert.equal(res.status, 202);
    const manifest = await manifestOf(res.headers.get('content-location')!, admin);
    assert.deepEqual(manifest.output.map((o) => o.type), ['QuestionnaireResponse']);
    const responses = (await lines(manifest.output[0]!.url, admin)) as fhir4.QuestionnaireResponse[];
    assert.equal(responses.length, PEOPLE * 9);

    const badType = await kickOff(admin, '?_type=Medication');
    assert.equal(badType.status, 400);
    assert.deepEqual(assertValidFhir((await badType.json()) as fhir4.OperationOutcome).issue[0]?.expression, ['_type']);
    assert.equal((await kickOff(admin, '', '')).status, 400);
    const client = await mintToken({ sub: 'bulk-0', role: 'client' });
    assert.equal((await kickOff(client)).status, 403);
    const otherClinic = await mintToken({ sub: 'admin-b', role: 'admin', clinic: CLINIC_B });
    assert.equal((await kickOff(otherClinic)).status, 404);
  });

  it('lets only the requester read the status and the files, and forgets a deleted export', async () => {
    const res = await kickOff(admin, '?_type=Patient');
    const statusUrl = res.headers.get('content-location')!;
    const manifest = await manifestOf(statusUrl, admin);
    const otherStaff = await mintToken({ sub: 'clinician-9', role: 'clinician' });
    assert.equal((await fetch(statusUrl, { headers: { authorization: `Bearer ${otherStaff}` } })).status, 404);
    assert.equal((await fetch(manifest.output[0]!.url, { headers: { authorization: `Bearer ${otherStaff}` } })).status, 404);
    assert.equal((await fetch(manifest.output[0]!.url)).status, 401);
    assert.equal((await fetch(statusUrl, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } })).status, 202);
    assert.equal((await fetch(statusUrl, { headers: { authorization: `Bearer ${admin}` } })).status, 404);
  });
});
