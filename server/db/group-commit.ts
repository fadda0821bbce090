import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Work<T> = (trx: Transaction<Database>) => Promise<T>;
interface Pending {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Group commit: writes that arrive together share one transaction, so one fsync (synchronous=FULL)
 * acknowledges many check-ins instead of one each. Nobody is answered before the commit that holds
 * their write. Work should not fail on expected conditions (use `on conflict do nothing`); if a
 * batch fails anyway, each item is retried alone so one bad write cannot sink the others.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private draining = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxBatch = 128,
  ) {}

  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        // Let the requests that arrived in the same turn of the event loop join this batch.
        await new Promise((resolve) => setImmediate(resolve));
        const batch = this.queue.splice(0, this.maxBatch);
        if (batch.length === 1 || !(await this.commitTogether(batch))) {
          for (const item of batch) await this.commitAlone(item);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async commitTogether(batch: Pending[]): Promise<boolean> {
    let values: unknown[];
    try {
      values = await this.db.transaction().execute(async (trx) => {
        const results: unknown[] = [];
        for (const item of batch) results.push(await item.work(trx));
        return results;
      });
    } catch {
      return false;
    }
    batch.forEach((item, i) => item.resolve(values[i]));
    return true;
  }

  private async commitAlone(item: Pending): Promise<void> {
    try {
      item.resolve(await this.db.transaction().execute(item.work));
    } catch (error) {
      item.reject(error);
    }
  }
}
