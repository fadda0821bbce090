import type { Request } from 'express';
import { invalidParam } from './outcome.js';

/**
 * Search parameters and searchset Bundles shared by the FHIR search interactions. A parameter this
 * server does not support is a 400 naming it, never silently ignored: a client must not take an
 * unfiltered page for a filtered one.
 */
export type SearchParams = Map<string, string[]>;

const FORMATS = new Set(['json', 'application/json', 'application/fhir+json']);

/** Each supported parameter's values, one per occurrence (`a=1&a=2` means both); `_format` must be JSON. */
export function searchParams(req: Request, supported: readonly string[]): SearchParams {
  const params: SearchParams = new Map();
  for (const [name, raw] of Object.entries(req.query as Record<string, string | string[] | undefined>)) {
    const values = (Array.isArray(raw) ? raw : [raw ?? '']).map(String);
    if (name === '_format') {
      if (!values.every((v) => FORMATS.has(v))) throw invalidParam(name, 'this server answers JSON only');
      continue;
    }
    if (!supported.includes(name)) throw invalidParam(name, 'not supported here (supported: ' + supported.join(', ') + ')');
    if (values.some((v) => v === '')) throw invalidParam(name, 'empty value');
    params.set(name, values);
  }
  return params;
}

/** `_count` and `_offset` (the offset next links carry): non-negative integers, `_count` at most `max`. */
export function paging(params: SearchParams, defaultCount: number, max: number): { count: number; offset: number } {
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

/** The FHIR base URL as this request reached us. */
export const baseUrlOf = (req: Request) => `${req.protocol}://${req.get('host')}/fhir/R4`;

/** A searchset page of `matches` with self (and next, when more follow) links. */
export function searchset<T extends fhir4.FhirResource>(req: Request, resourceType: string, matches: readonly T[], page: { count: number; offset: number }): fhir4.Bundle<T> {
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
