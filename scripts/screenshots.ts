/**
 * Screenshots of the demo client and staff pages at phone and desktop widths, in English and Arabic,
 * into docs/screenshots/ (run `npm run build:widgets` first). They show what a clinic sees on a fresh
 * install: the demo server (demo mode, a scratch SQLite file, seeded data) in headless Chromium.
 * Usage: npm run screenshots
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Page } from 'puppeteer-core';
import { createApp } from '../server/app.js';
import { configFromEnv } from '../server/config.js';
import { listen } from '../server/http-server.js';

const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const PAGES = [
  { name: 'client', path: '/', ready: 'care-check-in' },
  { name: 'staff', path: '/staff.html', ready: 'care-roster' },
] as const;
const WIDTHS = [360, 1280] as const;
const LOCALES = [
  { name: 'en', value: 'en-US' },
  { name: 'ar', value: 'ar' },
] as const;

/** Waits until no request has been in flight for `quietMs` (widgets fetch after they render). */
async function settle(page: Page, quietMs = 800): Promise<void> {
  await page.waitForNetworkIdle({ idleTime: quietMs, timeout: 20_000 }).catch(() => undefined);
  await page.evaluate(() => document.fonts.ready);
}

const dir = mkdtempSync(join(tmpdir(), 'care-screenshots-'));
const config = configFromEnv({}, { databaseUrl: `sqlite:${join(dir, 'demo.db')}`, demo: true, logLevel: 'warn' });
const care = await createApp(config);
const server = await listen(care.app, config, 0, '127.0.0.1');
const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--font-render-hinting=none'],
});
mkdirSync(OUT, { recursive: true });
try {
  for (const target of PAGES) {
    for (const width of WIDTHS) {
      for (const locale of LOCALES) {
        const page = await browser.newPage();
        await page.setViewport({ width, height: width < 600 ? 780 : 900, deviceScaleFactor: 1 });
        await page.emulateMediaFeatures([{ name: 'prefers-reduced-motion', value: 'reduce' }]);
        await page.goto(`${base}${target.path}`, { waitUntil: 'load' });
        await page.waitForSelector(target.ready);
        await settle(page);
        if (locale.value !== 'en-US') {
          await page.select('#locale', locale.value);
          await settle(page);
        }
        const file = join(OUT, `${target.name}-${locale.name}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(`wrote ${file}`);
        await page.close();
      }
    }
  }
} finally {
  await browser.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await care.close();
  rmSync(dir, { recursive: true, force: true });
}
