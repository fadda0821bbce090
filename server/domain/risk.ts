import * as z from 'zod/mini';
import type { Answers, Risk, RiskReason, Score, TemplateId } from '../contract/index.js';
import { riskRuleSchemas, type RiskRules } from '../contract/risk-rules.js';
import { mentionsSelfHarm } from './self-harm-terms.js';

export type { RiskRules } from '../contract/risk-rules.js';

export const DEFAULT_RISK_RULES: RiskRules = {
  cravingElevated: 8,
  moodDropPoints: 4,
  phq9Item9Urgent: true,
  phq9TotalElevated: 20,
  gad7TotalElevated: 15,
  reportedUseUrgentWithCraving: true,
  notesNeedAttention: true,
  selfHarmTerms: [],
};

export { riskRuleSchemas };

/**
 * The clinic's stored rules over the defaults. Each key is validated on its own: a key that does not
 * fit its schema keeps its default, so one typo cannot switch the other rules off.
 */
export function riskRulesFrom(json: string | null | undefined): RiskRules {
  if (!json) return DEFAULT_RISK_RULES;
  let stored: unknown;
  try {
    stored = JSON.parse(json);
  } catch {
    return DEFAULT_RISK_RULES;
  }
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return DEFAULT_RISK_RULES;
  const rules: Record<string, unknown> = { ...DEFAULT_RISK_RULES };
  for (const [key, schema] of Object.entries(riskRuleSchemas) as [keyof RiskRules, z.ZodMiniType][]) {
    if (!(key in stored)) continue;
    const parsed = schema.safeParse((stored as Record<string, unknown>)[key]);
    if (parsed.success) rules[key] = parsed.data;
  }
  return rules as unknown as RiskRules;
}

export interface RiskInput {
  templateId: TemplateId;
  answers: Answers;
  score: Score | null;
  /** Moods of the client's previous daily check-ins, newest first. */
  recentMoods: number[];
}

const URGENT_REASONS = new Set<RiskReason>(['phq9_item9', 'self_harm_warning_sign', 'note_self_harm']);

export function assessRisk({ templateId, answers, score, recentMoods }: RiskInput, rules: RiskRules): Risk {
  const reasons: RiskReason[] = [];
  let urgent = false;

  if (templateId === 'daily') {
    const craving = Number(answers.craving);
    const highCraving = craving >= rules.cravingElevated;
    if (highCraving) reasons.push('high_craving');
    if (answers.used === 'yes') {
      reasons.push('reported_use');
      if (highCraving && rules.reportedUseUrgentWithCraving) urgent = true;
    }
    const signs = Array.isArray(answers.warningSigns) ? answers.warningSigns : [];
    if (signs.includes('thoughts_of_self_harm')) reasons.push('self_harm_warning_sign');
    const previous = recentMoods.slice(0, 7);
    if (previous.length > 0) {
      const average = previous.reduce((a, b) => a + b, 0) / previous.length;
      if (average - Number(answers.mood) >= rules.moodDropPoints) reasons.push('mood_drop');
    }
    const note = typeof answers.note === 'string' ? answers.note.trim() : '';
    if (note && mentionsSelfHarm(note, rules.selfHarmTerms)) reasons.push('note_self_harm');
    else if (note && rules.notesNeedAttention) reasons.push('note');
  }
  if (templateId === 'phq9' && score?.instrument === 'phq9') {
    if (Number(answers.q9) > 0 && rules.phq9Item9Urgent) reasons.push('phq9_item9');
    if (score.total >= rules.phq9TotalElevated) reasons.push('phq9_severe');
  }
  if (templateId === 'gad7' && score?.instrument === 'gad7' && score.total >= rules.gad7TotalElevated) {
    reasons.push('gad7_severe');
  }
  if (templateId === 'bam' && score?.instrument === 'bam' && score.use > 0) reasons.push('bam_recent_use');

  if (reasons.some((r) => URGENT_REASONS.has(r))) urgent = true;
  const level = urgent ? 'urgent' : reasons.length > 0 ? 'elevated' : 'none';
  return { level, reasons };
}
