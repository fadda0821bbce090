import { PREVIOUS_TEMPLATES, TEMPLATE_IDS, TEMPLATES, type CheckInTemplate, type EnableWhen, type Question, type TemplateId } from '../contract/index.js';
import {
  CARE_CODE_SYSTEM,
  careCode,
  type Code,
  DAILY_OBSERVATION_CODES,
  DIFFICULTY_ANSWERS,
  FREQUENCY_ANSWERS,
  ITEM_CODES,
  PANEL_CODES,
  questionnaireId,
  questionnaireUrl,
  TOTAL_CODES,
  UCUM,
} from './codes.js';
import { localized, type LocalizedText, TRANSLATION_EXTENSION } from './texts.js';

/**
 * One Questionnaire per check-in template and version, built from server/contract/templates.ts
 * and the locale files. Answers map back to our values one way only:
 * - frequency scales (PHQ-9, GAD-7): LOINC LA6568-5…LA6571-9, ordinalValue = the score;
 * - other worded scales: our code `<template>-<question>-<value>`, ordinalValue = the value;
 * - 0–10 scales and numbers: integer/decimal answers between minValue and maxValue;
 * - choices: LOINC difficulty answers, else our code `<template>-<question>-<option>`.
 */
export const ORDINAL_VALUE = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';
export const MIN_VALUE = 'http://hl7.org/fhir/StructureDefinition/minValue';
export const MAX_VALUE = 'http://hl7.org/fhir/StructureDefinition/maxValue';
export const QUESTIONNAIRE_UNIT = 'http://hl7.org/fhir/StructureDefinition/questionnaire-unit';
export const ITEM_CONTROL = 'http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl';
const ITEM_CONTROL_SYSTEM = 'http://hl7.org/fhir/questionnaire-item-control';
export const TOTAL_LINK_ID = 'total';
export const INTRO_LINK_ID = 'intro';

const SCORED = { phq9: true, gad7: true } as const;
/** The bands server/domain/scoring.ts gives each total. */
export const SEVERITY_BANDS = {
  phq9: ['minimal', 'mild', 'moderate', 'moderately_severe', 'severe'],
  gad7: ['minimal', 'mild', 'moderate', 'severe'],
} as const;
const isScored = (templateId: TemplateId): templateId is keyof typeof SCORED => templateId in SCORED;

const UNITS: Record<'hours' | 'days', string> = { hours: 'h', days: 'd' };

/** The form as a whole: LOINC's panel for PHQ-9 and GAD-7, ours (the template id) for the others. */
export function formCode(templateId: TemplateId): Code {
  if (isScored(templateId)) return PANEL_CODES[templateId];
  return { system: CARE_CODE_SYSTEM, code: templateId, display: localized(`templates.${templateId}.title`).text };
}

/** Item code: LOINC where the instrument has one, the daily Observation codes, else ours. */
export function itemCode(templateId: TemplateId, questionId: string): Code {
  const loinc = ITEM_CODES[templateId]?.[questionId];
  if (loinc) return loinc;
  if (templateId === 'daily' && questionId in DAILY_OBSERVATION_CODES) {
    return DAILY_OBSERVATION_CODES[questionId as keyof typeof DAILY_OBSERVATION_CODES];
  }
  return { ...careCode(templateId, questionId), display: localized(`templates.${templateId}.${questionId}.label`).text };
}

const withText = (item: fhir4.QuestionnaireItem, text: LocalizedText): fhir4.QuestionnaireItem => ({
  ...item,
  text: text.text,
  ...(text.element ? { _text: text.element } : {}),
});

function coding(code: Code, text: LocalizedText, ordinal?: number): fhir4.Coding {
  return {
    ...(ordinal === undefined ? {} : { extension: [{ url: ORDINAL_VALUE, valueDecimal: ordinal }] }),
    system: code.system,
    code: code.code,
    display: text.text,
    ...(text.element ? { _display: text.element } : {}),
  };
}

/** answerOption with the score both where SDC fillers look for it and on the coding a response copies. */
function option(valueCoding: fhir4.Coding): fhir4.QuestionnaireItemAnswerOption {
  const ordinal = valueCoding.extension?.find((e) => e.url === ORDINAL_VALUE);
  return { ...(ordinal ? { extension: [ordinal] } : {}), valueCoding };
}

function answerOptions(templateId: TemplateId, q: Question): fhir4.QuestionnaireItemAnswerOption[] {
  const key = `templates.${templateId}.${q.id}`;
  switch (q.kind) {
    case 'scale': {
      const values = Array.from({ length: q.max - q.min + 1 }, (_, i) => q.min + i);
      return values.map((value) => {
        const label = `scales.${q.scale}.${value - q.min}`;
        const loinc = q.scale === 'frequency' ? FREQUENCY_ANSWERS[value] : undefined;
        const code = loinc ?? careCode(templateId, q.id, String(value));
        return option(coding(code, localized(label, loinc?.display), value));
      });
    }
    case 'choice':
    case 'multi':
      return q.options.map((value) => {
        const loinc = q.id === 'difficulty' ? DIFFICULTY_ANSWERS[value] : undefined;
        return option(coding(loinc ?? careCode(templateId, q.id, value), localized(`${key}.options.${value}`, loinc?.display)));
      });
    default:
      return [];
  }
}

/** SDC's lower/upper labels of a 0–10 scale, as display items under it. */
function scaleEnds(templateId: TemplateId, questionId: string): fhir4.QuestionnaireItem[] {
  return (['min', 'max'] as const).map((end) =>
    withText(
      {
        extension: [{ url: ITEM_CONTROL, valueCodeableConcept: { coding: [{ system: ITEM_CONTROL_SYSTEM, code: end === 'min' ? 'lower' : 'upper' }] } }],
        linkId: `${questionId}-${end}`,
        type: 'display',
      },
      localized(`templates.${templateId}.${questionId}.${end}`),
    ),
  );
}

/** How a form filler should show a list of answers: our widget shows radio buttons and check boxes, not a drop-down. */
const control = (code: 'radio-button' | 'check-box'): fhir4.Extension[] => [{ url: ITEM_CONTROL, valueCodeableConcept: { coding: [{ system: ITEM_CONTROL_SYSTEM, code }] } }];

const bounds = (min: number, max: number, integer: boolean): fhir4.Extension[] =>
  integer
    ? [
        { url: MIN_VALUE, valueInteger: min },
        { url: MAX_VALUE, valueInteger: max },
      ]
    : [
        { url: MIN_VALUE, valueDecimal: min },
        { url: MAX_VALUE, valueDecimal: max },
      ];

function questionItem(templateId: TemplateId, q: Question): fhir4.QuestionnaireItem {
  const base = { linkId: q.id, code: [itemCode(templateId, q.id)], required: q.required };
  const text = localized(`templates.${templateId}.${q.id}.label`);
  switch (q.kind) {
    case 'scale':
      if (q.scale === 'zeroToTen') {
        return withText({ extension: bounds(q.min, q.max, true), ...base, type: 'integer', item: scaleEnds(templateId, q.id) }, text);
      }
      return withText({ extension: control('radio-button'), ...base, type: 'choice', answerOption: answerOptions(templateId, q) }, text);
    case 'number': {
      const unit = localized(`units.${q.unit}`);
      const unitCoding: fhir4.Coding = { system: UCUM, code: UNITS[q.unit], display: unit.text, ...(unit.element ? { _display: unit.element } : {}) };
      const integer = Number.isInteger(q.step) && Number.isInteger(q.min);
      return withText(
        { extension: [...bounds(q.min, q.max, integer), { url: QUESTIONNAIRE_UNIT, valueCoding: unitCoding }], ...base, type: integer ? 'integer' : 'decimal' },
        text,
      );
    }
    case 'choice':
      return withText({ extension: control('radio-button'), ...base, type: 'choice', answerOption: answerOptions(templateId, q) }, text);
    case 'multi':
      return withText({ extension: control('check-box'), ...base, type: 'choice', repeats: true, answerOption: answerOptions(templateId, q) }, text);
    case 'text':
      return withText({ ...base, type: 'text', maxLength: q.maxLength }, text);
  }
}

function totalItem(templateId: keyof typeof SCORED): fhir4.QuestionnaireItem {
  // The locales have no wording for this yet, so it is English only. Answers to it are ignored: the server scores.
  return { linkId: TOTAL_LINK_ID, code: [TOTAL_CODES[templateId]], text: 'Total score (calculated by the server from the answers)', type: 'integer', readOnly: true };
}

/** Our `enableWhen` (asked when another answer is above a number) in FHIR's terms. */
function enableWhenOf(templateId: TemplateId, when: EnableWhen): fhir4.QuestionnaireItemEnableWhen {
  const source = TEMPLATES[templateId].questions.find((q) => q.id === when.question);
  const integer = !source || source.kind === 'scale' || (source.kind === 'number' && Number.isInteger(source.step));
  return { question: when.question, operator: '>', ...(integer ? { answerInteger: when.above } : { answerDecimal: when.above }) };
}

/**
 * The template's questions as Questionnaire items: consecutive questions of one group (BAM 7A–7G)
 * become a `group` item with the group's stem as text, asked only when its members are (enableWhen).
 */
export function questionItems(template: CheckInTemplate): fhir4.QuestionnaireItem[] {
  const items: fhir4.QuestionnaireItem[] = [];
  const { questions, id: templateId } = template;
  for (let i = 0; i < questions.length; i++) {
    const q = questions[i]!;
    const item = questionItem(templateId, q);
    if (!q.group) {
      items.push(q.enableWhen ? { ...item, enableWhen: [enableWhenOf(templateId, q.enableWhen)] } : item);
      continue;
    }
    const members: fhir4.QuestionnaireItem[] = [];
    while (i < questions.length && questions[i]!.group === q.group) members.push(questionItem(templateId, questions[i++]!));
    i--;
    items.push(
      withText(
        {
          linkId: q.group,
          code: [itemCode(templateId, q.group)],
          type: 'group',
          ...(q.enableWhen ? { enableWhen: [enableWhenOf(templateId, q.enableWhen)] } : {}),
          item: members,
        },
        localized(`templates.${templateId}.${q.group}.label`),
      ),
    );
  }
  return items;
}

export function questionnaireOf(template: CheckInTemplate): fhir4.Questionnaire {
  const { id: templateId, version } = template;
  const title = localized(`templates.${templateId}.title`);
  const intro = withText({ linkId: INTRO_LINK_ID, type: 'display' }, localized(`templates.${templateId}.intro`));
  return {
    resourceType: 'Questionnaire',
    id: questionnaireId(templateId, version),
    language: 'en',
    url: questionnaireUrl(templateId),
    version: String(version),
    name: `CareWidgets_${templateId}`,
    title: title.text,
    ...(title.element ? { _title: title.element } : {}),
    status: 'active',
    subjectType: ['Patient'],
    publisher: 'care widgets',
    code: [formCode(templateId)],
    item: [intro, ...questionItems(template), ...(isScored(templateId) ? [totalItem(templateId)] : [])],
  };
}

let built: fhir4.Questionnaire[] | undefined;

/** Built once and shared by every request: frozen so a caller that edits one (a response mapper) fails loudly instead of changing what we publish. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/**
 * Every Questionnaire we publish: one per template version (TEMPLATES holds the current one of
 * each, PREVIOUS_TEMPLATES the earlier ones stored check-ins still answer).
 */
export function allQuestionnaires(): fhir4.Questionnaire[] {
  built ??= [...TEMPLATE_IDS.map((templateId) => TEMPLATES[templateId]), ...PREVIOUS_TEMPLATES].map((template) => deepFreeze(questionnaireOf(template)));
  return [...built];
}

export const questionnaireFor = (templateId: TemplateId): fhir4.Questionnaire =>
  allQuestionnaires().find((q) => q.url === questionnaireUrl(templateId))!;

/**
 * The template behind a reference to one of our Questionnaires: its canonical `url` (the current
 * version), `url|version`, or a literal reference `Questionnaire/<id>` (relative or absolute).
 */
export function templateOfCanonical(ref: string): { templateId: TemplateId; version: number } | undefined {
  const [url, version, ...rest] = ref.split('|');
  if (rest.length) return undefined;
  const literalId = version === undefined ? /(?:^|\/)Questionnaire\/([A-Za-z0-9\-.]{1,64})$/.exec(ref)?.[1] : undefined;
  const found = allQuestionnaires().find((q) => (q.url === url && (version === undefined || q.version === version)) || q.id === literalId);
  if (!found) return undefined;
  const templateId = TEMPLATE_IDS.find((id) => questionnaireUrl(id) === found.url)!;
  return { templateId, version: Number(found.version) };
}

/** Every code of ours the conformance resources use, with its English display and its translations. */
function careConcepts(): fhir4.CodeSystemConcept[] {
  const concepts = new Map<string, fhir4.CodeSystemConcept>();
  const add = (c: fhir4.Coding) => {
    if (c.system !== CARE_CODE_SYSTEM || !c.code || concepts.has(c.code)) return;
    const designation = (c._display?.extension ?? [])
      .filter((e) => e.url === TRANSLATION_EXTENSION)
      .map((e): fhir4.CodeSystemConceptDesignation => ({
        language: e.extension?.find((sub) => sub.url === 'lang')?.valueCode,
        value: e.extension?.find((sub) => sub.url === 'content')?.valueString ?? '',
      }));
    concepts.set(c.code, { code: c.code, display: c.display, ...(designation.length ? { designation } : {}) });
  };
  const visit = (items: fhir4.QuestionnaireItem[] | undefined) => {
    for (const item of items ?? []) {
      item.code?.forEach(add);
      item.answerOption?.forEach((o) => o.valueCoding && add(o.valueCoding));
      visit(item.item);
    }
  };
  for (const q of allQuestionnaires()) {
    q.code?.forEach(add);
    visit(q.item);
  }
  add(DAILY_OBSERVATION_CODES.mood);
  add(DAILY_OBSERVATION_CODES.craving);
  // Severity bands: the interpretation of a PHQ-9 or GAD-7 total Observation.
  for (const [templateId, bands] of Object.entries(SEVERITY_BANDS) as [keyof typeof SEVERITY_BANDS, readonly string[]][]) {
    for (const band of bands) add({ ...careCode(templateId, TOTAL_LINK_ID, band), display: `${templateId === 'phq9' ? 'PHQ-9' : 'GAD-7'} total: ${band.replace('_', ' ')}` });
  }
  return [...concepts.values()];
}

export const CARE_CODE_SYSTEM_ID = 'care-widgets';

export function careCodeSystem(): fhir4.CodeSystem {
  const concept = careConcepts();
  return {
    resourceType: 'CodeSystem',
    id: CARE_CODE_SYSTEM_ID,
    url: CARE_CODE_SYSTEM,
    version: '1',
    name: 'CareWidgets',
    title: 'care widgets check-in codes',
    status: 'active',
    publisher: 'care widgets',
    description:
      'Forms, items and answers of the care widgets check-ins that LOINC has no code for: `<template>` for a form, `<template>-<question>` for an item, `<template>-<question>-<answer>` for an answer (a worded scale answer by its value).',
    caseSensitive: true,
    content: 'complete',
    count: concept.length,
    concept,
  };
}
