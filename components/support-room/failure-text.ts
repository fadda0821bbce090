import type { FailureMessages } from '../core/failure.js';

/** How the room and its board word a failed call (core/failure.ts `failureText`/`renderFailure`). */
export const ROOM_FAILURES: FailureMessages = {
  offline: 'room.offline',
  forbidden: 'room.problem.forbidden',
  'not-found': 'room.notFound',
  'rate-limited': 'room.slowDown',
  default: 'room.problem.other',
};
