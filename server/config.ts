import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';

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
  /** Time an idle keep-alive connection stays open, in ms: longer than a proxy's, which must close first. */
  keepAliveTimeoutMs: number;
  /** Open connections the server accepts at once; more are closed at once. */
  maxConnections: number;
  /** Directory holding the built widget bundles served at /widgets/. */
  widgetsDir: string;
  logLevel: LogLevel;
  trustProxy: TrustProxy;
  /** Crisis webhook retry timing. */
  webhooks: { retryDelaysMs: number[]; timeoutMs: number };
  /** Port and address `main.ts` listens on. */
  port: number;
  host: string;
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

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const DEFAULT_WEBHOOK_RETRY_MS = [1_000, 5_000, 30_000, 120_000, 600_000];

const blank = (value: string) => value.trim() === '';
/** A whole number above 0; unset or blank takes the default. */
const count = z.optional(
  z.string().check(z.refine((v) => blank(v) || (/^\s*\d+\s*$/.test(v) && Number.isSafeInteger(Number(v)) && Number(v) > 0), 'must be a whole number above 0')),
);

/**
 * Every environment variable the server reads, checked once at start-up: a bad value stops the
 * server with the variable's name and what it accepts (main.ts exits with status 2).
 */
const environment = z.object({
  DATABASE_URL: z.optional(z.string().check(z.regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'must be sqlite:<file>, sqlite::memory: or postgres://user:password@host/database'))),
  CARE_DEMO: z.optional(z.enum(['0', '1'], 'must be 1 (demo mode) or 0')),
  CARE_ALLOWED_ORIGINS: z.optional(z.string()),
  CARE_AUTH_FAILURE_LIMIT: count,
  CARE_RATE_LIMIT_PER_IP: count,
  CARE_RATE_LIMIT_PER_TOKEN: count,
  CARE_MAX_BATCH_SIZE: count,
  CARE_STREAMS_PER_TOKEN: count,
  CARE_STREAMS_PER_CLINIC: count,
  CARE_MAX_BODY_BYTES: count,
  CARE_REQUEST_TIMEOUT_MS: count,
  CARE_HEADERS_TIMEOUT_MS: count,
  CARE_KEEP_ALIVE_TIMEOUT_MS: count,
  CARE_MAX_CONNECTIONS: count,
  CARE_WIDGETS_DIR: z.optional(z.string().check(z.minLength(1, 'must be a directory path'))),
  LOG_LEVEL: z.optional(z.enum(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(', ')}`)),
  TRUST_PROXY: z.optional(z.string()),
  CARE_WEBHOOK_RETRY_MS: z.optional(z.string().check(z.regex(/^\s*(\d+(\s*,\s*\d+)*)?\s*$/, 'must be a comma-separated list of milliseconds between attempts (e.g. 1000,5000,30000), or empty for no retries'))),
  CARE_WEBHOOK_TIMEOUT_MS: count,
  PORT: z.optional(z.string().check(z.refine((v) => blank(v) || (/^\s*\d+\s*$/.test(v) && Number(v) <= 65_535), 'must be a port number from 0 to 65535'))),
  HOST: z.optional(z.string().check(z.refine((v) => !blank(v), 'must be an address or host name to listen on'))),
});
type Environment = z.infer<typeof environment>;

const numberOr = (raw: string | undefined, fallback: number): number => (raw === undefined || blank(raw) ? fallback : Number(raw));

/** Reads and checks the configuration once; throws ConfigError naming each bad variable and what it accepts. */
export function configFromEnv(env: NodeJS.ProcessEnv, overrides: Partial<Config> = {}): Config {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `${name} ${issue.message} (got "${env[name]}")`;
    });
    throw new ConfigError(problems.join('; '));
  }
  const e: Environment = parsed.data;
  const demo = overrides.demo ?? e.CARE_DEMO === '1';
  return {
    databaseUrl: e.DATABASE_URL ?? (demo ? DEMO_DATABASE_URL : DEFAULT_DATABASE_URL),
    demo,
    allowedOrigins: (e.CARE_ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    authFailureLimit: numberOr(e.CARE_AUTH_FAILURE_LIMIT, 500),
    rateLimitPerIp: numberOr(e.CARE_RATE_LIMIT_PER_IP, 6000),
    rateLimitPerToken: numberOr(e.CARE_RATE_LIMIT_PER_TOKEN, 600),
    maxBatchSize: numberOr(e.CARE_MAX_BATCH_SIZE, 20),
    streamsPerToken: numberOr(e.CARE_STREAMS_PER_TOKEN, 8),
    streamsPerClinic: numberOr(e.CARE_STREAMS_PER_CLINIC, 1000),
    maxBodyBytes: numberOr(e.CARE_MAX_BODY_BYTES, 64 * 1024),
    requestTimeoutMs: numberOr(e.CARE_REQUEST_TIMEOUT_MS, 30_000),
    headersTimeoutMs: numberOr(e.CARE_HEADERS_TIMEOUT_MS, 10_000),
    // Node's 5 s is shorter than the idle time of the usual proxies (60 s for nginx's upstream
    // keepalive_timeout and AWS load balancers): a proxy would reuse a socket the server is closing and answer 502.
    keepAliveTimeoutMs: numberOr(e.CARE_KEEP_ALIVE_TIMEOUT_MS, 65_000),
    maxConnections: numberOr(e.CARE_MAX_CONNECTIONS, 4000),
    widgetsDir: e.CARE_WIDGETS_DIR ?? new URL('../dist/widgets', import.meta.url).pathname,
    logLevel: e.LOG_LEVEL ?? 'info',
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    webhooks: {
      retryDelaysMs:
        e.CARE_WEBHOOK_RETRY_MS === undefined
          ? DEFAULT_WEBHOOK_RETRY_MS
          : e.CARE_WEBHOOK_RETRY_MS.split(',').filter((s) => !blank(s)).map(Number),
      timeoutMs: numberOr(e.CARE_WEBHOOK_TIMEOUT_MS, 5_000),
    },
    port: numberOr(e.PORT, 8787),
    host: e.HOST ?? '127.0.0.1',
    ...overrides,
  };
}
