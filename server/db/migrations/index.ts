import type { Migration } from 'kysely';
import * as initial from './2026-11-25-001-initial.js';
import * as sessions from './2026-11-25-002-sessions.js';

/** Forward-only, applied in name order at start-up. Add a file, then list it here. */
export const migrations: Record<string, Migration> = {
  '2026-11-25-001-initial': initial,
  '2026-11-25-002-sessions': sessions,
};
