import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { addIssuer, DEFAULT_SCOPES, linkPatient } from '../../server/smart/registration.js';
import { CLINIC_A, startServer, type TestServer } from './helpers.js';
import { startSampleEhr, type SampleEhr } from './smart-fixtures.js';

const CLIENT = 'care-widgets-renewal';
const BUILT = new URL('../../dist/widgets/smart-launch.js', import.meta.url);
/** The clinic's longest care token lifetime for these tests (seconds): the launch's care token expires while we watch. */
const CLINIC_MAX_S = 3;

interface FhirClientState {
  tokenResponse?: { id_token?: string; refresh_token?: string; scope?: string };
}

/**
 * Renewal of the care token on the launch page through the EHR's refresh token (issue 17), in
 * headless Chromium against the sample EHR (oidc-provider granting a refresh token for
 * `online_access`): the care token runs out (a clinic maximum of 3 s) and the widgets keep working
 * because the page made a refresh_token grant at the EHR and exchanged the new id_token for a new care
 * token; without a refresh token the person is asked to relaunch. Needs the widget build.
 */
describe('SMART launch: renewing the care token through the EHR', () => {
  let server: TestServer;
  let ehr: SampleEhr;
  let browser: Browser;
  let person: string;

  before(async () => {
    assert.ok(existsSync(BUILT), 'build the widgets first (npm run build:widgets)');
    server = await startServer();
    ehr = await startSampleEhr({ clients: [{ clientId: CLIENT, redirectUris: [`${server.baseUrl}/smart/ready`] }] });
    await addIssuer(server.db, CLINIC_A, ehr.fhirBase, { clientId: CLIENT, openidIssuer: ehr.issuer });
    ({ personId: person } = await linkPatient(server.db, CLINIC_A, ehr.fhirBase, '123'));
    await server.db.updateTable('clinics').set({ max_token_lifetime_s: CLINIC_MAX_S }).where('id', '=', CLINIC_A).execute();
    browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  });
  after(async () => {
    await browser?.close();
    await ehr?.stop();
    await server?.stop();
  });
  beforeEach(() => {
    ehr.refresh.grant = true;
  });

  /** An EHR launch for Patient/123 in a fresh browser context; records the page's requests to the EHR's token endpoint. */
  async function launch(): Promise<{ page: Page; tokenRequests: URLSearchParams[] }> {
    const page = await (await browser.createBrowserContext()).newPage();
    const tokenRequests: URLSearchParams[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin === ehr.origin && url.pathname === '/token' && request.method() === 'POST') tokenRequests.push(new URLSearchParams(request.postData() ?? ''));
    });
    const launchId = ehr.launchFor({ id: `alex-${Math.random().toString(36).slice(2)}`, fhirUser: 'Patient/123' });
    await page.goto(`${server.baseUrl}/smart/launch?iss=${encodeURIComponent(ehr.fhirBase)}&launch=${launchId}`);
    await page.waitForSelector('care-provider', { timeout: 20_000 });
    await page.waitForFunction(() => (document.querySelector('care-check-in')?.shadowRoot?.querySelector('form') ?? null) !== null, { timeout: 15_000 });
    return { page, tokenRequests };
  }

  /** fhirclient's launch state (sessionStorage: SMART_KEY names the entry). */
  const fhirState = (page: Page) =>
    page.evaluate(() => {
      const key = JSON.parse(sessionStorage.getItem('SMART_KEY') ?? 'null') as string | null;
      return key ? (JSON.parse(sessionStorage.getItem(key) ?? 'null') as FhirClientState | null) : null;
    });
  const careToken = (page: Page) => page.$eval('care-provider', (el) => (el as HTMLElement & { token: string }).token);

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
