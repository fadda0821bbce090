import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import type { Page } from 'puppeteer-core';
import { addPractitionerApp, DEFAULT_PRACTITIONER_SCOPES, linkPractitioner, removePractitionerApp } from '../../server/smart/practitioner.js';
import { linkPatient } from '../../server/smart/registration.js';
import { CLINIC_A, dailyAnswers, minutesAgo, mintToken, mutate, newRequestId, type TestServer } from './helpers.js';
import { careToken, fhirState, freshPage, startLaunchRig, watchTokenRequests, type LaunchRig, type SampleEhr } from './smart-fixtures.js';

const CLINICIAN_APP = 'care-widgets-clinician-renewal';
/** The clinician of clinic A that Practitioner/dr-9 is linked to. */
const DR = 'dr-morgan';
/** The clinic's longest care token lifetime for these tests (seconds): the clinician's care token expires while we watch. */
const CLINIC_MAX_S = 3;
/** What the page says when the clinician must open the care widgets again from the chart. */
const RELAUNCH = (JSON.parse(readFileSync(new URL('../../locales/en/smart.json', import.meta.url), 'utf8')) as { clinician: { relaunch: string } }).clinician.relaunch;

interface ClinicianLaunch {
  page: Page;
  /** The authorization requests the page sent to the EHR. */
  authorizations: URL[];
  tokenRequests: URLSearchParams[];
  /** The bodies the page POSTed to /smart/clinician/exchange. */
  exchanges: { id_token: string; patient?: string }[];
}

/**
 * Renewal of the clinician's care token in the chart (issue 17), in headless Chromium against the
 * sample EHR (oidc-provider granting a refresh token for `online_access`), as the patient launch's
 * (smart-renewal.test.ts): the clinician app asks `online_access` when its registration has it (the
 * default), the care token runs out (a clinic maximum of 3 s), and the record still reads because the
 * page made a refresh_token grant at the EHR and exchanged the new id_token at
 * /smart/clinician/exchange; a refused refresh, or a registration without `online_access`, asks the
 * clinician to open the care widgets again from the chart. Needs the widget build.
 */
describe('SMART clinician launch: renewing the care token through the EHR', () => {
  let rig: LaunchRig;
  let server: TestServer;
  let ehr: SampleEhr;
  let person: string;

  before(async () => {
    rig = await startLaunchRig({ clients: (baseUrl) => [{ clientId: CLINICIAN_APP, redirectUris: [`${baseUrl}/smart/clinician/ready`] }] });
    ({ server, ehr } = rig);
    await addPractitionerApp(server.db, CLINIC_A, ehr.fhirBase, { clientId: CLINICIAN_APP, openidIssuer: ehr.issuer });
    await linkPractitioner(server.db, { clinicId: CLINIC_A, iss: ehr.fhirBase, practitioner: 'Practitioner/dr-9', userId: DR, actor: 'test' });
    // Patient/123 used the patient app at clinic A: linked, with a check-in for the record to show.
    person = (await linkPatient(server.db, CLINIC_A, ehr.fhirBase, '123')).personId;
    const sent = await mutate(server.baseUrl, 'checkIn.submit', { clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers(), submittedAt: minutesAgo(5) }, await mintToken({ sub: person, role: 'client' }));
    assert.equal(sent.status, 200, sent.text);
    await server.db.updateTable('clinics').set({ max_token_lifetime_s: CLINIC_MAX_S }).where('id', '=', CLINIC_A).execute();
  });
  after(() => rig?.stop());
  beforeEach(() => {
    ehr.refresh.grant = true;
  });

  /** A clinician launch from Patient/123's chart in a fresh browser context, up to the record with its check-in. */
  async function launch(): Promise<ClinicianLaunch> {
    const page = await freshPage(rig.browser);
    const tokenRequests = watchTokenRequests(page, ehr);
    const authorizations: URL[] = [];
    const exchanges: ClinicianLaunch['exchanges'] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin === ehr.origin && url.pathname === '/auth') authorizations.push(url);
      if (url.origin === server.baseUrl && url.pathname === '/smart/clinician/exchange') exchanges.push(JSON.parse(request.postData() ?? '{}') as ClinicianLaunch['exchanges'][number]);
    });
    const launchId = ehr.launchFor({ id: `dr-${Math.random().toString(36).slice(2)}`, fhirUser: 'Practitioner/dr-9', patient: '123' });
    await page.goto(`${server.baseUrl}/smart/clinician/launch?iss=${encodeURIComponent(ehr.fhirBase)}&launch=${launchId}&clinic=${CLINIC_A}`);
    await page.waitForSelector('care-client-record', { timeout: 20_000 });
    await waitForCheckIns(page);
    return { page, authorizations, tokenRequests, exchanges };
  }

  const waitForCheckIns = (page: Page) =>
    page.waitForFunction(() => (document.querySelector('care-client-record')?.shadowRoot?.querySelectorAll('[data-section="check-ins"] li').length ?? 0) >= 1, { timeout: 15_000 });
  /** The clinician reloads the record (every part of it is read again with the provider's token). */
  const reloadRecord = (page: Page) => page.evaluate(() => (document.querySelector('care-client-record') as HTMLElement & { reload(): Promise<void> }).reload());
  const untilExpired = (token: string) => new Promise((r) => setTimeout(r, (decodeJwt(token).exp! + 1) * 1000 - Date.now()));
  const status = (page: Page) => page.$eval('#smart-status', (el) => el.textContent ?? '');
  const waitForRelaunch = (page: Page) => page.waitForFunction((words: string) => document.getElementById('smart-status')?.textContent === words, { timeout: 10_000 }, RELAUNCH);
  const recordReadsSince = async (s: number) =>
    (await server.db.selectFrom('audit_log').select(['action', 'at']).where('actor_id', '=', DR).where('subject_id', '=', person).where('action', '=', 'checkIn.list').execute()).filter(
      (row) => Date.parse(row.at) > s * 1000,
    );

  it('asks online_access, gets a refresh token, and after the care token expires renews it at the EHR and /smart/clinician/exchange: the record keeps reading', async () => {
    const { page, authorizations, tokenRequests, exchanges } = await launch();
    assert.match(authorizations[0]?.searchParams.get('scope') ?? '', /(^| )online_access( |$)/, 'the clinician app asked online_access');
    const launched = await fhirState(page);
    assert.ok(launched?.tokenResponse?.refresh_token, 'the EHR granted a refresh token');
    const first = await careToken(page);
    const firstClaims = decodeJwt(first);
    assert.equal(firstClaims.sub, DR);
    assert.equal(firstClaims.role, 'clinician');

    await untilExpired(first);
    const grantsBefore = ehr.refresh.grants;
    await reloadRecord(page);
    await waitForCheckIns(page);
    assert.ok((await recordReadsSince(firstClaims.exp!)).length > 0, "the record was read as the clinician after the first care token expired");

    assert.ok(ehr.refresh.grants > grantsBefore, "a refresh_token grant reached the EHR's token endpoint and was answered");
    const refreshRequest = tokenRequests.find((params) => params.get('grant_type') === 'refresh_token');
    assert.ok(refreshRequest, 'the page made the refresh_token grant');
    assert.equal(refreshRequest.get('client_id'), CLINICIAN_APP, 'a public client names itself');
    assert.ok(exchanges.length >= 2, 'the new id_token went to /smart/clinician/exchange');
    const renewedIdToken = (await fhirState(page))!.tokenResponse!.id_token!;
    assert.equal(exchanges.at(-1)!.id_token, renewedIdToken, 'the exchanged id_token is the one the refresh brought');
    assert.equal(exchanges.at(-1)!.patient, '123', 'for the patient whose record is open');

    const renewed = await careToken(page);
    assert.notEqual(renewed, first, 'a new care token was issued');
    const renewedClaims = decodeJwt(renewed);
    assert.equal(renewedClaims.sub, DR);
    assert.equal(renewedClaims.role, 'clinician');
    assert.ok(renewedClaims.exp! > firstClaims.exp!);
    assert.ok(renewedClaims.exp! <= decodeJwt(renewedIdToken).exp!, 'the new care token ends no later than the new id_token');
    assert.ok(renewedClaims.exp! - renewedClaims.iat! <= CLINIC_MAX_S, "and within the clinic's maximum");
    assert.notEqual(await status(page), RELAUNCH);
    await page.browserContext().close();
  });

  it('a refresh the EHR refuses (the clinician’s EHR session ended) asks them to open the care widgets again from the chart', async () => {
    const { page } = await launch();
    const state = await fhirState(page);
    assert.ok(state?.tokenResponse?.refresh_token, 'the EHR granted a refresh token');
    const refreshToken = await ehr.provider.RefreshToken.find(state.tokenResponse.refresh_token);
    assert.ok(refreshToken, 'the EHR knows the refresh token');
    // The EHR ends the clinician's grant: every refresh token of it stops working, the rotated ones too.
    await (await ehr.provider.Grant.find(refreshToken.grantId))!.destroy();
    await untilExpired(await careToken(page));
    const refusedBefore = ehr.refresh.refused;
    await reloadRecord(page);
    await waitForRelaunch(page);
    assert.ok(ehr.refresh.refused > refusedBefore, 'the EHR refused a refresh');
    assert.equal(await page.$eval('#smart-status', (el) => el.getAttribute('role')), 'status', 'announced in a live region');
    await page.browserContext().close();
  });

  it('requests online_access only when the registration has it: a clinician app registered without it gets no refresh token and the clinician is asked to relaunch', async () => {
    assert.match(DEFAULT_PRACTITIONER_SCOPES, /(^| )online_access( |$)/, 'the default registration has it');
    const scopes = DEFAULT_PRACTITIONER_SCOPES.split(' ').filter((s) => s !== 'online_access').join(' ');
    await removePractitionerApp(server.db, CLINIC_A, ehr.fhirBase);
    await addPractitionerApp(server.db, CLINIC_A, ehr.fhirBase, { clientId: CLINICIAN_APP, openidIssuer: ehr.issuer, scopes });
    try {
      const { page, authorizations, tokenRequests } = await launch();
      assert.equal(authorizations[0]?.searchParams.get('scope'), scopes, 'exactly the registered scopes: no online_access');
      assert.equal((await fhirState(page))?.tokenResponse?.refresh_token, undefined, 'the EHR granted no refresh token');
      await untilExpired(await careToken(page));
      const grantsBefore = ehr.refresh.grants;
      await reloadRecord(page);
      await waitForRelaunch(page);
      assert.equal(ehr.refresh.grants, grantsBefore);
      assert.equal(tokenRequests.filter((params) => params.get('grant_type') === 'refresh_token').length, 0, 'no refresh was tried');
      await page.browserContext().close();
    } finally {
      await removePractitionerApp(server.db, CLINIC_A, ehr.fhirBase);
      await addPractitionerApp(server.db, CLINIC_A, ehr.fhirBase, { clientId: CLINICIAN_APP, openidIssuer: ehr.issuer });
    }
  });
});
