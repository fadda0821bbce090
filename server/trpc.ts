import { initTRPC, TRPCError } from '@trpc/server';
import type { Logger } from 'pino';
import type { Principal, Role } from './auth/principal.js';
import type { TokenVerifier } from './auth/verify-token.js';
import type { Db } from './db/index.js';

export interface Context {
  db: Db;
  log: Logger;
  verifier: TokenVerifier;
  authorization: string | undefined;
  version: string;
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

const t = initTRPC.context<Context>().create({
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
export const publicProcedure = t.procedure;

/** Verifies the bearer token once; everything behind it reads the clinic only from `ctx.principal`. */
export const authedProcedure = t.procedure.use(async ({ ctx, next }) => {
  const principal = await ctx.verifier.verify(ctx.authorization);
  return next({ ctx: { principal } });
});

function requireRole(...roles: Role[]) {
  return authedProcedure.use(({ ctx, next }) => {
    if (!roles.includes(ctx.principal.role)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `This needs the ${roles.join(' or ')} role` });
    }
    return next({ ctx: { principal: ctx.principal as Principal } });
  });
}

export const clientProcedure = requireRole('client');
export const staffProcedure = requireRole('clinician', 'admin');
