import { TRPCError } from '@trpc/server';
import { acknowledgeAlertInput, listAlertsInput } from '../contract/index.js';
import { auditRead } from '../auth/audit.js';
import { acknowledgeAlert, listAlerts } from '../domain/alerts.js';
import { clientExists } from '../domain/users.js';
import { alertsOnChange } from '../live/procedures.js';
import { router, staffProcedure } from '../trpc.js';

export const alertsRouter = router({
  /** The clinic's alerts, or one client's (`clientId`, for a client record: audited even when there are none). */
  list: staffProcedure.input(listAlertsInput).query(async ({ ctx, input }) => {
    const clientId = input?.clientId;
    if (clientId !== undefined && !(await clientExists(ctx.db, ctx.principal.clinicId, clientId))) {
      throw new TRPCError({ code: 'NOT_FOUND', message: 'No such client' });
    }
    const page = await listAlerts(ctx.db, ctx.principal.clinicId, input ?? {});
    await auditRead(ctx.db, ctx.principal, 'alerts.list', clientId !== undefined ? [clientId] : page.items.map((a) => a.clientId));
    return page;
  }),
  acknowledge: staffProcedure
    .input(acknowledgeAlertInput)
    .mutation(({ ctx, input }) => acknowledgeAlert(ctx, ctx.principal, input)),
  /** Live updates over SSE: `{ kind, alertId }` when an alert of the clinic is created or acknowledged. */
  onChange: alertsOnChange,
});
