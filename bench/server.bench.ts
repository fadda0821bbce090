/**
 * checkIn.submit over HTTP (distinct clientRequestIds, real tokens), two ways, each against a
 * baseline on the same server in the same run (bench/fixtures/server-under-test.ts):
 * - Open loop (latency): requests arrive at a fixed 300 per second for 20 s whatever the answers
 *   do, one every 3.3 ms (bench/open-loop.ts; autocannon's `overallRate` sends them in one burst a
 *   second), as patients' phones would send them: p50/p99 from each request's intended send time
 *   (target p99 < 25 ms), with a hello-world express route at the same rate as the floor.
 * - Closed loop (throughput): 64 connections, each sending again as soon as it is answered, against
 *   a bare express handler that inserts the same row and, like the app, commits the rows of one turn
 *   of the event loop together: the ratio is the figure to watch (target ≥ 0.7). The two paths
 *   alternate for a few rounds; figures are medians over the rounds. (Here p99 only says how long
 *   the queue of 64 is: mean latency = 64 ÷ throughput.)
 * Each run's first second is a warm-up (not counted).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { openLoop as sendOpenLoop } from './open-loop.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** Raw and tRPC alternate, so a change in the machine's other load hits both alike. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 64;
const OPEN_RATE = 300;
const OPEN_SECONDS = Number(process.env.BENCH_OPEN_SECONDS ?? 20);
const answers = { mood: 6, craving: 3, sleepHours: 7, medication: 'yes', warningSigns: [], used: 'no' };

/** A check-in with a fresh clientRequestId, so every request stores a row. */
const checkInBody = () => JSON.stringify({ clientRequestId: randomUUID(), templateId: 'daily', answers, submittedAt: new Date().toISOString() });

/** Responses to requests sent in the first second are left out: autocannon opens its 64 connections at once, and on a busy machine some get going a second or two late, which would make p99 a measure of its ramp-up. */
const WARMUP_SECONDS = 1;

/** Closed loop: CONNECTIONS connections, each sending again as soon as it is answered. */
async function load(url: string, token: string) {
  const steady: number[] = [];
  const start = performance.now();
  const steadyFrom = start + WARMUP_SECONDS * 1000;
  let lastResponse = steadyFrom;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: 'POST',
        connections: CONNECTIONS,
        duration: WARMUP_SECONDS + SECONDS,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        requests: [
          {
            setupRequest: (request) => ({
              ...request,
              body: checkInBody(),
            }),
          },
        ],
      },
      (error, done) => (error ? reject(error as Error) : resolve(done)),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      const now = performance.now();
      if (now - responseTime < steadyFrom) return;
      steady.push(responseTime);
      lastResponse = now;
    });
  });
  steady.sort((a, b) => a - b);
  const at = (q: number) => Math.round(steady[Math.min(steady.length - 1, Math.floor(q * steady.length))]! * 10) / 10;
  return {
    requestsPerSecond: Math.round(steady.length / ((lastResponse - steadyFrom) / 1000)),
    p50Ms: at(0.5),
    p90Ms: at(0.9),
    p99Ms: at(0.99),
    maxMs: at(1),
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export default async function server() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/fixtures/server-under-test.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
    const { port, token } = JSON.parse(line) as { port: number; token: string };
    const base = `http://127.0.0.1:${port}`;
    // Warm both paths (JIT, SQLite page cache) before measuring.
    await autocannon({ url: `${base}/trpc/health`, connections: 8, duration: 1 });
    // Open loop first (the database is small for both), the floor just before the app.
    const open = { rate: OPEN_RATE, seconds: OPEN_SECONDS, warmupSeconds: WARMUP_SECONDS };
    const floor = await sendOpenLoop({ ...open, url: `${base}/hello`, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: checkInBody });
    const submitted = await sendOpenLoop({ ...open, url: `${base}/trpc/checkIn.submit`, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: checkInBody });
    const openLoop = {
      ratePerSecond: OPEN_RATE,
      seconds: OPEN_SECONDS,
      checkInSubmit: submitted,
      floorHelloWorldExpress: floor,
      p99RatioToFloor: Math.round((submitted.p99Ms / floor.p99Ms) * 100) / 100,
      targetP99Ms: 25,
      withinTarget: submitted.p99Ms < 25,
    };
    const rounds: { raw: Awaited<ReturnType<typeof load>>; trpc: Awaited<ReturnType<typeof load>>; ratio: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const raw = await load(`${base}/raw/checkIn.submit`, token);
      const trpc = await load(`${base}/trpc/checkIn.submit`, token);
      rounds.push({ raw, trpc, ratio: Math.round((trpc.requestsPerSecond / raw.requestsPerSecond) * 100) / 100 });
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const summary = (pick: (r: (typeof rounds)[0]) => Awaited<ReturnType<typeof load>>) => ({
      requestsPerSecond: median(rounds.map((r) => pick(r).requestsPerSecond)),
      p50Ms: median(rounds.map((r) => pick(r).p50Ms)),
      p99Ms: median(rounds.map((r) => pick(r).p99Ms)),
      non2xx: rounds.reduce((sum, r) => sum + pick(r).non2xx, 0),
      errors: rounds.reduce((sum, r) => sum + pick(r).errors, 0),
    });
    return {
      openLoop,
      connections: CONNECTIONS,
      seconds: SECONDS,
      rounds: ROUNDS,
      checkInSubmit: summary((r) => r.trpc),
      rawExpressCeiling: summary((r) => r.raw),
      ratio: median(rounds.map((r) => r.ratio)),
      ratioPerRound: rounds.map((r) => r.ratio),
      targets: { ratio: 0.7 },
    };
  } finally {
    child.kill('SIGTERM');
  }
}
