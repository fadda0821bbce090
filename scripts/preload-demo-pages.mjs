#!/usr/bin/env node
// Writes the demo pages (demo/*.html) to dist/demo-pages/ with a <link rel="modulepreload"> for every
// hashed chunk the page's widget entries import statically, read from the Vite manifest of the widget
// build (dist/widgets/.vite/manifest.json). Without them the browser learns of the chunks only once
// an entry has arrived: a second round of requests before any widget renders. The demo server
// serves these pages in place of demo/*.html (server/demo/routes.ts); the chunk names change with
// every build, so the pages are written by `npm run build:widgets`, never committed.
// Usage: node scripts/preload-demo-pages.mjs [widgetsDir] [outDir]
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const widgetsDir = process.argv[2] ?? join(root, 'dist/widgets');
const outDir = process.argv[3] ?? join(root, 'dist/demo-pages');
const demoDir = join(root, 'demo');

/** @type {Record<string, { file: string; isEntry?: boolean; imports?: string[] }>} */
const manifest = JSON.parse(readFileSync(join(widgetsDir, '.vite/manifest.json'), 'utf8'));
const byFile = new Map(Object.values(manifest).map((chunk) => [chunk.file, chunk]));
const keyOf = new Map(Object.entries(manifest).map(([key, chunk]) => [chunk, key]));

/** Files (relative to /widgets/) that the entry `file` imports statically, directly or through its chunks, in import order. */
function staticImports(file) {
  const seen = new Set();
  const visit = (chunk) => {
    for (const key of chunk.imports ?? []) {
      const next = manifest[key];
      if (!next || seen.has(next.file)) continue;
      seen.add(next.file);
      visit(next);
    }
  };
  const entry = byFile.get(file);
  if (!entry || !keyOf.has(entry)) throw new Error(`${file} is not in the widget build's manifest`);
  visit(entry);
  return [...seen];
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
let written = 0;
for (const name of readdirSync(demoDir).filter((n) => n.endsWith('.html'))) {
  const html = readFileSync(join(demoDir, name), 'utf8');
  const scripts = [...html.matchAll(/^([ \t]*)<script type="module" src="\/widgets\/([\w-]+\.js)"><\/script>/gm)];
  if (scripts.length === 0) continue;
  const entries = new Set(scripts.map((m) => m[2]));
  const chunks = [...new Set(scripts.flatMap((m) => staticImports(m[2])))].filter((file) => !entries.has(file));
  const indent = scripts[0][1];
  const links = chunks.map((file) => `${indent}<link rel="modulepreload" href="/widgets/${file}" />\n`).join('');
  // Before the first widget script, so the chunks are requested with the entries, in one round.
  const at = scripts[0].index;
  writeFileSync(join(outDir, name), html.slice(0, at) + links + html.slice(at));
  written++;
}
console.log(`wrote ${written} demo pages with modulepreload links to ${outDir}`);
