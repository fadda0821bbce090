/**
 * FHIR search plumbing shared by the record routes: query parameters (unknown ones refused, repeated
 * ones only where allowed), date prefixes, `_count`, keyset `_cursor` (server/domain/cursor.ts) and
 * searchset Bundles.
 */
import type { Request } from 'express';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { userIdOfPatient } from './codes.js';
import { invalidParam } from './outcome.js';

export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 200;

export type SearchParams = Map<string, string[]>;

const FORMATS = new Set(['json', 'application/json', 'application/fhir+json']);

/**
 * The request's query as name → values. Names outside `allowed` are a 400 naming them; a name not
 * in `repeatable` may appear once; an empty value is a 400 too. `_format` may only ask for JSON.
 */
export function searchParams(req: Request, allowed: readonly string[], repeatable: readonly string[] = []): SearchParams {
  const params: SearchParams = new Map();
  const url = new URL(req.originalUrl, 'http://x');
  for (const [name, value] of url.searchParams) {
    if (name === '_format') {
      if (!FORMATS.has(value)) throw invalidParam(name, 'this server answers JSON only');
      continue;
    }
    if (!allowed.includes(name)) throw invalidParam(name, `not a search parameter this server supports here (supported: ${allowed.join(', ')})`);
    if (value === '') throw invalidParam(name, 'empty value');
    const values = params.get(name) ?? [];
    if (values.length > 0 && !repeatable.includes(name)) throw invalidParam(name, 'may be given once');
    values.push(value);
    params.set(name, values);
  }
  return params;
}

export const one = (params: SearchParams, name: string): string | undefined => params.get(name)?.[0];

export function countOf(params: SearchParams): number {
  const raw = one(params, '_count');
  if (raw === undefined) return DEFAULT_COUNT;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw invalidParam('_count', 'a whole number from 1');
  return Math.min(Number(raw), MAX_COUNT);
}

export function cursorOf(params: SearchParams): { at: string; id: string } | undefined {
  const raw = one(params, '_cursor');
  if (raw === undefined) return undefined;
  try {
    return decodeCursor(raw);
  } catch {
    throw invalidParam('_cursor', 'not a cursor this server issued');
  }
}

/** Only newest-first is supported: `_sort=-<dateParam>` (or absent). */
export function checkSort(params: SearchParams, dateParam: string): void {
  const sort = one(params, '_sort');
  if (sort !== undefined && sort !== `-${dateParam}`) throw invalidParam('_sort', `only -${dateParam} (newest first) is supported`);
}

/**
 * `patient` / `subject` (`Patient/<id>`, `<id>`, or an absolute URL ending in `Patient/<id>`) as the
 * person's user id. An id that cannot be ours names nobody: `null` (the caller answers with nothing).
 */
export function patientParam(params: SearchParams): string | null | undefined {
  const patient = one(params, 'patient');
  const subject = one(params, 'subject');
  if (patient !== undefined && subject !== undefined && patient !== subject) throw invalidParam('subject', 'give patient or subject, not both');
  const value = patient ?? subject;
  if (value === undefined) return undefined;
  const name = patient !== undefined ? 'patient' : 'subject';
  const match = /^(?:.*\/)?(?:Patient\/)?([^/]+)$/.exec(value);
  if (!match || (value.includes('/') && !/(^|\/)Patient\/[^/]+$/.test(value))) throw invalidParam(name, 'a Patient reference: Patient/<id> or <id>');
  return userIdOfPatient(match[1]!) ?? null;
}

export interface TimeRange {
  /** Inclusive lower bound (ISO instant, UTC, as stored). */
  from?: string;
  /** Exclusive upper bound. */
  before?: string;
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The instants [lo, hi) a FHIR date or dateTime value covers (a date without time zone is taken as UTC). */
function span(name: string, value: string): { lo: Date; hi: Date } {
  const date = DATE.exec(value);
  if (date) {
    const [, y, m, d] = date;
    const lo = new Date(Date.UTC(Number(y), m ? Number(m) - 1 : 0, d ? Number(d) : 1));
    const hi = new Date(lo);
    if (d) hi.setUTCDate(hi.getUTCDate() + 1);
    else if (m) hi.setUTCMonth(hi.getUTCMonth() + 1);
    else hi.setUTCFullYear(hi.getUTCFullYear() + 1);
    if (Number.isNaN(lo.getTime()) || (m && lo.getUTCMonth() !== Number(m) - 1) || (d && lo.getUTCDate() !== Number(d))) {
      throw invalidParam(name, `${value} is not a date`);
    }
    return { lo, hi };
  }
  const time = DATE_TIME.exec(value);
  const lo = new Date(value);
  if (!time || Number.isNaN(lo.getTime())) throw invalidParam(name, `${value} is not a date or dateTime (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss[.sss]]+zz:zz)`);
  const precisionMs = time[2] ? 1 : time[1] ? 1000 : 60_000;
  return { lo, hi: new Date(lo.getTime() + precisionMs) };
}

/** Date search values with prefixes eq (default), ge, gt, le, lt, ANDed into one range. */
export function dateRange(params: SearchParams, name: string): TimeRange {
  const range: { from?: Date; before?: Date } = {};
  const raise = (from?: Date) => {
    if (from && (!range.from || from > range.from)) range.from = from;
  };
  const lower = (before?: Date) => {
    if (before && (!range.before || before < range.before)) range.before = before;
  };
  for (const raw of params.get(name) ?? []) {
    const match = /^(eq|ge|gt|le|lt)?(.+)$/.exec(raw);
    const prefix = match?.[1] ?? 'eq';
    const { lo, hi } = span(name, match?.[2] ?? raw);
    if (prefix === 'eq') {
      raise(lo);
      lower(hi);
    } else if (prefix === 'ge') raise(lo);
    else if (prefix === 'gt') raise(hi);
    else if (prefix === 'le') lower(hi);
    else lower(lo);
  }
  return { from: range.from?.toISOString(), before: range.before?.toISOString() };
}

/** Where this server's FHIR base is, as the caller reached it. */
export const baseUrlOf = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;

/** The request URL with `_cursor` replaced (or removed when `cursor` is null). */
export function pageUrl(req: Request, cursor: string | null): string {
  const url = new URL(`${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`);
  url.searchParams.delete('_cursor');
  if (cursor !== null) url.searchParams.set('_cursor', cursor);
  return url.toString();
}

export const nextCursor = (at: string, id: string) => encodeCursor(at, id);

/** A searchset Bundle: entries with fullUrl and search.mode, `self` and (when more) `next` links. */
export function searchset(req: Request, resources: readonly fhir4.FhirResource[], next: string | null, modes?: readonly ('match' | 'include')[]): fhir4.Bundle {
  const base = baseUrlOf(req);
  const link: fhir4.BundleLink[] = [{ relation: 'self', url: `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}` }];
  if (next !== null) link.push({ relation: 'next', url: pageUrl(req, next) });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    link,
    entry: resources.map((resource, i) => ({
      fullUrl: `${base}/${resource.resourceType}/${resource.id ?? ''}`,
      resource,
      search: { mode: modes?.[i] ?? 'match' },
    })),
  };
}

/** `_count` and `_offset` (the offset next links carry): non-negative integers, `_count` at most `max`. */
export function offsetPaging(params: SearchParams, defaultCount: number, max: number): { count: number; offset: number } {
  const number = (name: string, fallback: number) => {
    const values = params.get(name);
    if (!values) return fallback;
    if (values.length > 1 || !/^\d{1,9}$/.test(values[0]!)) throw invalidParam(name, 'must be one non-negative integer');
    return Number(values[0]);
  };
  return { count: Math.min(number('_count', defaultCount), max), offset: number('_offset', 0) };
}

/** A token parameter value against codings: `system|code`, `code` (any system), `|code` (no system), `system|` (any code). */
export function tokenMatches(token: string, codings: readonly fhir4.Coding[]): boolean {
  const bar = token.indexOf('|');
  if (bar < 0) return codings.some((c) => c.code === token);
  const system = token.slice(0, bar);
  const code = token.slice(bar + 1);
  if (!code) return codings.some((c) => c.system === system);
  return codings.some((c) => (system ? c.system === system : !c.system) && c.code === code);
}

/** True when every occurrence of `name` has one comma-separated value `matches` (AND across occurrences, OR within). */
export function matchesAll(params: SearchParams, name: string, matches: (value: string) => boolean): boolean {
  return (params.get(name) ?? []).every((occurrence) => occurrence.split(',').some(matches));
}

/** A searchset page of an in-memory list (conformance resources): `_offset` paging, with self (and next, when more follow) links. */
export function listSearchset<T extends fhir4.FhirResource>(req: Request, resourceType: string, matches: readonly T[], page: { count: number; offset: number }): fhir4.Bundle<T> {
  const base = baseUrlOf(req);
  const link = (offset: number) => {
    const query = new URLSearchParams(Object.entries(req.query as Record<string, string | string[]>).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [k, String(x)])));
    query.set('_offset', String(offset));
    if (offset === 0) query.delete('_offset');
    const search = query.toString();
    return `${base}/${resourceType}${search ? `?${search}` : ''}`;
  };
  const entries = matches.slice(page.offset, page.offset + page.count);
  const next = page.offset + entries.length < matches.length && page.count > 0;
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: matches.length,
    link: [{ relation: 'self', url: link(page.offset) }, ...(next ? [{ relation: 'next', url: link(page.offset + entries.length) }] : [])],
    entry: entries.map((resource) => ({ fullUrl: `${base}/${resourceType}/${resource.id}`, resource, search: { mode: 'match' } })),
  };
}
