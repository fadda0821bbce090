/**
 * Calendar arithmetic in a clinic's IANA time zone. Days are `YYYY-MM-DD` strings, months
 * `YYYY-MM`; both compare correctly as text, which is how the database stores them.
 */
import { isTimeZone, zoneOffsetMs } from '../contract/time-zone.js';
import { cachedOffsetMs } from './zone-offsets.js';

export { isTimeZone };

/** The zone, or UTC when the stored value is not one this runtime knows. */
export const safeTimeZone = (value: string | null | undefined): string => (value && isTimeZone(value) ? value : 'UTC');

/** Zones change offset only on quarter-hour boundaries: the offset at the quarter hour's start holds for all of it. */
const QUARTER_HOUR_MS = 900_000;

function offsetMs(ms: number, timeZone: string): number {
  return cachedOffsetMs(Math.floor(ms / QUARTER_HOUR_MS) * QUARTER_HOUR_MS, timeZone);
}

/** The calendar date an instant falls on in the zone. */
export function localDay(instant: Date | string, timeZone: string): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return new Date(ms + offsetMs(ms, timeZone)).toISOString().slice(0, 10);
}

const dayNumber = (day: string) => Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000;
const fromDayNumber = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);

export const addDays = (day: string, days: number): string => fromDayNumber(dayNumber(day) + days);
/** Whole calendar days from `a` to `b` (positive when b is later). */
export const daysBetween = (a: string, b: string): number => dayNumber(b) - dayNumber(a);

export const monthOf = (day: string): string => day.slice(0, 7);
export const firstDayOf = (month: string): string => `${month}-01`;
export function lastDayOf(month: string): string {
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  return fromDayNumber(Date.UTC(y, m, 1) / 86_400_000 - 1);
}
export function addMonths(month: string, months: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The UTC instant at which the local day starts in the zone (handles DST and odd offsets). */
export function startOfLocalDay(day: string, timeZone: string): Date {
  const midnight = dayNumber(day) * 86_400_000;
  let guess = midnight;
  for (let i = 0; i < 3; i++) {
    const shown = guess + zoneOffsetMs(guess, timeZone);
    const next = guess + (midnight - shown);
    if (next === guess) break;
    guess = next;
  }
  return new Date(guess);
}
