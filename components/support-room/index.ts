import { defineElement } from '../core/define.js';
import { CareSupportRoom } from './support-room.js';

export { CareSupportRoom };
export { loadJitsiApi, registerJitsiApi, JitsiLoadError, type JitsiMeetApi, type JitsiMeetConstructor, type JitsiMeetOptions } from './jitsi-loader.js';
defineElement('care-support-room', CareSupportRoom);

declare global {
  interface HTMLElementTagNameMap {
    'care-support-room': CareSupportRoom;
  }
}
