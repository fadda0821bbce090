import { defineElement } from '../core/define.js';
import { CareSupportRoom } from './support-room.js';

export { CareSupportRoom };
export type { CareGroupBoard } from './group-board.js';
export type * from './events.js';
export { jaasAppId, jitsiScriptUrl, loadJitsiApi, registerJitsiApi, JitsiLoadError, type JitsiMeetApi, type JitsiMeetConstructor, type JitsiMeetOptions } from './jitsi-loader.js';
// <care-group-board> registers itself when the room first shows the board (its code is a lazy chunk).
defineElement('care-support-room', CareSupportRoom);

declare global {
  interface HTMLElementTagNameMap {
    'care-support-room': CareSupportRoom;
  }
}
