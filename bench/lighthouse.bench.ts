/**
 * Lighthouse 12 (pinned: the last release that runs on Node 20) with the Debian Chromium, default
 * mobile emulation and simulated throttling, on the demo pages as served (bench/demo-server.ts:
 * widgets brotli-compressed with their cache headers): `/`, `/staff.html`, `/groups.html` and the
 * one-widget page `/check-in-only.html`, against the baseline — a plain Lit element with the
 * check-in's markup on the same page shell, served the same way. Three rounds, every page once per
 * round (so the machine's other load hits all alike); figures are medians of 3. Where a score is
 * below 100 the audits that cost points are listed.
 * Targets: performance ≥ 95, accessibility, best practices and SEO 100, CLS < 0.05.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing, startDemoServer } from './demo-server.js';

const ROUNDS = Number(process.env.BENCH_LIGHTHOUSE_ROUNDS ?? 3);
const PAGES = ['/', '/staff.html', '/groups.html', '/check-in-only.html'];
const BASELINE = '/baseline/plain.html';
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const cli = fileURLToPath(new URL('../node_modules/lighthouse/cli/index.js', import.meta.url));
const run = promisify(execFile);

interface Report {
  categories: Record<string, { score: number | null; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<string, { score: number | null; numericValue?: number; title: string; scoreDisplayMode: string; displayValue?: string }>;
  runtimeError?: { message: string };
}

interface Figures {
  performance: number;
  accessibility: number;
  bestPractices: number;
  seo: number;
  cls: number;
  lcpMs: number;
  tbtMs: number;
  fcpMs: number;
  /** Main-thread work and JavaScript execution time (4× CPU slowdown included), where TBT comes from. */
  mainThreadMs: number;
  scriptMs: number;
  /** Audits that cost points (score below 1 in a scored category); their values are in the figures above. */
  lost: string[];
}

async function lighthouse(url: string, out: string): Promise<Figures> {
  await run(
    process.execPath,
    [cli, url, '--output=json', `--output-path=${out}`, '--quiet', `--only-categories=${CATEGORIES.join(',')}`, `--chrome-flags=--headless=new ${CHROMIUM_ARGS.join(' ')}`],
    { env: { ...process.env, CHROME_PATH: CHROMIUM }, maxBuffer: 64 * 1024 * 1024, timeout: 180_000 },
  );
  const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
  if (report.runtimeError) throw new Error(`${url}: ${report.runtimeError.message}`);
  const score = (id: string) => Math.round((report.categories[id]?.score ?? 0) * 100);
  const lost = new Set<string>();
  for (const category of CATEGORIES) {
    for (const ref of report.categories[category]!.auditRefs) {
      const audit = report.audits[ref.id]!;
      if (ref.weight > 0 && audit.score !== null && audit.score < 1 && audit.scoreDisplayMode !== 'informative') {
        lost.add(`${category}: ${audit.title}`);
      }
    }
  }
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    seo: score('seo'),
    cls: Math.round((report.audits['cumulative-layout-shift']?.numericValue ?? NaN) * 1000) / 1000,
    lcpMs: Math.round(report.audits['largest-contentful-paint']?.numericValue ?? NaN),
    tbtMs: Math.round(report.audits['total-blocking-time']?.numericValue ?? NaN),
    fcpMs: Math.round(report.audits['first-contentful-paint']?.numericValue ?? NaN),
    mainThreadMs: Math.round(report.audits['mainthread-work-breakdown']?.numericValue ?? NaN),
    scriptMs: Math.round(report.audits['bootup-time']?.numericValue ?? NaN),
    lost: [...lost],
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function summary(runs: Figures[]) {
  const pick = (key: Exclude<keyof Figures, 'lost'>) => median(runs.map((r) => r[key]));
  return {
    performance: pick('performance'),
    accessibility: pick('accessibility'),
    bestPractices: pick('bestPractices'),
    seo: pick('seo'),
    cls: pick('cls'),
    lcpMs: pick('lcpMs'),
    tbtMs: pick('tbtMs'),
    fcpMs: pick('fcpMs'),
    mainThreadMs: pick('mainThreadMs'),
    scriptMs: pick('scriptMs'),
    performancePerRun: runs.map((r) => r.performance),
    lost: [...new Set(runs.flatMap((r) => r.lost))],
  };
}

export default async function lighthouseBench() {
  const missing = chromiumMissing();
  if (missing) return { skipped: missing };
  const server = await startDemoServer();
  const out = mkdtempSync(join(tmpdir(), 'care-lighthouse-'));
  try {
    const runs = new Map<string, Figures[]>([...PAGES, BASELINE].map((page) => [page, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const page of [BASELINE, ...PAGES]) {
        process.stderr.write(`  lighthouse ${page} (round ${round + 1})\n`);
        runs.get(page)!.push(await lighthouse(`${server.base}${page}`, join(out, 'report.json')));
      }
    }
    const baseline = summary(runs.get(BASELINE)!);
    const pages = Object.fromEntries(
      PAGES.map((page) => {
        const figures = summary(runs.get(page)!);
        return [
          page,
          {
            ...figures,
            performanceRatioToBaseline: Math.round((figures.performance / baseline.performance) * 100) / 100,
            withinTargets:
              figures.performance >= 95 && figures.accessibility === 100 && figures.bestPractices === 100 && figures.seo === 100 && figures.cls < 0.05,
          },
        ];
      }),
    );
    return {
      lighthouse: '12.2.3, mobile emulation, simulated throttling',
      rounds: ROUNDS,
      pages,
      baselinePlainLit: baseline,
      targets: { performance: 95, accessibility: 100, bestPractices: 100, seo: 100, cls: 0.05 },
    };
  } finally {
    server.stop();
  }
}
