import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  contactsOf,
  crisisInfoForReader,
  linesForLanguage,
  type CrisisAlertInput,
  type CrisisAlertResult,
  type CrisisResources,
  type CrisisResourcesInput,
} from '../contract/index.js';
import { isStaff, type Principal } from '../auth/principal.js';
import { isUniqueViolation, type Db } from '../db/index.js';
import { publishAlertChange } from '../live/bus.js';
import { onCallInfo } from './on-call.js';
import { latestPlanSections } from './safety-plans.js';
import { ensureUser } from './users.js';
import { deliverInBackground } from './webhook.js';

async function clinicSettings(db: Db, clinicId: string) {
  return db
    .selectFrom('clinics')
    .select(['region', 'default_locale', 'on_call_hours', 'on_call_time_zone', 'on_call_phone', 'crisis_webhook_url', 'crisis_webhook_secret'])
    .where('id', '=', clinicId)
    .executeTakeFirstOrThrow();
}

/** Crisis lines for the reader's region (their language first), the clinic's on-call hours and the client's own contacts. */
export async function crisisResources(db: Db, principal: Principal, input: NonNullable<CrisisResourcesInput>): Promise<CrisisResources> {
  const clinic = await clinicSettings(db, principal.clinicId);
  const locale = input.locale ?? clinic.default_locale;
  const info = crisisInfoForReader(locale, input.region, clinic.region);
  const language = locale.toLowerCase().split(/[-_]/)[0] ?? 'en';
  const lines = linesForLanguage(info, locale);
  const sections = isStaff(principal) ? null : await latestPlanSections(db, principal.clinicId, principal.userId);
  return {
    region: info.region,
    emergency: info.emergency,
    lines,
    language,
    contacts: sections ? contactsOf(sections) : [],
    onCall: onCallInfo(clinic),
    fetchedAt: new Date().toISOString(),
  };
}

async function findRequest(db: Db, client: Principal, clientRequestId: string) {
  return db
    .selectFrom('crisis_requests')
    .selectAll()
    .where('clinic_id', '=', client.clinicId)
    .where('client_id', '=', client.userId)
    .where('client_request_id', '=', clientRequestId)
    .executeTakeFirst();
}

/**
 * Tells the care team now: an urgent alert in the clinic's inbox and, when the clinic configured
 * one, a signed webhook to its on-call system (sent in the background, retried). One alert per
 * clientRequestId, however often the device retries.
 */
export async function raiseCrisisAlert(db: Db, log: Logger, client: Principal, input: CrisisAlertInput): Promise<CrisisAlertResult> {
  const clinic = await clinicSettings(db, client.clinicId);
  const webhook = clinic.crisis_webhook_url && clinic.crisis_webhook_secret ? { url: clinic.crisis_webhook_url, secret: clinic.crisis_webhook_secret } : null;
  const answer = (row: { alert_id: string; client_request_id: string; created_at: string }): CrisisAlertResult => ({
    alertId: row.alert_id,
    clientRequestId: row.client_request_id,
    createdAt: row.created_at,
    paged: webhook !== null,
    onCall: onCallInfo(clinic),
  });

  const existing = await findRequest(db, client, input.clientRequestId);
  if (existing) return answer(existing);

  await ensureUser(db, client);
  const now = new Date().toISOString();
  const request = {
    id: randomUUID(),
    clinic_id: client.clinicId,
    client_id: client.userId,
    client_request_id: input.clientRequestId,
    alert_id: randomUUID(),
    requested_at: input.requestedAt ? new Date(input.requestedAt).toISOString() : null,
    created_at: now,
    webhook_status: webhook ? ('pending' as const) : ('not_configured' as const),
  };
  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('crisis_requests').values(request).execute();
      await trx
        .insertInto('alerts')
        .values({
          id: request.alert_id,
          clinic_id: client.clinicId,
          client_id: client.userId,
          check_in_id: null,
          source: 'crisis',
          level: 'urgent',
          reasons: '[]',
          created_at: now,
          acknowledged_at: null,
          acknowledged_by: null,
          ack_note: null,
        })
        .execute();
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const winner = await findRequest(db, client, input.clientRequestId);
    if (!winner) throw error;
    return answer(winner);
  }
  publishAlertChange(db, client.clinicId, request.alert_id, 'created');

  if (webhook) {
    deliverInBackground(
      db,
      log,
      { clinicId: client.clinicId, alertId: request.alert_id, ...webhook },
      {
        type: 'crisis.alert',
        alertId: request.alert_id,
        clinicId: client.clinicId,
        clientId: client.userId,
        clientName: client.name,
        level: 'urgent',
        createdAt: now,
        requestedAt: request.requested_at,
      },
    );
  }
  log.info({ alertId: request.alert_id, paged: webhook !== null }, 'crisis alert raised');
  return answer(request);
}
