import { createTRPCClient } from '@trpc/client';
import type { AppRouter } from '../../server/routers/index.js';
import { sseLink } from './sse-link.js';

export type LiveClient = ReturnType<typeof createTRPCClient<AppRouter>>;

/**
 * A tRPC client for live updates: its subscriptions run over Server-Sent Events ({@link sseLink}).
 * The token goes in the `Authorization` header of every (re)connection, read at that moment,
 * never in the URL. Queries and mutations go through the widget's own client, not this one.
 */
export function liveClient(endpoint: string, getToken: () => string | null): LiveClient {
  const headers = (): Record<string, string> => {
    const token = getToken();
    return token ? { authorization: `Bearer ${token}` } : {};
  };
  return createTRPCClient<AppRouter>({ links: [sseLink({ url: `${endpoint.replace(/\/$/, '')}/trpc`, headers })] });
}
