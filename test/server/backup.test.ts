import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { dailyAnswers, dataOf, mintToken, mutate, newRequestId, query, startServer, type TestServer } from './helpers.js';
import { CARE_CLI } from './care-command.js';

/**
 * `care backup` and `care restore` on SQLite files, as subprocesses next to a real server: a backup
 * taken while check-ins keep arriving, opened and checked; a restore into a stopped server's path,
 * then read back over HTTP; a restore refused while a server has the file open.
 */

let dir: string;
const servers: TestServer[] = [];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'care-backup-'));
});

after(async () => {
  for (const s of servers) await s.stop().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

/** A server on a SQLite file of ours, which stopping leaves in place. */
async function serverOn(file: string): Promise<TestServer> {
  const server = await startServer({ database: { url: `sqlite:${file}`, drop: async () => undefined } });
  servers.push(server);
  return server;
}

async function stop(server: TestServer): Promise<void> {
  servers.splice(servers.indexOf(server), 1);
  await server.stop();
}

interface CareRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function care(args: string[]): Promise<CareRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CARE_CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DATABASE_URL: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const fieldOf = (run: CareRun): string | undefined => (JSON.parse(run.stderr) as { field?: string }).field;

async function submit(server: TestServer, token: string, note = 'fine'): Promise<string> {
  const res = await mutate<{ id: string }>(
    server.baseUrl,
    'checkIn.submit',
    { clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers({ note }), submittedAt: new Date().toISOString() },
    token,
  );
  return dataOf(res).id;
}

const idsIn = (file: string): Set<string> => {
  const db = new SQLite(file, { readonly: true });
  try {
    return new Set((db.prepare('select id from check_ins').all() as { id: string }[]).map((r) => r.id));
  } finally {
    db.close();
  }
};

describe('care backup', () => {
  test('copies a running server while check-ins keep arriving: the copy passes integrity_check and holds every check-in acknowledged before it started', async () => {
    const file = join(dir, 'live.db');
    const server = await serverOn(file);
    const tokens = await Promise.all([0, 1, 2, 3].map((i) => mintToken({ sub: `load-${i}`, role: 'client' })));
    const acknowledged: string[] = [];
    for (let i = 0; i < 200; i++) acknowledged.push(await submit(server, tokens[i % 4]!, `before ${i}`));

    // Four writers keep submitting over HTTP until the backup subprocess has finished.
    let done = false;
    const writers = tokens.map(async (token) => {
      while (!done) acknowledged.push(await submit(server, token, 'during'));
    });
    const ackedBeforeBackup = [...acknowledged];
    const copy = join(dir, 'live-copy.db');
    const run = await care(['--json', '--database', `sqlite:${file}`, 'backup', copy]);
    done = true;
    await Promise.all(writers);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { file: string; checkIns: number; bytes: number; schemaVersion: string };
    assert.deepEqual(Object.keys(result).sort(), ['bytes', 'checkIns', 'file', 'pages', 'schemaVersion']);
    assert.equal(result.file, copy);

    const db = new SQLite(copy, { readonly: true });
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      assert.equal(db.pragma('journal_mode', { simple: true }), 'delete', 'the copy is one self-contained file');
    } finally {
      db.close();
    }
    assert.ok(!existsSync(`${copy}-wal`));
    const inCopy = idsIn(copy);
    assert.equal(inCopy.size, result.checkIns);
    for (const id of ackedBeforeBackup) assert.ok(inCopy.has(id), `check-in ${id} acknowledged before the backup is in the copy`);
    const everAcked = new Set(acknowledged);
    for (const id of inCopy) assert.ok(everAcked.has(id), 'the copy holds only check-ins the server acknowledged');
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.partial-')), [], 'no partial file is left behind');

    // The server went on working, and holds everything acknowledged.
    assert.equal(idsIn(file).size >= everAcked.size, true);
    await stop(server);
  });

  test('refuses to overwrite a file unless --force, refuses a missing database, and sends PostgreSQL users to pg_dump (exit 2)', async () => {
    const file = join(dir, 'small.db');
    const server = await serverOn(file);
    await submit(server, await mintToken({ sub: 'small', role: 'client' }));
    const target = join(dir, 'small-copy.db');
    writeFileSync(target, 'precious');
    const refused = await care(['--json', '--database', `sqlite:${file}`, 'backup', target]);
    assert.equal(refused.code, 1);
    assert.equal(fieldOf(refused), 'file');
    assert.match(refused.stderr, /--force/);
    const forced = await care(['--database', `sqlite:${file}`, 'backup', target, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /Backed up 1 check-ins/);
    assert.equal(idsIn(target).size, 1);

    const itself = await care(['--json', '--database', `sqlite:${file}`, 'backup', file, '--force']);
    assert.equal(itself.code, 1);
    assert.equal(fieldOf(itself), 'file');
    assert.equal(idsIn(file).size, 1, 'the database is untouched');

    const missing = await care(['--json', '--database', `sqlite:${join(dir, 'nothing-here.db')}`, 'backup', join(dir, 'x.db')]);
    assert.equal(missing.code, 1);
    assert.equal(fieldOf(missing), 'database');
    assert.ok(!existsSync(join(dir, 'nothing-here.db')), 'backup does not create the database it was asked to copy');

    const postgres = await care(['--database', 'postgres://care:secret-password@127.0.0.1:1/care', 'backup', join(dir, 'pg.dump')]);
    assert.equal(postgres.code, 2);
    assert.match(postgres.stderr, /pg_dump --format=custom/);
    assert.doesNotMatch(postgres.stderr, /secret-password/);
    await stop(server);
  });
});

describe('care restore', () => {
  test('restores into a stopped server’s path, keeps the previous file, and a server started on it reads the data back; refused while a server runs on it', async () => {
    // The data to back up.
    const original = join(dir, 'original.db');
    const first = await serverOn(original);
    const alice = await mintToken({ sub: 'restore-alice', role: 'client' });
    const saved = [await submit(first, alice, 'one'), await submit(first, alice, 'two')];
    const backup = join(dir, 'original-backup.db');
    assert.equal((await care(['--database', `sqlite:${original}`, 'backup', backup])).code, 0);
    await stop(first);

    // The target server has other data, then stops.
    const target = join(dir, 'target.db');
    const second = await serverOn(target);
    const overwritten = await submit(second, alice, 'later');
    await stop(second);

    const run = await care(['--json', '--database', `sqlite:${target}`, 'restore', backup]);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { database: string; from: string; previous: string; checkIns: number };
    assert.equal(result.database, target);
    assert.equal(result.checkIns, 2);
    assert.match(result.previous, /target\.db\.before-restore-\d{4}-\d\d-\d\dT/);
    assert.deepEqual([...idsIn(result.previous)], [overwritten], 'the previous database is kept whole');

    const third = await serverOn(target);
    const list = dataOf(await query<{ items: { id: string }[] }>(third.baseUrl, 'checkIn.list', {}, alice));
    assert.deepEqual(list.items.map((c) => c.id).sort(), [...saved].sort());

    // While that server runs, a restore is refused and the file is left alone.
    const refused = await care(['--json', '--database', `sqlite:${target}`, 'restore', backup]);
    assert.equal(refused.code, 1);
    assert.equal(fieldOf(refused), 'database');
    assert.match(refused.stderr, /running/);
    const after = await submit(third, alice, 'still working');
    assert.ok(idsIn(target).has(after));
    assert.equal(readdirSync(dir).filter((f) => f.startsWith('target.db.before-restore-') && !/-(wal|shm)$/.test(f)).length, 1);
    await stop(third);
  });

  test('refuses a file that is not a care database, is damaged, or has a newer schema; PostgreSQL is sent to pg_restore', async () => {
    const target = join(dir, 'untouched.db');
    const notSqlite = join(dir, 'not-sqlite.db');
    writeFileSync(notSqlite, 'this is not a database '.repeat(100));
    const plain = join(dir, 'plain.db');
    const p = new SQLite(plain);
    p.exec('create table notes (text)');
    p.close();
    const base = join(dir, 'base.db');
    const server = await serverOn(base);
    await stop(server);
    const newer = join(dir, 'newer.db');
    copyFileSync(base, newer);
    const n = new SQLite(newer);
    n.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run('2099-01-01-001-future', new Date().toISOString());
    n.close();

    for (const [file, message] of [
      [notSqlite, /not a SQLite database|not a care database/],
      [plain, /not a care database/],
      [newer, /newer schema/],
      [join(dir, 'absent.db'), /does not exist/],
    ] as const) {
      const run = await care(['--json', '--database', `sqlite:${target}`, 'restore', file]);
      assert.equal(run.code, 1, `${file}: ${run.stderr}`);
      assert.equal(fieldOf(run), 'file');
      assert.match(run.stderr, message);
    }
    assert.ok(!existsSync(target), 'nothing was written');

    const postgres = await care(['--database', 'postgres://care:care@127.0.0.1:1/care', 'restore', base]);
    assert.equal(postgres.code, 2);
    assert.match(postgres.stderr, /pg_restore/);
  });
});
