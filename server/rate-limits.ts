import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type IRateLimiterOptions, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from './config.js';

/** A 429 in tRPC's error shape, so widgets read it like any other procedure error. */
const tooMany = (message: string) => ({
  error: { message, code: -32029, data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429, fieldErrors: null } },
});

/** The same header hashes to the same key: remember the last few thousand instead of hashing each request. */
const tokenKeys = new LRUCache<string, string>({ max: 5_000 });
export function tokenKey(token: string): string {
  let key = tokenKeys.get(token);
  if (key === undefined) {
    key = `token:${createHash('sha256').update(token).digest('base64url').slice(0, 32)}`;
    tokenKeys.set(token, key);
  }
  return key;
}

/** The bearer token of a request: the Authorization header, or a subscription's `connectionParams.token`. */
export function requestToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (header) return header.replace(/^Bearer\s+/i, '');
  const params = req.query.connectionParams;
  if (typeof params !== 'string') return null;
  try {
    const token = (JSON.parse(params) as { token?: unknown } | null)?.token;
    return typeof token === 'string' && token.length > 0 ? token : null;
  } catch {
    return null;
  }
}

/** Procedure calls in one request: a batch (`/trpc/a,b,c?batch=1`) is as many calls as it names. */
export function callsIn(req: Request): number {
  if (req.query.batch === undefined) return 1;
  return req.path.split(',').length;
}

const FAILURE_WINDOW_S = 15 * 60;

export interface RequestLimits {
  /** For /trpc and /reports: refuses an address locked out by failed sign-ins, then counts each call per address and per token. */
  middleware: RequestHandler;
  /** A request from `ip` presented a token that could not be trusted. */
  recordRefusedToken(ip: string): Promise<void>;
}

/**
 * A counter: in this process's memory, or, with a PostgreSQL pool, in the `rate_limits` table that
 * every server process on the database shares, so N servers allow the configured rate, not N times
 * it. If PostgreSQL cannot be reached the count falls back to memory for that call (never a 500).
 */
function limiter(store: pg.Pool | null, options: IRateLimiterOptions): RateLimiterAbstract {
  const memory = new RateLimiterMemory(options);
  if (!store) return memory;
  return new RateLimiterPostgres({ ...options, storeClient: store, storeType: 'pool', tableName: 'rate_limits', tableCreated: true, insuranceLimiter: memory });
}

/**
 * Refused sign-in tokens per IP (15 min), procedure calls per IP and per token (per minute). Each
 * call of a batched request counts, so batching cannot multiply a budget. One noisy device or
 * leaked token cannot starve a clinic's other users. `store`: the PostgreSQL pool the counts are
 * shared through (all server processes), or null to count in memory (SQLite: one process).
 */
export function requestLimits(
  config: Pick<Config, 'authFailureLimit' | 'rateLimitPerIp' | 'rateLimitPerToken' | 'maxBatchSize'>,
  store: pg.Pool | null = null,
): RequestLimits {
  const failures = limiter(store, { keyPrefix: 'failed-sign-in', points: config.authFailureLimit, duration: FAILURE_WINDOW_S });
  const perIp = limiter(store, { keyPrefix: 'ip', points: config.rateLimitPerIp, duration: 60 });
  const perToken = limiter(store, { keyPrefix: 'token', points: config.rateLimitPerToken, duration: 60 });

  const refuse = (res: Response, limited: RateLimiterRes, message: string) => {
    res.set('Retry-After', String(Math.max(1, Math.ceil(limited.msBeforeNext / 1000))));
    res.status(429).json(tooMany(message));
  };

  const middleware = async (req: Request, res: Response, next: NextFunction) => {
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    // A batch larger than allowed runs nothing (tRPC answers 400): it counts as one request.
    const named = callsIn(req);
    const calls = named > config.maxBatchSize ? 1 : named;
    const failed = await failures.get(ip);
    if (failed && failed.consumedPoints >= config.authFailureLimit) {
      return refuse(res, failed, 'Too many failed sign-ins from this address; try again in 15 minutes');
    }
    try {
      await perIp.consume(ip, calls);
    } catch (limited) {
      if (!(limited instanceof RateLimiterRes)) throw limited;
      return refuse(res, limited, 'Too many requests from this address; try again in a minute');
    }
    const token = requestToken(req);
    if (token) {
      try {
        await perToken.consume(tokenKey(token), calls);
      } catch (limited) {
        if (!(limited instanceof RateLimiterRes)) throw limited;
        return refuse(res, limited, 'Too many requests for this sign-in; try again in a minute');
      }
    }
    next();
  };

  return {
    middleware: (req, res, next) => {
      middleware(req, res, next).catch(next);
    },
    recordRefusedToken: async (ip) => {
      await failures.penalty(ip, 1);
    },
  };
}
