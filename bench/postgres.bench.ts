/**
 * Several servers on PostgreSQL (issue 20): checkIn.submit closed loop (64 connections, real
 * tokens, distinct clientRequestIds) against the real app (bench/fixtures/app-under-test.ts) —
 * SQLite one instance (the baseline, same run), PostgreSQL one instance, PostgreSQL two instances on
 * one database with the load split across both — plus, with two instances, people neither has seen
 * (first check-ins) against people both know (p99 ratio), and the delay from an urgent check-in on
 * instance A to a clinician's live stream on instance B.
 * CPU per check-in, from /proc: the server process(es), and the postgres backends connected to the
 * bench database (pg_stat_activity; the cluster's shared WAL writer and checkpointer are not counted).
 * PostgreSQL as the tests find it: CARE_BENCH_POSTGRES_URL, CARE_TEST_POSTGRES_URL, else the local
 * cluster at postgres://care:care@127.0.0.1:5432/postgres (scripts/with-postgres.sh creates that
 * role); without one the section is `skipped`, saying why.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import pg from 'pg';
import { openStream } from '../test/server/event-stream.js';
import { BENCH_CLINIC, BENCH_SECRET } from './fixtures/bench-clinic.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** SQLite and PostgreSQL one instance alternate for this many rounds; figures are medians (5: one noisy round cannot move them). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = 64;
const PEOPLE = 200;
const WARMUP_SECONDS = 1;
const LIVE_SAMPLES = 10;
const LOCAL_CLUSTER = 'postgres://care:care@127.0.0.1:5432/postgres';
const answers = { mood: 6, craving: 3, sleepHours: 7, medication: 'yes', warningSigns: [], used: 'no' };
/** clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS = 100;

const token = (sub: string, role = 'client') =>
  new SignJWT({ clinic: BENCH_CLINIC, role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(BENCH_SECRET));

async function reachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** CPU seconds (user + system) of a process, or 0 if it is gone. */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

/**
 * The backends serving the bench database (other people's tests may share the cluster), as pid →
 * CPU seconds now (a backend not on this machine, for a remote server, is left out).
 */
let benchBackends: () => Promise<number[]> = () => Promise.resolve([]);
async function postgresCpu(): Promise<Map<number, number>> {
  const all = new Map<number, number>();
  const local = new Set(readdirSync('/proc'));
  for (const pid of await benchBackends()) if (local.has(String(pid))) all.set(pid, cpuOf(pid));
  return all;
}
const postgresCpuSince = async (before: Map<number, number>) => {
  let sum = 0;
  for (const [pid, now] of await postgresCpu()) sum += now - (before.get(pid) ?? 0);
  return sum;
};

interface Instance {
  base: string;
  pid: number;
  child: ChildProcess;
}

async function startInstance(databaseUrl: string): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/fixtures/app-under-test.ts', databaseUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`app-under-test exited ${code}`)));
  });
  const { port, pid } = JSON.parse(line) as { port: number; pid: number };
  return { base: `http://127.0.0.1:${port}`, pid, child };
}

async function stop(instances: Instance[]): Promise<void> {
  await Promise.all(
    instances.map(
      (i) =>
        new Promise<void>((resolve) => {
          if (i.child.exitCode !== null) return resolve();
          i.child.once('exit', () => resolve());
          i.child.kill('SIGTERM');
        }),
    ),
  );
}

/**
 * Closed loop over all `instances` at once (connections split evenly); `tokens` gives each request's
 * Bearer token (a known person, or a new one each time). Requests answered in the first second are left out.
 */
async function load(instances: Instance[], tokens: () => Promise<string>, onPostgres = true, templateId = 'daily') {
  const steady: number[] = [];
  const start = performance.now();
  const steadyFrom = start + WARMUP_SECONDS * 1000;
  let lastResponse = steadyFrom;
  let non2xx = 0;
  // Pre-mint enough tokens: autocannon's setupRequest is synchronous.
  const pool = await Promise.all(Array.from({ length: 4000 }, () => tokens()));
  let next = 0;
  const cpuBefore = instances.map((i) => cpuOf(i.pid));
  const dbBefore = await postgresCpu();
  await Promise.all(
    instances.map(
      (instance) =>
        new Promise<void>((resolve, reject) => {
          const run = autocannon(
            {
              url: `${instance.base}/trpc/checkIn.submit`,
              method: 'POST',
              connections: CONNECTIONS / instances.length,
              duration: WARMUP_SECONDS + SECONDS,
              headers: { 'content-type': 'application/json' },
              requests: [
                {
                  setupRequest: (request) => ({
                    ...request,
                    headers: { ...request.headers, authorization: `Bearer ${pool[next++ % pool.length]!}` },
                    body: JSON.stringify({ clientRequestId: randomUUID(), templateId, answers, submittedAt: new Date().toISOString() }),
                  }),
                },
              ],
            },
            (error, result) => {
              if (error) return reject(error as Error);
              non2xx += result.non2xx;
              resolve();
            },
          );
          run.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
            const now = performance.now();
            if (now - responseTime < steadyFrom) return;
            steady.push(responseTime);
            lastResponse = now;
          });
        }),
    ),
  );
  const serverCpu = instances.reduce((sum, i, n) => sum + cpuOf(i.pid) - cpuBefore[n]!, 0);
  const dbCpu = await postgresCpuSince(dbBefore);
  // CPU is counted over the whole run (warm-up included), so per check-in it divides by every answer.
  const answered = steady.length / ((lastResponse - steadyFrom) / 1000) * (WARMUP_SECONDS + SECONDS);
  steady.sort((a, b) => a - b);
  const at = (q: number) => Math.round(steady[Math.min(steady.length - 1, Math.floor(q * steady.length))]! * 10) / 10;
  return {
    requestsPerSecond: Math.round(steady.length / ((lastResponse - steadyFrom) / 1000)),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    non2xx,
    serverCpuMsPerCheckIn: Math.round((serverCpu / answered) * 1e5) / 100,
    // SQLite runs inside the server process: its CPU is in the server's figure.
    databaseCpuMsPerCheckIn: onPostgres ? Math.round((dbCpu / answered) * 1e5) / 100 : null,
  };
}

/** Urgent check-in through `a` until the clinician's alerts.onChange stream on `b` shows it (ms, median of LIVE_SAMPLES). */
async function liveDelay(a: Instance, b: Instance) {
  const stream = await openStream(b.base, 'alerts.onChange', undefined, await token('bench-nurse', 'clinician'));
  try {
    await stream.next<{ kind: string }>((d) => d.kind === 'ready', 5000).catch(() => undefined);
    const client = await token('bench-live-client');
    const samples: number[] = [];
    for (let i = 0; i < LIVE_SAMPLES; i++) {
      const started = performance.now();
      const res = await fetch(`${a.base}/trpc/checkIn.submit`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${client}` },
        body: JSON.stringify({ clientRequestId: randomUUID(), templateId: 'phq9', answers: { q1: 1, q2: 1, q3: 1, q4: 1, q5: 1, q6: 1, q7: 1, q8: 1, q9: 2 }, submittedAt: new Date().toISOString() }),
      });
      if (!res.ok) throw new Error(`urgent check-in: HTTP ${res.status}`);
      await stream.next<{ kind: string }>((d) => d.kind === 'created', 5000);
      samples.push(performance.now() - started);
    }
    samples.sort((x, y) => x - y);
    return { samples: LIVE_SAMPLES, medianMs: Math.round(samples[Math.floor(samples.length / 2)]! * 10) / 10, maxMs: Math.round(samples.at(-1)! * 10) / 10 };
  } finally {
    stream.close();
  }
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

export default async function postgres() {
  const candidates = [process.env.CARE_BENCH_POSTGRES_URL, process.env.CARE_TEST_POSTGRES_URL, LOCAL_CLUSTER].filter((u): u is string => !!u);
  let admin: string | null = null;
  const why: string[] = [];
  for (const url of candidates) {
    const error = await reachable(url);
    if (!error) {
      admin = url;
      break;
    }
    why.push(`${url.replace(/\/\/[^@]*@/, '//***@')}: ${error}`);
  }
  if (!admin) {
    const skipped = `PostgreSQL bench skipped: no PostgreSQL server reachable (set CARE_BENCH_POSTGRES_URL or CARE_TEST_POSTGRES_URL; tried ${why.join('; ')})`;
    process.stderr.write(`${skipped}\n`);
    return { skipped };
  }
  const name = `care_bench_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const adminClient = new pg.Client({ connectionString: admin });
  await adminClient.connect();
  await adminClient.query(`create database ${name}`);
  benchBackends = async () =>
    (await adminClient.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [name])).rows.map((r) => r.pid);
  const pgUrl = Object.assign(new URL(admin), { pathname: `/${name}` }).toString();
  const dir = mkdtempSync(join(tmpdir(), 'care-bench-pg-'));
  // The machine's load (1, 5, 15 min) when the section starts and ends: figures from a busy machine say so.
  const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
  const instances: Instance[] = [];
  try {
    const sqlite = await startInstance(`sqlite:${join(dir, 'care.db')}`);
    instances.push(sqlite);
    const pgA = await startInstance(pgUrl);
    instances.push(pgA);
    const pgB = await startInstance(pgUrl);
    instances.push(pgB);
    const known = await Promise.all(Array.from({ length: PEOPLE }, (_, i) => token(`bench-known-${i}`)));
    const someone = () => Promise.resolve(known[Math.floor(Math.random() * known.length)]!);
    // Warm every instance (JIT, caches, the known people's users rows on both servers).
    for (const instance of instances) await load([instance], someone, instance !== sqlite);

    const rounds: { sqliteOne: Awaited<ReturnType<typeof load>>; postgresOne: Awaited<ReturnType<typeof load>>; ratio: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const sqliteOne = await load([sqlite], someone, false);
      const postgresOne = await load([pgA], someone);
      rounds.push({ sqliteOne, postgresOne, ratio: Math.round((postgresOne.requestsPerSecond / sqliteOne.requestsPerSecond) * 100) / 100 });
    }
    const postgresTwo = await load([pgA, pgB], someone);
    const knownPeopleTwo = await load([pgA, pgB], someone);
    const firstSeenTwo = await load([pgA, pgB], () => token(`bench-new-${randomUUID()}`));
    const live = await liveDelay(pgA, pgB);
    const summary = (pick: (r: (typeof rounds)[0]) => Awaited<ReturnType<typeof load>>) => {
      const all = rounds.map(pick);
      return {
        requestsPerSecond: median(all.map((r) => r.requestsPerSecond)),
        p50Ms: median(all.map((r) => r.p50Ms)),
        p99Ms: median(all.map((r) => r.p99Ms)),
        non2xx: all.reduce((sum, r) => sum + r.non2xx, 0),
        serverCpuMsPerCheckIn: median(all.map((r) => r.serverCpuMsPerCheckIn)),
        databaseCpuMsPerCheckIn: all[0]!.databaseCpuMsPerCheckIn === null ? null : median(all.map((r) => r.databaseCpuMsPerCheckIn ?? 0)),
      };
    };
    return {
      connections: CONNECTIONS,
      seconds: SECONDS,
      loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((l) => Math.round(l * 100) / 100) },
      rounds: ROUNDS,
      sqliteOne: summary((r) => r.sqliteOne),
      postgresOne: summary((r) => r.postgresOne),
      postgresTwo,
      ratioPostgresOneToSqliteOne: median(rounds.map((r) => r.ratio)),
      ratioPerRound: rounds.map((r) => r.ratio),
      ratioPostgresTwoToOne: Math.round((postgresTwo.requestsPerSecond / summary((r) => r.postgresOne).requestsPerSecond) * 100) / 100,
      firstSeenVsKnownTwo: {
        knownPeople: knownPeopleTwo,
        firstSeenPeople: firstSeenTwo,
        p99Ratio: Math.round((firstSeenTwo.p99Ms / knownPeopleTwo.p99Ms) * 100) / 100,
      },
      liveDelayAToB: live,
      targets: { ratioPostgresOneToSqliteOne: 0.9 },
    };
  } finally {
    await stop(instances);
    rmSync(dir, { recursive: true, force: true });
    await adminClient.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
    await adminClient.end();
  }
}
