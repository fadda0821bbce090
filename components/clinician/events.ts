import type { Alert } from '../../server/contract/alerts.js';
import type { RosterEntry } from '../../server/contract/clinician.js';

/** `care-alert-acknowledged`: an alert was acknowledged. */
export interface CareAlertAcknowledgedDetail {
  alert: Alert;
}

/** `care-alerts-new`: polling found alerts that were not there before. */
export interface CareAlertsNewDetail {
  alerts: Alert[];
}

/** `care-roster-loaded`: a roster page arrived. */
export interface CareRosterLoadedDetail {
  total: number;
  offset: number;
  items: RosterEntry[];
}

declare global {
  interface GlobalEventHandlersEventMap {
    'care-alert-acknowledged': CustomEvent<CareAlertAcknowledgedDetail>;
    'care-alerts-new': CustomEvent<CareAlertsNewDetail>;
    'care-roster-loaded': CustomEvent<CareRosterLoadedDetail>;
  }
}
