/** Shared by the server and the widgets: IANA zone names and wall-clock time in a zone. */

/**
 * A bounded least-recently-used map: a read moves the entry to the end of the Map's insertion
 * order, and a write past `maxSize` drops the first (least recently used) entry. A dozen lines in
 * place of the quick-lru package, which the widgets' core chunk carried at 3.3 kB.
 */
class BoundedLru<K, V> {
  readonly #entries = new Map<K, V>();
  constructor(private readonly maxSize: number) {}

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    if (!this.#entries.has(key)) return undefined;
    const value = this.#entries.get(key) as V;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.maxSize) this.#entries.delete(this.#entries.keys().next().value as K);
  }
}

/**
 * Zone names are case-insensitive (`america/NEW_york`), so callers can send endless spellings of one
 * zone: each spelling maps to its canonical name (bounded LRU), and formatters are kept per
 * canonical name only (a few hundred zones exist).
 */
const canonicalNames = new BoundedLru<string, string | null>(2_000);
const formatters = new BoundedLru<string, Intl.DateTimeFormat>(1_000);

/** Formatters kept now (for the memory test). */
export const cachedTimeZoneFormatters = (): number => formatters.size;

/** The runtime's canonical spelling of an IANA zone name (`america/new_york` → `America/New_York`), or null. */
export function canonicalTimeZone(value: string): string | null {
  const known = canonicalNames.get(value);
  if (known !== undefined) return known;
  let canonical: string | null = null;
  if (/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(value)) {
    try {
      canonical = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    } catch {
      canonical = null;
    }
  }
  canonicalNames.set(value, canonical);
  return canonical;
}

function wallClockFormatter(zone: string): Intl.DateTimeFormat {
  const timeZone = canonicalTimeZone(zone);
  if (timeZone === null) throw new RangeError(`Unknown time zone: ${zone}`);
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True for an IANA zone name the runtime knows (`America/New_York`, `UTC`), in any letter case. */
export const isTimeZone = (value: string): boolean => canonicalTimeZone(value) !== null;

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The date and time a clock in the zone shows at an instant. */
export function wallClock(instantMs: number, timeZone: string): WallClock {
  const p: Record<string, number> = {};
  for (const part of wallClockFormatter(timeZone).formatToParts(instantMs)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour! % 24, minute: p.minute!, second: p.second! };
}

/** How far the zone's clock is ahead of UTC at an instant, in ms (negative west of Greenwich). */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const w = wallClock(instantMs, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(instantMs / 1000) * 1000;
}
