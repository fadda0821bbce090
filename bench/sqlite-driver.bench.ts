/**
 * Guard for server/db/sqlite.ts's FIFO dialect: 64 concurrent "requests", each a read, a write and
 * a read through Kysely on one SQLite file, with Kysely's own SqliteDialect (its RuntimeDriver's
 * wake-everyone mutex) as the same-run baseline. The FIFO dialect earns its place only while
 * `ratio` (FIFO ÷ Kysely requests/s) stays above 1 or its p99 stays lower.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, SqliteDialect, sql, type Dialect, type Generated } from 'kysely';
import { FifoSqliteDialect, openSqliteFile } from '../server/db/sqlite.js';

const CONCURRENCY = 64;
const REQUESTS = Number(process.env.BENCH_SQLITE_REQUESTS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Row {
  id: Generated<number>;
  person: string;
  value: number;
}

async function run(makeDialect: (file: string) => Dialect) {
  const dir = mkdtempSync(join(tmpdir(), 'care-bench-sqlite-'));
  const db = new Kysely<{ items: Row }>({ dialect: makeDialect(join(dir, 'bench.db')) });
  try {
    // The lock is what is measured, not the disk: no fsync per commit here (the server batches its
    // commits, so it pays one fsync per batch, not per request).
    await sql`pragma synchronous = off`.execute(db);
    await sql`create table items (id integer primary key, person text not null, value integer not null)`.execute(db);
    await sql`create index items_person on items (person)`.execute(db);
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, worker) => {
        const person = `person-${worker}`;
        while (next < REQUESTS) {
          next++;
          const t0 = performance.now();
          await db.selectFrom('items').select('id').where('person', '=', person).orderBy('id', 'desc').limit(1).execute();
          await db.insertInto('items').values({ person, value: next }).execute();
          await db.selectFrom('items').select((eb) => eb.fn.countAll<number>().as('n')).where('person', '=', person).executeTakeFirst();
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const at = (q: number) => Math.round(latencies[Math.floor(q * (latencies.length - 1))]! * 100) / 100;
    return { requestsPerSecond: Math.round(REQUESTS / seconds), p50Ms: at(0.5), p99Ms: at(0.99) };
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function sqliteDriver() {
  const rounds: { kysely: Awaited<ReturnType<typeof run>>; fifo: Awaited<ReturnType<typeof run>> }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternated, so a change in the machine's other load hits both alike.
    const kysely = await run((file) => new SqliteDialect({ database: openSqliteFile(file) }));
    const fifo = await run((file) => new FifoSqliteDialect({ database: openSqliteFile(file) }));
    rounds.push({ kysely, fifo });
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const kysely = { requestsPerSecond: median(rounds.map((r) => r.kysely.requestsPerSecond)), p99Ms: median(rounds.map((r) => r.kysely.p99Ms)) };
  const fifo = { requestsPerSecond: median(rounds.map((r) => r.fifo.requestsPerSecond)), p99Ms: median(rounds.map((r) => r.fifo.p99Ms)) };
  return {
    concurrency: CONCURRENCY,
    requests: REQUESTS,
    kysely,
    fifo,
    ratio: Math.round((fifo.requestsPerSecond / kysely.requestsPerSecond) * 100) / 100,
    p99Ratio: Math.round((fifo.p99Ms / kysely.p99Ms) * 100) / 100,
    rounds,
  };
}
