/** Every date is an ISO-8601 string; JSON columns are text so SQLite and PostgreSQL agree. */
export interface ClinicsTable {
  id: string;
  name: string;
  hs256_secret: string | null;
  jwks_url: string | null;
  region: string;
  default_locale: string;
  /** JSON: Partial<RiskRules>. */
  risk_rules: string | null;
  /** JSON: TemplateId[]. */
  enabled_templates: string;
  created_at: string;
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
  answers: string;
  /** JSON: Score | null. */
  score: string | null;
  risk_level: 'none' | 'elevated' | 'urgent';
  /** JSON: RiskReason[]. */
  risk_reasons: string;
  submitted_at: string;
  received_at: string;
}

export interface AlertsTable {
  id: string;
  clinic_id: string;
  client_id: string;
  check_in_id: string | null;
  source: 'check_in' | 'crisis';
  level: 'elevated' | 'urgent';
  /** JSON: RiskReason[]. */
  reasons: string;
  created_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  ack_note: string | null;
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

export interface Database {
  clinics: ClinicsTable;
  users: UsersTable;
  check_ins: CheckInsTable;
  alerts: AlertsTable;
  audit_log: AuditLogTable;
  sessions_attended: SessionsAttendedTable;
}
