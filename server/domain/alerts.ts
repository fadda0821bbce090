import { TRPCError } from '@trpc/server';
import { sql, type Selectable } from 'kysely';
import type { AcknowledgeAlertInput, Alert, AlertPage, ListAlertsInput, TemplateId } from '../contract/index.js';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/index.js';
import { fromJson } from '../db/json.js';
import { checkInJson } from '../db/rows.js';
import type { AlertsTable } from '../db/schema.js';
import { publishAlertChange } from '../live/bus.js';
import { languagesOf } from './check-ins.js';
import type { Services } from '../services.js';
import { dangerFlagsOf } from './danger-flags.js';

type AlertRow = Selectable<AlertsTable> & {
  display_name: string | null;
  first_pressed_at: string | null;
  ci_client_request_id: string | null;
  ci_template_id: string | null;
  ci_template_version: number | null;
  ci_answers: string | null;
  ci_score: string | null;
  ci_risk_level: 'none' | 'elevated' | 'urgent' | null;
  ci_risk_reasons: string | null;
  ci_submitted_at: string | null;
  ci_received_at: string | null;
  ci_language?: string | null | undefined;
  ci_shown_language?: string | null | undefined;
  ci_provenance?: 'published' | 'unverified' | null | undefined;
};

function checkInOf(row: AlertRow): Alert['checkIn'] {
  if (!row.check_in_id || !row.ci_submitted_at) return null;
  return {
    id: row.check_in_id,
    clientId: row.client_id,
    clientRequestId: row.ci_client_request_id!,
    templateId: row.ci_template_id as TemplateId,
    templateVersion: Number(row.ci_template_version),
    submittedAt: row.ci_submitted_at,
    score: checkInJson.score({ score: row.ci_score }),
    risk: { level: row.ci_risk_level!, reasons: checkInJson.riskReasons({ risk_reasons: row.ci_risk_reasons! }) },
    answers: checkInJson.answers({ answers: row.ci_answers! }),
    ...languagesOf({ language: row.ci_language, shown_language: row.ci_shown_language, provenance: row.ci_provenance }),
  };
}

function toAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    clientId: row.client_id,
    clientName: row.display_name,
    checkInId: row.check_in_id,
    source: row.source,
    level: row.level,
    reasons: fromJson(row.reasons),
    createdAt: row.created_at,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    acknowledgeNote: row.ack_note,
    repeats: Number(row.repeats),
    lastRequestedAt: row.last_requested_at,
    occurredAt: row.ci_submitted_at ?? row.first_pressed_at ?? row.created_at,
    receivedAt: row.ci_received_at ?? row.created_at,
    checkIn: checkInOf(row),
    dangerFlag: null,
  };
}

/** Danger-flag alerts carry their flag (group, alias, note, post); others keep null. */
async function withDangerFlags(db: Db, clinicId: string, alerts: Alert[]): Promise<Alert[]> {
  const flags = await dangerFlagsOf(db, clinicId, alerts.filter((a) => a.source === 'danger_flag').map((a) => a.id));
  return alerts.map((a) => (flags.has(a.id) ? { ...a, dangerFlag: flags.get(a.id)! } : a));
}

function alertsQuery(db: Db, clinicId: string) {
  return db
    .selectFrom('alerts')
    .leftJoin('users', (join) =>
      join.onRef('users.clinic_id', '=', 'alerts.clinic_id').onRef('users.id', '=', 'alerts.client_id'),
    )
    .leftJoin('check_ins', (join) =>
      join.onRef('check_ins.clinic_id', '=', 'alerts.clinic_id').onRef('check_ins.id', '=', 'alerts.check_in_id'),
    )
    .selectAll('alerts')
    .select([
      'users.display_name',
      'check_ins.client_request_id as ci_client_request_id',
      'check_ins.template_id as ci_template_id',
      'check_ins.template_version as ci_template_version',
      'check_ins.answers as ci_answers',
      'check_ins.score as ci_score',
      'check_ins.risk_level as ci_risk_level',
      'check_ins.risk_reasons as ci_risk_reasons',
      'check_ins.submitted_at as ci_submitted_at',
      'check_ins.received_at as ci_received_at',
      'check_ins.language as ci_language',
      'check_ins.shown_language as ci_shown_language',
      'check_ins.provenance as ci_provenance',
      // A press sent late by an offline device carries the device's time (never later than its arrival).
      (eb) =>
        eb
          .selectFrom('crisis_requests as r')
          .select(sql<string>`min(case when r.requested_at is not null and r.requested_at < r.created_at then r.requested_at else r.created_at end)`.as('at'))
          .whereRef('r.clinic_id', '=', 'alerts.clinic_id')
          .whereRef('r.client_id', '=', 'alerts.client_id')
          .whereRef('r.alert_id', '=', 'alerts.id')
          .as('first_pressed_at'),
    ])
    .where('alerts.clinic_id', '=', clinicId);
}

/** Open alerts first, urgent before elevated, newest first. The cursor is an offset: alert inboxes are short. */
export async function listAlerts(db: Db, clinicId: string, input: NonNullable<ListAlertsInput>): Promise<AlertPage> {
  const limit = input.limit ?? 50;
  const offset = input.cursor === undefined ? 0 : Number(input.cursor);
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'Invalid input: cursor: not a cursor this server issued' });
  }
  let query = alertsQuery(db, clinicId);
  if (input.clientId !== undefined) query = query.where('alerts.client_id', '=', input.clientId);
  const status = input.status ?? 'open';
  if (status === 'open') query = query.where('alerts.acknowledged_at', 'is', null);
  if (status === 'acknowledged') query = query.where('alerts.acknowledged_at', 'is not', null);
  const rows = await query
    .orderBy(sql`case when alerts.acknowledged_at is null then 0 else 1 end`)
    .orderBy(sql`case when alerts.level = 'urgent' then 0 else 1 end`)
    .orderBy('alerts.created_at', 'desc')
    .orderBy('alerts.id', 'desc')
    .limit(limit + 1)
    .offset(offset)
    .execute();
  return {
    items: await withDangerFlags(db, clinicId, rows.slice(0, limit).map(toAlert)),
    nextCursor: rows.length > limit ? String(offset + limit) : null,
  };
}

/** Acknowledging twice keeps the first acknowledgement: who saw it first matters for the record. */
export async function acknowledgeAlert({ db, bus }: Pick<Services, 'db' | 'bus'>, staff: Principal, input: AcknowledgeAlertInput): Promise<Alert> {
  const updated = await db
    .updateTable('alerts')
    .set({ acknowledged_at: new Date().toISOString(), acknowledged_by: staff.userId, ack_note: input.note ?? null })
    .where('clinic_id', '=', staff.clinicId)
    .where('id', '=', input.alertId)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) > 0) publishAlertChange(bus, staff.clinicId, input.alertId, 'acknowledged');
  const row = await alertsQuery(db, staff.clinicId).where('alerts.id', '=', input.alertId).executeTakeFirst();
  if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such alert' });
  const [alert] = await withDangerFlags(db, staff.clinicId, [toAlert(row)]);
  return alert!;
}
