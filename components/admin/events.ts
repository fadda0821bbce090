/** What `<care-admin>` saved: the section and what the server answered. */
export interface CareAdminSavedDetail {
  section: 'profile' | 'origins' | 'rules';
  /** For `origins`: the origin added or removed. */
  origin?: string;
  action: 'set' | 'add' | 'remove';
}

/** `care-admin-refused`: the server (or the form) refused values; each field named. */
export interface CareAdminRefusedDetail {
  section: 'profile' | 'origins' | 'rules';
  fields: string[];
}

/** `care-admin-previewed`: the 30-day rules preview arrived. */
export interface CareAdminPreviewedDetail {
  checkIns: number;
  levelChanged: number;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'care-admin-saved': CustomEvent<CareAdminSavedDetail>;
    'care-admin-refused': CustomEvent<CareAdminRefusedDetail>;
    'care-admin-previewed': CustomEvent<CareAdminPreviewedDetail>;
  }
}
