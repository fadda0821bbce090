import { crisisAlertInput, crisisResourcesInput } from '../contract/index.js';
import { crisisResources, raiseCrisisAlert } from '../domain/crisis.js';
import { authedProcedure, clientProcedure, router } from '../trpc.js';

export const crisisRouter = router({
  /** Anyone with a token: lines for the region and language, on-call hours, and (for a client) their plan's contacts. */
  resources: authedProcedure.input(crisisResourcesInput).query(({ ctx, input }) => crisisResources(ctx.db, ctx.principal, input ?? {})),
  /** A client asks their care team for help now. Answers at once; the clinic's webhook is notified in the background. */
  alert: clientProcedure.input(crisisAlertInput).mutation(({ ctx, input }) => raiseCrisisAlert(ctx, ctx.principal, input)),
});
