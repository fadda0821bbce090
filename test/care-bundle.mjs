import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** The worktree the tests run in. */
export const REPO = fileURLToPath(new URL('..', import.meta.url));

/**
 * The `care` command line and the server, bundled from this worktree's sources for tests to spawn
 * (`node <cli> …`, `node <server> [--demo]`). `node --import tsx` resolves and transforms some 600
 * modules through loader hooks on every start (about 1.5–2 s); the bundle starts in about 0.5 s.
 * Built fresh for each test process (about 0.3 s), so it never runs stale code, into
 * node_modules/.cache so that its packages resolve as the sources' do, and removed at exit.
 * Dynamic imports stay lazy chunks, as under tsx: `care clinic list` does not load the HTTP server.
 * The shipped entry, bin/care.mjs (through tsx), is tested on its own in cli-clinic.test.ts.
 */
export async function buildCareBundle() {
  const cache = join(REPO, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const out = mkdtempSync(join(cache, 'care-bundle-'));
  process.on('exit', () => rmSync(out, { recursive: true, force: true }));
  await build({
    absWorkingDir: REPO,
    entryPoints: { care: 'server/cli/main.ts', server: 'server/main.ts' },
    outdir: out,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
    plugins: [
      {
        // A module finds its files (locales, demo pages, package.json) relative to its own source file.
        name: 'source-file-urls',
        setup(bundle) {
          bundle.onLoad({ filter: /\.ts$/ }, (args) => {
            const source = readFileSync(args.path, 'utf8');
            return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
          });
        },
      },
    ],
  });
  return { cli: join(out, 'care.mjs'), server: join(out, 'server.mjs') };
}
