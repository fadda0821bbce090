import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { openDatabase } from '../../server/db/index.js';
import { DEMO_CLINIC_ID, DEMO_SECRET } from '../../server/demo/seed.js';
import { freshDatabase } from './helpers.js';
import { CARE_SERVER } from './care-command.js';

const PORT = 18_700 + (process.pid % 500);
const base = `http://127.0.0.1:${PORT}`;
const database = await freshDatabase();
let server: ChildProcess | null = null;

async function startServer(): Promise<void> {
  server = spawn(process.execPath, [CARE_SERVER, '--demo'], {
    env: { ...process.env, PORT: String(PORT), DATABASE_URL: database.url, LOG_LEVEL: 'silent', CARE_AUTH_FAILURE_LIMIT: '100000', CARE_RATE_LIMIT_PER_IP: '1000000', CARE_RATE_LIMIT_PER_TOKEN: '1000000' },
    stdio: 'ignore',
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

function killHard(): Promise<void> {
  const child = server!;
  server = null;
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

after(async () => {
  if (server) await killHard();
  await database.drop();
});

const token = await new SignJWT({ clinic: DEMO_CLINIC_ID, role: 'client' })
  .setProtectedHeader({ alg: 'HS256' })
  .setSubject('durability-client')
  .setExpirationTime('1h')
  .sign(new TextEncoder().encode(DEMO_SECRET));

async function submit(clientRequestId: string): Promise<boolean> {
  try {
    const res = await fetch(`${base}/trpc/checkIn.submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        clientRequestId,
        templateId: 'daily',
        answers: { mood: 6, craving: 2, sleepHours: 7, medication: 'yes', warningSigns: [], used: 'no' },
        submittedAt: new Date().toISOString(),
      }),
    });
    return res.ok;
  } catch {
    return false; // connection reset by the kill: not acknowledged
  }
}

async function storedCounts(): Promise<Map<string, number>> {
  const db = openDatabase(database.url);
  try {
    const rows = await db
      .selectFrom('check_ins')
      .select(({ fn }) => ['client_request_id as id', fn.countAll<number>().as('n')])
      .where('client_id', '=', 'durability-client')
      .groupBy('client_request_id')
      .execute();
    return new Map(rows.map((r) => [r.id, Number(r.n)]));
  } finally {
    await db.destroy();
  }
}

describe('durability', () => {
  it('every acknowledged check-in survives kill -9 exactly once, and re-sending the rest adds no duplicates', async () => {
    await startServer();
    const attempted: string[] = [];
    const acknowledged: string[] = [];
    let stop = false;
    const senders = Array.from({ length: 16 }, async () => {
      while (!stop) {
        const id = randomUUID();
        attempted.push(id);
        if (await submit(id)) acknowledged.push(id);
      }
    });
    // Kill mid-load, once a fair number of writes have been acknowledged.
    while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 20));
    await killHard();
    stop = true;
    await Promise.all(senders);

    await startServer();
    const afterCrash = await storedCounts();
    for (const id of acknowledged) assert.equal(afterCrash.get(id), 1, `acknowledged check-in ${id} is stored once`);

    // The offline queue re-sends everything it was not sure about, acknowledged or not.
    for (const id of attempted) assert.equal(await submit(id), true, `re-send of ${id} is accepted`);
    const final = await storedCounts();
    assert.equal(final.size, attempted.length, 'every attempted check-in is stored');
    for (const id of attempted) assert.equal(final.get(id), 1, `check-in ${id} is stored exactly once`);
    await killHard();
  });
});
