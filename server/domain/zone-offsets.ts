/**
 * UTC offsets of IANA zones at given instants, remembered in one bounded LRU shared by the calendar
 * helpers (local-time.ts, local-days.ts): Intl is slow, and zone rules do not change while the
 * process runs. Callers ask at bucket boundaries (a quarter hour, a week), so few instants repeat.
 */
import { LRUCache } from 'lru-cache';
import { zoneOffsetMs } from '../contract/time-zone.js';

const OFFSETS_MAX = 100_000;
const offsets = new LRUCache<string, number>({ max: OFFSETS_MAX });

/** Milliseconds to add to the UTC instant `ms` to get the wall-clock time in `timeZone`. */
export function cachedOffsetMs(ms: number, timeZone: string): number {
  const key = `${timeZone} ${ms}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = zoneOffsetMs(ms, timeZone);
    offsets.set(key, offset);
  }
  return offset;
}
