import { randomUUID } from 'node:crypto';
import type { Answers } from '../contract/index.js';
import type { Db } from '../db/index.js';
import type { KnownUsers } from './users.js';
import { fromJsonOrNull, toJson } from '../db/json.js';
import { checkInJson } from '../db/rows.js';
import { erasedAtOf, personHash, PERSON_TABLES, UnknownSubject, userRowOf, type PersonColumns } from './person-export.js';

/**
 * Erasure of one person of one clinic (`care person erase`), in one transaction.
 *
 * Removed: the display name and recovery start date (users row; recovery_starts rows), every answer
 * that the outcome report does not count (free-text notes, mood, craving, sleep, PHQ-9/GAD-7/BAM item
 * answers, warning signs…), clinicians' notes on the person's alerts, every safety-plan version and
 * suggestion, goals, modules completed, group aliases (the alias becomes "Removed member"), group
 * post bodies and labels (the row stays with body "removed" so threads and counts stay), moderators'
 * hiding reasons on those posts, moderators' reasons for removing them from a session, session-feedback comments, and links to EHR patient records (SMART). (Reports' reasons are a fixed list,
 * not free text: kept.)
 *
 * Kept, de-identified: the person's id is replaced everywhere, in every table PERSON_TABLES lists, by
 * a fresh random pseudonym (`erased-<uuid>`) that nothing links back to the old id — not kept, not
 * printed, not logged. Under it stay exactly what server/domain/outcomes.ts counts: the users row's
 * role and created_at (join day: engagement eligibility, retention cohorts), check-in rows with their
 * dates, template, score and risk level, the daily answer `used` (relapse: check_in_days.reported_use
 * is rebuilt from it) and the feedback answers satisfaction / usefulness / barriers (feedback means),
 * sessions attended (attendance), and check_in_days / roster_stats (renamed, not recomputed). So the
 * clinic's outcome figures are the same after erasure. Alerts and crisis requests stay as dated,
 * level-only facts; audit rows stay (the log is the clinic's record) under the pseudonym.
 *
 * erased_persons records the erasure under a hash of clinic and id (not the id), with the counts; an
 * audit row `person.erase` names the operator and the pseudonym. A second erase of the same id finds
 * no users row and that record, and changes nothing.
 *
 * The person's old tokens keep working, as a new person with nothing on record: the server writes a
 * new users row on their next write. Given the process's KnownUsers (server/domain/users.ts), the
 * erasure makes it forget the person, so that process writes the new users row at once. A server
 * process that did not run the erasure (`care person erase` is its own process) trusts its memory of
 * the person for at most KNOWN_USERS_TTL_MS (a minute) and then writes the new users row on their next
 * write: until then their new check-ins are stored and readable, but reports count them as a client
 * only once the users row exists.
 */

/** Answers the outcome report reads, per template; every other answer is removed. */
export const ANSWERS_KEPT: Record<string, readonly string[]> = {
  daily: ['used'],
  feedback: ['satisfaction', 'usefulness', 'barriers'],
};

export const REMOVED_ALIAS = 'Removed member';
export const REMOVED_TEXT = 'removed';

export interface EraseResult {
  clinicId: string;
  alreadyErased: boolean;
  erasedAt: string;
  /** What was removed or rewritten, per kind. */
  removed: Record<string, number>;
}

const keptAnswers = (templateId: string, answers: Answers): Answers => {
  const kept: Answers = {};
  for (const key of ANSWERS_KEPT[templateId] ?? []) if (answers[key] !== undefined) kept[key] = answers[key];
  return kept;
};

/**
 * Erases `personId` of `clinicId`. Refuses (UnknownSubject) an unknown clinic, a person the clinic has
 * neither seen nor erased, and staff (erasure is for clients: staff ids appear on other people's
 * records as who acknowledged or recorded something).
 */
export async function erasePerson(db: Db, clinicId: string, personId: string, operator: string, now = new Date(), users?: KnownUsers): Promise<EraseResult> {
  const result = await db.transaction().execute(async (trx): Promise<EraseResult> => {
    const clinic = await trx.selectFrom('clinics').select('id').where('id', '=', clinicId).executeTakeFirst();
    if (!clinic) throw new UnknownSubject('clinic', `No clinic "${clinicId}"`);
    const user = await userRowOf(trx, clinicId, personId);
    const anyCheckIn = await trx.selectFrom('check_ins').select('id').where('clinic_id', '=', clinicId).where('client_id', '=', personId).executeTakeFirst();
    if (!user && !anyCheckIn) {
      const erasedAt = await erasedAtOf(trx, clinicId, personId);
      if (erasedAt) return { clinicId, alreadyErased: true, erasedAt, removed: {} };
      throw new UnknownSubject('person', `Clinic "${clinicId}" has no person "${personId}"`);
    }
    if (user && user.role !== 'client') {
      throw new UnknownSubject('person', `"${personId}" is a ${user.role} of clinic "${clinicId}"; erasure is for clients`);
    }

    const pseudonym = `erased-${randomUUID()}`;
    const removed: Record<string, number> = {};
    const count = (kind: string, n: number | bigint | undefined) => {
      removed[kind] = (removed[kind] ?? 0) + Number(n ?? 0);
    };
    const at = now.toISOString();

    // Identifying content first, while the rows still carry the person's id.
    const checkIns = await trx
      .selectFrom('check_ins')
      .select(['id', 'template_id', 'answers'])
      .where('clinic_id', '=', clinicId)
      .where('client_id', '=', personId)
      .execute();
    for (const row of checkIns) {
      await trx
        .updateTable('check_ins')
        .set({ answers: toJson(keptAnswers(row.template_id, checkInJson.answers(row))), client_request_id: randomUUID() })
        .where('clinic_id', '=', clinicId)
        .where('id', '=', row.id)
        .execute();
    }
    count('checkInAnswers', checkIns.length);

    const notes = await trx
      .updateTable('alerts')
      .set({ ack_note: null })
      .where('clinic_id', '=', clinicId)
      .where('client_id', '=', personId)
      .where('ack_note', 'is not', null)
      .executeTakeFirst();
    count('clinicianNotes', notes.numUpdatedRows);

    for (const [table, kind] of [
      ['safety_plans', 'safetyPlanVersions'],
      ['goals', 'goals'],
      ['modules_completed', 'modulesCompleted'],
      ['recovery_starts', 'recoveryStarts'],
    ] as const) {
      const result = await trx.deleteFrom(table).where('clinic_id', '=', clinicId).where('client_id', '=', personId).executeTakeFirst();
      count(kind, result.numDeletedRows);
    }

    // The EHR's patient id names the person outright: the link goes (a new launch links afresh).
    const links = await trx.deleteFrom('smart_patient_links').where('clinic_id', '=', clinicId).where('person_id', '=', personId).executeTakeFirst();
    count('ehrLinks', links.numDeletedRows);

    const feeds = await trx.deleteFrom('group_calendar_feeds').where('clinic_id', '=', clinicId).where('person_id', '=', personId).executeTakeFirst();
    count('calendarFeeds', feeds.numDeletedRows);

    // A moderator's reason for removing them from a session is free text about them: it goes (the dated removal stays).
    const removalReasons = await trx
      .updateTable('group_session_removals')
      .set({ reason: null })
      .where('clinic_id', '=', clinicId)
      .where('user_id', '=', personId)
      .where('reason', 'is not', null)
      .executeTakeFirst();
    count('sessionRemovalReasons', removalReasons.numUpdatedRows);
    // A flag's note is written by one person about another: gone when either is erased.
    const flagsMade = await trx.updateTable('danger_flags').set({ note: null }).where('clinic_id', '=', clinicId).where('flagger_id', '=', personId).executeTakeFirst();
    const flagsAbout = await trx
      .updateTable('danger_flags')
      .set({ note: null, flagged_label: REMOVED_ALIAS })
      .where('clinic_id', '=', clinicId)
      .where('flagged_id', '=', personId)
      .executeTakeFirst();
    count('dangerFlags', Number(flagsMade.numUpdatedRows) + Number(flagsAbout.numUpdatedRows));

    const posts = await trx
      .updateTable('group_posts')
      .set({ body: REMOVED_TEXT, author_label: REMOVED_TEXT, hidden_reason: null })
      .where('clinic_id', '=', clinicId)
      .where('author_id', '=', personId)
      .where((eb) => eb.or([eb('body', '!=', REMOVED_TEXT), eb('author_label', '!=', REMOVED_TEXT), eb('hidden_reason', 'is not', null)]))
      .executeTakeFirst();
    count('groupPostBodies', posts.numUpdatedRows);

    const aliases = await trx
      .updateTable('group_members')
      .set({ alias: REMOVED_ALIAS, alias_skeleton: null, display_mode: 'alias' })
      .where('clinic_id', '=', clinicId)
      .where('user_id', '=', personId)
      .executeTakeFirst();
    count('groupAliases', aliases.numUpdatedRows);

    const comments = await trx
      .updateTable('group_feedback')
      .set({ comment: null })
      .where('clinic_id', '=', clinicId)
      .where('user_id', '=', personId)
      .where('comment', 'is not', null)
      .executeTakeFirst();
    count('groupFeedbackComments', comments.numUpdatedRows);

    if (user) {
      count('displayName', user.display_name === null ? 0 : 1);
      count('recoveryStartDate', user.recovery_start_date === null ? 0 : 1);
      await trx
        .updateTable('users')
        .set({ display_name: null, recovery_start_date: null })
        .where('clinic_id', '=', clinicId)
        .where('id', '=', personId)
        .execute();
    }

    // Then the id itself, in every column that names the person (PERSON_TABLES).
    let renamed = 0;
    const tables: [string, PersonColumns][] = Object.entries(PERSON_TABLES);
    for (const [table, columns] of tables) {
      for (const column of columns.person) {
        const result = await trx
          .updateTable(table as 'users')
          .set({ [column]: pseudonym } as Record<string, string>)
          .where('clinic_id', '=', clinicId)
          .where(column as 'id', '=', personId)
          .executeTakeFirst();
        renamed += Number(result.numUpdatedRows);
      }
    }
    // Admin changes name the person in their before/after values (a member added to a group): the
    // same pseudonym replaces the id there, so the audit keeps what changed without who it was.
    const changes = await trx.selectFrom('admin_changes').select(['id', 'before', 'after']).where('clinic_id', '=', clinicId).execute();
    const swap = (value: unknown): unknown =>
      value === personId
        ? pseudonym
        : Array.isArray(value)
          ? value.map(swap)
          : value !== null && typeof value === 'object'
            ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swap(v)]))
            : value;
    for (const change of changes) {
      const before = fromJsonOrNull(change.before);
      const after = fromJsonOrNull(change.after);
      const text = JSON.stringify([before, after]);
      if (!text.includes(JSON.stringify(personId))) continue;
      await trx
        .updateTable('admin_changes')
        .set({ before: before === null ? null : toJson(swap(before)), after: after === null ? null : toJson(swap(after)) })
        .where('clinic_id', '=', clinicId)
        .where('id', '=', change.id)
        .execute();
      renamed += 1;
    }
    count('rowsPseudonymised', renamed);

    await trx
      .insertInto('erased_persons')
      .values({ clinic_id: clinicId, person_hash: personHash(clinicId, personId), erased_at: at, erased_by: operator, removed: toJson(removed) })
      .execute();
    await trx
      .insertInto('audit_log')
      .values({ id: randomUUID(), clinic_id: clinicId, actor_id: operator, actor_role: 'admin', action: 'person.erase', subject_id: pseudonym, at })
      .execute();
    return { clinicId, alreadyErased: false, erasedAt: at, removed };
  });
  // After the commit: the next write of the old id records a new users row (a new person, nothing on record).
  users?.forget(clinicId, personId);
  return result;
}
