import { createStore, get, set, type UseStore } from 'idb-keyval';
import type { CrisisResources } from '../../server/contract/crisis.js';
import type { SafetyPlanContact, SafetyPlanView } from '../../server/contract/safety-plan.js';
import { identityOf } from '../core/token.js';

/**
 * What the crisis widgets keep on the device so help opens with the server down: the last crisis
 * resources (contacts, on-call hours) and the last safety plan. A copy in memory serves synchronously.
 */
let store: UseStore | undefined;
const cache = () => (store ??= createStore('care-widgets-crisis', 'cache'));
const memory = new Map<string, unknown>();

export interface Cached<T> {
  value: T;
  savedAt: number;
}

/** `endpoint|clinic|sub`: one person's copy on this device; null without a readable token. */
export function personKey(endpoint: string, token: string | null): string | null {
  const who = identityOf(token);
  return who ? `${endpoint}|${who.clinic}|${who.sub}` : null;
}

export function cachedNow<T>(key: string): Cached<T> | undefined {
  return memory.get(key) as Cached<T> | undefined;
}

export async function readCache<T>(key: string): Promise<Cached<T> | undefined> {
  const inMemory = cachedNow<T>(key);
  if (inMemory) return inMemory;
  try {
    const stored = await get<Cached<T>>(key, cache());
    if (stored) memory.set(key, stored);
    return stored;
  } catch {
    return undefined; // private browsing without IndexedDB: the bundled hotlines still work
  }
}

export async function writeCache<T>(key: string, value: T): Promise<void> {
  const entry: Cached<T> = { value, savedAt: Date.now() };
  memory.set(key, entry);
  try {
    await set(key, entry, cache());
  } catch {
    // see readCache
  }
}

export const resourcesKey = (person: string) => `resources|${person}`;
export const planKey = (person: string, clientId: string) => `plan|${person}|${clientId}`;

/** Keeps the crisis dialog's contacts current when the safety plan is saved on this device. */
export async function updateCachedContacts(person: string, contacts: SafetyPlanContact[]): Promise<void> {
  const current = await readCache<CrisisResources>(resourcesKey(person));
  if (current) await writeCache(resourcesKey(person), { ...current.value, contacts });
}

export type { SafetyPlanView };

