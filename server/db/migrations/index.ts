import type { Migration } from 'kysely/migration';
import * as initial from './2026-11-25-001-initial.js';
import * as sessions from './2026-11-25-002-sessions.js';
import * as progress from './2026-11-25-003-progress.js';
import * as crisisSafetyPlan from './2026-11-25-004-crisis-safety-plan.js';
import * as groups from './2026-11-25-005-groups.js';
import * as clinician from './2026-11-25-006-clinician.js';
import * as tokenLifetime from './2026-12-02-001-token-lifetime.js';
import * as crisisCollapse from './2026-12-02-002-crisis-collapse.js';
import * as aliasSkeleton from './2026-12-02-003-alias-skeleton.js';
import * as oneAlertPerCheckIn from './2026-12-02-004-one-alert-per-check-in.js';
import * as rateLimits from './2026-12-02-005-rate-limits.js';
import * as fhirClients from './2026-12-02-006-fhir-clients.js';
import * as fhirExportJobs from './2026-12-02-007-fhir-export-jobs.js';
import * as clinicAdmin from './2026-12-03-001-clinic-admin.js';
import * as personErase from './2026-12-03-002-person-erase.js';
import * as smart from './2026-12-03-004-smart.js';
import * as clinicHotlines from './2026-12-03-110-clinic-hotlines.js';
import * as videoProviders from './2026-12-03-120-video-providers.js';
import * as smartWriteBack from './2026-12-03-140-smart-write-back.js';
import * as smartPractitioner from './2026-12-03-150-smart-practitioner.js';
import * as instrumentProvenance from './2026-12-03-160-instrument-provenance.js';
import * as bamUseSubscale from './2026-12-03-170-bam-use-subscale.js';
import * as groupCalendarFeeds from './2026-12-03-200-group-calendar-feeds.js';
import * as groupSessionRemovals from './2026-12-03-210-group-session-removals.js';
import * as dangerFlags from './2026-12-03-220-danger-flags.js';
import * as smartOnlineAccess from './2026-12-03-230-smart-online-access.js';
import * as bamItem5Skip from './2026-12-03-240-bam-item5-skip.js';
import * as dangerFlagPaging from './2026-12-03-250-danger-flag-paging.js';
import * as smartClinicianOnlineAccess from './2026-12-03-260-smart-clinician-online-access.js';

/** Forward-only, applied in name order at start-up. Add a file, then list it here. */
export const migrations: Record<string, Migration> = {
  '2026-11-25-001-initial': initial,
  '2026-11-25-002-sessions': sessions,
  '2026-11-25-003-progress': progress,
  '2026-11-25-004-crisis-safety-plan': crisisSafetyPlan,
  '2026-11-25-005-groups': groups,
  '2026-11-25-006-clinician': clinician,
  '2026-12-02-001-token-lifetime': tokenLifetime,
  '2026-12-02-002-crisis-collapse': crisisCollapse,
  '2026-12-02-003-alias-skeleton': aliasSkeleton,
  '2026-12-02-004-one-alert-per-check-in': oneAlertPerCheckIn,
  '2026-12-02-005-rate-limits': rateLimits,
  '2026-12-02-006-fhir-clients': fhirClients,
  '2026-12-02-007-fhir-export-jobs': fhirExportJobs,
  '2026-12-03-001-clinic-admin': clinicAdmin,
  '2026-12-03-002-person-erase': personErase,
  '2026-12-03-004-smart': smart,
  '2026-12-03-110-clinic-hotlines': clinicHotlines,
  '2026-12-03-120-video-providers': videoProviders,
  '2026-12-03-140-smart-write-back': smartWriteBack,
  '2026-12-03-150-smart-practitioner': smartPractitioner,
  '2026-12-03-160-instrument-provenance': instrumentProvenance,
  '2026-12-03-170-bam-use-subscale': bamUseSubscale,
  '2026-12-03-200-group-calendar-feeds': groupCalendarFeeds,
  '2026-12-03-210-group-session-removals': groupSessionRemovals,
  '2026-12-03-220-danger-flags': dangerFlags,
  '2026-12-03-230-smart-online-access': smartOnlineAccess,
  '2026-12-03-240-bam-item5-skip': bamItem5Skip,
  '2026-12-03-250-danger-flag-paging': dangerFlagPaging,
  '2026-12-03-260-smart-clinician-online-access': smartClinicianOnlineAccess,
};
