import { prepareWriteBack, prepareWriteBackInput, reportWriteBack, reportWriteBackInput } from '../smart/write-back.js';
import { clientProcedure, router } from '../trpc.js';

/**
 * SMART write-back (issue 17), called by the launch page with the person's care token:
 * `prepare` answers the QuestionnaireResponse to create at the EHR (subject = the EHR's Patient) and
 * its If-None-Exist header, 412 when the clinic turned write-back off for that EHR; `report` records
 * the EHR's answer (`written`, or `refused` with its status and message), which clinicians see on the check-in.
 */
export const smartWriteBackRouter = router({
  prepare: clientProcedure.input(prepareWriteBackInput).mutation(({ ctx, input }) => prepareWriteBack(ctx.db, ctx.principal, input)),
  report: clientProcedure.input(reportWriteBackInput).mutation(({ ctx, input }) => reportWriteBack(ctx.db, ctx.principal, input)),
});
