import { readFileSync } from 'node:fs';

/**
 * Which proxies may set `X-Forwarded-For`: a hop count (the nearest N addresses are proxies) or a
 * list of proxy addresses/subnets (`10.0.0.0/8`, `loopback`). Never "any": then every caller
 * could pick the address its limits are counted against.
 */
export type TrustProxy = false | number | string[];

export interface Config {
  /** `sqlite:<file>`, `sqlite::memory:` or `postgres://…`. */
  databaseUrl: string;
  /** Seeds demo-clinic, serves the demo portal at / and GET /demo/token. Never in production. */
  demo: boolean;
  /** Origins allowed to call /trpc from a browser (the clinics' portals); `*` allows any. */
  allowedOrigins: string[];
  /** Refused sign-in tokens one IP may present per 15 minutes before it gets 429. */
  authFailureLimit: number;
  /** Procedure calls one IP address may make per minute (each call of a batch counts). */
  rateLimitPerIp: number;
  /** Procedure calls one token may make per minute (each call of a batch counts). */
  rateLimitPerToken: number;
  /** Most procedure calls in one batched request. */
  maxBatchSize: number;
  /** Live-update streams one token may hold open at once. */
  streamsPerToken: number;
  /** Live-update streams one clinic may hold open at once (in this process). */
  streamsPerClinic: number;
  /** Largest request body, in bytes. */
  maxBodyBytes: number;
  /** Time a client has to send its whole request (headers and body), in ms. */
  requestTimeoutMs: number;
  /** Time a client has to send its request headers, in ms. */
  headersTimeoutMs: number;
  /** Open connections the server accepts at once; more are closed at once. */
  maxConnections: number;
  /** Directory holding the built widget bundles served at /widgets/. */
  widgetsDir: string;
  logLevel: string;
  trustProxy: TrustProxy;
}

export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The database demo mode uses unless DATABASE_URL names one: never the file a real clinic's server uses. */
export const DEMO_DATABASE_URL = 'sqlite:./data/demo.db';
export const DEFAULT_DATABASE_URL = 'sqlite:./data/care.db';

export class ConfigError extends Error {}

/** `TRUST_PROXY`: unset/`0`/`false` → off; `2` → two hops; `10.0.0.1,10.0.0.0/8,loopback` → those proxies. */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = (value ?? '').trim();
  if (text === '' || text === '0' || text.toLowerCase() === 'false') return false;
  if (/^\d+$/.test(text)) return Number(text);
  if (text.toLowerCase() === 'true' || text === '*') {
    throw new ConfigError('TRUST_PROXY must be a hop count (1 for one proxy in front) or a list of proxy addresses, never "true": that would let any caller choose its own IP address');
  }
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new ConfigError(`${name} must be a whole number above 0 (got "${raw}")`);
  return value;
}

export function configFromEnv(env: NodeJS.ProcessEnv, overrides: Partial<Config> = {}): Config {
  const demo = overrides.demo ?? env.CARE_DEMO === '1';
  return {
    databaseUrl: env.DATABASE_URL ?? (demo ? DEMO_DATABASE_URL : DEFAULT_DATABASE_URL),
    demo,
    allowedOrigins: (env.CARE_ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    authFailureLimit: positiveInteger(env, 'CARE_AUTH_FAILURE_LIMIT', 500),
    rateLimitPerIp: positiveInteger(env, 'CARE_RATE_LIMIT_PER_IP', 6000),
    rateLimitPerToken: positiveInteger(env, 'CARE_RATE_LIMIT_PER_TOKEN', 600),
    maxBatchSize: positiveInteger(env, 'CARE_MAX_BATCH_SIZE', 20),
    streamsPerToken: positiveInteger(env, 'CARE_STREAMS_PER_TOKEN', 8),
    streamsPerClinic: positiveInteger(env, 'CARE_STREAMS_PER_CLINIC', 1000),
    maxBodyBytes: positiveInteger(env, 'CARE_MAX_BODY_BYTES', 64 * 1024),
    requestTimeoutMs: positiveInteger(env, 'CARE_REQUEST_TIMEOUT_MS', 30_000),
    headersTimeoutMs: positiveInteger(env, 'CARE_HEADERS_TIMEOUT_MS', 10_000),
    maxConnections: positiveInteger(env, 'CARE_MAX_CONNECTIONS', 4000),
    widgetsDir: env.CARE_WIDGETS_DIR ?? new URL('../dist/widgets', import.meta.url).pathname,
    logLevel: env.LOG_LEVEL ?? 'info',
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    ...overrides,
  };
}
