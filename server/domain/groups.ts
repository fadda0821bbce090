import { randomBytes, randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import type { Selectable } from 'kysely';
import {
  POSTS_PER_MINUTE,
  type AcceptGuidelinesInput,
  type AttendanceInput,
  type BoardPage,
  type BoardPost,
  type CreateGroupInput,
  type FeedbackInput,
  type GroupMemberRecord,
  type GroupSummary,
  type GroupTopic,
  type HidePostInput,
  type JoinResult,
  type ListMessagesInput,
  type MyMembership,
  type PostMessageInput,
  type ReportPostInput,
  type SetAliasInput,
} from '../contract/groups.js';
import { auditedRead } from '../auth/subject.js';
import { isStaff, type Principal } from '../auth/principal.js';
import { isUniqueViolation, type Db } from '../db/index.js';
import { toJson } from '../db/json.js';
import { groupFromRow, type GroupRecord } from '../db/rows.js';
import type { GroupMembersTable, GroupPostsTable, GroupsTable } from '../db/schema.js';
import { publishPostChange } from '../live/bus.js';
import type { Services } from '../services.js';
import { recordChange, type AdminActor } from './clinic-settings.js';
import { looksLikeName, nameSkeleton } from './confusable-names.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { openSession, opensAt, sessionsFrom } from './group-schedule.js';
import { ensureUser, lockUser, recordUser } from './users.js';
import { resolveForGroups, type ResolvedVideo } from '../video/providers.js';
import { mintRoomTicket, pseudonym, pseudonymKey } from '../video/tokens.js';

/** What group functions use besides the database: the known-users memory and, for board changes, the live bus. */
export type GroupServices = Pick<Services, 'db' | 'users' | 'bus'>;

type GroupRow = GroupRecord;
type MemberRow = Selectable<GroupMembersTable>;
type PostRow = Selectable<GroupPostsTable>;

const GENERIC_LABEL = 'Group member';
const MODERATOR_LABEL = 'Moderator';

const notFound = (message = 'No such group') => new TRPCError({ code: 'NOT_FOUND', message });
const forbidden = (message: string) => new TRPCError({ code: 'FORBIDDEN', message });
const badField = (field: string, message: string) =>
  new TRPCError({ code: 'BAD_REQUEST', message: `Invalid input: ${field}: ${message}` });

interface Access {
  group: GroupRow;
  member: MemberRow | null;
  /** Moderates this group (a moderator member, or the clinic's admin). */
  moderator: boolean;
}

async function findGroup(db: Db, clinicId: string, groupId: string): Promise<GroupRow | undefined> {
  const row = await db.selectFrom('groups').selectAll().where('clinic_id', '=', clinicId).where('id', '=', groupId).executeTakeFirst();
  return row && groupFromRow(row);
}

async function findMember(db: Db, clinicId: string, groupId: string, userId: string): Promise<MemberRow | null> {
  return (
    (await db
      .selectFrom('group_members')
      .selectAll()
      .where('clinic_id', '=', clinicId)
      .where('group_id', '=', groupId)
      .where('user_id', '=', userId)
      .executeTakeFirst()) ?? null
  );
}

/**
 * Who may do what in a group. Another clinic's group, or a group a client does not belong to, does
 * not exist for the caller (NOT_FOUND); staff see their clinic's groups but act only where they moderate.
 */
export async function accessTo(services: Pick<Services, 'db' | 'users'>, principal: Principal, groupId: string): Promise<Access> {
  const { db, users } = services;
  const group = await findGroup(db, principal.clinicId, groupId);
  if (!group) throw notFound();
  const member = await findMember(db, principal.clinicId, groupId, principal.userId);
  if (!member && !isStaff(principal)) throw notFound();
  // Staff names are what aliases must not imitate (setAlias): know them from the first thing staff do here.
  if (isStaff(principal)) await recordUser(db, users, principal);
  const moderator = member?.role === 'moderator' || principal.role === 'admin';
  return { group, member, moderator };
}

/** A member (or moderator) who may take part: in the group and, for members, bound by the current guidelines. */
export async function participant(services: Pick<Services, 'db' | 'users'>, principal: Principal, groupId: string): Promise<Access> {
  const access = await accessTo(services, principal, groupId);
  if (!access.member && !access.moderator) throw forbidden('Only members and moderators of this group can take part');
  if (!access.moderator && access.member?.guidelines_version !== access.group.guidelines_version) {
    throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'Please read and accept the group guidelines first' });
  }
  return access;
}

async function moderatorOf(services: Pick<Services, 'db' | 'users'>, principal: Principal, groupId: string): Promise<Access> {
  const access = await accessTo(services, principal, groupId);
  if (!access.moderator) throw forbidden('Only moderators of this group can do this');
  return access;
}

async function knownName(db: Db, principal: Principal): Promise<string | null> {
  if (principal.name) return principal.name;
  const row = await db
    .selectFrom('users')
    .select('display_name')
    .where('clinic_id', '=', principal.clinicId)
    .where('id', '=', principal.userId)
    .executeTakeFirst();
  return row?.display_name ?? null;
}

/**
 * What everyone else sees: the person's name only when they chose to show it (display mode 'name',
 * which only they can set), otherwise their alias or a label that says nothing about who they are.
 */
export function labelFor(member: Pick<MemberRow, 'role' | 'display_mode' | 'alias'> | null, name: string | null): string {
  if (member?.display_mode === 'name' && name) return name;
  if (member?.alias) return member.alias;
  return member?.role === 'moderator' ? MODERATOR_LABEL : GENERIC_LABEL;
}

function toMembership(member: MemberRow, name: string | null): MyMembership {
  return {
    role: member.role,
    displayMode: member.display_mode,
    alias: member.alias,
    displayName: labelFor(member, name),
    guidelinesAcceptedVersion: member.guidelines_version,
    guidelinesAcceptedAt: member.guidelines_accepted_at,
  };
}

type ModeratorRow = Pick<MemberRow, 'group_id' | 'role' | 'alias' | 'display_mode'> & { display_name: string | null };

/** The moderators of each of the groups, in the order they were added, with the names they may be shown by. */
async function moderatorsOf(db: Db, clinicId: string, groupIds: string[]): Promise<Map<string, ModeratorRow[]>> {
  const byGroup = new Map<string, ModeratorRow[]>();
  if (groupIds.length === 0) return byGroup;
  const rows = await db
    .selectFrom('group_members')
    .leftJoin('users', (join) =>
      join.onRef('users.clinic_id', '=', 'group_members.clinic_id').onRef('users.id', '=', 'group_members.user_id'),
    )
    .select(['group_members.group_id', 'users.display_name', 'group_members.role', 'group_members.alias', 'group_members.display_mode'])
    .where('group_members.clinic_id', '=', clinicId)
    .where('group_members.group_id', 'in', groupIds)
    .where('group_members.role', '=', 'moderator')
    .orderBy('group_members.added_at')
    .execute();
  for (const row of rows) byGroup.set(row.group_id, [...(byGroup.get(row.group_id) ?? []), row]);
  return byGroup;
}

/** The caller's own membership in each of the groups they belong to. */
async function membershipsOf(db: Db, clinicId: string, userId: string, groupIds: string[]): Promise<Map<string, MemberRow>> {
  if (groupIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('group_members')
    .selectAll()
    .where('clinic_id', '=', clinicId)
    .where('user_id', '=', userId)
    .where('group_id', 'in', groupIds)
    .execute();
  return new Map(rows.map((row) => [row.group_id, row]));
}

function summarize(
  principal: Principal,
  group: GroupRow,
  member: MemberRow | null,
  moderators: ModeratorRow[],
  video: ResolvedVideo,
  name: string | null,
): GroupSummary {
  const now = Date.now();
  const { schedule } = group;
  const upcoming = sessionsFrom(schedule, group.time_zone, now, 8).slice(0, 4);
  const open = openSession(schedule, group.time_zone, now);
  const notices: GroupSummary['notices'] = [];
  if (isStaff(principal)) {
    if (video.mode === 'public') notices.push('public-domain');
    if (video.mode === 'open') notices.push('no-room-token');
    if (video.provider === 'none') notices.push(video.reason === 'public-not-allowed' ? 'public-not-allowed' : 'no-video');
  }
  return {
    id: group.id,
    name: group.name,
    topic: group.topic as GroupTopic,
    description: group.description,
    language: group.language,
    timeZone: group.time_zone,
    schedule,
    capacity: group.capacity,
    moderators: moderators.map((m) => ({ name: labelFor(m, m.display_name) })),
    guidelines: group.guidelines,
    guidelinesVersion: group.guidelines_version,
    nextSession: open ?? upcoming[0] ?? null,
    upcoming,
    roomOpen: open !== null,
    dialIn: group.dialIn ?? video.dialIn,
    video: { provider: video.provider, domain: video.domain, mode: video.mode, captions: video.captions, publicTestRoom: video.publicTestRoom },
    membership: member ? toMembership(member, name) : null,
    notices,
  };
}

/**
 * Clients see the groups they belong to; staff see every group of their clinic. `demo`: the server
 * runs in demo mode (the clinic-wide public-demo provider may be used).
 */
export async function listGroups(db: Db, principal: Principal, groupId?: string, demo = false): Promise<GroupSummary[]> {
  let q = db.selectFrom('groups').selectAll('groups').where('groups.clinic_id', '=', principal.clinicId);
  if (groupId) q = q.where('groups.id', '=', groupId);
  if (!isStaff(principal)) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('group_members')
          .select('group_members.user_id')
          .whereRef('group_members.clinic_id', '=', 'groups.clinic_id')
          .whereRef('group_members.group_id', '=', 'groups.id')
          .where('group_members.user_id', '=', principal.userId),
      ),
    );
  }
  const groups = (await q.orderBy('groups.name').orderBy('groups.id').execute()).map(groupFromRow);
  const name = await knownName(db, principal);
  const ids = groups.map((g) => g.id);
  const videos = await resolveForGroups(db, principal.clinicId, ids, demo);
  const members = await membershipsOf(db, principal.clinicId, principal.userId, ids);
  const moderators = await moderatorsOf(db, principal.clinicId, ids);
  return groups.map((group) => summarize(principal, group, members.get(group.id) ?? null, moderators.get(group.id) ?? [], videos.get(group.id)!, name));
}

/** A new group, audited as an admin change (`actor`: the command line passes its own). */
export async function createGroup(db: Db, admin: Principal, input: CreateGroupInput, demo = false, actor: AdminActor = { kind: 'admin', principal: admin }): Promise<GroupSummary> {
  const now = new Date().toISOString();
  const group: Selectable<GroupsTable> = {
    id: randomUUID(),
    clinic_id: admin.clinicId,
    name: input.name,
    topic: input.topic,
    description: input.description,
    language: input.language,
    time_zone: input.timeZone,
    schedule: toJson(input.schedule),
    capacity: input.capacity,
    guidelines: toJson(input.guidelines),
    guidelines_version: 1,
    room_slug: `care-${randomBytes(12).toString('hex')}`,
    dial_in: input.dialIn ? toJson(input.dialIn) : null,
    created_at: now,
  };
  if (Object.keys(input.guidelines).length === 0) throw badField('guidelines', 'Give the guidelines in at least one language');
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('groups').values(group).execute();
    const moderators = [...new Set(input.moderatorIds ?? [])];
    if (moderators.length > 0) {
      await trx
        .insertInto('group_members')
        .values(
          moderators.map((userId) => ({
            clinic_id: admin.clinicId,
            group_id: group.id,
            user_id: userId,
            role: 'moderator' as const,
            // Until they choose otherwise (groups.setAlias), nobody's name is shown.
            display_mode: 'alias' as const,
            alias: null,
            guidelines_version: null,
            guidelines_accepted_at: null,
            added_at: now,
          })),
        )
        .execute();
    }
    await recordChange(trx, actor, admin.clinicId, 'group.create', null, {
      groupId: group.id,
      name: input.name,
      topic: input.topic,
      language: input.language,
      timeZone: input.timeZone,
      schedule: input.schedule,
      capacity: input.capacity,
      guidelinesLanguages: Object.keys(input.guidelines),
      moderatorIds: moderators,
      dialIn: input.dialIn ?? null,
    });
  });
  const [summary] = await listGroups(db, admin, group.id, demo);
  return summary!;
}

/**
 * New wording is a new version: every member accepts it again before the next session or post.
 * The write names the version it replaces, so of two edits made at once exactly one takes the next
 * version; the other is refused with CONFLICT rather than sharing that version with different
 * words or silently replacing an edit its author never saw.
 */
export async function acceptGuidelines(services: GroupServices, principal: Principal, input: AcceptGuidelinesInput): Promise<MyMembership> {
  const { db } = services;
  const { group, member } = await accessTo(services, principal, input.groupId);
  if (!member) throw forbidden('Only members of this group accept its guidelines');
  if (input.version !== group.guidelines_version) {
    throw badField('version', `The guidelines have changed (now version ${group.guidelines_version}); please read them again`);
  }
  await ensureUser(db, principal);
  const at = new Date().toISOString();
  await db
    .updateTable('group_members')
    .set({ guidelines_version: input.version, guidelines_accepted_at: at })
    .where('clinic_id', '=', principal.clinicId)
    .where('group_id', '=', group.id)
    .where('user_id', '=', principal.userId)
    .execute();
  return toMembership({ ...member, guidelines_version: input.version, guidelines_accepted_at: at }, await knownName(db, principal));
}

export async function setAlias(services: GroupServices, principal: Principal, input: SetAliasInput): Promise<MyMembership> {
  const { db } = services;
  const { group, member } = await accessTo(services, principal, input.groupId);
  if (!member) throw forbidden('Only members of this group choose how they appear in it');
  if (input.mode === 'alias' && !input.alias) throw badField('alias', 'Choose a name to use in this group');
  const alias = input.mode === 'alias' ? input.alias!.replace(/\s+/g, ' ') : member.alias;
  if (input.mode === 'alias') await refuseImpersonation(db, principal, group.id, alias!);
  await ensureUser(db, principal);
  // Showing one's name keeps the alias (and its claim on the look) for later.
  const change = input.mode === 'alias' ? { display_mode: input.mode, alias, alias_skeleton: nameSkeleton(alias!) } : { display_mode: input.mode };
  try {
    await db
      .updateTable('group_members')
      .set(change)
      .where('clinic_id', '=', principal.clinicId)
      .where('group_id', '=', group.id)
      .where('user_id', '=', principal.userId)
      .execute();
  } catch (error) {
    // The unique index on the alias skeleton decides, so two people choosing at once cannot both win.
    if (isUniqueViolation(error)) throw new TRPCError({ code: 'CONFLICT', message: 'Someone in this group already uses that name, or one that looks the same' });
    throw error;
  }
  return toMembership({ ...member, display_mode: input.mode, alias }, await knownName(db, principal));
}

/** An alias may not pass for staff of the group (by name, with or without "Dr."), nor for the labels the group itself shows. */
async function refuseImpersonation(db: Db, principal: Principal, groupId: string, alias: string): Promise<void> {
  if ([MODERATOR_LABEL, GENERIC_LABEL].some((label) => looksLikeName(alias, label))) {
    throw new TRPCError({ code: 'CONFLICT', message: 'That name is how moderators or members without an alias appear; please choose another' });
  }
  const staff = await db
    .selectFrom('group_members')
    .innerJoin('users', (join) => join.onRef('users.clinic_id', '=', 'group_members.clinic_id').onRef('users.id', '=', 'group_members.user_id'))
    .select('users.display_name')
    .where('group_members.clinic_id', '=', principal.clinicId)
    .where('group_members.group_id', '=', groupId)
    .where('group_members.user_id', '!=', principal.userId)
    .where((eb) => eb.or([eb('group_members.role', '=', 'moderator'), eb('users.role', 'in', ['clinician', 'admin'])]))
    .execute();
  if (staff.some((s) => s.display_name && looksLikeName(alias, s.display_name))) {
    throw new TRPCError({ code: 'CONFLICT', message: 'That name is, or looks like, the name of staff in this group; please choose another' });
  }
}

async function liveCount(db: Db, clinicId: string, groupId: string, since: string, except: string): Promise<number> {
  const rows = await db
    .selectFrom('sessions_attended')
    .select('client_id')
    .distinct()
    .where('clinic_id', '=', clinicId)
    .where('kind', '=', 'group')
    .where('source_id', '=', groupId)
    .where('left_at', 'is', null)
    .where('joined_at', '>=', since)
    .where('client_id', '!=', except)
    .execute();
  return rows.length;
}

/**
 * The room ticket for the open session, from the group's video provider (server/video/): a token per
 * that provider's claims (self-hosted HS256, JaaS RS256), limited to the session window. A group with
 * no video room (no provider, or public-demo where it is not allowed) is refused: its members use the
 * board and the dial-in.
 */
export async function joinGroup(services: GroupServices, principal: Principal, groupId: string, demo = false): Promise<JoinResult> {
  const { db } = services;
  const { group, member, moderator } = await participant(services, principal, groupId);
  const now = Date.now();
  const session = openSession(group.schedule, group.time_zone, now);
  if (!session) {
    throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'The room is closed: it opens a few minutes before each session' });
  }
  const video = (await resolveForGroups(db, principal.clinicId, [group.id], demo)).get(group.id)!;
  if (video.provider === 'none') {
    throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'This group has no video room: use the group board or the dial-in number' });
  }
  if (!moderator && (await liveCount(db, principal.clinicId, group.id, new Date(opensAt(session)).toISOString(), principal.userId)) >= group.capacity) {
    throw new TRPCError({ code: 'CONFLICT', message: 'The room is full right now' });
  }
  const displayName = labelFor(member, await knownName(db, principal));
  const ticket = await mintRoomTicket(
    video,
    group.room_slug,
    { id: pseudonym(pseudonymKey(video.row, principal.clinicId), principal.clinicId, group.id, principal.userId), name: displayName, moderator },
    { iat: Math.floor(now / 1000), nbf: Math.floor(opensAt(session) / 1000), exp: Math.floor(Date.parse(session.end) / 1000) },
  );
  return {
    provider: video.provider,
    domain: ticket.domain,
    roomName: ticket.roomName,
    jwt: ticket.jwt,
    captions: video.captions,
    publicTestRoom: video.publicTestRoom,
    displayName,
    moderator,
    session,
  };
}

export async function recordAttendance(services: GroupServices, principal: Principal, input: AttendanceInput): Promise<{ attendanceId: string | null }> {
  const { db } = services;
  const { group } = await participant(services, principal, input.groupId);
  // Only people in care accrue sessions attended; moderators running the room do not.
  if (principal.role !== 'client') return { attendanceId: null };
  const now = new Date();
  if (input.event === 'left') {
    if (!input.attendanceId) throw badField('attendanceId', 'Required when leaving');
    const result = await db
      .updateTable('sessions_attended')
      .set({ left_at: now.toISOString() })
      .where('clinic_id', '=', principal.clinicId)
      .where('client_id', '=', principal.userId)
      .where('id', '=', input.attendanceId)
      .where('source_id', '=', group.id)
      .where('left_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      const exists = await db
        .selectFrom('sessions_attended')
        .select('id')
        .where('clinic_id', '=', principal.clinicId)
        .where('client_id', '=', principal.userId)
        .where('id', '=', input.attendanceId)
        .executeTakeFirst();
      if (!exists) throw notFound('No such attendance');
    }
    return { attendanceId: input.attendanceId };
  }
  const session = openSession(group.schedule, group.time_zone, now.getTime());
  if (!session) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'The room is closed' });
  // Rejoining after a dropped connection continues the same attendance.
  const open = await db
    .selectFrom('sessions_attended')
    .select('id')
    .where('clinic_id', '=', principal.clinicId)
    .where('client_id', '=', principal.userId)
    .where('kind', '=', 'group')
    .where('source_id', '=', group.id)
    .where('left_at', 'is', null)
    .where('joined_at', '>=', new Date(opensAt(session)).toISOString())
    .executeTakeFirst();
  if (open) return { attendanceId: open.id };
  await ensureUser(db, principal);
  const id = randomUUID();
  await db
    .insertInto('sessions_attended')
    .values({ id, clinic_id: principal.clinicId, client_id: principal.userId, kind: 'group', source_id: group.id, joined_at: now.toISOString(), left_at: null })
    .execute();
  return { attendanceId: id };
}

export async function listMembers(services: GroupServices, principal: Principal, groupId: string): Promise<GroupMemberRecord[]> {
  const { db } = services;
  await moderatorOf(services, principal, groupId);
  // Who is behind each alias is a read of clients' data: audited, one row per client.
  const rows = await auditedRead(
    db,
    principal,
    { action: 'groups.members' },
    () =>
      db
        .selectFrom('group_members')
        .leftJoin('users', (join) => join.onRef('users.clinic_id', '=', 'group_members.clinic_id').onRef('users.id', '=', 'group_members.user_id'))
        .selectAll('group_members')
        .select(['users.display_name', 'users.role as user_role'])
        .where('group_members.clinic_id', '=', principal.clinicId)
        .where('group_members.group_id', '=', groupId)
        .orderBy('group_members.role', 'desc')
        .orderBy('group_members.added_at')
        .execute(),
    (members) => members.filter((r) => r.role === 'member').map((r) => r.user_id),
  );
  return rows.map((r) => ({
    userId: r.user_id,
    name: r.display_name,
    role: r.role,
    displayMode: r.display_mode,
    alias: r.alias,
    guidelinesAcceptedVersion: r.guidelines_version,
    guidelinesAcceptedAt: r.guidelines_accepted_at,
  }));
}

function toPost(row: PostRow, principal: Principal, moderator: boolean, reports: Map<string, number>): BoardPost {
  return {
    id: row.id,
    parentId: row.parent_id,
    authorLabel: row.author_label,
    byModerator: row.author_is_moderator === 1,
    mine: row.author_id === principal.userId,
    body: row.body,
    createdAt: row.created_at,
    hidden: row.hidden_at ? { at: row.hidden_at, reason: moderator ? (row.hidden_reason ?? '') : '' } : null,
    reportCount: moderator ? (reports.get(row.id) ?? 0) : 0,
  };
}

/** Newest threads first, each with its replies oldest first. Members never receive hidden posts. */
export async function listMessages(services: GroupServices, principal: Principal, input: ListMessagesInput): Promise<BoardPage> {
  const { db } = services;
  const { group, moderator } = await participant(services, principal, input.groupId);
  const limit = input.limit ?? 20;
  let q = db
    .selectFrom('group_posts')
    .selectAll()
    .where('clinic_id', '=', principal.clinicId)
    .where('group_id', '=', group.id)
    .where('parent_id', 'is', null);
  if (!moderator) q = q.where('hidden_at', 'is', null);
  if (input.cursor) {
    const { at, id } = decodeCursor(input.cursor);
    q = q.where((eb) => eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]));
  }
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  const threads = rows.slice(0, limit);
  const ids = threads.map((t) => t.id);
  let replies: PostRow[] = [];
  if (ids.length > 0) {
    let rq = db
      .selectFrom('group_posts')
      .selectAll()
      .where('clinic_id', '=', principal.clinicId)
      .where('group_id', '=', group.id)
      .where('parent_id', 'in', ids);
    if (!moderator) rq = rq.where('hidden_at', 'is', null);
    replies = await rq.orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
  }
  const reports = new Map<string, number>();
  if (moderator && ids.length > 0) {
    const counted = await db
      .selectFrom('group_post_reports')
      .select(['post_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('clinic_id', '=', principal.clinicId)
      .where('post_id', 'in', [...ids, ...replies.map((r) => r.id)])
      .groupBy('post_id')
      .execute();
    for (const c of counted) reports.set(c.post_id, Number(c.n));
  }
  const last = rows.length > limit ? threads[threads.length - 1] : undefined;
  return {
    threads: threads.map((t) => ({
      ...toPost(t, principal, moderator, reports),
      replies: replies.filter((r) => r.parent_id === t.id).map((r) => toPost(r, principal, moderator, reports)),
    })),
    nextCursor: last ? encodeCursor(last.created_at, last.id) : null,
  };
}

async function findPost(db: Db, clinicId: string, postId: string): Promise<PostRow | undefined> {
  return db.selectFrom('group_posts').selectAll().where('clinic_id', '=', clinicId).where('id', '=', postId).executeTakeFirst();
}

export async function postMessage(services: GroupServices, principal: Principal, input: PostMessageInput): Promise<BoardPost> {
  const { db, bus } = services;
  const { group, member, moderator } = await participant(services, principal, input.groupId);
  const authorLabel = labelFor(member, await knownName(db, principal));
  // Count and insert under one lock on the author, or concurrent posts all pass the count.
  const row = await db.transaction().execute(async (trx) => {
    await ensureUser(trx, principal);
    await lockUser(trx, principal);
    const now = new Date();
    await refuseOverPostLimit(trx, principal, group.id, now);
    let parentId: string | null = null;
    if (input.parentId) {
      const parent = await findPost(trx, principal.clinicId, input.parentId);
      if (!parent || parent.group_id !== group.id || (parent.hidden_at && !moderator)) throw notFound('No such post');
      // Replies stay one level deep: a reply to a reply joins the same thread.
      parentId = parent.parent_id ?? parent.id;
    }
    const row: PostRow = {
      id: randomUUID(),
      clinic_id: principal.clinicId,
      group_id: group.id,
      parent_id: parentId,
      author_id: principal.userId,
      author_label: authorLabel,
      author_is_moderator: moderator ? 1 : 0,
      body: input.body,
      created_at: now.toISOString(),
      hidden_at: null,
      hidden_by: null,
      hidden_reason: null,
    };
    await trx.insertInto('group_posts').values(row).execute();
    return row;
  });
  publishPostChange(bus, principal.clinicId, group.id, row.id, 'posted');
  return toPost(row, principal, moderator, new Map());
}

async function refuseOverPostLimit(trx: Db, principal: Principal, groupId: string, now: Date): Promise<void> {
  const recent = await trx
    .selectFrom('group_posts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('clinic_id', '=', principal.clinicId)
    .where('group_id', '=', groupId)
    .where('author_id', '=', principal.userId)
    .where('created_at', '>', new Date(now.getTime() - 60_000).toISOString())
    .executeTakeFirstOrThrow();
  if (Number(recent.n) >= POSTS_PER_MINUTE) {
    throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `You can post ${POSTS_PER_MINUTE} messages a minute; please wait a moment` });
  }
}

export async function reportPost(services: GroupServices, principal: Principal, input: ReportPostInput): Promise<{ reported: true }> {
  const { db } = services;
  const post = await findPost(db, principal.clinicId, input.postId);
  if (!post) throw notFound('No such post');
  const { moderator } = await participant(services, principal, post.group_id).catch((error: unknown) => {
    throw error instanceof TRPCError && error.code === 'NOT_FOUND' ? notFound('No such post') : error;
  });
  if (post.hidden_at && !moderator) throw notFound('No such post');
  await db
    .insertInto('group_post_reports')
    .values({ id: randomUUID(), clinic_id: principal.clinicId, post_id: post.id, reporter_id: principal.userId, reason: input.reason, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.columns(['clinic_id', 'post_id', 'reporter_id']).doNothing())
    .execute();
  return { reported: true };
}

/** Hiding keeps the post and who hid it, when and why; the first hide stands. */
export async function hidePost(services: GroupServices, principal: Principal, input: HidePostInput): Promise<BoardPost> {
  const { db, bus } = services;
  const post = await findPost(db, principal.clinicId, input.postId);
  if (!post) throw notFound('No such post');
  await moderatorOf(services, principal, post.group_id).catch((error: unknown) => {
    throw error instanceof TRPCError && error.code === 'NOT_FOUND' ? notFound('No such post') : error;
  });
  const hidden = await db
    .updateTable('group_posts')
    .set({ hidden_at: new Date().toISOString(), hidden_by: principal.userId, hidden_reason: input.reason })
    .where('clinic_id', '=', principal.clinicId)
    .where('id', '=', post.id)
    .where('hidden_at', 'is', null)
    .executeTakeFirst();
  if (Number(hidden.numUpdatedRows) > 0) publishPostChange(bus, principal.clinicId, post.group_id, post.id, 'hidden');
  // The moderator is shown the author's post: audited as a read of the author's data.
  const updated = await auditedRead(
    db,
    principal,
    { action: 'groups.hide' },
    async () => (await findPost(db, principal.clinicId, post.id))!,
    (shown) => [shown.author_id],
  );
  return toPost(updated, principal, true, new Map());
}

export async function saveFeedback(services: GroupServices, principal: Principal, input: FeedbackInput): Promise<{ saved: true }> {
  const { db } = services;
  const { group, member } = await accessTo(services, principal, input.groupId);
  if (!member) throw forbidden('Only people in this group give feedback on its sessions');
  const sessionStart = new Date(input.sessionStart).toISOString();
  const at = Date.parse(sessionStart);
  if (at > Date.now() + 15 * 60_000) throw badField('sessionStart', 'The session has not started yet');
  if (at < Date.now() - 14 * 86_400_000) throw badField('sessionStart', 'Is more than 14 days ago');
  const comment = input.comment ? input.comment : null;
  await ensureUser(db, principal);
  await db
    .insertInto('group_feedback')
    .values({
      id: randomUUID(),
      clinic_id: principal.clinicId,
      group_id: group.id,
      user_id: principal.userId,
      session_start: sessionStart,
      rating: input.rating,
      comment,
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.columns(['clinic_id', 'group_id', 'user_id', 'session_start']).doUpdateSet({ rating: input.rating, comment }))
    .execute();
  return { saved: true };
}
