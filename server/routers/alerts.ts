import { acknowledgeAlertInput, alertsOnChangeInput, listAlertsInput, type AlertChange } from '../contract/index.js';
import { auditedRead } from '../auth/subject.js';
import { acknowledgeAlert, listAlerts } from '../domain/alerts.js';
import { alertsChannel } from '../live/bus.js';
import { liveEvents, withStreamSlot } from '../live/events.js';
import { router, staffProcedure } from '../trpc.js';

const alertKinds = new Set<string>(['created', 'updated', 'acknowledged', 'resync']);

/**
 * `alerts.onChange`: the caller's clinic's alerts changed (`{ kind, alertId }`). The widget
 * refetches `alerts.list`, which is where reads are authorised and audited.
 */
const onChange = staffProcedure.input(alertsOnChangeInput).subscription(async function* ({ ctx, signal }) {
  yield* withStreamSlot(ctx, () => liveEvents<AlertChange>(
    ctx.bus,
    alertsChannel(ctx.principal.clinicId),
    signal,
    ctx.principal.expiresAt,
    (p) => (p.kind && alertKinds.has(p.kind) ? { kind: p.kind as AlertChange['kind'], alertId: p.kind === 'resync' ? null : (p.id ?? null) } : null),
    { kind: 'ready', alertId: null },
    { kind: 'resync', alertId: null },
  ));
});

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
    .mutation(({ ctx, input }) => acknowledgeAlert(ctx, ctx.principal, input)),
  /** Live updates over SSE: `{ kind, alertId }` when an alert of the clinic is created or acknowledged. */
  onChange,
});
