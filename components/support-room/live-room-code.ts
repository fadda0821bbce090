/**
 * The live room's code (joining, Jitsi's events, attendance, lobby and removals, the crisis button
 * in Jitsi's toolbar, the feedback after a session), one import so it comes as one lazy chunk whose
 * failed fetch can be retried as a whole (lazy-module.ts).
 */
export { RoomController } from './room-controller.js';
export { RoomModerationController } from './room-lobby.js';
export { CRISIS_TOOLBAR_BUTTON, crisisToolbarConfig } from './crisis-toolbar.js';
export { SessionFeedbackController } from './session-feedback.js';
