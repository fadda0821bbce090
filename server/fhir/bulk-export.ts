import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { isStaff } from '../auth/principal.js';
import { writeAudit } from '../auth/subject.js';
import type { Db } from '../db/index.js';
import { fromJson, toJson } from '../db/json.js';
import type { CheckInsTable, UsersTable } from '../db/schema.js';
import { permits, type FhirAccess } from './access.js';
import { FhirError } from './outcome.js';

/**
 * FHIR Bulk Data export (system level for one clinic: `Group/<clinic>/$export`). Nothing is written
 * to disk: a job fixes the request and its transaction time, and each NDJSON file is streamed from
 * the database page by page when it is fetched, so memory stays flat whatever the clinic's size and
 * any server on the same database can answer. Jobs expire (404 afterwards) EXPORT_LIFETIME_MS after
 * the kick-off.
 */
export const EXPORT_TYPES = ['Patient', 'QuestionnaireResponse', 'Observation'] as const;
export type ExportType = (typeof EXPORT_TYPES)[number];
export const EXPORT_LIFETIME_MS = 60 * 60_000;
const PAGE = 500;

export type CheckInRow = Selectable<CheckInsTable>;
export type UserRow = Selectable<UsersTable>;

/** How stored rows become resources: the same mapping the read and search interactions use. */
export interface ExportMappers {
  patient(user: UserRow): fhir4.Patient;
  questionnaireResponse(row: CheckInRow): fhir4.QuestionnaireResponse;
  observations(row: CheckInRow): fhir4.Observation[];
}

export interface ExportJob {
  id: string;
  types: ExportType[];
  since: string | null;
  transactionTime: string;
  counts: Record<string, number> | null;
}

function parseTypes(raw: unknown): ExportType[] {
  if (raw === undefined) return [...EXPORT_TYPES];
  if (typeof raw !== 'string' || raw.trim() === '') throw new FhirError(400, 'invalid', '_type: a comma-separated list of resource types', '_type');
  const types = [...new Set(raw.split(',').map((t) => t.trim()))];
  const unknown = types.filter((t) => !(EXPORT_TYPES as readonly string[]).includes(t));
  if (unknown.length) throw new FhirError(400, 'not-supported', `_type: ${unknown.join(', ')} cannot be exported (supported: ${EXPORT_TYPES.join(', ')})`, '_type');
  return types as ExportType[];
}

function parseSince(raw: unknown): string | null {
  if (raw === undefined) return null;
  // FHIR instant: a full date-time with a time zone.
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(raw) || Number.isNaN(Date.parse(raw))) {
    throw new FhirError(400, 'invalid', '_since: an instant such as 2026-01-31T00:00:00Z', '_since');
  }
  return new Date(raw).toISOString();
}

/** Who may export a clinic: its staff, or a system client whose scopes allow searching every type asked for. */
function assertMayExport(access: FhirAccess, groupId: string, types: readonly ExportType[]): void {
  if (groupId !== access.principal.clinicId) throw new FhirError(404, 'not-found', `Group/${groupId} is not known`);
  if (!isStaff(access.principal)) throw new FhirError(403, 'forbidden', 'Only the clinic’s staff or its registered systems may export its data');
  const refused = types.filter((t) => !permits(access, t, 'search'));
  if (refused.length) throw new FhirError(403, 'forbidden', `The access token's scopes do not allow reading ${refused.join(', ')}`);
}

export async function startExport(db: Db, access: FhirAccess, groupId: string, params: { _type?: unknown; _since?: unknown }): Promise<ExportJob> {
  const types = parseTypes(params._type);
  const since = parseSince(params._since);
  assertMayExport(access, groupId, types);
  const now = new Date();
  await db.deleteFrom('fhir_export_jobs').where('expires_at', '<', now.toISOString()).execute();
  const job: ExportJob = { id: randomUUID(), types, since, transactionTime: now.toISOString(), counts: null };
  await db
    .insertInto('fhir_export_jobs')
    .values({
      id: job.id,
      clinic_id: access.principal.clinicId,
      requester_id: access.principal.userId,
      types: types.join(','),
      since,
      transaction_time: job.transactionTime,
      expires_at: new Date(now.getTime() + EXPORT_LIFETIME_MS).toISOString(),
      counts: null,
    })
    .execute();
  return job;
}

/** The caller's own unexpired job, or 404 (another requester's job looks like none). */
export async function findExport(db: Db, access: FhirAccess, id: string): Promise<ExportJob> {
  const row = await db
    .selectFrom('fhir_export_jobs')
    .selectAll()
    .where('id', '=', id)
    .where('clinic_id', '=', access.principal.clinicId)
    .where('requester_id', '=', access.principal.userId)
    .where('expires_at', '>', new Date().toISOString())
    .executeTakeFirst();
  if (!row) throw new FhirError(404, 'not-found', 'No such export (it may have expired)');
  return { id: row.id, types: row.types.split(',') as ExportType[], since: row.since, transactionTime: row.transaction_time, counts: row.counts ? fromJson(row.counts) : null };
}

export async function deleteExport(db: Db, access: FhirAccess, id: string): Promise<void> {
  await findExport(db, access, id);
  await db.deleteFrom('fhir_export_jobs').where('id', '=', id).execute();
}

const checkInsOf = (db: Db, clinicId: string, job: ExportJob) => {
  let query = db.selectFrom('check_ins').where('clinic_id', '=', clinicId).where('received_at', '<=', job.transactionTime);
  if (job.since) query = query.where('received_at', '>', job.since);
  return query;
};

const clientsOf = (db: Db, clinicId: string, job: ExportJob) => {
  let query = db.selectFrom('users').where('clinic_id', '=', clinicId).where('role', '=', 'client').where('created_at', '<=', job.transactionTime);
  if (job.since) query = query.where('created_at', '>', job.since);
  return query;
};

/**
 * Counts what the files will hold, writes one audit row per exported person (staff and systems
 * reading people's data are audited, as every other read), and marks the job complete. Safe to run
 * twice (a second server finishing a job the first one dropped): the audit rows say the same.
 */
export async function completeExport(db: Db, access: FhirAccess, job: ExportJob): Promise<Record<string, number>> {
  const clinicId = access.principal.clinicId;
  const counts: Record<string, number> = {};
  const checkIns = job.types.includes('QuestionnaireResponse') || job.types.includes('Observation');
  const people = new Set<string>();
  if (job.types.includes('Patient')) {
    const clients = await clientsOf(db, clinicId, job).select('id').execute();
    counts.Patient = clients.length;
    for (const { id } of clients) people.add(id);
  }
  if (checkIns) {
    const n = Number((await checkInsOf(db, clinicId, job).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    if (job.types.includes('QuestionnaireResponse')) counts.QuestionnaireResponse = n;
    for (const { client_id } of await checkInsOf(db, clinicId, job).select('client_id').distinct().execute()) people.add(client_id);
  }
  await writeAudit(db, access.principal, 'fhir.export', people);
  await db.updateTable('fhir_export_jobs').set({ counts: toJson(counts) }).where('id', '=', job.id).execute();
  return counts;
}

/** The NDJSON lines of one type, page by page (keyset over an index; one page in memory at a time). */
export async function* exportLines(db: Db, clinicId: string, job: ExportJob, type: ExportType, mappers: ExportMappers): AsyncGenerator<string> {
  if (type === 'Patient') {
    let after = '';
    for (;;) {
      const users = await clientsOf(db, clinicId, job).selectAll().where('id', '>', after).orderBy('id').limit(PAGE).execute();
      for (const user of users) yield `${JSON.stringify(mappers.patient(user))}\n`;
      if (users.length < PAGE) return;
      after = users[users.length - 1]!.id;
    }
  }
  let cursor: { at: string; id: string } | null = null;
  for (;;) {
    let query = checkInsOf(db, clinicId, job).selectAll();
    if (cursor) {
      const { at, id } = cursor;
      // A row-value comparison, so both databases seek the index instead of rescanning from the start.
      query = query.where((eb) => eb(eb.refTuple('submitted_at', 'id'), '>', eb.tuple(at, id)));
    }
    const rows = await query.orderBy('submitted_at').orderBy('id').limit(PAGE).execute();
    for (const row of rows) {
      if (type === 'QuestionnaireResponse') yield `${JSON.stringify(mappers.questionnaireResponse(row))}\n`;
      else for (const observation of mappers.observations(row)) yield `${JSON.stringify(observation)}\n`;
    }
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    cursor = { at: last.submitted_at, id: last.id };
  }
}
