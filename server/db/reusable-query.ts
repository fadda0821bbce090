import { CompiledQuery, type Compilable } from 'kysely';
import { isPostgres, type Db } from './index.js';

/**
 * A query that runs on every request with the same SQL and different values, compiled once per
 * dialect and shape instead of rebuilt and recompiled by Kysely's builder each time (building and
 * compiling the recent-moods read and the check-in insert was about 8% of a check-in's CPU time
 * under load). The builder is run once with placeholder values ("slots"); the SQL it compiles to is
 * kept with, for each of its parameters, the slot it came from (or the constant the builder put
 * there), and later calls only fill the slots in. Values stay bound parameters, never SQL text.
 *
 * `shape` is what else the SQL depends on besides the dialect (the rows and columns of a
 * multi-row insert), named by a `shapeKey`; `build` must give the same SQL for the same shape
 * whatever the slot values.
 */
export class ReusableQuery<R, S = undefined> {
  private readonly compiled = new Map<string, { sql: string; parameters: readonly (number | { constant: unknown })[] }>();

  constructor(
    private readonly build: (db: Db, slot: (i: number) => string, shape: S) => Compilable<R>,
    /** Shapes kept per dialect (a multi-row insert has one per batch size). */
    private readonly maxShapes = 256,
  ) {}

  /**
   * The query for `values` (slot i gets values[i]), on `db`'s dialect, ready for `db.executeQuery`.
   * `shapeKey` tells shapes apart (the same key must mean the same SQL).
   */
  bind(db: Db, values: readonly unknown[], shape: S, shapeKey = ''): CompiledQuery<R> {
    const key = `${isPostgres(db) ? 'pg' : 'sqlite'}:${shapeKey}`;
    let entry = this.compiled.get(key);
    if (!entry) {
      const slots = new Map<string, number>();
      const slot = (i: number) => {
        const text = `\u0000slot:${i}\u0000`;
        slots.set(text, i);
        return text;
      };
      const query = this.build(db, slot, shape).compile();
      entry = {
        sql: query.sql,
        parameters: query.parameters.map((p) => (typeof p === 'string' && slots.has(p) ? slots.get(p)! : { constant: p })),
      };
      if (this.compiled.size >= this.maxShapes) this.compiled.clear();
      this.compiled.set(key, entry);
    }
    return CompiledQuery.raw(
      entry.sql,
      entry.parameters.map((p) => (typeof p === 'number' ? values[p] : p.constant)),
    );
  }
}
