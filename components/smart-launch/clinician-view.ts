/**
 * The clinician launch's end (issue 17), part of the launch page script (components/smart-launch):
 * after fhirclient completed the code flow at /smart/clinician/ready, the EHR's id_token and the patient
 * in context (the token response's `patient`) go to POST /smart/clinician/exchange; the answer is a
 * clinician care token and the clinic's person for that patient, whose `<care-client-record>` opens
 * inside `<care-provider>`. A patient nobody in the clinic is linked to gets a page saying so (not an
 * empty record); every refusal gets its words and what to do. When the EHR granted a refresh token
 * (the clinician app asked `online_access`), the care token is renewed as the patient launch's is
 * (renewal.ts): a refresh_token grant at the EHR, the new id_token exchanged again here; otherwise,
 * or when the EHR refuses, the clinician is asked to open the care widgets again from the chart.
 *
 * Every word comes from the page's JSON strings (locales/<lng>/smart.json), like the rest of the page.
 */

import { renewalThroughEhr, type RenewableClient } from './renewal.js';

interface Strings {
  [key: string]: string | Strings;
}

/** The part of fhirclient's Client this needs. */
export interface ClinicianClient extends RenewableClient {
  state: { serverUrl: string; tokenResponse?: { id_token?: string; refresh_token?: string; patient?: string } };
  request(url: string): Promise<unknown>;
}

export interface ClinicianViewDeps {
  strings: Strings;
  language: string;
  /** The page script's URL: the widget entries are its siblings. */
  here: string;
  text(strings: Strings, key: string, values?: Record<string, string>): string;
  showError(strings: Strings, reason: string, problem: string, help: string[]): void;
  /** The nonce sent with this launch's authorization request (the exchange checks the id_token carries it). */
  nonce?: string | undefined;
}

interface ClinicianAnswer {
  token?: string;
  person?: string;
  personName?: string | null;
  patient?: string;
  reason?: string;
  practitioner?: string;
  clinic?: string;
}

const KNOWN_REASONS = new Set(['unknown_iss', 'wrong_aud', 'wrong_issuer', 'bad_signature', 'malformed_id_token', 'expired', 'nonce_mismatch', 'missing_fhir_user', 'foreign_fhir_user', 'issuer_unreachable', 'practitioner_only_launch', 'unknown_practitioner', 'no_patient_context']);

/** A FHIR HumanName as one line ("Alex Rivera"), or '' when the resource has none. */
function nameOf(patient: unknown): string {
  const names = (patient as { name?: { text?: string; given?: string[]; family?: string }[] } | null)?.name;
  const name = names?.[0];
  if (!name) return '';
  return (name.text ?? [...(name.given ?? []), name.family ?? ''].join(' ')).trim().slice(0, 200);
}

function paragraph(content: string): HTMLParagraphElement {
  const p = document.createElement('p');
  p.textContent = content;
  return p;
}

/** "This patient has not used the care widgets at this clinic", and what to do: not an empty record. */
function showNotLinked(deps: ClinicianViewDeps, patient: string): void {
  const { strings, text } = deps;
  const main = document.getElementById('smart-launch')!;
  main.dataset.reason = 'patient_not_linked';
  main.setAttribute('aria-busy', 'false');
  const heading = document.createElement('h1');
  heading.textContent = text(strings, 'clinician.notLinkedHeading');
  const explanation = paragraph(text(strings, 'clinician.notLinked', { patient }));
  explanation.setAttribute('role', 'status');
  const todo = document.createElement('h2');
  todo.textContent = text(strings, 'whatToDo');
  main.replaceChildren(heading, explanation, todo, paragraph(text(strings, 'clinician.notLinkedHelp')), paragraph(text(strings, 'clinician.openFromChart')));
  document.title = text(strings, 'clinician.notLinkedHeading');
}

/** POST /smart/clinician/exchange: the EHR's id_token and the patient in context for a clinician care token. */
async function exchange(iss: string, idToken: string, patient: string | undefined, nonce: string | undefined): Promise<Response> {
  return fetch('/smart/clinician/exchange', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ iss, id_token: idToken, ...(patient ? { patient } : {}), ...(nonce ? { nonce } : {}) }),
  });
}

export async function openClinicianRecord(deps: ClinicianViewDeps, client: ClinicianClient): Promise<void> {
  const { strings, text, showError } = deps;
  const relaunch = [text(strings, 'clinician.openFromChart')];
  const tokens = client.state.tokenResponse ?? {};
  if (!tokens.id_token) return showError(strings, 'missing_fhir_user', text(strings, 'exchange.missing_fhir_user'), relaunch);
  let res: Response;
  try {
    res = await exchange(client.state.serverUrl, tokens.id_token, tokens.patient, deps.nonce);
  } catch {
    return showError(strings, 'network', text(strings, 'network'), relaunch);
  }
  const answer = (await res.json().catch(() => ({}))) as ClinicianAnswer;
  if (!res.ok || !answer.token || !answer.person) {
    if (answer.reason === 'patient_not_linked') return showNotLinked(deps, answer.patient ?? `Patient/${tokens.patient ?? ''}`);
    const reason = answer.reason && KNOWN_REASONS.has(answer.reason) ? answer.reason : 'other';
    const help =
      reason === 'unknown_practitioner'
        ? [text(strings, 'clinician.unknownPractitionerHelp', { practitioner: answer.practitioner ?? '', clinic: answer.clinic ?? '', iss: client.state.serverUrl })]
        : reason === 'unknown_iss'
          ? [text(strings, 'clinician.unknownIssHelp', { iss: client.state.serverUrl })]
          : relaunch;
    return showError(strings, reason, text(strings, `exchange.${reason}`), help);
  }

  // The name the clinic knows, else the EHR's (user/Patient.rs), else the record names the id.
  let name = answer.personName ?? '';
  if (!name && tokens.patient) name = nameOf(await client.request(`Patient/${encodeURIComponent(tokens.patient)}`).catch(() => null));

  await Promise.all(['provider', 'client-record'].map((entry) => import(/* @vite-ignore */ new URL(`./${entry}.js`, deps.here).href)));
  const provider = document.createElement('care-provider');
  provider.setAttribute('endpoint', location.origin);
  provider.setAttribute('token', answer.token);
  provider.setAttribute('locale', deps.language);
  // The record stays that of the chart's patient the launch opened, whatever a refreshed token response says.
  const patientInContext = tokens.patient;
  const renew = renewalThroughEhr(client, async (idToken, nonce) => {
    const renewed = await exchange(client.state.serverUrl, idToken, patientInContext, nonce);
    const body = (await renewed.json().catch(() => ({}))) as ClinicianAnswer;
    return renewed.ok && body.person === answer.person ? body.token : undefined;
  }, deps.nonce);
  if (renew) provider.tokenProvider = renew;
  provider.addEventListener('care-token-expired', () => {
    document.getElementById('smart-status')!.textContent = text(strings, 'clinician.relaunch');
  });
  const region = document.createElement('div');
  region.className = 'smart-widgets';
  region.setAttribute('role', 'region');
  region.setAttribute('aria-label', text(strings, 'clinician.recordLabel'));
  const record = document.createElement('care-client-record');
  record.setAttribute('client-id', answer.person);
  if (name) record.setAttribute('client-name', name);
  region.append(record);
  provider.append(region);
  const main = document.getElementById('smart-launch')!;
  main.append(provider);
  main.setAttribute('aria-busy', 'false');
  document.getElementById('smart-status')!.textContent = text(strings, 'clinician.signedIn');
}
