import { executeServerCommand } from '@web/test-runner-commands';
import type { CareCheckIn } from '../../components/check-in/check-in.js';

export async function careServer(action: 'info' | 'stop' | 'start' = 'info'): Promise<{ endpoint: string }> {
  return executeServerCommand('care-server', { action });
}

export async function tokenFor(sub: string, role: 'client' | 'clinician' | 'admin' = 'client'): Promise<string> {
  const { endpoint } = await careServer();
  const res = await fetch(`${endpoint}/demo/token?sub=${encodeURIComponent(sub)}&role=${role}`);
  if (!res.ok) throw new Error(`demo token: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

export const newClientId = () => `test-${crypto.randomUUID().slice(0, 8)}`;

/** Calls a procedure over plain HTTP, as any client of the API could; throws with the status and body when refused. */
export async function trpc<T = unknown>(path: string, input: unknown, token: string, kind: 'query' | 'mutation' = 'mutation'): Promise<T> {
  const { endpoint } = await careServer();
  const res =
    kind === 'query'
      ? await fetch(`${endpoint}/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      : await fetch(`${endpoint}/trpc/${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(input),
        });
  const text = await res.text();
  const body = (text ? JSON.parse(text) : {}) as { result?: { data: T } };
  if (!res.ok || !body.result) throw new Error(`${path}: ${res.status} ${text}`);
  return body.result.data;
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** A weekly session starting `offsetMinutes` from now (UTC). */
export function sessionAt(offsetMinutes: number, minutes = 120) {
  const start = new Date(Date.now() + offsetMinutes * 60_000);
  const hh = String(start.getUTCHours()).padStart(2, '0');
  const mm = String(start.getUTCMinutes()).padStart(2, '0');
  return [{ day: WEEKDAYS[start.getUTCDay()]!, start: `${hh}:${mm}`, minutes }];
}

export const uid = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

export interface GroupSetup {
  groupId: string;
  moderator: string;
  members: string[];
}

/** A support group made by an admin, with a moderator and `members` people added (who have not yet accepted its guidelines). */
export async function createGroup(options: { members?: number; offsetMinutes?: number; name?: string } = {}): Promise<GroupSetup> {
  const moderator = uid('mod');
  const members = Array.from({ length: options.members ?? 1 }, () => uid('member'));
  const group = await trpc<{ id: string }>(
    'groups.create',
    {
      name: options.name ?? 'Thursday recovery circle',
      topic: 'recovery',
      description: 'Peer support with a counsellor.',
      language: 'en',
      timeZone: 'UTC',
      schedule: sessionAt(options.offsetMinutes ?? -5),
      capacity: 10,
      guidelines: { en: 'Keep what is shared here private.\nListen without judging.', es: 'Lo que se comparte aquí es privado.\nEscuche sin juzgar.' },
      moderatorIds: [moderator],
    },
    await tokenFor(uid('admin'), 'admin'),
  );
  const modToken = await tokenFor(moderator, 'clinician');
  for (const userId of members) await trpc('groups.addMember', { groupId: group.id, userId }, modToken);
  return { groupId: group.id, moderator, members };
}

/** A member who chose an alias and accepted the guidelines: the room and its board are open to them. Returns their token. */
export async function ready(groupId: string, sub: string, alias: string): Promise<string> {
  const token = await tokenFor(sub);
  await trpc('groups.setAlias', { groupId, mode: 'alias', alias }, token);
  await trpc('groups.acceptGuidelines', { groupId, version: 1 }, token);
  return token;
}

/** Check-ins the server holds for a client, read as a clinician would. */
export async function storedCheckIns(clientId: string): Promise<{ clientRequestId: string }[]> {
  const { endpoint } = await careServer();
  const token = await tokenFor('test-clinician', 'clinician');
  const input = encodeURIComponent(JSON.stringify({ clientId, limit: 100 }));
  const res = await fetch(`${endpoint}/trpc/checkIn.list?input=${input}`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status === 404) return [];
  const body = (await res.json()) as { result: { data: { items: { clientRequestId: string }[] } } };
  return body.result.data.items;
}

export const shadow = (el: Element) => el.shadowRoot!;

export function control(el: CareCheckIn, name: string, value?: string): HTMLInputElement {
  const selector = value === undefined ? `[name="${name}"]` : `input[name="${name}"][value="${value}"]`;
  const found = shadow(el).querySelector<HTMLInputElement>(selector);
  if (!found) throw new Error(`no control ${selector}`);
  return found;
}

export interface DailyAnswers {
  mood: number;
  craving: number;
  sleepHours: number;
  medication: 'yes' | 'no' | 'not_prescribed';
  used: 'yes' | 'no';
  warningSigns?: string[];
  note?: string;
}

export const calmDay: DailyAnswers = { mood: 7, craving: 2, sleepHours: 7.5, medication: 'yes', used: 'no' };

/** Fills the daily form the way a person does: clicks and typing, so the element sees real events. */
export async function fillDaily(el: CareCheckIn, answers: DailyAnswers): Promise<void> {
  control(el, 'mood', String(answers.mood)).click();
  control(el, 'craving', String(answers.craving)).click();
  const sleep = control(el, 'sleepHours');
  sleep.value = String(answers.sleepHours);
  sleep.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  control(el, 'medication', answers.medication).click();
  control(el, 'used', answers.used).click();
  for (const sign of answers.warningSigns ?? []) control(el, 'warningSigns', sign).click();
  if (answers.note !== undefined) {
    const note = shadow(el).querySelector<HTMLTextAreaElement>('textarea[name="note"]')!;
    note.value = answers.note;
    note.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  }
  await el.updateComplete;
}

export function submitButton(el: CareCheckIn): HTMLButtonElement {
  return shadow(el).querySelector<HTMLButtonElement>('[part="submit-button"]')!;
}

export const liveRegion = (el: Element) => shadow(el).querySelector('[role="status"]')!;
