import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Services } from '../services.js';
import { exchangeIdToken, exchangeInput, ExchangeRefusal } from './exchange.js';

export interface SmartRoutesOptions {
  services: Services;
  /** The clock the exchange checks `exp` against (tests); Date.now otherwise. */
  now?: () => number;
}

const refuse = (res: Response, status: number, reason: string, message: string) => {
  res.status(status).json({ reason, message });
};

/**
 * SMART App Launch (issue 17), mounted at /smart:
 * - POST /smart/exchange `{ iss, id_token, nonce? }` → `{ token, expiresAt, clinic, role, person, patient, widgets, writeBack }`,
 *   or 4xx `{ reason, message }` (never 500 for anything a page can send).
 */
export function smartRoutes({ services, now = Date.now }: SmartRoutesOptions): Router {
  const router = Router();
  const { db, log } = services;

  router.post('/exchange', express.json({ limit: '32kb', type: () => true }), async (req: Request, res: Response) => {
    const parsed = exchangeInput.safeParse(req.body);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join('.') || 'body');
      return refuse(res, 400, 'invalid_request', `Send JSON { iss, id_token, nonce? }: ${[...new Set(fields)].join(', ')} missing or invalid`);
    }
    try {
      res.json(await exchangeIdToken(db, parsed.data, { now: now() }));
    } catch (error) {
      if (error instanceof ExchangeRefusal) return refuse(res, error.status, error.reason, error.message);
      // The id_token is never logged: only that an exchange failed.
      log.error({ err: error instanceof Error ? error.message : 'unknown' }, 'SMART exchange failed');
      refuse(res, 503, 'unavailable', 'The launch could not be completed just now: try again');
    }
  });

  // A body the JSON parser refused (malformed, too large) is the page's mistake: 4xx with a reason.
  router.use((error: { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    const status = error.status ?? 500;
    if (status >= 500) return next(error);
    refuse(res, status, 'invalid_request', status === 413 ? 'The request body is too large' : 'The request body is not valid JSON');
  });
  return router;
}
