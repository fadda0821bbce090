import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import {
  type RemoveFromSessionInput,
  type RoomParticipants,
  type SessionRemoval,
} from '../contract/index.js';
import type { Principal } from '../auth/principal.js';
import { toJson } from '../db/json.js';
import { resolveForGroups } from '../video/providers.js';
import { pseudonym, pseudonymKey } from '../video/tokens.js';
import { groupActorLabel, refuseField } from './group-admin.js';
import { openSession } from './group-schedule.js';
import { accessTo, labelFor, type GroupServices } from './groups.js';

/**
 * Moderating a group's live room (issue 19, item 2). The lobby itself is Jitsi's: the moderator's
 * widget turns it on and answers knocks with the IFrame API, no server involved. What needs the
 * server is removing someone for the rest of a session:
 * - `groups.roomParticipants` gives a moderator each member's pseudonymous room id (the
 *   `context.user.id` of their room token) and the name the room shows, so the widget can tell who
 *   a participant in Jitsi is (Jitsi's own participant ids are endpoint ids, not ours);
 * - `groups.removeFromSession` stores the removal for the open session and writes an
 *   `admin_changes` row (actor, group, person, session, reason), as other moderator changes do;
 * - `groups.join` then refuses that person (FORBIDDEN, see session-removals.ts) until
 *   the session ends; the next session they join as before.
 * Only the group's moderators (moderator members, the clinic's admin) may; another clinic's group
 * does not exist for the caller (NOT_FOUND).
 */

async function moderating(services: GroupServices, principal: Principal, groupId: string) {
  const access = await accessTo(services, principal, groupId);
  if (!access.moderator) throw new TRPCError({ code: 'FORBIDDEN', message: 'Only moderators of this group can do this' });
  return access;
}

/** Each member of the group (not moderators) with their pseudonymous room id, as the room knows them. */
async function membersInRoom(services: GroupServices, principal: Principal, groupId: string, demo: boolean) {
  const { db } = services;
  const video = (await resolveForGroups(db, principal.clinicId, [groupId], demo)).get(groupId)!;
  const key = pseudonymKey(video.provider === 'none' ? null : video.row, principal.clinicId);
  const rows = await db
    .selectFrom('group_members')
    .leftJoin('users', (j) => j.onRef('users.clinic_id', '=', 'group_members.clinic_id').onRef('users.id', '=', 'group_members.user_id'))
    .select(['group_members.user_id', 'group_members.role', 'group_members.alias', 'group_members.display_mode', 'users.display_name'])
    .where('group_members.clinic_id', '=', principal.clinicId)
    .where('group_members.group_id', '=', groupId)
    .where('group_members.role', '=', 'member')
    .orderBy('group_members.added_at')
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    participantId: pseudonym(key, principal.clinicId, groupId, r.user_id),
    name: labelFor(r, r.display_name ?? null),
  }));
}

/** `groups.roomParticipants`: for the group's moderators, who is who in the live room (pseudonymous ids and room names). */
export async function roomParticipants(services: GroupServices, principal: Principal, groupId: string, demo = false): Promise<RoomParticipants> {
  const { group } = await moderating(services, principal, groupId);
  const members = await membersInRoom(services, principal, group.id, demo);
  return { participants: members.map(({ participantId, name }) => ({ participantId, name })) };
}

/** `groups.removeFromSession`: the person is refused a room token until the open session ends; audited. */
export async function removeFromSession(services: GroupServices, principal: Principal, input: RemoveFromSessionInput, demo = false): Promise<SessionRemoval> {
  const { db } = services;
  const { group } = await moderating(services, principal, input.groupId);
  const session = openSession(group.schedule, group.time_zone, Date.now());
  if (!session) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'No session of this group is open: there is no one to remove' });
  const target = (await membersInRoom(services, principal, group.id, demo)).find((m) => m.participantId === input.participantId);
  if (!target) throw refuseField('participantId', 'Is not a member of this group (moderators cannot be removed)');
  const reason = input.reason ? input.reason : null;
  const now = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('group_session_removals')
      .values({
        id: randomUUID(),
        clinic_id: principal.clinicId,
        group_id: group.id,
        user_id: target.userId,
        session_start: session.start,
        session_end: session.end,
        removed_by: principal.userId,
        reason,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['clinic_id', 'group_id', 'user_id', 'session_start']).doNothing())
      .executeTakeFirst();
    const created = Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
    if (created) {
      await trx
        .insertInto('admin_changes')
        .values({
          id: randomUUID(),
          clinic_id: principal.clinicId,
          actor: groupActorLabel({ kind: 'admin', principal }),
          action: 'group.session.remove',
          before: null,
          after: toJson({ groupId: group.id, userId: target.userId, sessionStart: session.start, sessionEnd: session.end, reason }),
          at: now,
        })
        .execute();
    }
    return { groupId: group.id, participantId: input.participantId, until: session.end, created };
  });
}
