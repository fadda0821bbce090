import { dateTimeFormat, numberFormat } from '../core/intl.js';

/** The locale's formatter (memoised in core/intl.ts); English when the locale is malformed. */
function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return dateTimeFormat(locale, options);
  } catch {
    return dateTimeFormat('en', options);
  }
}

export const formatDateTime = (iso: string, locale: string) =>
  dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

export const formatDate = (iso: string, locale: string) => dateFormat(locale, { dateStyle: 'medium' }).format(new Date(iso));

/** `2026-03` → "March 2026" (or "mar 2026") in the locale; the month is a calendar month, not an instant. */
export const formatMonth = (month: string, locale: string, style: 'long' | 'short' = 'long') =>
  dateFormat(locale, { month: style, year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-15T12:00:00Z`));

export function formatPercent(rate: number | null, locale: string): string | null {
  if (rate === null) return null;
  try {
    return numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(rate);
  } catch {
    return `${Math.round(rate * 100)}%`;
  }
}

export function formatNumber(n: number, locale: string, digits = 0): string {
  try {
    return numberFormat(locale, { maximumFractionDigits: digits }).format(n);
  } catch {
    return String(n);
  }
}
