import * as z from 'zod/mini';

/**
 * Moderating a group's live room (issue 19, item 2): the lobby runs in Jitsi itself (the moderator's
 * room turns it on with the IFrame API); removing someone for the rest of a session goes through
 * the server, which then refuses them a room token until that session ends.
 *
 * Jitsi's participant ids (in `participantJoined`, `knockingParticipant`) are the room's own
 * endpoint ids, not the `context.user.id` of our room tokens. A moderator's widget therefore reads
 * `groups.roomParticipants` (each member's pseudonymous room id and the name the room shows) and
 * names the person to remove by that pseudonymous id; the server maps it back to the member.
 */

export const REMOVAL_REASON_MAX = 500;

export const removeFromSessionInput = z.strictObject({
  groupId: z.string().check(z.minLength(1), z.maxLength(100)),
  /** The pseudonymous room id (`context.user.id` of the person's room token), from `groups.roomParticipants`. */
  participantId: z.string().check(z.minLength(1), z.maxLength(64)),
  reason: z.optional(z.string().check(z.trim(), z.maxLength(REMOVAL_REASON_MAX))),
});
export type RemoveFromSessionInput = z.infer<typeof removeFromSessionInput>;

export interface SessionRemoval {
  groupId: string;
  participantId: string;
  /** ISO-8601 UTC: the end of the session they are removed from; they may join the next one. */
  until: string;
  /** False when they had already been removed from this session (the first removal stands). */
  created: boolean;
}

/** A member as the live room shows them: the pseudonymous room id and the name they are seen by. */
export interface RoomParticipant {
  participantId: string;
  name: string;
}

export interface RoomParticipants {
  participants: RoomParticipant[];
}

/**
 * The message of the FORBIDDEN `groups.join` answers to a person removed from the open session;
 * widgets recognise the refusal by it.
 */
export const REMOVED_FROM_SESSION_MESSAGE = 'A moderator removed you from this session. You can join the next session of this group.';
