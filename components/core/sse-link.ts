import { TRPCClientError, type TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { observable } from '@trpc/server/observable';
import { createParser } from 'eventsource-parser';

/** Options of {@link sseLink}: headers are read again for every (re)connection. */
export interface SseLinkOptions {
  /** The tRPC endpoint, e.g. `https://clinic.example/trpc`. */
  url: string;
  headers(): Record<string, string>;
}

/** tRPC codes after which a stream is worth reopening (BAD_GATEWAY, SERVICE_UNAVAILABLE, GATEWAY_TIMEOUT, INTERNAL_SERVER_ERROR). */
const RETRYABLE = new Set([-32012, -32013, -32014, -32603]);

/**
 * A terminating tRPC link that runs subscriptions over Server-Sent Events read from `fetch`, so
 * the token travels in the `Authorization` header (never in a URL, where proxies would log it).
 * It speaks the stream tRPC's server writes (events `connected`, `ping`, `serialized-error`,
 * `return`, data with tracked ids), parsed by eventsource-parser, and follows the EventSource
 * model: reconnects after a dropped or silent stream (`retry:` and the last tracked id honoured)
 * and fails for good on a non-200 answer or a non-SSE body. It lives in the lazy live chunk: tRPC's
 * own httpSubscriptionLink sits in the module with createTRPCClient, so using it would make every
 * page download the SSE code before its first render.
 */
export function sseLink<TRouter extends AnyRouter>(options: SseLinkOptions): TRPCLink<TRouter> {
  return () =>
    ({ op }) =>
      observable((observer) => {
        if (op.type !== 'subscription') throw new Error('sseLink carries subscriptions only');
        const abort = new AbortController();
        let attempt: AbortController | undefined;
        let lastEventId: string | undefined;
        let retryMs = 3_000;
        let silentMs = 0;
        let retryTimer: ReturnType<typeof setTimeout> | undefined;
        let silenceTimer: ReturnType<typeof setTimeout> | undefined;
        const state = (state: 'connecting' | 'pending' | 'idle', error: unknown = null) =>
          observer.next({ result: { type: 'state', state, error } as never });
        const stop = () => {
          abort.abort();
          attempt?.abort();
        };
        const fail = (error: unknown) => {
          stop();
          observer.error(TRPCClientError.from(error instanceof Error ? error : new Error(String(error))));
        };
        const reconnect = (error: unknown) => {
          if (abort.signal.aborted) return;
          attempt?.abort();
          clearTimeout(silenceTimer);
          state('connecting', error ? TRPCClientError.from(error instanceof Error ? error : new Error('The live connection was interrupted', { cause: error })) : null);
          clearTimeout(retryTimer);
          retryTimer = setTimeout(() => void connect(), retryMs);
        };
        const connect = async () => {
          if (abort.signal.aborted) return;
          attempt = new AbortController();
          const signal = attempt.signal;
          const input = lastEventId === undefined ? op.input : { ...(op.input as object), lastEventId };
          const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
          let response: Response;
          try {
            response = await fetch(`${options.url}/${op.path}${query}`, {
              headers: { accept: 'text/event-stream', ...options.headers() },
              cache: 'no-store',
              signal,
            });
          } catch (error) {
            reconnect(error);
            return;
          }
          if (signal.aborted) return;
          if (response.status !== 200 || !response.body || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
            void response.body?.cancel().catch(() => undefined);
            fail(new Error(`The event stream answered ${response.status}`));
            return;
          }
          const quiet = () => {
            clearTimeout(silenceTimer);
            if (silentMs > 0) silenceTimer = setTimeout(() => reconnect(new Error(`No event for ${silentMs} ms`)), silentMs);
          };
          let ended = false;
          const parser = createParser({
            onRetry: (ms) => (retryMs = ms),
            onEvent: (event) => {
              quiet();
              if (event.event === 'connected') {
                silentMs = (JSON.parse(event.data || '{}') as { reconnectAfterInactivityMs?: number }).reconnectAfterInactivityMs ?? 0;
                quiet();
                observer.next({ result: { type: 'started' } });
                state('pending');
              } else if (event.event === 'return') {
                ended = true;
                stop();
                clearTimeout(silenceTimer);
                observer.next({ result: { type: 'stopped' } });
                state('idle');
                observer.complete();
              } else if (event.event === 'serialized-error') {
                const error = TRPCClientError.from({ error: JSON.parse(event.data) as never });
                if (RETRYABLE.has((error.shape as { code?: number } | undefined)?.code ?? 0)) reconnect(error);
                else fail(error);
              } else if (event.event === undefined || event.event === 'message') {
                const data: unknown = JSON.parse(event.data);
                if (event.id) lastEventId = event.id;
                observer.next({ result: event.id ? { id: event.id, data } : { data } });
              }
            },
          });
          try {
            const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
            for (;;) {
              const { value, done } = await reader.read();
              if (done || ended || signal.aborted) break;
              parser.feed(value);
            }
          } catch {
            // dropped connection, or aborted: handled below
          }
          if (!ended && !signal.aborted) reconnect(new Error('The event stream ended'));
        };
        state('connecting');
        void connect().catch(fail);
        return () => {
          stop();
          clearTimeout(retryTimer);
          clearTimeout(silenceTimer);
        };
      });
}
