import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { addIssuer, linkPatient, type IssuerInput } from '../../server/smart/registration.js';
import { startSampleEhr as startEhr, type EhrAccount, type EhrClient, type SampleEhr, type SampleEhrOptions } from '../../server/smart/sample-ehr.js';
import { assertValidFhir } from './fhir-validate.js';
import { CLINIC_A, startServer, type TestServer } from './helpers.js';
import { CARE_CLI } from './care-command.js';

/** The sample EHR moved to server/smart/sample-ehr.ts (the demo runs it too); the tests import it from here as before. */
export { SAMPLE_PATIENTS, SAMPLE_PRACTITIONERS, SMART_SCOPES, type EhrAccount, type EhrClient, type EhrWrites, type SampleEhr } from '../../server/smart/sample-ehr.js';

/** The sample EHR, checking every QuestionnaireResponse written back with the FHIR R4 validator. */
export const startSampleEhr = (options: SampleEhrOptions): Promise<SampleEhr> => startEhr({ validateResource: (resource) => assertValidFhir(resource), ...options });

/** The launch pages' script: the tests in Chromium need the widget build. */
const LAUNCH_SCRIPT = new URL('../../dist/widgets/smart-launch.js', import.meta.url);

/** Headless Chromium (puppeteer-core, /usr/bin/chromium) for the launch pages. */
export function launchChromium(): Promise<Browser> {
  assert.ok(existsSync(LAUNCH_SCRIPT), 'build the widgets first (npm run build:widgets): the launch page loads /widgets/smart-launch.js');
  return puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}

/** A test server, the sample EHR and Chromium: what a launch in the browser needs. */
export interface LaunchRig {
  server: TestServer;
  ehr: SampleEhr;
  browser: Browser;
  /** Closes the browser, then stops the EHR and the server (whichever started). */
  stop(): Promise<void>;
}

/** Starts a LaunchRig; `clients(baseUrl)` are the apps registered at the EHR (their redirect URLs name the server). */
export async function startLaunchRig(options: { clients: (baseUrl: string) => EhrClient[] } & Omit<SampleEhrOptions, 'clients'>): Promise<LaunchRig> {
  const { clients, ...ehrOptions } = options;
  const browser = await launchChromium();
  let server: TestServer | undefined;
  try {
    server = await startServer();
    const ehr = await startSampleEhr({ ...ehrOptions, clients: clients(server.baseUrl) });
    const started = server;
    return {
      server: started,
      ehr,
      browser,
      async stop() {
        await browser.close();
        await ehr.stop();
        await started.stop();
      },
    };
  } catch (error) {
    await browser.close();
    await server?.stop();
    throw error;
  }
}

/** A LaunchRig with the patient app registered and Patient/123 linked to `person`. */
export type PatientAppRig = LaunchRig & { person: string };

/**
 * A LaunchRig with the patient app `clientId` registered at the EHR and for clinic A (redirect URL
 * /smart/ready; `registration` for more, e.g. write-back), and Patient/123 linked: `person` is theirs.
 */
export async function startPatientAppRig(clientId: string, registration: Omit<IssuerInput, 'clientId' | 'openidIssuer'> = {}): Promise<PatientAppRig> {
  const rig = await startLaunchRig({ clients: (baseUrl) => [{ clientId, redirectUris: [`${baseUrl}/smart/ready`] }] });
  try {
    await addIssuer(rig.server.db, CLINIC_A, rig.ehr.fhirBase, { ...registration, clientId, openidIssuer: rig.ehr.issuer });
    const { personId } = await linkPatient(rig.server.db, CLINIC_A, rig.ehr.fhirBase, '123');
    return { ...rig, person: personId };
  } catch (error) {
    await rig.stop();
    throw error;
  }
}

/** A page in a browser context of its own: no EHR session or sessionStorage from another launch. */
export const freshPage = async (browser: Browser): Promise<Page> => (await browser.createBrowserContext()).newPage();

/** Walks `page` through an EHR launch of the patient app for `account`, up to the check-in form. */
export async function launchPatientApp(rig: LaunchRig, page: Page, account: EhrAccount = { id: `alex-${Math.random().toString(36).slice(2)}`, fhirUser: 'Patient/123' }): Promise<Page> {
  await page.goto(`${rig.server.baseUrl}/smart/launch?iss=${encodeURIComponent(rig.ehr.fhirBase)}&launch=${rig.ehr.launchFor(account)}`);
  await page.waitForSelector('care-provider', { timeout: 20_000 });
  await page.waitForFunction(() => (document.querySelector('care-check-in')?.shadowRoot?.querySelector('form') ?? null) !== null, { timeout: 15_000 });
  return page;
}

/** Records the page's POSTs to the EHR's token endpoint (their form bodies), in order. */
export function watchTokenRequests(page: Page, ehr: SampleEhr): URLSearchParams[] {
  const requests: URLSearchParams[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === ehr.origin && url.pathname === '/token' && request.method() === 'POST') requests.push(new URLSearchParams(request.postData() ?? ''));
  });
  return requests;
}

/** fhirclient's launch state in the page (sessionStorage: SMART_KEY names the entry). */
export const fhirState = (page: Page) =>
  page.evaluate(() => {
    const key = JSON.parse(sessionStorage.getItem('SMART_KEY') ?? 'null') as string | null;
    return key ? (JSON.parse(sessionStorage.getItem(key) ?? 'null') as { tokenResponse?: { id_token?: string; refresh_token?: string; scope?: string } } | null) : null;
  });

/** The care token the page's `<care-provider>` holds now. */
export const careToken = (page: Page): Promise<string> => page.$eval('care-provider', (el) => (el as HTMLElement & { token: string }).token);

/** PKCE S256 pair. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * Walks the authorization code flow over real HTTP the way a browser would (following redirects by
 * hand with a cookie jar, the interactions finishing by themselves) and redeems the code at the
 * token endpoint. Returns the token response, or the redirect's error parameters.
 */
export async function authorize(
  ehr: SampleEhr,
  request: { clientId: string; redirectUri: string; scope: string; launch?: string; nonce?: string; aud?: string },
): Promise<{ tokens?: Record<string, unknown> & { id_token: string; access_token: string }; error?: string; errorDescription?: string }> {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const state = randomBytes(16).toString('base64url');
  const { verifier, challenge } = pkcePair();
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    scope: request.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    aud: request.aud ?? ehr.fhirBase,
    ...(request.launch ? { launch: request.launch } : {}),
    ...(request.nonce ? { nonce: request.nonce } : {}),
  });
  let url = `${ehr.origin}/auth?${params.toString()}`;
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: cookieHeader() } });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair!.split('=');
      if (value.join('=') === '') jar.delete(name!);
      else jar.set(name!, value.join('='));
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`authorization stopped at ${url} with ${res.status}: ${(await res.text()).slice(0, 300)}`);
    await res.arrayBuffer();
    const next = new URL(location, url);
    if (next.toString().startsWith(request.redirectUri)) {
      if (next.searchParams.get('state') !== state) throw new Error('state changed on the way');
      const error = next.searchParams.get('error');
      if (error) return { error, errorDescription: next.searchParams.get('error_description') ?? '' };
      const token = await fetch(`${ehr.origin}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: next.searchParams.get('code')!, redirect_uri: request.redirectUri, client_id: request.clientId, code_verifier: verifier }),
      });
      const tokens = (await token.json()) as Record<string, unknown>;
      if (!token.ok) return { error: JSON.stringify(tokens.error), errorDescription: JSON.stringify(tokens.error_description ?? '') };
      return { tokens: tokens as Record<string, unknown> & { id_token: string; access_token: string } };
    }
    url = next.toString();
  }
  throw new Error('too many redirects');
}

const run = promisify(execFile);

/** Runs the `care` command line (the bundled CLI: see care-command.ts) against a test database: its exit code and output. */
export async function care(databaseUrl: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CARE_CLI, '--database', databaseUrl, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
