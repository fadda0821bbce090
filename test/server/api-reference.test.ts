import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { appRouter } from '../../server/routers/index.js';
import { apiReference } from '../../scripts/api-reference.js';

test('docs/api.md is generated from the current router and contract, one section per procedure', () => {
  const generated = apiReference();
  const committed = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
  assert.equal(committed, generated, 'docs/api.md is stale: run `npm run build:api`');
  for (const path of Object.keys(appRouter._def.procedures)) assert.ok(generated.includes(`\n## ${path}\n`), path);
});
