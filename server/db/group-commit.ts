import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Work<T> = (trx: Transaction<Database>) => Promise<T>;

/**
 * A row several writes of a batch may need (a person's `users` row), written once per batch before
 * any work, in the order of `key`. Every process orders them the same way, so two batches on two
 * servers never wait for each other's rows in opposite orders (a PostgreSQL deadlock).
 */
export interface SharedRow {
  key: string;
  write(trx: Transaction<Database>): Promise<void>;
}

interface Pending {
  work: Work<unknown>;
  shared: readonly SharedRow[];
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** The batch's shared rows, each once, in key order. */
async function writeShared(trx: Transaction<Database>, items: readonly Pending[]): Promise<void> {
  const rows = new Map<string, SharedRow>();
  for (const item of items) for (const row of item.shared) if (!rows.has(row.key)) rows.set(row.key, row);
  for (const key of [...rows.keys()].sort()) await rows.get(key)!.write(trx);
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
    /** Told when a batch rolls back (its items are then retried one by one). */
    private readonly onBatchFailed: (error: unknown, size: number) => void = () => undefined,
  ) {}

  /** Runs `work` in the next batch's transaction, after the batch's `shared` rows are written. */
  run<T>(work: Work<T>, shared: readonly SharedRow[] = []): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, shared, resolve, reject });
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
        await writeShared(trx, batch);
        const results: unknown[] = [];
        for (const item of batch) results.push(await item.work(trx));
        return results;
      });
    } catch (error) {
      this.onBatchFailed(error, batch.length);
      return false;
    }
    batch.forEach((item, i) => item.resolve(values[i]));
    return true;
  }

  private async commitAlone(item: Pending): Promise<void> {
    try {
      item.resolve(
        await this.db.transaction().execute(async (trx) => {
          await writeShared(trx, [item]);
          return item.work(trx);
        }),
      );
    } catch (error) {
      item.reject(error);
    }
  }
}
