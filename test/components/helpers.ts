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
