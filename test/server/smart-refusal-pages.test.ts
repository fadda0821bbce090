import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import type { Browser, HTTPRequest, Page } from 'puppeteer-core';
import { addIssuer } from '../../server/smart/registration.js';
import { CLINIC_A, type TestServer } from './helpers.js';
import { freshPage, startLaunchRig, type LaunchRig, type SampleEhr } from './smart-fixtures.js';

const CLIENT_A = 'care-widgets-a';

interface SmartStrings {
  errorHeading: string;
  whatToDo: string;
  relaunchHelp: string;
  exchange: Record<string, string>;
}
/** The words the launch pages show (the page renders them from this file). */
const STRINGS = JSON.parse(readFileSync(new URL('../../locales/en/smart.json', import.meta.url), 'utf8')) as SmartStrings;

/** How a case changes the EHR's genuine id_token before the page sees it. */
type Forge = (claims: JWTPayload) => Promise<string>;

/**
 * The id_token refusals of issue 17 as a person sees them: the whole EHR launch in headless Chromium
 * (puppeteer-core, /usr/bin/chromium) against the sample EHR's real authorization server, with the
 * EHR's token endpoint answer intercepted in the browser: the genuine answer is fetched, then its
 * id_token replaced (signed with jose) by one signed with a key the EHR never published, one for
 * another app (`aud`), one already expired, one without `fhirUser`. Each must end on the refusal page
 * in words (locales/en/smart.json), with no patient link and no care token. One browser, one server.
 * Needs the widget build (npm run build:widgets; npm test builds first).
 */
describe('SMART launch refusal pages for bad id_tokens (Chromium)', () => {
  let rig: LaunchRig;
  let server: TestServer;
  let ehr: SampleEhr;
  let browser: Browser;
  /** The EHR's own signing key (it publishes its public half): tokens signed with it verify. */
  let ehrKey: JWK;
  let ehrKid: string;
  /** A key the EHR never published. */
  let strangerKey: CryptoKey;

  const links = async () => (await server.db.selectFrom('smart_patient_links').selectAll().execute()).length;
  const signAsEhr = (claims: JWTPayload) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: ehrKid, typ: 'JWT' }).sign(ehrKey);
  const nowS = () => Math.floor(Date.now() / 1000);

  before(async () => {
    ehrKid = 'ehr-refusal-pages';
    ehrKey = { ...(await exportJWK((await generateKeyPair('RS256', { extractable: true })).privateKey)), kid: ehrKid };
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    rig = await startLaunchRig({ clients: (baseUrl) => [{ clientId: CLIENT_A, redirectUris: [`${baseUrl}/smart/ready`] }], signingKey: ehrKey });
    ({ server, ehr, browser } = rig);
    await addIssuer(server.db, CLINIC_A, ehr.fhirBase, { clientId: CLIENT_A, openidIssuer: ehr.issuer });
  });
  after(() => rig?.stop());

  /**
   * Walks an EHR launch in a fresh browser context; the EHR's token endpoint answer reaches the page
   * with its id_token replaced by `forge(genuine claims)`. Returns the page and what was exchanged.
   */
  const launchWith = async (patient: string, forge: Forge) => {
    const page: Page = await freshPage(browser);
    const seen = { genuine: [] as JWTPayload[], forged: [] as string[], exchanged: [] as string[], answers: [] as { status: number; body: { token?: string; reason?: string } }[] };
    await page.setRequestInterception(true);
    page.on('request', (request: HTTPRequest) => {
      const url = new URL(request.url());
      if (url.origin !== ehr.origin || url.pathname !== '/token' || request.method() !== 'POST') {
        void request.continue();
        return;
      }
      void (async () => {
        // The genuine answer from the EHR's token endpoint (the same request, made from here)…
        const headers = Object.fromEntries(Object.entries(request.headers()).filter(([name]) => !['host', 'content-length', 'connection'].includes(name.toLowerCase())));
        const real = await fetch(request.url(), { method: 'POST', headers, body: request.postData() ?? '' });
        const body = (await real.json()) as { id_token?: string };
        assert.equal(real.status, 200, `the EHR's token endpoint answered ${JSON.stringify(body)}`);
        const claims = decodeJwt(body.id_token!);
        seen.genuine.push(claims);
        // …with its id_token replaced.
        const forged = await forge({ ...claims });
        seen.forged.push(forged);
        await request.respond({
          status: 200,
          contentType: 'application/json; charset=utf-8',
          headers: { 'access-control-allow-origin': server.baseUrl, 'cache-control': 'no-store' },
          body: JSON.stringify({ ...body, id_token: forged }),
        });
      })().catch((error: unknown) => {
        seen.forged.push(`interception failed: ${String(error)}`);
        void request.abort();
      });
    });
    page.on('request', (request) => {
      if (request.url() === `${server.baseUrl}/smart/exchange`) seen.exchanged.push((JSON.parse(request.postData() ?? '{}') as { id_token: string }).id_token);
    });
    page.on('response', (response) => {
      if (response.url() !== `${server.baseUrl}/smart/exchange`) return;
      void response.json().then((body: { token?: string; reason?: string }) => seen.answers.push({ status: response.status(), body }));
    });
    const launch = ehr.launchFor({ id: `refusal-${patient}`, fhirUser: `Patient/${patient}` });
    await page.goto(`${server.baseUrl}/smart/launch?iss=${encodeURIComponent(ehr.fhirBase)}&launch=${launch}`);
    return { page, seen };
  };

  const cases: { reason: string; status: number; patient: string; forge: Forge }[] = [
    {
      reason: 'bad_signature',
      status: 401,
      patient: '601',
      forge: (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'never-published', typ: 'JWT' }).sign(strangerKey),
    },
    { reason: 'wrong_aud', status: 401, patient: '602', forge: (claims) => signAsEhr({ ...claims, aud: 'some-other-app', azp: 'some-other-app' }) },
    { reason: 'expired', status: 401, patient: '603', forge: (claims) => signAsEhr({ ...claims, iat: nowS() - 600, exp: nowS() - 60 }) },
    {
      reason: 'missing_fhir_user',
      status: 400,
      patient: '604',
      forge: ({ fhirUser: _dropped, ...claims }) => signAsEhr(claims),
    },
  ];

  it('shows each id_token refusal in words, with no patient link and no care token', async () => {
    const linksBefore = await links();
    for (const { reason, status, patient, forge } of cases) {
      const { page, seen } = await launchWith(patient, forge);
      await page.waitForSelector('[data-reason]', { timeout: 20_000 });
      assert.equal(seen.genuine.length, 1, `${reason}: the token endpoint answer was intercepted (${seen.forged.join(' ')})`);
      assert.equal(seen.genuine[0]!.fhirUser, `Patient/${patient}`, `${reason}: the genuine id_token named the launching patient`);
      assert.deepEqual(seen.exchanged, seen.forged, `${reason}: the page handed the replaced id_token to /smart/exchange`);
      assert.equal(await page.$eval('[data-reason]', (el) => (el as HTMLElement).dataset.reason), reason);
      assert.equal(await page.$eval('[role="alert"]', (el) => el.textContent), STRINGS.exchange[reason], `${reason}: the refusal in words`);
      const words = await page.$eval('main', (el) => el.textContent ?? '');
      assert.ok(words.includes(STRINGS.errorHeading), `${reason}: ${words}`);
      assert.ok(words.includes(STRINGS.whatToDo) && words.includes(STRINGS.relaunchHelp), `${reason}: what to do`);
      assert.equal(await page.title(), STRINGS.errorHeading);
      assert.equal(await page.$('care-provider'), null, `${reason}: no widgets`);
      assert.deepEqual(
        seen.answers.map(({ status: s, body }) => [s, body.reason, body.token]),
        [[status, reason, undefined]],
        `${reason}: the exchange refused it and issued no care token`,
      );
      assert.equal(await links(), linksBefore, `${reason}: no patient linked`);
      await page.browserContext().close();
    }
  });

  it('the same interception with the genuine claims re-signed by the EHR key signs the person in (the refusals above come from the changes)', async () => {
    const linksBefore = await links();
    const { page, seen } = await launchWith('605', (claims) => signAsEhr(claims));
    await page.waitForSelector('care-provider', { timeout: 20_000 });
    assert.equal(seen.exchanged.length, 1);
    assert.deepEqual(seen.exchanged, seen.forged);
    assert.equal(await page.$('[data-reason]'), null);
    const token = await page.$eval('care-provider', (el) => el.getAttribute('token'));
    assert.ok(token && decodeJwt(token).sub, 'a care token');
    assert.equal(await links(), linksBefore + 1, 'the patient is linked');
    await page.browserContext().close();
  });
});
