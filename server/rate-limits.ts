import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Config } from './config.js';

/** A 429 in tRPC's error shape, so widgets read it like any other procedure error. */
const tooMany = (message: string) => ({
  error: { message, code: -32029, data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429, fieldErrors: null } },
});

const hashTokenKey = (authorization: string) => `token:${createHash('sha256').update(authorization).digest('base64url').slice(0, 32)}`;

/** The same header hashes to the same key: remember the last few thousand instead of hashing each request. */
const TOKEN_KEYS_MAX = 5_000;
const tokenKeys = new Map<string, string>();
function tokenKey(authorization: string): string {
  let key = tokenKeys.get(authorization);
  if (key === undefined) {
    key = hashTokenKey(authorization);
    if (tokenKeys.size >= TOKEN_KEYS_MAX) tokenKeys.delete(tokenKeys.keys().next().value!);
    tokenKeys.set(authorization, key);
  }
  return key;
}

/**
 * Limits on /trpc and /reports: failed sign-ins per IP (15 min), all requests per IP and per token
 * (per minute). One noisy device or leaked token cannot starve a clinic's other users.
 */
export function requestLimits(config: Config): RequestHandler[] {
  const common = { standardHeaders: 'draft-8', legacyHeaders: false } as const;
  return [
    rateLimit({
      ...common,
      windowMs: 15 * 60_000,
      limit: config.authFailureLimit,
      skipSuccessfulRequests: true,
      requestWasSuccessful: (_req, res) => res.statusCode !== 401,
      message: tooMany('Too many failed sign-ins from this address; try again in 15 minutes'),
    }),
    rateLimit({
      ...common,
      windowMs: 60_000,
      limit: config.rateLimitPerIp,
      message: tooMany('Too many requests from this address; try again in a minute'),
    }),
    rateLimit({
      ...common,
      windowMs: 60_000,
      limit: config.rateLimitPerToken,
      skip: (req) => !req.headers.authorization,
      keyGenerator: (req) => tokenKey(req.headers.authorization ?? ''),
      message: tooMany('Too many requests for this sign-in; try again in a minute'),
    }),
  ];
}
