import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.js';
import { isChannel, isLivePayload, parsePayload, RESYNC, type LiveBus, type LiveListener, type LivePayload } from './bus.js';

export interface PostgresLiveBusOptions {
  /** First wait before reconnecting the listener; doubles per failure up to `maxBackoffMs`. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often the idle listener connection is checked with `select 1` (finds half-open connections). */
  healthCheckMs?: number;
}

/**
 * Several processes on one PostgreSQL database: `pg_notify` through the app's pool after the
 * commit, and one dedicated connection per process that LISTENs on the channels its open streams
 * need. The listener reconnects with backoff and then sends every local listener a `resync`
 * (events may have been missed meanwhile). Notifications are delivered to the publishing
 * process too, through its own listener, so local and remote streams see the same events.
 */
export class PostgresLiveBus implements LiveBus {
  private readonly listeners = new Map<string, Set<LiveListener>>();
  /** LISTEN in flight or done on the current connection, per channel. */
  private readonly listening = new Map<string, Promise<void>>();
  /** Channels subscribed while the listener was down. */
  private readonly resyncOnConnect = new Set<string>();
  private connectWaiters = new Set<() => void>();
  private client: pg.Client | null = null;
  private connecting = false;
  private everConnected = false;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private healthTimer: ReturnType<typeof setInterval> | undefined;
  private readonly abort = new AbortController();
  readonly closed = this.abort.signal;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly healthCheckMs: number;

  constructor(
    private readonly url: string,
    private readonly db: Kysely<Database>,
    private readonly log: Logger,
    options: PostgresLiveBusOptions = {},
  ) {
    this.minBackoffMs = options.minBackoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.healthCheckMs = options.healthCheckMs ?? 30_000;
    void this.connect();
  }

  /** True while the listener connection is up (for tests and health reporting). */
  get connected(): boolean {
    return this.client !== null;
  }

  publish(channel: string, payload: LivePayload): void {
    if (this.closed.aborted) return;
    if (!isChannel(channel) || !isLivePayload(payload)) {
      this.log.warn({ channel }, 'live update dropped: not an id-only payload');
      return;
    }
    sql`select pg_notify(${channel}, ${JSON.stringify(payload)})`.execute(this.db).catch((error: unknown) => {
      this.log.warn({ err: { message: (error as Error).message, code: (error as { code?: string }).code } }, 'live update not published');
    });
  }

  async subscribe(channel: string, listener: LiveListener): Promise<() => void> {
    if (this.closed.aborted) throw new Error('live bus is closed');
    if (!isChannel(channel)) throw new Error('not a live channel');
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(listener);
    if (!this.client) {
      // Just started or reconnecting: the connection LISTENs on every channel it finds. If it takes
      // too long, the stream starts anyway and gets a resync once the listener is up.
      await this.untilConnected(2000);
      if (!this.client && this.listeners.has(channel)) this.resyncOnConnect.add(channel);
    }
    const client = this.client;
    if (client && !this.listening.has(channel)) this.listening.set(channel, this.listen(client, channel));
    await this.listening.get(channel);
    return () => this.unsubscribe(channel, listener);
  }

  async close(): Promise<void> {
    if (this.closed.aborted) return;
    this.abort.abort();
    clearTimeout(this.retryTimer);
    clearInterval(this.healthTimer);
    this.listeners.clear();
    this.listening.clear();
    this.resyncOnConnect.clear();
    for (const done of [...this.connectWaiters]) done();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private untilConnected(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.connectWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.connectWaiters.add(done);
    });
  }

  private unsubscribe(channel: string, listener: LiveListener): void {
    const set = this.listeners.get(channel);
    if (!set?.delete(listener) || set.size > 0) return;
    this.listeners.delete(channel);
    this.listening.delete(channel);
    // Queued after any LISTEN on the same connection, so the order holds.
    this.client?.query(`UNLISTEN "${channel}"`).catch(() => undefined);
  }

  private listen(client: pg.Client, channel: string): Promise<void> {
    // The channel name matched /^care_[a-z]+_[0-9a-f]{32}$/, so quoting it is safe.
    return client.query(`LISTEN "${channel}"`).then(
      () => undefined,
      () => undefined, // the connection failed: the error handler reconnects and LISTENs again
    );
  }

  private deliver(channel: string, text: string | undefined): void {
    const set = this.listeners.get(channel);
    if (!set) return;
    const payload = parsePayload(text);
    if (!payload) {
      this.log.warn({ channel }, 'live update ignored: unexpected payload');
      return;
    }
    for (const listener of [...set]) {
      try {
        listener(payload);
      } catch (error) {
        this.log.warn({ err: error }, 'live listener failed');
      }
    }
  }

  private async connect(): Promise<void> {
    if (this.closed.aborted || this.connecting || this.client) return;
    this.connecting = true;
    const client = new pg.Client({ connectionString: this.url, keepAlive: true, application_name: 'care-live' });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) {
        this.client = null;
        this.listening.clear();
        clearInterval(this.healthTimer);
      }
      client.end().catch(() => undefined);
      if (this.closed.aborted) return;
      this.log.warn({ err: error ? { message: error.message, code: (error as { code?: string }).code } : undefined }, 'live updates: PostgreSQL listener disconnected; reconnecting');
      this.scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (!lost) this.deliver(message.channel, message.payload);
    });
    try {
      await client.connect();
      // Map iteration also visits channels added while these LISTENs run.
      for (const channel of this.listeners.keys()) await client.query(`LISTEN "${channel}"`);
    } catch (error) {
      this.connecting = false;
      onLost(error as Error);
      return;
    }
    this.connecting = false;
    if (lost) return;
    if (this.closed.aborted) {
      lost = true;
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    for (const channel of this.listeners.keys()) this.listening.set(channel, Promise.resolve());
    this.failures = 0;
    this.healthTimer = setInterval(() => this.checkHealth(client, onLost), this.healthCheckMs);
    this.healthTimer.unref();
    const resync = this.everConnected ? [...this.listeners.keys()] : [...this.resyncOnConnect];
    this.resyncOnConnect.clear();
    if (this.everConnected) this.log.info({ channels: this.listeners.size }, 'live updates: PostgreSQL listener reconnected');
    this.everConnected = true;
    for (const channel of resync) this.deliver(channel, JSON.stringify(RESYNC));
    for (const done of [...this.connectWaiters]) done();
  }

  private checkHealth(client: pg.Client, onLost: (error?: Error) => void): void {
    const timeout = setTimeout(() => onLost(new Error('listener health check timed out')), 10_000);
    client.query('select 1').then(
      () => clearTimeout(timeout),
      (error: Error) => {
        clearTimeout(timeout);
        onLost(error);
      },
    );
  }

  private scheduleReconnect(): void {
    clearTimeout(this.retryTimer);
    const wait = Math.min(this.maxBackoffMs, this.minBackoffMs * 2 ** this.failures);
    this.failures += 1;
    // Jitter keeps a fleet of servers from reconnecting in lockstep after a database restart.
    this.retryTimer = setTimeout(() => void this.connect(), wait * (0.8 + Math.random() * 0.4));
    this.retryTimer.unref();
  }
}
