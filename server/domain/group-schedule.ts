import { ROOM_OPENS_EARLY_MINUTES, WEEKDAYS, type GroupSession, type SessionTime } from '../contract/groups.js';
import { wallClock, zoneOffsetMs } from '../contract/time-zone.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

const localParts = wallClock;
const offsetAt = zoneOffsetMs;

/** The instant a wall-clock time happens in a zone (a time skipped by a DST change moves forward). */
export function zonedTimeToInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const first = asUtc - offsetAt(asUtc, timeZone);
  const second = asUtc - offsetAt(first, timeZone);
  return first === second ? first : Math.max(first, second);
}

/** Sessions overlapping [from, from + days), soonest first. */
export function sessionsFrom(schedule: GroupSession[], timeZone: string, from: number, days = 8): SessionTime[] {
  const today = localParts(from, timeZone);
  const out: { start: number; end: number }[] = [];
  for (let k = -1; k <= days; k++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + k));
    const weekday = WEEKDAYS[date.getUTCDay()];
    for (const session of schedule) {
      if (session.day !== weekday) continue;
      const [hour, minute] = session.start.split(':').map(Number) as [number, number];
      const start = zonedTimeToInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), hour, minute, timeZone);
      const end = start + session.minutes * MINUTE;
      if (end > from && start < from + days * DAY) out.push({ start, end });
    }
  }
  out.sort((a, b) => a.start - b.start);
  return out.map((s) => ({ start: new Date(s.start).toISOString(), end: new Date(s.end).toISOString() }));
}

/** When a session's room opens (a little before it starts). */
export const opensAt = (session: SessionTime): number => Date.parse(session.start) - ROOM_OPENS_EARLY_MINUTES * MINUTE;

/** The session whose room is open at `now`, if any. */
export function openSession(schedule: GroupSession[], timeZone: string, now: number): SessionTime | null {
  return sessionsFrom(schedule, timeZone, now, 1).find((s) => opensAt(s) <= now && now < Date.parse(s.end)) ?? null;
}
