import type { ColumnType, Generated } from 'kysely';
import type { Answers, GroupSession, RiskReason, SafetyPlanSections, Score } from '../contract/index.js';
import type { JsonColumn } from './json.js';

/** Every date is an ISO-8601 string; JSON columns are text so SQLite and PostgreSQL agree. */
export interface ClinicsTable {
  id: string;
  name: string;
  hs256_secret: string | null;
  jwks_url: string | null;
  region: string;
  default_locale: string;
  /** JSON: Partial<RiskRules>. */
  risk_rules: JsonColumn<unknown> | null;
  /** JSON: TemplateId[]. */
  enabled_templates: JsonColumn<string[]>;
  created_at: string;
  /** IANA zone whose calendar the roster and outcome reports count days and months in (migration 006, default UTC). */
  time_zone?: string;
  /** Crisis webhook (migration 004). The secret never leaves the server. */
  crisis_webhook_url?: string | null;
  crisis_webhook_secret?: string | null;
  /** JSON: OnCallWindow[]. */
  on_call_hours?: JsonColumn<unknown> | null;
  on_call_time_zone?: string | null;
  on_call_phone?: string | null;
  /** Longest token lifetime the clinic accepts, in seconds (migration 2026-12-02-001); NULL: 12 hours. */
  max_token_lifetime_s?: number | null;
  /** The secret before the last rotation (migration 2026-12-03-001): still verifies until previous_secret_until. Never logged. */
  previous_hs256_secret?: string | null;
  /** ISO time the previous secret stops verifying. */
  previous_secret_until?: string | null;
  /** JSON: the languages the clinic offers (NULL: all). */
  languages?: JsonColumn<string[]> | null;
  /** JSON: the unverified instrument translations the clinic shows anyway, `["phq9:ar"]` (migration 2026-12-03-160); NULL: none. */
  unverified_translations?: JsonColumn<string[]> | null;
}

export interface UsersTable {
  clinic_id: string;
  id: string;
  role: 'client' | 'clinician' | 'admin';
  display_name: string | null;
  created_at: string;
  recovery_start_date: string | null;
}

export interface CheckInsTable {
  id: string;
  clinic_id: string;
  client_id: string;
  client_request_id: string;
  template_id: string;
  template_version: number;
  /** JSON: Answers. Holds free-text notes: never log. */
  answers: JsonColumn<Answers>;
  /** JSON: Score | null. */
  score: JsonColumn<Score> | null;
  risk_level: 'none' | 'elevated' | 'urgent';
  /** JSON: RiskReason[]. */
  risk_reasons: JsonColumn<RiskReason[]>;
  submitted_at: string;
  received_at: string;
  /** The person's language (migration 2026-12-03-160); NULL for check-ins sent before it was recorded. */
  language?: string | null;
  /** The language the form was shown in: `en` when the English form replaced an unverified translation. */
  shown_language?: string | null;
  /** PHQ-9/GAD-7: whether the shown wording is the published form; derived by the server. NULL for other forms. */
  provenance?: 'published' | 'unverified' | null;
}

export interface AlertsTable {
  id: string;
  clinic_id: string;
  client_id: string;
  check_in_id: string | null;
  /** `danger_flag`: a group member flagged the person as maybe in danger (danger_flags, migration 2026-12-03-220). */
  source: 'check_in' | 'crisis' | 'danger_flag';
  level: 'elevated' | 'urgent';
  /** JSON: RiskReason[]. */
  reasons: JsonColumn<RiskReason[]>;
  created_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  ack_note: string | null;
  /** Crisis presses after the first while this alert was open (migration 2026-12-02-002); 0 for check-in alerts. */
  repeats: Generated<number>;
  /** When the latest crisis press was made; null for check-in alerts. */
  last_requested_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface AuditLogTable {
  id: string;
  clinic_id: string;
  actor_id: string;
  actor_role: string;
  action: string;
  subject_id: string | null;
  at: string;
}

export interface SessionsAttendedTable {
  id: string;
  clinic_id: string;
  client_id: string;
  kind: 'group' | 'telehealth';
  source_id: string | null;
  joined_at: string;
  left_at: string | null;
}

export interface SafetyPlansTable {
  id: string;
  clinic_id: string;
  client_id: string;
  version: number;
  kind: 'plan' | 'suggestion';
  base_version: number | null;
  /** JSON: SafetyPlanSections. Sensitive free text: never log. */
  sections: JsonColumn<Partial<SafetyPlanSections>>;
  author_id: string;
  author_role: 'client' | 'clinician' | 'admin';
  author_name: string | null;
  created_at: string;
}

export interface CrisisRequestsTable {
  id: string;
  clinic_id: string;
  client_id: string;
  client_request_id: string;
  alert_id: string;
  requested_at: string | null;
  created_at: string;
  /** `collapsed`: the press joined an alert that was already open; that alert's first press carries the page. */
  webhook_status: 'not_configured' | 'pending' | 'delivered' | 'failed' | 'collapsed';
}

export interface WebhookDeliveriesTable {
  id: string;
  clinic_id: string;
  alert_id: string;
  /** Same for every attempt of one notification; sent as X-Care-Delivery. */
  delivery_id: string;
  attempt: number;
  status_code: number | null;
  /** 1 when the receiver answered 2xx. */
  ok: number;
  error: string | null;
  duration_ms: number;
  attempted_at: string;
}

export interface RecoveryStartsTable {
  id: string;
  clinic_id: string;
  client_id: string;
  /** YYYY-MM-DD on the client's calendar. */
  start_date: string;
  previous_start_date: string | null;
  set_at: string;
}

export interface ModulesCompletedTable {
  id: string;
  clinic_id: string;
  client_id: string;
  module_id: string;
  title: string;
  completed_at: string;
  recorded_by: string;
  recorded_at: string;
}

export interface GoalsTable {
  id: string;
  clinic_id: string;
  client_id: string;
  /** The client's words: never log. */
  title: string;
  target: number;
  current: number;
  /** 0 or 1. */
  archived: number;
  created_at: string;
  updated_at: string;
}

/**
 * Video rooms (server/video/): the clinic's provider (`group_id` = '') and per-group overrides.
 * Secrets (`app_secret`, `private_key`) never leave the server and are never logged.
 */
export interface VideoConfigsTable {
  clinic_id: string;
  /** '' for the clinic's default; a group id for that group's override. */
  group_id: string;
  provider: 'self-hosted' | 'jaas' | 'public-demo' | 'none';
  /** Self-hosted: the Jitsi host; JaaS: 8x8.vc (or a JaaS staging host); public-demo: meet.jit.si. */
  domain: string | null;
  /** Self-hosted token auth app id (the token's `iss`), or the JaaS app id (`vpaas-magic-cookie-…`). */
  app_id: string | null;
  /** JaaS API key id (the token header's `kid` is `<app_id>/<key_id>`). */
  key_id: string | null;
  /** Self-hosted HS256 key for room tokens: never returned, never logged. */
  app_secret: string | null;
  /** JaaS RS256 private key (PEM): never returned, never logged. */
  private_key: string | null;
  /** Self-hosted tenant (token `sub`; room names become `<tenant>/<slug>`). */
  tenant: string | null;
  /** 0/1: the provider can transcribe, so captions are offered (JaaS: the token's transcription feature). */
  transcription: number;
  /** 0/1 JaaS token features; off unless the clinic enables them. */
  recording: number;
  livestreaming: number;
  outbound_call: number;
  /** 0/1: a group's explicit opt-in to the public test service (public-demo outside demo mode). */
  public_opt_in: number;
  /** JSON: { number, pin? } | null — the provider's dial-in, shown when the group has none of its own. */
  dial_in: JsonColumn<{ number: string; pin?: string }> | null;
  updated_at: string;
}

export interface GroupsTable {
  id: string;
  clinic_id: string;
  name: string;
  topic: string;
  description: string;
  language: string;
  /** IANA time zone the schedule is written in. */
  time_zone: string;
  /** JSON: GroupSession[] (weekly). */
  schedule: JsonColumn<GroupSession[]>;
  /** Most clients in the live room at once (moderators not counted). */
  capacity: number;
  /** JSON: Record<language, text>. */
  guidelines: JsonColumn<Record<string, string>>;
  guidelines_version: number;
  /** Unguessable part of the Jitsi room name. */
  room_slug: string;
  /** JSON: { number, pin } | null. */
  dial_in: JsonColumn<{ number: string; pin?: string }> | null;
  created_at: string;
}

export interface GroupMembersTable {
  clinic_id: string;
  group_id: string;
  user_id: string;
  role: 'member' | 'moderator';
  display_mode: 'name' | 'alias';
  alias: string | null;
  /** What the alias looks like (nameSkeleton): unique per group, so look-alike aliases cannot coexist. */
  alias_skeleton: string | null;
  guidelines_version: number | null;
  guidelines_accepted_at: string | null;
  added_at: string;
}

export interface GroupPostsTable {
  id: string;
  clinic_id: string;
  group_id: string;
  parent_id: string | null;
  author_id: string;
  /** How the author appeared when posting (their alias, or name): what members see. */
  author_label: string;
  author_is_moderator: number;
  /** Free text: never log. */
  body: string;
  created_at: string;
  hidden_at: string | null;
  hidden_by: string | null;
  hidden_reason: string | null;
}

export interface GroupPostReportsTable {
  id: string;
  clinic_id: string;
  post_id: string;
  reporter_id: string;
  reason: string;
  created_at: string;
}

export interface GroupFeedbackTable {
  id: string;
  clinic_id: string;
  group_id: string;
  user_id: string;
  session_start: string;
  rating: number;
  /** Free text: never log. */
  comment: string | null;
  created_at: string;
}

/** Derived from check_ins (migration 006): one row per client per local day with a check-in. */
export interface CheckInDaysTable {
  clinic_id: string;
  client_id: string;
  /** YYYY-MM-DD in the clinic's time zone. */
  day: string;
  check_ins: number;
  /** Daily check-ins that day answering used = yes. */
  reported_use: number;
}

/** Derived from check_ins (migration 006): what the roster shows and sorts by, one row per client. */
export interface RosterStatsTable {
  clinic_id: string;
  client_id: string;
  last_check_in_at: string | null;
  last_day: string | null;
  streak_run: number;
  current_streak: number;
  engagement_14d: number;
  phq9_total: number | null;
  phq9_at: string | null;
  gad7_total: number | null;
  gad7_at: string | null;
}

export interface RosterStateTable {
  clinic_id: string;
  time_zone: string;
  received_through: string;
  as_of_day: string;
}

export interface FhirExportJobsTable {
  id: string;
  clinic_id: string;
  requester_id: string;
  /** Resource types asked for, comma-separated. */
  types: string;
  since: string | null;
  transaction_time: string;
  expires_at: string;
  /** Resources per type once counted (JSON), null while the job is still counting. */
  counts: JsonColumn<Record<string, number>> | null;
}

/** SMART Backend Services clients of a clinic (migration 2026-12-02-006). */
export interface FhirClientsTable {
  client_id: string;
  clinic_id: string;
  name: string;
  /** JSON text: the client's public JWKS ({ keys: [...] }); or null with `jwks_url` set. */
  jwks: string | null;
  jwks_url: string | null;
  /** Space-separated SMART v2 system scopes the client may be granted. */
  scopes: string;
  created_at: string;
  disabled_at: string | null;
}

/** Assertion ids seen per client until the assertion's exp (replay refusal). */
export interface FhirAssertionJtisTable {
  client_id: string;
  jti: string;
  expires_at: string;
}

/** The secret access tokens are signed with, shared by every server process on the database. */
export interface FhirServerKeysTable {
  id: string;
  secret: string;
  created_at: string;
}

/** One row per `care person erase` (migration 2026-12-03-002): the person only as a hash, for idempotence. */
export interface ErasedPersonsTable {
  clinic_id: string;
  /** SHA-256 hex of `<clinic id>\n<person id>`. */
  person_hash: string;
  erased_at: string;
  /** Who ran the erasure (`cli:<os user>`). */
  erased_by: string;
  /** JSON: what was removed, counts per kind. */
  removed: JsonColumn<Record<string, number>>;
}

/** EHRs a clinic registered our widgets with as a SMART app (migration 2026-12-03-004). */
export interface SmartIssuersTable {
  clinic_id: string;
  /** The EHR's FHIR base URL, as the EHR sends it in `iss`. */
  iss: string;
  /** The OpenID issuer of the EHR's id_tokens when it is not `iss`. */
  openid_issuer: string | null;
  /** Our app's client id at the EHR: the id_token's `aud`. */
  client_id: string;
  /** Space-separated scopes the launch page requests. */
  scopes: string;
  /** JSON text: widget names shown after a launch. */
  launch_widgets: string;
  /** 1: write check-ins back to the EHR as QuestionnaireResponses. */
  write_back: number;
  created_at: string;
  disabled_at: string | null;
}

/** An EHR patient linked to our person in the clinic on first launch. */
export interface SmartPatientLinksTable {
  clinic_id: string;
  iss: string;
  ehr_patient_id: string;
  person_id: string;
  created_at: string;
}

/**
 * A member's "may be in danger" flag on another person of their group (migration 2026-12-03-220): who
 * flagged whom, through a board post or the live room, the optional note for the care team, the
 * urgent alert it raised, and when the flagged person saw their private notice.
 */
export interface DangerFlagsTable {
  id: string;
  clinic_id: string;
  group_id: string;
  flagger_id: string;
  flagged_id: string;
  via: 'post' | 'participant';
  post_id: string | null;
  /** The alias the flagged person was shown under when flagged (what moderators are told). */
  flagged_label: string;
  note: string | null;
  alert_id: string;
  created_at: string;
  /** When the flagged person dismissed their private notice. */
  seen_at: string | null;
  /** The on-call page for the flag, as crisis_requests.webhook_status (migration 2026-12-03-250; null before it). */
  webhook_status: 'not_configured' | 'pending' | 'delivered' | 'failed' | null;
}

/** A member's calendar subscription for a group (migration 2026-12-03-200); the URL's secret only as a hash. */
export interface GroupCalendarFeedsTable {
  token_hash: string;
  clinic_id: string;
  group_id: string;
  person_id: string;
  language: string;
  time_zone: string;
  /** The portal page the member joins from (origin and path only). */
  join_url: string | null;
  created_at: string;
}

/** A person removed from one session of a group's live room (migration 2026-12-03-210); refused a room token until session_end. */
export interface GroupSessionRemovalsTable {
  id: string;
  clinic_id: string;
  group_id: string;
  user_id: string;
  /** ISO-8601 UTC: the session the removal is for. */
  session_start: string;
  session_end: string;
  /** The moderator (staff or a moderator member) who removed them. */
  removed_by: string;
  /** The moderator's reason, if they gave one. */
  reason: string | null;
  created_at: string;
}

export type SmartWriteBackStatus = 'pending' | 'written' | 'refused';

/** What became of one check-in written back to an EHR (migration 2026-12-03-140). */
export interface SmartWriteBacksTable {
  clinic_id: string;
  check_in_id: string;
  /** The EHR's FHIR base URL (smart_issuers.iss). */
  iss: string;
  status: SmartWriteBackStatus;
  /** The EHR's HTTP status when it refused (or answered). */
  http_status: number | null;
  /** Why it was refused: `refused` (a 4xx from the EHR) or `token` (the access token could not be renewed). */
  reason: string | null;
  /** The EHR's message (OperationOutcome diagnostics), at most 300 characters. */
  detail: string | null;
  /** `QuestionnaireResponse/<id>` at the EHR once written. */
  ehr_resource: string | null;
  created_at: string;
  updated_at: string;
}

/** EHRs where a clinic registered our clinician app (migration 2026-12-03-150): the practitioner launch. */
export interface SmartPractitionerAppsTable {
  clinic_id: string;
  /** The EHR's FHIR base URL, as it sends it in `iss`. */
  iss: string;
  /** The OpenID issuer of its id_tokens when it is not `iss`. */
  openid_issuer: string | null;
  /** Our clinician app's client id at the EHR: the id_token's `aud`. */
  client_id: string;
  /** Space-separated scopes the clinician launch requests. */
  scopes: string;
  created_at: string;
  disabled_at: string | null;
}

/** An EHR practitioner linked by an administrator to a staff user of the clinic. */
export interface SmartPractitionerLinksTable {
  clinic_id: string;
  iss: string;
  ehr_practitioner_id: string;
  /** The staff user's id in the clinic (their portal tokens' `sub`). */
  user_id: string;
  created_at: string;
  /** Who linked it (`cli:<os user>`). */
  created_by: string;
}

/** A web origin (`scheme://host[:port]`) of one of a clinic's portals (migration 2026-12-03-001). */
export interface ClinicOriginsTable {
  clinic_id: string;
  origin: string;
  created_at: string;
}

/** One administrative change of a clinic: who, what, before and after (JSON; secrets never stored). */
export interface AdminChangesTable {
  id: string;
  clinic_id: string;
  /** `cli:<os user>` for the command line, `admin:<user id>` for the admin widget. */
  actor: string;
  action: string;
  before: JsonColumn<unknown> | null;
  after: JsonColumn<unknown> | null;
  at: string;
}

/** A clinic's own crisis line, served after its region's (migration 2026-12-03-110). */
export interface ClinicHotlinesTable {
  id: string;
  clinic_id: string;
  name: string;
  /** Digits to dial (tel: link), as the admin wrote them. */
  call: string | null;
  /** Number or short code for SMS. */
  text: string | null;
  /** https:// chat or information page. */
  url: string | null;
  hours: string;
  /** The language the line answers in (a widget language code). */
  language: string;
  created_at: string;
}

export interface Database {
  clinics: ClinicsTable;
  users: UsersTable;
  check_ins: CheckInsTable;
  alerts: AlertsTable;
  audit_log: AuditLogTable;
  sessions_attended: SessionsAttendedTable;
  check_in_days: CheckInDaysTable;
  roster_stats: RosterStatsTable;
  roster_state: RosterStateTable;
  recovery_starts: RecoveryStartsTable;
  modules_completed: ModulesCompletedTable;
  goals: GoalsTable;
  safety_plans: SafetyPlansTable;
  crisis_requests: CrisisRequestsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  video_configs: VideoConfigsTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  group_posts: GroupPostsTable;
  group_post_reports: GroupPostReportsTable;
  group_feedback: GroupFeedbackTable;
  fhir_export_jobs: FhirExportJobsTable;
  fhir_clients: FhirClientsTable;
  fhir_assertion_jtis: FhirAssertionJtisTable;
  fhir_server_keys: FhirServerKeysTable;
  erased_persons: ErasedPersonsTable;
  smart_issuers: SmartIssuersTable;
  smart_patient_links: SmartPatientLinksTable;
  group_calendar_feeds: GroupCalendarFeedsTable;
  group_session_removals: GroupSessionRemovalsTable;
  danger_flags: DangerFlagsTable;
  smart_write_backs: SmartWriteBacksTable;
  smart_practitioner_apps: SmartPractitionerAppsTable;
  smart_practitioner_links: SmartPractitionerLinksTable;
  clinic_origins: ClinicOriginsTable;
  admin_changes: AdminChangesTable;
  clinic_hotlines: ClinicHotlinesTable;
}
