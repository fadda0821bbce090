import { TRPCError } from '@trpc/server';
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { isStaff } from '../auth/principal.js';
import { isRefusedToken, type TokenVerifier } from '../auth/verify-token.js';
import { outcomesReportInput } from '../contract/index.js';
import type { Db } from '../db/index.js';
import { outcomesCsv, outcomesReport } from '../domain/outcomes.js';

const STATUS: Partial<Record<TRPCError['code'], number>> = { UNAUTHORIZED: 401, FORBIDDEN: 403, BAD_REQUEST: 400, NOT_FOUND: 404 };

function fail(res: Response, status: number, code: string, message: string, fieldErrors: { path: string; message: string }[] | null = null) {
  res.status(status).json({ error: { message, code, fieldErrors } });
}

/**
 * `GET /reports/outcomes.csv?from=YYYY-MM&to=YYYY-MM` with `Authorization: Bearer <staff token>`:
 * the outcomes report as a spreadsheet download. Same answers as tRPC: 401 without a valid token,
 * 403 for a client token, 400 naming the field for a bad month.
 */
export function outcomesCsvRoutes(deps: { db: Db; verifier: TokenVerifier; log: Logger; onRefusedToken(req: Request): Promise<void> }): Router {
  const routes = express.Router();
  routes.get(
    '/outcomes.csv',
    async (req: Request, res: Response) => {
      res.set('Cache-Control', 'no-store');
      try {
        const principal = await deps.verifier.verify(req.headers.authorization);
        if (!isStaff(principal)) return fail(res, 403, 'FORBIDDEN', 'This needs the clinician or admin role');
        const input: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(req.query)) input[key] = value;
        const parsed = outcomesReportInput.safeParse(input);
        if (!parsed.success) {
          const fieldErrors = parsed.error.issues.flatMap((issue) => {
            const keys = (issue as { keys?: string[] }).keys;
            return keys?.length
              ? keys.map((key) => ({ path: key, message: 'Unrecognized field' }))
              : [{ path: issue.path.map(String).join('.') || '(input)', message: issue.message }];
          });
          return fail(res, 400, 'BAD_REQUEST', `Invalid input: ${fieldErrors.map((f) => `${f.path}: ${f.message}`).join('; ')}`, fieldErrors);
        }
        const report = await outcomesReport(deps.db, principal.clinicId, parsed.data ?? {});
        const first = report.months[0]?.month ?? '';
        const last = report.months.at(-1)?.month ?? '';
        const clinic = principal.clinicId.replace(/[^A-Za-z0-9_-]/g, '_');
        res.set('Content-Type', 'text/csv; charset=utf-8');
        res.set('Content-Disposition', `attachment; filename="outcomes-${clinic}-${first}-to-${last}.csv"`);
        res.send(outcomesCsv(report));
      } catch (error) {
        if (isRefusedToken(error)) await deps.onRefusedToken(req);
        if (error instanceof TRPCError && STATUS[error.code]) return fail(res, STATUS[error.code]!, error.code, error.message);
        deps.log.error({ err: error }, 'outcomes.csv failed');
        return fail(res, 500, 'INTERNAL_SERVER_ERROR', 'Something went wrong on the server');
      }
    },
  );
  return routes;
}
