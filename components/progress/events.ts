import type { ProgressSummary, RecoveryStartResult } from '../../server/contract/progress.js';

/** `care-loaded`: a summary is showing; `stale` when it came from the device while offline. */
export interface CareLoadedDetail {
  summary: ProgressSummary;
  stale: boolean;
}

/** `care-recovery-start-changed`: the person saved a new recovery start date. */
export type CareRecoveryStartChangedDetail = RecoveryStartResult;

declare global {
  interface GlobalEventHandlersEventMap {
    'care-loaded': CustomEvent<CareLoadedDetail>;
    'care-recovery-start-changed': CustomEvent<CareRecoveryStartChangedDetail>;
  }
}
