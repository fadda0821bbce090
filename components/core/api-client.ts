import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '../../server/routers/index.js';
import { secondsLeft } from './token.js';

export type CareClient = ReturnType<typeof createTRPCClient<AppRouter>>;

/** A token whose `exp` is this close (seconds) is refreshed before a call, when the host can refresh it. */
export const REFRESH_BEFORE_EXPIRY_S = 60;


/** Where a client gets its bearer token, and what it does when the token runs out. */
export interface TokenSource {
  /** The token to send now (read at request time, so a changed token needs no new client). */
  current(): string | null;
  /** Asks the host portal for a fresh token; null when none can be had. Absent when the host gave no `tokenProvider`. */
  refresh?(): Promise<string | null>;
  /** A call was refused (401) and no fresh token could be had: the person must sign in again. */
  expired?(token: string | null): void;
}

function withToken(init: RequestInit | undefined, token: string | null): RequestInit {
  const headers = new Headers(init?.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  else headers.delete('authorization');
  return { ...init, headers };
}

/**
 * fetch with the token lifecycle: refreshes a token that expires within a minute before the call,
 * and when the server answers 401 asks for a fresh token and retries the call once. A 401 that
 * stays a 401 reports the token as expired.
 */
export function tokenFetch(source: TokenSource, fetchImpl: typeof fetch = (...args) => globalThis.fetch(...args)) {
  return async (url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    let token = source.current();
    if (source.refresh && token) {
      const left = secondsLeft(token);
      if (left !== null && left < REFRESH_BEFORE_EXPIRY_S) token = (await source.refresh().catch(() => null)) ?? token;
    }
    const response = await fetchImpl(url, withToken(init, token));
    if (response.status !== 401) return response;
    const fresh = source.refresh ? await source.refresh().catch(() => null) : null;
    if (fresh && fresh !== token) {
      const retried = await fetchImpl(url, withToken(init, fresh));
      if (retried.status === 401) source.expired?.(fresh);
      return retried;
    }
    source.expired?.(token);
    return response;
  };
}

/**
 * A tRPC client for one server. Pass a TokenSource (or just a getter) so every call carries the
 * current token and, with `refresh`, survives an expiring token.
 */
export function careClient(endpoint: string, tokens: TokenSource | (() => string | null)): CareClient {
  const source: TokenSource = typeof tokens === 'function' ? { current: tokens } : tokens;
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${endpoint.replace(/\/$/, '')}/trpc`,
        // The server refuses batches of more than CARE_MAX_BATCH_SIZE (default 20) calls.
        maxItems: 10,
        fetch: tokenFetch(source),
      }),
    ],
  });
}

/** Why the person must sign in again: the host gave no `tokenProvider`, or it gave no usable token. */
export type TokenExpiredReason = 'no-token-provider' | 'refresh-failed';

/** What a host's `tokenProvider` property holds: resolves a fresh token minted by the portal's backend. */
export type TokenProvider = () => Promise<string>;

/**
 * Asks a host's tokenProvider for fresh tokens on behalf of every widget that shares it: one
 * request at a time, at most one every two seconds (a host that hands out bad tokens cannot start
 * a loop), and one "expired" report per token.
 */
export class TokenRefresher {
  private pending: Promise<string | null> | null = null;
  private last: { at: number; token: string } | null = null;
  private reported: string | null | undefined = undefined;

  constructor(
    private readonly provider: () => TokenProvider | undefined,
    private readonly onFresh: (token: string) => void,
    private readonly onExpired: (token: string | null, reason: TokenExpiredReason) => void,
  ) {}

  get available(): boolean {
    return typeof this.provider() === 'function';
  }

  refresh(): Promise<string | null> {
    const provider = this.provider();
    if (typeof provider !== 'function') return Promise.resolve(null);
    if (this.pending) return this.pending;
    if (this.last && Date.now() - this.last.at < 2_000) return Promise.resolve(this.last.token);
    const run = Promise.resolve()
      .then(() => provider())
      .then(
        (token) => {
          if (typeof token !== 'string' || token.split('.').length !== 3) return null;
          this.last = { at: Date.now(), token };
          this.onFresh(token);
          return token;
        },
        () => null,
      );
    this.pending = run;
    void run.finally(() => {
      if (this.pending === run) this.pending = null;
    });
    return run;
  }

  expired(token: string | null): void {
    if (token === this.reported) return;
    this.reported = token;
    this.onExpired(token, this.available ? 'refresh-failed' : 'no-token-provider');
  }
}
