import { readFileSync } from 'node:fs';

export interface Config {
  /** `sqlite:<file>`, `sqlite::memory:` or `postgres://…`. */
  databaseUrl: string;
  /** Seeds demo-clinic, serves the demo portal at / and GET /demo/token. Never in production. */
  demo: boolean;
  /** Origins allowed to call /trpc from a browser (the clinics' portals); `*` allows any. */
  allowedOrigins: string[];
  /** 401 answers one IP may cause per 15 minutes before it gets 429. */
  authFailureLimit: number;
  /** Requests one IP address may make per minute. */
  rateLimitPerIp: number;
  /** Requests one token may make per minute. */
  rateLimitPerToken: number;
  /** Largest request body, in bytes. */
  maxBodyBytes: number;
  /** Directory holding the built widget bundles served at /widgets/. */
  widgetsDir: string;
  logLevel: string;
  trustProxy: boolean;
}

export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export function configFromEnv(env: NodeJS.ProcessEnv, overrides: Partial<Config> = {}): Config {
  return {
    databaseUrl: env.DATABASE_URL ?? 'sqlite:./data/care.db',
    demo: env.CARE_DEMO === '1',
    allowedOrigins: (env.CARE_ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    authFailureLimit: Number(env.CARE_AUTH_FAILURE_LIMIT ?? 100),
    rateLimitPerIp: Number(env.CARE_RATE_LIMIT_PER_IP ?? 1200),
    rateLimitPerToken: Number(env.CARE_RATE_LIMIT_PER_TOKEN ?? 600),
    maxBodyBytes: Number(env.CARE_MAX_BODY_BYTES ?? 64 * 1024),
    widgetsDir: env.CARE_WIDGETS_DIR ?? new URL('../dist/widgets', import.meta.url).pathname,
    logLevel: env.LOG_LEVEL ?? 'info',
    trustProxy: env.TRUST_PROXY === '1',
    ...overrides,
  };
}
