import type { Command } from 'commander';
import { backupSqlite, BackupRefusal, restoreSqlite } from '../../db/backup.js';
import { databaseUrlOf } from '../database.js';
import { print, Refusal, UsageError } from '../output.js';

const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url);
const refusalOf = (error: unknown): unknown => (error instanceof BackupRefusal ? new Refusal(error.message, error.field) : error);

export function register(program: Command): void {
  program
    .command('backup')
    .description("A consistent copy of a SQLite server's database, taken while it runs (SQLite's online backup).")
    .argument('<file>', 'where to write the copy')
    .option('--force', 'overwrite <file> when it exists')
    .action(async (file: string, options: { force?: boolean }, command: Command) => {
      const url = databaseUrlOf(command);
      if (isPostgresUrl(url)) {
        throw new UsageError(
          'care backup copies SQLite databases. On PostgreSQL use pg_dump, e.g.: pg_dump --format=custom --file=care.dump "$DATABASE_URL" (restore with pg_restore --clean --dbname=…)',
        );
      }
      let result;
      try {
        result = await backupSqlite(url.slice('sqlite:'.length), file, { force: options.force });
      } catch (error) {
        throw refusalOf(error);
      }
      print(command, result, `Backed up ${result.checkIns} check-ins (${result.bytes} bytes, schema ${result.schemaVersion ?? 'none'}) to ${result.file}`);
    });

  program
    .command('restore')
    .description("Replaces a STOPPED server's SQLite database (--database / DATABASE_URL) with a backup; keeps the previous file.")
    .argument('<file>', 'a file written by care backup')
    .action(async (file: string, _options: unknown, command: Command) => {
      const url = databaseUrlOf(command);
      if (isPostgresUrl(url)) {
        throw new UsageError('care restore restores SQLite databases. On PostgreSQL use pg_restore, e.g.: pg_restore --clean --if-exists --dbname="$DATABASE_URL" care.dump');
      }
      let result;
      try {
        result = await restoreSqlite(file, url.slice('sqlite:'.length));
      } catch (error) {
        throw refusalOf(error);
      }
      print(
        command,
        result,
        `Restored ${result.checkIns} check-ins from ${result.from} into ${result.database}` +
          (result.previous ? `; the previous database is kept as ${result.previous}` : ''),
      );
    });
}
