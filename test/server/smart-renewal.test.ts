import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import type { Page } from 'puppeteer-core';
import { DEFAULT_SCOPES } from '../../server/smart/registration.js';
import { CLINIC_A, type TestServer } from './helpers.js';
import { careToken, fhirState, freshPage, launchPatientApp, startPatientAppRig, watchTokenRequests, type PatientAppRig, type SampleEhr } from './smart-fixtures.js';

const CLIENT = 'care-widgets-renewal';
/** The clinic's longest care token lifetime for these tests (seconds): the launch's care token expires while we watch. */
const CLINIC_MAX_S = 3;

/**
 * Renewal of the care token on the launch page through the EHR's refresh token (issue 17), in
 * headless Chromium against the sample EHR (oidc-provider granting a refresh token for
 * `online_access`): the care token runs out (a clinic maximum of 3 s) and the widgets keep working
 * because the page made a refresh_token grant at the EHR and exchanged the new id_token for a new care
 * token; without a refresh token the person is asked to relaunch. Needs the widget build.
 */
describe('SMART launch: renewing the care token through the EHR', () => {
  let rig: PatientAppRig;
  let server: TestServer;
  let ehr: SampleEhr;
  let person: string;

  before(async () => {
    rig = await startPatientAppRig(CLIENT);
    ({ server, ehr, person } = rig);
    await server.db.updateTable('clinics').set({ max_token_lifetime_s: CLINIC_MAX_S }).where('id', '=', CLINIC_A).execute();
  });
  after(() => rig?.stop());
  beforeEach(() => {
    ehr.refresh.grant = true;
  });

  /** An EHR launch for Patient/123 in a fresh browser context; records the page's requests to the EHR's token endpoint. */
  async function launch(): Promise<{ page: Page; tokenRequests: URLSearchParams[] }> {
    const page = await freshPage(rig.browser);
    const tokenRequests = watchTokenRequests(page, ehr);
    await launchPatientApp(rig, page);
    return { page, tokenRequests };
  }


  /** Fills the daily check-in and sends it; resolves with the event the widget fired. */
  const checkIn = (page: Page) =>
    page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const el = document.querySelector('care-check-in') as HTMLElement & { answers: unknown; submit(): void };
          for (const name of ['care-submitted', 'care-queued', 'care-error']) el.addEventListener(name, () => resolve(name), { once: true });
          el.answers = { mood: 5, craving: 1, sleepHours: 8, medication: 'yes', used: 'no' };
          el.submit();
        }),
    );

  it('asks online_access, gets a refresh token, and after the care token expires renews it at the EHR: the widgets keep working', async () => {
    assert.match(DEFAULT_SCOPES, /(^| )online_access( |$)/);
    const { page, tokenRequests } = await launch();
    const first = await careToken(page);
    const firstClaims = decodeJwt(first);
    assert.equal(firstClaims.sub, person);
    assert.ok(firstClaims.exp! - firstClaims.iat! <= CLINIC_MAX_S, "the first care token is within the clinic's maximum");
    const launched = await fhirState(page);
    assert.ok(launched?.tokenResponse?.refresh_token, 'the EHR granted a refresh token');
    assert.match(launched.tokenResponse.scope ?? '', /\bonline_access\b/);
    assert.equal(tokenRequests[0]?.get('grant_type'), 'authorization_code');

    // Past the care token's exp: a check-in still goes through.
    await new Promise((r) => setTimeout(r, (firstClaims.exp! + 1) * 1000 - Date.now()));
    const grantsBefore = ehr.refresh.grants;
    assert.equal(await checkIn(page), 'care-submitted');
    const saved = await server.db.selectFrom('check_ins').select(['client_id', 'received_at']).where('clinic_id', '=', CLINIC_A).where('client_id', '=', person).execute();
    assert.ok(saved.some((row) => Date.parse(row.received_at) > firstClaims.exp! * 1000), 'the check-in was stored for the person after the first care token expired');

    assert.ok(ehr.refresh.grants > grantsBefore, "a refresh_token grant reached the EHR's token endpoint and was answered");
    const refreshRequest = tokenRequests.find((params) => params.get('grant_type') === 'refresh_token');
    assert.ok(refreshRequest, 'the page made the refresh_token grant');
    assert.equal(refreshRequest.get('client_id'), CLIENT, 'a public client names itself');

    const renewed = await careToken(page);
    assert.notEqual(renewed, first, 'a new care token was issued');
    const renewedClaims = decodeJwt(renewed);
    assert.equal(renewedClaims.sub, person);
    assert.ok(renewedClaims.exp! > firstClaims.exp!);
    const idToken = decodeJwt((await fhirState(page))!.tokenResponse!.id_token!);
    assert.ok(idToken.iat! >= firstClaims.iat!, 'the page holds the new id_token from the refresh');
    assert.ok(renewedClaims.exp! <= idToken.exp!, "the new care token ends no later than the new id_token");
    assert.ok(renewedClaims.exp! - renewedClaims.iat! <= CLINIC_MAX_S, "and within the clinic's maximum");
    assert.doesNotMatch(await page.$eval('#smart-status', (el) => el.textContent ?? ''), /session has ended/);
    await page.browserContext().close();
  });

  it('without a refresh token from the EHR, an expired care token asks the person to relaunch', async () => {
    ehr.refresh.grant = false;
    const { page, tokenRequests } = await launch();
    assert.equal((await fhirState(page))?.tokenResponse?.refresh_token, undefined, 'the EHR granted no refresh token');
    const claims = decodeJwt(await careToken(page));
    await new Promise((r) => setTimeout(r, (claims.exp! + 1) * 1000 - Date.now()));
    const grantsBefore = ehr.refresh.grants;
    await checkIn(page);
    await page.waitForFunction(() => /session has ended/.test(document.getElementById('smart-status')?.textContent ?? ''), { timeout: 10_000 });
    assert.match(await page.$eval('#smart-status', (el) => el.getAttribute('role') ?? ''), /status/, 'announced in a live region');
    assert.equal(ehr.refresh.grants, grantsBefore);
    assert.equal(tokenRequests.filter((params) => params.get('grant_type') === 'refresh_token').length, 0, 'no refresh was tried');
    await page.browserContext().close();
  });

  it('a refresh the EHR refuses (its session ended) asks the person to relaunch', async () => {
    const { page } = await launch();
    const state = await fhirState(page);
    assert.ok(state?.tokenResponse?.refresh_token);
    const claims = decodeJwt(await careToken(page));
    // The EHR ends the person's grant (their EHR session is over): every refresh token of it stops working,
    // the rotated ones too (rotation keeps the grant).
    const refreshToken = await ehr.provider.RefreshToken.find(state.tokenResponse.refresh_token);
    assert.ok(refreshToken, 'the EHR knows the refresh token');
    await (await ehr.provider.Grant.find(refreshToken.grantId))!.destroy();
    await new Promise((r) => setTimeout(r, (claims.exp! + 1) * 1000 - Date.now()));
    await checkIn(page);
    await page.waitForFunction(() => /session has ended/.test(document.getElementById('smart-status')?.textContent ?? ''), { timeout: 10_000 });
    assert.ok(ehr.refresh.refused > 0, 'the EHR refused a refresh');
    await page.browserContext().close();
  });
});
