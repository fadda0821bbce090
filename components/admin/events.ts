/** What `<care-admin>` saved: the section and what the server answered. */
export interface CareAdminSavedDetail {
  section: 'profile' | 'origins' | 'rules' | 'crisis' | 'hotlines';
  /** For `origins`: the origin added or removed. */
  origin?: string;
  action: 'set' | 'add' | 'remove' | 'rotate';
}

/** `care-admin-refused`: the server (or the form) refused values; each field named. */
export interface CareAdminRefusedDetail {
  section: 'profile' | 'origins' | 'rules' | 'crisis' | 'hotlines';
  fields: string[];
}

/** `care-admin-previewed`: the 30-day rules preview arrived. */
export interface CareAdminPreviewedDetail {
  checkIns: number;
  levelChanged: number;
}

/** `care-admin-webhook-tested`: a test alert went to the crisis webhook; what the receiver answered. */
export interface CareAdminWebhookTestedDetail {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'care-admin-saved': CustomEvent<CareAdminSavedDetail>;
    'care-admin-refused': CustomEvent<CareAdminRefusedDetail>;
    'care-admin-previewed': CustomEvent<CareAdminPreviewedDetail>;
    'care-admin-webhook-tested': CustomEvent<CareAdminWebhookTestedDetail>;
  }
}
