import { TRPCError } from '@trpc/server';
import {
  adminAuditInput,
  adminOriginInput,
  adminRulesInput,
  adminHotlineIdInput,
  adminHotlineInput,
  adminSetClinicInput,
  adminSetCrisisInput,
  type AdminAuditPage,
  type AdminChange,
} from '../contract/index.js';
import type { Principal } from '../auth/principal.js';
import { fromJsonOrNull } from '../db/json.js';
import {
  addOrigin,
  ClinicAdminError,
  listOrigins,
  removeOrigin,
  setClinic,
  setRules,
  showClinic,
  showRules,
  testRules,
  type AdminActor,
} from '../domain/clinic-settings.js';
import { addHotline, listHotlines, removeHotline, rotateWebhookSecret, setCrisis, showCrisis, testWebhook } from '../domain/clinic-crisis.js';
import { DEFAULT_RISK_RULES } from '../domain/risk.js';
import { adminProcedure, router } from '../trpc.js';

/** The domain names the lifetime after the command's flag; the procedure's input key is `maxTokenLifetimeS`. */
const FIELD_NAMES: Record<string, string> = { maxTokenLifetime: 'maxTokenLifetimeS' };

/**
 * A domain refusal as a tRPC error: a value → 400 whose `fieldErrors` name the input key (through
 * the error formatter, like a schema refusal); the admin's own clinic gone → 404.
 */
async function refusing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ClinicAdminError)) throw error;
    if (error.kind === 'not_found' && error.field === 'clinic') throw new TRPCError({ code: 'NOT_FOUND', message: 'No such clinic' });
    const [head = error.field, ...rest] = error.field.split('.');
    const path = [FIELD_NAMES[head] ?? head, ...rest];
    const message = error.message.startsWith(`${error.field} `) ? error.message.slice(error.field.length + 1) : error.message;
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: error.message,
      cause: Object.assign(new Error(error.message), { issues: [{ path, message }] }),
    });
  }
}

const actorOf = (principal: Principal): AdminActor => ({ kind: 'admin', principal });

/**
 * `<care-admin>`: the settings of the admin's own clinic. The clinic is always the token's
 * (`ctx.principal.clinicId`); no input names one. Every change is one transaction with an
 * `admin_changes` row (clinic-settings.ts).
 */
export const adminRouter = router({
  /** Profile, languages, templates, token lifetime, origins, how tokens are verified (never a secret). */
  clinic: adminProcedure.query(({ ctx }) => refusing(() => showClinic(ctx.db, actorOf(ctx.principal), ctx.principal.clinicId))),
  setClinic: adminProcedure
    .input(adminSetClinicInput)
    .mutation(({ ctx, input }) => refusing(() => setClinic(ctx.db, actorOf(ctx.principal), ctx.principal.clinicId, input))),
  origins: adminProcedure.query(async ({ ctx }) => ({
    origins: await refusing(() => listOrigins(ctx.db, actorOf(ctx.principal), ctx.principal.clinicId)),
  })),
  addOrigin: adminProcedure
    .input(adminOriginInput)
    .mutation(({ ctx, input }) => refusing(() => addOrigin(ctx.db, actorOf(ctx.principal), ctx.principal.clinicId, input.origin))),
  removeOrigin: adminProcedure
    .input(adminOriginInput)
    .mutation(({ ctx, input }) => refusing(() => removeOrigin(ctx.db, actorOf(ctx.principal), ctx.principal.clinicId, input.origin))),
  /** The stored rules document, the rules in force, and the server's defaults. */
  rules: adminProcedure.query(async ({ ctx }) => ({
    ...(await refusing(() => showRules(ctx.db, actorOf(ctx.principal), ctx.principal.clinicId))),
    defaults: DEFAULT_RISK_RULES,
  })),
  /** What the given rules would have flagged over the last 30 days of check-ins (counts per level and reason); changes nothing. */
  previewRules: adminProcedure
    .input(adminRulesInput)
    .query(({ ctx, input }) => refusing(() => testRules(ctx.db, actorOf(ctx.principal), ctx.principal.clinicId, input.rules))),
  setRules: adminProcedure
    .input(adminRulesInput)
    .mutation(({ ctx, input }) => refusing(() => setRules(ctx.db, actorOf(ctx.principal), ctx.principal.clinicId, input.rules))),
  /** On-call hours, time zone and phone; the crisis webhook URL and whether its signing secret is set (never the secret). */
  crisis: adminProcedure.query(({ ctx }) => refusing(() => showCrisis(ctx.db, actorOf(ctx.principal), ctx.principal.clinicId))),
  /** Changes the given crisis settings; a first webhook URL also creates the webhook secret, returned once as `webhookSecret`. */
  setCrisis: adminProcedure
    .input(adminSetCrisisInput)
    .mutation(({ ctx, input }) => refusing(() => setCrisis(ctx.db, actorOf(ctx.principal), ctx.principal.clinicId, input))),
  /** Sends one signed test alert (`X-Care-Event: crisis.test`, no person, no alert opened) and answers with what the receiver said. */
  testCrisisWebhook: adminProcedure.mutation(({ ctx }) =>
    refusing(() => testWebhook(ctx.db, actorOf(ctx.principal), ctx.principal.clinicId, ctx.webhooks.options.timeoutMs)),
  ),
  /** A new webhook signing secret, returned once; signatures with the old one stop at once. */
  rotateCrisisSecret: adminProcedure.mutation(({ ctx }) => refusing(() => rotateWebhookSecret(ctx.db, actorOf(ctx.principal), ctx.principal.clinicId))),
  /** The region's crisis lines (read-only) and the clinic's own additions. */
  hotlines: adminProcedure.query(({ ctx }) => refusing(() => listHotlines(ctx.db, actorOf(ctx.principal), ctx.principal.clinicId))),
  addHotline: adminProcedure
    .input(adminHotlineInput)
    .mutation(({ ctx, input }) => refusing(() => addHotline(ctx.db, actorOf(ctx.principal), ctx.principal.clinicId, input))),
  removeHotline: adminProcedure
    .input(adminHotlineIdInput)
    .mutation(({ ctx, input }) => refusing(() => removeHotline(ctx.db, actorOf(ctx.principal), ctx.principal.clinicId, input.id))),
  /** The clinic's admin changes (widget and command line), newest first, paged. */
  audit: adminProcedure.input(adminAuditInput).query(async ({ ctx, input }): Promise<AdminAuditPage> => {
    const offset = input?.cursor ?? 0;
    const limit = input?.limit ?? 20;
    const rows = await ctx.db
      .selectFrom('admin_changes')
      .selectAll()
      .where('clinic_id', '=', ctx.principal.clinicId)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .offset(offset)
      .execute();
    const items: AdminChange[] = rows.slice(0, limit).map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor,
      action: r.action,
      before: fromJsonOrNull(r.before),
      after: fromJsonOrNull(r.after),
    }));
    return { items, nextCursor: rows.length > limit ? offset + limit : null };
  }),
});
