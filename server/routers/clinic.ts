import { TRPCError } from '@trpc/server';
import { ClinicAdminError, publicClinicSettings } from '../domain/clinic-settings.js';
import { authedProcedure, router } from '../trpc.js';

/** What every signed-in person's widgets may read of their own clinic (the token's; no input names one). */
export const clinicRouter = router({
  /** Name, default language and the languages the clinic offers: `<care-provider>` offers only those. */
  settings: authedProcedure.query(async ({ ctx }) => {
    try {
      return await publicClinicSettings(ctx.db, ctx.principal.clinicId);
    } catch (error) {
      if (error instanceof ClinicAdminError) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such clinic' });
      throw error;
    }
  }),
});
