import * as z from 'zod/mini';
import { timeZoneSchema } from './progress.js';

/** Support groups: shared by the server (validation) and <care-support-room> (types, limits). */

export const GROUP_TOPICS = ['recovery', 'diabetes', 'hypertension', 'new_parents', 'chronic_pain', 'mental_health', 'caregivers', 'other'] as const;
export type GroupTopic = (typeof GROUP_TOPICS)[number];

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const REPORT_REASONS = ['harmful', 'spam', 'personal_info', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export const ALIAS_MAX = 40;
export const POST_MAX = 2000;
export const COMMENT_MAX = 1000;
/** Posts one person may make to a group board per minute. */
export const POSTS_PER_MINUTE = 5;
/** The room opens this long before a session starts. */
export const ROOM_OPENS_EARLY_MINUTES = 10;

const id = z.string().check(z.minLength(1), z.maxLength(100));
export const groupIdInput = z.strictObject({ groupId: id });
export type GroupIdInput = z.infer<typeof groupIdInput>;
/** `groups.list`: every group the caller may see, or only the one named. */
export const listGroupsInput = z.optional(z.strictObject({ groupId: z.optional(id) }));
export type ListGroupsInput = z.infer<typeof listGroupsInput>;

export const groupSessionSchema = z.strictObject({
  day: z.enum(WEEKDAYS),
  /** Local time in the group's time zone, `HH:MM` (24 h). */
  start: z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM (24-hour)')),
  minutes: z.int().check(z.gte(15), z.lte(240)),
});
export type GroupSession = z.infer<typeof groupSessionSchema>;

/** A phone number members can call, and the PIN (conference id) they type after it. */
export const dialInSchema = z.strictObject({
  number: z.string().check(z.regex(/^\+?[\d\s().-]{3,30}$/, 'Use a phone number')),
  pin: z.optional(z.string().check(z.regex(/^[\d#*]{1,20}$/, 'Digits only'))),
});

const language = z.string().check(z.regex(/^[a-z]{2,3}$/, 'Use a language code such as en or es'));
const guidelinesText = z.record(language, z.string().check(z.minLength(1), z.maxLength(10_000)));

export const createGroupInput = z.strictObject({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(120)),
  topic: z.enum(GROUP_TOPICS),
  description: z.string().check(z.maxLength(2000)),
  language,
  timeZone: timeZoneSchema,
  schedule: z.array(groupSessionSchema).check(z.minLength(1), z.maxLength(14)),
  capacity: z.int().check(z.gte(2), z.lte(100)),
  guidelines: guidelinesText,
  moderatorIds: z.optional(z.array(id).check(z.maxLength(20))),
  dialIn: z.optional(dialInSchema),
});
export type CreateGroupInput = z.infer<typeof createGroupInput>;

export const setGuidelinesInput = z.strictObject({ groupId: id, guidelines: guidelinesText });
export type SetGuidelinesInput = z.infer<typeof setGuidelinesInput>;

export const addMemberInput = z.strictObject({
  groupId: id,
  userId: z.string().check(z.minLength(1), z.maxLength(200)),
  role: z.optional(z.enum(['member', 'moderator'])),
});
export type AddMemberInput = z.infer<typeof addMemberInput>;

/** Where a group's live room runs (server/video/). `none`: no video room (board and dial-in only). */
export const VIDEO_PROVIDERS = ['self-hosted', 'jaas', 'public-demo', 'none'] as const;
export type VideoProvider = (typeof VIDEO_PROVIDERS)[number];

const host = z.string().check(
  z.maxLength(253),
  z.regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{2,5})?$/i, 'Use a host name such as meet.example.org'),
);
const videoName = z.string().check(z.regex(/^[\w.-]{1,200}$/, 'Letters, digits, . - _'));

/**
 * `groups.setVideoConfig` (admin): the clinic's video provider, or one group's override (`groupId`).
 * Which keys each provider takes (anything else is refused, naming the key):
 * - `self-hosted`: `domain` (required), `appId` + `appSecret` (HS256, at least 16 characters; together,
 *   or neither for a deployment without token auth), `tenant`, `transcription` (the deployment has a
 *   transcriber: captions are offered).
 * - `jaas`: `appId` (`vpaas-magic-cookie-…`), `keyId`, `privateKey` (RS256 PEM, checked on save), `domain`
 *   (default 8x8.vc), `transcription` (default true), `recording`, `livestreaming`, `outboundCall`
 *   (default false).
 * - `public-demo`: meet.jit.si; clinic-wide only in demo mode; for one group only with `publicOptIn: true`
 *   (members then see that the room is a public test room).
 * - `none` (with `groupId`): this group has no video room.
 * Every provider takes `dialIn` ({ number, pin? }, or null to remove). Omitting `appSecret`/`privateKey`
 * keeps the stored one when the provider and app id (and key id) stay the same. Without `provider` the
 * input is the earlier shape `{ domain, appId?, appSecret?, tenant? }`: self-hosted (meet.jit.si: public-demo).
 */
export const setVideoConfigInput = z.strictObject({
  groupId: z.optional(id),
  provider: z.optional(z.enum(VIDEO_PROVIDERS)),
  domain: z.optional(host),
  appId: z.optional(videoName),
  appSecret: z.optional(z.string().check(z.minLength(16), z.maxLength(500))),
  tenant: z.optional(videoName),
  keyId: z.optional(videoName),
  privateKey: z.optional(z.string().check(z.minLength(1), z.maxLength(20_000))),
  transcription: z.optional(z.boolean()),
  recording: z.optional(z.boolean()),
  livestreaming: z.optional(z.boolean()),
  outboundCall: z.optional(z.boolean()),
  publicOptIn: z.optional(z.boolean()),
  dialIn: z.optional(z.nullable(dialInSchema)),
});
export type SetVideoConfigInput = z.infer<typeof setVideoConfigInput>;

/** `groups.videoConfig` (all of the clinic's video settings) and `groups.clearVideoConfig` (one scope). */
export const videoScopeInput = z.optional(z.strictObject({ groupId: z.optional(id) }));
export type VideoScopeInput = z.infer<typeof videoScopeInput>;

/** A stored video configuration as admins see it: never a secret, only whether one is stored. */
export interface VideoConfigView {
  /** Null: the clinic's default; else the group it overrides. */
  groupId: string | null;
  provider: VideoProvider;
  domain: string | null;
  appId: string | null;
  keyId: string | null;
  tenant: string | null;
  /** An HS256 app secret (self-hosted) or a private key (JaaS) is stored. */
  hasSecret: boolean;
  /** JaaS: SHA-256 of the public key (SPKI DER, base64url), to compare with the key uploaded to JaaS. */
  publicKeyFingerprint: string | null;
  transcription: boolean;
  recording: boolean;
  livestreaming: boolean;
  outboundCall: boolean;
  publicOptIn: boolean;
  dialIn: { number: string; pin: string | null } | null;
  /** As before: `token` (room tokens), `open` (no tokens), `public` (public test service), `none`. */
  mode: VideoMode;
  /** False when this row is not used as stored: clinic-wide public-demo outside demo mode. */
  usable: boolean;
  updatedAt: string;
}

export interface VideoConfigList {
  clinic: VideoConfigView | null;
  groups: VideoConfigView[];
  /** The server runs in demo mode (public-demo allowed clinic-wide). */
  demo: boolean;
}

export const acceptGuidelinesInput = z.strictObject({ groupId: id, version: z.int().check(z.gte(1)) });
export type AcceptGuidelinesInput = z.infer<typeof acceptGuidelinesInput>;

/** Letters (any script), digits, spaces and . - _ ' — no look-alike punctuation, no markup. */
export const ALIAS_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} .'_-]*$/u;

export const setAliasInput = z.strictObject({
  groupId: id,
  mode: z.enum(['name', 'alias']),
  alias: z.optional(z.string().check(z.trim(), z.minLength(2), z.maxLength(ALIAS_MAX), z.regex(ALIAS_PATTERN, 'Use letters, numbers and spaces'))),
});
export type SetAliasInput = z.infer<typeof setAliasInput>;

export const joinGroupInput = z.strictObject({ groupId: id });

export const attendanceInput = z.strictObject({
  groupId: id,
  event: z.enum(['joined', 'left']),
  attendanceId: z.optional(z.string().check(z.maxLength(100))),
});
export type AttendanceInput = z.infer<typeof attendanceInput>;

export const listMessagesInput = z.strictObject({
  groupId: id,
  limit: z.optional(z.int().check(z.gte(1), z.lte(50))),
  cursor: z.optional(z.string().check(z.maxLength(200))),
});
export type ListMessagesInput = z.infer<typeof listMessagesInput>;

export const postMessageInput = z.strictObject({
  groupId: id,
  body: z.string().check(z.trim(), z.minLength(1), z.maxLength(POST_MAX)),
  parentId: z.optional(id),
});
export type PostMessageInput = z.infer<typeof postMessageInput>;

export const reportPostInput = z.strictObject({
  postId: id,
  reason: z.enum(REPORT_REASONS),
});
export type ReportPostInput = z.infer<typeof reportPostInput>;

export const hidePostInput = z.strictObject({
  postId: id,
  reason: z.string().check(z.trim(), z.minLength(3), z.maxLength(500)),
});
export type HidePostInput = z.infer<typeof hidePostInput>;

export const feedbackInput = z.strictObject({
  groupId: id,
  sessionStart: z.iso.datetime({ offset: true }),
  rating: z.int().check(z.gte(1), z.lte(5)),
  comment: z.optional(z.string().check(z.trim(), z.maxLength(COMMENT_MAX))),
});
export type FeedbackInput = z.infer<typeof feedbackInput>;

export interface SessionTime {
  /** ISO-8601 UTC. */
  start: string;
  end: string;
}

/** How a group's video is set up: `token` (room tokens), `open` (own domain, no tokens), `public` (the public test service), `none` (no video room). */
export type VideoMode = 'token' | 'open' | 'public' | 'none';

export interface MyMembership {
  role: 'member' | 'moderator';
  displayMode: 'name' | 'alias';
  alias: string | null;
  /** How others see me: the alias, or my name. */
  displayName: string;
  guidelinesAcceptedVersion: number | null;
  guidelinesAcceptedAt: string | null;
}

export interface GroupSummary {
  id: string;
  name: string;
  topic: GroupTopic;
  description: string;
  language: string;
  timeZone: string;
  schedule: GroupSession[];
  capacity: number;
  moderators: { name: string }[];
  /** The guidelines in every language the group has, and the current version. */
  guidelines: Record<string, string>;
  guidelinesVersion: number;
  /** The current session if the room is open, else the next one. */
  nextSession: SessionTime | null;
  upcoming: SessionTime[];
  /** The room accepts joins now (from ROOM_OPENS_EARLY_MINUTES before start until the end). */
  roomOpen: boolean;
  /** The group's own dial-in, else its video provider's. */
  dialIn: { number: string; pin: string | null } | null;
  video: {
    provider: VideoProvider;
    /** Null when the group has no video room. */
    domain: string | null;
    mode: VideoMode;
    /** The provider can transcribe: the room offers captions. */
    captions: boolean;
    /** The room runs on the public test service (meet.jit.si): members are told so. */
    publicTestRoom: boolean;
  };
  /** Null for staff who are not in the group. */
  membership: MyMembership | null;
  /** Staff only: what the clinic admin should know, e.g. `public-domain`. */
  notices: ('public-domain' | 'no-room-token' | 'no-video' | 'public-not-allowed')[];
}

export interface GroupList {
  groups: GroupSummary[];
}

export interface JoinResult {
  provider: Exclude<VideoProvider, 'none'>;
  domain: string;
  roomName: string;
  /** Null without room tokens (public-demo, or self-hosted without an app secret). */
  jwt: string | null;
  /** Offer captions (the provider can transcribe). */
  captions: boolean;
  publicTestRoom: boolean;
  displayName: string;
  moderator: boolean;
  session: SessionTime;
}

export interface GroupMemberRecord {
  userId: string;
  name: string | null;
  role: 'member' | 'moderator';
  displayMode: 'name' | 'alias';
  alias: string | null;
  guidelinesAcceptedVersion: number | null;
  guidelinesAcceptedAt: string | null;
}

export interface BoardPost {
  id: string;
  parentId: string | null;
  authorLabel: string;
  byModerator: boolean;
  mine: boolean;
  body: string;
  createdAt: string;
  /** Only moderators ever receive hidden posts. */
  hidden: { at: string; reason: string } | null;
  /** Moderators only; 0 for members. */
  reportCount: number;
}

export interface BoardThread extends BoardPost {
  replies: BoardPost[];
}

export interface BoardPage {
  threads: BoardThread[];
  nextCursor: string | null;
}
