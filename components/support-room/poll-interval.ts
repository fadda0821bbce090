/**
 * `poll-interval` was in milliseconds on `<care-support-room>` before it took seconds like
 * `<care-alerts>`. For one release, a value of 1000 or more is still read as milliseconds.
 */
const LEGACY_MILLISECONDS_FROM = 1000;

/** Seconds between polls for a `poll-interval` value (0 or less: never), and whether it was the legacy millisecond form. */
export function pollSeconds(value: number): { seconds: number; legacy: boolean } {
  if (!Number.isFinite(value) || value <= 0) return { seconds: 0, legacy: false };
  if (value >= LEGACY_MILLISECONDS_FROM) return { seconds: value / 1000, legacy: true };
  return { seconds: value, legacy: false };
}
