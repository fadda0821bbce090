import { randomBytes, randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import type { Principal } from '../auth/principal.js';
import { DEFAULT_MAX_TOKEN_LIFETIME_S } from '../auth/verify-token.js';
import type { Answers, RiskReason, Score, TemplateId } from '../contract/index.js';
import { TEMPLATE_IDS, TEMPLATES } from '../contract/templates.js';
import { canonicalTimeZone } from '../contract/time-zone.js';
import { isUniqueViolation, type Db } from '../db/index.js';
import { fromJson, fromJsonOrNull, toJson } from '../db/json.js';
import { LANGUAGES } from '../contract/languages.js';
import type { AdminClinicView, ClinicPublicSettings } from '../contract/admin.js';
import { INSTRUMENTS, isInstrument, provenanceOf, translationKey, type Instrument } from '../contract/provenance.js';
import { lookup } from '../fhir/texts.js';
import { riskRulesDocument } from '../contract/risk-rules.js';
import { assessRisk, riskRulesFrom, type RiskRules } from './risk.js';

/**
 * A clinic's settings as its administrators change them: from the `care` command line today, from
 * the `<care-admin>` widget's tRPC router later. Every change is one transaction that also writes
 * an `admin_changes` row (who, what, before, after; secrets recorded only as "rotated"), and every
 * value is checked first: a refusal names the field and nothing is changed.
 */

/** Who makes a change: the command line (an OS user on the server) or a clinic admin's token. */
export type AdminActor = { kind: 'cli'; user: string } | { kind: 'admin'; principal: Principal };

export const actorLabel = (actor: AdminActor): string =>
  actor.kind === 'cli' ? `cli:${actor.user}` : `admin:${actor.principal.userId}`;

/** Why a change was refused: `invalid` (a value), `not_found` (no such clinic), `conflict` (already exists). */
export class ClinicAdminError extends Error {
  constructor(
    message: string,
    readonly field: string,
    readonly kind: 'invalid' | 'not_found' | 'conflict' = 'invalid',
  ) {
    super(message);
  }
}

/** The languages the widgets are translated into (components/core/i18n.ts SUPPORTED_LANGUAGES). */
export const CLINIC_LANGUAGES = LANGUAGES;
export const MIN_TOKEN_LIFETIME_S = 60;
export const MAX_TOKEN_LIFETIME_S = 30 * 86_400;
/** Longest grace a rotated secret may keep verifying. */
export const MAX_GRACE_S = 30 * 86_400;
/** Bytes of a new HS256 secret (printed as base64url: 43 characters). */
const SECRET_BYTES = 32;
/** How far back `rules test` re-scores check-ins. */
export const RULES_TEST_DAYS = 30;

const clinicIdSchema = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'must be 1–100 letters, digits, _ . - (starting with a letter or digit)'));
const nameSchema = z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(200, 'must be at most 200 characters'));
const regionSchema = z.string().check(z.regex(/^[A-Z]{2}$/, 'must be a two-letter country code in capitals, e.g. US'));
const localeSchema = z.enum(CLINIC_LANGUAGES, `must be one of ${CLINIC_LANGUAGES.join(', ')}`);
const languagesSchema = z.array(localeSchema).check(z.minLength(1, 'must name at least one language'));
const templatesSchema = z
  .array(z.enum(TEMPLATE_IDS, `must be among ${TEMPLATE_IDS.join(', ')}`))
  .check(z.minLength(1, 'must name at least one template'));
const lifetimeSchema = z
  .number()
  .check(z.int('must be a whole number of seconds'), z.gte(MIN_TOKEN_LIFETIME_S, `must be at least ${MIN_TOKEN_LIFETIME_S} s`), z.lte(MAX_TOKEN_LIFETIME_S, `must be at most ${MAX_TOKEN_LIFETIME_S} s (30 days)`));

/** What `create` and `set` accept; every key optional for `set`. */
export interface ClinicSettingsInput {
  name?: string;
  region?: string;
  timeZone?: string;
  defaultLocale?: string;
  languages?: string[];
  templates?: string[];
  maxTokenLifetimeS?: number;
  /** `phq9:ar`-style pairs: unverified instrument translations the clinic shows anyway (replaces the list; [] turns all off). */
  unverifiedTranslations?: string[];
}

/** The settings as stored and shown (no secret: only whether one is set): server/contract/admin.ts adminClinicView. */
export type ClinicView = AdminClinicView;

/** The first failing field of a zod/mini parse, as a ClinicAdminError. */
export function check<T>(schema: z.ZodMiniType<T>, value: unknown, field: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = [field, ...(issue?.path ?? []).map(String)].join('.');
  throw new ClinicAdminError(`${at} ${issue?.message ?? 'is invalid'}`, at);
}

export function checkTimeZone(value: unknown, field = 'timeZone'): string {
  const zone = typeof value === 'string' ? canonicalTimeZone(value) : null;
  if (!zone) throw new ClinicAdminError(`${field} must be an IANA time zone such as Europe/Paris (got ${JSON.stringify(value)})`, field);
  return zone;
}

/** Checks every given setting; the result holds only the keys given, in stored form. */
function checkSettings(input: ClinicSettingsInput): Partial<Omit<ClinicView, 'id' | 'keys' | 'jwksUrl' | 'previousSecretValidUntil' | 'origins' | 'createdAt'>> {
  const out: ReturnType<typeof checkSettings> = {};
  if (input.name !== undefined) out.name = check(nameSchema, input.name, 'name');
  if (input.region !== undefined) out.region = check(regionSchema, input.region, 'region');
  if (input.timeZone !== undefined) out.timeZone = checkTimeZone(input.timeZone);
  if (input.defaultLocale !== undefined) out.defaultLocale = check(localeSchema, input.defaultLocale, 'defaultLocale');
  if (input.languages !== undefined) out.languages = [...new Set(check(languagesSchema, input.languages, 'languages'))];
  if (input.templates !== undefined) out.templates = [...new Set(check(templatesSchema, input.templates, 'templates'))];
  if (input.maxTokenLifetimeS !== undefined) out.maxTokenLifetimeS = check(lifetimeSchema, input.maxTokenLifetimeS, 'maxTokenLifetime');
  if (input.unverifiedTranslations !== undefined) out.unverifiedTranslations = checkUnverifiedTranslations(input.unverifiedTranslations);
  return out;
}

/** Whether locales/<language> translates the instrument's items, or carries the English wording (a new language without a published form). */
export function hasTranslation(instrument: Instrument, language: string): boolean {
  if (language === 'en') return false;
  const keys = ['intro', ...TEMPLATES[instrument].questions.map((q) => `${q.id}.label`)];
  return keys.some((key) => {
    const text = lookup(language, `templates.${instrument}.${key}`);
    return text !== undefined && text !== lookup('en', `templates.${instrument}.${key}`);
  });
}

/**
 * `phq9:ar,gad7:ar,bam:es`: each an instrument (phq9, gad7, bam) and a language whose translation of it is
 * unverified and exists (a language that carries the English wording has nothing to turn on).
 */
function checkUnverifiedTranslations(value: unknown): string[] {
  const field = 'unverifiedTranslations';
  if (!Array.isArray(value) || value.length > INSTRUMENTS.length * CLINIC_LANGUAGES.length) {
    throw new ClinicAdminError(`${field} must be a list of instrument:language pairs such as phq9:ar`, field);
  }
  const out = new Set<string>();
  value.forEach((pair: unknown, i) => {
    const at = `${field}.${i}`;
    const [instrument = '', language = '', ...rest] = typeof pair === 'string' ? pair.trim().split(':') : [];
    if (!isInstrument(instrument) || language === '' || rest.length > 0) {
      throw new ClinicAdminError(`${at} must be instrument:language with an instrument among ${INSTRUMENTS.join(', ')} (got ${JSON.stringify(pair)})`, at);
    }
    const lang = CLINIC_LANGUAGES.find((l) => l === language);
    if (!lang) throw new ClinicAdminError(`${at} names language ${JSON.stringify(language)}; it must be one of ${CLINIC_LANGUAGES.join(', ')}`, at);
    if (provenanceOf(instrument, lang) === 'published') {
      throw new ClinicAdminError(`${at}: ${instrument} in ${lang} is the published form; it is always shown`, at);
    }
    if (!hasTranslation(instrument, lang)) {
      throw new ClinicAdminError(`${at}: there is no ${lang} translation of ${instrument} to turn on (the English form is shown)`, at);
    }
    out.add(translationKey(instrument, lang));
  });
  return [...out].sort();
}

/** The default language must be one the clinic offers. */
function checkLanguagesAgree(view: Pick<ClinicView, 'defaultLocale' | 'languages'>): void {
  if (view.languages && !view.languages.includes(view.defaultLocale)) {
    throw new ClinicAdminError(`defaultLocale ${view.defaultLocale} must be one of the clinic's languages (${view.languages.join(', ')})`, 'defaultLocale');
  }
}

/** An admin principal acts on its own clinic only; the command line (run on the server) on any. */
export function checkScope(actor: AdminActor, clinicId: string): void {
  if (actor.kind === 'admin' && (actor.principal.role !== 'admin' || actor.principal.clinicId !== clinicId)) {
    // The same words as an unknown clinic: an admin cannot learn which other clinics exist.
    throw new ClinicAdminError(`No clinic ${clinicId}`, 'clinic', 'not_found');
  }
}

export const newSecret = (): string => randomBytes(SECRET_BYTES).toString('base64url');

/** `https://…`, or `http://` for localhost / 127.0.0.1 / [::1] (development portals). */
export function isLocalHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

/** A portal origin in canonical form (`https://portal.example.org[:port]`), or a refusal naming `origin`. */
export function normalizeOrigin(value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : '';
  let url: URL | null = null;
  try {
    url = text.length <= 300 ? new URL(text) : null;
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname) {
    throw new ClinicAdminError(`origin must be scheme://host[:port], e.g. https://portal.example.org (got ${JSON.stringify(value)})`, 'origin');
  }
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash || /[?#]/.test(text) || /^[a-z]+:\/\/[^/]+\/./i.test(text)) {
    throw new ClinicAdminError(`origin must be scheme://host[:port] with no path, query or user (got ${JSON.stringify(value)})`, 'origin');
  }
  if (url.protocol === 'http:' && !isLocalHost(url.hostname)) {
    throw new ClinicAdminError(`origin must use https (http only for localhost); got ${JSON.stringify(value)}`, 'origin');
  }
  return url.origin;
}

function checkJwksUrl(value: unknown): string {
  let url: URL | null = null;
  try {
    url = typeof value === 'string' && value.length <= 500 ? new URL(value) : null;
  } catch {
    url = null;
  }
  if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && isLocalHost(url.hostname))) || url.username || url.password) {
    throw new ClinicAdminError(`url must be an https:// URL of the portal's JWKS (http only for localhost); got ${JSON.stringify(value)}`, 'url');
  }
  return url.toString();
}

type ClinicRow = {
  id: string;
  name: string;
  region: string;
  time_zone?: string | undefined;
  default_locale: string;
  languages?: string | null | undefined;
  enabled_templates: string;
  max_token_lifetime_s?: number | null | undefined;
  unverified_translations?: string | null | undefined;
  hs256_secret: string | null;
  jwks_url: string | null;
  previous_hs256_secret?: string | null | undefined;
  previous_secret_until?: string | null | undefined;
  created_at: string;
};

function viewOf(row: ClinicRow, origins: string[], now = Date.now()): ClinicView {
  const graceUntil = row.previous_hs256_secret && row.previous_secret_until && Date.parse(row.previous_secret_until) > now ? row.previous_secret_until : null;
  return {
    id: row.id,
    name: row.name,
    region: row.region,
    timeZone: row.time_zone ?? 'UTC',
    defaultLocale: row.default_locale,
    languages: fromJsonOrNull<string[]>(row.languages),
    templates: fromJson<string[]>(row.enabled_templates),
    maxTokenLifetimeS: row.max_token_lifetime_s ?? DEFAULT_MAX_TOKEN_LIFETIME_S,
    unverifiedTranslations: fromJsonOrNull<string[]>(row.unverified_translations) ?? [],
    keys: row.hs256_secret ? 'hs256' : row.jwks_url ? 'jwks' : 'none',
    jwksUrl: row.jwks_url,
    previousSecretValidUntil: graceUntil,
    origins,
    createdAt: row.created_at,
  };
}

async function readClinic(db: Db, clinicId: string): Promise<ClinicView> {
  const row = await db.selectFrom('clinics').selectAll().where('id', '=', clinicId).executeTakeFirst();
  if (!row) throw new ClinicAdminError(`No clinic ${clinicId}`, 'clinic', 'not_found');
  return viewOf(row, await originsOf(db, clinicId));
}

async function originsOf(db: Db, clinicId: string): Promise<string[]> {
  const rows = await db.selectFrom('clinic_origins').select('origin').where('clinic_id', '=', clinicId).orderBy('origin').execute();
  return rows.map((r) => r.origin);
}

/** Writes the admin_changes row of a change, inside the change's transaction. Never pass a secret in before/after. */
export async function recordChange(trx: Db, actor: AdminActor, clinicId: string, action: string, before: unknown, after: unknown): Promise<void> {
  await trx
    .insertInto('admin_changes')
    .values({
      id: randomUUID(),
      clinic_id: clinicId,
      actor: actorLabel(actor),
      action,
      before: before === undefined ? null : toJson(before),
      after: after === undefined ? null : toJson(after),
      at: new Date().toISOString(),
    })
    .execute();
}

/** The keys of `after` whose values differ from `before`, with both sides. */
function changedKeys<T extends object>(before: T, after: Partial<T>): { before: Partial<T>; after: Partial<T> } {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a };
}

export interface CreateClinicInput extends ClinicSettingsInput {
  id: string;
  name: string;
  /** Verify tokens with this JWKS instead of a generated shared secret. */
  jwksUrl?: string;
}

/** Registers a clinic; without a JWKS URL it gets a new HS256 secret, returned once here and never again. */
export async function createClinic(db: Db, actor: AdminActor, input: CreateClinicInput): Promise<{ clinic: ClinicView; secret: string | null }> {
  if (actor.kind !== 'cli') throw new ClinicAdminError('Clinics are created on the server (care clinic create)', 'clinic', 'not_found');
  const id = check(clinicIdSchema, input.id, 'id');
  const settings = checkSettings(input);
  const jwksUrl = input.jwksUrl === undefined ? null : checkJwksUrl(input.jwksUrl);
  const defaults = { region: 'US', timeZone: 'UTC', defaultLocale: 'en', languages: null, templates: ['daily', 'phq9', 'gad7', 'bam'], maxTokenLifetimeS: DEFAULT_MAX_TOKEN_LIFETIME_S, unverifiedTranslations: [] as string[] };
  const merged = { ...defaults, ...settings, name: settings.name ?? '' };
  checkLanguagesAgree(merged);
  const secret = jwksUrl ? null : newSecret();
  const createdAt = new Date().toISOString();
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('clinics')
        .values({
          id,
          name: merged.name,
          hs256_secret: secret,
          jwks_url: jwksUrl,
          region: merged.region,
          default_locale: merged.defaultLocale,
          languages: merged.languages ? toJson(merged.languages) : null,
          risk_rules: null,
          enabled_templates: toJson(merged.templates),
          time_zone: merged.timeZone,
          max_token_lifetime_s: merged.maxTokenLifetimeS,
          unverified_translations: merged.unverifiedTranslations.length > 0 ? toJson(merged.unverifiedTranslations) : null,
          created_at: createdAt,
        })
        .execute();
      const { name, region, timeZone, defaultLocale, languages, templates, maxTokenLifetimeS, unverifiedTranslations } = merged;
      await recordChange(trx, actor, id, 'clinic.create', null, {
        name, region, timeZone, defaultLocale, languages, templates, maxTokenLifetimeS,
        ...(unverifiedTranslations.length > 0 ? { unverifiedTranslations } : {}),
        ...(jwksUrl ? { jwksUrl } : { secret: 'created' }),
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ClinicAdminError(`A clinic ${id} already exists`, 'id', 'conflict');
    throw error;
  }
  return { clinic: await readClinic(db, id), secret };
}

export interface ClinicSummary {
  id: string;
  name: string;
  region: string;
  keys: ClinicView['keys'];
  origins: number;
  createdAt: string;
}

/** Every clinic on this server (the command line); an admin principal sees only its own. */
export async function listClinics(db: Db, actor: AdminActor): Promise<ClinicSummary[]> {
  let query = db.selectFrom('clinics').select(['id', 'name', 'region', 'hs256_secret', 'jwks_url', 'created_at']).orderBy('id');
  if (actor.kind === 'admin') query = query.where('id', '=', actor.principal.clinicId);
  const rows = await query.execute();
  const counts = await db.selectFrom('clinic_origins').select((eb) => ['clinic_id', eb.fn.countAll<number>().as('n')]).groupBy('clinic_id').execute();
  const originCount = new Map(counts.map((c) => [c.clinic_id, Number(c.n)]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    region: r.region,
    keys: r.hs256_secret ? 'hs256' : r.jwks_url ? 'jwks' : 'none',
    origins: originCount.get(r.id) ?? 0,
    createdAt: r.created_at,
  }));
}

export async function showClinic(db: Db, actor: AdminActor, clinicId: string): Promise<ClinicView> {
  checkScope(actor, clinicId);
  return readClinic(db, clinicId);
}

/** Changes the given settings in one transaction; `changed` lists only what actually changed. */
export async function setClinic(
  db: Db,
  actor: AdminActor,
  clinicId: string,
  input: ClinicSettingsInput,
): Promise<{ clinic: ClinicView; changed: { before: Partial<ClinicView>; after: Partial<ClinicView> } }> {
  checkScope(actor, clinicId);
  const settings = checkSettings(input);
  if (Object.keys(settings).length === 0) throw new ClinicAdminError('Nothing to change: give at least one setting', 'settings');
  const changed = await db.transaction().execute(async (trx) => {
    const current = await readClinic(trx, clinicId);
    const next = { ...current, ...settings };
    checkLanguagesAgree(next);
    const diff = changedKeys(current, settings);
    if (Object.keys(diff.after).length === 0) return diff;
    await trx
      .updateTable('clinics')
      .set({
        ...(settings.name !== undefined ? { name: settings.name } : {}),
        ...(settings.region !== undefined ? { region: settings.region } : {}),
        ...(settings.timeZone !== undefined ? { time_zone: settings.timeZone } : {}),
        ...(settings.defaultLocale !== undefined ? { default_locale: settings.defaultLocale } : {}),
        ...(settings.languages !== undefined ? { languages: toJson<string[]>(settings.languages ?? []) } : {}),
        ...(settings.templates !== undefined ? { enabled_templates: toJson(settings.templates) } : {}),
        ...(settings.maxTokenLifetimeS !== undefined ? { max_token_lifetime_s: settings.maxTokenLifetimeS } : {}),
        ...(settings.unverifiedTranslations !== undefined
          ? { unverified_translations: settings.unverifiedTranslations.length > 0 ? toJson(settings.unverifiedTranslations) : null }
          : {}),
      })
      .where('id', '=', clinicId)
      .execute();
    await recordChange(trx, actor, clinicId, 'clinic.set', diff.before, diff.after);
    return diff;
  });
  return { clinic: await readClinic(db, clinicId), changed };
}

/**
 * Gives the clinic a new HS256 secret, returned once. The old secret keeps verifying tokens for
 * `graceS` seconds (0: refused at once, within the verifier's 30 s key cache); the audit row records
 * "rotated", never a secret.
 */
export async function rotateSecret(db: Db, actor: AdminActor, clinicId: string, graceS: number): Promise<{ secret: string; previousSecretValidUntil: string | null }> {
  checkScope(actor, clinicId);
  if (!Number.isInteger(graceS) || graceS < 0 || graceS > MAX_GRACE_S) {
    throw new ClinicAdminError(`grace must be between 0 and ${MAX_GRACE_S / 86_400} days`, 'grace');
  }
  const secret = newSecret();
  const until = await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('clinics').select(['hs256_secret', 'jwks_url']).where('id', '=', clinicId).executeTakeFirst();
    if (!row) throw new ClinicAdminError(`No clinic ${clinicId}`, 'clinic', 'not_found');
    const graceUntil = row.hs256_secret && graceS > 0 ? new Date(Date.now() + graceS * 1000).toISOString() : null;
    await trx
      .updateTable('clinics')
      .set({ hs256_secret: secret, jwks_url: null, previous_hs256_secret: graceUntil ? row.hs256_secret : null, previous_secret_until: graceUntil })
      .where('id', '=', clinicId)
      .execute();
    await recordChange(
      trx,
      actor,
      clinicId,
      'clinic.secret.rotate',
      row.hs256_secret ? { secret: 'set' } : { jwksUrl: row.jwks_url },
      { secret: 'rotated', previousSecretValidUntil: graceUntil },
    );
    return graceUntil;
  });
  return { secret, previousSecretValidUntil: until };
}

/** Verifies the clinic's tokens with the portal's JWKS from now on; its shared secrets stop working. */
export async function setJwksUrl(db: Db, actor: AdminActor, clinicId: string, url: string): Promise<ClinicView> {
  checkScope(actor, clinicId);
  const jwksUrl = checkJwksUrl(url);
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('clinics').select(['hs256_secret', 'jwks_url']).where('id', '=', clinicId).executeTakeFirst();
    if (!row) throw new ClinicAdminError(`No clinic ${clinicId}`, 'clinic', 'not_found');
    await trx
      .updateTable('clinics')
      .set({ jwks_url: jwksUrl, hs256_secret: null, previous_hs256_secret: null, previous_secret_until: null })
      .where('id', '=', clinicId)
      .execute();
    await recordChange(trx, actor, clinicId, 'clinic.jwks.set', { jwksUrl: row.jwks_url, ...(row.hs256_secret ? { secret: 'set' } : {}) }, { jwksUrl, ...(row.hs256_secret ? { secret: 'removed' } : {}) });
  });
  return readClinic(db, clinicId);
}

export async function listOrigins(db: Db, actor: AdminActor, clinicId: string): Promise<string[]> {
  checkScope(actor, clinicId);
  return (await readClinic(db, clinicId)).origins;
}

/** Adds a portal origin; adding one already listed is refused (field `origin`), nothing written. */
export async function addOrigin(db: Db, actor: AdminActor, clinicId: string, value: string): Promise<{ origin: string; origins: string[] }> {
  checkScope(actor, clinicId);
  const origin = normalizeOrigin(value);
  await db.transaction().execute(async (trx) => {
    const before = (await readClinic(trx, clinicId)).origins;
    if (before.includes(origin)) throw new ClinicAdminError(`origin ${origin} is already listed for clinic ${clinicId}`, 'origin', 'conflict');
    await trx.insertInto('clinic_origins').values({ clinic_id: clinicId, origin, created_at: new Date().toISOString() }).execute();
    await recordChange(trx, actor, clinicId, 'clinic.origins.add', { origins: before }, { origins: [...before, origin].sort() });
  });
  return { origin, origins: await originsOf(db, clinicId) };
}

export async function removeOrigin(db: Db, actor: AdminActor, clinicId: string, value: string): Promise<{ origin: string; origins: string[] }> {
  checkScope(actor, clinicId);
  const origin = normalizeOrigin(value);
  await db.transaction().execute(async (trx) => {
    const before = (await readClinic(trx, clinicId)).origins;
    if (!before.includes(origin)) throw new ClinicAdminError(`origin ${origin} is not listed for clinic ${clinicId}`, 'origin', 'not_found');
    await trx.deleteFrom('clinic_origins').where('clinic_id', '=', clinicId).where('origin', '=', origin).execute();
    await recordChange(trx, actor, clinicId, 'clinic.origins.remove', { origins: before }, { origins: before.filter((o) => o !== origin) });
  });
  return { origin, origins: await originsOf(db, clinicId) };
}

/** The risk-rules document a clinic may store: the server's own per-key schemas (risk.ts), no unknown keys. */
export { riskRulesDocument };

/** Parses and checks a rules document (JSON text); refusals name the key, e.g. `rules.cravingElevated`. */
export function parseRules(text: string): Partial<RiskRules> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ClinicAdminError(`rules must be a JSON object (${(error as Error).message})`, 'rules');
  }
  const parsed = riskRulesDocument.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const keys = (issue as { keys?: string[] } | undefined)?.keys;
    const at = ['rules', ...(issue?.path ?? []).map(String), ...(keys?.length ? [keys[0]] : [])].join('.');
    throw new ClinicAdminError(`${at} ${keys?.length ? 'is not a risk rule' : (issue?.message ?? 'is invalid')}`, at);
  }
  return parsed.data;
}

/** The clinic's stored rules document and the rules in force (stored over the defaults). */
export async function showRules(db: Db, actor: AdminActor, clinicId: string): Promise<{ stored: Partial<RiskRules> | null; effective: RiskRules }> {
  checkScope(actor, clinicId);
  const row = await db.selectFrom('clinics').select('risk_rules').where('id', '=', clinicId).executeTakeFirst();
  if (!row) throw new ClinicAdminError(`No clinic ${clinicId}`, 'clinic', 'not_found');
  return { stored: fromJsonOrNull<unknown>(row.risk_rules) as Partial<RiskRules> | null, effective: riskRulesFrom(row.risk_rules) };
}

/** Stores a checked rules document (it replaces the previous one; missing keys take the defaults). */
export async function setRules(db: Db, actor: AdminActor, clinicId: string, rules: Partial<RiskRules>): Promise<{ stored: Partial<RiskRules>; effective: RiskRules }> {
  checkScope(actor, clinicId);
  const checked = check(riskRulesDocument, rules, 'rules') as Partial<RiskRules>;
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('clinics').select('risk_rules').where('id', '=', clinicId).executeTakeFirst();
    if (!row) throw new ClinicAdminError(`No clinic ${clinicId}`, 'clinic', 'not_found');
    await trx.updateTable('clinics').set({ risk_rules: toJson(checked) }).where('id', '=', clinicId).execute();
    await recordChange(trx, actor, clinicId, 'clinic.rules.set', fromJsonOrNull(row.risk_rules), checked);
  });
  return { stored: checked, effective: riskRulesFrom(JSON.stringify(checked)) };
}

export interface LevelCounts {
  none: number;
  elevated: number;
  urgent: number;
  /** Check-ins carrying each reason. */
  reasons: Partial<Record<RiskReason, number>>;
}

export interface RulesTestResult {
  clinicId: string;
  from: string;
  to: string;
  checkIns: number;
  /** What was flagged when the check-ins arrived (the stored result). */
  flagged: LevelCounts;
  /** What the tested rules would have flagged over the same check-ins. */
  wouldFlag: LevelCounts;
  /** Check-ins whose level would differ. */
  levelChanged: number;
}

const emptyCounts = (): LevelCounts => ({ none: 0, elevated: 0, urgent: 0, reasons: {} });
function count(into: LevelCounts, level: 'none' | 'elevated' | 'urgent', reasons: RiskReason[]): void {
  into[level] += 1;
  for (const reason of new Set(reasons)) into.reasons[reason] = (into.reasons[reason] ?? 0) + 1;
}

/**
 * Re-runs the server's risk scoring (assessRisk, with each daily check-in's previous moods as at
 * submission) with `rules` over the clinic's check-ins of the last 30 days, changing nothing.
 */
export async function testRules(db: Db, actor: AdminActor, clinicId: string, rules: Partial<RiskRules>, now = new Date()): Promise<RulesTestResult> {
  checkScope(actor, clinicId);
  const checked = check(riskRulesDocument, rules, 'rules');
  const clinic = await db.selectFrom('clinics').select('id').where('id', '=', clinicId).executeTakeFirst();
  if (!clinic) throw new ClinicAdminError(`No clinic ${clinicId}`, 'clinic', 'not_found');
  const effective = riskRulesFrom(JSON.stringify(checked));
  const from = new Date(now.getTime() - RULES_TEST_DAYS * 86_400_000).toISOString();
  const to = now.toISOString();
  const rows = await db
    .selectFrom('check_ins')
    .select(['client_id', 'template_id', 'answers', 'score', 'risk_level', 'risk_reasons', 'submitted_at'])
    .where('clinic_id', '=', clinicId)
    .where('submitted_at', '>=', from)
    .where('submitted_at', '<=', to)
    .orderBy('client_id')
    .orderBy('submitted_at')
    .orderBy('id')
    .execute();
  const result: RulesTestResult = { clinicId, from, to, checkIns: rows.length, flagged: emptyCounts(), wouldFlag: emptyCounts(), levelChanged: 0 };
  // Newest first per client, as submitCheckIn reads them; seeded with the moods before the window.
  const moods = new Map<string, number[]>();
  for (const row of rows) {
    let previous = moods.get(row.client_id);
    if (!previous) {
      const before = await db
        .selectFrom('check_ins')
        .select('answers')
        .where('clinic_id', '=', clinicId)
        .where('client_id', '=', row.client_id)
        .where('template_id', '=', 'daily')
        .where('submitted_at', '<', from)
        .orderBy('submitted_at', 'desc')
        .limit(7)
        .execute();
      previous = before.map((r) => Number(fromJson<Answers>(r.answers).mood)).filter(Number.isFinite);
      moods.set(row.client_id, previous);
    }
    const answers = fromJson<Answers>(row.answers);
    const templateId = row.template_id as TemplateId;
    const risk = assessRisk({ templateId, answers, score: fromJsonOrNull<Score>(row.score), recentMoods: templateId === 'daily' ? previous.slice(0, 7) : [] }, effective);
    count(result.flagged, row.risk_level, fromJson<RiskReason[]>(row.risk_reasons));
    count(result.wouldFlag, risk.level, risk.reasons);
    if (risk.level !== row.risk_level) result.levelChanged += 1;
    if (templateId === 'daily') {
      const mood = Number(answers.mood);
      if (Number.isFinite(mood)) previous.unshift(mood);
      if (previous.length > 7) previous.length = 7;
    }
  }
  return result;
}

export interface AuditEntry {
  at: string;
  kind: 'read' | 'admin_change';
  actor: string;
  actorRole: string | null;
  action: string;
  subject: string | null;
  before: unknown;
  after: unknown;
}

/**
 * The clinic's audit trail, oldest first: reads of people's data (audit_log) and, unless one person
 * is asked for, its admin changes (admin_changes, before/after values).
 */
export async function auditTrail(db: Db, actor: AdminActor, clinicId: string, options: { since?: string; person?: string } = {}): Promise<AuditEntry[]> {
  checkScope(actor, clinicId);
  const clinic = await db.selectFrom('clinics').select('id').where('id', '=', clinicId).executeTakeFirst();
  if (!clinic) throw new ClinicAdminError(`No clinic ${clinicId}`, 'clinic', 'not_found');
  let reads = db.selectFrom('audit_log').selectAll().where('clinic_id', '=', clinicId);
  if (options.since) reads = reads.where('at', '>=', options.since);
  if (options.person) {
    const person = options.person;
    reads = reads.where((eb) => eb.or([eb('subject_id', '=', person), eb('actor_id', '=', person)]));
  }
  const entries: AuditEntry[] = (await reads.orderBy('at').orderBy('id').execute()).map((r) => ({
    at: r.at,
    kind: 'read',
    actor: r.actor_id,
    actorRole: r.actor_role,
    action: r.action,
    subject: r.subject_id,
    before: null,
    after: null,
  }));
  if (!options.person) {
    let changes = db.selectFrom('admin_changes').selectAll().where('clinic_id', '=', clinicId);
    if (options.since) changes = changes.where('at', '>=', options.since);
    for (const c of await changes.orderBy('at').orderBy('id').execute()) {
      entries.push({ at: c.at, kind: 'admin_change', actor: c.actor, actorRole: null, action: c.action, subject: null, before: fromJsonOrNull(c.before), after: fromJsonOrNull(c.after) });
    }
    entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }
  return entries;
}

/**
 * What any signed-in person's widgets may know of their clinic (`clinic.settings`): its name and the
 * languages it offers, so `<care-provider>` offers only those. No secret, no origin, no rule.
 */
export async function publicClinicSettings(db: Db, clinicId: string): Promise<ClinicPublicSettings> {
  const row = await db.selectFrom('clinics').select(['id', 'name', 'default_locale', 'languages']).where('id', '=', clinicId).executeTakeFirst();
  if (!row) throw new ClinicAdminError(`No clinic ${clinicId}`, 'clinic', 'not_found');
  const languages = fromJsonOrNull<string[]>(row.languages) ?? [...CLINIC_LANGUAGES];
  return { id: row.id, name: row.name, defaultLocale: row.default_locale, languages };
}
