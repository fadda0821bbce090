import {
  Kysely,
  PostgresAdapter,
  PostgresDialect,
} from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';
import { FifoSqliteDialect, openSqliteFile } from './sqlite.js';

export type Db = Kysely<Database>;
export type { Database } from './schema.js';

/**
 * `sqlite:./data/care.db`, `sqlite::memory:` or `postgres://user:pass@host/db`. `onIdleConnectionLost`
 * hears of a pooled PostgreSQL connection that failed while idle (a database restart or failover,
 * an idle timeout, an administrator ending it): the pool drops it and the next query connects again.
 * Unheard, that error would end the process.
 */
export function openDatabase(url: string, onIdleConnectionLost: (error: Error) => void = () => undefined): Db {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    pool.on('error', onIdleConnectionLost);
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  if (!url.startsWith('sqlite:')) throw new Error(`DATABASE_URL must start with sqlite: or postgres://`);
  return new Kysely<Database>({ dialect: new FifoSqliteDialect({ database: openSqliteFile(url.slice('sqlite:'.length)) }) });
}

export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}

/** True when a write failed only because the same row already exists (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | null;
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === '23505';
}

/** True when `db` (or a transaction of it) runs on PostgreSQL rather than SQLite. */
export function isPostgres(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
