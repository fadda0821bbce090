import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Selectable } from 'kysely';
import {
  TEMPLATES,
  type Answers,
  type CheckInPage,
  type CheckInRecord,
  type ListCheckInsInput,
  type SubmitCheckInInput,
  type SubmitCheckInResult,
  type TemplateId,
} from '../contract/index.js';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/index.js';
import { checkInJson } from '../db/rows.js';
import type { CheckInsTable } from '../db/schema.js';
import { publishAlertChange } from '../live/bus.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { assessRisk, riskRulesFrom, type RiskRules } from './risk.js';
import { scoreCheckIn } from './scoring.js';
import type { Services } from '../services.js';
import { ensureUser, userKey } from './users.js';

type CheckInRow = Selectable<CheckInsTable>;

function toResult(row: CheckInRow): SubmitCheckInResult {
  return {
    id: row.id,
    clientRequestId: row.client_request_id,
    templateId: row.template_id as TemplateId,
    submittedAt: row.submitted_at,
    score: checkInJson.score(row),
    risk: { level: row.risk_level, reasons: checkInJson.riskReasons(row) },
  };
}

function toRecord(row: CheckInRow): CheckInRecord {
  return { ...toResult(row), clientId: row.client_id, answers: checkInJson.answers(row) };
}

async function findByRequestId(db: Db, client: Principal, clientRequestId: string) {
  return db
    .selectFrom('check_ins')
    .selectAll()
    .where('clinic_id', '=', client.clinicId)
    .where('client_id', '=', client.userId)
    .where('client_request_id', '=', clientRequestId)
    .executeTakeFirst();
}

async function recentMoods(db: Db, client: Principal, before: string): Promise<number[]> {
  const rows = await db
    .selectFrom('check_ins')
    .select('answers')
    .where('clinic_id', '=', client.clinicId)
    .where('client_id', '=', client.userId)
    .where('template_id', '=', 'daily')
    .where('submitted_at', '<', before)
    .orderBy('submitted_at', 'desc')
    .limit(7)
    .execute();
  return rows.map((r) => Number(checkInJson.answers(r).mood)).filter(Number.isFinite);
}

/** How long a clinic's risk rules are used before they are read again (they are edited outside the server). */
export const RISK_RULES_CACHE_MS = 5_000;
const RISK_RULES_CACHE_MAX = 10_000;

/** The clinics' risk rules, read at most once per RISK_RULES_CACHE_MS per clinic: a changed rule applies within 5 s. */
export class RiskRulesCache {
  private readonly clinics = new LRUCache<string, { rules: RiskRules; loadedAt: number }>({ max: RISK_RULES_CACHE_MAX });

  constructor(private readonly db: Db) {}

  async get(clinicId: string): Promise<RiskRules> {
    // Timed with Date.now (not lru-cache's ttl clock) so the age is measured as before.
    const cached = this.clinics.get(clinicId);
    if (cached && Date.now() - cached.loadedAt < RISK_RULES_CACHE_MS) return cached.rules;
    const clinic = await this.db.selectFrom('clinics').select(['risk_rules']).where('id', '=', clinicId).executeTakeFirstOrThrow();
    const rules = riskRulesFrom(clinic.risk_rules);
    this.clinics.set(clinicId, { rules, loadedAt: Date.now() });
    return rules;
  }
}

/** What a check-in submission uses besides the database. */
export type CheckInServices = Pick<Services, 'db' | 'commits' | 'riskRules' | 'users' | 'bus'>;

/**
 * Stores a check-in once per clientRequestId: a retry (offline queue, flaky network) gets the
 * first result back and no second row, whatever its payload says. The unique constraint decides
 * (insert … on conflict do nothing, inside the group commit), so there is no read before the write:
 * a retry is scored like a first submission, finds the stored row at the insert and answers with it.
 */
export async function submitCheckIn(services: CheckInServices, client: Principal, input: SubmitCheckInInput): Promise<SubmitCheckInResult> {
  const { db, commits, riskRules, users, bus } = services;
  const rules = await riskRules.get(client.clinicId);
  const answers = input.answers as Answers;
  const score = scoreCheckIn(input.templateId, answers);
  // Stored times are UTC (toISOString); compare with the same form, not the offset the device sent.
  const submittedAt = new Date(input.submittedAt).toISOString();
  const moods = input.templateId === 'daily' ? await recentMoods(db, client, submittedAt) : [];
  const risk = assessRisk({ templateId: input.templateId, answers, score, recentMoods: moods }, rules);
  const now = new Date().toISOString();
  const row: CheckInRow = {
    id: randomUUID(),
    clinic_id: client.clinicId,
    client_id: client.userId,
    client_request_id: input.clientRequestId,
    template_id: input.templateId,
    template_version: TEMPLATES[input.templateId].version,
    answers: JSON.stringify(answers),
    score: score ? JSON.stringify(score) : null,
    risk_level: risk.level,
    risk_reasons: JSON.stringify(risk.reasons),
    submitted_at: submittedAt,
    received_at: now,
  };
  const alertId = risk.level !== 'none' ? randomUUID() : null;
  let alertStored = false;
  // A first-seen person's users row is written by the batch before every check-in in it, in one order on every server.
  const newUser = users.has(client) ? [] : [{ key: userKey(client), write: (trx: Db) => ensureUser(trx, client) }];
  const result = await commits.run(async (trx) => {
    // Reset on each run: a batch that rolled back is retried alone.
    alertStored = false;
    const inserted = await trx
      .insertInto('check_ins')
      .values(row)
      .onConflict((oc) => oc.columns(['clinic_id', 'client_id', 'client_request_id']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      // A concurrent retry with the same clientRequestId got there first: answer with its row.
      const winner = await findByRequestId(trx, client, input.clientRequestId);
      if (!winner) throw new Error('check-in conflict without a stored row');
      return toResult(winner);
    }
    if (alertId && risk.level !== 'none') {
      const alert = await trx
        .insertInto('alerts')
        .values({
          id: alertId,
          clinic_id: client.clinicId,
          client_id: client.userId,
          check_in_id: row.id,
          source: 'check_in',
          level: risk.level,
          reasons: JSON.stringify(risk.reasons),
          created_at: now,
          acknowledged_at: null,
          acknowledged_by: null,
          ack_note: null,
        })
        // One check-in, one alert (unique index alerts_one_per_check_in).
        .onConflict((oc) => oc.columns(['clinic_id', 'check_in_id']).doNothing())
        .executeTakeFirst();
      alertStored = Number(alert.numInsertedOrUpdatedRows ?? 0) > 0;
    }
    return toResult(row);
  }, newUser);
  // After the commit (run resolves only then): the user row is stored; tell the clinic's staff, on every server process.
  users.remember(client);
  if (alertId && alertStored) publishAlertChange(bus, client.clinicId, alertId, 'created');
  return result;
}

export async function listCheckIns(
  db: Db,
  clinicId: string,
  filter: { clientId?: string; templateId?: TemplateId },
  page: Pick<NonNullable<ListCheckInsInput>, 'limit' | 'cursor'>,
): Promise<CheckInPage> {
  const limit = page.limit ?? 20;
  let query = db.selectFrom('check_ins').selectAll().where('clinic_id', '=', clinicId);
  if (filter.clientId) query = query.where('client_id', '=', filter.clientId);
  if (filter.templateId) query = query.where('template_id', '=', filter.templateId);
  if (page.cursor) {
    const { at, id } = decodeCursor(page.cursor);
    query = query.where((eb) =>
      eb.or([eb('submitted_at', '<', at), eb.and([eb('submitted_at', '=', at), eb('id', '<', id)])]),
    );
  }
  const rows = await query
    .orderBy('submitted_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map(toRecord);
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return { items, nextCursor: last ? encodeCursor(last.submitted_at, last.id) : null };
}
