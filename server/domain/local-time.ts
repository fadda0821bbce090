/**
 * Calendar arithmetic in a clinic's IANA time zone. Days are `YYYY-MM-DD` strings, months
 * `YYYY-MM`; both compare correctly as text, which is how the database stores them.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(value: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(value)) return false;
  try {
    formatter(value);
    return true;
  } catch {
    return false;
  }
}

/** The zone, or UTC when the stored value is not one this runtime knows. */
export const safeTimeZone = (value: string | null | undefined): string => (value && isTimeZone(value) ? value : 'UTC');

function parts(instant: Date, timeZone: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** Offsets by zone and quarter hour: zones change offset only on quarter-hour boundaries, and Intl is slow. */
const offsets = new Map<string, Map<number, number>>();
const QUARTER_HOUR_MS = 900_000;

function offsetMs(ms: number, timeZone: string): number {
  let byZone = offsets.get(timeZone);
  if (!byZone) offsets.set(timeZone, (byZone = new Map()));
  const bucket = Math.floor(ms / QUARTER_HOUR_MS);
  let offset = byZone.get(bucket);
  if (offset === undefined) {
    const at = bucket * QUARTER_HOUR_MS;
    const p = parts(new Date(at), timeZone);
    offset = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - at;
    if (byZone.size > 50_000) byZone.clear();
    byZone.set(bucket, offset);
  }
  return offset;
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
  const wallClock = dayNumber(day) * 86_400_000;
  let guess = wallClock;
  for (let i = 0; i < 3; i++) {
    const p = parts(new Date(guess), timeZone);
    const shown = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
    const next = guess + (wallClock - shown);
    if (next === guess) break;
    guess = next;
  }
  return new Date(guess);
}
