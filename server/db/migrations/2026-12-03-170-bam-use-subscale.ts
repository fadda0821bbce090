import type { Kysely } from 'kysely';

/**
 * The BAM Use subscale follows the manual from now on: items 4, 5 and 6 each scored 0–4 by their
 * day band (0, 1–3, 4–8, 9–15, 16–30 days), summed 0–12. Stored BAM scores held the raw days
 * (0–90): each is scored again from its stored answers, which this leaves untouched (so the raw
 * day counts are still there). Risk and Protective were already scored the manual's way. The
 * bands are written out here, not imported, so this file keeps meaning what it meant when it ran.
 */
const band = (days: number): number => (days >= 16 ? 4 : days >= 9 ? 3 : days >= 4 ? 2 : days >= 1 ? 1 : 0);

const parse = (stored: unknown): Record<string, unknown> | null => {
  if (stored === null || stored === undefined) return null;
  const value: unknown = typeof stored === 'string' ? JSON.parse(stored) : stored;
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
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
    const use = ['q4', 'q5', 'q6'].reduce((total, id) => total + band(Number(answers[id] ?? 0)), 0);
    if (score.use === use) continue;
    await db
      .updateTable('check_ins')
      .set({ score: JSON.stringify({ ...score, use }) })
      .where('clinic_id', '=', row.clinic_id)
      .where('id', '=', row.id)
      .execute();
  }
}
