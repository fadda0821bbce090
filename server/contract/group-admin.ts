import * as z from 'zod/mini';
import { groupSessionSchema, type VideoConfigList, type VideoMode, type VideoProvider } from './groups.js';
import { timeZoneSchema } from './progress.js';

/**
 * Running a clinic's support groups (issue 16, the Groups section of `<care-admin>` and
 * `care group`): editing a group's details and schedule, moderators and members, and reading the
 * video settings back (never the secret). Creating a group, publishing guidelines, adding members
 * and saving the video settings are the existing `groups.create`, `groups.setGuidelines`,
 * `groups.addMember` and `groups.setVideoConfig`.
 */

const id = z.string().check(z.minLength(1), z.maxLength(100));
const personId = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));

/** `groups.update`: only the keys given change; at least one must be given. */
export const updateGroupInput = z.strictObject({
  groupId: id,
  name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(120))),
  description: z.optional(z.string().check(z.maxLength(2000))),
  timeZone: z.optional(timeZoneSchema),
  schedule: z.optional(z.array(groupSessionSchema).check(z.minLength(1), z.maxLength(14))),
  capacity: z.optional(z.int().check(z.gte(2), z.lte(100))),
});
export type UpdateGroupInput = z.infer<typeof updateGroupInput>;

/** `groups.setMemberRole`: make a member a moderator of the group, or a moderator a member again. */
export const setMemberRoleInput = z.strictObject({
  groupId: id,
  userId: personId,
  role: z.enum(['member', 'moderator']),
});
export type SetMemberRoleInput = z.infer<typeof setMemberRoleInput>;

/** `groups.removeMember`: the person leaves the group; what they posted stays, under the label it was posted with. */
export const removeMemberInput = z.strictObject({ groupId: id, userId: personId });
export type RemoveMemberInput = z.infer<typeof removeMemberInput>;

/** What changed in a group's details (`groups.update`): only the keys whose value differed. */
export interface GroupChange {
  groupId: string;
  changed: string[];
}

export interface MemberChange {
  groupId: string;
  userId: string;
  /** The role after the change; null when the person was removed. */
  role: 'member' | 'moderator' | null;
}

/** What the admin's groups section shows of the clinic-wide self-hosted video settings (from `groups.videoConfig`). */
export interface GroupVideoSettings {
  /** The clinic-wide provider; only `self-hosted` (or none yet) is edited in this form. */
  provider: VideoProvider;
  domain: string;
  mode: VideoMode;
  appId: string | null;
  tenant: string | null;
  /** The app secret is write-only: the server says whether one is set, never what it is. */
  secretSet: boolean;
  /** False until the clinic saves settings of its own (rooms use the public domain until then). */
  configured: boolean;
}

/** The section's view of `groups.videoConfig`: the clinic default when it is a self-hosted Jitsi. */
export function groupVideoSettings(list: VideoConfigList): GroupVideoSettings {
  const clinic = list.clinic;
  const selfHosted = clinic?.provider === 'self-hosted';
  return {
    provider: clinic?.provider ?? 'none',
    domain: clinic?.domain ?? '',
    mode: clinic?.mode ?? 'none',
    appId: clinic?.appId ?? null,
    tenant: clinic?.tenant ?? null,
    secretSet: clinic?.hasSecret ?? false,
    configured: selfHosted,
  };
}
