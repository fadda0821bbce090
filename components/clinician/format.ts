import type { TFunction } from 'i18next';
import { html } from 'lit';
import type { Failure } from '../core/api-client.js';

const cache = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, options);
    } catch {
      f = new Intl.DateTimeFormat('en', options);
    }
    cache.set(key, f);
  }
  return f;
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
    return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(rate);
  } catch {
    return `${Math.round(rate * 100)}%`;
  }
}

export function formatNumber(n: number, locale: string, digits = 0): string {
  try {
    return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n);
  } catch {
    return String(n);
  }
}

/** The message for a failed load, in the widget's namespace: `<ns>.forbidden`, `<ns>.loadFailed`; sign-in and offline are shared. */
export function failureText(failure: Failure, namespace: string, t: TFunction): string {
  switch (failure.kind) {
    case 'signed-out':
      return t('common.signedOut');
    case 'forbidden':
      return t(`${namespace}.forbidden`);
    case 'offline':
      return t(`${namespace}.offline`);
    default:
      return t(`${namespace}.loadFailed`);
  }
}

export function renderFailure(failure: Failure, namespace: string, t: TFunction, retry: () => void) {
  const canRetry = failure.kind !== 'forbidden' && failure.kind !== 'signed-out';
  return html`<div class="notice warning" part="notice">
    <p>${failureText(failure, namespace, t)}</p>
    ${canRetry ? html`<button part="button" type="button" @click=${retry}>${t('common.retry')}</button>` : null}
  </div>`;
}
