/**
 * The SMART App Launch page script (issue 17), served at /widgets/smart-launch.js and loaded by the
 * pages /smart/launch and /smart/ready (server/smart/pages.ts) next to SMART's own client, fhirclient's
 * browser build (the global `FHIR`, /smart/fhir-client.js).
 *
 * - launch: `FHIR.oauth2.authorize` with PKCE S256 required and a 256-bit `state` from
 *   crypto.getRandomValues (fhirclient's own is 16 Math.random() characters, about 95 bits);
 *   fhirclient sends `aud` = the EHR's FHIR base URL. fhirclient has no `nonce` option (its
 *   authorize request is a fixed list of parameters), so the page asks it for the URL
 *   (`noRedirect`), adds a 256-bit `nonce` and goes there itself; the nonce waits in sessionStorage
 *   under the state, and the exchange checks the id_token carries it.
 * - ready: the EHR's error in words when it refused; a `state` this browser never started, or already
 *   used, refused before any code is redeemed; otherwise `FHIR.oauth2.ready()`, the id_token (and the
 *   nonce) to POST /smart/exchange, and the clinic's launch widgets inside `<care-provider>` with the
 *   care token. Its `tokenProvider` renews through the EHR's refresh token when the EHR granted one
 *   (`online_access`): a refresh_token grant at the EHR, the new id_token exchanged again; without
 *   one (or when the EHR refuses the refresh) the person is asked to relaunch. The clinician launch
 *   (clinician-view.ts) renews the same way, through the same module (renewal.ts).
 *
 * Every word shown comes from the page's JSON (locales/<lng>/smart.json, rendered by the server).
 */

import { openClinicianRecord, type ClinicianClient } from './clinician-view.js';
import { renewalThroughEhr } from './renewal.js';

interface Strings {
  [key: string]: string | Strings;
}
interface PageConfig {
  mode: 'launch' | 'ready';
  /** The clinician launch: the record of the patient in the chart (clinician-view.ts). */
  flow?: 'clinician';
  language: string;
  /** `state`: 256 random bits the server drew and bound to this EHR (its redirect page's CSP names this EHR only). */
  authorize?: { state?: string; iss: string; launch?: string; clientId: string; scope: string; redirectUri: string };
  strings: Strings;
}
interface SmartClient {
  state: { serverUrl: string; tokenResponse?: { id_token?: string; refresh_token?: string; access_token?: string; patient?: string } };
  refresh(): Promise<unknown>;
  request(url: string): Promise<unknown>;
}
interface FhirGlobal {
  oauth2: {
    /** fhirclient's environment options (read when it refreshes). */
    settings?: Record<string, unknown>;
    /** With `noRedirect: true`, resolves the authorization URL instead of going there. */
    authorize(options: Record<string, unknown>): Promise<unknown>;
    ready(): Promise<SmartClient>;
  };
}
interface ExchangeAnswer {
  token?: string;
  widgets?: string[];
  reason?: string;
  /** The clinic writes check-ins back to this EHR (write-back.ts). */
  writeBack?: boolean;
}

const USED_STATES = 'care-smart-used-states';
/** sessionStorage key of the nonce sent with the authorization request of a state. */
const NONCE_KEY = (state: string) => `care-smart-nonce:${state}`;
const WIDGET_TAGS: Record<string, string> = {
  'check-in': 'care-check-in',
  progress: 'care-progress',
  'safety-plan': 'care-safety-plan',
  'crisis-button': 'care-crisis-button',
  'support-room': 'care-support-room',
};
const OAUTH_ERRORS = ['access_denied', 'invalid_scope', 'invalid_request', 'unauthorized_client', 'unsupported_response_type', 'server_error', 'temporarily_unavailable', 'login_required', 'consent_required'];

function text(strings: Strings, key: string, values: Record<string, string> = {}): string {
  let node: string | Strings | undefined = strings;
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  const template = typeof node === 'string' ? node : key;
  return template.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => values[name] ?? '');
}

function paragraph(content: string, role?: string): HTMLParagraphElement {
  const p = document.createElement('p');
  p.textContent = content;
  if (role) p.setAttribute('role', role);
  return p;
}

/** Replaces the page with an error: what went wrong, then what to do. */
function showError(strings: Strings, reason: string, problem: string, help: string[]): void {
  const main = document.getElementById('smart-launch')!;
  main.dataset.reason = reason;
  main.setAttribute('aria-busy', 'false');
  const heading = document.createElement('h1');
  heading.textContent = text(strings, 'errorHeading');
  const todo = document.createElement('h2');
  todo.textContent = text(strings, 'whatToDo');
  main.replaceChildren(heading, paragraph(problem, 'alert'), todo, ...help.map((line) => paragraph(line)));
  document.title = text(strings, 'errorHeading');
}

/** 256 random bits, base64url. */
function randomValue(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function usedStates(): string[] {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(USED_STATES) ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

async function launch(fhir: FhirGlobal, config: PageConfig): Promise<void> {
  const a = config.authorize!;
  const state = a.state && a.state.length >= 43 ? a.state : randomValue();
  const url = await fhir.oauth2.authorize({
    clientId: a.clientId,
    scope: a.scope,
    redirectUri: a.redirectUri,
    iss: a.iss,
    ...(a.launch ? { launch: a.launch } : {}),
    pkceMode: 'required',
    stateKey: state,
    noRedirect: true,
  });
  if (typeof url !== 'string') throw new Error('fhirclient gave no authorization URL');
  // OpenID Connect's nonce (fhirclient cannot send one): bound to this state, checked by the exchange.
  const nonce = randomValue();
  sessionStorage.setItem(NONCE_KEY(state), nonce);
  const target = new URL(url);
  target.searchParams.set('nonce', nonce);
  location.assign(target.href);
}

/** The nonce this browser sent with the authorization request of `state` (none for an older launch). */
function nonceFor(state: string | null): string | undefined {
  return (state && sessionStorage.getItem(NONCE_KEY(state))) || undefined;
}

async function exchange(iss: string, idToken: string, nonce: string | undefined): Promise<ExchangeAnswer & { ok: boolean }> {
  const res = await fetch('/smart/exchange', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ iss, id_token: idToken, ...(nonce ? { nonce } : {}) }) });
  return { ok: res.ok, ...((await res.json()) as ExchangeAnswer) };
}

async function showWidgets(config: PageConfig, client: SmartClient, answer: ExchangeAnswer, nonce: string | undefined): Promise<void> {
  const here = import.meta.url;
  const widgets = (answer.widgets ?? []).filter((w) => WIDGET_TAGS[w]);
  await Promise.all(['provider', ...widgets].map((name) => import(/* @vite-ignore */ new URL(`./${name}.js`, here).href)));
  const provider = document.createElement('care-provider') as HTMLElement & { tokenProvider?: () => Promise<string> };
  provider.setAttribute('endpoint', location.origin);
  provider.setAttribute('token', answer.token!);
  provider.setAttribute('locale', config.language);
  // Renewal through the EHR's refresh token when it granted one (renewal.ts); otherwise relaunch.
  const renew = renewalThroughEhr(client, async (idToken, renewalNonce) => {
    const renewed = await exchange(client.state.serverUrl, idToken, renewalNonce);
    return renewed.ok ? renewed.token : undefined;
  }, nonce);
  if (renew) provider.tokenProvider = renew;
  provider.addEventListener('care-token-expired', () => {
    document.getElementById('smart-status')!.textContent = text(config.strings, 'relaunch');
  });
  const main = document.getElementById('smart-launch')!;
  if (answer.writeBack) await startWriteBack(config, client, provider, main);
  const list = document.createElement('div');
  list.className = 'smart-widgets';
  list.setAttribute('role', 'region');
  list.setAttribute('aria-label', text(config.strings, 'widgetsLabel'));
  for (const widget of widgets) {
    const element = document.createElement(WIDGET_TAGS[widget]!);
    if (widget === 'check-in') element.setAttribute('template', 'daily');
    list.append(element);
  }
  provider.append(list);
  main.append(provider);
  main.setAttribute('aria-busy', 'false');
  document.getElementById('smart-status')!.textContent = text(config.strings, 'signedIn');
}

/**
 * Write-back (write-back.ts, its own chunk): check-ins accepted from here are created at the EHR with
 * the launch's access token; a status line says how that went (`data-state` for tests).
 */
async function startWriteBack(config: PageConfig, client: SmartClient, provider: HTMLElement & { token?: string; refreshToken?: () => Promise<string | null> }, main: HTMLElement): Promise<void> {
  const { WriteBackQueue } = await import('./write-back.js');
  const line = paragraph('', 'status');
  line.id = 'smart-write-back';
  main.append(line);
  const queue = new WriteBackQueue({
    endpoint: location.origin,
    iss: client.state.serverUrl,
    careToken: () => provider.token || null,
    renewCareToken: async () => (await provider.refreshToken?.()) ?? null,
    accessToken: () => client.state.tokenResponse?.access_token,
    renewAccessToken: async () => {
      if (!client.state.tokenResponse?.refresh_token) return false;
      await client.refresh();
      return true;
    },
    onState: (state) => {
      line.dataset.state = state;
      line.textContent = state === 'idle' ? '' : text(config.strings, `writeBack.${state}`);
    },
  });
  queue.start();
}

async function ready(fhir: FhirGlobal, config: PageConfig): Promise<void> {
  const { strings } = config;
  const params = new URLSearchParams(location.search);
  const error = params.get('error');
  if (error) {
    const reason = OAUTH_ERRORS.includes(error) ? text(strings, `oauth.${error}`) : text(strings, 'oauth.other', { code: error.slice(0, 60) });
    const description = params.get('error_description');
    const help = [text(strings, 'refusedDetail', { reason }), ...(description ? [text(strings, 'refusedDescription', { description: description.slice(0, 300) })] : []), text(strings, 'relaunchHelp')];
    return showError(strings, `ehr_${OAUTH_ERRORS.includes(error) ? error : 'other'}`, text(strings, 'refused'), help);
  }
  const state = params.get('state');
  if (state && usedStates().includes(state)) return showError(strings, 'state_reused', text(strings, 'stateReused'), [text(strings, 'stateHelp')]);
  if (!state || !params.get('code') || sessionStorage.getItem(state) === null) {
    return showError(strings, 'state_mismatch', text(strings, 'stateMismatch'), [text(strings, 'stateHelp')]);
  }
  sessionStorage.setItem(USED_STATES, JSON.stringify([...usedStates(), state].slice(-50)));
  let client: SmartClient;
  try {
    client = await fhir.oauth2.ready();
  } catch {
    return showError(strings, 'network', text(strings, 'network'), [text(strings, 'relaunchHelp')]);
  }
  if (config.flow === 'clinician') {
    return openClinicianRecord({ strings, language: config.language, here: import.meta.url, text, showError, nonce: nonceFor(state) }, client satisfies ClinicianClient);
  }
  const nonce = nonceFor(state);
  const idToken = client.state.tokenResponse?.id_token;
  if (!idToken) return showError(strings, 'missing_fhir_user', text(strings, 'exchange.missing_fhir_user'), [text(strings, 'relaunchHelp')]);
  let answer: ExchangeAnswer & { ok: boolean };
  try {
    answer = await exchange(client.state.serverUrl, idToken, nonce);
  } catch {
    return showError(strings, 'network', text(strings, 'network'), [text(strings, 'relaunchHelp')]);
  }
  if (!answer.ok || !answer.token) {
    const reason = answer.reason && typeof (strings.exchange as Strings)[answer.reason] === 'string' ? answer.reason : 'other';
    const help = reason === 'unknown_iss' ? [text(strings, 'unknownIssHelp', { iss: client.state.serverUrl })] : [text(strings, 'relaunchHelp')];
    return showError(strings, reason, text(strings, `exchange.${reason}`), help);
  }
  await showWidgets(config, client, answer, nonce);
}

const configElement = document.getElementById('care-smart-config');
if (configElement) {
  const config = JSON.parse(configElement.textContent ?? '{}') as PageConfig;
  const fhir = (globalThis as { FHIR?: FhirGlobal }).FHIR;
  // A public client: the refresh_token grant names the client (fhirclient leaves client_id out by default).
  if (fhir?.oauth2.settings) fhir.oauth2.settings.refreshTokenWithClientId = true;
  if (!fhir) showError(config.strings, 'network', text(config.strings, 'network'), [text(config.strings, 'relaunchHelp')]);
  else {
    const work = config.mode === 'launch' ? launch(fhir, config) : ready(fhir, config);
    work.catch(() => showError(config.strings, 'network', text(config.strings, 'network'), [text(config.strings, 'relaunchHelp')]));
  }
}
