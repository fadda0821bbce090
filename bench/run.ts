/**
 * `npm run bench`: runs every bench/*.bench.ts in turn and prints one JSON object, keyed by file
 * name, so runs can be compared. Each bench module default-exports `() => Promise<object>`.
 * Benchmarks compare against a baseline measured in the same run, because these machines are noisy.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((name) => f.includes(name)))
  .sort();

const results: Record<string, unknown> = { node: process.version, at: new Date().toISOString() };
for (const file of files) {
  const module = (await import(new URL(file, import.meta.url).href)) as { default: () => Promise<unknown> };
  process.stderr.write(`bench ${file}…\n`);
  try {
    results[file.replace(/\.bench\.ts$/, '')] = await module.default();
  } catch (error) {
    // One broken benchmark must not hide the others' figures.
    results[file.replace(/\.bench\.ts$/, '')] = { error: String(error) };
    process.exitCode = 1;
  }
}
console.log(JSON.stringify(results, null, 2));
