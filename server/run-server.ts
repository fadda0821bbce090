import { createApp } from './app.js';
import type { Config } from './config.js';
import { listen } from './http-server.js';

/**
 * Builds the app, listens, and keeps serving until SIGTERM/SIGINT: what `tsx server/main.ts`,
 * `care serve` and `care demo` run. Prints one line scripts and tests can wait for.
 */
export async function runServer(config: Config): Promise<void> {
  const { app, log, services, close } = await createApp(config);
  const server = await listen(app, config, config.port, config.host);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({ url: `http://${config.host}:${port}/`, demo: config.demo, database: config.databaseUrl.replace(/\/\/[^@]*@/, '//***@') }, 'care widgets server listening');
  process.stdout.write(`care: listening on http://${config.host}:${port}/${config.demo ? ' (demo mode)' : ''}\n`);
  if (config.demo) process.stdout.write(`\n  Demo clinic portal: http://${config.host}:${port}/\n\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.close(() => void close().then(() => process.exit(0)));
    // Open live-update streams end now (clients reconnect to another instance), and keep-alive
    // connections are closed as soon as they are idle, so shutdown is not held up for seconds.
    void services.bus.close();
    setInterval(() => server.closeIdleConnections(), 100).unref();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
