/**
 * Stored check-ins as FHIR R4 QuestionnaireResponse / Observation / Patient, and a
 * QuestionnaireResponse from any SDC form filler back into checkIn.submit's input.
 *
 * Answer encoding per question kind (QuestionnaireResponse.item.answer; item.linkId = question id):
 * - scale 'frequency' (PHQ-9/GAD-7 q1..qN, 0–3): valueCoding LOINC FREQUENCY_ANSWERS[value]
 *   (LA6568-5 … LA6571-9) with extension ordinalValue (valueDecimal = value). In: also our code
 *   careCode(t, q, '<value>') or a bare valueInteger.
 * - choice 'difficulty' (PHQ-9/GAD-7): valueCoding LOINC DIFFICULTY_ANSWERS[option]. In: also careCode(t, 'difficulty', option).
 * - any other scale (mood, craving, BAM 5-point, feedback 1–5): valueInteger.
 * - number, unit hours (sleepHours): valueDecimal; unit days (BAM): valueInteger. In: either.
 * - choice: valueCoding careCode(t, q, option) (our CodeSystem). In: matched by code (our code or the bare option id).
 * - multi: one valueCoding careCode(t, q, option) per chosen option.
 * - text: valueString.
 * - PHQ-9/GAD-7 add item linkId 'total' with valueInteger = the score (ignored on the way in).
 * Nested groups are flattened on the way in (linkIds are unique across a form).
 *
 * Wording (issue 18): `language` is the language the form was shown in (`en` when the published
 * English form replaced an unverified translation); PHQ-9/GAD-7/BAM responses carry the extension
 * TRANSLATION_PROVENANCE (valueCode `published` | `unverified`): a score from an unverified translation
 * is not a validated score. On the way in, `language` (one of ours) is recorded as both the person's
 * and the shown language.
 */
import type { Selectable } from 'kysely';
import {
  submitCheckInInput,
  TEMPLATE_IDS,
  TEMPLATES,
  type Answers,
  type Question,
  type SubmitCheckInInput,
  type TemplateId,
} from '../contract/index.js';
import { LANGUAGES, type Language } from '../contract/languages.js';
import type { Principal } from '../auth/principal.js';
import { checkInJson } from '../db/rows.js';
import type { CheckInsTable, UsersTable } from '../db/schema.js';
import {
  CANONICAL_BASE,
  careCode,
  DAILY_OBSERVATION_CODES,
  DIFFICULTY_ANSWERS,
  FREQUENCY_ANSWERS,
  patientIdOf,
  questionnaireUrl,
  TOTAL_CODES,
  UCUM,
  type Code,
} from './codes.js';
import { FhirError } from './outcome.js';
import { templateOfCanonical } from './questionnaires.js';

export type CheckInRow = Selectable<CheckInsTable>;

export const CLIENT_REQUEST_ID_SYSTEM = 'urn:care-widgets:client-request-id';
/** Whether a PHQ-9/GAD-7/BAM response was answered in the published wording or in an unverified translation (valueCode). */
export const TRANSLATION_PROVENANCE = `${CANONICAL_BASE}/StructureDefinition/translation-provenance`;
export const clinicIdentifierSystem = (clinicId: string) => `urn:care-widgets:clinic:${clinicId}`;
export const ORDINAL_VALUE = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

const isFrequency = (t: TemplateId, q: Question) => (t === 'phq9' || t === 'gad7') && q.kind === 'scale' && q.scale === 'frequency';
const isDifficulty = (t: TemplateId, q: Question) => (t === 'phq9' || t === 'gad7') && q.id === 'difficulty';
const coding = (c: Code): fhir4.Coding => ({ system: c.system, code: c.code, display: c.display });

export const patientReference = (userId: string): fhir4.Reference => ({ reference: `Patient/${patientIdOf(userId)}` });

function answersOf(t: TemplateId, q: Question, value: Answers[string]): fhir4.QuestionnaireResponseItemAnswer[] {
  if (value === undefined) return [];
  if (isFrequency(t, q) && typeof value === 'number') {
    const code = FREQUENCY_ANSWERS[value];
    if (code) return [{ valueCoding: { extension: [{ url: ORDINAL_VALUE, valueDecimal: value }], ...coding(code) } }];
  }
  if (isDifficulty(t, q) && typeof value === 'string') {
    const code = DIFFICULTY_ANSWERS[value];
    if (code) return [{ valueCoding: coding(code) }];
  }
  switch (q.kind) {
    case 'scale':
      return [{ valueInteger: Number(value) }];
    case 'number':
      return [q.unit === 'days' ? { valueInteger: Number(value) } : { valueDecimal: Number(value) }];
    case 'choice':
      return [{ valueCoding: coding(careCode(t, q.id, Array.isArray(value) ? value.join(',') : String(value))) }];
    case 'multi':
      return (Array.isArray(value) ? value : [value]).map((option) => ({ valueCoding: coding(careCode(t, q.id, String(option))) }));
    case 'text':
      return [{ valueString: Array.isArray(value) ? value.join(', ') : String(value) }];
  }
}

const templateOf = (row: Pick<CheckInRow, 'template_id'>): TemplateId => {
  const t = row.template_id as TemplateId;
  if (!(TEMPLATE_IDS as readonly string[]).includes(t)) throw new Error(`unknown template ${row.template_id}`);
  return t;
};

/** One stored check-in as the QuestionnaireResponse it answers (id = check-in id). */
export function questionnaireResponseOf(row: CheckInRow): fhir4.QuestionnaireResponse {
  const t = templateOf(row);
  const answers = checkInJson.answers(row);
  const items: fhir4.QuestionnaireResponseItem[] = [];
  // Grouped questions (BAM 7A–7G) answer inside their group item, as the Questionnaire nests them.
  const groups = new Map<string, fhir4.QuestionnaireResponseItem>();
  for (const q of TEMPLATES[t].questions) {
    const answer = answersOf(t, q, answers[q.id]);
    if (answer.length === 0) continue;
    if (!q.group) {
      items.push({ linkId: q.id, answer });
      continue;
    }
    let group = groups.get(q.group);
    if (!group) {
      group = { linkId: q.group, item: [] };
      groups.set(q.group, group);
      items.push(group);
    }
    group.item!.push({ linkId: q.id, answer });
  }
  const score = checkInJson.score(row);
  if (score && (score.instrument === 'phq9' || score.instrument === 'gad7')) items.push({ linkId: 'total', answer: [{ valueInteger: score.total }] });
  return {
    resourceType: 'QuestionnaireResponse',
    id: row.id,
    ...(row.shown_language ? { language: row.shown_language } : {}),
    ...(row.provenance ? { extension: [{ url: TRANSLATION_PROVENANCE, valueCode: row.provenance }] } : {}),
    // client_request_id is unique per clinic and person (the check_ins unique constraint), so the
    // identifier is meaningful together with `subject`.
    identifier: { system: CLIENT_REQUEST_ID_SYSTEM, value: row.client_request_id },
    questionnaire: `${questionnaireUrl(t)}|${row.template_version}`,
    status: 'completed',
    subject: patientReference(row.client_id),
    authored: row.submitted_at,
    item: items,
  };
}

export const OBSERVATION_KINDS = ['phq9-total', 'gad7-total', 'mood', 'craving', 'sleep'] as const;
export type ObservationKind = (typeof OBSERVATION_KINDS)[number];

/** Which template each Observation kind comes from, and its code. */
export const OBSERVATION_SOURCES: Record<ObservationKind, { templateId: TemplateId; code: Code }> = {
  'phq9-total': { templateId: 'phq9', code: TOTAL_CODES.phq9 },
  'gad7-total': { templateId: 'gad7', code: TOTAL_CODES.gad7 },
  mood: { templateId: 'daily', code: DAILY_OBSERVATION_CODES.mood },
  craving: { templateId: 'daily', code: DAILY_OBSERVATION_CODES.craving },
  sleep: { templateId: 'daily', code: DAILY_OBSERVATION_CODES.sleepHours },
};

export const observationId = (checkInId: string, kind: ObservationKind) => `${checkInId}-${kind}`;

export function parseObservationId(id: string): { checkInId: string; kind: ObservationKind } | undefined {
  const match = /^(.+)-(phq9-total|gad7-total|mood|craving|sleep)$/.exec(id);
  return match ? { checkInId: match[1]!, kind: match[2] as ObservationKind } : undefined;
}

/** The Observations a check-in yields, in OBSERVATION_KINDS order (the order pages use). */
export function observationsOf(row: CheckInRow): fhir4.Observation[] {
  const t = templateOf(row);
  const base = (kind: ObservationKind): fhir4.Observation => ({
    resourceType: 'Observation',
    id: observationId(row.id, kind),
    status: 'final',
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'survey', display: 'Survey' }] }],
    code: { coding: [coding(OBSERVATION_SOURCES[kind].code)], text: OBSERVATION_SOURCES[kind].code.display },
    subject: patientReference(row.client_id),
    effectiveDateTime: row.submitted_at,
    derivedFrom: [{ reference: `QuestionnaireResponse/${row.id}` }],
  });
  const score = checkInJson.score(row);
  if ((t === 'phq9' || t === 'gad7') && score && score.instrument === t) {
    const band = careCode(t, 'total', score.severity);
    return [
      {
        ...base(`${t}-total`),
        // The score of an unverified translation says so where it is used on its own, too.
        ...(row.provenance ? { extension: [{ url: TRANSLATION_PROVENANCE, valueCode: row.provenance }] } : {}),
        valueInteger: score.total,
        interpretation: [{ coding: [coding(band)], text: score.severity.replace('_', ' ') }],
      },
    ];
  }
  if (t !== 'daily') return [];
  const answers = checkInJson.answers(row);
  const out: fhir4.Observation[] = [];
  if (typeof answers.mood === 'number') out.push({ ...base('mood'), valueInteger: answers.mood });
  if (typeof answers.craving === 'number') out.push({ ...base('craving'), valueInteger: answers.craving });
  if (typeof answers.sleepHours === 'number') {
    out.push({ ...base('sleep'), valueQuantity: { value: answers.sleepHours, unit: 'h', system: UCUM, code: 'h' } });
  }
  return out;
}

/** A person as a minimal Patient: the clinic's id for them, a name only when the portal gave one. */
export function patientOf(clinicId: string, userId: string, user?: Pick<UsersTable, 'display_name'>): fhir4.Patient {
  return {
    resourceType: 'Patient',
    id: patientIdOf(userId),
    identifier: [{ system: clinicIdentifierSystem(clinicId), value: userId }],
    ...(user?.display_name ? { name: [{ text: user.display_name }] } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// QuestionnaireResponse → checkIn.submit input

const unprocessable = (message: string, expression: string) => new FhirError(422, 'processing', message, expression);
const itemPath = (linkId: string) => `QuestionnaireResponse.item.where(linkId='${linkId}')`;

function flatten(items: readonly fhir4.QuestionnaireResponseItem[] | undefined, out: fhir4.QuestionnaireResponseItem[] = []) {
  for (const item of items ?? []) {
    if (item.answer && item.answer.length > 0) out.push(item);
    if (item.item) flatten(item.item, out);
  }
  return out;
}

function decodeOne(t: TemplateId, q: Question, answer: fhir4.QuestionnaireResponseItemAnswer): number | string | undefined {
  const code = answer.valueCoding?.code;
  if (isFrequency(t, q)) {
    if (answer.valueInteger !== undefined) return answer.valueInteger;
    if (code !== undefined) {
      const index = FREQUENCY_ANSWERS.findIndex((c) => c.code === code);
      if (index >= 0) return index;
      const ours = [0, 1, 2, 3].find((n) => careCode(t, q.id, String(n)).code === code);
      if (ours !== undefined) return ours;
    }
    return undefined;
  }
  switch (q.kind) {
    case 'scale':
      return answer.valueInteger;
    case 'number':
      return answer.valueDecimal ?? answer.valueInteger;
    case 'choice':
    case 'multi': {
      if (code === undefined) return undefined;
      if (isDifficulty(t, q)) {
        const loinc = Object.entries(DIFFICULTY_ANSWERS).find(([, c]) => c.code === code);
        if (loinc) return loinc[0];
      }
      return q.options.find((option) => careCode(t, q.id, option).code === code || option === code);
    }
    case 'text':
      return answer.valueString;
  }
}

/**
 * A QuestionnaireResponse from any filler as checkIn.submit's input, validated by the same zod
 * schema (template rules, offline-late `submittedAt`). `identifier.value` is the clientRequestId and
 * is required (idempotency needs it; it must be a UUID as for checkIn.submit). Problems are 422
 * OperationOutcomes naming the element (`QuestionnaireResponse.item.where(linkId='q9')`).
 */
export function submitInputOf(resource: unknown, caller: Principal): SubmitCheckInInput {
  if (typeof resource !== 'object' || resource === null || (resource as { resourceType?: unknown }).resourceType !== 'QuestionnaireResponse') {
    throw new FhirError(400, 'invalid', 'The body must be a QuestionnaireResponse', 'QuestionnaireResponse');
  }
  const qr = resource as fhir4.QuestionnaireResponse;
  const templateId = typeof qr.questionnaire === 'string' ? templateOfCanonical(qr.questionnaire)?.templateId : undefined;
  if (!templateId) throw unprocessable(`Unknown Questionnaire ${JSON.stringify(qr.questionnaire ?? null)}`, 'QuestionnaireResponse.questionnaire');
  if (qr.status !== 'completed' && qr.status !== 'amended') {
    throw unprocessable(`status must be completed or amended, not ${JSON.stringify(qr.status ?? null)}`, 'QuestionnaireResponse.status');
  }
  const subject = qr.subject?.reference;
  if (subject !== undefined && subject !== patientReference(caller.userId).reference && !subject.endsWith(`/${patientReference(caller.userId).reference}`)) {
    throw new FhirError(403, 'forbidden', 'A client may submit only their own responses', 'QuestionnaireResponse.subject');
  }
  const clientRequestId = qr.identifier?.value;
  if (!clientRequestId) {
    throw unprocessable('identifier.value is required: it is the request id that makes a retry safe', 'QuestionnaireResponse.identifier');
  }
  if (!qr.authored) throw unprocessable('authored is required: when the person answered', 'QuestionnaireResponse.authored');

  const questions = new Map(TEMPLATES[templateId].questions.map((q) => [q.id, q]));
  const answers: Answers = {};
  for (const item of flatten(qr.item)) {
    if (item.linkId === 'total') continue;
    const q = questions.get(item.linkId);
    if (!q) throw unprocessable(`${item.linkId} is not an item of ${templateId}`, itemPath(item.linkId));
    if (item.linkId in answers) throw unprocessable(`${item.linkId} is answered twice`, itemPath(item.linkId));
    const values = (item.answer ?? []).map((a) => decodeOne(templateId, q, a));
    const bad = values.findIndex((v) => v === undefined);
    if (bad >= 0) throw unprocessable(`${item.linkId}: answer ${bad + 1} is not a value this item accepts`, itemPath(item.linkId));
    if (q.kind === 'multi') answers[q.id] = values as string[];
    else if (values.length > 1) throw unprocessable(`${item.linkId} takes one answer`, itemPath(item.linkId));
    else answers[q.id] = values[0];
  }

  const language = (LANGUAGES as readonly string[]).includes(qr.language ?? '') ? (qr.language as Language) : undefined;
  const input = { clientRequestId, templateId, answers, submittedAt: qr.authored, ...(language ? { language, shownLanguage: language } : {}) };
  const parsed = submitCheckInInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const [field, linkId] = issue.path as (string | number)[];
    if (field === 'answers') {
      if (linkId !== undefined) throw unprocessable(`${String(linkId)}: ${issue.message}`, itemPath(String(linkId)));
      const missing = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
      throw unprocessable(issue.message, missing ? itemPath(missing) : 'QuestionnaireResponse.item');
    }
    if (field === 'clientRequestId') throw unprocessable(`identifier.value: ${issue.message} (a UUID)`, 'QuestionnaireResponse.identifier');
    if (field === 'submittedAt') throw unprocessable(`authored: ${issue.message}`, 'QuestionnaireResponse.authored');
    throw unprocessable(issue.message, 'QuestionnaireResponse');
  }
  return parsed.data;
}
