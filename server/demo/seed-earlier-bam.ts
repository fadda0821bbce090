import type { Answers } from '../contract/index.js';
import type { Db } from '../db/index.js';
import { checkInRow } from '../db/check-in-row.js';
import { scoreBam } from '../domain/scoring.js';

/**
 * One BAM check-in of Jordan P. (client-3) answered on version 2 of the form, which asked item 5
 * (heavy drinking days) always: item 4 (days of any alcohol) is 0 and item 5 is 2, as some people
 * answered before version 3 skipped item 5 after a 0. Stored as a server stores such a check-in after
 * migration 240: every answer kept, Use scored without item 5. The record shows the answer, marked.
 */
export const EARLIER_BAM_ANSWERS: Answers = { q1: 2, q2: 3, q3: 1, q4: 0, q5: 2, q6: 0, q8: 1, q9: 3, q10: 12, q11: 2, q12: 3, q13: 8, q14: 'yes', q15: 1, q16: 4, q17: 3 };

export async function seedEarlierBamDemo(db: Db, clinicId: string, now = new Date()): Promise<void> {
  const at = new Date(now.getTime() - 4 * 86_400_000);
  at.setUTCHours(15, 10, 0, 0);
  const row = checkInRow({ clinicId, clientId: 'client-3', templateId: 'bam', answers: EARLIER_BAM_ANSWERS, score: scoreBam(EARLIER_BAM_ANSWERS), submittedAt: at.toISOString() });
  await db.insertInto('check_ins').values({ ...row, template_version: 2 }).execute();
}
