import { listCheckInsInput, submitCheckInInput, TEMPLATE_IDS, TEMPLATES, type TemplateId } from '../contract/index.js';
import { auditedRead } from '../auth/subject.js';
import { fromJson, fromJsonOrNull } from '../db/json.js';
import { listCheckIns, submitCheckIn } from '../domain/check-ins.js';
import { authedProcedure, clientProcedure, router } from '../trpc.js';

export const checkInRouter = router({
  templates: authedProcedure.query(async ({ ctx }) => {
    const clinic = await ctx.db
      .selectFrom('clinics')
      .select(['enabled_templates', 'region', 'default_locale', 'unverified_translations'])
      .where('id', '=', ctx.principal.clinicId)
      .executeTakeFirstOrThrow();
    const enabled = fromJson(clinic.enabled_templates).filter((id): id is TemplateId =>
      (TEMPLATE_IDS as readonly string[]).includes(id),
    );
    return {
      region: clinic.region,
      defaultLocale: clinic.default_locale,
      templates: enabled.map((id) => TEMPLATES[id]),
      /**
       * The unverified instrument translations the clinic shows anyway (`phq9:ar`); every other
       * unverified one (a template's `provenance`) is replaced by the published English form.
       */
      unverifiedTranslations: fromJsonOrNull<string[]>(clinic.unverified_translations) ?? [],
    };
  }),

  submit: clientProcedure.input(submitCheckInInput).mutation(({ ctx, input }) => submitCheckIn(ctx, ctx.principal, input)),

  /** A client's own check-ins; staff name a client of their clinic or read clinic-wide (audited per client read). */
  list: authedProcedure.input(listCheckInsInput).query(({ ctx, input }) => {
    const { clientId, templateId, limit, cursor } = input ?? {};
    return auditedRead(
      ctx.db,
      ctx.principal,
      { action: 'checkIn.list', clientId },
      (subject) => listCheckIns(ctx.db, ctx.principal.clinicId, { clientId: subject, templateId }, { limit, cursor }),
      (page) => page.items.map((i) => i.clientId),
    );
  }),
});
