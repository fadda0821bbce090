import { getSafetyPlanInput, saveSafetyPlanInput } from '../contract/index.js';
import { auditRead } from '../auth/audit.js';
import { isStaff } from '../auth/principal.js';
import { getSafetyPlan, planOwner, saveSafetyPlan } from '../domain/safety-plans.js';
import { authedProcedure, router } from '../trpc.js';

export const safetyPlanRouter = router({
  /** A client reads their own plan; staff read a client's plan of their clinic (audited). */
  get: authedProcedure.input(getSafetyPlanInput).query(async ({ ctx, input }) => {
    const clientId = await planOwner(ctx.db, ctx.principal, input?.clientId);
    const view = await getSafetyPlan(ctx.db, ctx.principal.clinicId, clientId, input?.version);
    if (isStaff(ctx.principal)) await auditRead(ctx.db, ctx.principal, 'safetyPlan.get', [clientId]);
    return view;
  }),
  /** Every save is a new version. A client's save is their plan; staff save a suggestion for the client. */
  save: authedProcedure.input(saveSafetyPlanInput).mutation(async ({ ctx, input }) => {
    const clientId = await planOwner(ctx.db, ctx.principal, input.clientId);
    const saved = await saveSafetyPlan(ctx.db, ctx.principal, clientId, input);
    if (isStaff(ctx.principal)) await auditRead(ctx.db, ctx.principal, 'safetyPlan.suggest', [clientId]);
    return saved;
  }),
});
