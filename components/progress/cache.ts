import { createStore, get, set, type UseStore } from 'idb-keyval';
import type { ProgressSummary } from '../../server/contract/progress.js';

/** The last summary the server sent, kept on the device so progress still shows while offline. */
export interface SavedSummary {
  summary: ProgressSummary;
  savedAt: number;
}

let store: UseStore | undefined;
const summaries = () => (store ??= createStore('care-widgets-progress', 'summaries'));

export const loadSavedSummary = (key: string) => get<SavedSummary>(key, summaries());
export const saveSummary = (key: string, summary: ProgressSummary) => set(key, { summary, savedAt: Date.now() } satisfies SavedSummary, summaries());
