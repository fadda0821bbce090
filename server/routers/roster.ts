import { rosterListInput } from '../contract/index.js';
import { auditedRead } from '../auth/subject.js';
import { listRoster } from '../domain/roster.js';
import { router, staffProcedure } from '../trpc.js';

export const rosterRouter = router({
  /** The clinic's clients with engagement; one audit row per client on the page. */
  list: staffProcedure.input(rosterListInput).query(({ ctx, input }) =>
    auditedRead(
      ctx.db,
      ctx.principal,
      { action: 'roster.list' },
      () => listRoster(ctx.db, ctx.principal.clinicId, input ?? {}),
      (page) => page.items.map((i) => i.clientId),
    ),
  ),
});
