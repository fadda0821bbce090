import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { sql, type Insertable, type Selectable } from 'kysely';
import {
  isInstrument,
  provenanceOf,
  TEMPLATES,
  type Provenance,
  type Answers,
  type CheckInPage,
  type CheckInRecord,
  type ListCheckInsInput,
  type SubmitCheckInInput,
  type SubmitCheckInResult,
  type TemplateId,
} from '../contract/index.js';
import type { Principal } from '../auth/principal.js';
import { isPostgres, type Db } from '../db/index.js';
import { checkInJson } from '../db/rows.js';
import type { AlertsTable, CheckInsTable } from '../db/schema.js';
import type { RowKind } from '../db/group-commit.js';
import { publishAlertChange } from '../live/bus.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { assessRisk, riskRulesFrom, type RiskRules } from './risk.js';
import { scoreCheckIn } from './scoring.js';
import type { Services } from '../services.js';
import { ensureUser, userKey } from './users.js';
import { ReusableQuery } from '../db/reusable-query.js';
import { TickBatcher } from '../db/tick-batcher.js';
import { writeBacksOf } from '../smart/write-back.js';

type CheckInRow = Selectable<CheckInsTable>;

function toResult(row: CheckInsTable): SubmitCheckInResult {
  return {
    id: row.id,
    clientRequestId: row.client_request_id,
    templateId: row.template_id as TemplateId,
    submittedAt: row.submitted_at,
    score: checkInJson.score(row),
    risk: { level: row.risk_level, reasons: checkInJson.riskReasons(row) },
    ...languagesOf(row),
  };
}

/** A check-in row's recorded languages and provenance (null where not recorded). */
export function languagesOf(row: Pick<CheckInsTable, 'language' | 'shown_language' | 'provenance'>): Pick<SubmitCheckInResult, 'language' | 'shownLanguage' | 'provenance'> {
  return { language: row.language ?? null, shownLanguage: row.shown_language ?? null, provenance: row.provenance ?? null };
}

/**
 * What a check-in records about its wording: the person's language, the language shown, and for
 * PHQ-9/GAD-7/BAM the provenance of that wording, derived here from locales/languages.json (the device
 * says only which language it showed, never whether it was published). A device that names no
 * shown language (sent before issue 18) records none.
 */
export function wordingOf(input: Pick<SubmitCheckInInput, 'templateId' | 'language' | 'shownLanguage'>): {
  language: string | null;
  shown_language: string | null;
  provenance: Provenance | null;
} {
  const shown = input.shownLanguage ?? null;
  return {
    language: input.language ?? null,
    shown_language: shown,
    provenance: shown !== null && isInstrument(input.templateId) ? provenanceOf(input.templateId, shown) : null,
  };
}

function toRecord(row: CheckInRow): CheckInRecord {
  return { ...toResult(row), clientId: row.client_id, templateVersion: Number(row.template_version), answers: checkInJson.answers(row) };
}

const RECENT_MOODS = 7;
const moodsOf = (rows: readonly { answers: string }[]) => rows.map((r) => Number(checkInJson.answers(r).mood)).filter(Number.isFinite);

const recentMoodsQuery = new ReusableQuery<{ answers: string }>((db, slot) =>
  db
    .selectFrom('check_ins')
    .select('answers')
    .where('clinic_id', '=', slot(0))
    .where('client_id', '=', slot(1))
    .where('template_id', '=', 'daily')
    .where('submitted_at', '<', slot(2))
    .orderBy('submitted_at', 'desc')
    .limit(RECENT_MOODS),
);

/** The person's last RECENT_MOODS daily moods before `before`, newest first. */
async function recentMoods(db: Db, client: Principal, before: string): Promise<number[]> {
  const { rows } = await db.executeQuery(recentMoodsQuery.bind(db, [client.clinicId, client.userId, before], undefined));
  return moodsOf(rows);
}

interface MoodsWanted {
  client: Principal;
  before: string;
  resolve(moods: number[]): void;
  reject(error: unknown): void;
}

/**
 * Recent moods for risk scoring, read for many submissions in one statement on PostgreSQL: the
 * reads asked for while one statement is out go together in the next (a lateral join over the
 * people asked about, each with its own `before`, the same index seek per person as a read of one),
 * so a busy server spends one round trip on many check-ins. SQLite, in process, reads each alone.
 */
export class RecentMoods {
  private readonly batches = new TickBatcher<MoodsWanted>(async (batch) => {
    const moods = await this.readAll(batch);
    batch.forEach((wanted, i) => wanted.resolve(moods[i]!));
  });

  constructor(private readonly db: Db) {}

  read(client: Principal, before: string): Promise<number[]> {
    if (!isPostgres(this.db)) return recentMoods(this.db, client, before);
    return new Promise((resolve, reject) => this.batches.add({ client, before, resolve, reject }));
  }

  private async readAll(batch: readonly MoodsWanted[]): Promise<number[][]> {
    if (batch.length === 1) return [await recentMoods(this.db, batch[0]!.client, batch[0]!.before)];
    const { rows } = await sql<{ n: string; answers: string }>`
      select wanted.n, recent.answers
      from unnest(
        ${batch.map((w) => w.client.clinicId)}::text[],
        ${batch.map((w) => w.client.userId)}::text[],
        ${batch.map((w) => w.before)}::text[]
      ) with ordinality as wanted(clinic_id, client_id, before, n)
      cross join lateral (
        select c.answers, c.submitted_at from check_ins c
        where c.clinic_id = wanted.clinic_id and c.client_id = wanted.client_id and c.template_id = 'daily' and c.submitted_at < wanted.before
        order by c.submitted_at desc
        limit ${RECENT_MOODS}
      ) recent
      order by wanted.n, recent.submitted_at desc`.execute(this.db);
    const answers = batch.map((): { answers: string }[] => []);
    // ordinality counts from 1 (a bigint: a string from pg).
    for (const row of rows) answers[Number(row.n) - 1]!.push(row);
    return answers.map(moodsOf);
  }
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
export type CheckInServices = Pick<Services, 'db' | 'commits' | 'riskRules' | 'recentMoods' | 'users' | 'bus'>;

/**
 * Stores a check-in once per clientRequestId: a retry (offline queue, flaky network) gets the
 * first result back and no second row, whatever its payload says. The unique constraint decides
 * (one multi-row insert … on conflict do nothing per group-commit batch, checkInWrites), so there is no read before the write:
 * a retry is scored like a first submission, finds the stored row at the insert and answers with it.
 */
export async function submitCheckIn(services: CheckInServices, client: Principal, input: SubmitCheckInInput): Promise<SubmitCheckInResult> {
  const { commits, riskRules, recentMoods: moodsOf, users, bus } = services;
  const rules = await riskRules.get(client.clinicId);
  const answers = input.answers as Answers;
  const score = scoreCheckIn(input.templateId, answers);
  // Stored times are UTC (toISOString); compare with the same form, not the offset the device sent.
  const submittedAt = new Date(input.submittedAt).toISOString();
  const moods = input.templateId === 'daily' ? await moodsOf.read(client, submittedAt) : [];
  const risk = assessRisk({ templateId: input.templateId, answers, score, recentMoods: moods }, rules);
  const now = new Date().toISOString();
  const row: CheckInsTable = {
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
    ...wordingOf(input),
  };
  const alert: Insertable<AlertsTable> | null =
    risk.level === 'none'
      ? null
      : {
          id: randomUUID(),
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
        };
  // A first-seen person's users row is written by the batch before every check-in in it, in one order on every server.
  const newUser = users.has(client) ? [] : [{ key: userKey(client), write: (trx: Db) => ensureUser(trx, client) }];
  const { result, alertStored } = await commits.write(checkInWrites, { row, alert }, newUser);
  // After the commit (write resolves only then): the user row is stored; tell the clinic's staff, on every server process.
  users.remember(client);
  if (alert && alertStored) publishAlertChange(bus, client.clinicId, alert.id, 'created');
  return result;
}

interface CheckInWrite {
  row: CheckInsTable;
  /** The alert to store if (and only if) this row is the one stored for its clientRequestId. */
  alert: Insertable<AlertsTable> | null;
}

interface CheckInWritten {
  result: SubmitCheckInResult;
  alertStored: boolean;
}

type RequestKeyed = Pick<CheckInsTable, 'clinic_id' | 'client_id' | 'client_request_id'>;
const requestKey = (r: RequestKeyed): string => `${r.clinic_id}\u0000${r.client_id}\u0000${r.client_request_id}`;

/**
 * A batch's check-ins in one `insert … values (…),(…) on conflict do nothing returning id`, then its
 * alerts likewise (one round trip each on PostgreSQL, not one per check-in). The unique constraint on
 * (clinic_id, client_id, client_request_id) decides: a row not returned was a retry — of a row stored
 * earlier, by another server, or by an earlier request of this same batch — and answers with the
 * stored row (read in the same transaction); only a row actually inserted gets its alert.
 */
export const checkInWrites: RowKind<CheckInWrite, CheckInWritten> = {
  name: 'check-ins',
  async writeAll(trx, items) {
    // One row per clientRequestId (the first to arrive), in key order: two servers' batches holding
    // the same retried requests then never wait for each other's rows in opposite orders.
    const rows = new Map<string, CheckInsTable>();
    for (const { row } of items) if (!rows.has(requestKey(row))) rows.set(requestKey(row), row);
    const ordered = [...rows.keys()].sort().map((key) => rows.get(key)!);
    const inserted = new Set((await insertCheckIns(trx, ordered)).map((r) => r.id));
    const replayed = items.filter(({ row }) => !inserted.has(row.id)).map(({ row }) => row);
    const stored = new Map<string, CheckInRow>();
    if (replayed.length > 0) {
      const found = await trx
        .selectFrom('check_ins')
        .selectAll()
        .where((eb) =>
          eb.or(
            replayed.map((r) =>
              eb.and([eb('clinic_id', '=', r.clinic_id), eb('client_id', '=', r.client_id), eb('client_request_id', '=', r.client_request_id)]),
            ),
          ),
        )
        .execute();
      for (const r of found) stored.set(requestKey(r), r);
    }
    const alerts = items.flatMap(({ row, alert }) => (alert && inserted.has(row.id) ? [alert] : []));
    const alertsStored = new Set<string>();
    if (alerts.length > 0) {
      const written = await trx
        .insertInto('alerts')
        .values(alerts)
        // One check-in, one alert (unique index alerts_one_per_check_in).
        .onConflict((oc) => oc.columns(['clinic_id', 'check_in_id']).doNothing())
        .returning('id')
        .execute();
      for (const r of written) alertsStored.add(r.id);
    }
    return items.map(({ row, alert }) => {
      if (inserted.has(row.id)) return { result: toResult(row), alertStored: alert !== null && alertsStored.has(alert.id) };
      const winner = stored.get(requestKey(row));
      if (!winner) throw new Error('check-in conflict without a stored row');
      return { result: toResult(winner), alertStored: false };
    });
  },
};

const insertCheckInsQuery = new ReusableQuery<{ id: string }, { rows: number; columns: readonly (keyof CheckInsTable)[] }>((db, slot, { rows, columns }) =>
  db
    .insertInto('check_ins')
    .values(Array.from({ length: rows }, (_, r) => Object.fromEntries(columns.map((column, c) => [column, slot(r * columns.length + c)])) as unknown as CheckInsTable))
    .onConflict((oc) => oc.columns(['clinic_id', 'client_id', 'client_request_id']).doNothing())
    .returning('id'),
);

/**
 * `insert … values (…),(…) on conflict do nothing returning id` for `rows`, compiled once per batch
 * size (ReusableQuery). Rows whose columns differ from the first row's, or that leave a value
 * undefined (the builder would write DEFAULT there), go through Kysely's builder as before.
 */
async function insertCheckIns(trx: Db, rows: readonly CheckInsTable[]): Promise<{ id: string }[]> {
  const columns = Object.keys(rows[0]!) as (keyof CheckInsTable)[];
  const values: unknown[] = [];
  const uniform = rows.every((row) => {
    const keys = Object.keys(row);
    if (keys.length !== columns.length || keys.some((key, i) => key !== columns[i])) return false;
    for (const column of columns) {
      if (row[column] === undefined) return false;
      values.push(row[column]);
    }
    return true;
  });
  if (!uniform) {
    return trx
      .insertInto('check_ins')
      .values([...rows])
      .onConflict((oc) => oc.columns(['clinic_id', 'client_id', 'client_request_id']).doNothing())
      .returning('id')
      .execute();
  }
  const { rows: inserted } = await trx.executeQuery(insertCheckInsQuery.bind(trx, values, { rows: rows.length, columns }, `${rows.length}:${columns.join(',')}`));
  return inserted;
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
    // A row-value comparison: both databases seek the index to the cursor instead of scanning up to it.
    query = query.where((eb) => eb(eb.refTuple('submitted_at', 'id'), '<', eb.tuple(at, id)));
  }
  const rows = await query
    .orderBy('submitted_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map(toRecord);
  // Check-ins a SMART launch wrote back to the EHR carry what became of it (pending, written, refused).
  const writeBacks = await writeBacksOf(db, clinicId, items.map((i) => i.id));
  for (const item of items) {
    const writeBack = writeBacks.get(item.id);
    if (writeBack) item.writeBack = writeBack;
  }
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return { items, nextCursor: last ? encodeCursor(last.submitted_at, last.id) : null };
}
