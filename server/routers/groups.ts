import {
  acceptGuidelinesInput,
  addMemberInput,
  attendanceInput,
  createGroupInput,
  feedbackInput,
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
  removeMemberInput,
  setMemberRoleInput,
  updateGroupInput,
  type PostChange,
} from '../contract/index.js';
import { addGroupMember, removeMember, setMemberRole, updateGroup, videoSettings } from '../domain/group-admin.js';
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
  setGuidelines,
  setVideoConfig,
} from '../domain/groups.js';
import { postsChannel } from '../live/bus.js';
import { liveEvents, withStreamSlot } from '../live/events.js';
import { adminProcedure, authedProcedure, router, staffProcedure } from '../trpc.js';

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
  list: authedProcedure.input(listGroupsInput).query(async ({ ctx, input }) => ({ groups: await listGroups(ctx.db, ctx.principal, input?.groupId) })),
  join: authedProcedure.input(joinGroupInput).mutation(({ ctx, input }) => joinGroup(ctx, ctx.principal, input.groupId)),
  acceptGuidelines: authedProcedure.input(acceptGuidelinesInput).mutation(({ ctx, input }) => acceptGuidelines(ctx, ctx.principal, input)),
  setAlias: authedProcedure.input(setAliasInput).mutation(({ ctx, input }) => setAlias(ctx, ctx.principal, input)),
  attendance: authedProcedure.input(attendanceInput).mutation(({ ctx, input }) => recordAttendance(ctx, ctx.principal, input)),
  messages: authedProcedure.input(listMessagesInput).query(({ ctx, input }) => listMessages(ctx, ctx.principal, input)),
  /** Live updates over SSE: `{ kind, postId }` when a post of the group is created or hidden. */
  onPost,
  post: authedProcedure.input(postMessageInput).mutation(({ ctx, input }) => postMessage(ctx, ctx.principal, input)),
  report: authedProcedure.input(reportPostInput).mutation(({ ctx, input }) => reportPost(ctx, ctx.principal, input)),
  hide: staffProcedure.input(hidePostInput).mutation(({ ctx, input }) => hidePost(ctx, ctx.principal, input)),
  feedback: authedProcedure.input(feedbackInput).mutation(({ ctx, input }) => saveFeedback(ctx, ctx.principal, input)),
  members: staffProcedure.input(groupIdInput).query(async ({ ctx, input }) => ({ members: await listMembers(ctx, ctx.principal, input.groupId) })),
  /** Adds a person (or changes their role); audited as an admin change. */
  addMember: staffProcedure.input(addMemberInput).mutation(({ ctx, input }) => addGroupMember(ctx.db, { kind: 'admin', principal: ctx.principal }, ctx.principal.clinicId, input)),
  setMemberRole: staffProcedure.input(setMemberRoleInput).mutation(({ ctx, input }) => setMemberRole(ctx.db, { kind: 'admin', principal: ctx.principal }, ctx.principal.clinicId, input)),
  removeMember: staffProcedure.input(removeMemberInput).mutation(({ ctx, input }) => removeMember(ctx.db, { kind: 'admin', principal: ctx.principal }, ctx.principal.clinicId, input)),
  setGuidelines: staffProcedure.input(setGuidelinesInput).mutation(({ ctx, input }) => setGuidelines(ctx, ctx.principal, input)),
  create: adminProcedure.input(createGroupInput).mutation(({ ctx, input }) => createGroup(ctx.db, ctx.principal, input)),
  update: adminProcedure.input(updateGroupInput).mutation(({ ctx, input }) => updateGroup(ctx.db, { kind: 'admin', principal: ctx.principal }, ctx.principal.clinicId, input)),
  /** The clinic's video settings as saved; the app secret only as `secretSet`. */
  videoConfig: adminProcedure.query(({ ctx }) => videoSettings(ctx.db, ctx.principal.clinicId)),
  setVideoConfig: adminProcedure.input(setVideoConfigInput).mutation(({ ctx, input }) => setVideoConfig(ctx.db, ctx.principal, input)),
});
