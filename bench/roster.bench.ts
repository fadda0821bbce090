/**
 * `<care-roster>`'s query for a clinic of 10,000 clients × 90 days of check-ins (about 610,000
 * rows: daily check-ins at 20–95 % adherence plus a PHQ-9 and GAD-7 every 14 days). Measures `listRoster`
 * (what roster.list runs, minus HTTP and audit) over many runs with every sort column and the
 * filters, against a baseline in the same run: a bare indexed count of the clinic's check-ins of
 * the last 14 days, the cheapest honest question about the same table.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { ROSTER_SORTS, type RosterListInput } from '../server/contract/index.js';
import { migrateToLatest, openDatabase } from '../server/db/index.js';
import { listRoster } from '../server/domain/roster.js';
import { refreshClinic } from '../server/domain/roster-stats.js';
import { summarize, timeRuns } from './stats.js';

const CLIENTS = Number(process.env.BENCH_ROSTER_CLIENTS ?? 10_000);
const DAYS = 90;
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const CLINIC = 'bench-clinic';

function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

export function seed(file: string): number {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = OFF');
  const now = Date.now();
  sqlite
    .prepare(`insert into clinics (id, name, hs256_secret, region, default_locale, enabled_templates, created_at, time_zone) values (?, ?, ?, 'US', 'en', '[]', ?, 'America/Chicago')`)
    .run(CLINIC, 'Bench clinic', 'bench-secret-bench-secret-bench-secret', new Date(now).toISOString());
  const user = sqlite.prepare(`insert into users (clinic_id, id, role, display_name, created_at) values (?, ?, 'client', ?, ?)`);
  const checkIn = sqlite.prepare(
    `insert into check_ins (id, clinic_id, client_id, client_request_id, template_id, template_version, answers, score, risk_level, risk_reasons, submitted_at, received_at)
     values (?, ?, ?, ?, ?, 1, ?, ?, 'none', '[]', ?, ?)`,
  );
  const alert = sqlite.prepare(
    `insert into alerts (id, clinic_id, client_id, check_in_id, source, level, reasons, created_at) values (?, ?, ?, null, 'check_in', 'elevated', '["high_craving"]', ?)`,
  );
  const next = random(42);
  let rows = 0;
  sqlite.transaction(() => {
    for (let c = 0; c < CLIENTS; c++) {
      const clientId = `client-${String(c).padStart(5, '0')}`;
      const adherence = 0.2 + next() * 0.75; // some people check in most days, some rarely
      user.run(CLINIC, clientId, `Person ${c}`, new Date(now - (DAYS + 10) * 86_400_000).toISOString());
      for (let day = DAYS; day >= 0; day--) {
        if (next() > adherence) continue;
        const at = new Date(now - day * 86_400_000 - Math.floor(next() * 8) * 3_600_000).toISOString();
        const answers = JSON.stringify({ mood: 6, craving: Math.floor(next() * 10), sleepHours: 7, medication: 'yes', used: next() < 0.02 ? 'yes' : 'no' });
        checkIn.run(`${clientId}-d${day}`, CLINIC, clientId, `${clientId}-rd${day}`, 'daily', answers, null, at, at);
        rows++;
        if (day % 14 === 0) {
          const total = Math.floor(next() * 27);
          checkIn.run(`${clientId}-p${day}`, CLINIC, clientId, `${clientId}-rp${day}`, 'phq9', '{}', JSON.stringify({ instrument: 'phq9', total, max: 27, severity: 'mild' }), at, at);
          checkIn.run(`${clientId}-g${day}`, CLINIC, clientId, `${clientId}-rg${day}`, 'gad7', '{}', JSON.stringify({ instrument: 'gad7', total: total % 22, max: 21, severity: 'mild' }), at, at);
          rows += 2;
        }
      }
      if (next() < 0.03) alert.run(`alert-${c}`, CLINIC, clientId, new Date(now - 3_600_000).toISOString());
    }
  })();
  sqlite.pragma('optimize');
  sqlite.close();
  return rows;
}

export default async function rosterBench() {
  const dir = mkdtempSync(join(tmpdir(), 'care-bench-roster-'));
  const file = join(dir, 'care.db');
  const db = openDatabase(`sqlite:${file}`);
  try {
    await migrateToLatest(db);
    let started = performance.now();
    const checkIns = seed(file);
    const seedMs = performance.now() - started;
    started = performance.now();
    await refreshClinic(db, CLINIC);
    const firstRefreshMs = performance.now() - started;

    const inputs: NonNullable<RosterListInput>[] = [
      ...ROSTER_SORTS.flatMap((sort) => [
        { sort, direction: 'asc' as const },
        { sort, direction: 'desc' as const },
      ]),
      { sort: 'lastCheckIn', direction: 'asc', cursor: '5000' },
      { search: 'person 12' },
      { hasOpenAlerts: true, sort: 'openAlerts' },
      { engagementBelow: 4, sort: 'engagement', direction: 'asc' },
    ];
    const fourteenDaysAgo = new Date(Date.now() - 14 * 86_400_000).toISOString();
    const baseline = () =>
      db
        .selectFrom('check_ins')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('clinic_id', '=', CLINIC)
        .where('submitted_at', '>=', fourteenDaysAgo)
        .executeTakeFirstOrThrow();
    // Warm caches once for both, then interleave so both see the same machine noise.
    await baseline();
    for (const input of inputs) await listRoster(db, CLINIC, { ...input, limit: 25 });
    const rosterSamples: number[] = [];
    const baselineSamples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      rosterSamples.push(...(await timeRuns(1, () => listRoster(db, CLINIC, { ...inputs[i % inputs.length]!, limit: 25 }))));
      baselineSamples.push(...(await timeRuns(1, baseline)));
    }
    const perSort: Record<string, number> = {};
    for (const input of inputs) {
      const label = JSON.stringify(input);
      perSort[label] = summarize(await timeRuns(5, () => listRoster(db, CLINIC, { ...input, limit: 25 }))).medianMs;
    }
    const roster = summarize(rosterSamples);
    const base = summarize(baselineSamples);
    return {
      clients: CLIENTS,
      days: DAYS,
      checkIns,
      seedMs: Math.round(seedMs),
      firstRefreshMs: Math.round(firstRefreshMs),
      rosterList: roster,
      baselineIndexedCount14d: base,
      medianRatio: Math.round((roster.medianMs / base.medianMs) * 100) / 100,
      p99Ratio: Math.round((roster.p99Ms / base.p99Ms) * 100) / 100,
      medianMsByQuery: perSort,
    };
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
