import { INSTRUMENT_PROVENANCE, type Provenance } from './provenance.js';
import type { Language } from './languages.js';

/**
 * Check-in forms. Definitions hold structure only; every word a person reads comes from
 * locales/<lng>/templates.json under `<templateId>.<questionId>`.
 */
export const TEMPLATE_IDS = ['daily', 'phq9', 'gad7', 'bam', 'feedback'] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

/**
 * Asked only when another answer of the same form is above a number (FHIR `enableWhen` with the
 * operator `>`). A `required` question with `enableWhen` is required only while it is asked; an
 * answer to it while it is not asked is refused.
 */
export interface EnableWhen {
  question: string;
  above: number;
}

interface QuestionBase {
  id: string;
  required: boolean;
  enableWhen?: EnableWhen;
  /**
   * Shown together under one heading (`templates.<template>.<group>.label` in locales; a FHIR
   * `group` item of that linkId): consecutive questions with the same group.
   */
  group?: string;
}
/** A row of radio buttons from min to max; `scale` names the label set in locales (`scales.<scale>`). */
export interface ScaleQuestion extends QuestionBase {
  kind: 'scale';
  min: number;
  max: number;
  scale: 'zeroToTen' | 'frequency' | 'severity5' | 'health5' | 'confidence5' | 'satisfaction5' | 'usefulness5';
}
export interface NumberQuestion extends QuestionBase {
  kind: 'number';
  min: number;
  max: number;
  step: number;
  unit: 'hours' | 'days';
}
export interface ChoiceQuestion extends QuestionBase {
  kind: 'choice';
  options: readonly string[];
}
export interface MultiQuestion extends QuestionBase {
  kind: 'multi';
  options: readonly string[];
}
export interface TextQuestion extends QuestionBase {
  kind: 'text';
  maxLength: number;
}
export type Question = ScaleQuestion | NumberQuestion | ChoiceQuestion | MultiQuestion | TextQuestion;

export interface CheckInTemplate {
  id: TemplateId;
  version: number;
  /** How often a clinic usually asks for it; the widget uses it only for wording. */
  cadence: 'daily' | 'biweekly' | 'monthly';
  questions: readonly Question[];
  /**
   * Validated instruments (PHQ-9, GAD-7, BAM): per language, whether its wording is the official form word
   * for word (`published`) or not (`unverified`: shown only where the clinic turned it on, otherwise
   * the English form is shown). From locales/languages.json; see provenance.ts.
   */
  provenance?: Readonly<Record<Language, Provenance>>;
}

export const WARNING_SIGNS = [
  'poor_sleep',
  'appetite_change',
  'withdrawing_from_others',
  'stress',
  'irritability',
  'skipping_routine',
  'thinking_about_using',
  'contact_with_people_who_use',
  'thoughts_of_self_harm',
] as const;

/** What got in the way of care, asked in the client-reported experience (feedback) form. */
export const FEEDBACK_BARRIERS = [
  'scheduling',
  'technology',
  'connection',
  'privacy',
  'cost',
  'transport',
  'language',
  'feeling_unwell',
  'other',
] as const;
export type FeedbackBarrier = (typeof FEEDBACK_BARRIERS)[number];

const frequencyItems = (count: number): ScaleQuestion[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `q${i + 1}`,
    kind: 'scale',
    min: 0,
    max: 3,
    scale: 'frequency',
    required: true,
  }));

const difficulty: ChoiceQuestion = {
  id: 'difficulty',
  kind: 'choice',
  options: ['not_difficult', 'somewhat_difficult', 'very_difficult', 'extremely_difficult'],
  required: false,
};

const days = (id: string): NumberQuestion => ({ id, kind: 'number', min: 0, max: 30, step: 1, unit: 'days', required: true });
const fivePoint = (id: string, scale: ScaleQuestion['scale']): ScaleQuestion => ({
  id,
  kind: 'scale',
  min: 0,
  max: 4,
  scale,
  required: true,
});

/** The drugs of BAM item 7, in the manual's order 7A–7G. */
export const BAM_DRUGS = ['q7a', 'q7b', 'q7c', 'q7d', 'q7e', 'q7f', 'q7g'] as const;

const BAM_ITEMS_1_TO_3: Question[] = [fivePoint('q1', 'health5'), days('q2'), days('q3')];
/** Versions 1–2: items 4–6 all asked. */
const BAM_ITEMS_4_TO_6_V2: Question[] = [days('q4'), days('q5'), days('q6')];
/**
 * Version 3: item 5 (days of heavy drinking) asked only when item 4 (days of any alcohol) is above
 * 0, as on the VA form (item 4: "0 (Skip to #6)"; Cacciola et al. 2013: item 5 is contingent on #4).
 * Not asked, it counts 0 in the Use subscale (no drinking days, no heavy drinking days).
 */
const BAM_ITEMS_4_TO_6: Question[] = [days('q4'), { ...days('q5'), enableWhen: { question: 'q4', above: 0 } }, days('q6')];
const BAM_ITEMS_7A_TO_7G: Question[] = BAM_DRUGS.map((id) => ({ ...days(id), group: 'q7', enableWhen: { question: 'q6', above: 0 } }));
const BAM_ITEMS_8_TO_17: Question[] = [
  fivePoint('q8', 'severity5'),
  fivePoint('q9', 'confidence5'),
  days('q10'),
  days('q11'),
  fivePoint('q12', 'confidence5'),
  days('q13'),
  { id: 'q14', kind: 'choice', options: ['no', 'yes'], required: true },
  fivePoint('q15', 'severity5'),
  days('q16'),
  fivePoint('q17', 'confidence5'),
];

/** Whether a question is asked, given the answers so far (always, unless it has `enableWhen`). */
export function isAsked(q: Question, answers: Readonly<Record<string, unknown>>): boolean {
  if (!q.enableWhen) return true;
  const value = answers[q.enableWhen.question];
  return typeof value === 'number' && value > q.enableWhen.above;
}

export const TEMPLATES: Record<TemplateId, CheckInTemplate> = {
  daily: {
    id: 'daily',
    version: 1,
    cadence: 'daily',
    questions: [
      { id: 'mood', kind: 'scale', min: 0, max: 10, scale: 'zeroToTen', required: true },
      { id: 'craving', kind: 'scale', min: 0, max: 10, scale: 'zeroToTen', required: true },
      { id: 'sleepHours', kind: 'number', min: 0, max: 24, step: 0.5, unit: 'hours', required: true },
      { id: 'medication', kind: 'choice', options: ['yes', 'no', 'not_prescribed'], required: true },
      { id: 'warningSigns', kind: 'multi', options: WARNING_SIGNS, required: false },
      { id: 'used', kind: 'choice', options: ['no', 'yes'], required: true },
      { id: 'note', kind: 'text', maxLength: 2000, required: false },
    ],
  },
  phq9: { id: 'phq9', version: 1, cadence: 'biweekly', questions: [...frequencyItems(9), difficulty], provenance: INSTRUMENT_PROVENANCE.phq9 },
  gad7: { id: 'gad7', version: 1, cadence: 'biweekly', questions: [...frequencyItems(7), difficulty], provenance: INSTRUMENT_PROVENANCE.gad7 },
  // Brief Addiction Monitor (VA, Cacciola et al. 2013): the manual's items 1–17 by their numbers. Item 7 is
  // the heading of 7A–7G (days of use per drug), asked only when item 6 (days of any drug use) is above 0;
  // item 5 (heavy drinking days) is asked only when item 4 (days of any alcohol) is above 0.
  // Version 1 lacked 7A–7G; version 2 asked item 5 always. Wording sources: BAM_SOURCES (bam-sources.ts).
  bam: {
    id: 'bam',
    version: 3,
    cadence: 'monthly',
    questions: [...BAM_ITEMS_1_TO_3, ...BAM_ITEMS_4_TO_6, ...BAM_ITEMS_7A_TO_7G, ...BAM_ITEMS_8_TO_17],
    // Published by the VA in English only: every other language's BAM is an unverified translation.
    provenance: INSTRUMENT_PROVENANCE.bam,
  },
  // Client-reported experience: summarised (never the comment) in outcomes.report. Not scored, no risk rules.
  feedback: {
    id: 'feedback',
    version: 1,
    cadence: 'monthly',
    questions: [
      { id: 'satisfaction', kind: 'scale', min: 1, max: 5, scale: 'satisfaction5', required: true },
      { id: 'usefulness', kind: 'scale', min: 1, max: 5, scale: 'usefulness5', required: true },
      { id: 'barriers', kind: 'multi', options: FEEDBACK_BARRIERS, required: false },
      { id: 'comment', kind: 'text', maxLength: 1000, required: false },
    ],
  },
};

/**
 * Earlier versions still referenced by stored check-ins (their FHIR QuestionnaireResponse points at
 * `<url>|<version>`): published next to the current ones.
 */
export const PREVIOUS_TEMPLATES: readonly CheckInTemplate[] = [
  { id: 'bam', version: 2, cadence: 'monthly', questions: [...BAM_ITEMS_1_TO_3, ...BAM_ITEMS_4_TO_6_V2, ...BAM_ITEMS_7A_TO_7G, ...BAM_ITEMS_8_TO_17] },
  { id: 'bam', version: 1, cadence: 'monthly', questions: [...BAM_ITEMS_1_TO_3, ...BAM_ITEMS_4_TO_6_V2, ...BAM_ITEMS_8_TO_17] },
];
