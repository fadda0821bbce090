import { ConfigError, configFromEnv, type Config } from './config.js';
import { createApp } from './app.js';
import { listen } from './http-server.js';

/**
 * `tsx server/main.ts [--demo]`: PORT (8787), HOST (127.0.0.1), DATABASE_URL (sqlite:./data/care.db;
 * in demo mode sqlite:./data/demo.db, so demo data never lands in a real clinic's database).
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
const { demo, port, host } = config;

const { app, log, services, close } = await createApp(config);
const server = await listen(app, config, port, host);
log.info({ url: `http://${host}:${port}/`, demo, database: config.databaseUrl.replace(/\/\/[^@]*@/, '//***@') }, 'care widgets server listening');
if (demo) console.log(`\n  Demo clinic portal: http://${host}:${port}/\n`);

let stopping = false;
function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  server.close(() => void close().then(() => process.exit(0)));
  // Open live-update streams end now (clients reconnect to another instance), and keep-alive
  // connections are closed as soon as they are idle, so shutdown is not held up for seconds.
  void services.bus.close();
  setInterval(() => server.closeIdleConnections(), 100).unref();
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
