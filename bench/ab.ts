/**
 * Same-run A/B of two widget builds, for a machine too noisy for absolute figures: a build kept
 * from before a change (`BENCH_AB_BEFORE`, a copy of an earlier dist/widgets) against the current
 * one (built and served as the browser benches do, bench/demo-server.ts), side by side, alternated.
 * The demo pages are the same for both; the preloaded copies (dist/demo-pages) are served only by
 * a server whose widget folder holds the chunks they link, so the earlier build gets the plain pages.
 *
 *   cp -r dist/widgets /tmp/widgets-before   # before the change
 *   BENCH_AB_BEFORE=/tmp/widgets-before npx tsx bench/ab.ts lighthouse / /staff.html
 *   BENCH_AB_BEFORE=/tmp/widgets-before npx tsx bench/ab.ts coldstart
 *
 * `lighthouse`: Lighthouse 12 as in lighthouse.bench.ts (performance only), `BENCH_AB_ROUNDS`
 * rounds (default 2), one JSON line per run. `coldstart`: first interactive control of the
 * check-in on /check-in-only.html, before and after, and the plain Lit element, `BENCH_AB_RUNS`
 * cold loads each (default 12), as coldstart.bench.ts measures it; prints medians and ratios.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import puppeteer from 'puppeteer-core';
import { alternateLoads, type Load } from './coldstart.bench.js';
import { CHROMIUM, CHROMIUM_ARGS, spawnServer, startDemoServer, type DemoServer } from './demo-server.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../node_modules/lighthouse/cli/index.js', import.meta.url));
const [mode, ...pages] = process.argv.slice(2);
const beforeDir = process.env.BENCH_AB_BEFORE;
if (!beforeDir || (mode !== 'lighthouse' && mode !== 'coldstart')) {
  console.error('usage: BENCH_AB_BEFORE=<earlier dist/widgets copy> npx tsx bench/ab.ts lighthouse <page>… | coldstart');
  process.exit(2);
}

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const before = async (): Promise<DemoServer> => {
  const widgets = temp('care-ab-widgets-');
  cpSync(beforeDir, widgets, { recursive: true });
  return spawnServer(widgets, temp('care-ab-pages-'));
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Audit {
  numericValue?: number;
  details?: { items?: { duration: number }[] };
}

async function lighthouse(): Promise<void> {
  const rounds = Number(process.env.BENCH_AB_ROUNDS ?? 2);
  const servers = { after: await startDemoServer(), before: await before() };
  const out = temp('care-ab-lighthouse-');
  try {
    for (let round = 0; round < rounds; round++) {
      for (const page of pages.length > 0 ? pages : ['/']) {
        for (const which of round % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const)) {
          const file = join(out, 'report.json');
          const lighthouseRun = () =>
            run(
              process.execPath,
              [cli, servers[which].base + page, '--output=json', `--output-path=${file}`, '--quiet', '--only-categories=performance', `--chrome-flags=--headless=new ${CHROMIUM_ARGS.join(' ')}`],
              { env: { ...process.env, CHROME_PATH: CHROMIUM }, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 },
            );
          // On a loaded machine Lighthouse now and then loses its trace (NO_NAVSTART): that run is
          // taken again once, instead of ending the whole comparison.
          await lighthouseRun().catch((error: unknown) => {
            console.error(`lighthouse ${which} ${page}: ${error instanceof Error ? error.message.split('\n').at(-2) : String(error)}; running it again`);
            return lighthouseRun();
          });
          const report = JSON.parse(readFileSync(file, 'utf8')) as { categories: { performance: { score: number } }; audits: Record<string, Audit> };
          const audit = (id: string) => Math.round(report.audits[id]?.numericValue ?? NaN);
          const tasks = report.audits['long-tasks']?.details?.items ?? [];
          console.log(
            JSON.stringify({
              which,
              round,
              page,
              performance: Math.round(report.categories.performance.score * 100),
              tbtMs: audit('total-blocking-time'),
              lcpMs: audit('largest-contentful-paint'),
              mainThreadMs: audit('mainthread-work-breakdown'),
              scriptMs: audit('bootup-time'),
              longestTaskMs: Math.round(Math.max(0, ...tasks.map((t) => t.duration))),
            }),
          );
        }
      }
    }
  } finally {
    servers.before.stop();
    servers.after.stop();
  }
}

async function coldstart(): Promise<void> {
  const runs = Number(process.env.BENCH_AB_RUNS ?? 12);
  const after = await startDemoServer();
  const earlier = await before();
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const urls = { before: `${earlier.base}/check-in-only.html`, after: `${after.base}/check-in-only.html`, plain: `${after.base}/baseline/plain.html` };
  let loads: Record<keyof typeof urls, Load[]>;
  try {
    loads = await alternateLoads(browser, urls, { runs, timeoutMs: 60_000, reverseOddRounds: true });
  } finally {
    await browser.close();
    earlier.stop();
    after.stop();
  }
  const summary = (list: Load[]) => ({
    medianMs: Math.round(median(list.map((l) => l.ms)) * 10) / 10,
    requests: median(list.map((l) => l.requests)),
    kB: Math.round(median(list.map((l) => l.transferBytes)) / 102.4) / 10,
  });
  const figures = { before: summary(loads.before), after: summary(loads.after), plain: summary(loads.plain) };
  console.log(
    JSON.stringify({
      runs,
      ...figures,
      ratioBefore: Math.round((figures.before.medianMs / figures.plain.medianMs) * 100) / 100,
      ratioAfter: Math.round((figures.after.medianMs / figures.plain.medianMs) * 100) / 100,
    }),
  );
}

if (mode === 'lighthouse') await lighthouse();
else await coldstart();
