import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import type { Selectable } from 'kysely';
import {
  SAFETY_PLAN_SECTIONS,
  type SafetyPlanSections,
  type SafetyPlanVersion,
  type SafetyPlanView,
  type SaveSafetyPlanInput,
} from '../contract/index.js';
import { isStaff, type Principal } from '../auth/principal.js';
import { isUniqueViolation, type Db } from '../db/index.js';
import { toJson } from '../db/json.js';
import { safetyPlanSections } from '../db/rows.js';
import type { SafetyPlansTable } from '../db/schema.js';
import { ensureUser } from './users.js';

type PlanRow = Selectable<SafetyPlansTable>;

function toVersion(row: PlanRow): SafetyPlanVersion {
  return {
    clientId: row.client_id,
    version: Number(row.version),
    kind: row.kind,
    authorRole: row.author_role,
    authorName: row.author_name,
    baseVersion: row.base_version === null ? null : Number(row.base_version),
    sections: safetyPlanSections(row),
    createdAt: row.created_at,
  };
}

function versionsQuery(db: Db, clinicId: string, clientId: string) {
  return db.selectFrom('safety_plans').where('clinic_id', '=', clinicId).where('client_id', '=', clientId);
}

export async function latestPlanSections(db: Db, clinicId: string, clientId: string): Promise<SafetyPlanSections | null> {
  const row = await versionsQuery(db, clinicId, clientId)
    .select('sections')
    .where('kind', '=', 'plan')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? safetyPlanSections(row) : null;
}

export async function getSafetyPlan(db: Db, clinicId: string, clientId: string, version?: number): Promise<SafetyPlanView> {
  const summaries = await versionsQuery(db, clinicId, clientId)
    .select(['version', 'kind', 'author_role', 'created_at'])
    .orderBy('version', 'desc')
    .execute();
  const versions = summaries.map((r) => ({ version: Number(r.version), kind: r.kind, authorRole: r.author_role, createdAt: r.created_at }));
  const latestVersion = versions[0]?.version ?? null;

  let plan: SafetyPlanVersion | null = null;
  if (version !== undefined) {
    const row = await versionsQuery(db, clinicId, clientId).selectAll().where('version', '=', version).executeTakeFirst();
    if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `No version ${version} of this safety plan` });
    plan = toVersion(row);
  } else {
    const row = await versionsQuery(db, clinicId, clientId).selectAll().where('kind', '=', 'plan').orderBy('version', 'desc').limit(1).executeTakeFirst();
    plan = row ? toVersion(row) : null;
  }
  const newestSuggestion = versions.find((v) => v.kind === 'suggestion');
  const newestPlan = versions.find((v) => v.kind === 'plan');
  let suggestion: SafetyPlanVersion | null = null;
  if (newestSuggestion && (!newestPlan || newestSuggestion.version > newestPlan.version)) {
    const row = await versionsQuery(db, clinicId, clientId).selectAll().where('version', '=', newestSuggestion.version).executeTakeFirstOrThrow();
    suggestion = toVersion(row);
  }
  return { clientId, latestVersion, plan, suggestion, versions };
}

/**
 * Stores a new version; nothing is ever overwritten. The caller names the version it edited
 * (`baseVersion`): if anyone saved since, the save is refused with CONFLICT so no edit is lost
 * silently. A client's save is their plan; a clinician's is a suggestion for the client.
 */
export async function saveSafetyPlan(db: Db, principal: Principal, clientId: string, input: SaveSafetyPlanInput): Promise<SafetyPlanVersion> {
  const latest = await versionsQuery(db, principal.clinicId, clientId)
    .select('version')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  const latestVersion = latest ? Number(latest.version) : null;
  const conflict = () =>
    new TRPCError({
      code: 'CONFLICT',
      message: `The safety plan changed since you opened it: the latest version is ${latestVersion ?? 'none'}, you edited ${input.baseVersion ?? 'none'}`,
    });
  if (input.baseVersion !== latestVersion) throw conflict();
  if (!isStaff(principal)) await ensureUser(db, principal);

  const row: PlanRow = {
    id: randomUUID(),
    clinic_id: principal.clinicId,
    client_id: clientId,
    version: (latestVersion ?? 0) + 1,
    kind: isStaff(principal) ? 'suggestion' : 'plan',
    base_version: input.baseVersion,
    sections: toJson(Object.fromEntries(SAFETY_PLAN_SECTIONS.map((id) => [id, input.sections[id]]))),
    author_id: principal.userId,
    author_role: principal.role,
    author_name: principal.name,
    created_at: new Date().toISOString(),
  };
  try {
    await db.insertInto('safety_plans').values(row).execute();
  } catch (error) {
    // Another save from the same base took this version number first.
    if (isUniqueViolation(error)) throw conflict();
    throw error;
  }
  return toVersion(row);
}
