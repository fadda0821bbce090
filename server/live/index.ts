import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.js';
import type { LiveBus } from './bus.js';
import { MemoryLiveBus } from './memory-bus.js';
import { PostgresLiveBus } from './pg-bus.js';

export * from './bus.js';
export { MemoryLiveBus } from './memory-bus.js';
export { PostgresLiveBus } from './pg-bus.js';

/**
 * The bus for this database: LISTEN/NOTIFY on PostgreSQL (any number of server processes), in
 * memory on SQLite (one process). The app passes it to the domain code that publishes after commits.
 */
export function openLiveBus(databaseUrl: string, db: Kysely<Database>, log: Logger): LiveBus {
  const postgres = databaseUrl.startsWith('postgres://') || databaseUrl.startsWith('postgresql://');
  return postgres ? new PostgresLiveBus(databaseUrl, db, log) : new MemoryLiveBus(log);
}

/** `Authorization` for a subscription opened by a plain EventSource, which cannot send headers: `connectionParams.token`. */
export function bearerFromConnectionParams(params: Readonly<Record<string, string | undefined>> | null | undefined): string | undefined {
  const token = params?.token;
  return typeof token === 'string' && token.length > 0 ? `Bearer ${token}` : undefined;
}
