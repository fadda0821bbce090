import { getSafetyPlanInput, saveSafetyPlanInput } from '../contract/index.js';
import { auditedPersonRead } from '../auth/subject.js';
import { getSafetyPlan, saveSafetyPlan } from '../domain/safety-plans.js';
import { authedProcedure, router } from '../trpc.js';

export const safetyPlanRouter = router({
  /** A client reads their own plan; staff read a client's plan of their clinic (audited). */
  get: authedProcedure.input(getSafetyPlanInput).query(({ ctx, input }) =>
    auditedPersonRead(ctx.db, ctx.principal, { action: 'safetyPlan.get', clientId: input?.clientId, required: 'staff open a safety plan' }, (clientId) =>
      getSafetyPlan(ctx.db, ctx.principal.clinicId, clientId, input?.version),
    ),
  ),
  /** Every save is a new version. A client's save is their plan; staff save a suggestion for the client (audited: it answers with the plan). */
  save: authedProcedure.input(saveSafetyPlanInput).mutation(({ ctx, input }) =>
    auditedPersonRead(ctx.db, ctx.principal, { action: 'safetyPlan.suggest', clientId: input.clientId, required: 'staff open a safety plan' }, (clientId) =>
      saveSafetyPlan(ctx.db, ctx.principal, clientId, input),
    ),
  ),
});
