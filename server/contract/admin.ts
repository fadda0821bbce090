import * as z from 'zod/mini';
import { LANGUAGES } from './languages.js';
import { riskRulesDocument } from './risk-rules.js';

/**
 * The `admin.*` procedures behind `<care-admin>` (issue 16): a clinic admin's own clinic only (the
 * clinic comes from the token, never from input). The shapes are checked here; the values (time
 * zone, origin form, language agreement, rule ranges) by server/domain/clinic-settings.ts, whose
 * refusals come back as 400 with `fieldErrors` naming the input key.
 */

/** Languages a clinic may offer: the widgets' translations. */
export const ADMIN_LANGUAGES = LANGUAGES;
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
  /** Unverified instrument translations shown anyway, `phq9:ar` (replaces the list; [] turns all off). */
  unverifiedTranslations: z.optional(z.array(z.string().check(z.maxLength(40))).check(z.maxLength(40))),
});
export type AdminSetClinicInput = z.infer<typeof adminSetClinicInput>;

export const adminOriginInput = z.strictObject({
  /** `https://portal.example.org[:port]` (http only for localhost). */
  origin: z.string().check(z.maxLength(400)),
});

export { BOOLEAN_RISK_RULES, NUMERIC_RISK_RULES, RISK_RULE_KEYS, type RiskRuleKey } from './risk-rules.js';

/** A rules document: every key optional (a missing key takes the server's default), no unknown keys. */
export const adminRulesDocument = riskRulesDocument;
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
