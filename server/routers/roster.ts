import { rosterListInput } from '../contract/index.js';
import { auditRead } from '../auth/audit.js';
import { listRoster } from '../domain/roster.js';
import { router, staffProcedure } from '../trpc.js';

export const rosterRouter = router({
  /** The clinic's clients with engagement; one audit row per client on the page. */
  list: staffProcedure.input(rosterListInput).query(async ({ ctx, input }) => {
    const page = await listRoster(ctx.db, ctx.principal.clinicId, input ?? {});
    await auditRead(ctx.db, ctx.principal, 'roster.list', page.items.map((i) => i.clientId));
    return page;
  }),
});
