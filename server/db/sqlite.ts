import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import {
  SqliteAdapter,
  SqliteDialect,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDatabase,
  type SqliteStatement,
  type TransactionSettings,
} from 'kysely';

const STATEMENT_CACHE_MAX = 500;

/** Opens (creating its folder) a SQLite file, or `:memory:`, set up for durable check-ins. */
export function openSqliteFile(file: string): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // Acknowledged check-ins must survive power loss, not only a process crash.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return withStatementCache(sqlite);
}

/**
 * Kysely's SQLite driver prepares every query anew; the same few statements run for every request,
 * so keep the prepared ones (LRU, by SQL text). A statement still being iterated (`busy`) is never
 * handed out twice: a fresh one is prepared instead. SQLite re-prepares a cached statement by itself
 * after a schema change.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new LRUCache<string, SQLite.Statement>({ max: STATEMENT_CACHE_MAX });
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(sql);
      if (!cached) cache.set(sql, statement);
      return statement;
    },
  };
}

/**
 * SQLite has one connection. Kysely (0.29) guards it with a mutex in its RuntimeDriver that wakes
 * every waiter on each release (they all re-check, one wins): with dozens of requests waiting that
 * is dozens of wake-ups per query, and no order. This dialect hands the connection to the waiters
 * one at a time, first come first served, and tells Kysely it needs no lock of its own (the adapter
 * below), so there is exactly one lock. `npm run bench sqlite-driver` measures it against Kysely's
 * own dialect: keep this only while that ratio says it pays.
 */
export class FifoSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    return new FifoDriver(super.createDriver());
  }

  override createAdapter(): DialectAdapter {
    return new FifoLockedSqliteAdapter();
  }
}

/** SQLite's adapter, except that the driver (FifoDriver) holds the single connection's lock itself. */
class FifoLockedSqliteAdapter extends SqliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}

class FifoDriver implements Driver {
  private held = false;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    // The releaser hands over without clearing `held`, so nobody can slip in between.
    if (this.held) await new Promise<void>((resolve) => this.waiters.push(resolve));
    else this.held = true;
    return this.inner.acquireConnection();
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await this.inner.releaseConnection(connection);
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  savepoint: Driver['savepoint'] = (connection, name, compile) => this.inner.savepoint!(connection, name, compile);
  rollbackToSavepoint: Driver['rollbackToSavepoint'] = (connection, name, compile) => this.inner.rollbackToSavepoint!(connection, name, compile);
  releaseSavepoint: Driver['releaseSavepoint'] = (connection, name, compile) => this.inner.releaseSavepoint!(connection, name, compile);

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
