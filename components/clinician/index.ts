import { defineElement } from '../core/define.js';
import { CareAlerts } from './alerts.js';
import { CareOutcomes } from './outcomes.js';
import { CareRoster } from './roster.js';

export { CareAlerts, CareOutcomes, CareRoster };
defineElement('care-alerts', CareAlerts);
defineElement('care-roster', CareRoster);
defineElement('care-outcomes', CareOutcomes);

declare global {
  interface HTMLElementTagNameMap {
    'care-alerts': CareAlerts;
    'care-roster': CareRoster;
    'care-outcomes': CareOutcomes;
  }
}
