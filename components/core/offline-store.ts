import { createStore, del, get, set, values, type UseStore } from 'idb-keyval';

let outboxStore: UseStore | undefined;
let draftStore: UseStore | undefined;
const outbox = () => (outboxStore ??= createStore('care-widgets-outbox', 'outbox'));
const drafts = () => (draftStore ??= createStore('care-widgets-drafts', 'drafts'));

/** Mutations that may wait on the device: each is idempotent by the item's id. */
export type OutboxProcedure = 'checkIn.submit' | 'crisis.alert';

/** A submission saved on this device until the server acknowledges it. */
export interface OutboxItem<TInput = unknown> {
  /** Also the idempotency key the server deduplicates on. */
  id: string;
  procedure: OutboxProcedure;
  endpoint: string;
  clinic: string;
  sub: string;
  input: TInput;
  queuedAt: number;
  attempts: number;
}

export const outboxItems = async (): Promise<OutboxItem[]> =>
  (await values<OutboxItem>(outbox())).sort((a, b) => a.queuedAt - b.queuedAt);
export const putOutboxItem = (item: OutboxItem) => set(item.id, item, outbox());
export const removeOutboxItem = (id: string) => del(id, outbox());

export const loadDraft = <T>(key: string) => get<T>(key, drafts());
export const saveDraft = <T>(key: string, draft: T) => set(key, draft, drafts());
export const removeDraft = (key: string) => del(key, drafts());
