import type { RiskLevel, RiskReason, SubmitCheckInResult } from '../../server/contract/check-in.js';

/** `care-submitted`: the server stored the check-in. */
export interface CareSubmittedDetail {
  result: SubmitCheckInResult;
}

/** Why a check-in waits on the device. */
export type CareQueuedReason = 'offline' | 'origin-not-allowed' | 'signed-out';

/** `care-queued`: saved on the device; it will be sent later. */
export interface CareQueuedDetail {
  clientRequestId: string;
  reason: CareQueuedReason;
}

/** `care-risk`: the answers need the care team's attention. */
export interface CareRiskDetail {
  level: Exclude<RiskLevel, 'none'>;
  reasons: RiskReason[];
  clientRequestId: string;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'care-submitted': CustomEvent<CareSubmittedDetail>;
    'care-queued': CustomEvent<CareQueuedDetail>;
    'care-risk': CustomEvent<CareRiskDetail>;
  }
}
