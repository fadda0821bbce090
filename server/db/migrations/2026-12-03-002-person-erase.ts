import type { Kysely } from 'kysely';

/**
 * erased_persons: one row per erasure (`care person erase`). It names the person only by a SHA-256
 * of clinic and person id, so a second erase can answer "already erased" (idempotent) without the
 * database keeping who was erased; it also keeps what the erasure removed (counts, JSON).
 */
// Kysely<any>: a migration sees the tables as they were then, not as schema.ts describes them now.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('erased_persons')
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinics.id'))
    .addColumn('person_hash', 'text', (c) => c.notNull())
    .addColumn('erased_at', 'text', (c) => c.notNull())
    .addColumn('erased_by', 'text', (c) => c.notNull())
    .addColumn('removed', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('erased_persons_pk', ['clinic_id', 'person_hash', 'erased_at'])
    .execute();
}
