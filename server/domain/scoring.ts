import { BAM_DRUGS, type Answers, type Score, type Severity, type TemplateId } from '../contract/index.js';

const sum = (answers: Answers, ids: string[]) => ids.reduce((total, id) => total + Number(answers[id] ?? 0), 0);
const items = (count: number) => Array.from({ length: count }, (_, i) => `q${i + 1}`);

/** PHQ-9 bands (Kroenke et al. 2001). */
export function phq9Severity(total: number): Severity {
  if (total >= 20) return 'severe';
  if (total >= 15) return 'moderately_severe';
  if (total >= 10) return 'moderate';
  if (total >= 5) return 'mild';
  return 'minimal';
}

/** GAD-7 bands (Spitzer et al. 2006). */
export function gad7Severity(total: number): Severity {
  if (total >= 15) return 'severe';
  if (total >= 10) return 'moderate';
  if (total >= 5) return 'mild';
  return 'minimal';
}

/** BAM day counts are scored 0–4: 0, 1–3, 4–8, 9–15, 16–30 days. */
export function bamDaysScore(days: number): number {
  if (days >= 16) return 4;
  if (days >= 9) return 3;
  if (days >= 4) return 2;
  if (days >= 1) return 1;
  return 0;
}

/** The BAM items answered in days (7A–7G too, though no subscale counts them). */
const BAM_DAY_ITEMS = new Set(['q2', 'q3', 'q4', 'q5', 'q6', 'q10', 'q11', 'q13', 'q16', ...BAM_DRUGS]);

function bamItem(answers: Answers, id: string): number {
  // Item 5 is skipped when item 4 is 0 (VA form: "0 (Skip to #6)"): no drinking days, no heavy
  // drinking days. Any answer to it then is not part of the form (check-ins stored before version 3).
  if (id === 'q5' && !(Number(answers.q4 ?? 0) > 0)) return 0;
  if (id === 'q14') return answers.q14 === 'yes' ? 4 : 0;
  const raw = Number(answers[id] ?? 0);
  return BAM_DAY_ITEMS.has(id) ? bamDaysScore(raw) : raw;
}

/**
 * BAM subscales as the manual scores them, every item 0–4 (day counts by the bands above, item 14
 * yes = 4): Use = items 4, 5, 6 (0–12); Risk factors = items 1, 2, 3, 8, 11, 15 (0–24); Protective
 * factors = items 9, 10, 12, 13, 14, 16 (0–24). Items 7A–7G elaborate item 6 and item 17 stands
 * alone: neither is in a subscale. Item 5, not asked when item 4 is 0, counts 0 then.
 */
export function scoreBam(answers: Answers): Score {
  const total = (ids: string[]) => ids.reduce((acc, id) => acc + bamItem(answers, id), 0);
  return {
    instrument: 'bam',
    use: total(['q4', 'q5', 'q6']),
    risk: total(['q1', 'q2', 'q3', 'q8', 'q11', 'q15']),
    protective: total(['q9', 'q10', 'q12', 'q13', 'q14', 'q16']),
  };
}

export function scoreCheckIn(templateId: TemplateId, answers: Answers): Score | null {
  switch (templateId) {
    case 'phq9': {
      const total = sum(answers, items(9));
      return { instrument: 'phq9', total, max: 27, severity: phq9Severity(total) };
    }
    case 'gad7': {
      const total = sum(answers, items(7));
      return { instrument: 'gad7', total, max: 21, severity: gad7Severity(total) };
    }
    case 'bam':
      return scoreBam(answers);
    case 'daily':
    case 'feedback':
      return null;
  }
}
