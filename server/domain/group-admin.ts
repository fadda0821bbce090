import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import type { Selectable } from 'kysely';
import type {
  AddMemberInput,
  GroupChange,
  MemberChange,
  RemoveMemberInput,
  SetMemberRoleInput,
  UpdateGroupInput,
} from '../contract/index.js';
import { writeAudit } from '../auth/subject.js';
import type { Db } from '../db/index.js';
import { fromJson, toJson } from '../db/json.js';
import type { GroupMembersTable, GroupsTable } from '../db/schema.js';
import { actorLabel, type AdminActor } from './clinic-settings.js';
import { ensureUser } from './users.js';

/**
 * Running a clinic's support groups: a group's details and schedule, its moderators and members,
 * and the video settings as an admin reads them back. Every change is one transaction that also
 * writes an `admin_changes` row (who, what, the values before and after), so it shows in the admin
 * audit next to the clinic's other changes; a change that changes nothing writes nothing.
 *
 * Who may: the clinic's admin, for any group of the clinic; a clinician, for the groups they
 * moderate (members and moderators only, as with `groups.addMember`); the command line, on the
 * server, for the clinic it names. Another clinic's group does not exist for the caller (NOT_FOUND).
 */

type GroupRow = Selectable<GroupsTable>;
type MemberRow = Selectable<GroupMembersTable>;

/** `admin:<id>` / `clinician:<id>` for a token, `cli:<os user>` for the command line. */
export function groupActorLabel(actor: AdminActor): string {
  if (actor.kind === 'admin' && actor.principal.role !== 'admin') return `${actor.principal.role}:${actor.principal.userId}`;
  return actorLabel(actor);
}

/** A refused value, as a 400 whose `fieldErrors` name the field (like a schema refusal). */
export function refuseField(field: string, message: string): TRPCError {
  return new TRPCError({
    code: 'BAD_REQUEST',
    message: `Invalid input: ${field}: ${message}`,
    cause: Object.assign(new Error(message), { issues: [{ path: [field], message }] }),
  });
}

const noSuchGroup = () => new TRPCError({ code: 'NOT_FOUND', message: 'No such group' });

/** The group, if the actor may run it: NOT_FOUND outside the actor's clinic, FORBIDDEN for staff who do not moderate it. */
async function groupFor(trx: Db, actor: AdminActor, clinicId: string, groupId: string, who: 'admin' | 'moderator'): Promise<GroupRow> {
  if (actor.kind === 'admin' && actor.principal.clinicId !== clinicId) throw noSuchGroup();
  const group = await trx.selectFrom('groups').selectAll().where('clinic_id', '=', clinicId).where('id', '=', groupId).executeTakeFirst();
  if (!group) throw noSuchGroup();
  if (actor.kind === 'cli') return group;
  // Staff names are what aliases must not imitate (groups.setAlias): known from the first change staff make here.
  await ensureUser(trx, actor.principal);
  if (actor.principal.role === 'admin') return group;
  if (who === 'admin' || actor.principal.role !== 'clinician') throw new TRPCError({ code: 'FORBIDDEN', message: "Only the clinic's admin can do this" });
  const own = await memberOf(trx, clinicId, groupId, actor.principal.userId);
  if (own?.role !== 'moderator') throw new TRPCError({ code: 'FORBIDDEN', message: 'Only moderators of this group can do this' });
  return group;
}

async function memberOf(trx: Db, clinicId: string, groupId: string, userId: string): Promise<MemberRow | undefined> {
  return trx
    .selectFrom('group_members')
    .selectAll()
    .where('clinic_id', '=', clinicId)
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

async function recordChange(trx: Db, actor: AdminActor, clinicId: string, action: string, before: unknown, after: unknown): Promise<void> {
  await trx
    .insertInto('admin_changes')
    .values({
      id: randomUUID(),
      clinic_id: clinicId,
      actor: groupActorLabel(actor),
      action,
      before: before === null ? null : toJson(before),
      after: after === null ? null : toJson(after),
      at: new Date().toISOString(),
    })
    .execute();
}

const DETAIL_KEYS = ['name', 'description', 'timeZone', 'schedule', 'capacity'] as const;
type DetailKey = (typeof DETAIL_KEYS)[number];

function detailsOf(group: GroupRow): Record<DetailKey, unknown> {
  return {
    name: group.name,
    description: group.description,
    timeZone: group.time_zone,
    schedule: fromJson(group.schedule),
    capacity: group.capacity,
  };
}

/** Changes a group's name, description, time zone, weekly schedule or capacity (admin). */
export async function updateGroup(db: Db, actor: AdminActor, clinicId: string, input: UpdateGroupInput): Promise<GroupChange> {
  const given = DETAIL_KEYS.filter((key) => input[key] !== undefined);
  if (given.length === 0) throw refuseField('changes', 'Give at least one of name, description, timeZone, schedule, capacity to change');
  return db.transaction().execute(async (trx) => {
    const group = await groupFor(trx, actor, clinicId, input.groupId, 'admin');
    const current = detailsOf(group);
    const changed = given.filter((key) => JSON.stringify(current[key]) !== JSON.stringify(input[key]));
    if (changed.length === 0) return { groupId: group.id, changed };
    await trx
      .updateTable('groups')
      .set({
        ...(changed.includes('name') ? { name: input.name! } : {}),
        ...(changed.includes('description') ? { description: input.description! } : {}),
        ...(changed.includes('timeZone') ? { time_zone: input.timeZone! } : {}),
        ...(changed.includes('schedule') ? { schedule: toJson(input.schedule!) } : {}),
        ...(changed.includes('capacity') ? { capacity: input.capacity! } : {}),
      })
      .where('clinic_id', '=', clinicId)
      .where('id', '=', group.id)
      .execute();
    const pick = (source: Record<string, unknown>) => Object.fromEntries(changed.map((key) => [key, source[key]]));
    await recordChange(trx, actor, clinicId, 'group.update', { groupId: group.id, ...pick(current) }, { groupId: group.id, ...pick(input) });
    return { groupId: group.id, changed };
  });
}

/**
 * Adds a person to a group as a member (or moderator); a person already in it takes the role given.
 * Their name stays hidden (display mode `alias`) until they choose otherwise, and they accept the
 * guidelines before they take part.
 */
export async function addGroupMember(db: Db, actor: AdminActor, clinicId: string, input: AddMemberInput): Promise<{ userId: string; role: 'member' | 'moderator' }> {
  const userId = input.userId.trim();
  if (!userId) throw refuseField('userId', 'Give the person id the clinic uses for them');
  const role = input.role ?? 'member';
  return db.transaction().execute(async (trx) => {
    const group = await groupFor(trx, actor, clinicId, input.groupId, 'moderator');
    const existing = await memberOf(trx, clinicId, group.id, userId);
    if (existing?.role === role) return { userId, role };
    if (existing) {
      await trx.updateTable('group_members').set({ role }).where('clinic_id', '=', clinicId).where('group_id', '=', group.id).where('user_id', '=', userId).execute();
      await recordChange(trx, actor, clinicId, 'group.member.role', { groupId: group.id, userId, role: existing.role }, { groupId: group.id, userId, role });
      return { userId, role };
    }
    await trx
      .insertInto('group_members')
      .values({
        clinic_id: clinicId,
        group_id: group.id,
        user_id: userId,
        role,
        display_mode: 'alias',
        alias: null,
        guidelines_version: null,
        guidelines_accepted_at: null,
        added_at: new Date().toISOString(),
      })
      .execute();
    await recordChange(trx, actor, clinicId, 'group.member.add', null, { groupId: group.id, userId, role });
    return { userId, role };
  });
}

/** Makes a member a moderator of the group, or a moderator a member again. */
export async function setMemberRole(db: Db, actor: AdminActor, clinicId: string, input: SetMemberRoleInput): Promise<MemberChange> {
  return db.transaction().execute(async (trx) => {
    const group = await groupFor(trx, actor, clinicId, input.groupId, 'moderator');
    const member = await memberOf(trx, clinicId, group.id, input.userId);
    if (!member) throw refuseField('userId', 'Is not a member of this group');
    if (member.role === input.role) return { groupId: group.id, userId: input.userId, role: input.role };
    await trx
      .updateTable('group_members')
      .set({ role: input.role })
      .where('clinic_id', '=', clinicId)
      .where('group_id', '=', group.id)
      .where('user_id', '=', input.userId)
      .execute();
    await recordChange(trx, actor, clinicId, 'group.member.role', { groupId: group.id, userId: input.userId, role: member.role }, { groupId: group.id, userId: input.userId, role: input.role });
    return { groupId: group.id, userId: input.userId, role: input.role };
  });
}

/** Takes a person out of a group. Their posts stay on the board under the label they were posted with. */
export async function removeMember(db: Db, actor: AdminActor, clinicId: string, input: RemoveMemberInput): Promise<MemberChange> {
  return db.transaction().execute(async (trx) => {
    const group = await groupFor(trx, actor, clinicId, input.groupId, 'moderator');
    const member = await memberOf(trx, clinicId, group.id, input.userId);
    if (!member) throw refuseField('userId', 'Is not a member of this group');
    await trx.deleteFrom('group_members').where('clinic_id', '=', clinicId).where('group_id', '=', group.id).where('user_id', '=', input.userId).execute();
    await recordChange(trx, actor, clinicId, 'group.member.remove', { groupId: group.id, userId: input.userId, role: member.role }, null);
    return { groupId: group.id, userId: input.userId, role: null };
  });
}

/**
 * A new version of a group's guidelines (`groups.setGuidelines` and `care group guidelines`): every member accepts it again before taking part. Written only if the
 * version is still the one read, so two publications at once cannot share a version number.
 */
export async function publishGuidelines(db: Db, actor: AdminActor, clinicId: string, groupId: string, guidelines: Record<string, string>): Promise<{ groupId: string; version: number }> {
  const texts = Object.entries(guidelines);
  if (texts.length === 0) throw refuseField('guidelines', 'Give the guidelines in at least one language');
  for (const [language, text] of texts) {
    if (!/^[a-z]{2,3}$/.test(language)) throw refuseField('guidelines', `${JSON.stringify(language)} is not a language code such as en or es`);
    if (typeof text !== 'string' || !text.trim() || text.length > 10_000) throw refuseField('guidelines', `The ${language} text must be 1 to 10000 characters`);
  }
  return db.transaction().execute(async (trx) => {
    const group = await groupFor(trx, actor, clinicId, groupId, 'moderator');
    const version = group.guidelines_version + 1;
    const written = await trx
      .updateTable('groups')
      .set({ guidelines: toJson(guidelines), guidelines_version: version })
      .where('clinic_id', '=', clinicId)
      .where('id', '=', group.id)
      .where('guidelines_version', '=', group.guidelines_version)
      .executeTakeFirst();
    if (Number(written.numUpdatedRows) === 0) throw new TRPCError({ code: 'CONFLICT', message: 'The guidelines were changed by someone else just now' });
    await recordChange(trx, actor, clinicId, 'group.guidelines', { groupId: group.id, version: group.guidelines_version }, { groupId: group.id, version, languages: Object.keys(guidelines) });
    return { groupId: group.id, version };
  });
}

/** A group's people as the command line lists them; like `groups.members`, an audited read of each member (actor `cli:<os user>`). */
export async function membersOf(db: Db, actor: AdminActor, clinicId: string, groupId: string) {
  const group = await groupFor(db, actor, clinicId, groupId, 'admin');
  const rows = await db
    .selectFrom('group_members')
    .select(['user_id', 'role', 'alias', 'display_mode', 'guidelines_version', 'added_at'])
    .where('clinic_id', '=', clinicId)
    .where('group_id', '=', group.id)
    .orderBy('role', 'desc')
    .orderBy('added_at')
    .execute();
  const reader = actor.kind === 'cli' ? { clinicId, userId: groupActorLabel(actor), role: 'admin' as const, name: null } : actor.principal;
  await writeAudit(db, reader, 'groups.members', rows.filter((r) => r.role === 'member').map((r) => r.user_id));
  return {
    groupId: group.id,
    guidelinesVersion: group.guidelines_version,
    members: rows.map((r) => ({ userId: r.user_id, role: r.role, alias: r.alias, displayMode: r.display_mode, guidelinesAcceptedVersion: r.guidelines_version, addedAt: r.added_at })),
  };
}
