import type { TFunction } from 'i18next';
import type { Answers } from '../../server/contract/check-in.js';
import { isAsked, type CheckInTemplate, type Question } from '../../server/contract/templates.js';

export type FieldErrors = Record<string, string>;

const isEmpty = (value: unknown) => value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

/** Words what is wrong with one answer for the person. */
export function messageFor(q: Question, value: unknown, t: TFunction): string {
  if (isEmpty(value)) return t('errors.required');
  switch (q.kind) {
    case 'scale':
    case 'number': {
      const n = Number(value);
      if (!Number.isFinite(n) || n < q.min || n > q.max) return t('errors.range', { min: q.min, max: q.max });
      return t('errors.step', { step: q.kind === 'number' ? q.step : 1 });
    }
    case 'text':
      return t('errors.tooLong', { max: q.maxLength });
    default:
      return t('errors.invalid');
  }
}

/**
 * Drops empty optional answers, and answers to follow-up questions no longer asked (7A–7G after
 * item 6 went back to 0), so the payload holds only what the person said to what they were asked.
 */
export function cleanAnswers(template: CheckInTemplate, answers: Answers): Answers {
  const clean: Answers = {};
  for (const q of template.questions) {
    if (!isAsked(q, answers)) continue;
    const value = answers[q.id];
    if (q.kind === 'multi') clean[q.id] = Array.isArray(value) ? value : [];
    else if (!isEmpty(value)) clean[q.id] = value;
  }
  return clean;
}

/** Maps the server's field errors (`answers.mood`) onto questions, for a submission it refused. */
export function serverFieldErrors(
  template: CheckInTemplate,
  fieldErrors: { path: string }[],
  answers: Answers,
  t: TFunction,
): FieldErrors {
  const errors: FieldErrors = {};
  for (const { path } of fieldErrors) {
    const id = path.replace(/^answers\./, '').split('.')[0] ?? '';
    const q = template.questions.find((question) => question.id === id);
    if (q) errors[id] = messageFor(q, answers[id], t);
  }
  return errors;
}
