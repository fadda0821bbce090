import type { Command } from 'commander';
import { DEFAULT_DATABASE_URL } from '../config.js';
import { migrateToLatest, openDatabase, type Db } from '../db/index.js';
import { UsageError } from './output.js';

/** `--database <url>`, else DATABASE_URL, else the server's default file. */
export function databaseUrlOf(command: Command): string {
  const url = command.optsWithGlobals<{ database?: string }>().database ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  if (!/^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(url)) {
    throw new UsageError(`--database / DATABASE_URL must be sqlite:<file> or postgres://user:password@host/database (got "${url}")`);
  }
  return url;
}

/**
 * Runs `work` on the command's database, migrated to the latest schema first (a command never writes
 * through an older schema than the server's), and closes it afterwards whatever happens.
 */
export async function withDatabase<T>(command: Command, work: (db: Db, url: string) => Promise<T>): Promise<T> {
  const url = databaseUrlOf(command);
  const db = openDatabase(url);
  try {
    await migrateToLatest(db);
    return await work(db, url);
  } finally {
    await db.destroy();
  }
}
