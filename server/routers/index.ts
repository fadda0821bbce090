import { router } from '../trpc.js';
import { adminRouter } from './admin.js';
import { alertsRouter } from './alerts.js';
import { checkInRouter } from './check-ins.js';
import { clinicRouter } from './clinic.js';
import { crisisRouter } from './crisis.js';
import { fhirClientsRouter } from './fhir-clients.js';
import { groupsRouter } from './groups.js';
import { healthProcedure } from './health.js';
import { outcomesRouter } from './outcomes.js';
import { progressRouter } from './progress.js';
import { rosterRouter } from './roster.js';
import { safetyPlanRouter } from './safety-plans.js';
import { smartWriteBackRouter } from './smart-write-back.js';

export const appRouter = router({
  health: healthProcedure,
  checkIn: checkInRouter,
  alerts: alertsRouter,
  progress: progressRouter,
  crisis: crisisRouter,
  safetyPlan: safetyPlanRouter,
  groups: groupsRouter,
  roster: rosterRouter,
  outcomes: outcomesRouter,
  fhirClients: fhirClientsRouter,
  admin: adminRouter,
  smartWriteBack: smartWriteBackRouter,
  clinic: clinicRouter,
});

export type AppRouter = typeof appRouter;
