import type { OnCallInfo, OnCallWindow } from '../contract/index.js';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Reads the clinic's on-call windows, keeping only well-formed ones (a typo must not break the crisis path). */
export function parseOnCallHours(json: string | null | undefined): OnCallWindow[] {
  if (!json) return [];
  try {
    const raw = JSON.parse(json) as unknown;
    if (!Array.isArray(raw)) return [];
    return raw.flatMap((w: Partial<OnCallWindow>) =>
      Array.isArray(w?.days) &&
      w.days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7) &&
      typeof w.start === 'string' &&
      typeof w.end === 'string' &&
      HHMM.test(w.start) &&
      HHMM.test(w.end)
        ? [{ days: [...w.days], start: w.start, end: w.end }]
        : [],
    );
  } catch {
    return [];
  }
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** ISO weekday and minutes since midnight of `at` on the clinic's wall clock. */
function wallClock(at: Date, timeZone: string): { day: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: WEEKDAYS[get('weekday')] ?? 1, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function isOpenAt(windows: OnCallWindow[], timeZone: string, at: Date): boolean {
  const { day, minutes } = wallClock(at, timeZone);
  return windows.some((w) => w.days.includes(day) && minutes >= minutesOf(w.start) && minutes < minutesOf(w.end));
}

const STEP_MS = 15 * 60_000;

/** The next quarter hour, within a week, at which the line is staffed. */
export function nextOpening(windows: OnCallWindow[], timeZone: string, from: Date): Date | null {
  const start = Math.ceil(from.getTime() / STEP_MS) * STEP_MS;
  for (let t = start; t < from.getTime() + 8 * 86_400_000; t += STEP_MS) {
    const at = new Date(t);
    if (isOpenAt(windows, timeZone, at)) return at;
  }
  return null;
}

export function onCallInfo(
  clinic: { on_call_hours?: string | null; on_call_time_zone?: string | null; on_call_phone?: string | null },
  now: Date = new Date(),
): OnCallInfo | null {
  const windows = parseOnCallHours(clinic.on_call_hours);
  const timeZone = clinic.on_call_time_zone && isValidTimeZone(clinic.on_call_time_zone) ? clinic.on_call_time_zone : 'UTC';
  if (windows.length === 0 && !clinic.on_call_phone) return null;
  const openNow = isOpenAt(windows, timeZone, now);
  return {
    timeZone,
    windows,
    phone: clinic.on_call_phone ?? null,
    openNow,
    nextOpenAt: openNow ? null : (nextOpening(windows, timeZone, now)?.toISOString() ?? null),
  };
}
