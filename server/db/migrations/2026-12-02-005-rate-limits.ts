import type { Kysely } from 'kysely';

/**
 * Request counts shared by every server process on one PostgreSQL database (rate-limiter-flexible's
 * RateLimiterPostgres layout: key, points, expiry in ms since epoch). SQLite runs one process and
 * counts in memory; the table is created there too so both schemas stay the same.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expire', 'bigint')
    .execute();
}
