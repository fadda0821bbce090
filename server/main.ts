import { ConfigError, configFromEnv, type Config } from './config.js';
import { runServer } from './run-server.js';

/**
 * `tsx server/main.ts [--demo]`: PORT (8787), HOST (127.0.0.1), DATABASE_URL (sqlite:./data/care.db;
 * in demo mode sqlite:./data/demo.db, so demo data never lands in a real clinic's database).
 * `care serve` / `care demo` (server/cli/commands/serve.ts) run the same server.
 */
let config: Config;
try {
  // Every environment variable is read and checked here, once (server/config.ts).
  config = configFromEnv(process.env, process.argv.includes('--demo') ? { demo: true } : {});
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`care widgets server: ${error.message}`);
  process.exit(2);
}
await runServer(config);
