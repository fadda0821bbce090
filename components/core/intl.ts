/**
 * Intl formatters are slow to build (a locale lookup each, tens of microseconds) and a chart or
 * table formats hundreds of values per render, so each locale-and-options pair is built once.
 * A malformed locale still throws, as the constructor does.
 */
type Formatter = Intl.DateTimeFormat | Intl.NumberFormat | Intl.ListFormat | Intl.DisplayNames;
const formats = new Map<string, Formatter>();

function cached<T extends Formatter>(kind: string, locale: string, options: object, build: () => T): T {
  const key = `${kind}|${locale}|${JSON.stringify(options)}`;
  let format = formats.get(key) as T | undefined;
  if (!format) {
    format = build();
    formats.set(key, format);
  }
  return format;
}

export const dateTimeFormat = (locale: string, options: Intl.DateTimeFormatOptions = {}): Intl.DateTimeFormat =>
  cached('date', locale, options, () => new Intl.DateTimeFormat(locale, options));

export const numberFormat = (locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat =>
  cached('number', locale, options, () => new Intl.NumberFormat(locale, options));

export const listFormat = (locale: string | string[], options: Intl.ListFormatOptions = {}): Intl.ListFormat =>
  cached('list', String(locale), options, () => new Intl.ListFormat(locale, options));

export const displayNames = (locale: string, options: Intl.DisplayNamesOptions): Intl.DisplayNames =>
  cached('names', locale, options, () => new Intl.DisplayNames([locale], options));

const prepared = new Set<string>();

/** Runs `task` in a task of its own after the next frame is painted (never, in a hidden tab: nothing waits for it). */
const afterNextPaint = (task: () => void): void => {
  requestAnimationFrame(() => setTimeout(task));
};

/**
 * The first Intl.NumberFormat of a page loads ICU's locale data (25–35 ms on a 2-core machine,
 * 100–140 ms under Lighthouse's 4× slowdown); a date format after it costs a few more. A widget
 * prepares both for its locale once the page is idle after its first render, each in a task of its
 * own, so the render that shows its data does not also pay for them. Once per locale and page.
 * After the next paint, so the widget's first render is on screen first; a timer, not an idle
 * callback, because the data often arrives before the page is ever idle.
 */
export function prepareFormatters(locale: string): void {
  if (prepared.has(locale)) return;
  prepared.add(locale);
  const quietly = (build: () => unknown) => () => {
    try {
      build();
    } catch {
      // A malformed locale throws where the widget formats with it, as before.
    }
  };
  afterNextPaint(quietly(() => numberFormat(locale)));
  afterNextPaint(quietly(() => dateTimeFormat(locale, { dateStyle: 'medium' })));
}

let deviceZone: { zone: string; offset: number; at: number } | null = null;

/**
 * The device's IANA time zone (UTC when unknown). Asking Intl costs most of a millisecond and an
 * element asks on every update, so the answer is kept while the device's UTC offset stays the same,
 * for at most a minute: a person who travels sees their new zone at the next update.
 */
export function deviceTimeZone(): string {
  const now = Date.now();
  const offset = new Date(now).getTimezoneOffset();
  if (deviceZone && deviceZone.offset === offset && now - deviceZone.at < 60_000 && now >= deviceZone.at) return deviceZone.zone;
  let zone = 'UTC';
  try {
    // Temporal answers from the host's zone setting (under a millisecond); the first
    // Intl.DateTimeFormat of a page loads the locale's date data first (100–300 ms under
    // Lighthouse's 4× slowdown), which the first render of a widget need not wait for.
    const temporal = (globalThis as { Temporal?: { Now?: { timeZoneId?: () => string } } }).Temporal;
    zone = temporal?.Now?.timeZoneId?.() || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    zone = 'UTC';
  }
  deviceZone = { zone, offset, at: now };
  return zone;
}
