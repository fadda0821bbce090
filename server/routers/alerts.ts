import { acknowledgeAlertInput, listAlertsInput } from '../contract/index.js';
import { auditedRead } from '../auth/subject.js';
import { acknowledgeAlert, listAlerts } from '../domain/alerts.js';
import { alertsOnChange } from '../live/procedures.js';
import { router, staffProcedure } from '../trpc.js';

export const alertsRouter = router({
  /** The clinic's alerts, or one client's (`clientId`, for a client record: audited even when there are none). */
  list: staffProcedure.input(listAlertsInput).query(({ ctx, input }) =>
    auditedRead(
      ctx.db,
      ctx.principal,
      { action: 'alerts.list', clientId: input?.clientId },
      (clientId) => listAlerts(ctx.db, ctx.principal.clinicId, { ...input, clientId }),
      (page) => page.items.map((a) => a.clientId),
    ),
  ),
  acknowledge: staffProcedure
    .input(acknowledgeAlertInput)
    .mutation(({ ctx, input }) => acknowledgeAlert(ctx.db, ctx.principal, input)),
  /** Live updates over SSE: `{ kind, alertId }` when an alert of the clinic is created or acknowledged. */
  onChange: alertsOnChange,
});
