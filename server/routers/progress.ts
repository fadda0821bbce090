import { TRPCError } from '@trpc/server';
import { listSessionsInput, progressSummaryInput, recordModuleInput, saveGoalInput, setRecoveryStartInput } from '../contract/index.js';
import { auditRead } from '../auth/audit.js';
import { isStaff } from '../auth/principal.js';
import { progressSummary, recordModule, saveGoal, setRecoveryStart } from '../domain/progress.js';
import { listSessions } from '../domain/sessions.js';
import { clientExists } from '../domain/users.js';
import { authedProcedure, clientProcedure, router, staffProcedure } from '../trpc.js';

const noSuchClient = () => new TRPCError({ code: 'NOT_FOUND', message: 'No such client' });

export const progressRouter = router({
  /** A client's own progress; staff name a client of their clinic and the read is audited. */
  summary: authedProcedure.input(progressSummaryInput).query(async ({ ctx, input }) => {
    const { principal, db } = ctx;
    const { clientId, timeZone } = input ?? {};
    if (!isStaff(principal)) {
      if (clientId !== undefined && clientId !== principal.userId) throw noSuchClient();
      return progressSummary(db, principal.clinicId, principal.userId, timeZone);
    }
    if (clientId === undefined) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: 'Invalid input: clientId: Required when the care team reads progress' });
    }
    if (!(await clientExists(db, principal.clinicId, clientId))) throw noSuchClient();
    const summary = await progressSummary(db, principal.clinicId, clientId, timeZone);
    await auditRead(db, principal, 'progress.summary', [clientId]);
    return summary;
  }),

  /** Support-group and telehealth sessions attended, newest first: a client's own, or (audited) a client of the caller's clinic. */
  sessions: authedProcedure.input(listSessionsInput).query(async ({ ctx, input }) => {
    const { principal, db } = ctx;
    const { clientId, limit, cursor } = input ?? {};
    if (!isStaff(principal)) {
      if (clientId !== undefined && clientId !== principal.userId) throw noSuchClient();
      return listSessions(db, principal.clinicId, principal.userId, { limit, cursor });
    }
    if (clientId === undefined) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: 'Invalid input: clientId: Required when the care team reads sessions' });
    }
    if (!(await clientExists(db, principal.clinicId, clientId))) throw noSuchClient();
    const page = await listSessions(db, principal.clinicId, clientId, { limit, cursor });
    await auditRead(db, principal, 'progress.sessions', [clientId]);
    return page;
  }),

  setRecoveryStart: clientProcedure
    .input(setRecoveryStartInput)
    .mutation(({ ctx, input }) => setRecoveryStart(ctx.db, ctx.principal, input)),

  saveGoal: clientProcedure.input(saveGoalInput).mutation(({ ctx, input }) => saveGoal(ctx.db, ctx.principal, input)),

  recordModule: staffProcedure.input(recordModuleInput).mutation(async ({ ctx, input }) => {
    if (!(await clientExists(ctx.db, ctx.principal.clinicId, input.clientId))) throw noSuchClient();
    return recordModule(ctx.db, ctx.principal, input);
  }),
});
