import * as z from 'zod/mini';
import type { CheckInRecord, RiskLevel, RiskReason } from './check-in.js';
import type { DangerFlagInfo } from './danger-flags.js';

export const listAlertsInput = z.optional(
  z.strictObject({
    status: z.optional(z.enum(['open', 'acknowledged', 'all'])),
    limit: z.optional(z.int().check(z.gte(1), z.lte(100))),
    cursor: z.optional(z.string().check(z.maxLength(50))),
    /** Only this client's alerts (a client record); an unknown client is NOT_FOUND. */
    clientId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  }),
);
export type ListAlertsInput = z.infer<typeof listAlertsInput>;

export const acknowledgeAlertInput = z.strictObject({
  alertId: z.string().check(z.minLength(1), z.maxLength(100)),
  note: z.optional(z.string().check(z.maxLength(2000))),
});
export type AcknowledgeAlertInput = z.infer<typeof acknowledgeAlertInput>;

export interface Alert {
  id: string;
  clientId: string;
  clientName: string | null;
  checkInId: string | null;
  /** `danger_flag`: a member of one of the person's groups flagged them as maybe in danger (`dangerFlag`). */
  source: 'check_in' | 'crisis' | 'danger_flag';
  level: Exclude<RiskLevel, 'none'>;
  reasons: RiskReason[];
  createdAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgeNote: string | null;
  /**
   * Crisis alerts: how often the person pressed for help again while this alert was open (one
   * open crisis alert per person collects every press). 0 for check-in alerts.
   */
  repeats: number;
  /** Crisis alerts: when the latest press was made. Null for check-in alerts. */
  lastRequestedAt: string | null;
  /**
   * When what raised the alert happened: the check-in's `submittedAt`, or the crisis alert's first
   * press. `createdAt` is only when the alert row was written (demo seeding and offline devices
   * make that later).
   */
  occurredAt: string;
  /** When the server received the check-in (or the first crisis press); later than occurredAt for an offline device. */
  receivedAt: string;
  /** Check-in alerts: the check-in that raised it, with its answers and note. Null for crisis alerts. */
  checkIn: CheckInRecord | null;
  /** Danger-flag alerts: the group, the alias, the flagger's note and the flagged post (never who flagged). Null otherwise. */
  dangerFlag?: DangerFlagInfo | null;
}

export interface AlertPage {
  items: Alert[];
  nextCursor: string | null;
}
