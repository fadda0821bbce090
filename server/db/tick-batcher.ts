/**
 * Collects what is asked for during one turn of the event loop and hands it over as one batch, one
 * batch at a time: while a batch is out, what arrives waits for the next. The group commit, the
 * shared rate-limit counts and the recent-moods read are built on it (one round trip or one fsync for
 * many requests). `handle` settles every item; if it throws anyway, every item of the batch is
 * rejected with that error, so no caller waits forever.
 */
export class TickBatcher<T extends { reject(error: unknown): void }> {
  private queue: T[] = [];
  private running = false;

  constructor(
    private readonly handle: (batch: T[]) => Promise<void>,
    private readonly maxBatch = Number.POSITIVE_INFINITY,
  ) {}

  add(item: T): void {
    this.queue.push(item);
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        // Let the requests that arrived in the same turn of the event loop join this batch.
        await new Promise((resolve) => setImmediate(resolve));
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          await this.handle(batch);
        } catch (error) {
          for (const item of batch) item.reject(error);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
