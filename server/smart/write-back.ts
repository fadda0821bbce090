import { TRPCError } from '@trpc/server';
import * as z from 'zod/mini';
import type { Principal } from '../auth/principal.js';
import type { CheckInWriteBack } from '../contract/check-in.js';
import type { Db } from '../db/index.js';
import type { SmartWriteBacksTable } from '../db/schema.js';
import { CLIENT_REQUEST_ID_SYSTEM, questionnaireResponseOf } from '../fhir/responses.js';
import { findIssuer, normalizeIssuerUrl } from './registration.js';

/**
 * SMART write-back (issue 17): after a check-in is accepted on the launch page, the page creates its
 * QuestionnaireResponse in the EHR's FHIR server with the launch's access token (the token never
 * reaches this server). This module is our side of it:
 * - `prepareWriteBack` answers the resource to send, built by our FHIR mapping with `subject` = the
 *   EHR's Patient the person is linked to, and the conditional-create header that makes a retry safe
 *   (`If-None-Exist: identifier=<system>|<clientRequestId>`); it records the write-back `pending`.
 *   Refused when the clinic turned write-back off for that EHR (412): then nothing is sent.
 * - `reportWriteBack` records the EHR's answer: `written`, or `refused` (a 4xx from the EHR, or an
 *   access token that could not be renewed), which the clinician views show on the check-in.
 */

const MAX_DETAIL = 300;

const issField = z.string().check(
  z.maxLength(500),
  z.refine((value) => normalizeIssuerUrl(value) !== null, "must be the EHR's FHIR base URL (https, no query or fragment)"),
);
const checkInIdField = z.string().check(z.minLength(1), z.maxLength(100));

export const prepareWriteBackInput = z.strictObject({ iss: issField, checkInId: checkInIdField });
export type PrepareWriteBackInput = z.infer<typeof prepareWriteBackInput>;

export const reportWriteBackInput = z.strictObject({
  iss: issField,
  checkInId: checkInIdField,
  outcome: z.enum(['written', 'refused']),
  /** The EHR's HTTP status (absent when no answer came, e.g. a token that could not be renewed). */
  httpStatus: z.optional(z.int().check(z.gte(100), z.lte(599))),
  /** Required when refused: `refused` (the EHR answered 4xx) or `token` (the access token could not be renewed). */
  reason: z.optional(z.enum(['refused', 'token'])),
  /** The EHR's message (OperationOutcome diagnostics); cut to 300 characters. */
  detail: z.optional(z.string().check(z.maxLength(2000))),
  /** Where the EHR keeps it: `QuestionnaireResponse/<id>`. */
  resource: z.optional(z.string().check(z.regex(/^QuestionnaireResponse\/[A-Za-z0-9.-]{1,64}$/, 'must be QuestionnaireResponse/<id>'))),
});
export type ReportWriteBackInput = z.infer<typeof reportWriteBackInput>;

export interface PreparedWriteBack {
  /** Where to POST: `<iss>/QuestionnaireResponse`. */
  url: string;
  /** The If-None-Exist header value. */
  ifNoneExist: string;
  resource: fhir4.QuestionnaireResponse;
}

const badField = (field: string, message: string) =>
  new TRPCError({
    code: 'BAD_REQUEST',
    message: `Invalid input: ${field}: ${message}`,
    cause: Object.assign(new Error('Invalid input'), { issues: [{ path: [field], message }] }),
  });
const notFound = (message: string) => new TRPCError({ code: 'NOT_FOUND', message });

/** The caller's own check-in, or null (another person's is not found either). */
function ownCheckIn(db: Db, caller: Principal, checkInId: string) {
  return db
    .selectFrom('check_ins')
    .selectAll()
    .where('clinic_id', '=', caller.clinicId)
    .where('client_id', '=', caller.userId)
    .where('id', '=', checkInId)
    .executeTakeFirst();
}

export async function prepareWriteBack(db: Db, caller: Principal, input: PrepareWriteBackInput): Promise<PreparedWriteBack> {
  const iss = normalizeIssuerUrl(input.iss)!;
  const issuer = await findIssuer(db, caller.clinicId, iss);
  if (!issuer || !issuer.enabled) throw notFound("This EHR is not registered with your clinic's care widgets");
  if (!issuer.writeBack) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'Your clinic does not write check-ins back to this EHR (write-back is off)' });
  const link = await db
    .selectFrom('smart_patient_links')
    .select('ehr_patient_id')
    .where('clinic_id', '=', caller.clinicId)
    .where('iss', '=', iss)
    .where('person_id', '=', caller.userId)
    .orderBy('created_at')
    .executeTakeFirst();
  if (!link) throw notFound('You are not linked to a patient at this EHR: launch the care widgets from it first');
  const row = await ownCheckIn(db, caller, input.checkInId);
  if (!row) throw notFound('No such check-in');

  const { id: _ours, ...mapped } = questionnaireResponseOf(row);
  // The EHR's patient, relative to the EHR's FHIR base (where the resource is created).
  const resource: fhir4.QuestionnaireResponse = { ...mapped, subject: { reference: `Patient/${link.ehr_patient_id}` } };
  const now = new Date().toISOString();
  await db
    .insertInto('smart_write_backs')
    .values({ clinic_id: caller.clinicId, check_in_id: row.id, iss, status: 'pending', http_status: null, reason: null, detail: null, ehr_resource: null, created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(['clinic_id', 'check_in_id', 'iss']).doNothing())
    .execute();
  return {
    url: `${iss}/QuestionnaireResponse`,
    ifNoneExist: new URLSearchParams({ identifier: `${CLIENT_REQUEST_ID_SYSTEM}|${row.client_request_id}` }).toString(),
    resource,
  };
}

/** Records the EHR's answer to a write-back `prepareWriteBack` started. A refusal never overwrites a write the EHR confirmed. */
export async function reportWriteBack(db: Db, caller: Principal, input: ReportWriteBackInput): Promise<{ status: CheckInWriteBack['status'] }> {
  if (input.outcome === 'refused' && input.reason === undefined) throw badField('reason', 'required when the outcome is refused (refused or token)');
  if (input.outcome === 'written' && input.reason !== undefined) throw badField('reason', 'only for a refused write-back');
  if (input.outcome === 'refused' && input.reason === 'refused' && (input.httpStatus === undefined || input.httpStatus < 400 || input.httpStatus > 499)) {
    throw badField('httpStatus', "required for a refusal by the EHR: its 4xx status");
  }
  const iss = normalizeIssuerUrl(input.iss)!;
  if (!(await ownCheckIn(db, caller, input.checkInId))) throw notFound('No such check-in');
  const current = await db
    .selectFrom('smart_write_backs')
    .select('status')
    .where('clinic_id', '=', caller.clinicId)
    .where('check_in_id', '=', input.checkInId)
    .where('iss', '=', iss)
    .executeTakeFirst();
  if (!current) throw notFound('No write-back of this check-in to this EHR was started');
  const now = new Date().toISOString();
  const update = db.updateTable('smart_write_backs').where('clinic_id', '=', caller.clinicId).where('check_in_id', '=', input.checkInId).where('iss', '=', iss);
  if (input.outcome === 'written') {
    await update
      .set({ status: 'written', http_status: input.httpStatus ?? null, reason: null, detail: null, ehr_resource: input.resource ?? null, updated_at: now })
      .execute();
    return { status: 'written' };
  }
  if (current.status === 'written') return { status: 'written' };
  await update
    .set({ status: 'refused', http_status: input.httpStatus ?? null, reason: input.reason!, detail: input.detail?.trim().slice(0, MAX_DETAIL) || null, updated_at: now })
    .where('status', '<>', 'written')
    .execute();
  return { status: 'refused' };
}

const URGENCY: Record<CheckInWriteBack['status'], number> = { refused: 2, pending: 1, written: 0 };

const writeBackOf = (row: SmartWriteBacksTable): CheckInWriteBack => ({
  status: row.status,
  iss: row.iss,
  httpStatus: row.http_status,
  reason: row.reason === 'refused' || row.reason === 'token' ? row.reason : null,
  detail: row.detail,
  updatedAt: row.updated_at,
});

/** The write-back state of each of these check-ins that has one (the most urgent when written back to several EHRs). */
export async function writeBacksOf(db: Db, clinicId: string, checkInIds: readonly string[]): Promise<Map<string, CheckInWriteBack>> {
  const found = new Map<string, CheckInWriteBack>();
  if (checkInIds.length === 0) return found;
  const rows = await db.selectFrom('smart_write_backs').selectAll().where('clinic_id', '=', clinicId).where('check_in_id', 'in', checkInIds).execute();
  for (const row of rows) {
    const seen = found.get(row.check_in_id);
    if (!seen || URGENCY[row.status] > URGENCY[seen.status]) found.set(row.check_in_id, writeBackOf(row));
  }
  return found;
}
