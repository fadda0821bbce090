import type { Command } from 'commander';
import { Migrator } from 'kysely/migration';
import { ConfigError, configFromEnv, type Config } from '../../config.js';
import { migrateToLatest, openDatabase } from '../../db/index.js';
import { migrations } from '../../db/migrations/index.js';
import { DEMO_CLINIC_ID } from '../../demo/seed.js';
import { databaseUrlOf } from '../database.js';
import { print, Refusal, UsageError } from '../output.js';

interface ServeOptions {
  port?: string;
  host?: string;
  allowDemoClinic?: boolean;
}

/** The server's configuration from the environment (as server/main.ts reads it), with the command's options over it. */
function configOf(command: Command, options: ServeOptions, demo: boolean): Config {
  const overrides: Partial<Config> = { demo };
  const given = command.optsWithGlobals<{ database?: string }>().database;
  if (given !== undefined || process.env.DATABASE_URL !== undefined || !demo) overrides.databaseUrl = databaseUrlOf(command);
  if (options.port !== undefined) {
    if (!/^\d{1,5}$/.test(options.port) || Number(options.port) > 65_535) throw new UsageError(`--port must be a port number from 0 to 65535 (got "${options.port}")`);
    overrides.port = Number(options.port);
  }
  if (options.host !== undefined) overrides.host = options.host;
  try {
    return configFromEnv(process.env, overrides);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/** Starts the server and keeps it running until SIGTERM/SIGINT (the same server as server/main.ts). */
async function run(config: Config): Promise<void> {
  // Loaded here, not at start-up: the other commands never pay for the whole server.
  const { runServer } = await import('../../run-server.js');
  await runServer(config);
  await new Promise<never>(() => undefined);
}

const SERVER_ENV = `
Environment (as for server/main.ts): DATABASE_URL, PORT, HOST, CARE_ALLOWED_ORIGINS (server-wide origins, added to
each clinic's own: see care clinic origins), LOG_LEVEL, TRUST_PROXY, CARE_RATE_LIMIT_*, CARE_MAX_* … (README "Configuration").`;

export function register(program: Command): void {
  program
    .command('serve')
    .description('run the server in production mode (no demo data); refuses a database holding the demo clinic')
    .option('--port <port>', 'port to listen on (default PORT, else 8787)')
    .option('--host <address>', 'address to listen on (default HOST, else 127.0.0.1)')
    .option('--allow-demo-clinic', 'start even though the database holds the demo clinic (its tokens stay refused)')
    .addHelpText('after', `${SERVER_ENV}\n\nExamples:\n  DATABASE_URL=postgres://care:…@db/care care serve --host 0.0.0.0 --port 8787\n  care --database sqlite:./data/care.db serve`)
    .action(async (options: ServeOptions, command: Command) => {
      const config = configOf(command, options, false);
      const db = openDatabase(config.databaseUrl);
      try {
        await migrateToLatest(db);
        const demo = await db.selectFrom('clinics').select('id').where('id', '=', DEMO_CLINIC_ID).executeTakeFirst();
        if (demo && !options.allowDemoClinic) {
          throw new Refusal(`This database holds the demo clinic (${DEMO_CLINIC_ID}), whose secret is public: use another database, or start anyway with --allow-demo-clinic`, 'database');
        }
      } finally {
        await db.destroy();
      }
      await run(config);
    });

  program
    .command('demo')
    .description('run the demo server (what npm start runs, without building): demo clinic, demo portal at /')
    .option('--port <port>', 'port to listen on (default PORT, else 8787)')
    .option('--host <address>', 'address to listen on (default HOST, else 127.0.0.1)')
    .addHelpText('after', `\nUses DATABASE_URL or --database, else sqlite:./data/demo.db (never the production file).\nThe widgets are served from dist/widgets: run npm run build:widgets once first.\n\nExamples:\n  care demo\n  care demo --port 9000`)
    .action(async (options: ServeOptions, command: Command) => {
      await run(configOf(command, options, true));
    });

  program
    .command('migrate')
    .description('bring the database to the latest schema and list the migrations applied')
    .addHelpText('after', '\nWith --json: { applied: string[] (by this run), migrations: [{ name, executedAt }] }.\n\nExamples:\n  care migrate\n  care --database postgres://care:…@db/care --json migrate')
    .action(async (_options: unknown, command: Command) => {
      const db = openDatabase(databaseUrlOf(command));
      try {
        const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
        const { error, results } = await migrator.migrateToLatest();
        const failed = results?.find((r) => r.status === 'Error');
        if (error || failed) throw new Refusal(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, 'database');
        const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
        const all = (await migrator.getMigrations()).map((m) => ({ name: m.name, executedAt: m.executedAt?.toISOString() ?? null }));
        print(command, { applied, migrations: all }, () =>
          [applied.length ? `Applied ${applied.length}: ${applied.join(', ')}` : 'The database is up to date.', '', ...all.map((m) => `${m.executedAt ?? 'pending'}  ${m.name}`)].join('\n'),
        );
      } finally {
        await db.destroy();
      }
    });
}
