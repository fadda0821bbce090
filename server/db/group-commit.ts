import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import { TickBatcher } from './tick-batcher.js';

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

/**
 * A kind of row write that a batch does with one statement per kind (a multi-row insert) instead of
 * one statement per request: `writeAll` gets the batch's items of this kind, in arrival order, and
 * returns one result per item, in the same order. On PostgreSQL this saves a round trip per request.
 * Retried alone (after a failed batch) it gets a list of one.
 */
export interface RowKind<I, R> {
  readonly name: string;
  writeAll(trx: Transaction<Database>, items: readonly I[]): Promise<R[]>;
}

interface Pending {
  /** A closure, or a row of a kind written with the other rows of its kind. */
  work: Work<unknown> | { kind: RowKind<unknown, unknown>; item: unknown };
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

/** Runs a batch's work: row kinds first (one statement set per kind, in first-arrival order), then closures in order. */
async function runAll(trx: Transaction<Database>, items: readonly Pending[]): Promise<unknown[]> {
  const results: unknown[] = new Array<unknown>(items.length);
  const kinds = new Map<RowKind<unknown, unknown>, number[]>();
  items.forEach((item, i) => {
    if (typeof item.work === 'function') return;
    const at = kinds.get(item.work.kind);
    if (at) at.push(i);
    else kinds.set(item.work.kind, [i]);
  });
  for (const [kind, at] of kinds) {
    const written = await kind.writeAll(
      trx,
      at.map((i) => (items[i]!.work as { item: unknown }).item),
    );
    if (written.length !== at.length) throw new Error(`${kind.name}: ${written.length} results for ${at.length} rows`);
    at.forEach((i, j) => (results[i] = written[j]));
  }
  for (const [i, item] of items.entries()) if (typeof item.work === 'function') results[i] = await item.work(trx);
  return results;
}

/**
 * Group commit: writes that arrive together share one transaction, so one fsync (synchronous=FULL)
 * acknowledges many check-ins instead of one each. Nobody is answered before the commit that holds
 * their write. Work should not fail on expected conditions (use `on conflict do nothing`); if a
 * batch fails anyway, each item is retried alone so one bad write cannot sink the others.
 */
export class GroupCommit {
  private readonly batches: TickBatcher<Pending>;

  constructor(
    private readonly db: Kysely<Database>,
    maxBatch = 128,
    /** Told when a batch rolls back (its items are then retried one by one). */
    private readonly onBatchFailed: (error: unknown, size: number) => void = () => undefined,
  ) {
    this.batches = new TickBatcher((batch) => this.commit(batch), maxBatch);
  }

  /** Runs `work` in the next batch's transaction, after the batch's `shared` rows are written. */
  run<T>(work: Work<T>, shared: readonly SharedRow[] = []): Promise<T> {
    return this.enqueue<T>(work, shared);
  }

  /**
   * Writes `item` with the other items of `kind` in the next batch (one `kind.writeAll` for all of
   * them), after the batch's `shared` rows; resolves with its result once the batch has committed.
   */
  write<I, R>(kind: RowKind<I, R>, item: I, shared: readonly SharedRow[] = []): Promise<R> {
    return this.enqueue<R>({ kind: kind, item }, shared);
  }

  private enqueue<T>(work: Pending['work'], shared: readonly SharedRow[]): Promise<T> {
    return new Promise<T>((resolve, reject) => this.batches.add({ work, shared, resolve, reject }));
  }

  private async commit(batch: Pending[]): Promise<void> {
    if (batch.length === 1 || !(await this.commitTogether(batch))) {
      for (const item of batch) await this.commitAlone(item);
    }
  }

  private async commitTogether(batch: Pending[]): Promise<boolean> {
    let values: unknown[];
    try {
      values = await this.db.transaction().execute(async (trx) => {
        await writeShared(trx, batch);
        return runAll(trx, batch);
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
          return (await runAll(trx, [item]))[0];
        }),
      );
    } catch (error) {
      item.reject(error);
    }
  }
}
