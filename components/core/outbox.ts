import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CareClient } from './api-client.js';
import { failureOf, isTransient, type Failure } from './failure.js';
import { outboxItems, putOutboxItem, removeOutboxItem, type OutboxItem, type OutboxProcedure } from './offline-store.js';
import { identityOf } from './token.js';

export type { OutboxItem } from './offline-store.js';

export interface OutboxEventDetail {
  item: OutboxItem;
  result?: unknown;
  failure?: Failure;
}

/** Tells every widget on the page what happened to a queued submission, whoever sent it. */
export const outboxEvents = new EventTarget();

interface Owner {
  endpoint: string;
  token: string | null;
  api: CareClient;
}

/**
 * How long one send may wait for an answer. A server that accepts the connection and never answers
 * would otherwise hold the queue for good; the submission keeps its id, so a late answer to an
 * abandoned send cannot store it twice.
 */
export const SEND_TIMEOUT_MS = 30_000;

function send(api: CareClient, item: OutboxItem): Promise<unknown> {
  const options = { signal: AbortSignal.timeout(SEND_TIMEOUT_MS) };
  switch (item.procedure) {
    case 'checkIn.submit':
      return api.checkIn.submit.mutate(item.input as Parameters<CareClient['checkIn']['submit']['mutate']>[0], options);
    case 'crisis.alert':
      return api.crisis.alert.mutate(item.input as Parameters<CareClient['crisis']['alert']['mutate']>[0], options);
  }
}

const inFlight = new Map<string, Promise<Failure | null>>();

/**
 * Sends this person's queued submissions in the order they were made, one at a time. Stops at the
 * first failure that may pass (offline, server down) so order is kept; drops a submission the
 * server refuses for good (it would never succeed) and says so. Returns the failure that stopped it.
 */
export function flushOutbox(owner: Owner): Promise<Failure | null> {
  const who = identityOf(owner.token);
  if (!who) return Promise.resolve(null);
  const key = `${owner.endpoint}|${who.clinic}|${who.sub}`;
  // A call made while a send is under way (the person pressed "Send now" as a retry began against a
  // server that was still down) waits for it and then tries again: it must not take that
  // attempt's old failure as its own answer.
  const running = inFlight.get(key);
  if (running) return running.then(() => flushOutbox(owner));
  const run = (async (): Promise<Failure | null> => {
    const mine = (await outboxItems()).filter(
      (i) => i.endpoint === owner.endpoint && i.clinic === who.clinic && i.sub === who.sub,
    );
    for (const item of mine) {
      try {
        const result = await send(owner.api, item);
        await removeOutboxItem(item.id);
        outboxEvents.dispatchEvent(new CustomEvent<OutboxEventDetail>('sent', { detail: { item, result } }));
      } catch (error) {
        const failure = failureOf(error);
        if (isTransient(failure) || failure.kind === 'signed-out') {
          await putOutboxItem({ ...item, attempts: item.attempts + 1 });
          return failure;
        }
        await removeOutboxItem(item.id);
        outboxEvents.dispatchEvent(new CustomEvent<OutboxEventDetail>('dropped', { detail: { item, failure } }));
      }
    }
    return null;
  })().finally(() => inFlight.delete(key));
  inFlight.set(key, run);
  return run;
}

/** How many of this person's submissions of one kind wait on the device. */
export async function pendingCount(owner: Pick<Owner, 'endpoint' | 'token'>, procedure: OutboxProcedure = 'checkIn.submit'): Promise<number> {
  const who = identityOf(owner.token);
  if (!who) return 0;
  return (await outboxItems()).filter(
    (i) => i.endpoint === owner.endpoint && i.clinic === who.clinic && i.sub === who.sub && (i.procedure ?? 'checkIn.submit') === procedure,
  ).length;
}

const RETRY_MS = [2_000, 5_000, 10_000, 30_000];

/**
 * Keeps a widget's outbox moving: flushes when it connects, when the browser comes back online, when
 * the token changes and on a backing-off timer while anything is left, and re-renders the host with the pending count.
 */
export class OutboxController implements ReactiveController {
  pending = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private connected = false;
  private token: string | null | undefined = undefined;
  private readonly onOnline = () => {
    this.failures = 0;
    void this.flush();
  };
  private readonly onChange = () => void this.refreshCount();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly owner: () => Owner,
    /** Which kind of submission `pending` counts (the queue itself sends every kind, in order). */
    private readonly procedure: OutboxProcedure = 'checkIn.submit',
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
    window.addEventListener('online', this.onOnline);
    outboxEvents.addEventListener('sent', this.onChange);
    outboxEvents.addEventListener('dropped', this.onChange);
    this.token = this.owner().token;
    void this.flush();
  }

  /** A new token (the portal signed the person in again, or the provider refreshed it) sends what a refused one left waiting. */
  hostUpdated(): void {
    const token = this.owner().token;
    if (token === this.token) return;
    this.token = token;
    if (token) {
      this.failures = 0;
      void this.flush();
    }
  }

  hostDisconnected(): void {
    this.connected = false;
    window.removeEventListener('online', this.onOnline);
    outboxEvents.removeEventListener('sent', this.onChange);
    outboxEvents.removeEventListener('dropped', this.onChange);
    clearTimeout(this.timer);
  }

  /** Saves a submission on the device before any network attempt, so a crash or reload cannot lose it. */
  async enqueue(item: Omit<OutboxItem, 'endpoint' | 'clinic' | 'sub' | 'queuedAt' | 'attempts'>): Promise<boolean> {
    const owner = this.owner();
    const who = identityOf(owner.token);
    if (!who) return false;
    await putOutboxItem({ ...item, endpoint: owner.endpoint, clinic: who.clinic, sub: who.sub, queuedAt: Date.now(), attempts: 0 });
    await this.refreshCount();
    return true;
  }

  async flush(): Promise<Failure | null> {
    clearTimeout(this.timer);
    const failure = await flushOutbox(this.owner());
    await this.refreshCount();
    if (failure && isTransient(failure) && this.connected) {
      const delay = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)]!;
      this.failures += 1;
      this.timer = setTimeout(() => void this.flush(), delay);
    } else {
      this.failures = 0;
    }
    return failure;
  }

  private async refreshCount(): Promise<void> {
    const count = await pendingCount(this.owner(), this.procedure);
    if (count !== this.pending) {
      this.pending = count;
      this.host.requestUpdate();
    }
  }
}
