import * as z from 'zod/mini';
import { CRISIS_LINES, crisisInfoFor, type RegionCrisisInfo } from './hotlines.js';
import type { SafetyPlanContact } from './safety-plan.js';

export const crisisResourcesInput = z.optional(
  z.strictObject({
    /** BCP 47 locale of the reader, e.g. `es-MX`: lines in that language come first. */
    locale: z.optional(z.string().check(z.regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, 'Use a BCP 47 locale such as en-US'))),
    /** ISO 3166 region, e.g. `GB`; defaults to the clinic's region. */
    region: z.optional(z.string().check(z.regex(/^[A-Za-z]{2}$/, 'Use a two-letter region such as US'))),
  }),
);
export type CrisisResourcesInput = z.infer<typeof crisisResourcesInput>;

/** ISO weekday: 1 = Monday … 7 = Sunday. Times are the clinic's wall clock, `HH:MM`, end exclusive. */
export interface OnCallWindow {
  days: number[];
  start: string;
  end: string;
}

export interface OnCallInfo {
  /** IANA time zone the windows are in, e.g. `America/New_York`. */
  timeZone: string;
  windows: OnCallWindow[];
  /** The clinic's on-call phone line, if it has one. */
  phone: string | null;
  /** Whether the on-call line is staffed at the moment the server answered. */
  openNow: boolean;
  /** When it is next staffed (ISO-8601), if it is closed now and opens within a week. */
  nextOpenAt: string | null;
}

export interface CrisisResources extends RegionCrisisInfo {
  /** Crisis lines ordered for the reader's language. */
  language: string;
  /** Phone numbers from the client's own safety plan (empty for staff). */
  contacts: SafetyPlanContact[];
  onCall: OnCallInfo | null;
  /** When the server answered; widgets show it for cached copies. */
  fetchedAt: string;
}

export const crisisAlertInput = z.strictObject({
  /** Idempotency key: the same id twice creates one alert and one notification. */
  clientRequestId: z.uuid(),
  /** When the person pressed the button (it may be sent later from the device's queue). */
  requestedAt: z.optional(z.iso.datetime({ offset: true })),
});
export type CrisisAlertInput = z.infer<typeof crisisAlertInput>;

export interface CrisisAlertResult {
  alertId: string;
  clientRequestId: string;
  createdAt: string;
  /**
   * True when the clinic's on-call system has been paged for this alert (the page is on its way or
   * was delivered), not only the alerts inbox. A press while the person's crisis alert is open joins
   * that alert (same alertId) and is not paged again.
   */
  paged: boolean;
  onCall: OnCallInfo | null;
}

/**
 * Which country's lines to show: the region the portal set, else the region in the reader's locale
 * (`en-GB`), else the clinic's region, else the language's usual country. Server and widgets agree,
 * so the dialog shows the same lines offline as online.
 */
export function crisisInfoForReader(locale: string, explicitRegion?: string | null, clinicRegion?: string | null): RegionCrisisInfo {
  const known = (r: string | null | undefined) => (r && CRISIS_LINES[r.toUpperCase()] ? r.toUpperCase() : null);
  const localeRegion = locale.split(/[-_]/).find((part, i) => i > 0 && /^[A-Za-z]{2}$/.test(part));
  const region = known(explicitRegion) ?? known(localeRegion) ?? known(clinicRegion);
  return crisisInfoFor(locale, region);
}

/** The reader's crisis lines with those in their language first. */
export function linesForLanguage(info: RegionCrisisInfo, locale: string): RegionCrisisInfo['lines'] {
  const language = locale.toLowerCase().split(/[-_]/)[0] ?? 'en';
  return [...info.lines].sort((a, b) => Number(b.languages.includes(language)) - Number(a.languages.includes(language)));
}
