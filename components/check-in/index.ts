import { defineElement } from '../core/define.js';
import { CareCheckIn } from './check-in.js';

export { CareCheckIn };
defineElement('care-check-in', CareCheckIn);

declare global {
  interface HTMLElementTagNameMap {
    'care-check-in': CareCheckIn;
  }
}
