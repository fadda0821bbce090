import * as z from 'zod/mini';

/** Per-clinic thresholds, stored as JSON on the clinic; missing keys fall back to the server's defaults. */
export interface RiskRules {
  /** Daily craving at or above this is elevated. */
  cravingElevated: number;
  /** Mood this many points below the average of the previous 7 daily check-ins is elevated. */
  moodDropPoints: number;
  /** PHQ-9 item 9 (thoughts of self-harm) above 0 is urgent. */
  phq9Item9Urgent: boolean;
  phq9TotalElevated: number;
  gad7TotalElevated: number;
  /** Reported use is elevated; with craving at or above cravingElevated it is urgent. */
  reportedUseUrgentWithCraving: boolean;
  /** A daily check-in with a note is elevated: the person wrote to their care team. */
  notesNeedAttention: boolean;
  /** Words that make a note urgent, added to the default list of every language (self-harm-terms.ts). */
  selfHarmTerms: string[];
}

const score = z.number().check(z.gte(0, 'must be from 0 to 100'), z.lte(100, 'must be from 0 to 100'));

/**
 * What each key of a clinic's risk rules must hold: the one schema the server's scoring, the `care
 * clinic rules` command, the admin router and `<care-admin>` all check against.
 */
export const riskRuleSchemas: { [K in keyof RiskRules]: z.ZodMiniType<RiskRules[K]> } = {
  cravingElevated: score,
  moodDropPoints: score,
  phq9Item9Urgent: z.boolean(),
  phq9TotalElevated: score,
  gad7TotalElevated: score,
  reportedUseUrgentWithCraving: z.boolean(),
  notesNeedAttention: z.boolean(),
  selfHarmTerms: z
    .array(z.string().check(z.minLength(2, 'each term needs at least 2 characters'), z.maxLength(100, 'each term may have at most 100 characters')))
    .check(z.maxLength(200, 'at most 200 terms')),
};

/** A rules document: every key optional (a missing key takes the server's default), no unknown keys. */
export const riskRulesDocument = z.partial(z.strictObject(riskRuleSchemas));

export type RiskRuleKey = keyof RiskRules;
export const RISK_RULE_KEYS = Object.keys(riskRuleSchemas) as RiskRuleKey[];
/** Keys holding a number from 0 to 100 (a score or a number of points). */
export const NUMERIC_RISK_RULES = ['cravingElevated', 'moodDropPoints', 'phq9TotalElevated', 'gad7TotalElevated'] as const satisfies readonly RiskRuleKey[];
export const BOOLEAN_RISK_RULES = ['phq9Item9Urgent', 'reportedUseUrgentWithCraving', 'notesNeedAttention'] as const satisfies readonly RiskRuleKey[];
