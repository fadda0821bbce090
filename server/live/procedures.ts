import { TRPCError } from '@trpc/server';
import { alertsOnChangeInput, groupIdInput, type AlertChange, type PostChange } from '../contract/index.js';
import { participant } from '../domain/groups.js';
import { authedProcedure, staffProcedure, type Context } from '../trpc.js';
import type { Principal } from '../auth/principal.js';
import { alertsChannel, postsChannel, type LiveBus, type LivePayload } from './bus.js';

/** Events a slow reader may fall behind by before they are replaced by one `resync`. */
const MAX_QUEUED = 100;

/** Longest a timer may wait (setTimeout's limit, about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The events of one channel as an async generator for a tRPC subscription: `ready` once the bus
 * listens, then each change, until the client goes away (`signal`), the server shuts down, or the
 * token the stream was opened with expires (`until`, ms): the client then reconnects with a fresh
 * token, or stops.
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
  const queue: T[] = [];
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  let unsubscribe: () => void;
  try {
    unsubscribe = await bus.subscribe(channel, (payload) => {
      const event = toEvent(payload);
      if (event === null) return;
      if (queue.length >= MAX_QUEUED) queue.splice(0, queue.length, resync);
      else queue.push(event);
      notify();
    });
  } catch {
    throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'Live updates are not available right now' });
  }
  signal?.addEventListener('abort', notify);
  bus.closed.addEventListener('abort', notify);
  const expired = () => until !== undefined && Date.now() >= until;
  const expiry = until === undefined ? undefined : setTimeout(notify, Math.min(MAX_TIMER_MS, Math.max(0, until - Date.now())));
  try {
    yield ready;
    while (!signal?.aborted && !bus.closed.aborted && !expired()) {
      const next = queue.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    clearTimeout(expiry);
    unsubscribe();
    signal?.removeEventListener('abort', notify);
    bus.closed.removeEventListener('abort', notify);
  }
}

/** A slot among the caller's and the clinic's open streams, for as long as the stream runs. */
async function* withStreamSlot<T>(ctx: Context & { principal: Principal }, events: () => AsyncGenerator<T, void, unknown>): AsyncGenerator<T, void, unknown> {
  const release = ctx.streams.acquire(ctx.principal.clinicId, ctx.tokenKey ?? `user:${ctx.principal.userId}`);
  try {
    yield* events();
  } finally {
    release();
  }
}

const alertKinds = new Set<string>(['created', 'updated', 'acknowledged', 'resync']);
const postKinds = new Set<string>(['posted', 'hidden', 'resync']);

/**
 * `alerts.onChange`: the caller's clinic's alerts changed (`{ kind, alertId }`). The widget
 * refetches `alerts.list`, which is where reads are authorised and audited.
 */
export const alertsOnChange = staffProcedure.input(alertsOnChangeInput).subscription(async function* ({ ctx, signal }) {
  yield* withStreamSlot(ctx, () => liveEvents<AlertChange>(
    ctx.bus,
    alertsChannel(ctx.principal.clinicId),
    signal,
    ctx.principal.expiresAt,
    (p) => (p.kind && alertKinds.has(p.kind) ? { kind: p.kind as AlertChange['kind'], alertId: p.kind === 'resync' ? null : (p.id ?? null) } : null),
    { kind: 'ready', alertId: null },
    { kind: 'resync', alertId: null },
  ));
});

/**
 * `groups.onPost`: the group's board changed (`{ kind, postId }`). Only for those who may read the
 * board (`groups.messages`): members who accepted the current guidelines, and moderators.
 */
export const groupsOnPost = authedProcedure.input(groupIdInput).subscription(async function* ({ ctx, input, signal }) {
  const { group } = await participant(ctx, ctx.principal, input.groupId);
  yield* withStreamSlot(ctx, () => liveEvents<PostChange>(
    ctx.bus,
    postsChannel(ctx.principal.clinicId, group.id),
    signal,
    ctx.principal.expiresAt,
    (p) => (p.kind && postKinds.has(p.kind) ? { kind: p.kind as PostChange['kind'], postId: p.kind === 'resync' ? null : (p.id ?? null) } : null),
    { kind: 'ready', postId: null },
    { kind: 'resync', postId: null },
  ));
});
