/**
 * An open-loop load generator: request i is sent at start + i / rate whatever the earlier answers
 * do, and its latency runs from that intended moment (so a late send or a slow server counts, with
 * no coordinated omission). autocannon's `overallRate` is not this: each connection sends its
 * per-second quota back to back when its one-second window opens, so 300/s arrives as one burst of
 * 300 a second, and its p99 is the time the server takes to drain the burst.
 */
import { Agent, request } from 'node:http';

export interface OpenLoopOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** The body of each request (called once per request), for POST. */
  body?: () => string;
  rate: number;
  seconds: number;
  /** Requests due in the first seconds are sent but not counted (connections opening, JIT). */
  warmupSeconds: number;
}

export interface OpenLoopResult {
  /** Answers counted per second of the counted window. */
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
}

export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const intervalMs = 1000 / options.rate;
  const warmup = Math.round(options.rate * options.warmupSeconds);
  const total = warmup + Math.round(options.rate * options.seconds);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const answered: Promise<void>[] = [];
  const start = performance.now();

  const send = (index: number) => {
    const intended = start + index * intervalMs;
    const counted = index >= warmup;
    answered.push(
      new Promise<void>((resolve) => {
        const req = request(options.url, { method: options.method ?? 'GET', headers: options.headers, agent }, (res) => {
          res.resume();
          res.once('end', () => {
            if (counted) {
              latencies.push(performance.now() - intended);
              if (res.statusCode === undefined || res.statusCode < 200 || res.statusCode > 299) non2xx++;
            }
            resolve();
          });
        });
        req.once('error', () => {
          if (counted) errors++;
          resolve();
        });
        req.end(options.body?.());
      }),
    );
  };

  await new Promise<void>((resolve) => {
    let sent = 0;
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / intervalMs) + 1);
      while (sent < due) send(sent++);
      if (sent >= total) return resolve();
      setTimeout(tick, Math.max(0, start + sent * intervalMs - performance.now()));
    };
    tick();
  });
  await Promise.all(answered);
  agent.destroy();

  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN) * 10) / 10;
  return {
    requestsPerSecond: Math.round(latencies.length / options.seconds),
    p50Ms: at(0.5),
    p90Ms: at(0.9),
    p99Ms: at(0.99),
    maxMs: at(1),
    non2xx,
    errors,
  };
}
