#!/usr/bin/env node
// Writes a brotli (.br) and a gzip (.gz) copy next to every shipped file in dist/widgets, at the
// highest levels (done once per build, not per request), for express-static-gzip to serve by
// Accept-Encoding. Source maps stay uncompressed: browsers fetch them only with devtools open.
// Usage: node scripts/precompress.mjs [dir]
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dir = process.argv[2] ?? new URL('../dist/widgets', import.meta.url).pathname;
const SHIPPED = /\.(js|json|css)$/;

function* files(root) {
  for (const name of readdirSync(root)) {
    // .vite/manifest.json is read at build time (scripts/preload-demo-pages.mjs), never served.
    if (name.startsWith('.')) continue;
    const path = join(root, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (SHIPPED.test(name)) yield path;
  }
}

let count = 0;
for (const path of files(dir)) {
  const body = readFileSync(path);
  writeFileSync(`${path}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
  writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
  count++;
}
console.log(`precompressed ${count} files in ${dir} (.br, .gz)`);
