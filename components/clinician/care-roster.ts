import { defineElement } from '../core/define.js';
import { CareRoster } from './roster.js';

export { CareRoster };
defineElement('care-roster', CareRoster);

declare global {
  interface HTMLElementTagNameMap {
    'care-roster': CareRoster;
  }
}
