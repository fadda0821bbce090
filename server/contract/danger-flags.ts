import * as z from 'zod/mini';
import { ALIAS_MAX } from './groups.js';

/** How many "may be in danger" flags one person may raise in an hour (across their groups). */
export const DANGER_FLAGS_PER_HOUR = 3;
/** Longest note a flagger may add for the care team. */
export const DANGER_NOTE_MAX = 280;
/** How long the flagged person's private notice is offered (days), unless they dismiss it. */
export const DANGER_NOTICE_DAYS = 14;
/** How long moderators see a flag among their group's notices (days). */
export const DANGER_MODERATOR_DAYS = 7;

const id = z.string().check(z.minLength(1), z.maxLength(100));

/**
 * `groups.flagDanger`: exactly one of `postId` (a post on the group's board), `participantId` (the
 * pseudonymous participant id our server minted into the room token) or `participantAlias` (the
 * name the person appears under in the group). `note`: optional, for the care team only.
 */
export const flagDangerInput = z.strictObject({
  groupId: id,
  postId: z.optional(id),
  participantId: z.optional(id),
  participantAlias: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(ALIAS_MAX + 20))),
  note: z.optional(z.string().check(z.trim(), z.maxLength(DANGER_NOTE_MAX))),
});
export type FlagDangerInput = z.infer<typeof flagDangerInput>;

export interface FlagDangerResult {
  flagged: true;
  /** The name the flagged person appears under in the group (never who they are). */
  label: string;
  via: 'post' | 'participant';
}

export const dangerNoticesInput = z.strictObject({ groupId: id });
export type DangerNoticesInput = z.infer<typeof dangerNoticesInput>;

/** A flag as a group's moderators see it: the alias only, never who is behind it or who flagged. */
export interface ModeratorDangerNotice {
  id: string;
  label: string;
  via: 'post' | 'participant';
  createdAt: string;
}

export interface DangerNotices {
  /** Someone in the group flagged the caller and they have not dismissed it: shown privately with crisis resources. */
  mine: { flaggedAt: string } | null;
  /** Moderators only: flags in this group in the last days (empty for members). */
  moderation: ModeratorDangerNotice[];
}

/** What the care team sees on a `danger_flag` alert. */
export interface DangerFlagInfo {
  groupId: string;
  groupName: string | null;
  via: 'post' | 'participant';
  /** The alias the person appears under in the group. */
  label: string;
  /** The flagger's note, if any. */
  note: string | null;
  /** The flagged post's text (its start), when flagged through a post. */
  postExcerpt: string | null;
}
