import { on, EventEmitter } from 'node:events';
import { TRPCError } from '@trpc/server';
import type { Principal } from '../auth/principal.js';
import type { Context } from '../trpc.js';
import type { LiveBus, LivePayload } from './bus.js';

/** Events a slow reader may fall behind by; past that, what it missed is replaced by one `resync`. */
const MAX_QUEUED = 100;

/** Longest a timer may wait (setTimeout's limit, about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One stream's events between the bus and `events.on`. `on` pauses it when MAX_QUEUED events wait
 * unread; what arrives meanwhile is dropped, and the reader gets one `resync` once it has caught up
 * (it refetches instead of replaying what it missed).
 */
class StreamEvents<T> extends EventEmitter {
  private paused = false;
  private missed = false;

  constructor(private readonly resync: T) {
    super();
  }

  push(event: T): void {
    if (this.paused) this.missed = true;
    else this.emit('event', event);
  }

  /** Called by `events.on` when the unread events pass its high-water mark. */
  pause(): void {
    this.paused = true;
  }

  /** Called by `events.on` once the reader has taken every waiting event. */
  resume(): void {
    this.paused = false;
    if (!this.missed) return;
    this.missed = false;
    this.emit('event', this.resync);
  }
}

/** Aborted when the token the stream was opened with expires (`until`, ms since the epoch). */
function expirySignal(until: number | undefined): { signal?: AbortSignal; clear(): void } {
  if (until === undefined) return { clear: () => undefined };
  const expiry = new AbortController();
  const wait = Math.max(0, until - Date.now());
  // Beyond setTimeout's range the stream's maximum duration (server/trpc.ts) ends it first.
  const timer = wait <= MAX_TIMER_MS ? setTimeout(() => expiry.abort(), wait) : undefined;
  return { signal: expiry.signal, clear: () => clearTimeout(timer) };
}

/**
 * The events of one channel as an async generator for a tRPC subscription: `ready` once the bus
 * listens, then each change, until the client goes away (`signal`), the server shuts down, or the
 * token the stream was opened with expires (`until`, ms): the client then reconnects with a fresh
 * token, or stops. Built on `events.on(emitter, event, { signal })`.
 */
export async function* liveEvents<T>(
  bus: LiveBus,
  channel: string,
  signal: AbortSignal | undefined,
  until: number | undefined,
  toEvent: (payload: LivePayload) => T | null,
  ready: T,
  resync: T,
): AsyncGenerator<T, void, unknown> {
  const expiry = expirySignal(until);
  const stop = AbortSignal.any([bus.closed, ...(signal ? [signal] : []), ...(expiry.signal ? [expiry.signal] : [])]);
  const events = new StreamEvents<T>(resync);
  // Listening before the bus subscription, so nothing published after `ready` is lost.
  const iterator = stop.aborted ? null : on(events, 'event', { signal: stop, highWaterMark: MAX_QUEUED - 1 });
  let unsubscribe: () => void;
  try {
    unsubscribe = await bus.subscribe(channel, (payload) => {
      const event = toEvent(payload);
      if (event !== null) events.push(event);
    });
  } catch {
    expiry.clear();
    await iterator?.return?.();
    throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'Live updates are not available right now' });
  }
  try {
    yield ready;
    if (!iterator) return;
    for await (const [event] of iterator) yield event as T;
  } catch (error) {
    // The client went away, the bus closed or the token expired: the stream ends normally.
    if (!stop.aborted) throw error;
  } finally {
    expiry.clear();
    unsubscribe();
    await iterator?.return?.();
  }
}

/** A slot among the caller's and the clinic's open streams, for as long as the stream runs. */
export async function* withStreamSlot<T>(ctx: Context & { principal: Principal }, events: () => AsyncGenerator<T, void, unknown>): AsyncGenerator<T, void, unknown> {
  const release = ctx.streams.acquire(ctx.principal.clinicId, ctx.tokenKey ?? `user:${ctx.principal.userId}`);
  try {
    yield* events();
  } finally {
    release();
  }
}

