import type { ReactiveController, ReactiveControllerHost } from 'lit';

const hidden = () => document.visibilityState === 'hidden';

export interface PollOptions {
  /** Wait between successful polls. */
  intervalMs: number;
  /** Longest wait after repeated failures. */
  maxMs: number;
}

/**
 * Runs `poll` now and then again every `intervalMs` while the host is connected and the tab is
 * visible. Failures back off (doubling, up to `maxMs`); a hidden tab pauses polling altogether
 * and polls at once when it becomes visible again.
 */
export class PollController implements ReactiveController {
  failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private connected = false;
  private running = false;
  private again = false;
  private readonly onVisibility = () => {
    if (hidden()) clearTimeout(this.timer);
    else void this.now();
  };

  constructor(
    host: ReactiveControllerHost,
    private readonly poll: () => Promise<boolean>,
    private readonly options: () => PollOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
    document.addEventListener('visibilitychange', this.onVisibility);
    void this.now();
  }

  hostDisconnected(): void {
    this.connected = false;
    document.removeEventListener('visibilitychange', this.onVisibility);
    clearTimeout(this.timer);
  }

  /** The wait before the next poll: the interval, doubled for each failure in a row. */
  get delayMs(): number {
    const { intervalMs, maxMs } = this.options();
    return Math.min(maxMs, intervalMs * 2 ** this.failures);
  }

  /** Polls now (or right after the poll that is running) and restarts the timer. */
  async now(): Promise<void> {
    clearTimeout(this.timer);
    if (this.running) this.again = true;
    if (!this.connected || this.running || hidden()) return;
    this.running = true;
    try {
      const ok = await this.poll();
      this.failures = ok ? 0 : this.failures + 1;
    } finally {
      this.running = false;
    }
    if (this.again) {
      this.again = false;
      return this.now();
    }
    if (this.connected && !hidden()) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.now(), this.delayMs);
    }
  }
}
