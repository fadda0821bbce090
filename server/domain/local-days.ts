/**
 * Calendar days in a person's time zone, as whole numbers (days since 1970-01-01 on their
 * calendar), so streaks are runs of consecutive integers and "today" is one subtraction away.
 *
 * Converting thousands of timestamps with Intl one by one costs milliseconds; UTC offsets change
 * only at DST transitions, so offsets are looked up once per week-long bucket and exactly only in
 * the rare bucket that holds a transition.
 */
import { zoneOffsetMs } from '../contract/time-zone.js';
import { cachedOffsetMs } from './zone-offsets.js';

const DAY_MS = 86_400_000;
const BUCKET_MS = 7 * DAY_MS;

export const dayOfDate = (date: string): number => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
export const dateOfDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
export const yearOfDay = (day: number): number => new Date(day * DAY_MS).getUTCFullYear();
export const firstDayOfYear = (year: number): number => Math.floor(Date.UTC(year, 0, 1) / DAY_MS);

/** The zone's calendar. It holds no state of its own: bucket offsets live in the shared zone-offsets cache. */
export function calendarFor(timeZone: string): ZoneCalendar {
  return new ZoneCalendar(timeZone);
}

export class ZoneCalendar {
  private readonly utc: boolean;
  constructor(readonly timeZone: string) {
    this.utc = timeZone === 'UTC' || timeZone === 'Etc/UTC';
  }

  /** Milliseconds to add to a UTC instant to get the wall-clock time in the zone. */
  offsetAt(ms: number): number {
    return this.utc ? 0 : zoneOffsetMs(ms, this.timeZone);
  }

  /** The local calendar day of a UTC instant. */
  dayOf(ms: number): number {
    if (this.utc) return Math.floor(ms / DAY_MS);
    const bucket = Math.floor(ms / BUCKET_MS);
    const start = this.boundaryOffset(bucket);
    // A transition inside the bucket: look this instant up exactly.
    const offset = start === this.boundaryOffset(bucket + 1) ? start : this.offsetAt(ms);
    return Math.floor((ms + offset) / DAY_MS);
  }

  /** Offset at the start of a week-long bucket. */
  private boundaryOffset(bucket: number): number {
    return cachedOffsetMs(bucket * BUCKET_MS, this.timeZone);
  }

  /** The UTC instant at which local day `day` begins, give or take the zone's offset (callers filter by dayOf). */
  roughStartOf(day: number): number {
    return day * DAY_MS - 14 * 3_600_000;
  }
}
