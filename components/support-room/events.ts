import type { BoardPost } from '../../server/contract/groups.js';
import type { FailureKind } from '../core/failure.js';
import type { JitsiLoadFailure } from './jitsi-loader.js';

/**
 * The `care-*` events `<care-support-room>` and its `<care-group-board>` emit, with their details.
 * All bubble and are composed, so a page listens on the room element. Declaring them in
 * `GlobalEventHandlersEventMap` gives TypeScript hosts typed handlers:
 * `room.addEventListener('care-room-joined', (e) => e.detail.roomName)`.
 */

/** `care-guidelines-accepted`: the person accepted the group guidelines (and chose how they appear). */
export interface GuidelinesAcceptedDetail {
  groupId: string;
  version: number;
  displayName: string;
}

/** `care-room-joined`: mirrors Jitsi `videoConferenceJoined`. */
export interface RoomJoinedDetail {
  groupId: string;
  roomName: string;
  displayName: string;
}

/** `care-room-left`: mirrors Jitsi `videoConferenceLeft`. */
export interface RoomLeftDetail {
  groupId: string;
  roomName: string;
}

/** `care-participant-joined`: mirrors Jitsi `participantJoined`. Jitsi may leave either field out. */
export interface ParticipantJoinedDetail {
  id: string | undefined;
  displayName: string | undefined;
}

/** `care-participant-left`: mirrors Jitsi `participantLeft`. */
export interface ParticipantLeftDetail {
  id: string | undefined;
}

/** `care-room-ready-to-close`: mirrors Jitsi `readyToClose`; the room closes after it. */
export interface RoomReadyToCloseDetail {
  groupId: string;
}

/** `care-posted`: a message (or reply) was posted to the group board. */
export interface PostedDetail {
  post: BoardPost;
}

/** `care-feedback`: the after-session feedback was sent. */
export interface FeedbackDetail {
  groupId: string;
  rating: number;
}

/**
 * `care-error` from the room or its board: a call failed (`kind` is the failure kind), or the video
 * service could not be loaded (`kind: 'video-unavailable'` with the loader's `reason`).
 */
export type RoomErrorDetail =
  | { kind: FailureKind; message: string }
  | { kind: 'video-unavailable'; reason: JitsiLoadFailure; message: string };

/** Event name → detail, for every event of the room and the board. */
export interface SupportRoomEventDetails {
  'care-guidelines-accepted': GuidelinesAcceptedDetail;
  'care-room-joined': RoomJoinedDetail;
  'care-room-left': RoomLeftDetail;
  'care-participant-joined': ParticipantJoinedDetail;
  'care-participant-left': ParticipantLeftDetail;
  'care-room-ready-to-close': RoomReadyToCloseDetail;
  'care-posted': PostedDetail;
  'care-feedback': FeedbackDetail;
  'care-error': RoomErrorDetail;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'care-guidelines-accepted': CustomEvent<GuidelinesAcceptedDetail>;
    'care-room-joined': CustomEvent<RoomJoinedDetail>;
    'care-room-left': CustomEvent<RoomLeftDetail>;
    'care-participant-joined': CustomEvent<ParticipantJoinedDetail>;
    'care-participant-left': CustomEvent<ParticipantLeftDetail>;
    'care-room-ready-to-close': CustomEvent<RoomReadyToCloseDetail>;
    'care-posted': CustomEvent<PostedDetail>;
    'care-feedback': CustomEvent<FeedbackDetail>;
    // `care-error` is fired by every widget, with details that differ by widget: its global
    // declaration belongs with the shared one in components/core (typed emit), not here. The room's
    // and the board's details are `RoomErrorDetail`.
  }
}
