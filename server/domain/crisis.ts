import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
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
import { clinicCrisisLines } from './clinic-crisis.js';
import { onCallInfo } from './on-call.js';
import { latestPlanSections } from './safety-plans.js';
import { ensureUser } from './users.js';
import type { Services } from '../services.js';

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
  // The region's lines (the reader's language first), then the clinic's own (care clinic hotlines).
  const lines = [...linesForLanguage(info, locale), ...(await clinicCrisisLines(db, principal.clinicId))];
  const sections = isStaff(principal) ? null : await latestPlanSections(db, principal.clinicId, principal.userId);
  return {
    region: info.region,
    emergency: info.emergency,
    ...(info.emergencySource ? { emergencySource: info.emergencySource } : {}),
    ...(info.directory ? { directory: info.directory } : {}),
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

/** Whether the on-call system has been paged for this alert: the page is on its way or was delivered. */
async function pageUnderWay(db: Db, clinicId: string, alertId: string): Promise<boolean> {
  const page = await db
    .selectFrom('crisis_requests')
    .select('id')
    .where('clinic_id', '=', clinicId)
    .where('alert_id', '=', alertId)
    .where('webhook_status', 'in', ['pending', 'delivered'])
    .executeTakeFirst();
  return page !== undefined;
}

const MAX_OPEN_ATTEMPTS = 3;

/**
 * The person's open crisis alert, opened now when they have none; a press while it is open counts
 * on it. The partial unique index alerts_one_open_crisis settles racing presses (on SQLite and
 * PostgreSQL alike): the loser's insert does nothing and it attaches to the winner's alert.
 */
async function openCrisisAlertFor(trx: Db, client: Principal, pressedAt: string, now: string): Promise<{ alertId: string; opened: boolean }> {
  for (let attempt = 1; attempt <= MAX_OPEN_ATTEMPTS; attempt++) {
    const alertId = randomUUID();
    const inserted = await trx
      .insertInto('alerts')
      .values({
        id: alertId,
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
        last_requested_at: pressedAt,
      })
      // Literals, not parameters: PostgreSQL matches this predicate to the partial index when planning.
      .onConflict((oc) => oc.columns(['clinic_id', 'client_id']).where('source', '=', sql.lit('crisis')).where('acknowledged_at', 'is', null).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return { alertId, opened: true };
    const attached = await trx
      .updateTable('alerts')
      .set((eb) => ({
        repeats: eb('repeats', '+', 1),
        // Presses queued offline may arrive out of order: keep the latest.
        last_requested_at: sql<string>`case when last_requested_at is null or last_requested_at < ${pressedAt} then ${pressedAt} else last_requested_at end`,
      }))
      .where('clinic_id', '=', client.clinicId)
      .where('client_id', '=', client.userId)
      .where('source', '=', 'crisis')
      .where('acknowledged_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (attached) return { alertId: attached.id, opened: false };
    // A clinician acknowledged the open alert between the two statements: this press opens a new one.
  }
  throw new Error('crisis alert: neither opened nor found an open alert');
}

/**
 * Tells the care team now. A person has at most one open crisis alert: the first press opens an
 * urgent alert in the clinic's inbox and, when the clinic configured one, pages its on-call system
 * with a signed webhook (sent in the background, retried); presses while that alert is open are
 * recorded and counted on it without paging again. Once a clinician acknowledged it, the next
 * press opens a new alert and a new page. A retried clientRequestId is the same press.
 */
export async function raiseCrisisAlert(
  { db, log, bus, webhooks }: Pick<Services, 'db' | 'log' | 'bus' | 'webhooks'>,
  client: Principal,
  input: CrisisAlertInput,
): Promise<CrisisAlertResult> {
  const clinic = await clinicSettings(db, client.clinicId);
  const webhook = clinic.crisis_webhook_url && clinic.crisis_webhook_secret ? { url: clinic.crisis_webhook_url, secret: clinic.crisis_webhook_secret } : null;
  const answer = (row: { alert_id: string; client_request_id: string; created_at: string }, paged: boolean): CrisisAlertResult => ({
    alertId: row.alert_id,
    clientRequestId: row.client_request_id,
    createdAt: row.created_at,
    paged,
    onCall: onCallInfo(clinic),
  });

  const existing = await findRequest(db, client, input.clientRequestId);
  if (existing) return answer(existing, await pageUnderWay(db, client.clinicId, existing.alert_id));

  await ensureUser(db, client);
  const now = new Date().toISOString();
  const requestedAt = input.requestedAt ? new Date(input.requestedAt).toISOString() : null;
  // A device clock running ahead must not put the latest press in the future.
  const pressedAt = requestedAt !== null && requestedAt < now ? requestedAt : now;
  let stored;
  try {
    stored = await db.transaction().execute(async (trx) => {
      const { alertId, opened } = await openCrisisAlertFor(trx, client, pressedAt, now);
      const request = {
        id: randomUUID(),
        clinic_id: client.clinicId,
        client_id: client.userId,
        client_request_id: input.clientRequestId,
        alert_id: alertId,
        requested_at: requestedAt,
        created_at: now,
        webhook_status: !opened ? ('collapsed' as const) : webhook ? ('pending' as const) : ('not_configured' as const),
      };
      await trx.insertInto('crisis_requests').values(request).execute();
      return { request, opened };
    });
  } catch (error) {
    // The same clientRequestId raced this one and won: answer with its press.
    if (!isUniqueViolation(error)) throw error;
    const winner = await findRequest(db, client, input.clientRequestId);
    if (!winner) throw error;
    return answer(winner, await pageUnderWay(db, client.clinicId, winner.alert_id));
  }
  const { request, opened } = stored;
  publishAlertChange(bus, client.clinicId, request.alert_id, opened ? 'created' : 'updated');

  if (opened && webhook) {
    webhooks.deliverInBackground(
      { kind: 'crisis_request', clinicId: client.clinicId, alertId: request.alert_id, ...webhook },
      // Ids only: the on-call system looks the person up in the clinic's own records.
      {
        type: 'crisis.alert',
        alertId: request.alert_id,
        clinicId: client.clinicId,
        clientId: client.userId,
        level: 'urgent',
        createdAt: now,
        requestedAt: request.requested_at,
      },
    );
  }
  const paged = opened ? webhook !== null : await pageUnderWay(db, client.clinicId, request.alert_id);
  log.info({ alertId: request.alert_id, paged, repeat: !opened }, 'crisis alert raised');
  return answer(request, paged);
}
