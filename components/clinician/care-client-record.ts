import { defineElement } from '../core/define.js';
import { CareClientRecord } from './record/client-record.js';

export { CareClientRecord };
defineElement('care-client-record', CareClientRecord);

declare global {
  interface HTMLElementTagNameMap {
    'care-client-record': CareClientRecord;
  }
}
