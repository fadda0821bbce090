/**
 * Shared set-up of the browser benchmarks (not a bench itself): builds the widgets, copies them to a
 * temporary folder, starts bench/fixtures/demo-under-test.ts on 127.0.0.1 (a free port), and builds
 * the baseline: a plain Lit element that renders the markup and styles `<care-check-in>` renders
 * (captured from the live widget), minified and precompressed like a widget, at /widgets/plain-check-in.js,
 * shown by /baseline/plain.html in the same page shell as /check-in-only.html.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { build } from 'vite';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const root = fileURLToPath(new URL('..', import.meta.url));

/** The reason a browser bench cannot run here, or null. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `skipped: ${CHROMIUM} is absent (apt-get install -y chromium)`;
}

export interface DemoServer {
  base: string;
  stop(): void;
}

let built = false;

export async function startDemoServer(): Promise<DemoServer> {
  if (!built) {
    execFileSync('npm', ['run', '--silent', 'build:widgets'], { cwd: root, stdio: 'ignore' });
    built = true;
  }
  const widgets = mkdtempSync(join(tmpdir(), 'care-bench-widgets-'));
  cpSync(join(root, 'dist/widgets'), widgets, { recursive: true });
  const pages = mkdtempSync(join(tmpdir(), 'care-bench-pages-'));
  // express-static-gzip lists the precompressed files when it starts: capture the widget's markup
  // from a first server, build the baseline into the widgets folder, then start the measured one.
  const first = await spawnServer(widgets, pages);
  try {
    await buildBaseline(first.base, widgets, pages);
  } finally {
    first.stop();
  }
  return spawnServer(widgets, pages);
}

export async function spawnServer(widgets: string, pages: string): Promise<DemoServer> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bench/fixtures/demo-under-test.ts'], {
    cwd: root,
    env: { ...process.env, BENCH_WIDGETS_DIR: widgets, BENCH_PAGES_DIR: pages },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`demo server exited ${code}`)));
  });
  const { port } = JSON.parse(line) as { port: number };
  return { base: `http://127.0.0.1:${port}`, stop: () => void child.kill('SIGTERM') };
}

/** What `<care-check-in>` shows on first render: its shadow markup (Lit's markers removed) and its styles. */
async function captureCheckIn(base: string): Promise<{ markup: string; css: string }> {
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const tab = await browser.newPage();
    await tab.goto(`${base}/check-in-only.html`);
    await tab.waitForFunction(() => document.querySelector('care-check-in')?.shadowRoot?.querySelector('input'), { timeout: 30_000 });
    return await tab.evaluate(() => {
      const root = document.querySelector('care-check-in')!.shadowRoot!;
      const markup = root.innerHTML.replace(/<!--[^]*?-->/g, '').replace(/ ?_\$[\w$]*?=""/g, '');
      const css = root.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules].map((rule) => rule.cssText)).join('\n');
      return { markup, css };
    });
  } finally {
    await browser.close();
  }
}

const literal = (text: string) => text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');

async function buildBaseline(base: string, widgets: string, pages: string): Promise<void> {
  const { markup, css } = await captureCheckIn(base);
  // Inside the repository (git-ignored dist/), so `lit` resolves from its node_modules.
  mkdirSync(join(root, 'dist/bench'), { recursive: true });
  const source = join(root, 'dist/bench/plain-check-in.ts');
  writeFileSync(
    source,
    `import { LitElement, css, html } from 'lit';
/** The baseline: a plain Lit element with the markup and styles <care-check-in> renders, and nothing else. */
class PlainCheckIn extends LitElement {
  static styles = css\`${literal(css)}\`;
  render() {
    return html\`${literal(markup)}\`;
  }
}
customElements.define('plain-check-in', PlainCheckIn);
`,
  );
  await build({
    configFile: false,
    logLevel: 'silent',
    root,
    build: {
      outDir: widgets,
      emptyOutDir: false,
      target: 'es2022',
      minify: true,
      lib: { entry: { 'plain-check-in': source }, formats: ['es'] },
      rolldownOptions: { output: { minify: true } },
    },
  });
  execFileSync(process.execPath, [join(root, 'scripts/precompress.mjs'), widgets], { stdio: 'ignore' });
  // The one-widget page with the plain element in place of the provider and the check-in.
  const page = readFileSync(join(root, 'demo/check-in-only.html'), 'utf8')
    .replace(/<script type="module" src="\/widgets\/[^"]+"><\/script>\s*/g, '')
    .replace(/<script type="module" src="\/check-in-only\.js"><\/script>/, '<script type="module" src="/widgets/plain-check-in.js"></script>')
    .replace(/<care-provider id="care">\s*<care-check-in template="daily"><\/care-check-in>\s*<\/care-provider>/, '<plain-check-in></plain-check-in>');
  if (!page.includes('<plain-check-in>')) throw new Error('baseline page: demo/check-in-only.html changed shape');
  writeFileSync(join(pages, 'plain.html'), page);
}
