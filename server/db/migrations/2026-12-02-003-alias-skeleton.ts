import type { Kysely } from 'kysely';
import { nameSkeleton } from '../../domain/confusable-names.js';

/**
 * group_members.alias_skeleton: what the alias looks like (UTS #39 skeleton, see nameSkeleton), unique
 * per group, so that two people cannot hold look-alike aliases even when they choose them at the same
 * moment. Existing aliases are backfilled oldest membership first; a later look-alike keeps its alias
 * with no skeleton (the index allows many NULLs) until its owner chooses again, which is checked.
 */
// Kysely<any>: a migration sees the tables as they were then, not as schema.ts describes them now.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('group_members').addColumn('alias_skeleton', 'text').execute();

  const rows: { clinic_id: string; group_id: string; user_id: string; alias: string }[] = await db
    .selectFrom('group_members')
    .select(['clinic_id', 'group_id', 'user_id', 'alias'])
    .where('alias', 'is not', null)
    .orderBy('added_at')
    .orderBy('user_id')
    .execute();
  const taken = new Set<string>();
  for (const row of rows) {
    const skeleton = nameSkeleton(row.alias);
    const key = JSON.stringify([row.clinic_id, row.group_id, skeleton]);
    if (taken.has(key)) continue;
    taken.add(key);
    await db
      .updateTable('group_members')
      .set({ alias_skeleton: skeleton })
      .where('clinic_id', '=', row.clinic_id)
      .where('group_id', '=', row.group_id)
      .where('user_id', '=', row.user_id)
      .execute();
  }

  await db.schema
    .createIndex('group_members_alias_skeleton')
    .unique()
    .on('group_members')
    .columns(['clinic_id', 'group_id', 'alias_skeleton'])
    .execute();
}
