import * as z from 'zod/mini';
import { LANGUAGES } from './languages.js';
import type { Provenance } from './provenance.js';
import { isAsked, TEMPLATE_IDS, TEMPLATES, type Question, type TemplateId } from './templates.js';

const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** Offline devices may send a few weeks late; older than this is a client bug, not a delay. */
const MAX_SUBMISSION_AGE_MS = 60 * 24 * 3600_000;

function questionSchema(q: Question): z.ZodMiniType {
  switch (q.kind) {
    case 'scale':
      return z.int().check(z.gte(q.min), z.lte(q.max));
    case 'number':
      return z.number().check(z.gte(q.min), z.lte(q.max), z.multipleOf(q.step));
    case 'choice':
      return z.enum(q.options as [string, ...string[]]);
    case 'multi':
      return z
        .array(z.enum(q.options as [string, ...string[]]))
        .check(
          z.maxLength(q.options.length),
          z.refine((values) => new Set(values).size === values.length, 'Each option may be chosen once'),
        );
    case 'text':
      return z.string().check(z.maxLength(q.maxLength));
  }
}

function buildAnswersSchema(templateId: TemplateId) {
  const shape: Record<string, z.ZodMiniType> = {};
  const conditional = TEMPLATES[templateId].questions.filter((q) => q.enableWhen);
  for (const q of TEMPLATES[templateId].questions) {
    shape[q.id] = q.required && !q.enableWhen ? questionSchema(q) : z.optional(questionSchema(q));
  }
  if (conditional.length === 0) return z.strictObject(shape);
  // A question with enableWhen: required while it is asked (when required), refused while it is not.
  return z.strictObject(shape).check(
    z.superRefine((answers: Record<string, unknown>, ctx) => {
      for (const q of conditional) {
        const when = q.enableWhen!;
        const asked = isAsked(q, answers);
        if (!asked && answers[q.id] !== undefined) {
          ctx.issues.push({ code: 'custom', message: `Must be left out when ${when.question} is ${when.above} or less`, path: [q.id], input: answers[q.id] });
        } else if (asked && q.required && answers[q.id] === undefined) {
          ctx.issues.push({ code: 'custom', message: `Required when ${when.question} is above ${when.above}`, path: [q.id], input: undefined });
        }
      }
    }),
  );
}

/**
 * One zod schema per template, shared by the widget (inline validation) and the server. Each is
 * built on first use: a page with a daily check-in builds only that one (building all four was a
 * long task of 30–40 ms, 120–180 ms under a 4× CPU slowdown, right after the form rendered).
 */
export const answersSchemas = {} as Record<TemplateId, ReturnType<typeof buildAnswersSchema>>;
for (const id of TEMPLATE_IDS) {
  let built: ReturnType<typeof buildAnswersSchema> | undefined;
  Object.defineProperty(answersSchemas, id, { enumerable: true, get: () => (built ??= buildAnswersSchema(id)) });
}

export type Answers = Record<string, number | string | string[] | undefined>;

export const templateIdSchema = z.enum(TEMPLATE_IDS);

const isoDateTime = z.iso.datetime({ offset: true });

export const submitCheckInInput = z
  .strictObject({
    clientRequestId: z.uuid(),
    templateId: templateIdSchema,
    answers: z.record(z.string(), z.unknown()),
    submittedAt: isoDateTime,
    /** The person's language (the widget's, one of LANGUAGES). Recorded with the check-in. */
    language: z.optional(z.enum(LANGUAGES)),
    /**
     * The language the form was shown in: the person's own, or `en` when the published English form
     * replaced an unverified translation. The server derives the provenance from it itself.
     */
    shownLanguage: z.optional(z.enum(LANGUAGES)),
  })
  .check(
    z.superRefine((input, ctx) => {
      const parsed = answersSchemas[input.templateId]?.safeParse(input.answers);
      if (parsed && !parsed.success) {
        for (const issue of parsed.error.issues) {
          ctx.issues.push({ ...issue, path: ['answers', ...issue.path], input: input.answers } as never);
        }
      }
      if (input.shownLanguage !== undefined && input.shownLanguage !== 'en' && input.shownLanguage !== input.language) {
        ctx.issues.push({ code: 'custom', message: 'Must be en or the person\'s language', path: ['shownLanguage'], input: input.shownLanguage });
      }
      const at = Date.parse(input.submittedAt);
      if (at > Date.now() + MAX_CLOCK_SKEW_MS) {
        ctx.issues.push({ code: 'custom', message: 'Must not be in the future', path: ['submittedAt'], input: input.submittedAt });
      } else if (at < Date.now() - MAX_SUBMISSION_AGE_MS) {
        ctx.issues.push({ code: 'custom', message: 'Is older than 60 days', path: ['submittedAt'], input: input.submittedAt });
      }
    }),
  );
export type SubmitCheckInInput = z.infer<typeof submitCheckInInput>;

export const listCheckInsInput = z.optional(
  z.strictObject({
    clientId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    templateId: z.optional(templateIdSchema),
    limit: z.optional(z.int().check(z.gte(1), z.lte(100))),
    cursor: z.optional(z.string().check(z.maxLength(200))),
  }),
);
export type ListCheckInsInput = z.infer<typeof listCheckInsInput>;

export type RiskLevel = 'none' | 'elevated' | 'urgent';
export type RiskReason =
  | 'phq9_item9'
  | 'phq9_severe'
  | 'gad7_severe'
  | 'high_craving'
  | 'reported_use'
  | 'mood_drop'
  | 'self_harm_warning_sign'
  | 'bam_recent_use'
  /** The person wrote a note to their care team (clinic rule `notesNeedAttention`). */
  | 'note'
  /** The note holds words of self-harm (the default list of each language plus the clinic's `selfHarmTerms`). */
  | 'note_self_harm';

export interface Risk {
  level: RiskLevel;
  reasons: RiskReason[];
}

export type Severity = 'minimal' | 'mild' | 'moderate' | 'moderately_severe' | 'severe';

export type Score =
  | { instrument: 'phq9' | 'gad7'; total: number; max: number; severity: Severity }
  | { instrument: 'bam'; use: number; risk: number; protective: number };

export interface SubmitCheckInResult {
  id: string;
  clientRequestId: string;
  templateId: TemplateId;
  submittedAt: string;
  score: Score | null;
  risk: Risk;
  /** The person's language; null when the device did not say (check-ins from before issue 18). */
  language: string | null;
  /** The language the form was shown in; null when not recorded. */
  shownLanguage: string | null;
  /**
   * PHQ-9/GAD-7/BAM: `unverified` when the form was shown in a translation that is not the published
   * form word for word (the clinic turned it on), else `published`; null for other forms and for
   * check-ins whose shown language was not recorded. Derived by the server.
   */
  provenance: Provenance | null;
}

/**
 * A check-in written back to the EHR the person launched from (SMART App Launch): `pending` until the
 * launch page reports the EHR's answer, then `written` or `refused` (`reason` `refused`: the EHR
 * answered 4xx, `httpStatus` and its message in `detail`; `token`: the EHR's access token could not
 * be renewed). Present only on check-ins a launch wrote back.
 */
export interface CheckInWriteBack {
  status: 'pending' | 'written' | 'refused';
  /** The EHR's FHIR base URL. */
  iss: string;
  httpStatus: number | null;
  reason: 'refused' | 'token' | null;
  detail: string | null;
  updatedAt: string;
}

export interface CheckInRecord extends SubmitCheckInResult {
  clientId: string;
  /**
   * The version of the form the person answered (CheckInTemplate.version, or one of
   * PREVIOUS_TEMPLATES): an answer a later version no longer asks for (BAM item 5 while item 4 is 0,
   * asked always up to version 2) is one the person was asked.
   */
  templateVersion: number;
  answers: Answers;
  writeBack?: CheckInWriteBack;
}

export interface CheckInPage {
  items: CheckInRecord[];
  nextCursor: string | null;
}
