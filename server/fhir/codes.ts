import type { TemplateId } from '../contract/index.js';

/**
 * The codes our FHIR resources use, in one table both the Questionnaires and the responses and
 * Observations read from. LOINC codes are the published PHQ-9 (44249-1) and GAD-7 (69737-5) panels;
 * everything else is under our own CodeSystem, published at /fhir/R4/CodeSystem/care-widgets.
 */
export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
/** Canonical base of our conformance resources: stable across releases and servers. */
export const CANONICAL_BASE = 'https://care-widgets.org/fhir';
export const CARE_CODE_SYSTEM = `${CANONICAL_BASE}/CodeSystem/care-widgets`;
export const questionnaireUrl = (templateId: TemplateId) => `${CANONICAL_BASE}/Questionnaire/${templateId}`;
/** Resource id of one template version, e.g. `phq9-v1`. */
export const questionnaireId = (templateId: TemplateId, version: number) => `${templateId}-v${version}`;

export interface Code {
  system: string;
  code: string;
  display: string;
}
const loinc = (code: string, display: string): Code => ({ system: LOINC, code, display });

/** The form as a whole (Questionnaire.code, QuestionnaireResponse's panel). */
export const PANEL_CODES: Record<'phq9' | 'gad7', Code> = {
  phq9: loinc('44249-1', 'PHQ-9 quick depression assessment panel [Reported.PHQ]'),
  gad7: loinc('69737-5', 'Generalized anxiety disorder 7 item (GAD-7)'),
};

/** Item codes by template and question id. */
export const ITEM_CODES: Partial<Record<TemplateId, Record<string, Code>>> = {
  phq9: {
    q1: loinc('44250-9', 'Little interest or pleasure in doing things'),
    q2: loinc('44255-8', 'Feeling down, depressed, or hopeless'),
    q3: loinc('44259-0', 'Trouble falling or staying asleep, or sleeping too much'),
    q4: loinc('44254-1', 'Feeling tired or having little energy'),
    q5: loinc('44251-7', 'Poor appetite or overeating'),
    q6: loinc('44258-2', 'Feeling bad about yourself-or that you are a failure or have let yourself or your family down'),
    q7: loinc('44252-5', 'Trouble concentrating on things, such as reading the newspaper or watching television'),
    q8: loinc('44253-3', 'Moving or speaking so slowly that other people could have noticed. Or the opposite-being so fidgety or restless that you have been moving around a lot more than usual'),
    q9: loinc('44260-8', 'Thoughts that you would be better off dead, or of hurting yourself in some way'),
    difficulty: loinc('69722-7', 'How difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?'),
  },
  gad7: {
    q1: loinc('69725-0', 'Feeling nervous, anxious or on edge'),
    q2: loinc('68509-9', 'Over the past 2 weeks have you not been able to stop or control worrying'),
    q3: loinc('69733-4', 'Worrying too much about different things'),
    q4: loinc('69734-2', 'Trouble relaxing'),
    q5: loinc('69735-9', "Being so restless that it's hard to sit still"),
    q6: loinc('69689-8', 'Becoming easily annoyed or irritable'),
    q7: loinc('69736-7', 'Feeling afraid as if something awful might happen'),
    difficulty: loinc('69726-8', 'How difficult have these problems made it for you to do your work, take care of things at home, or get along with other people'),
  },
};

/** Total score items (Questionnaire item, Observation.code). */
export const TOTAL_CODES: Record<'phq9' | 'gad7', Code> = {
  phq9: loinc('44261-6', 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]'),
  gad7: loinc('70274-6', 'Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]'),
};

/** LOINC answer codes of the 0–3 frequency scale, by value. */
export const FREQUENCY_ANSWERS: readonly Code[] = [
  loinc('LA6568-5', 'Not at all'),
  loinc('LA6569-3', 'Several days'),
  loinc('LA6570-1', 'More than half the days'),
  loinc('LA6571-9', 'Nearly every day'),
];

/** LOINC answer codes of the difficulty question, by our option id. */
export const DIFFICULTY_ANSWERS: Record<string, Code> = {
  not_difficult: loinc('LA6572-7', 'Not difficult at all'),
  somewhat_difficult: loinc('LA6573-5', 'Somewhat difficult'),
  very_difficult: loinc('LA6575-0', 'Very difficult'),
  extremely_difficult: loinc('LA6574-3', 'Extremely difficult'),
};

/** Daily check-in Observations: sleep has a LOINC code; mood and craving are ours. */
export const DAILY_OBSERVATION_CODES = {
  sleepHours: loinc('93832-4', 'Sleep duration'),
  mood: { system: CARE_CODE_SYSTEM, code: 'daily-mood', display: 'Mood today, 0 (worst) to 10 (best)' },
  craving: { system: CARE_CODE_SYSTEM, code: 'daily-craving', display: 'Craving today, 0 (none) to 10 (strongest)' },
} as const satisfies Record<string, Code>;

/** Our code for an item or option that LOINC has no code for: `<template>-<question>[-<option>]`. */
export const careCode = (templateId: TemplateId, questionId: string, option?: string): Code => ({
  system: CARE_CODE_SYSTEM,
  code: option === undefined ? `${templateId}-${questionId}` : `${templateId}-${questionId}-${option}`,
  display: option === undefined ? `${templateId} ${questionId}` : `${templateId} ${questionId}: ${option}`,
});

/**
 * FHIR ids allow [A-Za-z0-9-.]{1,64}; a clinic's person ids may hold any text. Letters, digits and
 * '-' stay as they are, every other character becomes '.' plus its UTF-8 bytes in hex ('.' itself
 * included), so the mapping is one-to-one and reversible.
 */
export function patientIdOf(userId: string): string {
  let id = '';
  for (const byte of Buffer.from(userId, 'utf8')) {
    const c = String.fromCharCode(byte);
    id += /[A-Za-z0-9-]/.test(c) ? c : `.${byte.toString(16).padStart(2, '0')}`;
  }
  return id;
}

export function userIdOfPatient(patientId: string): string | undefined {
  if (!/^[A-Za-z0-9\-.]{1,64}$/.test(patientId)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < patientId.length; i++) {
    const c = patientId[i]!;
    if (c !== '.') {
      bytes.push(c.charCodeAt(0));
      continue;
    }
    const hex = patientId.slice(i + 1, i + 3);
    if (!/^[0-9a-f]{2}$/.test(hex)) return undefined;
    bytes.push(parseInt(hex, 16));
    i += 2;
  }
  return Buffer.from(bytes).toString('utf8');
}
