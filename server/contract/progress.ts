import * as z from 'zod/mini';
import type { Severity } from './check-in.js';
import { canonicalTimeZone, isTimeZone } from './time-zone.js';

/** Local calendar date `YYYY-MM-DD` that exists (no 2026-02-30). */
function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** An IANA zone name in any letter case; the procedure gets the canonical spelling (`America/New_York`). */
export const timeZoneSchema = z.pipe(
  z.string().check(z.maxLength(64), z.refine(isTimeZone, 'Must be an IANA time zone such as America/New_York or UTC')),
  z.transform((value: string) => canonicalTimeZone(value) ?? value),
);

export const calendarDateSchema = z.string().check(
  z.refine(isCalendarDate, 'Must be a date written YYYY-MM-DD'),
  z.refine((v) => v >= '1900-01-01', 'Must be 1900-01-01 or later'),
);

export const TREND_DAYS = 90;
export const TREND_RANGES = [7, 30, 90] as const;
export type TrendRange = (typeof TREND_RANGES)[number];

export const progressSummaryInput = z.optional(
  z.strictObject({
    /** Staff name the client; a client may leave it out or name themselves. */
    clientId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    /** Days, streaks and trends are counted in this zone. Default UTC. */
    timeZone: z.optional(timeZoneSchema),
  }),
);
export type ProgressSummaryInput = z.infer<typeof progressSummaryInput>;

export const setRecoveryStartInput = z.strictObject({
  date: calendarDateSchema,
  /** Zone that decides what "today" is when checking the date is not in the future. Default UTC. */
  timeZone: z.optional(timeZoneSchema),
});
export type SetRecoveryStartInput = z.infer<typeof setRecoveryStartInput>;

export const recordModuleInput = z.strictObject({
  clientId: z.string().check(z.minLength(1), z.maxLength(200)),
  /** The clinic's own id for the module; recording it twice keeps the first record. */
  moduleId: z.string().check(z.minLength(1), z.maxLength(100)),
  title: z.string().check(z.minLength(1), z.maxLength(200)),
  completedAt: z.optional(z.iso.datetime({ offset: true })),
});
export type RecordModuleInput = z.infer<typeof recordModuleInput>;

export const saveGoalInput = z
  .strictObject({
    /** Made by the device, so a retried save updates the same goal. */
    id: z.uuid(),
    title: z.string().check(z.minLength(1), z.maxLength(200)),
    target: z.int().check(z.gte(1), z.lte(10_000)),
    current: z.int().check(z.gte(0), z.lte(10_000)),
    archived: z.optional(z.boolean()),
  })
  .check(
    z.superRefine((input, ctx) => {
      if (input.current > input.target) {
        ctx.issues.push({ code: 'custom', message: 'Must not be more than target', path: ['current'], input: input.current });
      }
    }),
  );
export type SaveGoalInput = z.infer<typeof saveGoalInput>;

/** Score bands as the instruments define them; the widget shades them behind the score charts. */
export interface SeverityBand {
  severity: Severity;
  min: number;
  max: number;
}
export const PHQ9_BANDS: readonly SeverityBand[] = [
  { severity: 'minimal', min: 0, max: 4 },
  { severity: 'mild', min: 5, max: 9 },
  { severity: 'moderate', min: 10, max: 14 },
  { severity: 'moderately_severe', min: 15, max: 19 },
  { severity: 'severe', min: 20, max: 27 },
];
export const GAD7_BANDS: readonly SeverityBand[] = [
  { severity: 'minimal', min: 0, max: 4 },
  { severity: 'mild', min: 5, max: 9 },
  { severity: 'moderate', min: 10, max: 14 },
  { severity: 'severe', min: 15, max: 21 },
];

export interface Goal {
  id: string;
  title: string;
  target: number;
  current: number;
  completed: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TrendPoint {
  /** Local date `YYYY-MM-DD` in the summary's time zone. */
  date: string;
  /** Means of the day's daily check-ins; null when there was none that day. */
  mood: number | null;
  craving: number | null;
  sleepHours: number | null;
}

export interface ScorePoint {
  at: string;
  date: string;
  total: number;
  max: number;
  severity: Severity;
}

/** One Brief Addiction Monitor result: the manual's subscales (Use 0–12, Risk factors 0–24: lower is better; Protective factors 0–24: higher is better). */
export interface BamPoint {
  at: string;
  date: string;
  use: number;
  risk: number;
  protective: number;
}

export interface ProgressSummary {
  clientId: string;
  timeZone: string;
  /** Today in `timeZone`. */
  today: string;
  recovery: {
    /** The date the person set as the start of their recovery, if any. */
    startDate: string | null;
    /**
     * First day of the current stretch: the start date, or the day after the latest reported use
     * if that is later, or the first check-in when no start date is set. Null with no data at all.
     */
    stretchStart: string | null;
    stretchStartedBy: 'start_date' | 'reported_use' | 'first_check_in' | null;
    /** Today is day 1 on the stretch's first day; 0 when a use was reported today (the stretch starts tomorrow). */
    daysInStretch: number | null;
    /** Days of this calendar year from the recovery start through today without a reported use. */
    daysThisYear: number | null;
    year: number;
  };
  sessionsAttended: { total: number; group: number; telehealth: number };
  modules: { completed: number; recent: { moduleId: string; title: string; completedAt: string }[] };
  checkIns: {
    total: number;
    lastOn: string | null;
    checkedInToday: boolean;
    /** Consecutive days with a daily check-in ending today, or yesterday while today is not over. */
    currentStreak: number;
    longestStreak: number;
  };
  goals: Goal[];
  /** One point per day, oldest first, ending today: TREND_DAYS points. */
  trend: TrendPoint[];
  scores: { phq9: ScorePoint[]; gad7: ScorePoint[] };
  /** Brief Addiction Monitor results, oldest first (the latest 52). */
  bam: BamPoint[];
}

export interface RecordedModule {
  clientId: string;
  moduleId: string;
  title: string;
  completedAt: string;
}

export interface RecoveryStartResult {
  startDate: string;
  previousStartDate: string | null;
}
