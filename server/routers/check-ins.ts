import { TRPCError } from '@trpc/server';
import { listCheckInsInput, submitCheckInInput, TEMPLATE_IDS, TEMPLATES, type TemplateId } from '../contract/index.js';
import { auditRead } from '../auth/audit.js';
import { isStaff } from '../auth/principal.js';
import { listCheckIns, submitCheckIn } from '../domain/check-ins.js';
import { clientExists } from '../domain/users.js';
import { authedProcedure, clientProcedure, router } from '../trpc.js';

export const checkInRouter = router({
  templates: authedProcedure.query(async ({ ctx }) => {
    const clinic = await ctx.db
      .selectFrom('clinics')
      .select(['enabled_templates', 'region', 'default_locale'])
      .where('id', '=', ctx.principal.clinicId)
      .executeTakeFirstOrThrow();
    const enabled = (JSON.parse(clinic.enabled_templates) as string[]).filter((id): id is TemplateId =>
      (TEMPLATE_IDS as readonly string[]).includes(id),
    );
    return {
      region: clinic.region,
      defaultLocale: clinic.default_locale,
      templates: enabled.map((id) => TEMPLATES[id]),
    };
  }),

  submit: clientProcedure.input(submitCheckInInput).mutation(({ ctx, input }) => submitCheckIn(ctx, ctx.principal, input)),

  list: authedProcedure.input(listCheckInsInput).query(async ({ ctx, input }) => {
    const { principal, db } = ctx;
    const { clientId, templateId, limit, cursor } = input ?? {};
    if (!isStaff(principal)) {
      // A client sees only their own; asking for someone else's looks the same as asking for nobody.
      if (clientId !== undefined && clientId !== principal.userId) {
        throw new TRPCError({ code: 'NOT_FOUND', message: 'No such client' });
      }
      return listCheckIns(db, principal.clinicId, { clientId: principal.userId, templateId }, { limit, cursor });
    }
    if (clientId !== undefined && !(await clientExists(db, principal.clinicId, clientId))) {
      throw new TRPCError({ code: 'NOT_FOUND', message: 'No such client' });
    }
    const page = await listCheckIns(db, principal.clinicId, { clientId, templateId }, { limit, cursor });
    await auditRead(db, principal, 'checkIn.list', page.items.map((i) => i.clientId));
    return page;
  }),
});
