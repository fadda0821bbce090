import * as z from 'zod/mini';
import type { CrisisLine } from './hotlines.js';
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

/**
 * A clinic's settings as `admin.clinic`, `care clinic show --json` and the domain (clinic-settings.ts)
 * give them: never a secret, only whether one is set and how tokens are verified. The one definition
 * of the shape; the router declares it with `.output()`.
 */
export const adminClinicView = z.object({
  id: z.string(),
  name: z.string(),
  region: z.string(),
  timeZone: z.string(),
  defaultLocale: z.string(),
  /** null: every language the widgets have. */
  languages: z.nullable(z.array(z.string())),
  templates: z.array(z.string()),
  maxTokenLifetimeS: z.number(),
  /**
   * Unverified instrument translations the clinic turned on knowingly (`phq9:ar`), sorted; empty:
   * every unverified translation is replaced by the published English form.
   */
  unverifiedTranslations: z.array(z.string()),
  /** How tokens are verified: a shared HS256 secret or the portal's JWKS. */
  keys: z.enum(['hs256', 'jwks', 'none']),
  jwksUrl: z.nullable(z.string()),
  /** While set, the secret before the last rotation still verifies tokens until this time. */
  previousSecretValidUntil: z.nullable(z.string()),
  origins: z.array(z.string()),
  createdAt: z.string(),
});
export type AdminClinicView = z.infer<typeof adminClinicView>;

/** `admin.setClinic`: the clinic after the change and, per changed key, its value before and after. */
export const adminSetClinicResult = z.object({
  clinic: adminClinicView,
  changed: z.object({ before: z.partial(adminClinicView), after: z.partial(adminClinicView) }),
});

/** On-call hours: ISO weekdays (1 = Monday … 7 = Sunday), `HH:MM` start and end on the clinic's wall clock (end exclusive). */
export const adminOnCallWindow = z.strictObject({
  days: z.array(z.number()).check(z.maxLength(7)),
  start: z.string().check(z.maxLength(5)),
  end: z.string().check(z.maxLength(5)),
});
export type AdminOnCallWindow = z.infer<typeof adminOnCallWindow>;

/** Most on-call windows a clinic may list. */
export const ADMIN_MAX_ON_CALL_WINDOWS = 14;

/**
 * `admin.setCrisis` / `care clinic crisis set`: only the keys given change. null clears the phone,
 * the webhook URL (the clinic is then not paged, alerts stay in its inbox) or the hours.
 */
export const adminSetCrisisInput = z.strictObject({
  onCallHours: z.optional(z.nullable(z.array(adminOnCallWindow).check(z.maxLength(50)))),
  onCallTimeZone: z.optional(z.nullable(z.string().check(z.maxLength(100)))),
  onCallPhone: z.optional(z.nullable(z.string().check(z.maxLength(100)))),
  webhookUrl: z.optional(z.nullable(z.string().check(z.maxLength(1000)))),
});
export type AdminSetCrisisInput = z.infer<typeof adminSetCrisisInput>;

/** The clinic's crisis set-up (never the webhook secret: only whether one is set). */
export interface AdminCrisisView {
  onCallHours: AdminOnCallWindow[];
  /** IANA zone of the hours; null: UTC. */
  onCallTimeZone: string | null;
  onCallPhone: string | null;
  webhookUrl: string | null;
  webhookSecretSet: boolean;
}

/** What the receiver answered to a test alert: its status and the start of its body, or why there was no answer. */
export interface AdminWebhookTestResult {
  /** True when the receiver answered 2xx. */
  ok: boolean;
  url: string;
  statusCode: number | null;
  /** The first 300 characters of the receiver's body (text), if any. */
  bodyExcerpt: string | null;
  /** No answer: `timeout`, `refused` (connection refused), `dns` (unknown host), `tls`, `network`. */
  error: 'timeout' | 'refused' | 'dns' | 'tls' | 'network' | null;
  /** The error in words (English), for the command line and logs. */
  errorMessage: string | null;
  durationMs: number;
  deliveryId: string;
  sentAt: string;
}

/** A clinic's own crisis line (`admin.addHotline`, `care clinic hotlines add`): a name and at least one of call / text / url. */
export const adminHotlineInput = z.strictObject({
  name: z.string().check(z.maxLength(400)),
  call: z.optional(z.nullable(z.string().check(z.maxLength(100)))),
  text: z.optional(z.nullable(z.string().check(z.maxLength(100)))),
  url: z.optional(z.nullable(z.string().check(z.maxLength(1000)))),
  hours: z.optional(z.string().check(z.maxLength(400))),
  language: z.string().check(z.maxLength(20)),
});
export type AdminHotlineInput = z.infer<typeof adminHotlineInput>;

export const adminHotlineIdInput = z.strictObject({ id: z.string().check(z.maxLength(100)) });

export interface AdminHotline {
  id: string;
  name: string;
  call: string | null;
  text: string | null;
  url: string | null;
  hours: string;
  language: string;
  createdAt: string;
}

/** The region's lines (read-only, shipped with the server) and the clinic's own additions. */
export interface AdminHotlines {
  region: string;
  emergency: string;
  regionLines: CrisisLine[];
  clinicLines: AdminHotline[];
}

/** `clinic.settings`, for every role: what the widgets need to know of the token's clinic (no secret). */
export interface ClinicPublicSettings {
  id: string;
  name: string;
  /** The language used when a person's own is not offered; one of `languages`. */
  defaultLocale: string;
  /** The languages the clinic offers, in the admin's order (every widget language when it chose none). */
  languages: string[];
}
