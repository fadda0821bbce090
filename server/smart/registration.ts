import { randomBytes } from 'node:crypto';
import type { Db } from '../db/index.js';
import type { SmartIssuersTable } from '../db/schema.js';

/**
 * The scopes the launch page requests unless the clinic registered others (SMART App Launch 2.x):
 * `launch` (EHR launch; the page asks `launch/patient` instead for a standalone launch), `openid
 * fhirUser` (the id_token naming the person), `online_access` (a refresh token valid while the
 * person's EHR session lasts: the page renews the care token through it), read of the patient's own
 * record and create of QuestionnaireResponses (write-back).
 */
export const DEFAULT_SCOPES = 'launch openid fhirUser online_access patient/Patient.rs patient/QuestionnaireResponse.c';
/** Widgets a patient launch may show, by their /widgets/<name>.js entry. */
export const LAUNCH_WIDGETS = ['check-in', 'progress', 'safety-plan', 'crisis-button', 'support-room'] as const;
export type LaunchWidget = (typeof LAUNCH_WIDGETS)[number];
export const DEFAULT_LAUNCH_WIDGETS: readonly LaunchWidget[] = ['check-in', 'progress', 'safety-plan', 'crisis-button'];

/** A registration that cannot be made as asked: nothing was changed. `field` names the input at fault. */
export class RegistrationError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

export interface SmartIssuer {
  clinicId: string;
  /** The EHR's FHIR base URL (no trailing slash). */
  iss: string;
  /** The OpenID issuer of its id_tokens (the `iss` claim); `iss` unless registered otherwise. */
  openidIssuer: string;
  clientId: string;
  scopes: string;
  launchWidgets: LaunchWidget[];
  writeBack: boolean;
  enabled: boolean;
  createdAt: string;
}

export interface IssuerInput {
  openidIssuer?: string | null;
  clientId?: string;
  scopes?: string;
  launchWidgets?: readonly string[];
  writeBack?: boolean;
  enabled?: boolean;
}

/**
 * An issuer URL in the form it is stored and compared: http(s), no query or fragment, no trailing
 * slash. Plain http only for loopback (a developer's EHR sandbox). Returns null when unusable.
 */
export function normalizeIssuerUrl(value: string): string | null {
  if (value.length > 500) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return null;
  if (url.search || url.hash || url.username || url.password) return null;
  return url.toString().replace(/\/+$/, '');
}

function issuerUrl(value: string, field: string): string {
  const url = normalizeIssuerUrl(value);
  if (!url) {
    throw new RegistrationError(`${field} must be an https URL without query or fragment (http only on 127.0.0.1/localhost), got "${value.slice(0, 100)}"`, field);
  }
  return url;
}

const SCOPE = /^[A-Za-z0-9_./:*?=&|,-]{1,200}$/;

function checkedScopes(value: string): string {
  const scopes = value.trim().split(/\s+/).filter(Boolean);
  const bad = scopes.find((s) => !SCOPE.test(s));
  if (bad !== undefined) throw new RegistrationError(`scope "${bad.slice(0, 60)}" is not a valid OAuth scope`, 'scopes');
  for (const needed of ['openid', 'fhirUser']) {
    if (!scopes.includes(needed)) throw new RegistrationError(`scopes must include "${needed}": the launch signs the person in with the EHR's id_token`, 'scopes');
  }
  if (!scopes.includes('launch') && !scopes.includes('launch/patient')) {
    throw new RegistrationError('scopes must include "launch" (EHR launch) or "launch/patient" (standalone launch)', 'scopes');
  }
  return [...new Set(scopes)].join(' ');
}

function checkedWidgets(value: readonly string[]): LaunchWidget[] {
  if (value.length === 0) throw new RegistrationError(`launch widgets must name at least one of ${LAUNCH_WIDGETS.join(', ')}`, 'launchWidgets');
  const bad = value.find((w) => !(LAUNCH_WIDGETS as readonly string[]).includes(w));
  if (bad !== undefined) throw new RegistrationError(`unknown launch widget "${bad.slice(0, 60)}": use ${LAUNCH_WIDGETS.join(', ')}`, 'launchWidgets');
  return [...new Set(value)] as LaunchWidget[];
}

function checkedClientId(value: string): string {
  const id = value.trim();
  if (!/^[\x21-\x7e]{1,200}$/.test(id)) throw new RegistrationError('client id must be 1–200 visible ASCII characters', 'clientId');
  return id;
}


function parseWidgets(text: string): LaunchWidget[] {
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value)) return value.filter((w): w is LaunchWidget => (LAUNCH_WIDGETS as readonly unknown[]).includes(w));
  } catch {
    // A hand-edited row: fall back to the defaults below.
  }
  return [...DEFAULT_LAUNCH_WIDGETS];
}

const issuerOf = (row: SmartIssuersTable): SmartIssuer => ({
  clinicId: row.clinic_id,
  iss: row.iss,
  openidIssuer: row.openid_issuer ?? row.iss,
  clientId: row.client_id,
  scopes: row.scopes,
  launchWidgets: parseWidgets(row.launch_widgets),
  writeBack: row.write_back === 1,
  enabled: row.disabled_at === null,
  createdAt: row.created_at,
});

async function clinicExists(db: Db, clinicId: string): Promise<boolean> {
  return (await db.selectFrom('clinics').select('id').where('id', '=', clinicId).executeTakeFirst()) !== undefined;
}

async function clientIdTaken(db: Db, iss: string, clientId: string, clinicId: string): Promise<boolean> {
  const row = await db
    .selectFrom('smart_issuers')
    .select('clinic_id')
    .where('iss', '=', iss)
    .where('client_id', '=', clientId)
    .where('clinic_id', '<>', clinicId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Registers an EHR for a clinic. Refuses an unknown clinic, an EHR it already registered, bad values. */
export async function addIssuer(db: Db, clinicId: string, issInput: string, input: IssuerInput & { clientId: string }): Promise<SmartIssuer> {
  const iss = issuerUrl(issInput, 'iss');
  const row: SmartIssuersTable = {
    clinic_id: clinicId,
    iss,
    openid_issuer: input.openidIssuer ? issuerUrl(input.openidIssuer, 'openidIssuer') : null,
    client_id: checkedClientId(input.clientId),
    scopes: checkedScopes(input.scopes ?? DEFAULT_SCOPES),
    launch_widgets: JSON.stringify(checkedWidgets(input.launchWidgets ?? DEFAULT_LAUNCH_WIDGETS)),
    write_back: input.writeBack ? 1 : 0,
    created_at: new Date().toISOString(),
    disabled_at: input.enabled === false ? new Date().toISOString() : null,
  };
  if (row.openid_issuer === iss) row.openid_issuer = null;
  if (!(await clinicExists(db, clinicId))) throw new RegistrationError(`no clinic "${clinicId}"`, 'clinic');
  if (await findIssuer(db, clinicId, iss)) throw new RegistrationError(`clinic "${clinicId}" already registered ${iss}: use "care smart issuer set"`, 'iss');
  if (await clientIdTaken(db, iss, row.client_id, clinicId)) {
    throw new RegistrationError(`client id "${row.client_id}" at ${iss} belongs to another clinic: each clinic registers its own client at the EHR`, 'clientId');
  }
  const inserted = await db
    .insertInto('smart_issuers')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!inserted) throw new RegistrationError(`clinic "${clinicId}" already registered ${iss}`, 'iss');
  return issuerOf(inserted);
}

/** Changes a registration; only the fields given change. */
export async function setIssuer(db: Db, clinicId: string, issInput: string, input: IssuerInput): Promise<SmartIssuer> {
  const iss = issuerUrl(issInput, 'iss');
  const current = await findIssuer(db, clinicId, iss);
  if (!current) throw new RegistrationError(`clinic "${clinicId}" has not registered ${iss}`, 'iss');
  const changes: Partial<SmartIssuersTable> = {};
  if (input.openidIssuer !== undefined) {
    const openid = input.openidIssuer ? issuerUrl(input.openidIssuer, 'openidIssuer') : null;
    changes.openid_issuer = openid === iss ? null : openid;
  }
  if (input.clientId !== undefined) {
    changes.client_id = checkedClientId(input.clientId);
    if (await clientIdTaken(db, iss, changes.client_id, clinicId)) {
      throw new RegistrationError(`client id "${changes.client_id}" at ${iss} belongs to another clinic`, 'clientId');
    }
  }
  if (input.scopes !== undefined) changes.scopes = checkedScopes(input.scopes);
  if (input.launchWidgets !== undefined) changes.launch_widgets = JSON.stringify(checkedWidgets(input.launchWidgets));
  if (input.writeBack !== undefined) changes.write_back = input.writeBack ? 1 : 0;
  if (input.enabled !== undefined && input.enabled !== current.enabled) changes.disabled_at = input.enabled ? null : new Date().toISOString();
  if (Object.keys(changes).length === 0) return current;
  await db.updateTable('smart_issuers').set(changes).where('clinic_id', '=', clinicId).where('iss', '=', iss).execute();
  return (await findIssuer(db, clinicId, iss))!;
}

/** Removes a registration. Patient links stay: registering the EHR again finds the same people. */
export async function removeIssuer(db: Db, clinicId: string, issInput: string): Promise<void> {
  const iss = issuerUrl(issInput, 'iss');
  const result = await db.deleteFrom('smart_issuers').where('clinic_id', '=', clinicId).where('iss', '=', iss).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw new RegistrationError(`clinic "${clinicId}" has not registered ${iss}`, 'iss');
}

export async function listIssuers(db: Db, clinicId?: string): Promise<SmartIssuer[]> {
  let query = db.selectFrom('smart_issuers').selectAll().orderBy('clinic_id').orderBy('iss');
  if (clinicId !== undefined) query = query.where('clinic_id', '=', clinicId);
  return (await query.execute()).map(issuerOf);
}

export async function findIssuer(db: Db, clinicId: string, iss: string): Promise<SmartIssuer | null> {
  const row = await db.selectFrom('smart_issuers').selectAll().where('clinic_id', '=', clinicId).where('iss', '=', iss).executeTakeFirst();
  return row ? issuerOf(row) : null;
}

/** Every enabled registration of an EHR (one per clinic that registered it), by its FHIR base URL. */
export async function enabledIssuersAt(db: Db, issInput: string): Promise<SmartIssuer[]> {
  const iss = normalizeIssuerUrl(issInput);
  if (!iss) return [];
  const rows = await db.selectFrom('smart_issuers').selectAll().where('iss', '=', iss).where('disabled_at', 'is', null).orderBy('clinic_id').execute();
  return rows.map(issuerOf);
}

/**
 * Our person id for an EHR patient in a clinic: the linked one, or a new `smart-<random>` linked now.
 * Two first launches at once both insert; one wins and both read the winner.
 */
export async function linkPatient(db: Db, clinicId: string, iss: string, ehrPatientId: string): Promise<{ personId: string; linkedNow: boolean }> {
  const existing = await linkedPerson(db, clinicId, iss, ehrPatientId);
  if (existing) return { personId: existing, linkedNow: false };
  const personId = `smart-${randomBytes(12).toString('base64url')}`;
  await db
    .insertInto('smart_patient_links')
    .values({ clinic_id: clinicId, iss, ehr_patient_id: ehrPatientId, person_id: personId, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.columns(['clinic_id', 'iss', 'ehr_patient_id']).doNothing())
    .execute();
  const winner = (await linkedPerson(db, clinicId, iss, ehrPatientId))!;
  return { personId: winner, linkedNow: winner === personId };
}

export async function linkedPerson(db: Db, clinicId: string, iss: string, ehrPatientId: string): Promise<string | null> {
  const row = await db
    .selectFrom('smart_patient_links')
    .select('person_id')
    .where('clinic_id', '=', clinicId)
    .where('iss', '=', iss)
    .where('ehr_patient_id', '=', ehrPatientId)
    .executeTakeFirst();
  return row?.person_id ?? null;
}
