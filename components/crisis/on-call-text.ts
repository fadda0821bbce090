import type { TFunction } from 'i18next';
import type { OnCallInfo, OnCallWindow } from '../../server/contract/crisis.js';
import onCallStrings from '../../locales/en/onCall.json';
import { addEnglish } from '../core/i18n.js';
import { dateTimeFormat, listFormat } from '../core/intl.js';

addEnglish({ onCall: onCallStrings });

/** Monday 2024-01-01 at noon UTC: ISO weekday d is 2024-01-0d. */
const weekdayName = (day: number, locale: string) =>
  dateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, day, 12)));

function dayRanges(days: number[], locale: string): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const d of sorted) {
    const last = ranges.at(-1);
    if (last && d === last[1] + 1) last[1] = d;
    else ranges.push([d, d]);
  }
  const names = ranges.flatMap(([a, b]) =>
    a === b ? [weekdayName(a, locale)] : b === a + 1 ? [weekdayName(a, locale), weekdayName(b, locale)] : [`${weekdayName(a, locale)}–${weekdayName(b, locale)}`],
  );
  // "Mon–Fri and Sun", "lun–vie y dom", "周一–周五和周日": joined the reader's way.
  return listFormat(locale, { type: 'conjunction', style: 'long' }).format(names);
}

function zoneName(timeZone: string, locale: string): string {
  try {
    const parts = dateTimeFormat(locale, { timeZone, timeZoneName: 'long' }).formatToParts(new Date());
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
  } catch {
    return timeZone;
  }
}

/** "Mon–Fri 09:00–17:00 (Eastern Standard Time)" in the reader's language. */
export function formatOnCallHours(onCall: Pick<OnCallInfo, 'windows' | 'timeZone'>, locale: string): string {
  if (onCall.windows.length === 0) return '';
  const windows = onCall.windows.map((w: OnCallWindow) => `${dayRanges(w.days, locale)} ${w.start}–${w.end}`).join('; ');
  return `${windows} (${zoneName(onCall.timeZone, locale)})`;
}

/** "Monday 09:00" on the clinic's clock, in the reader's language. */
export function formatOpening(iso: string, timeZone: string, locale: string): string {
  try {
    return dateTimeFormat(locale, { timeZone, weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
  } catch {
    return iso;
  }
}

/**
 * When the clinic's on-call line is staffed, in a sentence: "… staffed Mon–Fri 09:00–17:00 (…), and
 * someone is there now", "… closed now and opens again Monday 09:00", or just the hours. Empty when
 * the clinic set no hours. Uses the `onCall` strings.
 */
export function onCallStatus(onCall: OnCallInfo | null, locale: string, t: TFunction): string {
  const hours = onCall ? formatOnCallHours(onCall, locale) : '';
  if (!onCall || !hours) return '';
  if (onCall.openNow) return t('onCall.openNow', { hours });
  if (onCall.nextOpenAt) return t('onCall.closedUntil', { hours, next: formatOpening(onCall.nextOpenAt, onCall.timeZone, locale) });
  return t('onCall.hours', { hours });
}
