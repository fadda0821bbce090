/**
 * Start-up in headless Chromium: milliseconds from the start of loading the widget's module to an
 * interactive <care-check-in> (form rendered, first answer focusable), median of 20 cold loads, and
 * the total of long tasks (> 50 ms) during it — through the check-in's own entry, the autoloader
 * and the whole-suite bundle. Baseline in the same run: loading the provider entry alone (Lit,
 * context, i18n, client) — the ratio shows what the widget itself adds.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { summarize } from './stats.js';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 20);
const PORT = 18_600 + (process.pid % 300);
const base = `http://127.0.0.1:${PORT}`;

async function startServer() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: String(PORT), DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'care-startup-')), 'care.db')}`, LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return child;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

/** The page a clinic would write: load a module, show <care-check-in>, wait until its first answer takes focus. */
const page = (entry: string, tag: string | null) => `<!doctype html><html lang="en"><body><script type="module">
  const longTasks = [];
  new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask', buffered: true });
  const t0 = performance.now();
  ${
    tag
      ? `const el = document.createElement('${tag}');
  el.endpoint = '${base}';
  document.body.append(el);`
      : ''
  }
  await import('${base}/widgets/${entry}');
  const imported = performance.now();
  ${
    tag
      ? `await customElements.whenDefined('${tag}');
  await el.updateComplete;
  const first = el.shadowRoot.querySelector('input');
  first.focus();
  if (el.shadowRoot.activeElement !== first) throw new Error('not interactive');`
      : ''
  }
  const done = performance.now();
  await new Promise((r) => setTimeout(r, 100));
  window.__result = { ms: done - t0, renderMs: done - imported, longTaskMs: longTasks.reduce((a, b) => a + b, 0) };
</script></body></html>`;

export default async function startup() {
  const server = await startServer();
  const browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    // about:blank may not load from loopback under Private Network Access; the bench page is ours.
    args: ['--disable-web-security', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    async function measure(entry: string, tag: string | null) {
      const ms: number[] = [];
      const render: number[] = [];
      const longTasks: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const context = await browser.createBrowserContext(); // cold: nothing cached
        const tab = await context.newPage();
        const problems: string[] = [];
        tab.on('pageerror', (error) => problems.push(String(error)));
        tab.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
        await tab.goto('about:blank');
        await tab.setContent(page(entry, tag));
        await tab.waitForFunction('window.__result', { timeout: 30_000 }).catch((error: unknown) => {
          throw new Error(`${String(error)}: ${problems.join(' | ')}`);
        });
        const result = (await tab.evaluate('window.__result')) as { ms: number; renderMs: number; longTaskMs: number };
        ms.push(result.ms);
        render.push(result.renderMs);
        longTasks.push(result.longTaskMs);
        await context.close();
      }
      return { ...summarize(ms), moduleLoadedToInteractiveMedianMs: summarize(render).medianMs, longTaskTotalMedianMs: summarize(longTasks).medianMs };
    }
    const baseline = await measure('provider.js', null);
    // As a page that shows only the check-in loads it: its own entry (core + widget, one round of requests).
    const checkIn = await measure('check-in.js', 'care-check-in');
    // The autoloader finds the tag, then loads the same two chunks: one round trip more.
    const autoloader = await measure('autoloader.js', 'care-check-in');
    // The whole suite in one script tag: every widget's code before the first one shows.
    const suite = await measure('care-widgets.js', 'care-check-in');
    return {
      coldLoads: RUNS,
      interactiveCheckIn: checkIn,
      viaAutoloader: autoloader,
      viaWholeSuite: suite,
      baselineProviderOnly: baseline,
      ratio: Math.round((checkIn.medianMs / baseline.medianMs) * 100) / 100,
      targetMs: 150,
      withinTarget: checkIn.medianMs < 150,
    };
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
}
