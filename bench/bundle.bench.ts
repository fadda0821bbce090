/**
 * Bytes a page downloads from the widget build, two ways: on the wire as served (the server started
 * on 127.0.0.1, every file fetched with `Accept-Encoding: br, gzip`, the compressed bytes counted —
 * target: provider + crisis button + check-in ≤ 55 kB eagerly, every widget ≤ 12 kB beyond the core),
 * and min + gzip -9 per file as before: the shared core (provider, client,
 * i18n, Lit, shared English strings), each widget's increment beyond the core (its code and its
 * English strings), and the whole suite. Static imports are what a page waits for; lazy chunks
 * (answer validation, live updates) load after the first render and are reported beside them.
 * Other languages (one file each, loaded on use) and Jitsi's script (loaded on join) never count.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { spawnServer } from './demo-server.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist/widgets');
// Minified output may quote module paths with backticks.
const STATIC_IMPORT = /(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["'`](\.[^"'`]+)["'`]/g;
const DYNAMIC_IMPORT = /import\(\s*["'`](\.[^"'`]+)["'`]\s*\)/g;
/** The table of other languages' namespace files (components/core/locale-files.ts): nothing past it counts. */
const OTHER_LANGUAGE = /\/locale-files-[^/]+\.js$/;
/** One entry per element, as a page that shows one widget imports it. */
const WIDGETS = ['check-in', 'progress', 'crisis-button', 'safety-plan', 'support-room', 'alerts', 'roster', 'outcomes'];
const KB = 1024;

function closure(entry: string, withLazy: boolean, seen = new Set<string>()): Set<string> {
  if (seen.has(entry) || OTHER_LANGUAGE.test(entry)) return seen;
  seen.add(entry);
  const code = readFileSync(entry, 'utf8');
  for (const pattern of withLazy ? [STATIC_IMPORT, DYNAMIC_IMPORT] : [STATIC_IMPORT]) {
    for (const match of code.matchAll(pattern)) closure(resolve(dirname(entry), match[1]!), withLazy, seen);
  }
  return seen;
}

const gz = (files: Iterable<string>) => [...files].reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0);
const minus = (a: Set<string>, b: Set<string>) => [...a].filter((f) => !b.has(f));

/** Compressed bytes of one widget file as the server sends it, and the encoding it chose. */
function onTheWire(url: string): Promise<{ bytes: number; encoding: string }> {
  return new Promise((done, fail) => {
    get(url, { headers: { 'accept-encoding': 'br, gzip' } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => (res.statusCode === 200 ? done({ bytes, encoding: String(res.headers['content-encoding'] ?? 'identity') }) : fail(new Error(`${url}: ${res.statusCode}`))));
    }).on('error', fail);
  });
}

async function wire(base: string, files: Iterable<string>): Promise<number> {
  let sum = 0;
  for (const file of files) {
    const { bytes, encoding } = await onTheWire(`${base}/widgets/${relative(dist, file)}`);
    if (encoding !== 'br') throw new Error(`${file} served as ${encoding}, not br`);
    sum += bytes;
  }
  return sum;
}

async function servedBytes() {
  const server = await spawnServer(dist, mkdtempSync(join(tmpdir(), 'care-bench-pages-')));
  try {
    const core = closure(join(dist, 'provider.js'), false);
    const page = new Set([...core, ...closure(join(dist, 'crisis-button.js'), false), ...closure(join(dist, 'check-in.js'), false)]);
    const eager = await wire(server.base, page);
    const widgets: Record<string, { incrementBrotliBytes: number; withinTarget: boolean }> = {};
    for (const name of WIDGETS) {
      const increment = await wire(server.base, minus(closure(join(dist, `${name}.js`), false), core));
      widgets[name] = { incrementBrotliBytes: increment, withinTarget: increment <= 12 * KB };
    }
    return {
      providerCrisisButtonCheckIn: { files: page.size, eagerBrotliBytes: eager, targetBytes: 55 * KB, withinTarget: eager <= 55 * KB },
      coreBrotliBytes: await wire(server.base, core),
      widgets,
      widgetTargetBytes: 12 * KB,
    };
  } finally {
    server.stop();
  }
}

export default async function bundle() {
  execFileSync('npm', ['run', '--silent', 'build:widgets'], { cwd: root, stdio: 'ignore' });
  const served = await servedBytes();
  const core = closure(join(dist, 'provider.js'), false);
  const coreWithLazy = closure(join(dist, 'provider.js'), true);
  const widgets: Record<string, { incrementGzipBytes: number; lazyGzipBytes: number; withinTarget: boolean }> = {};
  for (const name of WIDGETS) {
    const entry = join(dist, `${name}.js`);
    const own = minus(closure(entry, false), core);
    const increment = gz(own);
    widgets[name] = {
      incrementGzipBytes: increment,
      lazyGzipBytes: gz(minus(closure(entry, true), new Set([...coreWithLazy, ...own]))),
      withinTarget: increment <= 12 * KB,
    };
  }
  const suiteStatic = gz(closure(join(dist, 'care-widgets.js'), false));
  const suiteAll = gz(closure(join(dist, 'care-widgets.js'), true));
  return {
    servedBrotli: served,
    coreGzipBytes: gz(core),
    coreLazyGzipBytes: gz(minus(coreWithLazy, core)),
    widgetTargetBytes: 12 * KB,
    widgets,
    suiteStaticGzipBytes: suiteStatic,
    suiteWithLazyChunksGzipBytes: suiteAll,
    suiteTargetBytes: 60 * KB,
    suiteWithinTarget: suiteAll <= 60 * KB,
  };
}
