/**
 * Intl formatters are slow to build (a locale lookup each, tens of microseconds) and a chart or
 * table formats hundreds of values per render, so each locale-and-options pair is built once.
 * A malformed locale still throws, as the constructor does.
 */
const formats = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(kind: string, locale: string, options: object, build: () => T): T {
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
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    zone = 'UTC';
  }
  deviceZone = { zone, offset, at: now };
  return zone;
}
