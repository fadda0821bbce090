import * as z from 'zod/mini';

/**
 * The `admin.*` procedures behind `<care-admin>` (issue 16): a clinic admin's own clinic only (the
 * clinic comes from the token, never from input). The shapes are checked here; the values (time
 * zone, origin form, language agreement, rule ranges) by server/domain/clinic-settings.ts, whose
 * refusals come back as 400 with `fieldErrors` naming the input key.
 */

/** Languages a clinic may offer: the widgets' translations. */
export const ADMIN_LANGUAGES = ['en', 'es', 'fr', 'ar', 'zh-Hans'] as const;
/** Shortest and longest token lifetime a clinic may allow, in seconds. */
export const ADMIN_MIN_TOKEN_LIFETIME_S = 60;
export const ADMIN_MAX_TOKEN_LIFETIME_S = 30 * 86_400;

export const adminSetClinicInput = z.strictObject({
  name: z.optional(z.string().check(z.maxLength(400))),
  region: z.optional(z.string().check(z.maxLength(10))),
  timeZone: z.optional(z.string().check(z.maxLength(100))),
  defaultLocale: z.optional(z.string().check(z.maxLength(20))),
  languages: z.optional(z.array(z.string().check(z.maxLength(20))).check(z.maxLength(20))),
  templates: z.optional(z.array(z.string().check(z.maxLength(40))).check(z.maxLength(20))),
  maxTokenLifetimeS: z.optional(z.number()),
});
export type AdminSetClinicInput = z.infer<typeof adminSetClinicInput>;

export const adminOriginInput = z.strictObject({
  /** `https://portal.example.org[:port]` (http only for localhost). */
  origin: z.string().check(z.maxLength(400)),
});

/** The risk-rules keys a clinic may set (server/domain/risk.ts RiskRules); values are checked there. */
export const RISK_RULE_KEYS = [
  'cravingElevated',
  'moodDropPoints',
  'phq9Item9Urgent',
  'phq9TotalElevated',
  'gad7TotalElevated',
  'reportedUseUrgentWithCraving',
  'notesNeedAttention',
  'selfHarmTerms',
] as const;
export type RiskRuleKey = (typeof RISK_RULE_KEYS)[number];
/** Keys holding a number from 0 to 100 (a score or a number of points). */
export const NUMERIC_RISK_RULES = ['cravingElevated', 'moodDropPoints', 'phq9TotalElevated', 'gad7TotalElevated'] as const;
export const BOOLEAN_RISK_RULES = ['phq9Item9Urgent', 'reportedUseUrgentWithCraving', 'notesNeedAttention'] as const;

const score = z.number().check(z.gte(0, 'must be from 0 to 100'), z.lte(100, 'must be from 0 to 100'));

/** A rules document: every key optional (a missing key takes the server's default), no unknown keys. */
export const adminRulesDocument = z.strictObject({
  cravingElevated: z.optional(score),
  moodDropPoints: z.optional(score),
  phq9Item9Urgent: z.optional(z.boolean()),
  phq9TotalElevated: z.optional(score),
  gad7TotalElevated: z.optional(score),
  reportedUseUrgentWithCraving: z.optional(z.boolean()),
  notesNeedAttention: z.optional(z.boolean()),
  selfHarmTerms: z.optional(
    z.array(z.string().check(z.minLength(2, 'each term needs at least 2 characters'), z.maxLength(100, 'each term may have at most 100 characters'))).check(z.maxLength(200, 'at most 200 terms')),
  ),
});
export type AdminRulesDocument = z.infer<typeof adminRulesDocument>;

export const adminRulesInput = z.strictObject({ rules: adminRulesDocument });

export const adminAuditInput = z.optional(
  z.strictObject({
    /** Entries to skip (newest first): the previous page's `nextCursor`. */
    cursor: z.optional(z.int().check(z.gte(0), z.lte(1_000_000))),
    limit: z.optional(z.int().check(z.gte(1), z.lte(100))),
  }),
);

/** One admin change: who (`cli:<user>` or `admin:<user id>`), what, when, with the values before and after. */
export interface AdminChange {
  id: string;
  at: string;
  actor: string;
  action: string;
  /** The values before and after (null when there were none); optional only as JSON's inferred type. */
  before?: unknown;
  after?: unknown;
}

export interface AdminAuditPage {
  items: AdminChange[];
  nextCursor: number | null;
}

/** Check-ins counted per level and per reason by `admin.previewRules`. */
export interface AdminLevelCounts {
  none: number;
  elevated: number;
  urgent: number;
  reasons: Partial<Record<string, number>>;
}
