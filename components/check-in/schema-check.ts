import type { TFunction } from 'i18next';
import { answersSchemas, type Answers } from '../../server/contract/check-in.js';
import type { CheckInTemplate } from '../../server/contract/templates.js';
import { cleanAnswers, messageFor, type FieldErrors } from './validation.js';

/**
 * Validates with the same zod schema the server uses and words each problem for the person. The
 * check-in loads this module (and zod) just after the form first renders: the form shows without it.
 */
export function validateAnswers(template: CheckInTemplate, answers: Answers, t: TFunction): FieldErrors {
  const result = answersSchemas[template.id].safeParse(cleanAnswers(template, answers));
  if (result.success) return {};
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const id = String(issue.path[0] ?? '');
    const q = template.questions.find((question) => question.id === id);
    if (q && !errors[id]) errors[id] = messageFor(q, answers[id], t);
  }
  return errors;
}
