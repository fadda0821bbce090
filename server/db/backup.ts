import { copyFileSync, existsSync, linkSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { migrations } from './migrations/index.js';

/**
 * Backup and restore of a SQLite care database (`care backup`, `care restore`).
 *
 * Backup uses SQLite's online backup API (better-sqlite3 `db.backup`) from a connection of its own:
 * the server keeps running and writing. The copy is made in a single step, inside one read
 * transaction, so it is the database as of one instant (WAL mode lets writers go on meanwhile); it
 * goes to `<file>.partial-<pid>`, is checked (integrity_check), switched to a single-file journal and
 * only then renamed to `<file>`, so a half-written backup never carries the final name.
 *
 * Restore first proves no server has the target open: a server's connection is in WAL mode and holds
 * a shared lock on the database for as long as it is open, even when idle. Restore opens the target
 * with `locking_mode = EXCLUSIVE` and a 200 ms busy timeout and runs `BEGIN EXCLUSIVE`: it succeeds
 * only when no other connection (process) has the file open. The -wal/-shm files are not looked at:
 * a crashed server leaves them behind, and a running one may have none yet. Holding that lock it
 * checkpoints the WAL into the file, keeps the previous file as `<name>.before-restore-<timestamp>`
 * (a hard link, else a copy), then renames a verified copy of the backup over the target (atomic on
 * one file system).
 */

export class BackupRefusal extends Error {
  constructor(
    message: string,
    /** The argument at fault. */
    readonly field: string,
  ) {
    super(message);
  }
}

export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
  checkIns: number;
  schemaVersion: string | null;
}

export interface RestoreResult {
  database: string;
  from: string;
  previous: string | null;
  checkIns: number;
  schemaVersion: string | null;
}

const KNOWN_MIGRATIONS = new Set(Object.keys(migrations));
const latestOf = (names: string[]): string | null => names.sort().at(-1) ?? null;

/** What a file holds, when it is a care database this version can run; refuses (field) otherwise. */
export function verifyCareDatabase(file: string, field: string): { checkIns: number; schemaVersion: string | null } {
  if (!existsSync(file)) throw new BackupRefusal(`${file} does not exist`, field);
  let db: SQLite.Database;
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupRefusal(`${file} is not a SQLite database: ${(error as Error).message}`, field);
  }
  try {
    let check: string;
    try {
      check = String(db.pragma('integrity_check', { simple: true }));
    } catch (error) {
      throw new BackupRefusal(`${file} is not a SQLite database: ${(error as Error).message}`, field);
    }
    if (check !== 'ok') throw new BackupRefusal(`${file} fails integrity_check: ${check}`, field);
    const hasTable = (name: string) => Boolean(db.prepare(`select 1 from sqlite_master where type = 'table' and name = ?`).get(name));
    if (!hasTable('kysely_migration') || !hasTable('check_ins') || !hasTable('clinics')) {
      throw new BackupRefusal(`${file} is not a care database (no migrations table or no check_ins)`, field);
    }
    const names = (db.prepare('select name from kysely_migration').all() as { name: string }[]).map((r) => r.name);
    const unknown = names.filter((n) => !KNOWN_MIGRATIONS.has(n));
    if (unknown.length > 0) {
      throw new BackupRefusal(`${file} has a newer schema than this version of care (migration ${unknown.sort()[0]}): upgrade care first`, field);
    }
    const checkIns = Number((db.prepare('select count(*) as n from check_ins').get() as { n: number }).n);
    return { checkIns, schemaVersion: latestOf(names) };
  } finally {
    db.close();
  }
}

/** An online, consistent copy of the SQLite database at `source` into `file` (see the module comment). */
export async function backupSqlite(source: string, file: string, options: { force?: boolean } = {}): Promise<BackupResult> {
  if (!existsSync(source)) throw new BackupRefusal(`There is no database at ${source}`, 'database');
  if (resolve(file) === resolve(source)) throw new BackupRefusal(`${file} is the database itself`, 'file');
  if (existsSync(file) && !options.force) throw new BackupRefusal(`${file} exists; pass --force to overwrite it`, 'file');
  mkdirSync(dirname(file), { recursive: true });
  const partial = join(dirname(file), `${basename(file)}.partial-${process.pid}`);
  const db = new SQLite(source, { fileMustExist: true });
  let pages = 0;
  try {
    db.pragma('busy_timeout = 5000');
    // Every page in one step: one read transaction, so the copy is one instant of the database.
    const result = await db.backup(partial, { progress: ({ totalPages }) => Math.max(totalPages, 1) * 2 });
    pages = result.totalPages;
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
  try {
    const copy = new SQLite(partial);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    const verified = verifyCareDatabase(partial, 'database');
    renameSync(partial, file);
    return { file, bytes: statSync(file).size, pages, checkIns: verified.checkIns, schemaVersion: verified.schemaVersion };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

const timestamp = (now: Date) => now.toISOString().replace(/[:.]/g, '-');

/**
 * Takes the target's exclusive lock (locking_mode EXCLUSIVE + BEGIN EXCLUSIVE, 200 ms busy timeout)
 * and checkpoints its WAL, or refuses when another process has the database open.
 */
function lockStoppedDatabase(target: string): SQLite.Database {
  const db = new SQLite(target, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 200');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    db.pragma('wal_checkpoint(TRUNCATE)');
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY') || (error as { code?: string }).code === 'SQLITE_LOCKED') {
      throw new BackupRefusal(`A server appears to be running on ${target} (it holds the database open): stop it first`, 'database');
    }
    throw error;
  }
}

/** Replaces the stopped server's database at `target` with the backup `file` (see the module comment). */
export async function restoreSqlite(file: string, target: string, now = new Date()): Promise<RestoreResult> {
  if (resolve(file) === resolve(target)) throw new BackupRefusal(`${file} is the database itself`, 'file');
  const verified = verifyCareDatabase(file, 'file');
  mkdirSync(dirname(target), { recursive: true });
  const staged = join(dirname(target), `${basename(target)}.restore-${process.pid}`);
  const source = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    await source.backup(staged, { progress: ({ totalPages }) => Math.max(totalPages, 1) * 2 });
  } catch (error) {
    rmSync(staged, { force: true });
    throw error;
  } finally {
    source.close();
  }

  let previous: string | null = null;
  let lock: SQLite.Database | null = null;
  try {
    if (existsSync(target)) {
      lock = lockStoppedDatabase(target);
      previous = `${target}.before-restore-${timestamp(now)}`;
      try {
        linkSync(target, previous);
      } catch {
        copyFileSync(target, previous);
      }
    }
    const staging = new SQLite(staged);
    try {
      staging.pragma('journal_mode = WAL');
    } finally {
      staging.close();
    }
    renameSync(staged, target);
  } catch (error) {
    rmSync(staged, { force: true });
    throw error;
  } finally {
    // Closed after the rename: the lock is held until the new file is in place. The old connection's
    // WAL was checkpointed and truncated, so closing it writes nothing.
    lock?.close();
  }
  return { database: target, from: file, previous, checkIns: verified.checkIns, schemaVersion: verified.schemaVersion };
}
