/**
 * FHIR R4 API speed, each against a same-run baseline:
 * - `QuestionnaireResponse?patient=` first page of 50 for a person with 5 years of daily check-ins,
 *   against the equivalent tRPC `checkIn.list` (limit 50) over HTTP: the ratio is the FHIR mapping's cost.
 * - Bulk export of a clinic with EXPORT_CLIENTS people × 90 days (default 10,000 × 90 = 900,000
 *   check-ins): resources per second for the three NDJSON files, and the process's peak RSS over
 *   its RSS before the export (memory must stay flat: files are streamed page by page).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { createApp } from '../server/app.js';
import { configFromEnv } from '../server/config.js';
import { checkInRow } from '../server/db/check-in-row.js';
import type { Db } from '../server/db/index.js';
import { summarize, timeRuns } from './stats.js';

const CLINIC = 'bench-clinic';
const SECRET = 'bench-clinic-secret-0123456789-abcdefghijkl';
const PERSON = 'bench-person';
const DAY = 86_400_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 400);
const EXPORT_CLIENTS = Number(process.env.BENCH_EXPORT_CLIENTS ?? 10_000);
const EXPORT_DAYS = 90;

const daily = (i: number) => ({ mood: i % 11, craving: (i * 7) % 11, sleepHours: 7.5, medication: 'yes', warningSigns: [], used: 'no', note: 'A short note about the day.' });

async function seed(db: Db): Promise<void> {
  const now = Date.now();
  await db
    .insertInto('clinics')
    .values({ id: CLINIC, name: 'Bench', hs256_secret: SECRET, jwks_url: null, region: 'US', default_locale: 'en', risk_rules: null, enabled_templates: '["daily","phq9","gad7","bam"]', created_at: new Date(now - 400 * DAY).toISOString() })
    .execute();
  const created = new Date(now - 6 * 365 * DAY).toISOString();
  const insert = async (rows: ReturnType<typeof checkInRow>[]) => {
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 500) await trx.insertInto('check_ins').values(rows.slice(i, i + 500)).execute();
    });
  };
  await db.insertInto('users').values({ clinic_id: CLINIC, id: PERSON, role: 'client', display_name: null, created_at: created, recovery_start_date: null }).execute();
  await insert(Array.from({ length: 5 * 365 }, (_, d) => checkInRow({ clinicId: CLINIC, clientId: PERSON, templateId: 'daily', answers: daily(d), submittedAt: new Date(now - (d + 1) * DAY).toISOString() })));
  for (let start = 0; start < EXPORT_CLIENTS; start += 200) {
    const ids = Array.from({ length: Math.min(200, EXPORT_CLIENTS - start) }, (_, i) => `client-${start + i}`);
    await db.insertInto('users').values(ids.map((id) => ({ clinic_id: CLINIC, id, role: 'client' as const, display_name: null, created_at: created, recovery_start_date: null }))).execute();
    await insert(ids.flatMap((id, c) => Array.from({ length: EXPORT_DAYS }, (_, d) => checkInRow({ clinicId: CLINIC, clientId: id, templateId: 'daily', answers: daily(c + d), submittedAt: new Date(now - (d + 1) * DAY - c * 1000).toISOString() }))));
  }
}

export default async function bench() {
  const dir = mkdtempSync(join(tmpdir(), 'care-bench-fhir-'));
  const care = await createApp(configFromEnv({}, { databaseUrl: `sqlite:${join(dir, 'care.db')}`, demo: false, logLevel: 'silent', rateLimitPerIp: 1e9, rateLimitPerToken: 1e9 }));
  const server: Server = await new Promise((resolve) => {
    const s = care.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const seeding = performance.now();
    await seed(care.db);
    const seedMs = Math.round(performance.now() - seeding);
    const sign = (sub: string, role: string) =>
      new SignJWT({ clinic: CLINIC, role }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime('2h').sign(new TextEncoder().encode(SECRET));
    const personToken = await sign(PERSON, 'client');
    const adminToken = await sign('bench-admin', 'admin');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const get = async (url: string, token: string) => {
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`${url}: ${res.status}`);
      return (await res.json()) as unknown;
    };
    const fhirPage = () => get(`${base}/fhir/R4/QuestionnaireResponse?patient=${PERSON}&_count=50`, personToken);
    const trpcPage = () => get(`${base}/trpc/checkIn.list?input=${encodeURIComponent(JSON.stringify({ limit: 50 }))}`, personToken);
    const first = (await fhirPage()) as { entry?: unknown[] };
    if (first.entry?.length !== 50) throw new Error('bench fixture mismatch: FHIR page is not 50 entries');

    for (const fn of [trpcPage, fhirPage]) await timeRuns(40, fn);
    const samples = { trpc: [] as number[], fhir: [] as number[] };
    for (let round = 0; round < 4; round++) {
      samples.trpc.push(...(await timeRuns(RUNS / 4, trpcPage)));
      samples.fhir.push(...(await timeRuns(RUNS / 4, fhirPage)));
    }
    const trpc = summarize(samples.trpc);
    const fhir = summarize(samples.fhir);

    // Bulk export: kick off, wait for the manifest, stream each file and count its lines.
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
    const started = performance.now();
    const kickOff = await fetch(`${base}/fhir/R4/Group/${CLINIC}/$export`, { headers: { authorization: `Bearer ${adminToken}`, prefer: 'respond-async' } });
    const status = kickOff.headers.get('content-location');
    if (kickOff.status !== 202 || !status) throw new Error(`export kick-off ${kickOff.status}`);
    let manifest: { output: { type: string; url: string }[] } | undefined;
    while (!manifest) {
      const res = await fetch(status, { headers: { authorization: `Bearer ${adminToken}` } });
      if (res.status === 200) manifest = (await res.json()) as typeof manifest;
      else await new Promise((r) => setTimeout(r, 50));
    }
    const counted = performance.now();
    const resources: Record<string, number> = {};
    for (const file of manifest.output) {
      const res = await fetch(file.url, { headers: { authorization: `Bearer ${adminToken}` } });
      let lines = 0;
      const decoder = new TextDecoder();
      const reader = res.body!.getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        for (const c of decoder.decode(read.value, { stream: true })) if (c === '\n') lines++;
      }
      resources[file.type] = lines;
    }
    const done = performance.now();
    clearInterval(sampler);
    const total = Object.values(resources).reduce((a, b) => a + b, 0);
    const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    return {
      fixture: { personDailyCheckIns: 5 * 365, exportClients: EXPORT_CLIENTS, exportDays: EXPORT_DAYS, seedMs },
      firstPageOf50: { baselineTrpcCheckInList: trpc, fhirQuestionnaireResponseSearch: fhir, ratioMedian: ratio(fhir.medianMs, trpc.medianMs), ratioP99: ratio(fhir.p99Ms, trpc.p99Ms) },
      bulkExport: {
        resources,
        countAndAuditMs: Math.round(counted - started),
        downloadMs: Math.round(done - counted),
        resourcesPerSecond: Math.round(total / ((done - started) / 1000)),
        rssBeforeMb: mb(rssBefore),
        rssPeakMb: mb(rssPeak),
        rssGrowthMb: mb(rssPeak - rssBefore),
      },
    };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await care.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
