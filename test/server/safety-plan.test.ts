import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CrisisResources, SafetyPlanSections, SafetyPlanVersion, SafetyPlanView } from '../../server/contract/index.js';
import { CLINIC_B, dataOf, errorOf, mintToken, mutate, query, startServer, type TestServer } from './helpers.js';

let server: TestServer;

before(async () => {
  server = await startServer();
});
after(async () => {
  await server.stop();
});

const plan = (overrides: Partial<SafetyPlanSections> = {}): SafetyPlanSections => ({
  warningSigns: [{ text: 'Not sleeping' }],
  copingStrategies: [{ text: 'Go for a walk' }],
  socialDistractions: [{ text: 'Library' }],
  helpContacts: [{ text: 'Maria', phone: '+1 202 555 0162' }],
  professionals: [{ text: 'Clinic', phone: '202-555-0100' }],
  safeEnvironment: [{ text: 'No alcohol at home' }],
  reasonsForLiving: [{ text: 'My dog' }],
  ...overrides,
});

const client = (sub: string) => mintToken({ sub, role: 'client', name: `Client ${sub}` });
const clinician = (sub = 'sp-clinician', clinic?: string) => mintToken({ sub, role: 'clinician', name: 'Dr. Test', ...(clinic ? { clinic } : {}) });

async function save(token: string, baseVersion: number | null, sections: SafetyPlanSections, clientId?: string) {
  return mutate<SafetyPlanVersion>(server.baseUrl, 'safetyPlan.save', { baseVersion, sections, ...(clientId ? { clientId } : {}) }, token);
}
const get = (token: string, input?: unknown) => query<SafetyPlanView>(server.baseUrl, 'safetyPlan.get', input, token);

describe('safetyPlan versioning', () => {
  test('a client with no plan gets an empty view', async () => {
    const view = dataOf(await get(await client('sp-empty')));
    assert.deepEqual(view, { clientId: 'sp-empty', latestVersion: null, plan: null, suggestion: null, versions: [] });
  });

  test('every save is a new version and no earlier version is ever lost', async () => {
    const token = await client('sp-versions');
    const saved: SafetyPlanVersion[] = [];
    for (let i = 0; i < 4; i++) {
      const base = saved.at(-1)?.version ?? null;
      saved.push(dataOf(await save(token, base, plan({ reasonsForLiving: [{ text: `reason ${i}` }] }))));
    }
    assert.deepEqual(saved.map((v) => v.version), [1, 2, 3, 4]);
    assert.ok(saved.every((v) => v.kind === 'plan' && v.authorRole === 'client'));
    const view = dataOf(await get(token));
    assert.equal(view.latestVersion, 4);
    assert.equal(view.plan?.version, 4);
    assert.deepEqual(view.versions.map((v) => v.version), [4, 3, 2, 1]);
    for (let i = 0; i < 4; i++) {
      const old = dataOf(await get(token, { version: i + 1 }));
      assert.deepEqual(old.plan?.sections.reasonsForLiving, [{ text: `reason ${i}` }]);
      assert.equal(old.plan?.baseVersion, i === 0 ? null : i);
    }
    const rows = await server.db.selectFrom('safety_plans').select('version').where('client_id', '=', 'sp-versions').execute();
    assert.equal(rows.length, 4);
  });

  test('a save from a stale baseVersion is a 409 CONFLICT and stores nothing', async () => {
    const token = await client('sp-conflict');
    dataOf(await save(token, null, plan()));
    dataOf(await save(token, 1, plan({ warningSigns: [{ text: 'second' }] })));
    const stale = await save(token, 1, plan({ warningSigns: [{ text: 'lost?' }] }));
    assert.equal(stale.status, 409);
    assert.equal(errorOf(stale).data.code, 'CONFLICT');
    assert.match(errorOf(stale).message, /latest version is 2/);
    const fresh = await save(token, null, plan());
    assert.equal(fresh.status, 409, 'null base when a plan exists is stale too');
    const view = dataOf(await get(token));
    assert.equal(view.latestVersion, 2);
    assert.deepEqual(view.plan?.sections.warningSigns, [{ text: 'second' }]);
  });

  test('two saves racing from the same base keep one and refuse the other', async () => {
    const token = await client('sp-race');
    dataOf(await save(token, null, plan()));
    const results = await Promise.all([save(token, 1, plan({ warningSigns: [{ text: 'a' }] })), save(token, 1, plan({ warningSigns: [{ text: 'b' }] }))]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
    assert.equal(dataOf(await get(token)).versions.length, 2);
  });

  test('items are trimmed, phone numbers validated and fields named in errors', async () => {
    const token = await client('sp-invalid');
    const bad = await save(token, null, plan({ helpContacts: [{ text: 'Maria', phone: 'call me' }] }));
    assert.equal(bad.status, 400);
    assert.ok(errorOf(bad).data.fieldErrors?.some((f) => f.path === 'sections.helpContacts.0.phone'), bad.text);
    const empty = await save(token, null, plan({ warningSigns: [{ text: '   ' }] }));
    assert.equal(empty.status, 400);
    assert.ok(errorOf(empty).data.fieldErrors?.some((f) => f.path === 'sections.warningSigns.0.text'), empty.text);
    const phoneOnText = await mutate(server.baseUrl, 'safetyPlan.save', { baseVersion: null, sections: { ...plan(), warningSigns: [{ text: 'x', phone: '123' }] } }, token);
    assert.equal(phoneOnText.status, 400);
    const missing = await mutate(server.baseUrl, 'safetyPlan.save', { baseVersion: null, sections: { warningSigns: [] } }, token);
    assert.equal(missing.status, 400);
    assert.ok(errorOf(missing).data.fieldErrors?.some((f) => f.path === 'sections.reasonsForLiving'), missing.text);
    const ok = dataOf(await save(token, null, plan({ warningSigns: [{ text: '  padded  ' }] })));
    assert.deepEqual(ok.sections.warningSigns, [{ text: 'padded' }]);
  });

  test("the plan's phone numbers are the contacts crisis.resources offers", async () => {
    const token = await client('sp-contacts');
    dataOf(await save(token, null, plan()));
    const resources = dataOf(await query<CrisisResources>(server.baseUrl, 'crisis.resources', undefined, token));
    assert.deepEqual(resources.contacts, [
      { name: 'Maria', phone: '+1 202 555 0162', section: 'helpContacts' },
      { name: 'Clinic', phone: '202-555-0100', section: 'professionals' },
    ]);
  });
});

describe('safetyPlan access', () => {
  test("a client cannot read or write another client's plan (404, nothing stored)", async () => {
    const owner = await client('sp-owner');
    dataOf(await save(owner, null, plan()));
    const other = await client('sp-other');
    const read = await get(other, { clientId: 'sp-owner' });
    assert.equal(read.status, 404);
    assert.equal(errorOf(read).data.code, 'NOT_FOUND');
    const write = await save(other, 1, plan(), 'sp-owner');
    assert.equal(write.status, 404);
    assert.equal(dataOf(await get(owner)).versions.length, 1);
  });

  test("a clinician of the same clinic views the plan and the read is audited", async () => {
    const owner = await client('sp-viewed');
    dataOf(await save(owner, null, plan()));
    const before = await server.db.selectFrom('audit_log').selectAll().where('action', '=', 'safetyPlan.get').where('subject_id', '=', 'sp-viewed').execute();
    const view = dataOf(await get(await clinician(), { clientId: 'sp-viewed' }));
    assert.equal(view.plan?.version, 1);
    const after = await server.db.selectFrom('audit_log').selectAll().where('action', '=', 'safetyPlan.get').where('subject_id', '=', 'sp-viewed').execute();
    assert.equal(after.length, before.length + 1);
    assert.equal(after.at(-1)?.actor_id, 'sp-clinician');
  });

  test('staff must name the client', async () => {
    const res = await get(await clinician());
    assert.equal(res.status, 400);
    assert.match(errorOf(res).message, /clientId/);
  });

  test("a clinician of another clinic gets 404 and no audit row names the client", async () => {
    const owner = await client('sp-foreign');
    dataOf(await save(owner, null, plan()));
    const outsider = await clinician('b-clinician', CLINIC_B);
    const res = await get(outsider, { clientId: 'sp-foreign' });
    assert.equal(res.status, 404);
    const suggest = await save(outsider, 1, plan(), 'sp-foreign');
    assert.equal(suggest.status, 404);
    const rows = await server.db.selectFrom('audit_log').selectAll().where('clinic_id', '=', CLINIC_B).execute();
    assert.equal(rows.length, 0);
    assert.equal(dataOf(await get(owner)).versions.length, 1);
  });

  test("a clinician's save is a suggestion version marked as theirs; the client's plan stays until they accept", async () => {
    const owner = await client('sp-suggested');
    dataOf(await save(owner, null, plan()));
    const doctor = await clinician();
    const suggestion = dataOf(await save(doctor, 1, plan({ copingStrategies: [{ text: 'Call the warm line' }] }), 'sp-suggested'));
    assert.equal(suggestion.version, 2);
    assert.equal(suggestion.kind, 'suggestion');
    assert.equal(suggestion.authorRole, 'clinician');
    assert.equal(suggestion.authorName, 'Dr. Test');
    const view = dataOf(await get(owner));
    assert.equal(view.plan?.version, 1, 'the plan is still the client’s own');
    assert.equal(view.suggestion?.version, 2);
    assert.deepEqual(view.suggestion?.sections.copingStrategies, [{ text: 'Call the warm line' }]);
    // The client accepts by saving from the newest version.
    const accepted = dataOf(await save(owner, 2, view.suggestion.sections));
    assert.equal(accepted.kind, 'plan');
    const after = dataOf(await get(owner));
    assert.equal(after.plan?.version, 3);
    assert.equal(after.suggestion, null);
    assert.deepEqual(after.versions.map((v) => v.kind), ['plan', 'suggestion', 'plan']);
  });

  test('a clinician cannot open a plan for someone who is not a client of the clinic', async () => {
    const res = await get(await clinician(), { clientId: 'nobody-here' });
    assert.equal(res.status, 404);
  });

  test('no token is 401', async () => {
    const res = await get(undefined as unknown as string);
    assert.equal(res.status, 401);
  });
});
