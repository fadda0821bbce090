import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { isChannel, isLivePayload, type LiveBus, type LiveListener, type LivePayload } from './bus.js';

/** One process (SQLite): change notifications stay in memory. */
export class MemoryLiveBus implements LiveBus {
  private readonly emitter = new EventEmitter();
  private readonly abort = new AbortController();
  readonly closed = this.abort.signal;

  constructor(private readonly log?: Logger) {
    this.emitter.setMaxListeners(0);
  }

  publish(channel: string, payload: LivePayload): void {
    if (this.closed.aborted) return;
    if (!isChannel(channel) || !isLivePayload(payload)) {
      this.log?.warn({ channel }, 'live update dropped: not an id-only payload');
      return;
    }
    const copy = Object.freeze({ ...payload });
    // Delivered on a later turn, as PostgreSQL would: a listener never runs inside the publisher's call.
    setImmediate(() => this.emitter.emit(channel, copy));
  }

  subscribe(channel: string, listener: LiveListener): Promise<() => void> {
    if (this.closed.aborted) return Promise.reject(new Error('live bus is closed'));
    if (!isChannel(channel)) return Promise.reject(new Error('not a live channel'));
    const safe = (payload: LivePayload) => {
      try {
        listener(payload);
      } catch (error) {
        this.log?.warn({ err: error }, 'live listener failed');
      }
    };
    this.emitter.on(channel, safe);
    return Promise.resolve(() => void this.emitter.off(channel, safe));
  }

  close(): Promise<void> {
    this.abort.abort();
    this.emitter.removeAllListeners();
    return Promise.resolve();
  }
}
