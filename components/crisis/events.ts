import type { CrisisAlertResult } from '../../server/contract/crisis.js';
import type { SafetyPlanContact, SafetyPlanVersion } from '../../server/contract/safety-plan.js';

/** Why the crisis dialog opened. */
export type CrisisOpenReason = 'button' | 'shortcut' | 'risk' | 'api';

/** `care-crisis-open`: the dialog opened. */
export interface CareCrisisOpenDetail {
  reason: CrisisOpenReason;
}

/** `care-crisis-alert`: the care team was told, or the request waits on the device. */
export type CareCrisisAlertDetail = { status: 'sent'; result: CrisisAlertResult } | { status: 'queued'; clientRequestId: string | null };

/** `care-plan-saved`: a new safety plan version was saved; `contacts` only for the person's own plan. */
export interface CarePlanSavedDetail {
  version: number;
  kind: SafetyPlanVersion['kind'];
  contacts: SafetyPlanContact[] | undefined;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'care-crisis-open': CustomEvent<CareCrisisOpenDetail>;
    'care-crisis-close': CustomEvent<Record<string, never>>;
    'care-crisis-alert': CustomEvent<CareCrisisAlertDetail>;
    'care-plan-saved': CustomEvent<CarePlanSavedDetail>;
  }
}
