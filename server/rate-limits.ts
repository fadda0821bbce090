import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type IRateLimiterOptions, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from './config.js';
import { TickBatcher } from './db/tick-batcher.js';

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
 * Refused sign-in tokens per address, counted by rate-limiter-flexible: in this process's memory,
 * or, with a PostgreSQL pool, in the `rate_limits` table every server process shares (falling back
 * to memory for a count PostgreSQL cannot take: never a 500).
 */
function failureLimiter(store: pg.Pool | null, options: IRateLimiterOptions): RateLimiterAbstract {
  const memory = new RateLimiterMemory(options);
  if (!store) return memory;
  // clearExpiredByTimeout: every 5 minutes, rows of any counter expired an hour ago are deleted.
  return new RateLimiterPostgres({ ...options, storeClient: store, storeType: 'pool', tableName: 'rate_limits', tableCreated: true, clearExpiredByTimeout: true, insuranceLimiter: memory });
}

/** One request's count: `points` more on `key`, whose window (if it starts now) lasts `durationMs`. */
interface Count {
  key: string;
  points: number;
  durationMs: number;
}

/** A key's count as of a request: everything counted before it, plus its own points. */
export interface Counted {
  consumedPoints: number;
  msBeforeNext: number;
}

interface Waiting {
  counts: readonly Count[];
  reads: readonly string[];
  resolve(value: { counted: Counted[]; read: (Counted | null)[] }): void;
  reject(error: unknown): void;
}

/**
 * Adds a batch's counts per key in one statement, reads the `reads` keys in the same statement,
 * returns each key's total after the batch and its expiry. Keys are written in sorted order, so two
 * processes' batches never wait for each other's rows in opposite orders. The layout and the
 * window rule are rate-limiter-flexible's (RateLimiterPostgres): a window that has expired starts
 * again at the batch's points.
 */
const COUNT_AND_READ = `
  with counted as (
    insert into rate_limits (key, points, expire)
    select key, points, expire from unnest($1::varchar[], $2::integer[], $3::bigint[]) as batch(key, points, expire) order by key
    on conflict (key) do update set
      points = case when rate_limits.expire <= $4 then excluded.points else rate_limits.points + excluded.points end,
      expire = case when rate_limits.expire <= $4 then excluded.expire else rate_limits.expire end
    returning key, points, expire
  )
  select key, points, expire, true as counted from counted
  union all
  select key, points, expire, false as counted from rate_limits where key = any($5::varchar[]) and (expire > $4 or expire is null)`;

/**
 * Request counts shared by every server process through the `rate_limits` table, group-committed:
 * the counts of the requests that arrive while one statement is out go together in the next one
 * (one round trip for many requests, and for both of a request's counters, instead of one per
 * counter per request). Still exact across processes: each statement adds its points atomically
 * and every request learns its own position in the total (what was there before the statement plus
 * the points of the requests ahead of it in the batch), so N servers allow the configured rate,
 * never more; a request is answered only after its count is stored.
 */
export class SharedCounts {
  private readonly batches = new TickBatcher<Waiting>((batch) => this.flush(batch));

  constructor(private readonly pool: pg.Pool) {}

  /** Adds `counts` (each key once) and reads `reads` (keys not counted here), in the next statement. */
  count(counts: readonly Count[], reads: readonly string[] = []): Promise<{ counted: Counted[]; read: (Counted | null)[] }> {
    return new Promise((resolve, reject) => this.batches.add({ counts, reads, resolve, reject }));
  }

  private async flush(batch: readonly Waiting[]): Promise<void> {
    const now = Date.now();
    const added = new Map<string, { points: number; expire: number }>();
    const reads = new Set<string>();
    for (const { counts, reads: keys } of batch) {
      for (const { key, points, durationMs } of counts) {
        const sum = added.get(key);
        if (sum) sum.points += points;
        else added.set(key, { points, expire: now + durationMs });
      }
      for (const key of keys) reads.add(key);
    }
    const keys = [...added.keys()].sort();
    const { rows } = await this.pool.query<{ key: string; points: number; expire: string | null; counted: boolean }>({
      name: 'care-rate-limits-count',
      text: COUNT_AND_READ,
      values: [keys, keys.map((k) => added.get(k)!.points), keys.map((k) => added.get(k)!.expire), now, [...reads]],
    });
    const totals = new Map<string, { points: number; expire: number | null }>();
    const found = new Map<string, { points: number; expire: number | null }>();
    for (const row of rows) (row.counted ? totals : found).set(row.key, { points: row.points, expire: row.expire === null ? null : Number(row.expire) });
    const msBefore = (expire: number | null) => (expire === null ? -1 : Math.max(expire - Date.now(), 0));
    // What the key held before this statement; each request then adds its points in arrival order.
    const running = new Map<string, number>();
    for (const [key, { points }] of added) {
      const total = totals.get(key);
      if (!total) throw new Error(`rate_limits: no count returned for ${key}`);
      running.set(key, total.points - points);
    }
    for (const waiting of batch) {
      const counted = waiting.counts.map(({ key, points }) => {
        const consumedPoints = running.get(key)! + points;
        running.set(key, consumedPoints);
        return { consumedPoints, msBeforeNext: msBefore(totals.get(key)!.expire) };
      });
      const read = waiting.reads.map((key) => {
        const row = found.get(key);
        return row ? { consumedPoints: row.points, msBeforeNext: msBefore(row.expire) } : null;
      });
      waiting.resolve({ counted, read });
    }
  }
}

const FAILURE_PREFIX = 'failed-sign-in';
interface Refusal {
  limited: Counted;
  message: string;
}
const CALLS_WINDOW_MS = 60_000;

/**
 * Refused sign-in tokens per IP (15 min), procedure calls per IP and per token (per minute). Each
 * call of a batched request counts, so batching cannot multiply a budget. One noisy device or
 * leaked token cannot starve a clinic's other users. `store`: the PostgreSQL pool the counts are
 * shared through (all server processes; SharedCounts, one statement for many requests), or null to
 * count in memory (SQLite: one process). A count PostgreSQL cannot take is counted in this
 * process's memory instead (never a 500).
 */
export function requestLimits(
  config: Pick<Config, 'authFailureLimit' | 'rateLimitPerIp' | 'rateLimitPerToken' | 'maxBatchSize'>,
  store: pg.Pool | null = null,
): RequestLimits {
  const failures = failureLimiter(store, { keyPrefix: FAILURE_PREFIX, points: config.authFailureLimit, duration: FAILURE_WINDOW_S });
  const perIp = new RateLimiterMemory({ keyPrefix: 'ip', points: config.rateLimitPerIp, duration: CALLS_WINDOW_MS / 1000 });
  const perToken = new RateLimiterMemory({ keyPrefix: 'token', points: config.rateLimitPerToken, duration: CALLS_WINDOW_MS / 1000 });
  const shared = store ? new SharedCounts(store) : null;

  const refuse = (res: Response, limited: Pick<RateLimiterRes, 'msBeforeNext'>, message: string) => {
    res.set('Retry-After', String(Math.max(1, Math.ceil(limited.msBeforeNext / 1000))));
    res.status(429).json(tooMany(message));
  };
  const lockedOut = 'Too many failed sign-ins from this address; try again in 15 minutes';
  const ipLimited = 'Too many requests from this address; try again in a minute';
  const tokenLimited = 'Too many requests for this sign-in; try again in a minute';

  /** In memory: the address's failed sign-ins, then its calls, then the token's calls (a refusal stops the count). */
  const countInMemory = async (res: Response, next: NextFunction, ip: string, token: string | null, calls: number) => {
    const failed = await failures.get(ip);
    if (failed && failed.consumedPoints >= config.authFailureLimit) return refuse(res, failed, lockedOut);
    try {
      await perIp.consume(ip, calls);
    } catch (limited) {
      if (!(limited instanceof RateLimiterRes)) throw limited;
      return refuse(res, limited, ipLimited);
    }
    if (token) {
      try {
        await perToken.consume(tokenKey(token), calls);
      } catch (limited) {
        if (!(limited instanceof RateLimiterRes)) throw limited;
        return refuse(res, limited, tokenLimited);
      }
    }
    next();
  };

  /**
   * Shared: the address's and the token's calls are counted, and the address's failed sign-ins
   * read, in one statement with the other requests of the moment. Both counters count every
   * request, refused or not (as rate-limiter-flexible's consume did for the counter that refused).
   */
  const countShared = async (counts: SharedCounts, ip: string, token: string | null, calls: number): Promise<Refusal | null> => {
    const keys = [{ key: `ip:${ip}`, points: calls, durationMs: CALLS_WINDOW_MS }];
    if (token) keys.push({ key: `token:${tokenKey(token)}`, points: calls, durationMs: CALLS_WINDOW_MS });
    const {
      counted: [byIp, byToken],
      read: [failed],
    } = await counts.count(keys, [`${FAILURE_PREFIX}:${ip}`]);
    if (failed && failed.consumedPoints >= config.authFailureLimit) return { limited: failed, message: lockedOut };
    if (byIp!.consumedPoints > config.rateLimitPerIp) return { limited: byIp!, message: ipLimited };
    if (byToken && byToken.consumedPoints > config.rateLimitPerToken) return { limited: byToken, message: tokenLimited };
    return null;
  };

  const middleware = async (req: Request, res: Response, next: NextFunction) => {
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    // A batch larger than allowed runs nothing (tRPC answers 400): it counts as one request.
    const named = callsIn(req);
    const calls = named > config.maxBatchSize ? 1 : named;
    const token = requestToken(req);
    if (!shared) return countInMemory(res, next, ip, token, calls);
    let refusal: Refusal | null;
    try {
      refusal = await countShared(shared, ip, token, calls);
    } catch {
      // PostgreSQL could not count: this process counts the request in memory instead.
      return countInMemory(res, next, ip, token, calls);
    }
    if (refusal) return refuse(res, refusal.limited, refusal.message);
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
