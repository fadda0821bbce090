import { defineElement } from '../core/define.js';
import { CareAlerts } from './alerts.js';

export { CareAlerts };
defineElement('care-alerts', CareAlerts);

declare global {
  interface HTMLElementTagNameMap {
    'care-alerts': CareAlerts;
  }
}
