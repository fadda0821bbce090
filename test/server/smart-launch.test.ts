import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import type { Browser, Page } from 'puppeteer-core';
import { addIssuer, linkPatient } from '../../server/smart/registration.js';
import { CLINIC_A, CLINIC_B, type TestServer } from './helpers.js';
import { freshPage as pageOf, startLaunchRig, type LaunchRig, type SampleEhr } from './smart-fixtures.js';

const CLIENT_A = 'care-widgets-a';

interface PageConfigJson {
  mode: string;
  authorize?: { state: string; iss: string; launch?: string; clientId: string; scope: string; redirectUri: string };
}

/**
 * The launch pages: server-side answers (unknown EHR, languages, CSP) over HTTP, and the whole flow in
 * headless Chromium (puppeteer-core, /usr/bin/chromium) against the sample EHR's real authorization
 * server: EHR launch URL → authorize (PKCE) → interactions → /smart/ready → exchange → widgets.
 * Needs the widget build (npm run build:widgets; npm test builds first).
 */
describe('SMART launch pages', () => {
  let rig: LaunchRig;
  let server: TestServer;
  let ehr: SampleEhr;
  let browser: Browser;

  const configOf = (html: string): PageConfigJson => JSON.parse(/<script type="application\/json" id="care-smart-config">(.*?)<\/script>/s.exec(html)![1]!) as PageConfigJson;

  before(async () => {
    rig = await startLaunchRig({ clients: (baseUrl) => [{ clientId: CLIENT_A, redirectUris: [`${baseUrl}/smart/ready`] }] });
    ({ server, ehr, browser } = rig);
    await addIssuer(server.db, CLINIC_A, ehr.fhirBase, { clientId: CLIENT_A, openidIssuer: ehr.issuer });
  });
  after(() => rig?.stop());

  it("answers an unregistered EHR with a 404 page saying so and what to tell the clinic, in the person's language", async () => {
    const res = await fetch(`${server.baseUrl}/smart/launch?iss=${encodeURIComponent('https://unknown.example/fhir')}&launch=x`);
    assert.equal(res.status, 404);
    const html = await res.text();
    assert.match(html, /This EHR is not registered with your clinic&#39;s care widgets\./);
    assert.match(html, /https:\/\/unknown\.example\/fhir/);
    assert.match(html, /care smart issuer add/);
    const spanish = await fetch(`${server.baseUrl}/smart/launch?iss=${encodeURIComponent('https://unknown.example/fhir')}`, { headers: { 'accept-language': 'es-MX,es;q=0.9' } });
    assert.match(await spanish.text(), /<html lang="es".*no está registrado/s);
    const arabic = await fetch(`${server.baseUrl}/smart/launch?lang=ar`);
    assert.equal(arabic.status, 400);
    assert.match(await arabic.text(), /<html lang="ar" dir="rtl"/);
  });

  it('escapes what the launch URL carries', async () => {
    const res = await fetch(`${server.baseUrl}/smart/launch?iss=${encodeURIComponent('https://x.example/<script>alert(1)</script>')}`);
    assert.equal(res.status, 404);
    const html = await res.text();
    assert.doesNotMatch(html, /<script>alert/);
  });

  it('EHR launch page: exact scopes, aud = iss through fhirclient, our redirect URL, and connect-src to the EHR only on this page', async () => {
    const res = await fetch(`${server.baseUrl}/smart/launch?iss=${encodeURIComponent(ehr.fhirBase)}&launch=abc`);
    assert.equal(res.status, 200);
    const { state, ...authorize } = configOf(await res.text()).authorize!;
    assert.ok(Buffer.from(state, 'base64url').length >= 32, 'the server draws a 256-bit state');
    assert.deepEqual(authorize, {
      iss: ehr.fhirBase,
      launch: 'abc',
      clientId: CLIENT_A,
      scope: 'launch openid fhirUser online_access patient/Patient.rs patient/QuestionnaireResponse.c',
      redirectUri: `${server.baseUrl}/smart/ready`,
    });
    assert.match(res.headers.get('content-security-policy') ?? '', new RegExp(`connect-src 'self' ${ehr.origin.replace(/\./g, '\\.')}`));
    const standalone = configOf(await (await fetch(`${server.baseUrl}/smart/launch?clinic=${CLINIC_A}`)).text());
    assert.equal(standalone.authorize?.scope, 'launch/patient openid fhirUser online_access patient/Patient.rs patient/QuestionnaireResponse.c');
    assert.equal((await fetch(`${server.baseUrl}/smart/launch?clinic=${CLINIC_B}`)).status, 404);
    assert.equal((await fetch(`${server.baseUrl}/healthz`)).headers.get('content-security-policy')?.includes(ehr.origin), false);
  });

  it("the redirect page's connect-src names the EHR this browser's launch went to, and no other registered EHR", async () => {
    await addIssuer(server.db, CLINIC_B, 'https://other-ehr.example/fhir', { clientId: 'care-b', openidIssuer: 'https://login.other-ehr.example' });
    try {
      const launch = await fetch(`${server.baseUrl}/smart/launch?iss=${encodeURIComponent(ehr.fhirBase)}&launch=abc`);
      const { state } = configOf(await launch.text()).authorize!;
      const cookie = launch.headers.getSetCookie().find((c) => c.startsWith('care_smart_'));
      assert.ok(cookie, 'the launch binds its state to this EHR');
      assert.match(cookie, /HttpOnly/i);
      assert.match(cookie, /SameSite=Lax/i);
      assert.match(cookie, /Path=\/smart/);
      const cspOf = (res: Response) => /connect-src ([^;]*)/.exec(res.headers.get('content-security-policy') ?? '')![1]!;

      const bound = await fetch(`${server.baseUrl}/smart/ready?code=x&state=${state}`, { headers: { cookie: cookie.split(';')[0]! } });
      assert.equal(bound.status, 200);
      assert.ok(cspOf(bound).split(' ').includes(ehr.origin), 'the launching EHR');
      assert.doesNotMatch(cspOf(bound), /other-ehr\.example/, 'not the other registered EHR');
      assert.match(bound.headers.getSetCookie().join('\n'), /care_smart_\w+=;/, 'the binding is used once and cleared');

      // Another state, no cookie, or a cookie naming an EHR that is not registered: no EHR at all.
      const stranger = await fetch(`${server.baseUrl}/smart/ready?code=x&state=never-started`, { headers: { cookie: cookie.split(';')[0]! } });
      assert.doesNotMatch(cspOf(stranger), /127\.0\.0\.1:\d+|other-ehr/);
      const bare = await fetch(`${server.baseUrl}/smart/ready?code=x&state=${state}`);
      assert.doesNotMatch(cspOf(bare), /127\.0\.0\.1:\d+|other-ehr/);
      const name = cookie.split('=')[0]!;
      const forged = await fetch(`${server.baseUrl}/smart/ready?code=x&state=${state}`, { headers: { cookie: `${name}=${encodeURIComponent(JSON.stringify([CLINIC_A, 'https://evil.example/fhir']))}` } });
      assert.doesNotMatch(cspOf(forged), /evil\.example|127\.0\.0\.1:\d+/);
    } finally {
      await server.db.deleteFrom('smart_issuers').where('clinic_id', '=', CLINIC_B).execute();
    }
  });

  const freshPage = () => pageOf(browser);
  const openLaunch = async (url: string, page?: Page): Promise<Page> => {
    page ??= await freshPage();
    await page.goto(url, { waitUntil: 'load' });
    return page;
  };

  it('walks an EHR launch in Chromium: authorize with PKCE S256 and a 256-bit state, redirect, exchange, and the widgets with that person’s care token', async () => {
    const { personId } = await linkPatient(server.db, CLINIC_A, ehr.fhirBase, '123');
    const launch = ehr.launchFor({ id: 'alex-browser', fhirUser: 'Patient/123' });
    const page = await freshPage();
    const authorizeRequests: URL[] = [];
    const exchanges: { id_token: string; nonce?: string }[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin === ehr.origin && url.pathname === '/auth') authorizeRequests.push(url);
      if (url.origin === server.baseUrl && url.pathname === '/smart/exchange') exchanges.push(JSON.parse(request.postData() ?? '{}') as { id_token: string; nonce?: string });
    });
    await page.goto(`${server.baseUrl}/smart/launch?iss=${encodeURIComponent(ehr.fhirBase)}&launch=${launch}`);
    await page.waitForSelector('care-provider', { timeout: 20_000 });
    assert.equal(new URL(page.url()).pathname, '/smart/ready');
    const auth = authorizeRequests[0]!;
    assert.equal(auth.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(auth.searchParams.get('aud'), ehr.fhirBase);
    assert.equal(auth.searchParams.get('launch'), launch);
    assert.ok(Buffer.from(auth.searchParams.get('state')!, 'base64url').length >= 32, 'state carries at least 256 random bits');
    // fhirclient sends no nonce: the page adds a 256-bit one, the id_token carries it and the exchange checked it.
    const nonce = auth.searchParams.get('nonce');
    assert.ok(nonce && Buffer.from(nonce, 'base64url').length >= 32, 'a 256-bit nonce');
    assert.equal(exchanges.length, 1);
    assert.equal(exchanges[0]!.nonce, nonce, 'the page sent the nonce to /smart/exchange');
    assert.equal(decodeJwt(exchanges[0]!.id_token).nonce, nonce, 'the id_token carries it');
    const token = await page.$eval('care-provider', (el) => el.getAttribute('token'));
    assert.equal(decodeJwt(token!).sub, personId, 'the care token is for the linked person');
    const tags = await page.$$eval('care-provider .smart-widgets > *', (els) => els.map((el) => el.tagName.toLowerCase()));
    assert.deepEqual(tags, ['care-check-in', 'care-progress', 'care-safety-plan', 'care-crisis-button']);
    await page.waitForFunction(() => customElements.get('care-check-in') !== undefined && (document.querySelector('care-check-in')?.shadowRoot?.childElementCount ?? 0) > 0, { timeout: 10_000 });

    // The same redirect again (the back button, a bookmark): refused, nothing redeemed twice.
    const reused = await openLaunch(`${server.baseUrl}/smart/ready?code=x&state=${auth.searchParams.get('state')}`, page);
    await reused.waitForSelector('[data-reason]');
    assert.equal(await reused.$eval('[data-reason]', (el) => (el as HTMLElement).dataset.reason), 'state_reused');
    assert.match(await reused.$eval('[role="alert"]', (el) => el.textContent ?? ''), /already used/);
    await page.browserContext().close();
  });

  it('shows the EHR refusing authorization in words, and a state this browser never started', async () => {
    const refused = await openLaunch(`${server.baseUrl}/smart/ready?error=access_denied&error_description=${encodeURIComponent('The patient said no')}&state=abc`);
    await refused.waitForSelector('[data-reason]');
    assert.equal(await refused.$eval('[data-reason]', (el) => (el as HTMLElement).dataset.reason), 'ehr_access_denied');
    const words = await refused.$eval('main', (el) => el.textContent ?? '');
    assert.match(words, /did not let the care widgets sign you in/);
    assert.match(words, /access was denied/);
    assert.match(words, /The patient said no/);
    const stranger = await openLaunch(`${server.baseUrl}/smart/ready?code=abc&state=never-started`);
    await stranger.waitForSelector('[data-reason]');
    assert.equal(await stranger.$eval('[data-reason]', (el) => (el as HTMLElement).dataset.reason), 'state_mismatch');
    assert.match(await stranger.$eval('[role="alert"]', (el) => el.textContent ?? ''), /does not match a launch/);
    await refused.browserContext().close();
    await stranger.browserContext().close();
  });

  it('a practitioner launching the patient app gets a page saying so, and no token', async () => {
    const launch = ehr.launchFor({ id: 'dr-browser', fhirUser: 'Practitioner/9', patient: '123' });
    const page = await openLaunch(`${server.baseUrl}/smart/launch?iss=${encodeURIComponent(ehr.fhirBase)}&launch=${launch}`);
    await page.waitForSelector('[data-reason]', { timeout: 20_000 });
    assert.equal(await page.$eval('[data-reason]', (el) => (el as HTMLElement).dataset.reason), 'patient_only_launch');
    assert.equal(await page.$('care-provider'), null);
    await page.browserContext().close();
  });
});
