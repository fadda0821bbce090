import { listSessionsInput, progressSummaryInput, recordModuleInput, saveGoalInput, setRecoveryStartInput } from '../contract/index.js';
import { auditedPersonRead, subjectOf } from '../auth/subject.js';
import { progressSummary, recordModule, saveGoal, setRecoveryStart } from '../domain/progress.js';
import { listSessions } from '../domain/sessions.js';
import { authedProcedure, clientProcedure, router, staffProcedure } from '../trpc.js';

export const progressRouter = router({
  /** A client's own progress; staff name a client of their clinic and the read is audited. */
  summary: authedProcedure.input(progressSummaryInput).query(({ ctx, input }) =>
    auditedPersonRead(ctx.db, ctx.principal, { action: 'progress.summary', clientId: input?.clientId, required: 'the care team reads progress' }, (clientId) =>
      progressSummary(ctx.db, ctx.principal.clinicId, clientId, input?.timeZone),
    ),
  ),

  /** Support-group and telehealth sessions attended, newest first: a client's own, or (audited) a client of the caller's clinic. */
  sessions: authedProcedure.input(listSessionsInput).query(({ ctx, input }) =>
    auditedPersonRead(ctx.db, ctx.principal, { action: 'progress.sessions', clientId: input?.clientId, required: 'the care team reads sessions' }, (clientId) =>
      listSessions(ctx.db, ctx.principal.clinicId, clientId, { limit: input?.limit, cursor: input?.cursor }),
    ),
  ),

  setRecoveryStart: clientProcedure
    .input(setRecoveryStartInput)
    .mutation(({ ctx, input }) => setRecoveryStart(ctx.db, ctx.principal, input)),

  saveGoal: clientProcedure.input(saveGoalInput).mutation(({ ctx, input }) => saveGoal(ctx.db, ctx.principal, input)),

  /** Staff record a module for a client of their clinic (a write: not audited as a read). */
  recordModule: staffProcedure.input(recordModuleInput).mutation(async ({ ctx, input }) => {
    await subjectOf(ctx.db, ctx.principal, input.clientId);
    return recordModule(ctx.db, ctx.principal, input);
  }),
});
