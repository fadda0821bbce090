import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../db/index.js';
import { fromJson } from '../db/json.js';
import { checkInJson, safetyPlanSections } from '../db/rows.js';
import type { Database, UsersTable } from '../db/schema.js';
import { observationsOf, patientOf, questionnaireResponseOf } from '../fhir/responses.js';

/**
 * Everything the database holds about one person of one clinic (the right of access), as one JSON
 * document (`PersonExport`, `schemaVersion` 1) or as a FHIR R4 Bundle. `PERSON_TABLES` and
 * `NOT_PERSONAL_TABLES` classify every table: a test fails when a table appears in neither, so a new
 * table holding people's data cannot be silently left out of export and erasure.
 */

/** Which columns of a table name a person: the person's own (`person`), or staff acting on them (`staff`). */
export interface PersonColumns {
  person: string[];
  staff?: string[];
  /** Rebuilt from check_ins (roster-stats.ts): erasure renames it, export shows check-ins instead. */
  derived?: boolean;
}

export const PERSON_TABLES: Partial<Record<keyof Database, PersonColumns>> = {
  users: { person: ['id'] },
  check_ins: { person: ['client_id'] },
  alerts: { person: ['client_id'], staff: ['acknowledged_by'] },
  audit_log: { person: ['subject_id', 'actor_id'] },
  sessions_attended: { person: ['client_id'] },
  check_in_days: { person: ['client_id'], derived: true },
  roster_stats: { person: ['client_id'], derived: true },
  recovery_starts: { person: ['client_id'] },
  modules_completed: { person: ['client_id'], staff: ['recorded_by'] },
  goals: { person: ['client_id'] },
  safety_plans: { person: ['client_id', 'author_id'] },
  crisis_requests: { person: ['client_id'] },
  group_members: { person: ['user_id'] },
  group_posts: { person: ['author_id'], staff: ['hidden_by'] },
  group_post_reports: { person: ['reporter_id'] },
  group_feedback: { person: ['user_id'] },
  smart_patient_links: { person: ['person_id'] },
  group_calendar_feeds: { person: ['person_id'] },
  group_session_removals: { person: ['user_id'], staff: ['removed_by'] },
  danger_flags: { person: ['flagger_id', 'flagged_id'] },
};

/** Tables that hold nothing about a client, and why; `notAPerson` lists id-like columns that are not people. */
export const NOT_PERSONAL_TABLES: Record<string, { why: string; notAPerson?: string[] }> = {
  clinics: { why: 'the clinic itself' },
  clinic_origins: { why: "the web origins of the clinic's portals" },
  admin_changes: {
    why: "changes to the clinic's settings; the actor is staff or the command line, never a client (a client id in before/after, e.g. a member added to a group, is pseudonymised by erasure)",
    notAPerson: ['actor'],
  },
  clinic_hotlines: { why: "the clinic's own crisis lines (names, numbers, hours)" },
  roster_state: { why: 'one row per clinic: when the roster was last refreshed' },
  webhook_deliveries: { why: 'delivery attempts of an alert (status, timing); the alert row carries the person' },
  video_configs: { why: "the clinic's video provider and per-group overrides (group_id is a group, not a person)" },
  groups: { why: 'the group itself (name, schedule, guidelines)' },
  fhir_export_jobs: { why: 'bulk export jobs; requested by staff or system clients', notAPerson: ['requester_id'] },
  fhir_clients: { why: 'SMART backend clients (programs, not people)', notAPerson: ['client_id'] },
  fhir_assertion_jtis: { why: 'replay protection for SMART clients', notAPerson: ['client_id'] },
  fhir_server_keys: { why: 'signing keys' },
  smart_issuers: { why: "EHRs the clinic registered our widgets with (programs, not people)", notAPerson: ['client_id'] },
  smart_write_backs: { why: 'write-back status of a check-in to the EHR (status, HTTP code, the EHR message); the check-in row carries the person' },
  smart_practitioner_apps: { why: "EHRs where the clinic registered our clinician app (programs, not people)", notAPerson: ['client_id'] },
  smart_practitioner_links: { why: 'EHR practitioners an administrator linked to staff users: staff, never a client', notAPerson: ['user_id', 'created_by'] },
  rate_limits: { why: 'request counters keyed by IP or token hash, expiring within minutes' },
  erased_persons: { why: 'an erasure record: the person only as a hash of clinic and id', notAPerson: ['erased_by'] },
  kysely_migration: { why: 'migration bookkeeping' },
  kysely_migration_lock: { why: 'migration bookkeeping' },
};

export const PERSON_EXPORT_SCHEMA_VERSION = 1;

/** SHA-256 hex of clinic and person id: how erased_persons remembers an erasure. */
export const personHash = (clinicId: string, personId: string): string =>
  createHash('sha256').update(`${clinicId}\n${personId}`).digest('hex');

export class UnknownSubject extends Error {
  constructor(
    readonly field: 'clinic' | 'person',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The JSON export (schemaVersion 1). Dates are ISO-8601 strings. Lists are oldest first.
 * - person: the users row (display name as the portal last gave it, recovery start date).
 * - checkIns: every check-in with its answers (free text included), score, risk level and reasons.
 * - alerts: alerts raised for the person, with the clinician's acknowledgement note (`clinicianNote`).
 * - crisisRequests: presses of the crisis button.
 * - safetyPlans: every version of the plan and every clinician suggestion, with its sections.
 * - recovery: start-date history, goals, modules completed, sessions attended (group, telehealth).
 * - groups: memberships (alias, display mode), posts (body), reports the person made, session feedback.
 * - access: audit rows naming the person: who read their data (`readsOfTheirData`), and what they did
 *   themselves (`theirActions`).
 * - erasedAt: when the person was erased (then every list is empty), else null.
 */
export interface PersonExport {
  schemaVersion: typeof PERSON_EXPORT_SCHEMA_VERSION;
  exportedAt: string;
  clinic: { id: string; name: string };
  person: { id: string; role: string; displayName: string | null; createdAt: string; recoveryStartDate: string | null } | null;
  erasedAt: string | null;
  checkIns: {
    id: string;
    clientRequestId: string;
    templateId: string;
    templateVersion: number;
    submittedAt: string;
    receivedAt: string;
    answers: unknown;
    score: unknown;
    riskLevel: string;
    riskReasons: unknown;
  }[];
  alerts: {
    id: string;
    source: string;
    level: string;
    reasons: unknown;
    checkInId: string | null;
    createdAt: string;
    repeats: number;
    lastRequestedAt: string | null;
    acknowledgedAt: string | null;
    acknowledgedBy: string | null;
    clinicianNote: string | null;
  }[];
  crisisRequests: { id: string; alertId: string; requestedAt: string | null; createdAt: string; webhookStatus: string }[];
  safetyPlans: {
    id: string;
    version: number;
    kind: string;
    baseVersion: number | null;
    sections: unknown;
    authorId: string;
    authorRole: string;
    authorName: string | null;
    createdAt: string;
  }[];
  recovery: {
    starts: { startDate: string; previousStartDate: string | null; setAt: string }[];
    goals: { id: string; title: string; target: number; current: number; archived: boolean; createdAt: string; updatedAt: string }[];
    modulesCompleted: { moduleId: string; title: string; completedAt: string; recordedBy: string; recordedAt: string }[];
    sessionsAttended: { id: string; kind: string; sourceId: string | null; joinedAt: string; leftAt: string | null }[];
  };
  groups: {
    memberships: {
      groupId: string;
      groupName: string | null;
      role: string;
      displayMode: string;
      alias: string | null;
      guidelinesVersion: number | null;
      guidelinesAcceptedAt: string | null;
      addedAt: string;
    }[];
    posts: { id: string; groupId: string; parentId: string | null; authorLabel: string; body: string; createdAt: string; hiddenAt: string | null; hiddenReason: string | null }[];
    reportsMade: { id: string; postId: string; reason: string; createdAt: string }[];
    feedback: { id: string; groupId: string; sessionStart: string; rating: number; comment: string | null; createdAt: string }[];
    /** Calendar subscriptions they made (the link's secret is not kept, so it is not here either). */
    calendarFeeds: { groupId: string; language: string; timeZone: string; joinUrl: string | null; createdAt: string }[];
    /** Sessions a moderator removed them from (groups.removeFromSession), with the moderator's reason. */
    sessionRemovals: { groupId: string; sessionStart: string; sessionEnd: string; reason: string | null; createdAt: string }[];
    /** "May be in danger" flags they raised about others (with their note). */
    dangerFlagsMade: { groupId: string; via: string; postId: string | null; flaggedLabel: string; note: string | null; createdAt: string }[];
    /** Flags others raised about them: when and where, never who flagged or the flagger's note. */
    dangerFlagsAboutThem: { groupId: string; via: string; createdAt: string; seenAt: string | null }[];
  };
  /** EHR patient records linked to this person by SMART launches (issue 17). */
  ehrLinks: { iss: string; ehrPatientId: string; linkedAt: string }[];
  access: {
    readsOfTheirData: { at: string; actorId: string; actorRole: string; action: string }[];
    theirActions: { at: string; action: string; subjectId: string | null }[];
  };
}

async function clinicOf(db: Db, clinicId: string): Promise<{ id: string; name: string }> {
  const clinic = await db.selectFrom('clinics').select(['id', 'name']).where('id', '=', clinicId).executeTakeFirst();
  if (!clinic) throw new UnknownSubject('clinic', `No clinic "${clinicId}"`);
  return clinic;
}

/** When the person was last erased in this clinic, or null. */
export async function erasedAtOf(db: Db, clinicId: string, personId: string): Promise<string | null> {
  const row = await db
    .selectFrom('erased_persons')
    .select('erased_at')
    .where('clinic_id', '=', clinicId)
    .where('person_hash', '=', personHash(clinicId, personId))
    .orderBy('erased_at', 'desc')
    .executeTakeFirst();
  return row?.erased_at ?? null;
}

/** The users row, or null when the person has none (never seen, or erased). */
export async function userRowOf(db: Db, clinicId: string, personId: string): Promise<Selectable<UsersTable> | null> {
  return (await db.selectFrom('users').selectAll().where('clinic_id', '=', clinicId).where('id', '=', personId).executeTakeFirst()) ?? null;
}

/**
 * Reads the export. Refuses (UnknownSubject) an unknown clinic, and a person the clinic has never
 * seen and never erased; a person of another clinic is unknown here (every query is scoped by clinic).
 */
export async function exportPerson(db: Db, clinicId: string, personId: string, now = new Date()): Promise<PersonExport> {
  const clinic = await clinicOf(db, clinicId);
  const user = await userRowOf(db, clinicId, personId);
  const erasedAt = await erasedAtOf(db, clinicId, personId);
  const anyCheckIn = await db.selectFrom('check_ins').select('id').where('clinic_id', '=', clinicId).where('client_id', '=', personId).executeTakeFirst();
  if (!user && !anyCheckIn && !erasedAt) throw new UnknownSubject('person', `Clinic "${clinicId}" has no person "${personId}"`);

  const [checkIns, alerts, crisis, plans, starts, goals, modules, sessions, memberships, posts, reports, feedback, reads, actions, links, calendarFeeds, removals, flagsMade, flagsAbout] = await Promise.all([
    db.selectFrom('check_ins').selectAll().where('clinic_id', '=', clinicId).where('client_id', '=', personId).orderBy('submitted_at').orderBy('id').execute(),
    db.selectFrom('alerts').selectAll().where('clinic_id', '=', clinicId).where('client_id', '=', personId).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('crisis_requests').selectAll().where('clinic_id', '=', clinicId).where('client_id', '=', personId).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('safety_plans').selectAll().where('clinic_id', '=', clinicId).where('client_id', '=', personId).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('recovery_starts').selectAll().where('clinic_id', '=', clinicId).where('client_id', '=', personId).orderBy('set_at').orderBy('id').execute(),
    db.selectFrom('goals').selectAll().where('clinic_id', '=', clinicId).where('client_id', '=', personId).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('modules_completed').selectAll().where('clinic_id', '=', clinicId).where('client_id', '=', personId).orderBy('completed_at').orderBy('id').execute(),
    db.selectFrom('sessions_attended').selectAll().where('clinic_id', '=', clinicId).where('client_id', '=', personId).orderBy('joined_at').orderBy('id').execute(),
    db
      .selectFrom('group_members as m')
      .leftJoin('groups as g', (j) => j.onRef('g.id', '=', 'm.group_id').onRef('g.clinic_id', '=', 'm.clinic_id'))
      .selectAll('m')
      .select('g.name as group_name')
      .where('m.clinic_id', '=', clinicId)
      .where('m.user_id', '=', personId)
      .orderBy('m.added_at')
      .execute(),
    db.selectFrom('group_posts').selectAll().where('clinic_id', '=', clinicId).where('author_id', '=', personId).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('group_post_reports').selectAll().where('clinic_id', '=', clinicId).where('reporter_id', '=', personId).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('group_feedback').selectAll().where('clinic_id', '=', clinicId).where('user_id', '=', personId).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('audit_log').selectAll().where('clinic_id', '=', clinicId).where('subject_id', '=', personId).orderBy('at').orderBy('id').execute(),
    db.selectFrom('audit_log').selectAll().where('clinic_id', '=', clinicId).where('actor_id', '=', personId).orderBy('at').orderBy('id').execute(),
    db.selectFrom('smart_patient_links').selectAll().where('clinic_id', '=', clinicId).where('person_id', '=', personId).orderBy('created_at').execute(),
    db.selectFrom('group_calendar_feeds').selectAll().where('clinic_id', '=', clinicId).where('person_id', '=', personId).orderBy('created_at').execute(),
    db.selectFrom('group_session_removals').selectAll().where('clinic_id', '=', clinicId).where('user_id', '=', personId).orderBy('created_at').execute(),
    db.selectFrom('danger_flags').selectAll().where('clinic_id', '=', clinicId).where('flagger_id', '=', personId).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('danger_flags').selectAll().where('clinic_id', '=', clinicId).where('flagged_id', '=', personId).orderBy('created_at').orderBy('id').execute(),
  ]);

  return {
    schemaVersion: PERSON_EXPORT_SCHEMA_VERSION,
    exportedAt: now.toISOString(),
    clinic,
    person: user
      ? { id: user.id, role: user.role, displayName: user.display_name, createdAt: user.created_at, recoveryStartDate: user.recovery_start_date }
      : null,
    erasedAt,
    checkIns: checkIns.map((c) => ({
      id: c.id,
      clientRequestId: c.client_request_id,
      templateId: c.template_id,
      templateVersion: Number(c.template_version),
      submittedAt: c.submitted_at,
      receivedAt: c.received_at,
      answers: checkInJson.answers(c),
      score: checkInJson.score(c),
      riskLevel: c.risk_level,
      riskReasons: checkInJson.riskReasons(c),
    })),
    alerts: alerts.map((a) => ({
      id: a.id,
      source: a.source,
      level: a.level,
      reasons: fromJson(a.reasons),
      checkInId: a.check_in_id,
      createdAt: a.created_at,
      repeats: Number(a.repeats),
      lastRequestedAt: a.last_requested_at,
      acknowledgedAt: a.acknowledged_at,
      acknowledgedBy: a.acknowledged_by,
      clinicianNote: a.ack_note,
    })),
    crisisRequests: crisis.map((r) => ({ id: r.id, alertId: r.alert_id, requestedAt: r.requested_at, createdAt: r.created_at, webhookStatus: r.webhook_status })),
    safetyPlans: plans.map((p) => ({
      id: p.id,
      version: Number(p.version),
      kind: p.kind,
      baseVersion: p.base_version === null ? null : Number(p.base_version),
      sections: safetyPlanSections(p),
      authorId: p.author_id,
      authorRole: p.author_role,
      authorName: p.author_name,
      createdAt: p.created_at,
    })),
    recovery: {
      starts: starts.map((s) => ({ startDate: s.start_date, previousStartDate: s.previous_start_date, setAt: s.set_at })),
      goals: goals.map((g) => ({
        id: g.id,
        title: g.title,
        target: Number(g.target),
        current: Number(g.current),
        archived: Number(g.archived) === 1,
        createdAt: g.created_at,
        updatedAt: g.updated_at,
      })),
      modulesCompleted: modules.map((m) => ({ moduleId: m.module_id, title: m.title, completedAt: m.completed_at, recordedBy: m.recorded_by, recordedAt: m.recorded_at })),
      sessionsAttended: sessions.map((s) => ({ id: s.id, kind: s.kind, sourceId: s.source_id, joinedAt: s.joined_at, leftAt: s.left_at })),
    },
    groups: {
      memberships: memberships.map((m) => ({
        groupId: m.group_id,
        groupName: m.group_name,
        role: m.role,
        displayMode: m.display_mode,
        alias: m.alias,
        guidelinesVersion: m.guidelines_version === null ? null : Number(m.guidelines_version),
        guidelinesAcceptedAt: m.guidelines_accepted_at,
        addedAt: m.added_at,
      })),
      posts: posts.map((p) => ({
        id: p.id,
        groupId: p.group_id,
        parentId: p.parent_id,
        authorLabel: p.author_label,
        body: p.body,
        createdAt: p.created_at,
        hiddenAt: p.hidden_at,
        hiddenReason: p.hidden_reason,
      })),
      reportsMade: reports.map((r) => ({ id: r.id, postId: r.post_id, reason: r.reason, createdAt: r.created_at })),
      feedback: feedback.map((f) => ({
        id: f.id,
        groupId: f.group_id,
        sessionStart: f.session_start,
        rating: Number(f.rating),
        comment: f.comment,
        createdAt: f.created_at,
      })),
      calendarFeeds: calendarFeeds.map((f) => ({ groupId: f.group_id, language: f.language, timeZone: f.time_zone, joinUrl: f.join_url, createdAt: f.created_at })),
      sessionRemovals: removals.map((r) => ({ groupId: r.group_id, sessionStart: r.session_start, sessionEnd: r.session_end, reason: r.reason, createdAt: r.created_at })),
      dangerFlagsMade: flagsMade.map((f) => ({ groupId: f.group_id, via: f.via, postId: f.post_id, flaggedLabel: f.flagged_label, note: f.note, createdAt: f.created_at })),
      dangerFlagsAboutThem: flagsAbout.map((f) => ({ groupId: f.group_id, via: f.via, createdAt: f.created_at, seenAt: f.seen_at })),
    },
    ehrLinks: links.map((l) => ({ iss: l.iss, ehrPatientId: l.ehr_patient_id, linkedAt: l.created_at })),
    access: {
      // A danger flag's audit row names the flagger: the flagged person is told a group member flagged them, not who.
      readsOfTheirData: reads.map((r) => ({ at: r.at, actorId: r.action === 'groups.flagDanger' ? 'group-member' : r.actor_id, actorRole: r.actor_role, action: r.action })),
      theirActions: actions.map((r) => ({ at: r.at, action: r.action, subjectId: r.subject_id })),
    },
  };
}

/**
 * The export as a FHIR R4 Bundle (type `collection`): the Patient, each check-in as the
 * QuestionnaireResponse and Observations the FHIR API serves (server/fhir/responses.ts), and the
 * whole JSON export as a Binary (application/json), since alerts, plans, goals, groups and the access
 * log have no resource in this server's FHIR API.
 */
export async function exportPersonFhir(db: Db, clinicId: string, personId: string, now = new Date()): Promise<fhir4.Bundle> {
  const document = await exportPerson(db, clinicId, personId, now);
  const rows = await db
    .selectFrom('check_ins')
    .selectAll()
    .where('clinic_id', '=', clinicId)
    .where('client_id', '=', personId)
    .orderBy('submitted_at')
    .orderBy('id')
    .execute();
  const resources: fhir4.FhirResource[] = [];
  if (document.person) resources.push(patientOf(clinicId, personId, { display_name: document.person.displayName }));
  for (const row of rows) resources.push(questionnaireResponseOf(row), ...observationsOf(row));
  resources.push({
    resourceType: 'Binary',
    id: 'person-export-json',
    contentType: 'application/json',
    data: Buffer.from(JSON.stringify(document), 'utf8').toString('base64'),
  });
  return { resourceType: 'Bundle', type: 'collection', timestamp: now.toISOString(), entry: resources.map((resource) => ({ resource })) };
}

/** Counts per part of an export: what the CLI prints when the document goes to a file. */
export function exportCounts(document: PersonExport): Record<string, number> {
  return {
    checkIns: document.checkIns.length,
    alerts: document.alerts.length,
    crisisRequests: document.crisisRequests.length,
    safetyPlanVersions: document.safetyPlans.length,
    goals: document.recovery.goals.length,
    modulesCompleted: document.recovery.modulesCompleted.length,
    sessionsAttended: document.recovery.sessionsAttended.length,
    groupMemberships: document.groups.memberships.length,
    groupPosts: document.groups.posts.length,
    groupFeedback: document.groups.feedback.length,
    readsOfTheirData: document.access.readsOfTheirData.length,
  };
}
