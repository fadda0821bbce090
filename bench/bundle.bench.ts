/**
 * Bytes a page downloads (min + gzip -9) for each entry of the widget build: the whole suite, the
 * shared core (provider, client, i18n, Lit), and each widget's increment beyond the core. Only static
 * imports count: lazily loaded languages and Jitsi's script load later, on use.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist/widgets');
const STATIC_IMPORT = /(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["'](\.[^"']+)["']/g;

function staticClosure(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const code = readFileSync(entry, 'utf8');
  for (const match of code.matchAll(STATIC_IMPORT)) staticClosure(resolve(dirname(entry), match[1]!), seen);
  return seen;
}

const gz = (files: Iterable<string>) => [...files].reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0);

export default async function bundle() {
  execFileSync('npx', ['vite', 'build', '--logLevel', 'silent'], { cwd: root, stdio: 'inherit' });
  const entries = readdirSync(dist).filter((f) => f.endsWith('.js'));
  const suite = staticClosure(join(dist, 'care-widgets.js'));
  const core = staticClosure(join(dist, 'provider.js'));
  const widgets: Record<string, { incrementGzipBytes: number; withinTarget: boolean }> = {};
  for (const entry of entries) {
    if (entry === 'care-widgets.js' || entry === 'provider.js') continue;
    const own = [...staticClosure(join(dist, entry))].filter((f) => !core.has(f));
    const bytes = gz(own);
    widgets[entry.replace(/\.js$/, '')] = { incrementGzipBytes: bytes, withinTarget: bytes <= 12 * 1024 };
  }
  const suiteBytes = gz(suite);
  return {
    suiteGzipBytes: suiteBytes,
    suiteTargetBytes: 60 * 1024,
    suiteWithinTarget: suiteBytes <= 60 * 1024,
    coreGzipBytes: gz(core),
    widgetTargetBytes: 12 * 1024,
    widgets,
  };
}
