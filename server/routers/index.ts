import { router } from '../trpc.js';
import { alertsRouter } from './alerts.js';
import { checkInRouter } from './check-in.js';
import { healthProcedure } from './health.js';

export const appRouter = router({
  health: healthProcedure,
  checkIn: checkInRouter,
  alerts: alertsRouter,
});

export type AppRouter = typeof appRouter;
