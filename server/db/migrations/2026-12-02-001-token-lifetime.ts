import type { Kysely } from 'kysely';

/** Longest lifetime (seconds) a clinic accepts for the tokens its portal mints; NULL means the default, 12 hours. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('clinics').addColumn('max_token_lifetime_s', 'integer').execute();
}
