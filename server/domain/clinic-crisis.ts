import { randomUUID } from 'node:crypto';
import type {
  AdminCrisisView,
  AdminHotline,
  AdminHotlineInput,
  AdminHotlines,
  AdminOnCallWindow,
  AdminSetCrisisInput,
  AdminWebhookTestResult,
} from '../contract/admin.js';
import { ADMIN_MAX_ON_CALL_WINDOWS } from '../contract/admin.js';
import { CRISIS_LINES, crisisInfoFor, type CrisisLine } from '../contract/hotlines.js';
import { LANGUAGES } from '../contract/languages.js';
import type { Db } from '../db/index.js';
import { toJson } from '../db/json.js';
import { actorLabel, checkScope, checkTimeZone, ClinicAdminError, isLocalHost, newSecret, recordChange, type AdminActor } from './clinic-settings.js';
import { parseOnCallHours } from './on-call.js';
import { postWebhook } from './webhook.js';

/**
 * A clinic's crisis set-up (issue 16), for `care clinic crisis|hotlines` and `<care-admin>`: on-call
 * hours and phone, the crisis webhook (URL, signing secret, a test alert), and the clinic's own
 * hotlines next to its region's. Every change is one transaction with an admin_changes row through
 * clinic-settings.ts (recordChange); secrets appear there only as "created" / "rotated".
 */

/** Most hotlines a clinic may add. */
export const MAX_CLINIC_HOTLINES = 20;
/** Characters of the receiver's answer a test shows. */
export const TEST_BODY_CHARS = 300;

const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const PHONE = /^\+?[0-9(][0-9 ().-]{1,28}[0-9]$/;
const SMS = /^\+?[0-9][0-9 ]{0,18}[0-9]$/;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Checks the on-call windows; a refusal names the window and key, e.g. `onCallHours.1.end`. */
export function checkOnCallHours(value: unknown): AdminOnCallWindow[] {
  if (!Array.isArray(value)) throw new ClinicAdminError('onCallHours must be a list of windows { days, start, end }', 'onCallHours');
  if (value.length > ADMIN_MAX_ON_CALL_WINDOWS) throw new ClinicAdminError(`onCallHours must have at most ${ADMIN_MAX_ON_CALL_WINDOWS} windows`, 'onCallHours');
  return value.map((raw: unknown, i) => {
    const at = `onCallHours.${i}`;
    const w = (raw ?? {}) as Partial<Record<'days' | 'start' | 'end', unknown>>;
    const days = w.days;
    if (!Array.isArray(days) || days.length === 0 || !days.every((d) => Number.isInteger(d) && (d as number) >= 1 && (d as number) <= 7)) {
      throw new ClinicAdminError(`${at}.days must name at least one weekday, 1 (Monday) to 7 (Sunday)`, `${at}.days`);
    }
    if (typeof w.start !== 'string' || !HHMM.test(w.start)) throw new ClinicAdminError(`${at}.start must be a time HH:MM, 00:00 to 23:59`, `${at}.start`);
    if (typeof w.end !== 'string' || !(HHMM.test(w.end) || w.end === '24:00')) throw new ClinicAdminError(`${at}.end must be a time HH:MM, 00:01 to 24:00`, `${at}.end`);
    if (minutesOf(w.end) <= minutesOf(w.start)) throw new ClinicAdminError(`${at}.end must be after its start (${w.start}); split a window that crosses midnight in two`, `${at}.end`);
    return { days: [...new Set(days as number[])].sort((a, b) => a - b), start: w.start, end: w.end };
  });
}

function checkPhone(value: unknown, field: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!PHONE.test(text) || text.replace(/\D/g, '').length < 3) {
    throw new ClinicAdminError(`${field} must be a phone number: digits, spaces, + ( ) - . (got ${JSON.stringify(value)})`, field);
  }
  return text;
}

/** An https:// URL (http only for localhost, for tests and development), no user or password. */
export function checkHttpsUrl(value: unknown, field: string, allowLocalHttp: boolean): string {
  let url: URL | null = null;
  try {
    url = typeof value === 'string' && value.trim().length <= 500 ? new URL(value.trim()) : null;
  } catch {
    url = null;
  }
  const localHttp = allowLocalHttp && url?.protocol === 'http:' && isLocalHost(url.hostname);
  if (!url || !(url.protocol === 'https:' || localHttp) || url.username || url.password) {
    throw new ClinicAdminError(`${field} must be an https:// URL${allowLocalHttp ? ' (http only for localhost)' : ''} (got ${JSON.stringify(value)})`, field);
  }
  return url.toString();
}

type CrisisRow = {
  on_call_hours?: string | null;
  on_call_time_zone?: string | null;
  on_call_phone?: string | null;
  crisis_webhook_url?: string | null;
  crisis_webhook_secret?: string | null;
};

const crisisViewOf = (row: CrisisRow): AdminCrisisView => ({
  onCallHours: parseOnCallHours(row.on_call_hours),
  onCallTimeZone: row.on_call_time_zone ?? null,
  onCallPhone: row.on_call_phone ?? null,
  webhookUrl: row.crisis_webhook_url ?? null,
  webhookSecretSet: Boolean(row.crisis_webhook_secret),
});

async function crisisRow(db: Db, clinicId: string): Promise<CrisisRow & { region: string; default_locale: string }> {
  const row = await db
    .selectFrom('clinics')
    .select(['region', 'default_locale', 'on_call_hours', 'on_call_time_zone', 'on_call_phone', 'crisis_webhook_url', 'crisis_webhook_secret'])
    .where('id', '=', clinicId)
    .executeTakeFirst();
  if (!row) throw new ClinicAdminError(`No clinic ${clinicId}`, 'clinic', 'not_found');
  return row;
}

export async function showCrisis(db: Db, actor: AdminActor, clinicId: string): Promise<AdminCrisisView> {
  checkScope(actor, clinicId);
  return crisisViewOf(await crisisRow(db, clinicId));
}

type CrisisSettings = Omit<AdminCrisisView, 'webhookSecretSet'>;

/**
 * Changes the given crisis settings in one transaction. Setting a webhook URL when the clinic has no
 * webhook secret creates one, returned here once (the receiver needs it to check signatures).
 */
export async function setCrisis(
  db: Db,
  actor: AdminActor,
  clinicId: string,
  input: AdminSetCrisisInput,
): Promise<{ crisis: AdminCrisisView; changed: { before: Partial<CrisisSettings>; after: Partial<CrisisSettings> }; webhookSecret: string | null }> {
  checkScope(actor, clinicId);
  const next: Partial<CrisisSettings> = {};
  if (input.onCallHours !== undefined) next.onCallHours = input.onCallHours === null ? [] : checkOnCallHours(input.onCallHours);
  if (input.onCallTimeZone !== undefined) next.onCallTimeZone = input.onCallTimeZone === null || input.onCallTimeZone === '' ? null : checkTimeZone(input.onCallTimeZone, 'onCallTimeZone');
  if (input.onCallPhone !== undefined) next.onCallPhone = input.onCallPhone === null || input.onCallPhone.trim() === '' ? null : checkPhone(input.onCallPhone, 'onCallPhone');
  if (input.webhookUrl !== undefined) next.webhookUrl = input.webhookUrl === null || input.webhookUrl.trim() === '' ? null : checkHttpsUrl(input.webhookUrl, 'webhookUrl', true);
  if (Object.keys(next).length === 0) throw new ClinicAdminError('Nothing to change: give at least one crisis setting', 'settings');

  return db.transaction().execute(async (trx) => {
    const row = await crisisRow(trx, clinicId);
    const current = crisisViewOf(row);
    const before: Partial<CrisisSettings> = {};
    const after: Partial<CrisisSettings> = {};
    for (const key of Object.keys(next) as (keyof CrisisSettings)[]) {
      if (JSON.stringify(current[key]) !== JSON.stringify(next[key])) {
        (before as Record<string, unknown>)[key] = current[key];
        (after as Record<string, unknown>)[key] = next[key];
      }
    }
    const webhookSecret = after.webhookUrl && !row.crisis_webhook_secret ? newSecret() : null;
    if (Object.keys(after).length > 0) {
      await trx
        .updateTable('clinics')
        .set({
          ...(after.onCallHours !== undefined ? { on_call_hours: after.onCallHours.length ? toJson(after.onCallHours) : null } : {}),
          ...(after.onCallTimeZone !== undefined ? { on_call_time_zone: after.onCallTimeZone } : {}),
          ...(after.onCallPhone !== undefined ? { on_call_phone: after.onCallPhone } : {}),
          ...(after.webhookUrl !== undefined ? { crisis_webhook_url: after.webhookUrl } : {}),
          ...(webhookSecret ? { crisis_webhook_secret: webhookSecret } : {}),
        })
        .where('id', '=', clinicId)
        .execute();
      await recordChange(trx, actor, clinicId, 'clinic.crisis.set', before, { ...after, ...(webhookSecret ? { webhookSecret: 'created' } : {}) });
    }
    return { crisis: crisisViewOf(await crisisRow(trx, clinicId)), changed: { before, after }, webhookSecret };
  });
}

/** A new webhook signing secret, returned once; signatures with the old one stop at once. */
export async function rotateWebhookSecret(db: Db, actor: AdminActor, clinicId: string): Promise<{ secret: string; crisis: AdminCrisisView }> {
  checkScope(actor, clinicId);
  const secret = newSecret();
  return db.transaction().execute(async (trx) => {
    const row = await crisisRow(trx, clinicId);
    await trx.updateTable('clinics').set({ crisis_webhook_secret: secret }).where('id', '=', clinicId).execute();
    await recordChange(trx, actor, clinicId, 'clinic.crisis.secret.rotate', { webhookSecret: row.crisis_webhook_secret ? 'set' : 'none' }, { webhookSecret: 'rotated' });
    return { secret, crisis: crisisViewOf(await crisisRow(trx, clinicId)) };
  });
}

function errorInWords(error: string | null, code: string | null, timeoutMs: number): Pick<AdminWebhookTestResult, 'error' | 'errorMessage'> {
  if (error === 'TimeoutError' || error === 'AbortError') return { error: 'timeout', errorMessage: `no answer within ${timeoutMs / 1000} s` };
  if (code === 'ECONNREFUSED') return { error: 'refused', errorMessage: 'the connection was refused (nothing listens at that address)' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { error: 'dns', errorMessage: 'the host name was not found' };
  if (code && /CERT|SSL|TLS/.test(code)) return { error: 'tls', errorMessage: `the TLS certificate was not accepted (${code})` };
  return { error: 'network', errorMessage: `the request failed${code ? ` (${code})` : error ? ` (${error})` : ''}` };
}

/**
 * Sends a clearly marked test alert (`X-Care-Event: crisis.test`, `"test": true`, no person) to the
 * clinic's webhook, signed and sent as real alerts are (webhook.ts postWebhook), once, and answers
 * with what the receiver said. It opens no alert and pages for no one; the admin_changes row records
 * that a test was sent and its outcome.
 */
export async function testWebhook(db: Db, actor: AdminActor, clinicId: string, timeoutMs: number): Promise<AdminWebhookTestResult> {
  checkScope(actor, clinicId);
  const row = await crisisRow(db, clinicId);
  if (!row.crisis_webhook_url) throw new ClinicAdminError('webhookUrl is not set: set the crisis webhook URL first', 'webhookUrl');
  if (!row.crisis_webhook_secret) throw new ClinicAdminError('webhookSecret is not set: rotate the webhook secret first', 'webhookSecret');
  const deliveryId = randomUUID();
  const sentAt = new Date().toISOString();
  const body = JSON.stringify({
    type: 'crisis.test',
    test: true,
    message: 'TEST ALERT from care widgets. Nobody needs help: an administrator is checking that crisis alerts reach you.',
    clinicId,
    alertId: null,
    clientId: null,
    level: 'test',
    requestedBy: actorLabel(actor),
    createdAt: sentAt,
    deliveryId,
  });
  const started = performance.now();
  const answer = await postWebhook({ url: row.crisis_webhook_url, secret: row.crisis_webhook_secret, event: 'crisis.test', deliveryId, attempt: 1, body, timeoutMs, readBodyChars: TEST_BODY_CHARS });
  const durationMs = Math.round(performance.now() - started);
  const words = answer.statusCode === null ? errorInWords(answer.error, answer.errorCode, timeoutMs) : { error: null, errorMessage: null };
  const result: AdminWebhookTestResult = {
    ok: answer.statusCode !== null && answer.statusCode >= 200 && answer.statusCode < 300,
    url: row.crisis_webhook_url,
    statusCode: answer.statusCode,
    bodyExcerpt: answer.bodyExcerpt,
    ...words,
    durationMs,
    deliveryId,
    sentAt,
  };
  await db.transaction().execute((trx) =>
    recordChange(trx, actor, clinicId, 'clinic.crisis.test', null, { deliveryId, ok: result.ok, statusCode: result.statusCode, error: result.error }),
  );
  return result;
}

const hotlineOf = (r: { id: string; name: string; call: string | null; text: string | null; url: string | null; hours: string; language: string; created_at: string }): AdminHotline => ({
  id: r.id,
  name: r.name,
  call: r.call,
  text: r.text,
  url: r.url,
  hours: r.hours,
  language: r.language,
  createdAt: r.created_at,
});

async function clinicHotlines(db: Db, clinicId: string): Promise<AdminHotline[]> {
  const rows = await db.selectFrom('clinic_hotlines').selectAll().where('clinic_id', '=', clinicId).orderBy('created_at').orderBy('id').execute();
  return rows.map(hotlineOf);
}

/** The clinic's own lines as crisis.resources serves them, after the region's lines. */
export async function clinicCrisisLines(db: Db, clinicId: string): Promise<CrisisLine[]> {
  return (await clinicHotlines(db, clinicId)).map((h) => ({
    name: h.name,
    ...(h.call ? { call: h.call.replace(/[^\d+]/g, ''), callDisplay: h.call } : {}),
    ...(h.text ? { text: h.text.replace(/[^\d+]/g, '') } : {}),
    ...(h.url ? { chat: h.url } : {}),
    languages: [h.language],
    hours: h.hours,
    source: 'clinic',
    lastChecked: h.createdAt.slice(0, 10),
    addedByClinic: true,
  }));
}

export async function listHotlines(db: Db, actor: AdminActor, clinicId: string): Promise<AdminHotlines> {
  checkScope(actor, clinicId);
  const row = await crisisRow(db, clinicId);
  const info = CRISIS_LINES[row.region] ?? crisisInfoFor(row.default_locale, row.region);
  return { region: info.region, emergency: info.emergency, regionLines: info.lines, clinicLines: await clinicHotlines(db, clinicId) };
}

function checkHotline(input: AdminHotlineInput): Omit<AdminHotline, 'id' | 'createdAt'> {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!name || name.length > 200) throw new ClinicAdminError('name must be 1 to 200 characters', 'name');
  const blank = (v: string | null | undefined) => v === undefined || v === null || v.trim() === '';
  const call = blank(input.call) ? null : checkPhone(input.call, 'call');
  const text = blank(input.text) ? null : (() => {
    const t = (input.text ?? '').trim();
    if (!SMS.test(t)) throw new ClinicAdminError(`text must be a number or short code for text messages, digits and spaces (got ${JSON.stringify(input.text)})`, 'text');
    return t;
  })();
  const url = blank(input.url) ? null : checkHttpsUrl(input.url, 'url', false);
  if (!call && !text && !url) throw new ClinicAdminError('call must be given, or text or url: a line needs a way to reach it', 'call');
  const hours = blank(input.hours) ? '24/7' : (input.hours ?? '').trim();
  if (hours.length > 100) throw new ClinicAdminError('hours must be at most 100 characters, e.g. 24/7 or Mon–Fri 9–17', 'hours');
  const language = (LANGUAGES as readonly string[]).includes(input.language) ? input.language : null;
  if (!language) throw new ClinicAdminError(`language must be one of ${LANGUAGES.join(', ')}`, 'language');
  return { name, call, text, url, hours, language };
}

export async function addHotline(db: Db, actor: AdminActor, clinicId: string, input: AdminHotlineInput): Promise<{ hotline: AdminHotline; clinicLines: AdminHotline[] }> {
  checkScope(actor, clinicId);
  const checked = checkHotline(input);
  const hotline: AdminHotline = { id: randomUUID(), ...checked, createdAt: new Date().toISOString() };
  await db.transaction().execute(async (trx) => {
    await crisisRow(trx, clinicId);
    const existing = await clinicHotlines(trx, clinicId);
    if (existing.length >= MAX_CLINIC_HOTLINES) throw new ClinicAdminError(`hotlines: a clinic may add at most ${MAX_CLINIC_HOTLINES} lines`, 'hotlines');
    await trx
      .insertInto('clinic_hotlines')
      .values({ id: hotline.id, clinic_id: clinicId, name: hotline.name, call: hotline.call, text: hotline.text, url: hotline.url, hours: hotline.hours, language: hotline.language, created_at: hotline.createdAt })
      .execute();
    const { id: _id, createdAt: _at, ...values } = hotline;
    await recordChange(trx, actor, clinicId, 'clinic.hotlines.add', null, { id: hotline.id, ...values });
  });
  return { hotline, clinicLines: await clinicHotlines(db, clinicId) };
}

export async function removeHotline(db: Db, actor: AdminActor, clinicId: string, id: string): Promise<{ hotline: AdminHotline; clinicLines: AdminHotline[] }> {
  checkScope(actor, clinicId);
  const removed = await db.transaction().execute(async (trx) => {
    await crisisRow(trx, clinicId);
    const row = await trx.selectFrom('clinic_hotlines').selectAll().where('clinic_id', '=', clinicId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new ClinicAdminError(`id ${JSON.stringify(id)} is not one of the clinic's hotlines`, 'id', 'not_found');
    await trx.deleteFrom('clinic_hotlines').where('clinic_id', '=', clinicId).where('id', '=', id).execute();
    const hotline = hotlineOf(row);
    const { createdAt: _at, ...values } = hotline;
    await recordChange(trx, actor, clinicId, 'clinic.hotlines.remove', values, null);
    return hotline;
  });
  return { hotline: removed, clinicLines: await clinicHotlines(db, clinicId) };
}

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * The command line's on-call hours: `Mon-Fri 09:00-17:00; Sat 10:00-14:00` (days as ranges or
 * comma lists, `daily` for every day), a JSON list of windows, or `none`. A refusal names
 * `onCallHours` (or the window and key, once checkOnCallHours runs).
 */
export function parseOnCallSpec(spec: string): AdminOnCallWindow[] {
  const text = spec.trim();
  if (text === '' || text.toLowerCase() === 'none') return [];
  if (text.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new ClinicAdminError(`onCallHours is not valid JSON (${(error as Error).message})`, 'onCallHours');
    }
    return checkOnCallHours(value);
  }
  const windows = text.split(';').map((part, i) => {
    const match = /^\s*([A-Za-z,\s-]+?)\s+(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})\s*$/.exec(part);
    if (!match) throw new ClinicAdminError(`onCallHours window ${i + 1} ("${part.trim()}") must read like "Mon-Fri 09:00-17:00"`, 'onCallHours');
    const days = new Set<number>();
    for (const item of match[1]!.toLowerCase().split(',').map((d) => d.trim()).filter(Boolean)) {
      if (item === 'daily') [1, 2, 3, 4, 5, 6, 7].forEach((d) => days.add(d));
      else {
        const [from, to = from] = item.split('-').map((d) => DAY_NAMES.indexOf(d.trim().slice(0, 3)) + 1);
        if (!from || !to || from > to) throw new ClinicAdminError(`onCallHours window ${i + 1}: "${item}" is not a day or range of days (Mon … Sun)`, 'onCallHours');
        for (let d = from; d <= to; d++) days.add(d);
      }
    }
    const pad = (t: string) => t.padStart(5, '0');
    return { days: [...days], start: pad(match[2]!), end: pad(match[3]!) };
  });
  return checkOnCallHours(windows);
}

/** `Mon–Fri 09:00–17:00; Sat 10:00–14:00`: the windows as the command line prints them. */
export function describeOnCallHours(windows: AdminOnCallWindow[]): string {
  const name = (d: number) => (DAY_NAMES[d - 1] ?? '?').replace(/^./, (c) => c.toUpperCase());
  return windows
    .map((w) => {
      const runs: string[] = [];
      let i = 0;
      while (i < w.days.length) {
        let j = i;
        while (j + 1 < w.days.length && w.days[j + 1] === w.days[j]! + 1) j++;
        runs.push(j > i ? `${name(w.days[i]!)}-${name(w.days[j]!)}` : name(w.days[i]!));
        i = j + 1;
      }
      return `${runs.join(',')} ${w.start}-${w.end}`;
    })
    .join('; ');
}
