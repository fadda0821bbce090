import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import type { Db } from '../db/index.js';
import { isStaff, type Principal } from './principal.js';

/**
 * The one place that decides whose data a caller may read, and audits it.
 *
 * It is a plain function over (db, principal), not a tRPC middleware, so that every surface that
 * reads a person's data (the tRPC procedures today; FHIR, the `care` command and `<care-admin>` next)
 * goes through the same rule and the same audit: those do not run tRPC middleware. Whether every
 * procedure uses it is checked by test/server/audited-reads.test.ts, which enumerates the router.
 */

const noSuchClient = () => new TRPCError({ code: 'NOT_FOUND', message: 'No such client' });

async function isClientOf(db: Db, clinicId: string, clientId: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('clinic_id', '=', clinicId)
    .where('id', '=', clientId)
    .where('role', '=', 'client')
    .executeTakeFirst();
  return row !== undefined;
}

export interface SubjectRule {
  /**
   * Staff may leave the person out and read across their clinic. Without it, staff must name a client
   * and `required` completes the 400 message ("clientId: Required when …").
   */
  clinicWide?: boolean;
  required?: string;
}

/**
 * Whose data the caller asked for: a client only their own (anyone else's looks like nobody's:
 * 404), staff a client of their own clinic (404 otherwise), or `undefined` = the whole clinic where
 * the rule allows it (staff only).
 */
export async function subjectOf(db: Db, principal: Principal, clientId: string | undefined, rule: SubjectRule = {}): Promise<string | undefined> {
  if (!isStaff(principal)) {
    if (clientId !== undefined && clientId !== principal.userId) throw noSuchClient();
    return principal.userId;
  }
  if (clientId === undefined) {
    if (rule.clinicWide) return undefined;
    throw new TRPCError({ code: 'BAD_REQUEST', message: `Invalid input: clientId: Required when ${rule.required ?? 'staff read a client'}` });
  }
  if (!(await isClientOf(db, principal.clinicId, clientId))) throw noSuchClient();
  return clientId;
}

/** Rows per insert: a clinic-wide export audits thousands of people, within every driver's parameter limit. */
const AUDIT_ROWS_PER_INSERT = 500;

/** Records that staff (or a system) read people's data: one row per person, never for the caller themselves. */
export async function writeAudit(db: Db, actor: Principal, action: string, subjects: Iterable<string>): Promise<void> {
  const at = new Date().toISOString();
  const rows = [...new Set(subjects)]
    .filter((id) => id !== actor.userId)
    .map((subject) => ({ id: randomUUID(), clinic_id: actor.clinicId, actor_id: actor.userId, actor_role: actor.role, action, subject_id: subject, at }));
  for (let i = 0; i < rows.length; i += AUDIT_ROWS_PER_INSERT) {
    await db.insertInto('audit_log').values(rows.slice(i, i + AUDIT_ROWS_PER_INSERT)).execute();
  }
}

export interface AuditedReadOf extends SubjectRule {
  /** The audit row's action, e.g. 'progress.summary'. */
  action: string;
  /** The person the caller named, if any. */
  clientId?: string | undefined;
}

/**
 * Resolves the subject (subjectOf), runs `read` for it, and when staff read anyone's data but their
 * own writes one audit row per person: the named client (even when nothing came back: the record
 * was opened) or, when no one was named, each person `subjects` names in the result (a clinic-wide
 * list, a group's members, the author of a post). Without `subjects` staff must name a client. A
 * refused read writes nothing.
 */
export async function auditedRead<T>(
  db: Db,
  principal: Principal,
  of: AuditedReadOf,
  read: (clientId: string | undefined) => Promise<T>,
  subjects?: (result: T) => Iterable<string>,
): Promise<T> {
  const clinicWide = of.clinicWide ?? subjects !== undefined;
  const clientId = await subjectOf(db, principal, of.clientId, { clinicWide, required: of.required });
  const result = await read(clientId);
  if (isStaff(principal)) {
    await writeAudit(db, principal, of.action, clientId !== undefined ? [clientId] : (subjects?.(result) ?? []));
  }
  return result;
}

/** auditedRead for reads that are always about one person (the caller, or the client staff must name). */
export async function auditedPersonRead<T>(
  db: Db,
  principal: Principal,
  of: { action: string; clientId: string | undefined; required: string },
  read: (clientId: string) => Promise<T>,
): Promise<T> {
  return auditedRead(db, principal, { action: of.action, clientId: of.clientId, required: of.required }, (clientId) => read(clientId!));
}
