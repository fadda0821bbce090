import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import type { Browser, Page } from 'puppeteer-core';
import { addPractitionerApp, DEFAULT_PRACTITIONER_SCOPES, linkPractitioner, listPractitionerApps, listPractitionerLinks } from '../../server/smart/practitioner.js';
import { addIssuer, DEFAULT_SCOPES, linkPatient, RegistrationError } from '../../server/smart/registration.js';
import { CLINIC_A, CLINIC_B, dailyAnswers, dataOf, minutesAgo, mintToken, mutate, newRequestId, query, startServer, type TestServer } from './helpers.js';
import { authorize, care, launchChromium, startSampleEhr, type EhrAccount, type SampleEhr } from './smart-fixtures.js';

const AXE = createRequire(import.meta.url).resolve('axe-core');
const PATIENT_APP = 'care-widgets-patients-a';
const CLINICIAN_APP = 'care-widgets-clinicians-a';
const CLINICIAN_APP_B = 'care-widgets-clinicians-b';
/** The clinician of clinic A that Practitioner/dr-9 is linked to. */
const DR = 'dr-morgan';
const NOTE = 'Slept badly before the court date, but went to my meeting.';

interface ClinicianAnswer {
  status: number;
  body: { token?: string; expiresAt?: string; clinic?: string; role?: string; user?: string; person?: string; patient?: string; practitioner?: string; reason?: string; message?: string };
}

/**
 * The clinician launch (issue 17): a practitioner in the EHR's chart signs in as the clinician an
 * administrator linked them to and opens the record of the patient in context. Against the sample
 * EHR's real authorization server (oidc-provider), over HTTP and in headless Chromium.
 */
describe('SMART clinician launch', () => {
  let server: TestServer;
  let ehr: SampleEhr;
  let personId: string;
  let redirect: string;

  const exchange = async (body: unknown): Promise<ClinicianAnswer> => {
    const res = await fetch(`${server.baseUrl}/smart/clinician/exchange`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    return { status: res.status, body: (await res.json()) as ClinicianAnswer['body'] };
  };
  const launch = async (account: EhrAccount, clientId = CLINICIAN_APP, scope = DEFAULT_PRACTITIONER_SCOPES) => {
    const result = await authorize(ehr, { clientId, redirectUri: redirect, scope, launch: ehr.launchFor(account) });
    assert.ok(result.tokens, `authorization failed: ${result.error} ${result.errorDescription}`);
    return result.tokens;
  };
  /** Everything a refused launch must leave alone. */
  const stored = async () => ({
    practitionerLinks: (await server.db.selectFrom('smart_practitioner_links').selectAll().execute()).length,
    patientLinks: (await server.db.selectFrom('smart_patient_links').selectAll().execute()).length,
    users: (await server.db.selectFrom('users').selectAll().execute()).length,
    audit: (await server.db.selectFrom('audit_log').selectAll().execute()).length,
  });

  before(async () => {
    server = await startServer();
    redirect = `${server.baseUrl}/smart/clinician/ready`;
    ehr = await startSampleEhr({
      clients: [
        { clientId: PATIENT_APP, redirectUris: [`${server.baseUrl}/smart/ready`, redirect] },
        { clientId: CLINICIAN_APP, redirectUris: [redirect] },
        { clientId: CLINICIAN_APP_B, redirectUris: [redirect] },
      ],
    });
    await addIssuer(server.db, CLINIC_A, ehr.fhirBase, { clientId: PATIENT_APP, openidIssuer: ehr.issuer });
    await addPractitionerApp(server.db, CLINIC_A, ehr.fhirBase, { clientId: CLINICIAN_APP, openidIssuer: ehr.issuer });
    await addPractitionerApp(server.db, CLINIC_B, ehr.fhirBase, { clientId: CLINICIAN_APP_B, openidIssuer: ehr.issuer });
    await linkPractitioner(server.db, { clinicId: CLINIC_A, iss: ehr.fhirBase, practitioner: 'Practitioner/dr-9', userId: DR, actor: 'test' });
    // Patient/123 used the patient app at clinic A: linked, with two check-ins (one with a note).
    personId = (await linkPatient(server.db, CLINIC_A, ehr.fhirBase, '123')).personId;
    const patientToken = await mintToken({ sub: personId, role: 'client' });
    for (const answers of [dailyAnswers(), dailyAnswers({ mood: 4, note: NOTE })]) {
      const res = await mutate(server.baseUrl, 'checkIn.submit', { clientRequestId: newRequestId(), templateId: 'daily', answers, submittedAt: minutesAgo(5) }, patientToken);
      assert.equal(res.status, 200, res.text);
    }
  });
  after(async () => {
    await ehr?.stop();
    await server?.stop();
  });

  it('signs the linked clinician in (role clinician, lifetime within the id_token’s and the clinic’s) and names the person of the patient in context; the token reads their record, audited', async () => {
    await server.db.updateTable('clinics').set({ max_token_lifetime_s: 900 }).where('id', '=', CLINIC_A).execute();
    try {
      const tokens = await launch({ id: 'dr-api', fhirUser: 'Practitioner/dr-9', patient: '123' });
      assert.equal(tokens.patient, '123');
      const answer = await exchange({ iss: ehr.fhirBase, id_token: tokens.id_token, patient: tokens.patient });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.role, 'clinician');
      assert.equal(answer.body.user, DR);
      assert.equal(answer.body.person, personId);
      assert.equal(answer.body.practitioner, 'Practitioner/dr-9');
      const claims = decodeJwt(answer.body.token!);
      assert.equal(claims.sub, DR);
      assert.equal(claims.role, 'clinician');
      assert.equal(claims.clinic, CLINIC_A);
      assert.ok(claims.exp! <= decodeJwt(tokens.id_token).exp!, 'not beyond the id_token');
      assert.ok(claims.exp! - claims.iat! <= 900, "not beyond the clinic's longest lifetime");

      const list = dataOf(await query<{ items: { id: string }[] }>(server.baseUrl, 'checkIn.list', { clientId: personId }, answer.body.token));
      assert.equal(list.items.length, 2);
      const audit = await server.db.selectFrom('audit_log').select(['action', 'actor_role']).where('actor_id', '=', DR).where('subject_id', '=', personId).execute();
      assert.deepEqual(audit.map((a) => a.action).sort(), ['checkIn.list', 'smart.clinicianLaunch']);
      assert.ok(audit.every((a) => a.actor_role === 'clinician'));
    } finally {
      await server.db.updateTable('clinics').set({ max_token_lifetime_s: null }).where('id', '=', CLINIC_A).execute();
    }
  });

  it('refuses an unknown practitioner, a patient not linked, the wrong launch type and a missing patient, with a reason and storing nothing', async () => {
    const before = await stored();
    const cases: [string, () => Promise<ClinicianAnswer>, number, string][] = [
      ['a practitioner no administrator linked', async () => exchange({ iss: ehr.fhirBase, id_token: (await launch({ id: 'stranger', fhirUser: 'Practitioner/77', patient: '123' })).id_token, patient: '123' }), 403, 'unknown_practitioner'],
      ['a patient in context nobody is linked to', async () => exchange({ iss: ehr.fhirBase, id_token: (await launch({ id: 'dr-124', fhirUser: 'Practitioner/dr-9', patient: '124' })).id_token, patient: '124' }), 404, 'patient_not_linked'],
      ['a patient on the clinician launch', async () => exchange({ iss: ehr.fhirBase, id_token: (await launch({ id: 'alex', fhirUser: 'Patient/123' })).id_token, patient: '123' }), 403, 'practitioner_only_launch'],
      ['no patient in context', async () => exchange({ iss: ehr.fhirBase, id_token: (await launch({ id: 'dr-nopatient', fhirUser: 'Practitioner/dr-9' })).id_token }), 400, 'no_patient_context'],
      ['the patient app’s id_token on the clinician launch', async () => exchange({ iss: ehr.fhirBase, id_token: (await launch({ id: 'dr-patient-app', fhirUser: 'Practitioner/dr-9', patient: '123' }, PATIENT_APP, DEFAULT_SCOPES)).id_token, patient: '123' }), 401, 'wrong_aud'],
      ['clinic B’s clinician app (dr-9 is linked at clinic A only)', async () => exchange({ iss: ehr.fhirBase, id_token: (await launch({ id: 'dr-b', fhirUser: 'Practitioner/dr-9', patient: '123' }, CLINICIAN_APP_B)).id_token, patient: '123' }), 403, 'unknown_practitioner'],
      ['an EHR with no clinician app registered', async () => exchange({ iss: 'https://other-ehr.example/fhir', id_token: 'x.y.z', patient: '123' }), 404, 'unknown_iss'],
      ['no id_token', () => exchange({ iss: ehr.fhirBase, patient: '123' }), 400, 'invalid_request'],
    ];
    for (const [name, attempt, status, reason] of cases) {
      const answer = await attempt();
      assert.equal(answer.status, status, `${name}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.reason, reason, name);
      assert.ok((answer.body.message ?? '').length > 10, `${name} explains itself`);
      assert.equal(answer.body.token, undefined, name);
    }
    assert.deepEqual(await stored(), before, 'no refused launch linked, recorded or audited anything');

    // A practitioner on the patient app: the patient exchange refuses it (no token, no link).
    const onPatientApp = await fetch(`${server.baseUrl}/smart/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ iss: ehr.fhirBase, id_token: (await launch({ id: 'dr-on-patient-app', fhirUser: 'Practitioner/dr-9', patient: '123' }, PATIENT_APP, DEFAULT_SCOPES)).id_token }),
    });
    assert.equal(onPatientApp.status, 403);
    assert.equal(((await onPatientApp.json()) as { reason: string }).reason, 'patient_only_launch');
    assert.deepEqual(await stored(), before);
  });

  it('links practitioners only as an administrator says: never a client, one user per practitioner, an app registered first; refusals change nothing', async () => {
    await mutate(server.baseUrl, 'checkIn.submit', { clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers(), submittedAt: minutesAgo(1) }, await mintToken({ sub: 'client-zed', role: 'client' }));
    const before = await listPractitionerLinks(server.db, CLINIC_A);
    // Each attempt starts only when checked: one at a time, none left rejected unobserved.
    const refusals: [() => Promise<unknown>, string][] = [
      [() => linkPractitioner(server.db, { clinicId: CLINIC_A, iss: ehr.fhirBase, practitioner: 'Practitioner/5', userId: 'client-zed', actor: 't' }), 'user'],
      [() => linkPractitioner(server.db, { clinicId: CLINIC_A, iss: ehr.fhirBase, practitioner: 'Practitioner/dr-9', userId: 'someone-else', actor: 't' }), 'practitioner'],
      [() => linkPractitioner(server.db, { clinicId: CLINIC_A, iss: 'https://unregistered.example/fhir', practitioner: 'Practitioner/5', userId: 'dr-x', actor: 't' }), 'issuer'],
      [() => linkPractitioner(server.db, { clinicId: CLINIC_A, iss: ehr.fhirBase, practitioner: 'Patient/5', userId: 'dr-x', actor: 't' }), 'practitioner'],
      [() => linkPractitioner(server.db, { clinicId: 'no-such-clinic', iss: ehr.fhirBase, practitioner: 'Practitioner/5', userId: 'dr-x', actor: 't' }), 'clinic'],
      [() => addPractitionerApp(server.db, CLINIC_B, ehr.fhirBase, { clientId: CLINICIAN_APP }), 'clientId'],
      [() => addPractitionerApp(server.db, CLINIC_B, 'https://x.example/fhir', { clientId: PATIENT_APP, scopes: 'openid fhirUser user/Patient.rs' }), 'scopes'],
      [() => addPractitionerApp(server.db, CLINIC_A, ehr.fhirBase, { clientId: 'another' }), 'iss'],
    ];
    for (const [attempt, field] of refusals) {
      await assert.rejects(attempt(), (error: unknown) => error instanceof RegistrationError && error.field === field, field);
    }
    assert.deepEqual(await listPractitionerLinks(server.db, CLINIC_A), before);
    assert.equal((await server.db.selectFrom('users').select('id').where('id', 'in', ['dr-x', 'someone-else']).execute()).length, 0);
  });

  it('care smart practitioner app add|list|set|remove and link|links|unlink work from the command line, refusing with exit 1', async () => {
    const url = server.config.databaseUrl;
    const iss = 'https://cli-ehr.example.org/r4';
    const added = await care(url, '--json', 'smart', 'practitioner', 'app', 'add', iss, '--clinic', CLINIC_B, '--client-id', 'cw-clinician');
    assert.equal(added.code, 0, added.stderr);
    assert.equal(JSON.parse(added.stdout).scopes, DEFAULT_PRACTITIONER_SCOPES);
    const linked = await care(url, '--json', 'smart', 'practitioner', 'link', '--clinic', CLINIC_B, '--issuer', iss, '--practitioner', 'Practitioner/42', '--user', 'nurse-kim');
    assert.equal(linked.code, 0, linked.stderr);
    assert.equal(JSON.parse(linked.stdout).practitioner, 'Practitioner/42');
    assert.match(JSON.parse(linked.stdout).createdBy, /^cli:/);
    const staff = await server.db.selectFrom('users').select('role').where('clinic_id', '=', CLINIC_B).where('id', '=', 'nurse-kim').executeTakeFirst();
    assert.equal(staff?.role, 'clinician', 'the administrator’s link records the clinician');
    const links = await care(url, '--json', 'smart', 'practitioner', 'links', '--clinic', CLINIC_B);
    assert.deepEqual(JSON.parse(links.stdout).map((l: { userId: string }) => l.userId), ['nurse-kim']);
    const off = await care(url, '--json', 'smart', 'practitioner', 'app', 'set', iss, '--clinic', CLINIC_B, '--enabled', 'off');
    assert.equal(JSON.parse(off.stdout).enabled, false);
    const bad = await care(url, '--json', 'smart', 'practitioner', 'link', '--clinic', CLINIC_B, '--issuer', iss, '--practitioner', 'Practitioner/!', '--user', 'x');
    assert.equal(bad.code, 1);
    assert.equal(JSON.parse(bad.stderr).field, 'practitioner');
    assert.equal((await care(url, 'smart', 'practitioner', 'unlink', '--clinic', CLINIC_B, '--issuer', iss, '--practitioner', 'Practitioner/42')).code, 0);
    assert.equal((await care(url, 'smart', 'practitioner', 'unlink', '--clinic', CLINIC_B, '--issuer', iss, '--practitioner', 'Practitioner/42')).code, 1);
    assert.equal((await care(url, 'smart', 'practitioner', 'app', 'remove', iss, '--clinic', CLINIC_B)).code, 0);
    assert.deepEqual((await listPractitionerApps(server.db, CLINIC_B)).map((a) => a.iss), [ehr.fhirBase]);
  });

  it('the clinician launch page asks the documented scopes with our clinician redirect URL; an unknown EHR or a link without launch gets a page saying so', async () => {
    const res = await fetch(`${server.baseUrl}/smart/clinician/launch?iss=${encodeURIComponent(ehr.fhirBase)}&launch=abc&clinic=${CLINIC_A}`);
    assert.equal(res.status, 200);
    const config = JSON.parse(/<script type="application\/json" id="care-smart-config">(.*?)<\/script>/s.exec(await res.text())![1]!) as { flow: string; authorize: { state: string } & Record<string, string> };
    assert.equal(config.flow, 'clinician');
    const { state, ...authorize } = config.authorize;
    assert.ok(Buffer.from(state, 'base64url').length >= 32, 'a 256-bit state drawn by the server');
    assert.deepEqual(authorize, { iss: ehr.fhirBase, launch: 'abc', clientId: CLINICIAN_APP, scope: 'launch openid fhirUser online_access user/Patient.rs', redirectUri: redirect });
    assert.match(res.headers.get('content-security-policy') ?? '', new RegExp(`connect-src 'self' ${ehr.origin.replace(/\./g, '\\.')}`));
    // Its redirect page reaches this EHR only for the state this launch bound (launch-binding.ts).
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('care_smart_'))!.split(';')[0]!;
    const connectSrc = async (url: string, headers: Record<string, string> = {}) => /connect-src ([^;]*)/.exec((await fetch(url, { headers })).headers.get('content-security-policy') ?? '')![1]!;
    assert.ok((await connectSrc(`${server.baseUrl}/smart/clinician/ready?code=x&state=${state}`, { cookie })).split(' ').includes(ehr.origin));
    assert.ok(!(await connectSrc(`${server.baseUrl}/smart/clinician/ready?code=x&state=${state}`)).includes(ehr.origin), 'no binding: no EHR');
    const unknown = await fetch(`${server.baseUrl}/smart/clinician/launch?iss=${encodeURIComponent('https://nowhere.example/fhir')}&launch=abc`);
    assert.equal(unknown.status, 404);
    assert.match(await unknown.text(), /not registered for the clinician launch.*care smart practitioner app add/s);
    const noLaunch = await fetch(`${server.baseUrl}/smart/clinician/launch?iss=${encodeURIComponent(ehr.fhirBase)}&clinic=${CLINIC_A}`);
    assert.equal(noLaunch.status, 400);
    assert.match(await noLaunch.text(), /data-reason="missing_launch"/);
  });

  describe('in Chromium', () => {
    let browser: Browser;
    before(async () => {
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
    });

    const openLaunch = async (account: EhrAccount): Promise<Page> => {
      const page = await (await browser.createBrowserContext()).newPage();
      await page.goto(`${server.baseUrl}/smart/clinician/launch?iss=${encodeURIComponent(ehr.fhirBase)}&launch=${ehr.launchFor(account)}&clinic=${CLINIC_A}`);
      return page;
    };
    const axeViolations = async (page: Page): Promise<string[]> => {
      // Evaluated through the DevTools protocol: the page's CSP allows no inline script.
      await page.evaluate(readFileSync(AXE, 'utf8'));
      return page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: { id: string }[] }> } }).axe;
        return (await axe.run(document)).violations.map((v) => v.id);
      });
    };

    it('EHR launch URL → authorize (PKCE) → consent → redirect → the client record of the patient in context, with their check-ins and note', async () => {
      const page = await openLaunch({ id: 'dr-browser', fhirUser: 'Practitioner/dr-9', patient: '123' });
      await page.waitForSelector('care-client-record', { timeout: 20_000 });
      assert.equal(new URL(page.url()).pathname, '/smart/clinician/ready');
      assert.equal(await page.$eval('care-client-record', (el) => el.getAttribute('client-id')), personId);
      const token = await page.$eval('care-provider', (el) => el.getAttribute('token'));
      assert.equal(decodeJwt(token!).role, 'clinician');
      await page.waitForFunction(
        (note: string) => {
          const root = document.querySelector('care-client-record')?.shadowRoot;
          return (root?.querySelectorAll('[data-section="check-ins"] li').length ?? 0) >= 2 && (root?.textContent ?? '').includes(note);
        },
        { timeout: 15_000 },
        NOTE,
      );
      // The EHR's name for the patient (read with user/Patient.rs), since the clinic has none.
      assert.match(await page.$eval('care-client-record', (el) => el.shadowRoot!.querySelector('h2')!.textContent ?? ''), /Alex Rivera/);
      assert.match(await page.$eval('#smart-status', (el) => el.textContent ?? ''), /signed in as a clinician/);
      assert.deepEqual(await axeViolations(page), []);
      await page.browserContext().close();
    });

    it('a patient in context nobody is linked to gets a page saying so and what to do, not an empty record', async () => {
      const page = await openLaunch({ id: 'dr-browser-124', fhirUser: 'Practitioner/dr-9', patient: '124' });
      await page.waitForSelector('[data-reason]', { timeout: 20_000 });
      assert.equal(await page.$eval('[data-reason]', (el) => (el as HTMLElement).dataset.reason), 'patient_not_linked');
      assert.equal(await page.$eval('h1', (el) => el.textContent), 'This patient has not used the care widgets at this clinic');
      assert.match(await page.$eval('main', (el) => el.textContent ?? ''), /Patient\/124.*What you can do.*patient portal/s);
      assert.equal(await page.$('care-client-record'), null);
      assert.deepEqual(await axeViolations(page), []);
      await page.browserContext().close();
    });

    it('an unknown practitioner is told to ask for the link (with the command), and a patient on the clinician launch is refused', async () => {
      const stranger = await openLaunch({ id: 'stranger-browser', fhirUser: 'Practitioner/77', patient: '123' });
      await stranger.waitForSelector('[data-reason]', { timeout: 20_000 });
      assert.equal(await stranger.$eval('[data-reason]', (el) => (el as HTMLElement).dataset.reason), 'unknown_practitioner');
      const words = await stranger.$eval('main', (el) => el.textContent ?? '');
      assert.match(words, /not linked to a clinician of this clinic/);
      assert.match(words, /care smart practitioner link --clinic clinic-a --issuer http:\/\/127\.0\.0\.1:\d+\/fhir --practitioner Practitioner\/77/);
      assert.equal(await stranger.$('care-provider'), null);
      await stranger.browserContext().close();

      const patient = await openLaunch({ id: 'alex-browser', fhirUser: 'Patient/123' });
      await patient.waitForSelector('[data-reason]', { timeout: 20_000 });
      assert.equal(await patient.$eval('[data-reason]', (el) => (el as HTMLElement).dataset.reason), 'practitioner_only_launch');
      assert.match(await patient.$eval('[role="alert"]', (el) => el.textContent ?? ''), /for clinicians/);
      assert.equal(await patient.$('care-provider'), null);
      await patient.browserContext().close();
    });
  });
});
