import {
  acceptGuidelinesInput,
  addMemberInput,
  attendanceInput,
  createGroupInput,
  feedbackInput,
  groupCalendarInput,
  groupIdInput,
  hidePostInput,
  joinGroupInput,
  listGroupsInput,
  listMessagesInput,
  postMessageInput,
  reportPostInput,
  setAliasInput,
  setGuidelinesInput,
  setVideoConfigInput,
  videoScopeInput,
  removeMemberInput,
  setMemberRoleInput,
  updateGroupInput,
  type PostChange,
  removeFromSessionInput,
} from '../contract/index.js';
import { addGroupMember, publishGuidelines, removeMember, setMemberRole, updateGroup } from '../domain/group-admin.js';
import {
  acceptGuidelines,
  createGroup,
  hidePost,
  joinGroup,
  listGroups,
  listMembers,
  listMessages,
  participant,
  postMessage,
  recordAttendance,
  reportPost,
  saveFeedback,
  setAlias,
} from '../domain/groups.js';
import { createCalendarFeed, groupCalendarFile } from '../domain/group-calendar.js';
import { removeFromSession, roomParticipants } from '../domain/room-moderation.js';
import { TRPCError } from '@trpc/server';
import type { Principal } from '../auth/principal.js';
import { ClinicAdminError, type AdminActor } from '../domain/clinic-settings.js';
import { clearVideo, setVideo, showVideo } from '../video/admin.js';
import { postsChannel } from '../live/bus.js';
import { liveEvents, withStreamSlot } from '../live/events.js';
import { adminProcedure, authedProcedure, router, staffProcedure } from '../trpc.js';
import { dangerNoticesInput, flagDangerInput } from '../contract/danger-flags.js';
import { dangerNotices, dismissDangerNotice, flagDanger } from '../domain/danger-flags.js';

/**
 * A refusal of the video settings domain as a tRPC error: an unknown group → 404 (another clinic's
 * group does not exist for the caller); a value → 400 whose `fieldErrors` name the input key.
 */
async function refusing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ClinicAdminError)) throw error;
    if (error.kind === 'not_found') throw new TRPCError({ code: 'NOT_FOUND', message: error.field === 'groupId' ? 'No such group' : 'No such clinic' });
    const message = error.message.startsWith(`${error.field} `) ? error.message.slice(error.field.length + 1) : error.message;
    throw new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause: Object.assign(new Error(error.message), { issues: [{ path: error.field.split('.'), message }] }) });
  }
}

const adminActor = (principal: Principal): AdminActor => ({ kind: 'admin', principal });

const postKinds = new Set<string>(['posted', 'hidden', 'resync']);

/**
 * `groups.onPost`: the group's board changed (`{ kind, postId }`). Only for those who may read the
 * board (`groups.messages`): members who accepted the current guidelines, and moderators.
 */
const onPost = authedProcedure.input(groupIdInput).subscription(async function* ({ ctx, input, signal }) {
  const { group } = await participant(ctx, ctx.principal, input.groupId);
  yield* withStreamSlot(ctx, () => liveEvents<PostChange>(
    ctx.bus,
    postsChannel(ctx.principal.clinicId, group.id),
    signal,
    ctx.principal.expiresAt,
    (p) => (p.kind && postKinds.has(p.kind) ? { kind: p.kind as PostChange['kind'], postId: p.kind === 'resync' ? null : (p.id ?? null) } : null),
    { kind: 'ready', postId: null },
    { kind: 'resync', postId: null },
  ));
});

/** Support groups: live Jitsi rooms, membership and guidelines, the async board, feedback. */
export const groupsRouter = router({
  list: authedProcedure.input(listGroupsInput).query(async ({ ctx, input }) => ({ groups: await listGroups(ctx.db, ctx.principal, input?.groupId, ctx.config.demo) })),
  join: authedProcedure.input(joinGroupInput).mutation(({ ctx, input }) => joinGroup(ctx, ctx.principal, input.groupId, ctx.config.demo)),
  acceptGuidelines: authedProcedure.input(acceptGuidelinesInput).mutation(({ ctx, input }) => acceptGuidelines(ctx, ctx.principal, input)),
  setAlias: authedProcedure.input(setAliasInput).mutation(({ ctx, input }) => setAlias(ctx, ctx.principal, input)),
  attendance: authedProcedure.input(attendanceInput).mutation(({ ctx, input }) => recordAttendance(ctx, ctx.principal, input)),
  messages: authedProcedure.input(listMessagesInput).query(({ ctx, input }) => listMessages(ctx, ctx.principal, input)),
  /** Live updates over SSE: `{ kind, postId }` when a post of the group is created or hidden. */
  onPost,
  post: authedProcedure.input(postMessageInput).mutation(({ ctx, input }) => postMessage(ctx, ctx.principal, input)),
  report: authedProcedure.input(reportPostInput).mutation(({ ctx, input }) => reportPost(ctx, ctx.principal, input)),
  /** "May be in danger": an urgent alert for the care team, the alias for moderators, resources for the person (server/domain/danger-flags.ts). */
  flagDanger: authedProcedure.input(flagDangerInput).mutation(({ ctx, input }) => flagDanger(ctx, ctx.principal, input, ctx.config.demo)),
  dangerNotices: authedProcedure.input(dangerNoticesInput).query(({ ctx, input }) => dangerNotices(ctx, ctx.principal, input)),
  dismissDangerNotice: authedProcedure.input(dangerNoticesInput).mutation(({ ctx, input }) => dismissDangerNotice(ctx, ctx.principal, input)),
  hide: staffProcedure.input(hidePostInput).mutation(({ ctx, input }) => hidePost(ctx, ctx.principal, input)),
  feedback: authedProcedure.input(feedbackInput).mutation(({ ctx, input }) => saveFeedback(ctx, ctx.principal, input)),
  members: staffProcedure.input(groupIdInput).query(async ({ ctx, input }) => ({ members: await listMembers(ctx, ctx.principal, input.groupId) })),
  /** Adds a person (or changes their role); audited as an admin change. */
  addMember: staffProcedure.input(addMemberInput).mutation(({ ctx, input }) => addGroupMember(ctx.db, { kind: 'admin', principal: ctx.principal }, ctx.principal.clinicId, input)),
  setMemberRole: staffProcedure.input(setMemberRoleInput).mutation(({ ctx, input }) => setMemberRole(ctx.db, { kind: 'admin', principal: ctx.principal }, ctx.principal.clinicId, input)),
  removeMember: staffProcedure.input(removeMemberInput).mutation(({ ctx, input }) => removeMember(ctx.db, { kind: 'admin', principal: ctx.principal }, ctx.principal.clinicId, input)),
  /** A new version of the guidelines (members accept again before taking part); audited as an admin change. */
  setGuidelines: staffProcedure
    .input(setGuidelinesInput)
    .mutation(async ({ ctx, input }) => ({ version: (await publishGuidelines(ctx.db, { kind: 'admin', principal: ctx.principal }, ctx.principal.clinicId, input.groupId, input.guidelines)).version })),
  calendar: authedProcedure.input(groupCalendarInput).query(({ ctx, input }) => groupCalendarFile(ctx, ctx.principal, input)),
  subscribeCalendar: authedProcedure.input(groupCalendarInput).mutation(({ ctx, input }) => createCalendarFeed(ctx, ctx.principal, input)),
  create: adminProcedure.input(createGroupInput).mutation(({ ctx, input }) => createGroup(ctx.db, ctx.principal, input, ctx.config.demo)),
  /**
   * The video provider of the admin's clinic, or of one group (`groupId`): self-hosted, jaas,
   * public-demo or none (server/contract/groups.ts lists each provider's keys). Answers the stored
   * configuration without its secret (`VideoConfigView`, which keeps `domain` and `mode`).
   */
  setVideoConfig: adminProcedure
    .input(setVideoConfigInput)
    .mutation(({ ctx, input }) => refusing(() => setVideo(ctx.db, adminActor(ctx.principal), ctx.principal.clinicId, input, { demo: ctx.config.demo }))),
  /** The clinic's video configuration and every group override, never a secret. */
  videoConfig: adminProcedure.query(({ ctx }) => refusing(() => showVideo(ctx.db, adminActor(ctx.principal), ctx.principal.clinicId, { demo: ctx.config.demo }))),
  /** Removes the clinic's configuration (groups without their own then have no video room), or one group's override. */
  clearVideoConfig: adminProcedure
    .input(videoScopeInput)
    .mutation(({ ctx, input }) => refusing(() => clearVideo(ctx.db, adminActor(ctx.principal), ctx.principal.clinicId, input?.groupId, { demo: ctx.config.demo }))),
  /** Moderators: each member's pseudonymous room id and the name the live room shows (who is who in Jitsi). */
  roomParticipants: authedProcedure.input(groupIdInput).query(({ ctx, input }) => roomParticipants(ctx, ctx.principal, input.groupId, ctx.config.demo)),
  /** Moderators: removes a member from the live room for the rest of the open session (no new room token until it ends); audited. */
  removeFromSession: authedProcedure.input(removeFromSessionInput).mutation(({ ctx, input }) => removeFromSession(ctx, ctx.principal, input, ctx.config.demo)),
  update: adminProcedure.input(updateGroupInput).mutation(({ ctx, input }) => updateGroup(ctx.db, { kind: 'admin', principal: ctx.principal }, ctx.principal.clinicId, input)),
});
