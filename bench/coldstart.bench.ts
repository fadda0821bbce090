/**
 * Cold start in headless Chromium: milliseconds from navigation start to the first interactive
 * control of `<care-check-in>` (an enabled input in its shadow root that takes focus) on the
 * one-widget demo page (/check-in-only.html: provider + check-in entries, brotli as served),
 * against the baseline — a plain Lit element with the same markup and styles on the same page shell,
 * served the same way (bench/demo-server.ts). 30 cold loads each (a fresh browser context per load,
 * nothing cached), the two pages alternating so the machine's other load hits both alike.
 * Target: ratio of medians ≤ 1.15.
 */
import puppeteer, { type Browser } from 'puppeteer-core';
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing, startDemoServer } from './demo-server.js';
import { summarize } from './stats.js';

const RUNS = Number(process.env.BENCH_COLDSTART_RUNS ?? 30);

/** Injected before any page script: polls every frame for the first control that takes focus. */
const WATCH = `(() => {
  const check = () => {
    const el = document.querySelector('care-check-in, plain-check-in');
    const control = el && el.shadowRoot && el.shadowRoot.querySelector('input:not([disabled]), button:not([disabled])');
    if (control) {
      control.focus();
      if (el.shadowRoot.activeElement === control) {
        window.__interactive = performance.now();
        return;
      }
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`;

async function load(browser: Browser, url: string) {
  const context = await browser.createBrowserContext();
  try {
    const tab = await context.newPage();
    const problems: string[] = [];
    tab.on('pageerror', (error) => problems.push(String(error)));
    await tab.evaluateOnNewDocument(WATCH);
    await tab.goto(url, { waitUntil: 'domcontentloaded' });
    await tab.waitForFunction('window.__interactive', { timeout: 30_000, polling: 50 }).catch((error: unknown) => {
      throw new Error(`${url}: ${String(error)} ${problems.join(' | ')}`);
    });
    return (await tab.evaluate(`({
      ms: window.__interactive,
      requests: performance.getEntriesByType('resource').length + 1,
      transferBytes: performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation')).reduce((sum, e) => sum + e.transferSize, 0),
    })`)) as { ms: number; requests: number; transferBytes: number };
  } finally {
    await context.close();
  }
}

export default async function coldstart() {
  const missing = chromiumMissing();
  if (missing) return { skipped: missing };
  const server = await startDemoServer();
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const pages = { checkIn: `${server.base}/check-in-only.html`, baseline: `${server.base}/baseline/plain.html` };
    // One warm-up load of each (server JIT, disk cache of the files), not counted.
    await load(browser, pages.checkIn);
    await load(browser, pages.baseline);
    const samples = { checkIn: [] as Awaited<ReturnType<typeof load>>[], baseline: [] as Awaited<ReturnType<typeof load>>[] };
    for (let i = 0; i < RUNS; i++) {
      samples.checkIn.push(await load(browser, pages.checkIn));
      samples.baseline.push(await load(browser, pages.baseline));
    }
    const describe = (list: Awaited<ReturnType<typeof load>>[]) => ({
      ...summarize(list.map((s) => s.ms)),
      requests: list[0]!.requests,
      transferBytes: summarize(list.map((s) => s.transferBytes)).medianMs,
    });
    const checkIn = describe(samples.checkIn);
    const baseline = describe(samples.baseline);
    const ratio = Math.round((checkIn.medianMs / baseline.medianMs) * 100) / 100;
    return {
      coldLoads: RUNS,
      firstInteractiveCheckIn: checkIn,
      baselinePlainLitSameMarkup: baseline,
      ratio,
      target: 1.15,
      withinTarget: ratio <= 1.15,
    };
  } finally {
    await browser.close();
    server.stop();
  }
}
