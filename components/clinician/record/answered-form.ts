import type { CheckInRecord } from '../../../server/contract/check-in.js';
import { isAsked, PREVIOUS_TEMPLATES, TEMPLATES, type CheckInTemplate, type Question } from '../../../server/contract/templates.js';

export interface AnsweredQuestion {
  question: Question;
  /**
   * The person answered it on an earlier version of the form, and today's form would not ask it
   * after these answers (BAM item 5 while item 4 is 0, asked always up to version 2): the stored
   * score leaves it out.
   */
  earlierFormOnly: boolean;
}

/** The form as the person saw it: the check-in's own version, or today's when that version is not known here. */
export function formAnswered(c: Pick<CheckInRecord, 'templateId' | 'templateVersion'>): CheckInTemplate | undefined {
  const current = TEMPLATES[c.templateId];
  if (!current || c.templateVersion === current.version) return current;
  return PREVIOUS_TEMPLATES.find((t) => t.id === c.templateId && t.version === c.templateVersion) ?? current;
}

/**
 * The questions of a check-in to show, in the order of the form it was answered on: every question
 * that form asked, and any other with a stored answer. Follow-ups the person was not asked (BAM
 * 7A–7G when item 6 was 0, item 5 when item 4 was 0 on version 3) are left out; an answer is never
 * hidden because today's form would skip its question.
 */
export function answeredQuestions(c: Pick<CheckInRecord, 'templateId' | 'templateVersion' | 'answers'>): AnsweredQuestion[] {
  const today = new Map((TEMPLATES[c.templateId]?.questions ?? []).map((q) => [q.id, q]));
  return (formAnswered(c)?.questions ?? [])
    .filter((q) => q.kind !== 'text' && (isAsked(q, c.answers) || c.answers[q.id] !== undefined))
    .map((question) => {
      const now = today.get(question.id);
      return { question, earlierFormOnly: c.answers[question.id] !== undefined && (!now || !isAsked(now, c.answers)) };
    });
}
