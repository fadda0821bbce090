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

/** One cold load: ms to the first interactive control, and what the page fetched. */
export interface Load {
  ms: number;
  requests: number;
  transferBytes: number;
}

/** Loads `url` in a fresh browser context (nothing cached) and waits for its first interactive control. */
async function load(browser: Browser, url: string, timeoutMs: number): Promise<Load> {
  const context = await browser.createBrowserContext();
  try {
    const tab = await context.newPage();
    const problems: string[] = [];
    tab.on('pageerror', (error) => problems.push(String(error)));
    await tab.evaluateOnNewDocument(WATCH);
    await tab.goto(url, { waitUntil: 'domcontentloaded' });
    await tab.waitForFunction('window.__interactive', { timeout: timeoutMs, polling: 50 }).catch((error: unknown) => {
      throw new Error(`${url}: ${String(error)} ${problems.join(' | ')}`);
    });
    return (await tab.evaluate(`({
      ms: window.__interactive,
      requests: performance.getEntriesByType('resource').length + 1,
      transferBytes: performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation')).reduce((sum, e) => sum + e.transferSize, 0),
    })`)) as Load;
  } finally {
    await context.close();
  }
}

export interface AlternateOptions {
  /** Cold loads of each page. */
  runs: number;
  /** Longest wait for a page's first interactive control. */
  timeoutMs: number;
  /** Every other round loads the pages in reverse order. */
  reverseOddRounds?: boolean;
}

/**
 * Cold loads of several pages, alternated so the machine's other load hits them all alike: one
 * warm-up load of each first (server JIT, disk cache of the files), not counted, then `runs` rounds
 * of one load of each, in the order of `urls`.
 */
export async function alternateLoads<K extends string>(browser: Browser, urls: Record<K, string>, options: AlternateOptions): Promise<Record<K, Load[]>> {
  const keys = Object.keys(urls) as K[];
  for (const key of keys) await load(browser, urls[key], options.timeoutMs);
  const samples = Object.fromEntries(keys.map((key) => [key, [] as Load[]])) as Record<K, Load[]>;
  for (let i = 0; i < options.runs; i++) {
    const order = options.reverseOddRounds && i % 2 === 1 ? [...keys].reverse() : keys;
    for (const key of order) samples[key].push(await load(browser, urls[key], options.timeoutMs));
  }
  return samples;
}

export default async function coldstart() {
  const missing = chromiumMissing();
  if (missing) return { skipped: missing };
  const server = await startDemoServer();
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const pages = { checkIn: `${server.base}/check-in-only.html`, baseline: `${server.base}/baseline/plain.html` };
    const samples = await alternateLoads(browser, pages, { runs: RUNS, timeoutMs: 30_000 });
    const describe = (list: Load[]) => ({
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
