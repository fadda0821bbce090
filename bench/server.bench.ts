/**
 * checkIn.submit under load (64 connections, distinct clientRequestIds, real tokens) against a bare
 * express handler that inserts the same row, measured in the same run: the ratio is the figure to
 * watch (target ≥ 0.7), with p50/p99 latency (target p99 < 25 ms).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = 64;
const answers = { mood: 6, craving: 3, sleepHours: 7, medication: 'yes', warningSigns: [], used: 'no' };

async function load(url: string, token: string) {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({ clientRequestId: randomUUID(), templateId: 'daily', answers, submittedAt: new Date().toISOString() }),
        }),
      },
    ],
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export default async function server() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/fixtures/server-under-test.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
    const { port, token } = JSON.parse(line) as { port: number; token: string };
    const base = `http://127.0.0.1:${port}`;
    // Warm both paths (JIT, SQLite page cache) before measuring.
    await autocannon({ url: `${base}/trpc/health`, connections: 8, duration: 1 });
    const ceiling = await load(`${base}/raw/checkIn.submit`, token);
    const trpc = await load(`${base}/trpc/checkIn.submit`, token);
    return {
      connections: CONNECTIONS,
      seconds: SECONDS,
      checkInSubmit: trpc,
      rawExpressCeiling: ceiling,
      ratio: Math.round((trpc.requestsPerSecond / ceiling.requestsPerSecond) * 100) / 100,
      targets: { ratio: 0.7, p99Ms: 25 },
    };
  } finally {
    child.kill('SIGTERM');
  }
}
