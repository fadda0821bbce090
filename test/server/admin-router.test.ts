import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  adminTokens,
  CLINIC_A,
  CLINIC_B,
  dailyAnswers,
  dataOf,
  fieldsOf,
  mintToken,
  mutate,
  newRequestId,
  query,
  serverForThisFile,
  typedMutate,
  typedQuery,
} from './helpers.js';

/**
 * `admin.*` over HTTP: each procedure succeeds for its clinic's admin, refuses a bad value naming the
 * field with nothing changed, answers 403 to other roles, and never reaches another clinic.
 */
const server = await serverForThisFile();
const { adminA, adminB, clinicianA, clientA } = await adminTokens();

/** Everything an admin can read of a clinic, as text: compared before and after a refusal. */
async function snapshot(clinicId: string): Promise<string> {
  const clinic = await server.db.selectFrom('clinics').selectAll().where('id', '=', clinicId).executeTakeFirstOrThrow();
  const origins = await server.db.selectFrom('clinic_origins').select('origin').where('clinic_id', '=', clinicId).orderBy('origin').execute();
  const changes = await server.db.selectFrom('admin_changes').select('id').where('clinic_id', '=', clinicId).orderBy('id').execute();
  return JSON.stringify({ clinic, origins, changes });
}

const ADMIN_CALLS: { path: string; kind: 'query' | 'mutation'; input: unknown }[] = [
  { path: 'admin.clinic', kind: 'query', input: undefined },
  { path: 'admin.setClinic', kind: 'mutation', input: { name: 'Renamed' } },
  { path: 'admin.origins', kind: 'query', input: undefined },
  { path: 'admin.addOrigin', kind: 'mutation', input: { origin: 'https://forbidden.example.org' } },
  { path: 'admin.removeOrigin', kind: 'mutation', input: { origin: 'https://forbidden.example.org' } },
  { path: 'admin.rules', kind: 'query', input: undefined },
  { path: 'admin.previewRules', kind: 'query', input: { rules: {} } },
  { path: 'admin.setRules', kind: 'mutation', input: { rules: { cravingElevated: 1 } } },
  { path: 'admin.audit', kind: 'query', input: {} },
];

describe('admin router', () => {
  it('shows the clinic profile of the token’s clinic without any secret', async () => {
    const clinic = dataOf(await typedQuery(server.baseUrl, 'admin.clinic', undefined, adminA));
    assert.equal(clinic.id, CLINIC_A);
    assert.equal(clinic.keys, 'hs256');
    assert.deepEqual(clinic.templates, ['daily', 'phq9', 'gad7', 'bam']);
    assert.equal(typeof clinic.maxTokenLifetimeS, 'number');
    const text = JSON.stringify(clinic);
    assert.ok(!text.includes('clinic-a-test-secret'), 'the secret never leaves the server');
  });

  it('setClinic changes the profile, is read back, and records before/after in the audit', async () => {
    const res = dataOf(
      await typedMutate(server.baseUrl, 'admin.setClinic', { name: 'Harbor Recovery', region: 'CA', timeZone: 'America/Toronto', languages: ['en', 'fr'], templates: ['daily', 'phq9'], maxTokenLifetimeS: 3600 }, adminA),
    );
    assert.deepEqual(res.changed.after.languages, ['en', 'fr']);
    const clinic = dataOf(await typedQuery(server.baseUrl, 'admin.clinic', undefined, adminA));
    assert.equal(clinic.name, 'Harbor Recovery');
    assert.equal(clinic.region, 'CA');
    assert.equal(clinic.timeZone, 'America/Toronto');
    assert.deepEqual(clinic.languages, ['en', 'fr']);
    assert.deepEqual(clinic.templates, ['daily', 'phq9']);
    assert.equal(clinic.maxTokenLifetimeS, 3600);
    const audit = dataOf(await typedQuery(server.baseUrl, 'admin.audit', {}, adminA));
    const change = audit.items.find((i) => i.action === 'clinic.set');
    assert.ok(change, 'the change is in the audit');
    assert.equal(change.actor, 'admin:admin-a');
    assert.deepEqual((change.before as { name: string }).name, 'Clinic clinic-a');
    assert.deepEqual((change.after as { name: string }).name, 'Harbor Recovery');
  });

  for (const [field, input] of [
    ['region', { name: 'Never saved', region: 'usa' }],
    ['timeZone', { name: 'Never saved', timeZone: 'Mars/Olympus' }],
    ['languages.1', { name: 'Never saved', languages: ['en', 'de'] }],
    ['templates', { name: 'Never saved', templates: [] }],
    ['maxTokenLifetimeS', { name: 'Never saved', maxTokenLifetimeS: 10 }],
    ['defaultLocale', { name: 'Never saved', languages: ['fr'] }],
    ['name', { name: '   ' }],
    ['unexpected', { name: 'Never saved', unexpected: 1 }],
  ] as const) {
    it(`setClinic refuses a bad ${field} naming it, and changes nothing`, async () => {
      const before = await snapshot(CLINIC_A);
      const res = await mutate(server.baseUrl, 'admin.setClinic', input, adminA);
      assert.deepEqual(fieldsOf(res), [field]);
      assert.equal(await snapshot(CLINIC_A), before);
    });
  }

  it('adds and removes portal origins in canonical form', async () => {
    const added = dataOf(await typedMutate(server.baseUrl, 'admin.addOrigin', { origin: 'https://Portal.Example.org' }, adminA));
    assert.equal(added.origin, 'https://portal.example.org');
    assert.deepEqual(dataOf(await typedQuery(server.baseUrl, 'admin.origins', undefined, adminA)).origins, ['https://portal.example.org']);
    const removed = dataOf(await typedMutate(server.baseUrl, 'admin.removeOrigin', { origin: 'https://portal.example.org' }, adminA));
    assert.deepEqual(removed.origins, []);
    assert.deepEqual(dataOf(await typedQuery(server.baseUrl, 'admin.origins', undefined, adminA)).origins, []);
  });

  for (const [name, path, origin] of [
    ['a path', 'admin.addOrigin', 'https://portal.example.org/app'],
    ['plain http', 'admin.addOrigin', 'http://portal.example.org'],
    ['an origin not listed', 'admin.removeOrigin', 'https://never.example.org'],
  ] as const) {
    it(`${path} refuses ${name} naming origin, and changes nothing`, async () => {
      const before = await snapshot(CLINIC_A);
      assert.deepEqual(fieldsOf(await mutate(server.baseUrl, path, { origin }, adminA)), ['origin']);
      assert.equal(await snapshot(CLINIC_A), before);
    });
  }

  it('addOrigin refuses an origin already listed, naming origin', async () => {
    dataOf(await typedMutate(server.baseUrl, 'admin.addOrigin', { origin: 'https://twice.example.org' }, adminA));
    const before = await snapshot(CLINIC_A);
    assert.deepEqual(fieldsOf(await mutate(server.baseUrl, 'admin.addOrigin', { origin: 'https://twice.example.org/' }, adminA)), ['origin']);
    assert.equal(await snapshot(CLINIC_A), before);
  });

  it('previewRules counts the last 30 days per level and reason and changes nothing; setRules then stores them', async () => {
    const client = await mintToken({ sub: 'preview-client', role: 'client', clinic: CLINIC_A });
    for (const craving of [2, 5, 6, 9]) {
      dataOf(await typedMutate(server.baseUrl, 'checkIn.submit', { clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers({ craving, mood: 6 }), submittedAt: new Date().toISOString() }, client));
    }
    const before = await snapshot(CLINIC_A);
    const preview = dataOf(await typedQuery(server.baseUrl, 'admin.previewRules', { rules: { cravingElevated: 5 } }, adminA));
    assert.equal(preview.checkIns, 4);
    assert.equal(preview.flagged.elevated, 1, 'the default threshold 8 flagged one');
    assert.equal(preview.flagged.reasons.high_craving, 1);
    assert.equal(preview.wouldFlag.elevated, 3, 'a threshold of 5 would flag three');
    assert.equal(preview.wouldFlag.none, 1);
    assert.equal(preview.wouldFlag.reasons.high_craving, 3);
    assert.equal(preview.levelChanged, 2);
    assert.equal(await snapshot(CLINIC_A), before, 'a preview changes nothing');

    const saved = dataOf(await typedMutate(server.baseUrl, 'admin.setRules', { rules: { cravingElevated: 5 } }, adminA));
    assert.equal(saved.effective.cravingElevated, 5);
    const rules = dataOf(await typedQuery(server.baseUrl, 'admin.rules', undefined, adminA));
    assert.deepEqual(rules.stored, { cravingElevated: 5 });
    assert.equal(rules.effective.cravingElevated, 5);
    assert.equal(rules.defaults.cravingElevated, 8);
  });

  for (const [field, rules] of [
    ['rules.cravingElevated', { cravingElevated: 101 }],
    ['rules.phq9Item9Urgent', { phq9Item9Urgent: 'yes' }],
    ['rules.selfHarmTerms.0', { selfHarmTerms: ['x'] }],
    ['rules.noSuchRule', { noSuchRule: 1 }],
  ] as const) {
    it(`setRules and previewRules refuse ${field} naming it, and change nothing`, async () => {
      const before = await snapshot(CLINIC_A);
      assert.deepEqual(fieldsOf(await mutate(server.baseUrl, 'admin.setRules', { rules }, adminA)), [field]);
      assert.deepEqual(fieldsOf(await query(server.baseUrl, 'admin.previewRules', { rules }, adminA)), [field]);
      assert.equal(await snapshot(CLINIC_A), before);
    });
  }

  it('audit pages newest first', async () => {
    for (const name of ['Page one', 'Page two', 'Page three']) dataOf(await typedMutate(server.baseUrl, 'admin.setClinic', { name }, adminA));
    const first = dataOf(await typedQuery(server.baseUrl, 'admin.audit', { limit: 2 }, adminA));
    assert.equal(first.items.length, 2);
    assert.deepEqual(first.items.map((i) => (i.after as { name?: string }).name), ['Page three', 'Page two']);
    assert.equal(first.nextCursor, 2);
    const second = dataOf(await typedQuery(server.baseUrl, 'admin.audit', { limit: 2, cursor: first.nextCursor }, adminA));
    assert.equal((second.items[0]!.after as { name?: string }).name, 'Page one');
    assert.deepEqual(fieldsOf(await query(server.baseUrl, 'admin.audit', { limit: 0 }, adminA)), ['limit']);
  });

  for (const [role, token] of [['clinician', () => clinicianA], ['client', () => clientA]] as const) {
    it(`answers 403 to a ${role} on every admin procedure and changes nothing`, async () => {
      const before = await snapshot(CLINIC_A);
      for (const call of ADMIN_CALLS) {
        const res = call.kind === 'query' ? await query(server.baseUrl, call.path, call.input, token()) : await mutate(server.baseUrl, call.path, call.input, token());
        assert.equal(res.status, 403, `${call.path}: ${res.text.slice(0, 200)}`);
      }
      assert.equal(await snapshot(CLINIC_A), before);
    });
  }

  it("an admin of clinic B never reads or changes clinic A, even naming it", async () => {
    dataOf(await typedMutate(server.baseUrl, 'admin.setClinic', { name: 'Secret Name A' }, adminA));
    const before = await snapshot(CLINIC_A);
    for (const call of ADMIN_CALLS) {
      // Naming clinic A in the input is refused as an unknown field (or ignored by input-less queries).
      const named = call.input === undefined ? undefined : { ...(call.input as object), clinicId: CLINIC_A };
      for (const input of [call.input, named]) {
        const res = call.kind === 'query' ? await query(server.baseUrl, call.path, input, adminB) : await mutate(server.baseUrl, call.path, input, adminB);
        assert.ok(res.status < 500, `${call.path}: ${res.status}`);
        assert.ok(!res.text.includes('Secret Name A') && !res.text.includes('admin:admin-a') && !res.text.includes(`"${CLINIC_A}"`), `${call.path} leaked clinic A: ${res.text.slice(0, 300)}`);
      }
    }
    assert.equal(await snapshot(CLINIC_A), before, 'clinic A is unchanged');
    const b = dataOf(await typedQuery(server.baseUrl, 'admin.clinic', undefined, adminB));
    assert.equal(b.id, CLINIC_B);
  });
});
