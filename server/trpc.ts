import { initTRPC, TRPCError } from '@trpc/server';
import { ROLES, type Principal, type Role } from './auth/principal.js';
import { isRefusedToken, type TokenVerifier } from './auth/verify-token.js';
import type { StreamSlots } from './live/stream-slots.js';
import type { Services } from './services.js';
import { findUnsafeText } from './unsafe-text.js';

/** Per request: the server's services (built once by createApp) and what this request brought. */
export interface Context extends Services {
  verifier: TokenVerifier;
  authorization: string | undefined;
  version: string;
  /** Caps on open live-update streams. */
  streams: StreamSlots;
  /** The request's token as a rate-limit key (a hash), or null without one. */
  tokenKey: string | null;
  /** Counts this request's refused token as a failed sign-in of its address (once per request). */
  onRefusedToken(): Promise<void>;
}

export interface FieldError {
  path: string;
  message: string;
}

function pathOf(segments: readonly unknown[] | undefined): string {
  return (segments ?? [])
    .map((s) => (typeof s === 'object' && s !== null && 'key' in s ? (s as { key: PropertyKey }).key : s))
    .map(String)
    .join('.');
}

/** Standard-schema issues (zod/mini) carried as the cause of tRPC's BAD_REQUEST. */
function fieldErrorsOf(error: TRPCError): FieldError[] | null {
  const issues = (error.cause as { issues?: { path?: unknown[]; message: string; keys?: string[] }[] } | undefined)?.issues;
  if (!Array.isArray(issues)) return null;
  return issues.flatMap((issue) =>
    // Unknown keys are reported once per key so the message names the field the caller sent.
    (issue.keys?.length ? issue.keys.map((key) => [...(issue.path ?? []), key]) : [issue.path]).map((path) => ({
      path: pathOf(path) || '(input)',
      message: issue.keys?.length ? 'Unrecognized field' : issue.message,
    })),
  );
}

/** Procedure metadata: which roles may call it. Public procedures have no `roles`. */
export interface ProcedureMeta {
  roles?: readonly Role[];
}

const t = initTRPC.context<Context>().meta<ProcedureMeta>().create({
  // Subscriptions over SSE: pings keep proxies from closing idle streams; a client that hears
  // nothing for 45 s reconnects; a stream lasts at most 30 minutes, so a reconnect re-checks the token.
  sse: {
    ping: { enabled: true, intervalMs: 15_000 },
    client: { reconnectAfterInactivityMs: 45_000 },
    maxDurationMs: 30 * 60_000,
  },
  errorFormatter({ shape, error }) {
    const fieldErrors = error.code === 'BAD_REQUEST' ? fieldErrorsOf(error) : null;
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    const message = fieldErrors
      ? `Invalid input: ${fieldErrors.map((f) => `${f.path}: ${f.message}`).join('; ')}`
      : internal
        ? 'Something went wrong on the server'
        : shape.message;
    const { stack: _stack, ...data } = shape.data;
    return { ...shape, message, data: { ...data, fieldErrors } };
  },
});

export const router = t.router;

/**
 * Every procedure refuses text no database keeps faithfully (NUL, lone surrogates) with a 400 that
 * names the field, before any schema or query sees it.
 */
export const publicProcedure = t.procedure.use(async ({ getRawInput, next }) => {
  const unsafe = findUnsafeText(await getRawInput());
  if (unsafe.length > 0) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'Invalid input', cause: Object.assign(new Error('Invalid input'), { issues: unsafe.map((f) => ({ path: f.path.split('.'), message: f.message })) }) });
  }
  return next();
});

/**
 * Verifies the bearer token once and checks the procedure's `meta.roles`; everything behind it reads
 * the clinic only from `ctx.principal`. The roles live in metadata so tests can read them from the router.
 */
export const authedProcedure = publicProcedure
  .meta({ roles: ROLES })
  .use(async ({ ctx, meta, next }) => {
    let principal: Principal;
    try {
      principal = await ctx.verifier.verify(ctx.authorization);
    } catch (error) {
      // Counted before the 401 goes out, so the next guess already meets the count (on every server).
      if (isRefusedToken(error)) await ctx.onRefusedToken();
      throw error;
    }
    const roles = meta?.roles ?? ROLES;
    if (!roles.includes(principal.role)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `This needs the ${roles.join(' or ')} role` });
    }
    return next({ ctx: { principal } });
  });

export const clientProcedure = authedProcedure.meta({ roles: ['client'] });
export const staffProcedure = authedProcedure.meta({ roles: ['clinician', 'admin'] });
export const adminProcedure = authedProcedure.meta({ roles: ['admin'] });
