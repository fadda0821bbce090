import { acknowledgeAlertInput, listAlertsInput } from '../contract/index.js';
import { auditRead } from '../auth/audit.js';
import { acknowledgeAlert, listAlerts } from '../domain/alerts.js';
import { alertsOnChange } from '../live/procedures.js';
import { router, staffProcedure } from '../trpc.js';

export const alertsRouter = router({
  list: staffProcedure.input(listAlertsInput).query(async ({ ctx, input }) => {
    const page = await listAlerts(ctx.db, ctx.principal.clinicId, input ?? {});
    await auditRead(ctx.db, ctx.principal, 'alerts.list', page.items.map((a) => a.clientId));
    return page;
  }),
  acknowledge: staffProcedure
    .input(acknowledgeAlertInput)
    .mutation(({ ctx, input }) => acknowledgeAlert(ctx.db, ctx.principal, input)),
  /** Live updates over SSE: `{ kind, alertId }` when an alert of the clinic is created or acknowledged. */
  onChange: alertsOnChange,
});
