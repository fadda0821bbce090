import { defineElement } from '../core/define.js';
import { CareAdmin } from './admin.js';

export { CareAdmin };
defineElement('care-admin', CareAdmin);

declare global {
  interface HTMLElementTagNameMap {
    'care-admin': CareAdmin;
  }
}
