import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import type { AppRouter } from '../../server/routers/index.js';
import { FetchEventSource } from './fetch-event-source.js';

export type LiveClient = ReturnType<typeof createTRPCClient<AppRouter>>;

/**
 * A tRPC client whose subscriptions run over Server-Sent Events (httpSubscriptionLink) and whose
 * queries and mutations are batched as usual. The token goes in the `Authorization` header of
 * every (re)connection, read at that moment, never in the URL.
 */
export function liveClient(endpoint: string, getToken: () => string | null): LiveClient {
  const url = `${endpoint.replace(/\/$/, '')}/trpc`;
  const headers = (): Record<string, string> => {
    const token = getToken();
    return token ? { authorization: `Bearer ${token}` } : {};
  };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url, EventSource: FetchEventSource, eventSourceOptions: () => ({ headers }) }),
        false: httpBatchLink({ url, headers, maxItems: 10 }),
      }),
    ],
  });
}
