import type { Kysely } from 'kysely';

/**
 * BAM item 5 (days with heavy drinking) is skipped when item 4 (days of any alcohol) is 0, as on the
 * VA form (item 4: "0 (Skip to #6)"), and then counts 0 in the Use subscale. Check-ins stored before
 * template version 3 asked item 5 always, so a few hold item 4 = 0 with item 5 above 0: their Use is
 * scored again from the stored answers without item 5. The answers stay as they were (the record
 * still shows what the person said), and so do the risk level and any alert raised at the time: they
 * are what the care team was told then. The bands are written out here, not imported, so this file
 * keeps meaning what it meant when it ran.
 */
const band = (days: number): number => (days >= 16 ? 4 : days >= 9 ? 3 : days >= 4 ? 2 : days >= 1 ? 1 : 0);

const parse = (stored: unknown): Record<string, unknown> | null => {
  if (stored === null || stored === undefined) return null;
  try {
    const value: unknown = typeof stored === 'string' ? JSON.parse(stored) : stored;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

export async function up(db: Kysely<any>): Promise<void> {
  const rows: { id: string; clinic_id: string; answers: unknown; score: unknown }[] = await db
    .selectFrom('check_ins')
    .select(['id', 'clinic_id', 'answers', 'score'])
    .where('template_id', '=', 'bam')
    .execute();
  for (const row of rows) {
    const answers = parse(row.answers);
    const score = parse(row.score);
    if (!answers || !score || score.instrument !== 'bam') continue;
    const alcoholDays = Number(answers.q4 ?? 0);
    const use = band(alcoholDays) + (alcoholDays > 0 ? band(Number(answers.q5 ?? 0)) : 0) + band(Number(answers.q6 ?? 0));
    if (score.use === use) continue;
    await db
      .updateTable('check_ins')
      .set({ score: JSON.stringify({ ...score, use }) })
      .where('clinic_id', '=', row.clinic_id)
      .where('id', '=', row.id)
      .execute();
  }
}
