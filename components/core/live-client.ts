import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LiveClient } from './live-connection.js';

export type { LiveClient };

/** The SSE client loads when a widget first subscribes: nothing on screen waits for it. */
const connection = () => import('./live-connection.js');

/** What a subscription reports to {@link LiveController}; the procedures' `subscribe` options fit it. */
export interface LiveHandlers {
  onData(event: { kind: string }): void;
  onError(error: unknown): void;
  onComplete(): void;
  onConnectionStateChange(state: { state: string; error: unknown }): void;
}

export interface LiveOptions {
  endpoint(): string;
  token(): string | null;
  /** What to follow: a change resubscribes; null while there is nothing to follow. */
  key(): string | null;
  subscribe(client: LiveClient, handlers: LiveHandlers): { unsubscribe(): void };
  /** Refetch what is on screen. Runs for every event; events during a refetch cause one more. */
  refresh(): Promise<unknown>;
  /** Live updates started (true) or stopped (false): the host polls only while they are off. */
  onLiveChange?(live: boolean): void;
  /**
   * Whether the stream's `ready` should refetch (default: always). A host whose first fetch is
   * waiting for the stream (see {@link LiveController.whenReady}) says no: that fetch follows `ready`.
   */
  refreshOnReady?(): boolean;
}

/** Polling at this pace still runs while live updates work, in case an event was lost. */
export const LIVE_SAFETY_NET_MS = 5 * 60_000;
const RETRY_MS = 5_000;
const MAX_RETRY_MS = 5 * 60_000;

/**
 * Follows a live-update subscription for a widget: refetches when the server says something
 * changed, reports whether live updates work (so the widget polls only when they do not), and
 * resubscribes with backoff after a failure. A hidden tab refetches when it becomes visible.
 */
export class LiveController implements ReactiveController {
  /** True between the server's `ready` and the next failure. */
  live = false;
  private key: string | null = null;
  private connected = false;
  private subscription: { unsubscribe(): void } | undefined;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing = false;
  private again = false;
  private missedWhileHidden = false;
  private lastSafetyPoll = Date.now();
  private client: { endpoint: string; client: LiveClient } | undefined;
  private readyWaiters: ((ready: boolean) => void)[] = [];
  private readonly onVisibility = () => {
    if (document.visibilityState === 'visible' && this.missedWhileHidden) this.changed();
  };

  constructor(
    host: ReactiveControllerHost,
    private readonly options: LiveOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
    document.addEventListener('visibilitychange', this.onVisibility);
    this.sync();
  }

  hostUpdated(): void {
    this.sync();
  }

  hostDisconnected(): void {
    this.connected = false;
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.stop();
    this.key = null;
    this.settle(false);
  }

  /** True while a subscription is being set up and has neither said `ready` nor failed yet. */
  get connecting(): boolean {
    return this.key !== null && !this.live && this.failures === 0;
  }

  /**
   * Resolves true when the stream says `ready` (the server now follows every change, so a fetch
   * from then on misses nothing), false when it fails, stops or `timeoutMs` passes first.
   */
  whenReady(timeoutMs: number): Promise<boolean> {
    // The host may ask before its own update ran (a token that just arrived): follow the current key first.
    this.sync();
    if (this.live) return Promise.resolve(true);
    if (!this.connecting) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), timeoutMs);
      const done = (ready: boolean) => {
        clearTimeout(timer);
        this.readyWaiters = this.readyWaiters.filter((w) => w !== done);
        resolve(ready);
      };
      this.readyWaiters.push(done);
    });
  }

  private settle(ready: boolean): void {
    for (const waiter of [...this.readyWaiters]) waiter(ready);
  }

  /** For a poll timer: true when polling is needed now (live updates off, or the safety-net poll is due). */
  due(): boolean {
    if (!this.live) return true;
    if (Date.now() - this.lastSafetyPoll < LIVE_SAFETY_NET_MS) return false;
    this.lastSafetyPoll = Date.now();
    return true;
  }

  private sync(): void {
    const key = this.connected ? this.options.key() : null;
    if (key === this.key) return;
    this.stop();
    this.key = key;
    this.failures = 0;
    if (key) this.start();
  }

  private start(): void {
    clearTimeout(this.retryTimer);
    const endpoint = this.options.endpoint();
    const key = this.key;
    const current = () => key === this.key;
    if (this.client?.endpoint !== endpoint) {
      void connection().then(
        ({ liveClient }) => {
          this.client = { endpoint, client: liveClient(endpoint, () => this.options.token()) };
          if (this.connected && current() && !this.subscription) this.start();
        },
        () => {
          this.settle(false);
          this.retry(false);
        },
      );
      return;
    }
    let subscription: { unsubscribe(): void } | undefined;
    const ended = (quick: boolean) => {
      if (!current() || this.subscription !== subscription) return;
      this.subscription = undefined;
      this.setLive(false);
      this.settle(false);
      this.retry(quick);
    };
    try {
      subscription = this.options.subscribe(this.client.client, {
        onData: (event) => {
          if (!current()) return;
          if (event.kind === 'ready') {
            this.failures = 0;
            this.setLive(true);
            const refresh = this.options.refreshOnReady?.() ?? true;
            this.settle(true);
            if (!refresh) return;
          }
          this.changed();
        },
        // The stream dropped and the client is reconnecting: poll meanwhile.
        onConnectionStateChange: (state) => {
          if (current() && state.state === 'connecting' && state.error) this.setLive(false);
        },
        onError: () => ended(false),
        // The server ended the stream (it is shutting down): another instance will take over.
        onComplete: () => ended(true),
      });
    } catch {
      ended(false);
      return;
    }
    this.subscription = subscription;
  }

  private stop(): void {
    clearTimeout(this.retryTimer);
    const subscription = this.subscription;
    this.subscription = undefined;
    subscription?.unsubscribe();
    this.setLive(false);
  }

  private retry(quick: boolean): void {
    clearTimeout(this.retryTimer);
    const base = quick ? 1_000 : Math.min(MAX_RETRY_MS, RETRY_MS * 2 ** this.failures);
    if (!quick) this.failures += 1;
    this.retryTimer = setTimeout(() => {
      if (this.connected && this.key && !this.subscription) this.start();
    }, base * (1 + Math.random()));
  }

  private setLive(live: boolean): void {
    if (this.live === live) return;
    this.live = live;
    this.lastSafetyPoll = Date.now();
    this.options.onLiveChange?.(live);
  }

  private changed(): void {
    if (document.visibilityState === 'hidden') {
      this.missedWhileHidden = true;
      return;
    }
    this.missedWhileHidden = false;
    if (this.refreshing) {
      this.again = true;
      return;
    }
    this.refreshing = true;
    void (async () => {
      try {
        do {
          this.again = false;
          await this.options.refresh().catch(() => undefined);
        } while (this.again && this.key);
      } finally {
        this.refreshing = false;
      }
    })();
  }
}
