import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../server/db/index.js';
import { CARE_CLI, REPO } from './care-command.js';

export { REPO };

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `care --database <url> …args` in a real subprocess (the bundled CLI: see care-command.ts). */
export function care(databaseUrl: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CARE_CLI, '--database', databaseUrl, ...args], {
      cwd: REPO,
      env: { ...process.env, LOG_LEVEL: 'silent', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** `care --json …`: the parsed stdout of a command that must succeed. */
export async function careJson<T = Record<string, unknown>>(databaseUrl: string, args: string[]): Promise<T> {
  const result = await care(databaseUrl, ['--json', ...args]);
  if (result.code !== 0) throw new Error(`care ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/**
 * `care --json …args` must be refused: exit 1, a JSON error on stderr naming `field`, nothing on
 * stdout, `secret` (when given) nowhere in the error, and `state()` (every row the command may
 * change, as text) the same before and after.
 */
export async function assertCareRefused(databaseUrl: string, args: string[], field: string, state: () => Promise<string>, secret?: string): Promise<void> {
  const before = await state();
  const result = await care(databaseUrl, ['--json', ...args]);
  assert.equal(result.code, 1, `care ${args.join(' ')}: ${result.stderr}`);
  const error = JSON.parse(result.stderr) as { error: string; field?: string };
  assert.equal(error.field, field, error.error);
  assert.equal(result.stdout, '');
  if (secret) assert.ok(!result.stderr.includes(secret), 'the refusal never prints the secret');
  assert.equal(await state(), before, 'nothing changed');
}

/** A fresh temporary folder, and `file(name, text)` writing a file into it for a command's `--…-file` options (it returns the path). */
export function tempFiles(prefix: string): { dir: string; file: (name: string, text: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  return { dir, file };
}

/** A long-running `care serve|demo` and the URL it printed it listens on. */
export async function startCare(databaseUrl: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string | null; output: () => string; exit: Promise<number> }> {
  const child = spawn(process.execPath, [CARE_CLI, '--database', databaseUrl, ...args], {
    cwd: REPO,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const exit = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  const url = await new Promise<string | null>((resolve) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = /listening on (http:\/\/\S+?)\/?(\s|$)/.exec(text);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    void exit.then(() => resolve(null));
  });
  return { child, url, output: () => text, exit };
}

/** Every row an admin command may change, in a stable order: compared before and after a refusal. */
export async function adminSnapshot(db: Db): Promise<string> {
  const clinics = await db.selectFrom('clinics').selectAll().orderBy('id').execute();
  const origins = await db.selectFrom('clinic_origins').selectAll().orderBy('clinic_id').orderBy('origin').execute();
  const changes = await db.selectFrom('admin_changes').selectAll().orderBy('at').orderBy('id').execute();
  const hotlines = await db.selectFrom('clinic_hotlines').selectAll().orderBy('id').execute();
  return JSON.stringify({ clinics, origins, changes, hotlines });
}

export async function adminChanges(db: Db, clinicId: string): Promise<{ action: string; actor: string; before: unknown; after: unknown }[]> {
  const rows = await db.selectFrom('admin_changes').selectAll().where('clinic_id', '=', clinicId).orderBy('at').orderBy('id').execute();
  return rows.map((r) => ({ action: r.action, actor: r.actor, before: r.before === null ? null : JSON.parse(r.before), after: r.after === null ? null : JSON.parse(r.after) }));
}
