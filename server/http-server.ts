import { createServer, type Server } from 'node:http';
import type { Express } from 'express';
import type { Config } from './config.js';

/**
 * The HTTP server for the app, with limits suited to a clinic server: a client must send its
 * headers and its whole request in time (a stalled body no longer holds a socket for minutes), an
 * idle connection outlives a proxy's (see keepAliveTimeoutMs), and past `maxConnections` new
 * connections are closed at once.
 */
export function listen(app: Express, config: Pick<Config, 'requestTimeoutMs' | 'headersTimeoutMs' | 'keepAliveTimeoutMs' | 'maxConnections'>, port: number, host: string): Promise<Server> {
  const headersTimeout = Math.min(config.headersTimeoutMs, config.requestTimeoutMs);
  const server = createServer(
    {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout,
      // How often Node looks for requests past those times (its default, 30 s, would let a short timeout run long).
      connectionsCheckingInterval: Math.max(100, Math.min(headersTimeout, config.requestTimeoutMs) / 4),
    },
    app,
  );
  server.maxConnections = config.maxConnections;
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
