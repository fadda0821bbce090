import * as z from 'zod/mini';
import type { Severity } from './check-in.js';
import type { FeedbackBarrier } from './templates.js';

/** Roster columns a caller may sort by; anything else is refused, never interpolated. */
export const ROSTER_SORTS = ['name', 'lastCheckIn', 'streak', 'phq9', 'gad7', 'openAlerts', 'engagement'] as const;
export type RosterSort = (typeof ROSTER_SORTS)[number];
/** Deepest offset a roster page may start at: narrow the filters to reach further. */
export const ROSTER_MAX_OFFSET = 50_000;
/** Engagement is counted over this many local days, today included. */
export const ENGAGEMENT_WINDOW_DAYS = 14;

export const rosterListInput = z.optional(
  z.strictObject({
    sort: z.optional(z.enum(ROSTER_SORTS)),
    direction: z.optional(z.enum(['asc', 'desc'])),
    /** Part of a name or client id, case-insensitive. */
    search: z.optional(z.string().check(z.maxLength(100))),
    hasOpenAlerts: z.optional(z.boolean()),
    /** Only clients whose engagement (days with a check-in of the last 14) is below this. */
    engagementBelow: z.optional(z.int().check(z.gte(1), z.lte(ENGAGEMENT_WINDOW_DAYS + 1))),
    limit: z.optional(z.int().check(z.gte(1), z.lte(100))),
    cursor: z.optional(z.string().check(z.maxLength(20))),
  }),
);
export type RosterListInput = z.infer<typeof rosterListInput>;

export interface RosterScore {
  total: number;
  max: number;
  severity: Severity;
  at: string;
}

export interface RosterEntry {
  clientId: string;
  name: string | null;
  lastCheckInAt: string | null;
  /** Consecutive local days with a check-in, ending today or yesterday; 0 otherwise. */
  streak: number;
  phq9: RosterScore | null;
  gad7: RosterScore | null;
  openAlerts: number;
  /** Days with at least one check-in among the last 14 local days (today included): 0–14. */
  engagement: number;
}

export interface RosterPage {
  items: RosterEntry[];
  /** Clients matching the filters, across all pages. */
  total: number;
  /** Offset of this page (for "showing 26–50 of 300"). */
  offset: number;
  nextCursor: string | null;
  /** The clinic's calendar: "today" and the 14 days are counted in it. */
  timeZone: string;
  asOfDay: string;
}

const month = z.string().check(
  z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Must be a month written YYYY-MM'),
  z.refine((v) => v >= '2000-01', 'Must be 2000-01 or later'),
);
export const OUTCOMES_MAX_MONTHS = 24;

export const outcomesReportInput = z.optional(
  z
    .strictObject({
      /** First month, YYYY-MM in the clinic's time zone. Default: five months before `to`. */
      from: z.optional(month),
      /** Last month. Default: the current month. */
      to: z.optional(month),
    })
    .check(
      z.superRefine((input, ctx) => {
        if (input.from && input.to && input.from > input.to) {
          ctx.issues.push({ code: 'custom', message: 'Must not be after to', path: ['from'], input: input.from });
        }
      }),
    ),
);
export type OutcomesReportInput = z.infer<typeof outcomesReportInput>;

export interface RetentionCell {
  /** Clients who joined in the month. */
  cohort: number;
  /** Of them, those whose day N has come (joined N or more days ago). */
  measured: number;
  retained: number;
  /** retained / measured, 0–1; null when nobody can be measured yet. */
  rate: number | null;
}

export interface OutcomesMonth {
  /** YYYY-MM in the clinic's time zone. */
  month: string;
  /** The month is still running (its window ends today). */
  partial: boolean;
  engagement: { eligible: number; engaged: number; rate: number | null };
  retention: { d30: RetentionCell; d90: RetentionCell };
  relapse: { occurrences: number; clients: number };
  attendance: { sessions: number; clients: number; group: number; telehealth: number };
  feedback: {
    responses: number;
    /** Means of 1–5 answers, one decimal; null without responses. */
    satisfaction: number | null;
    usefulness: number | null;
    barriers: Record<FeedbackBarrier, number>;
  };
  /**
   * PHQ-9 and GAD-7 check-ins submitted in the month, and how many of them were answered in an
   * unverified translation (the clinic turned it on): those are not validated scores.
   */
  instruments: Record<'phq9' | 'gad7', { scores: number; unverifiedTranslation: number }>;
  /**
   * Brief Addiction Monitor check-ins submitted in the month (`scores`), by how many people
   * (`clients`), and the means of their subscales as the manual scores them (one decimal; null
   * without any): Use 0–12 and Risk factors 0–24, where higher is worse; Protective factors 0–24,
   * where higher is better. `unverifiedTranslation`: how many were answered in an unverified
   * translation (the BAM is published by the VA in English only): not validated scores.
   */
  bam: { scores: number; clients: number; use: number | null; risk: number | null; protective: number | null; unverifiedTranslation: number };
}

export interface OutcomesReport {
  clinicName: string;
  timeZone: string;
  today: string;
  generatedAt: string;
  months: OutcomesMonth[];
}
