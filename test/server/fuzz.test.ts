import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { mintToken, mutate, query, startServer, tableNames, type TestServer } from './helpers.js';
import { procedures, type ProcedureInfo } from './router-probe.js';

/**
 * Property-based fuzzing of every procedure with malformed, oversized, wrong-typed and hostile
 * input: the answer is always a 4xx with a JSON body (or a 2xx when the input happens to be valid),
 * never a 500, and a refused request changes nothing stored.
 */
let server: TestServer;
const tokens: Record<string, string> = {};
/** The app's tables, read once: migrations made them all before the first request, and no procedure adds one. */
let tables: string[] = [];

before(async () => {
  server = await startServer({ config: { authFailureLimit: 1_000_000 } });
  tables = await tableNames(server.db);
  tokens.client = await mintToken({ sub: 'fuzz-client', role: 'client' });
  tokens.clinician = await mintToken({ sub: 'fuzz-clinician', role: 'clinician' });
  tokens.admin = await mintToken({ sub: 'fuzz-admin', role: 'admin' });
  // Some stored data, so a refused write has something it could have damaged.
  await mutate(server.baseUrl, 'checkIn.submit', {
    clientRequestId: '0b6f4a52-0c43-4f4e-9a43-9b1f1d2f3a4b',
    templateId: 'daily',
    answers: { mood: 2, craving: 9, sleepHours: 4, medication: 'no', warningSigns: ['stress'], used: 'yes', note: 'fuzz baseline' },
    submittedAt: new Date().toISOString(),
  }, tokens.client);
});
after(async () => {
  try {
    if (server) assert.deepEqual(await tableNames(server.db), tables, 'the fingerprint covered every table');
  } finally {
    await server?.stop();
  }
});

async function fingerprint(): Promise<string> {
  const hash = createHash('sha256');
  for (const name of tables) {
    // Reads are audited and every request is counted (rate limits shared through PostgreSQL): neither is stored data.
    if (name === 'audit_log' || name === 'rate_limits') continue;
    const rows = (await sql`select * from ${sql.table(name)}`.execute(server.db)).rows.map((row) => JSON.stringify(row)).sort();
    hash.update(name).update(rows.join('\n'));
  }
  return hash.digest('hex');
}

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];
const hostileString = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom('', ' ', '\u0000', '\uFEFF', '\u202E', '💥'.repeat(40), '<script>alert(1)</script>', "'; drop table check_ins; --", 'a'.repeat(5000), '../../etc/passwd', '${7*7}', '%00'),
);
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.constantFrom(null, true, false, -1, 0, 1e308, -0, Number.MAX_SAFE_INTEGER + 2),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileString, fc.constantFrom(...HOSTILE_KEYS)), tie('value'), { maxKeys: 4 }),
  ),
})).value;

function inputFor(p: ProcedureInfo): fc.Arbitrary<unknown> {
  const shaped = p.inputKeys.length
    ? fc.record(Object.fromEntries(p.inputKeys.map((k) => [k, hostileValue])), { requiredKeys: [] })
    : fc.constant({});
  const polluted = fc.constantFrom(...HOSTILE_KEYS).chain((key) => shaped.map((obj) => JSON.parse(JSON.stringify(obj).replace(/^\{/, `{"${key}":{"polluted":true},`).replace(/,\}$/, '}'))));
  let deep: unknown = 'bottom';
  for (let i = 0; i < 2000; i++) deep = { a: deep };
  return fc.oneof(shaped, polluted, hostileValue, fc.constant(deep), fc.constant([deep]));
}

function roleFor(p: ProcedureInfo): string | undefined {
  if (!p.roles) return undefined;
  return ['client', 'clinician', 'admin'].find((r) => p.roles!.includes(r));
}

describe('fuzzing every procedure', () => {
  for (const p of procedures().filter((proc) => proc.type !== 'subscription')) {
    it(`${p.path} answers hostile input with 4xx and changes nothing`, async () => {
      const role = roleFor(p);
      const token = role ? tokens[role] : undefined;
      await fc.assert(
        fc.asyncProperty(inputFor(p), async (input) => {
          const before = await fingerprint();
          const res = p.type === 'query' ? await query(server.baseUrl, p.path, input, token) : await mutate(server.baseUrl, p.path, input, token);
          assert.ok(res.status < 500, `${p.path} answered ${res.status} to ${JSON.stringify(input)?.slice(0, 300)}: ${res.text.slice(0, 300)}`);
          if (res.status >= 400) {
            assert.ok(res.body?.error || res.status === 431 || res.status === 413, `a JSON error body for ${res.status}`);
            assert.equal(await fingerprint(), before, `refused ${p.path} changed stored data`);
          }
          assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched');
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 40), seed: Number(process.env.FUZZ_SEED ?? 20261125) },
      );
    });
  }
});
