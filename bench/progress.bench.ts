/**
 * progress.summary for a client with 5 years of daily check-ins (plus fortnightly PHQ-9 and GAD-7),
 * in a clinic where 300 other clients check in too. Measured three ways, with the baseline in the
 * same run: a bare indexed SELECT of the same daily rows (what any implementation must at least
 * read), the summary function on the database, and the whole HTTP round trip (JWT, tRPC, JSON).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { createApp } from '../server/app.js';
import { configFromEnv } from '../server/config.js';
import type { Db } from '../server/db/index.js';
import { checkInRow } from '../server/db/check-in-row.js';
import type { CheckInsTable } from '../server/db/schema.js';
import { progressSummary } from '../server/domain/progress.js';
import { gad7Severity, phq9Severity } from '../server/domain/scoring.js';
import { summarize, timeRuns } from './stats.js';

const CLINIC = 'bench-clinic';
const SECRET = 'bench-clinic-secret-0123456789-abcdefghijkl';
const CLIENT = 'bench-client';
const YEARS = 5;
const OTHER_CLIENTS = 300;
const OTHER_DAYS = 90;
const RUNS = Number(process.env.BENCH_RUNS ?? 400);
const WARMUP = 40;
const DAY = 86_400_000;

function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** A row of the bench clinic's history. */
const row = (clientId: string, at: Date, templateId: string, answers: object, score: object | null) =>
  checkInRow({ clinicId: CLINIC, clientId, templateId, answers, score, submittedAt: at.toISOString() });

async function seed(db: Db): Promise<number> {
  const now = Date.now();
  await db
    .insertInto('clinics')
    .values({ id: CLINIC, name: 'Bench', hs256_secret: SECRET, jwks_url: null, region: 'US', default_locale: 'en', risk_rules: null, enabled_templates: '["daily","phq9","gad7","bam"]', created_at: new Date().toISOString() })
    .execute();
  const next = random(42);
  const rows: CheckInsTable[] = [];
  const days = YEARS * 365 + 1;
  for (let day = days; day >= 0; day--) {
    const at = new Date(now - day * DAY - next() * 6 * 3_600_000);
    const daily = { mood: Math.round(next() * 10), craving: Math.round(next() * 10), sleepHours: Math.round(next() * 20) / 2, medication: 'yes', warningSigns: [], used: next() < 0.01 ? 'yes' : 'no', note: 'A short note about the day.' };
    rows.push(row(CLIENT, at, 'daily', daily, null));
    if (day % 14 === 0) {
      const phq = Math.round(next() * 27);
      const gad = Math.round(next() * 21);
      rows.push(row(CLIENT, at, 'phq9', {}, { instrument: 'phq9', total: phq, max: 27, severity: phq9Severity(phq) }));
      rows.push(row(CLIENT, at, 'gad7', {}, { instrument: 'gad7', total: gad, max: 21, severity: gad7Severity(gad) }));
    }
  }
  for (let c = 0; c < OTHER_CLIENTS; c++) {
    for (let day = OTHER_DAYS; day >= 0; day--) {
      rows.push(row(`other-${c}`, new Date(now - day * DAY), 'daily', { mood: 5, craving: 5, sleepHours: 7, medication: 'yes', used: 'no' }, null));
    }
  }
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('check_ins').values(rows.slice(i, i + 500)).execute();
    await trx
      .insertInto('users')
      .values({ clinic_id: CLINIC, id: CLIENT, role: 'client', display_name: 'Bench', created_at: new Date(now - days * DAY).toISOString(), recovery_start_date: new Date(now - days * DAY).toISOString().slice(0, 10) })
      .execute();
    await trx
      .insertInto('sessions_attended')
      .values(Array.from({ length: 200 }, (_, i) => ({ id: randomUUID(), clinic_id: CLINIC, client_id: CLIENT, kind: i % 3 ? 'group' : 'telehealth', source_id: null, joined_at: new Date(now - i * 7 * DAY).toISOString(), left_at: null }) as const))
      .execute();
    await trx
      .insertInto('modules_completed')
      .values(Array.from({ length: 20 }, (_, i) => ({ id: randomUUID(), clinic_id: CLINIC, client_id: CLIENT, module_id: `m${i}`, title: `Module ${i}`, completed_at: new Date(now - i * 30 * DAY).toISOString(), recorded_by: 'bench', recorded_at: new Date().toISOString() })))
      .execute();
    await trx
      .insertInto('goals')
      .values(Array.from({ length: 5 }, (_, i) => ({ id: randomUUID(), clinic_id: CLINIC, client_id: CLIENT, title: `Goal ${i}`, target: 10, current: i, archived: 0, created_at: new Date().toISOString(), updated_at: new Date().toISOString() })))
      .execute();
  });
  return rows.filter((r) => r.client_id === CLIENT && r.template_id === 'daily').length;
}

export default async function bench() {
  const dir = mkdtempSync(join(tmpdir(), 'care-bench-progress-'));
  const care = await createApp(configFromEnv({}, { databaseUrl: `sqlite:${join(dir, 'care.db')}`, demo: false, logLevel: 'silent' }));
  const server: Server = await new Promise((resolve) => {
    const s = care.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const { db } = care;
    const dailyRows = await seed(db);
    const token = await new SignJWT({ clinic: CLINIC, role: 'client' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(CLIENT)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc/progress.summary?input=${encodeURIComponent(JSON.stringify({ timeZone: 'America/New_York' }))}`;

    const baseline = () =>
      db
        .selectFrom('check_ins')
        .select(['submitted_at', 'answers'])
        .where('clinic_id', '=', CLINIC)
        .where('client_id', '=', CLIENT)
        .where('template_id', '=', 'daily')
        .orderBy('submitted_at')
        .execute();
    const summaryNewYork = () => progressSummary(db, CLINIC, CLIENT, 'America/New_York');
    const summaryUtc = () => progressSummary(db, CLINIC, CLIENT, 'UTC');
    const overHttp = async () => {
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`progress.summary ${res.status}`);
      return (await res.json()) as unknown;
    };

    const check = await summaryNewYork();
    if ((await baseline()).length !== dailyRows || check.checkIns.total !== dailyRows) throw new Error('bench fixture mismatch');

    for (const fn of [baseline, summaryNewYork, summaryUtc, overHttp]) await timeRuns(WARMUP, fn);
    // Interleave the measurements so drift on a noisy machine hits each one alike.
    const samples = { baseline: [] as number[], summaryNewYork: [] as number[], summaryUtc: [] as number[], overHttp: [] as number[] };
    for (let round = 0; round < 4; round++) {
      samples.baseline.push(...(await timeRuns(RUNS / 4, baseline)));
      samples.summaryNewYork.push(...(await timeRuns(RUNS / 4, summaryNewYork)));
      samples.summaryUtc.push(...(await timeRuns(RUNS / 4, summaryUtc)));
      samples.overHttp.push(...(await timeRuns(RUNS / 4, overHttp)));
    }
    const stats = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)])) as Record<keyof typeof samples, ReturnType<typeof summarize>>;
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    return {
      fixture: { dailyCheckIns: dailyRows, years: YEARS, otherClients: OTHER_CLIENTS, timeZone: 'America/New_York' },
      baselineBareSelect: stats.baseline,
      summary: stats.summaryNewYork,
      summaryUtc: stats.summaryUtc,
      summaryOverHttp: stats.overHttp,
      ratioToBaseline: {
        summaryMedian: ratio(stats.summaryNewYork.medianMs, stats.baseline.medianMs),
        summaryP99: ratio(stats.summaryNewYork.p99Ms, stats.baseline.p99Ms),
        httpMedian: ratio(stats.overHttp.medianMs, stats.baseline.medianMs),
        httpP99: ratio(stats.overHttp.p99Ms, stats.baseline.p99Ms),
      },
    };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await care.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
