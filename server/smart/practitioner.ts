import * as z from 'zod/mini';
import { writeAudit } from '../auth/subject.js';
import type { Db } from '../db/index.js';
import type { SmartPractitionerAppsTable } from '../db/schema.js';
import { mintSmartCareToken } from './care-token.js';
import { clinicMaxLifetimeS, ExchangeRefusal, verifyIdToken } from './exchange.js';
import { linkedPerson, normalizeIssuerUrl, RegistrationError } from './registration.js';

/**
 * The clinician launch (SMART App Launch 2.x, EHR launch inside the chart; issue 17).
 *
 * A clinic registers our *clinician app* at its EHR separately from the patient app (its own client
 * id; launch URL `/smart/clinician/launch`, redirect URL `/smart/clinician/ready`) and here with
 * `care smart practitioner app add`. The EHR signs the clinician in (`fhirUser` = `Practitioner/…`) with
 * a patient in context (the token response's `patient`). An administrator links each EHR practitioner
 * to the clinician's staff user id in the clinic (`care smart practitioner link`): a launch never makes
 * anyone staff by itself. The exchange answers an ordinary care token (role `clinician`, the linked
 * user, lifetime ≤ the id_token's and ≤ the clinic's maximum) and the person linked to the patient in
 * context, whose record the page opens.
 *
 * The patient in context is not signed (the token response carries it beside the id_token): it only
 * chooses which record opens. The care token carries the clinician's ordinary rights in their clinic,
 * nothing more, and every read of the record is audited as any clinician read.
 *
 * The default scopes ask `online_access` as the patient app's do (registration.ts): a refresh token
 * valid while the clinician's EHR session lasts, through which the page renews the care token
 * (components/smart-launch/renewal.ts). A registration whose scopes leave it out gets no renewal.
 */
export const DEFAULT_PRACTITIONER_SCOPES = 'launch openid fhirUser online_access user/Patient.rs';

export interface PractitionerApp {
  clinicId: string;
  iss: string;
  openidIssuer: string;
  clientId: string;
  scopes: string;
  enabled: boolean;
  createdAt: string;
}

export interface PractitionerLink {
  clinicId: string;
  iss: string;
  /** `Practitioner/<id>`. */
  practitioner: string;
  userId: string;
  createdAt: string;
  createdBy: string;
}

const appOf = (row: SmartPractitionerAppsTable): PractitionerApp => ({
  clinicId: row.clinic_id,
  iss: row.iss,
  openidIssuer: row.openid_issuer ?? row.iss,
  clientId: row.client_id,
  scopes: row.scopes,
  enabled: row.disabled_at === null,
  createdAt: row.created_at,
});

function url(value: string, field: string): string {
  const normalized = normalizeIssuerUrl(value);
  if (!normalized) {
    throw new RegistrationError(`${field} must be an https URL without query or fragment (http only on 127.0.0.1/localhost), got "${value.slice(0, 100)}"`, field);
  }
  return normalized;
}

function checkedClientId(value: string): string {
  const id = value.trim();
  if (!/^[\x21-\x7e]{1,200}$/.test(id)) throw new RegistrationError('client id must be 1–200 visible ASCII characters', 'clientId');
  return id;
}

function checkedScopes(value: string): string {
  const scopes = value.trim().split(/\s+/).filter(Boolean);
  const bad = scopes.find((s) => !/^[A-Za-z0-9_./:*?=&|,-]{1,200}$/.test(s));
  if (bad !== undefined) throw new RegistrationError(`scope "${bad.slice(0, 60)}" is not a valid OAuth scope`, 'scopes');
  for (const needed of ['launch', 'openid', 'fhirUser']) {
    if (!scopes.includes(needed)) throw new RegistrationError(`scopes must include "${needed}": the clinician launch is an EHR launch that signs the clinician in with the EHR's id_token`, 'scopes');
  }
  return [...new Set(scopes)].join(' ');
}

/** `Practitioner/123` or `123` → `123`; null otherwise. */
export function practitionerId(value: string): string | null {
  const match = /^(?:Practitioner\/)?([A-Za-z0-9.-]{1,64})$/.exec(value.trim());
  return match ? match[1]! : null;
}

async function clinicExists(db: Db, clinicId: string): Promise<boolean> {
  return (await db.selectFrom('clinics').select('id').where('id', '=', clinicId).executeTakeFirst()) !== undefined;
}

/** Whether another clinic holds this client id at the EHR, as its patient app or its clinician app. */
async function clientIdTaken(db: Db, iss: string, clientId: string, clinicId: string): Promise<boolean> {
  const asClinician = await db.selectFrom('smart_practitioner_apps').select('clinic_id').where('iss', '=', iss).where('client_id', '=', clientId).where('clinic_id', '<>', clinicId).executeTakeFirst();
  const asPatient = await db.selectFrom('smart_issuers').select('clinic_id').where('iss', '=', iss).where('client_id', '=', clientId).where('clinic_id', '<>', clinicId).executeTakeFirst();
  return asClinician !== undefined || asPatient !== undefined;
}

/** Registers the clinic's clinician app at an EHR. Refuses an unknown clinic, a second registration, bad values. */
export async function addPractitionerApp(
  db: Db,
  clinicId: string,
  issInput: string,
  input: { clientId: string; openidIssuer?: string | null; scopes?: string; enabled?: boolean },
): Promise<PractitionerApp> {
  const iss = url(issInput, 'iss');
  const openid = input.openidIssuer ? url(input.openidIssuer, 'openidIssuer') : null;
  const row: SmartPractitionerAppsTable = {
    clinic_id: clinicId,
    iss,
    openid_issuer: openid === iss ? null : openid,
    client_id: checkedClientId(input.clientId),
    scopes: checkedScopes(input.scopes ?? DEFAULT_PRACTITIONER_SCOPES),
    created_at: new Date().toISOString(),
    disabled_at: input.enabled === false ? new Date().toISOString() : null,
  };
  if (!(await clinicExists(db, clinicId))) throw new RegistrationError(`no clinic "${clinicId}"`, 'clinic');
  if (await clientIdTaken(db, iss, row.client_id, clinicId)) {
    throw new RegistrationError(`client id "${row.client_id}" at ${iss} belongs to another clinic: each clinic registers its own client at the EHR`, 'clientId');
  }
  const inserted = await db.insertInto('smart_practitioner_apps').values(row).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst();
  if (!inserted) throw new RegistrationError(`clinic "${clinicId}" already registered its clinician app at ${iss}: remove it first`, 'iss');
  return appOf(inserted);
}

/** Turns the clinician launch from an EHR on or off. */
export async function setPractitionerAppEnabled(db: Db, clinicId: string, issInput: string, enabled: boolean): Promise<PractitionerApp> {
  const iss = url(issInput, 'iss');
  const current = await findPractitionerApp(db, clinicId, iss);
  if (!current) throw new RegistrationError(`clinic "${clinicId}" has not registered its clinician app at ${iss}`, 'iss');
  if (current.enabled === enabled) return current;
  await db.updateTable('smart_practitioner_apps').set({ disabled_at: enabled ? null : new Date().toISOString() }).where('clinic_id', '=', clinicId).where('iss', '=', iss).execute();
  return (await findPractitionerApp(db, clinicId, iss))!;
}

/** Removes the clinician app registration. Practitioner links stay (registering again finds them). */
export async function removePractitionerApp(db: Db, clinicId: string, issInput: string): Promise<void> {
  const iss = url(issInput, 'iss');
  const result = await db.deleteFrom('smart_practitioner_apps').where('clinic_id', '=', clinicId).where('iss', '=', iss).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw new RegistrationError(`clinic "${clinicId}" has not registered its clinician app at ${iss}`, 'iss');
}

export async function listPractitionerApps(db: Db, clinicId?: string): Promise<PractitionerApp[]> {
  let query = db.selectFrom('smart_practitioner_apps').selectAll().orderBy('clinic_id').orderBy('iss');
  if (clinicId !== undefined) query = query.where('clinic_id', '=', clinicId);
  return (await query.execute()).map(appOf);
}

export async function findPractitionerApp(db: Db, clinicId: string, iss: string): Promise<PractitionerApp | null> {
  const row = await db.selectFrom('smart_practitioner_apps').selectAll().where('clinic_id', '=', clinicId).where('iss', '=', iss).executeTakeFirst();
  return row ? appOf(row) : null;
}

/** Every enabled clinician app registration at an EHR (one per clinic), by its FHIR base URL. */
export async function enabledPractitionerAppsAt(db: Db, issInput: string): Promise<PractitionerApp[]> {
  const iss = normalizeIssuerUrl(issInput);
  if (!iss) return [];
  const rows = await db.selectFrom('smart_practitioner_apps').selectAll().where('iss', '=', iss).where('disabled_at', 'is', null).orderBy('clinic_id').execute();
  return rows.map(appOf);
}

/**
 * Links an EHR practitioner to a staff user of the clinic: the administrator's explicit decision (the
 * command line), never a launch's. The user id is the `sub` the clinic's staff portal puts in that
 * clinician's tokens; a client's id is refused; a staff id the server has not seen yet is recorded as
 * a clinician. A practitioner links to one user per clinic and EHR.
 */
export async function linkPractitioner(
  db: Db,
  input: { clinicId: string; iss: string; practitioner: string; userId: string; actor: string },
): Promise<PractitionerLink> {
  const iss = url(input.iss, 'issuer');
  const ehrId = practitionerId(input.practitioner);
  if (!ehrId) throw new RegistrationError(`practitioner must be "Practitioner/<id>" (letters, digits, - and .), got "${input.practitioner.slice(0, 80)}"`, 'practitioner');
  const userId = input.userId.trim();
  if (!/^[\x21-\x7e]{1,200}$/.test(userId)) throw new RegistrationError('user must be the staff user id (1–200 visible ASCII characters)', 'user');
  if (!(await clinicExists(db, input.clinicId))) throw new RegistrationError(`no clinic "${input.clinicId}"`, 'clinic');
  if (!(await findPractitionerApp(db, input.clinicId, iss))) {
    throw new RegistrationError(`clinic "${input.clinicId}" has not registered its clinician app at ${iss}: run "care smart practitioner app add" first`, 'issuer');
  }
  const existing = await linkedStaff(db, input.clinicId, iss, ehrId);
  if (existing !== null) {
    if (existing === userId) return (await listPractitionerLinks(db, input.clinicId)).find((l) => l.iss === iss && l.practitioner === `Practitioner/${ehrId}`)!;
    throw new RegistrationError(`Practitioner/${ehrId} at ${iss} is already linked to "${existing}": unlink it first`, 'practitioner');
  }
  const user = await db.selectFrom('users').select('role').where('clinic_id', '=', input.clinicId).where('id', '=', userId).executeTakeFirst();
  if (user?.role === 'client') throw new RegistrationError(`"${userId}" is a client of clinic "${input.clinicId}", not staff`, 'user');
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    if (!user) {
      await trx
        .insertInto('users')
        .values({ clinic_id: input.clinicId, id: userId, role: 'clinician', display_name: null, created_at: now, recovery_start_date: null })
        .onConflict((oc) => oc.columns(['clinic_id', 'id']).doNothing())
        .execute();
    }
    await trx
      .insertInto('smart_practitioner_links')
      .values({ clinic_id: input.clinicId, iss, ehr_practitioner_id: ehrId, user_id: userId, created_at: now, created_by: input.actor })
      .execute();
  });
  return { clinicId: input.clinicId, iss, practitioner: `Practitioner/${ehrId}`, userId, createdAt: now, createdBy: input.actor };
}

export async function unlinkPractitioner(db: Db, input: { clinicId: string; iss: string; practitioner: string }): Promise<void> {
  const iss = url(input.iss, 'issuer');
  const ehrId = practitionerId(input.practitioner);
  if (!ehrId) throw new RegistrationError('practitioner must be "Practitioner/<id>"', 'practitioner');
  const result = await db
    .deleteFrom('smart_practitioner_links')
    .where('clinic_id', '=', input.clinicId)
    .where('iss', '=', iss)
    .where('ehr_practitioner_id', '=', ehrId)
    .executeTakeFirst();
  if (result.numDeletedRows === 0n) throw new RegistrationError(`Practitioner/${ehrId} at ${iss} is not linked in clinic "${input.clinicId}"`, 'practitioner');
}

export async function listPractitionerLinks(db: Db, clinicId: string): Promise<PractitionerLink[]> {
  const rows = await db.selectFrom('smart_practitioner_links').selectAll().where('clinic_id', '=', clinicId).orderBy('iss').orderBy('ehr_practitioner_id').execute();
  return rows.map((r) => ({ clinicId: r.clinic_id, iss: r.iss, practitioner: `Practitioner/${r.ehr_practitioner_id}`, userId: r.user_id, createdAt: r.created_at, createdBy: r.created_by }));
}

async function linkedStaff(db: Db, clinicId: string, iss: string, ehrPractitionerId: string): Promise<string | null> {
  const row = await db
    .selectFrom('smart_practitioner_links')
    .select('user_id')
    .where('clinic_id', '=', clinicId)
    .where('iss', '=', iss)
    .where('ehr_practitioner_id', '=', ehrPractitionerId)
    .executeTakeFirst();
  return row?.user_id ?? null;
}

export const clinicianExchangeInput = z.object({
  iss: z.string().check(z.minLength(1), z.maxLength(500)),
  id_token: z.string().check(z.minLength(1), z.maxLength(16_384)),
  /** The token response's `patient`: the patient in context in the chart. */
  patient: z.optional(z.string().check(z.maxLength(200))),
  nonce: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});
export type ClinicianExchangeInput = z.infer<typeof clinicianExchangeInput>;

export interface ClinicianExchangeResult {
  token: string;
  expiresAt: string;
  clinic: string;
  role: 'clinician';
  /** The staff user the practitioner is linked to (the care token's `sub`). */
  user: string;
  practitioner: string;
  /** The EHR patient in context and the person of the clinic linked to them. */
  patient: string;
  person: string;
  /** The person's name as the clinic knows it, when it does. */
  personName: string | null;
}

/** A refusal that also says which practitioner or patient it was about, for the page's "what to do". */
export class ClinicianRefusal extends ExchangeRefusal {
  constructor(
    status: number,
    reason: ConstructorParameters<typeof ExchangeRefusal>[1],
    message: string,
    readonly detail: { practitioner?: string; patient?: string; clinic?: string },
  ) {
    super(status, reason, message);
  }
}

/** POST /smart/clinician/exchange: verifies the EHR's id_token for a clinician app and answers a clinician care token. Stores nothing but the audit row of the opened record. */
export async function exchangeClinicianLaunch(db: Db, input: ClinicianExchangeInput, options: { now?: number } = {}): Promise<ClinicianExchangeResult> {
  const now = options.now ?? Date.now();
  const iss = normalizeIssuerUrl(input.iss);
  const registrations = iss ? await enabledPractitionerAppsAt(db, iss) : [];
  if (!iss || registrations.length === 0) {
    throw new ExchangeRefusal(404, 'unknown_iss', "This EHR is not registered for the clinician launch of your clinic's care widgets: ask the clinic to register it (care smart practitioner app add)");
  }
  const { registration: app, payload, fhirUser } = await verifyIdToken(input.id_token, registrations, { now, nonce: input.nonce });
  if (fhirUser.type !== 'Practitioner') {
    throw new ExchangeRefusal(403, 'practitioner_only_launch', 'This launch is for clinicians: a patient opens the care widgets from the patient portal');
  }
  const practitioner = `Practitioner/${fhirUser.id}`;
  const userId = await linkedStaff(db, app.clinicId, app.iss, fhirUser.id);
  if (userId === null) {
    throw new ClinicianRefusal(403, 'unknown_practitioner', `${practitioner} is not linked to a clinician of this clinic: an administrator links it with "care smart practitioner link"`, {
      practitioner,
      clinic: app.clinicId,
    });
  }
  const patient = input.patient?.trim() ?? '';
  if (!/^[A-Za-z0-9.-]{1,64}$/.test(patient)) {
    throw new ExchangeRefusal(400, 'no_patient_context', 'The EHR did not name a patient in context: open the care widgets from a patient chart');
  }
  const personId = await linkedPerson(db, app.clinicId, app.iss, patient);
  const person = personId === null ? undefined : await db.selectFrom('users').select(['id', 'display_name']).where('clinic_id', '=', app.clinicId).where('id', '=', personId).where('role', '=', 'client').executeTakeFirst();
  if (!person) {
    throw new ClinicianRefusal(404, 'patient_not_linked', `Patient/${patient} has not used the care widgets at this clinic`, { patient: `Patient/${patient}`, clinic: app.clinicId });
  }

  const nowS = Math.floor(now / 1000);
  const expiresAtS = Math.min(payload.exp!, nowS + (await clinicMaxLifetimeS(db, app.clinicId)));
  if (expiresAtS <= nowS) throw new ExchangeRefusal(401, 'expired', 'The id_token has expired: launch the app again from the EHR');
  const token = await mintSmartCareToken(db, { clinicId: app.clinicId, userId, role: 'clinician', nowS, expiresAtS });
  // Opening the chart's record is a clinician read of that person: audited like the record's own reads.
  await writeAudit(db, { clinicId: app.clinicId, userId, role: 'clinician', name: null }, 'smart.clinicianLaunch', [person.id]);
  return {
    token,
    expiresAt: new Date(expiresAtS * 1000).toISOString(),
    clinic: app.clinicId,
    role: 'clinician',
    user: userId,
    practitioner,
    patient,
    person: person.id,
    personName: person.display_name,
  };
}
