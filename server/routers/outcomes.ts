import { outcomesReportInput } from '../contract/index.js';
import { outcomesReport } from '../domain/outcomes.js';
import { router, staffProcedure } from '../trpc.js';

export const outcomesRouter = router({
  /** Clinic-wide monthly aggregates: no one client's data, so no audit row. */
  report: staffProcedure.input(outcomesReportInput).query(({ ctx, input }) => outcomesReport(ctx.db, ctx.principal.clinicId, input ?? {})),
});
