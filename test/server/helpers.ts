import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { AnyProcedure, inferProcedureInput, inferProcedureOutput } from '@trpc/server';
import { SignJWT } from 'jose';
import pg from 'pg';
import { createApp } from '../../server/app.js';
import { configFromEnv, type Config } from '../../server/config.js';
import { listen } from '../../server/http-server.js';
import type { Db } from '../../server/db/index.js';
import type { AppRouter } from '../../server/routers/index.js';
import type { Services } from '../../server/services.js';

export const CLINIC_A = 'clinic-a';
export const CLINIC_B = 'clinic-b';
export const SECRET_A = 'clinic-a-test-secret-0123456789-abcdefghij';
export const SECRET_B = 'clinic-b-test-secret-9876543210-zyxwvutsrq';
export const ALL_TEMPLATES = '["daily","phq9","gad7","bam"]';

export type Role = 'client' | 'clinician' | 'admin';

export interface ClinicSeed {
  id: string;
  secret: string;
  riskRules?: string | null;
  enabledTemplates?: string;
}

export interface TestServer {
  baseUrl: string;
  db: Db;
  config: Config;
  /** The services the app was built with (domain functions take them as arguments). */
  services: Services;
  stop(): Promise<void>;
}

/** Names of the app's tables, on SQLite or PostgreSQL. */
export async function tableNames(db: Db): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables.map((t) => t.name).filter((name) => !name.startsWith('kysely_')).sort();
}

/** Inserts a clinic row directly (tests seed their own tenants; demo mode stays off). */
export async function seedClinic(db: Db, clinic: ClinicSeed): Promise<void> {
  await db
    .insertInto('clinics')
    .values({
      id: clinic.id,
      name: `Clinic ${clinic.id}`,
      hs256_secret: clinic.secret,
      jwks_url: null,
      region: 'US',
      default_locale: 'en',
      risk_rules: clinic.riskRules ?? null,
      enabled_templates: clinic.enabledTemplates ?? ALL_TEMPLATES,
      created_at: new Date().toISOString(),
    })
    // A second server on the same database (several-servers tests) finds the clinic already there.
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/**
 * A fresh, empty database for one test file: a SQLite file by default, or a new PostgreSQL
 * database when CARE_TEST_POSTGRES_URL names a server (e.g. postgres://care:care@127.0.0.1/postgres).
 */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = process.env.CARE_TEST_POSTGRES_URL;
  if (!admin) {
    const dir = mkdtempSync(join(tmpdir(), 'care-test-'));
    return { url: `sqlite:${join(dir, 'care.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `care_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      // A server killed with SIGKILL can leave a backend still authenticating, which a role without
      // superuser may not terminate yet: retry briefly, then leave the scratch database behind.
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        for (let attempt = 1; ; attempt++) {
          try {
            await c.query(`drop database if exists ${name} with (force)`);
            return;
          } catch (error) {
            if (attempt >= 20) {
              console.warn(`could not drop scratch database ${name}: ${(error as Error).message}`);
              return;
            }
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
        }
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * Starts the real app on an ephemeral port with a fresh database (see freshDatabase), seeded with clinics A and B
 * (plus any extra clinics given).
 */
export async function startServer(
  options: { extraClinics?: ClinicSeed[]; config?: Partial<Config>; database?: { url: string; drop(): Promise<void> } } = {},
): Promise<TestServer> {
  // A test may hand over a database it prepared (e.g. at an older migration) instead of a fresh one.
  const database = options.database ?? (await freshDatabase());
  const config = configFromEnv(
    {},
    {
      databaseUrl: database.url,
      demo: false,
      logLevel: 'silent',
      allowedOrigins: [],
      // Tests make many calls quickly from one address; limits are tested on their own.
      rateLimitPerIp: 1_000_000,
      rateLimitPerToken: 1_000_000,
      ...options.config,
    },
  );
  const care = await createApp(config);
  await seedClinic(care.db, { id: CLINIC_A, secret: SECRET_A });
  await seedClinic(care.db, { id: CLINIC_B, secret: SECRET_B });
  for (const clinic of options.extraClinics ?? []) await seedClinic(care.db, clinic);

  const server: Server = await listen(care.app, config, 0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    db: care.db,
    config,
    services: care.services,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await care.close();
      await database.drop();
    },
  };
}

/**
 * The server a test file runs against, for top-level `await`: started now, stopped after the file's
 * tests. Options as startServer.
 */
export async function serverForThisFile(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const server = await startServer(options);
  after(() => server.stop());
  return server;
}

const SECRETS: Record<string, string> = { [CLINIC_A]: SECRET_A, [CLINIC_B]: SECRET_B };

export interface TokenOptions {
  sub: string;
  role: string;
  clinic?: string;
  /** Signing secret; defaults to the clinic's own. */
  secret?: string;
  /** Expiry as a jose time span or epoch seconds; defaults to one hour from now. */
  exp?: string | number;
  name?: string;
  /** Leave out the exp claim entirely. */
  noExp?: boolean;
}

/** Mints an HS256 token the way a clinic's portal backend would. */
export async function mintToken(options: TokenOptions): Promise<string> {
  const clinic = options.clinic ?? CLINIC_A;
  const secret = options.secret ?? SECRETS[clinic] ?? SECRET_A;
  const jwt = new SignJWT({ clinic, role: options.role, ...(options.name ? { name: options.name } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(options.sub)
    .setIssuedAt();
  if (!options.noExp) jwt.setExpirationTime(options.exp ?? '1h');
  return jwt.sign(new TextEncoder().encode(secret));
}

export interface TrpcResponse<T = unknown> {
  status: number;
  /** Parsed JSON body, or undefined when the body was not JSON. */
  body: TrpcBody<T> | undefined;
  text: string;
  contentType: string;
}

export interface TrpcErrorShape {
  message: string;
  code: number;
  data: {
    code: string;
    httpStatus: number;
    path?: string;
    fieldErrors: { path: string; message: string }[] | null;
  };
}

export interface TrpcBody<T> {
  result?: { data: T };
  error?: TrpcErrorShape;
}

async function toResponse<T>(res: Response): Promise<TrpcResponse<T>> {
  const text = await res.text();
  let body: TrpcBody<T> | undefined;
  try {
    body = JSON.parse(text) as TrpcBody<T>;
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text, contentType: res.headers.get('content-type') ?? '' };
}

const authHeader = (token: string | undefined): Record<string, string> =>
  token === undefined ? {} : { authorization: `Bearer ${token}` };

/** `GET /trpc/<path>?input=<url-encoded JSON>`; input undefined sends no input parameter. */
export async function query<T = unknown>(
  baseUrl: string,
  path: string,
  input?: unknown,
  token?: string,
): Promise<TrpcResponse<T>> {
  const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await fetch(`${baseUrl}/trpc/${path}${qs}`, { headers: authHeader(token) });
  return toResponse<T>(res);
}

/** `POST /trpc/<path>` with the input as a JSON body (or a raw string body when `raw` is set). */
export async function mutate<T = unknown>(
  baseUrl: string,
  path: string,
  input: unknown,
  token?: string,
  options: { raw?: boolean } = {},
): Promise<TrpcResponse<T>> {
  const res = await fetch(`${baseUrl}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeader(token) },
    body: options.raw ? (input as string) : JSON.stringify(input),
  });
  return toResponse<T>(res);
}

type RouterRecord = AppRouter['_def']['record'];

/** Every procedure path of the app router ('checkIn.list', …) whose kind is `Kind`. */
type PathsOf<R, Kind extends string, Prefix extends string = ''> = {
  [K in keyof R & string]: R[K] extends AnyProcedure
    ? R[K]['_def']['type'] extends Kind
      ? `${Prefix}${K}`
      : never
    : PathsOf<R[K], Kind, `${Prefix}${K}.`>;
}[keyof R & string];

type ProcedureAt<R, Path extends string> = Path extends `${infer Head}.${infer Rest}`
  ? Head extends keyof R
    ? ProcedureAt<R[Head], Rest>
    : never
  : Path extends keyof R
    ? R[Path] extends AnyProcedure
      ? R[Path]
      : never
    : never;

export type QueryPath = PathsOf<RouterRecord, 'query'>;
export type MutationPath = PathsOf<RouterRecord, 'mutation'>;
/** What the procedure at `Path` takes, as the client would send it (before defaults and transforms). */
export type InputOf<Path extends QueryPath | MutationPath> = inferProcedureInput<ProcedureAt<RouterRecord, Path>>;
/** What the procedure at `Path` answers. */
export type OutputOf<Path extends QueryPath | MutationPath> = inferProcedureOutput<ProcedureAt<RouterRecord, Path>>;

/**
 * `query` with the path, input and result typed from the router: a test that sends a wrong field
 * no longer compiles. Tests that send bad input on purpose keep using the untyped `query`.
 */
export function typedQuery<Path extends QueryPath>(
  baseUrl: string,
  path: Path,
  input: InputOf<Path>,
  token?: string,
): Promise<TrpcResponse<OutputOf<Path>>> {
  return query<OutputOf<Path>>(baseUrl, path, input, token);
}

/** `mutate` with the path, input and result typed from the router (see typedQuery). */
export function typedMutate<Path extends MutationPath>(
  baseUrl: string,
  path: Path,
  input: InputOf<Path>,
  token?: string,
): Promise<TrpcResponse<OutputOf<Path>>> {
  return mutate<OutputOf<Path>>(baseUrl, path, input, token);
}

/** Raw request for shapes the helpers above cannot express. */
export async function rawRequest(baseUrl: string, pathAndQuery: string, init: RequestInit = {}): Promise<TrpcResponse> {
  const res = await fetch(`${baseUrl}${pathAndQuery}`, init);
  return toResponse(res);
}

/** The data of a successful call; fails loudly with the server's error otherwise. */
export function dataOf<T>(res: TrpcResponse<T>): T {
  if (res.status !== 200 || !res.body?.result) {
    throw new Error(`Expected 200 with a result, got ${res.status}: ${res.text.slice(0, 500)}`);
  }
  return res.body.result.data;
}

export function errorOf(res: TrpcResponse): TrpcErrorShape {
  if (!res.body?.error) throw new Error(`Expected an error body, got ${res.status}: ${res.text.slice(0, 500)}`);
  return res.body.error;
}

/** The paths of the fields a refused call names; the answer must be a 400. */
export function fieldsOf(res: TrpcResponse): string[] {
  assert.equal(res.status, 400, res.text.slice(0, 300));
  return (errorOf(res).data.fieldErrors ?? []).map((f) => f.path);
}

/** The tokens the admin tests sign in with: each clinic's admin, and clinic A's clinician and client. */
export async function adminTokens(): Promise<{ adminA: string; adminB: string; clinicianA: string; clientA: string }> {
  return {
    adminA: await mintToken({ sub: 'admin-a', role: 'admin', clinic: CLINIC_A }),
    adminB: await mintToken({ sub: 'admin-b', role: 'admin', clinic: CLINIC_B }),
    clinicianA: await mintToken({ sub: 'clinician-a', role: 'clinician', clinic: CLINIC_A }),
    clientA: await mintToken({ sub: 'client-a', role: 'client', clinic: CLINIC_A }),
  };
}

export const newRequestId = (): string => randomUUID();

/** A valid `groups.create` input (a weekly Monday group, English guidelines); tests override what they are about. */
export const groupInput = (overrides: Partial<InputOf<'groups.create'>> = {}): InputOf<'groups.create'> => ({
  name: 'Support circle',
  topic: 'recovery',
  description: 'Peer support',
  language: 'en',
  timeZone: 'UTC',
  schedule: [{ day: 'mon', start: '18:00', minutes: 60 }],
  capacity: 10,
  guidelines: { en: 'Be kind.' },
  ...overrides,
});

/** ISO timestamp `minutesAgo` minutes in the past. */
export const minutesAgo = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString();

export type DailyAnswers = {
  mood: number;
  craving: number;
  sleepHours: number;
  medication: 'yes' | 'no' | 'not_prescribed';
  used: 'yes' | 'no';
  warningSigns?: string[];
  note?: string;
};

export const dailyAnswers = (overrides: Partial<DailyAnswers> = {}): DailyAnswers => ({
  mood: 6,
  craving: 2,
  sleepHours: 7.5,
  medication: 'yes',
  used: 'no',
  ...overrides,
});

/** PHQ-9 / GAD-7 answers from a list of item values (q1..qN). */
export const itemAnswers = (values: number[]): Record<string, number> =>
  Object.fromEntries(values.map((v, i) => [`q${i + 1}`, v]));

/** Item values of length `count` that add up to `total` (each 0–3), filled from the front. */
export function itemsSummingTo(total: number, count: number, { keepLastZero = false } = {}): number[] {
  const values = Array.from({ length: count }, () => 0);
  let left = total;
  const usable = keepLastZero ? count - 1 : count;
  for (let i = 0; i < usable && left > 0; i++) {
    values[i] = Math.min(3, left);
    left -= values[i]!;
  }
  if (left > 0) throw new Error(`Cannot reach ${total} with ${count} items`);
  return values;
}

export async function countRows(db: Db, table: 'check_ins' | 'alerts' | 'audit_log' | 'users'): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
