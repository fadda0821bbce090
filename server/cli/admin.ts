import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { ClinicAdminError, type AdminActor } from '../domain/clinic-settings.js';
import { Refusal, UsageError } from './output.js';

/** The command line acts as `cli:<os user>` in the admin-change audit. */
export function cliActor(): AdminActor {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
  return { kind: 'cli', user };
}

/** Runs a domain call, turning its refusals (a value, an unknown clinic…) into exit 1 naming the field. */
export async function refusing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ClinicAdminError) throw new Refusal(error.message, error.field);
    throw error;
  }
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90`, `90s`, `15m`, `24h`, `7d` → seconds; anything else is a usage error naming the option. */
export function parseDuration(text: string, option: string): number {
  const match = /^\s*(\d{1,9})\s*([smhd]?)\s*$/.exec(text);
  if (!match) throw new UsageError(`${option} must be a duration such as 90s, 15m, 24h or 7d (got "${text}")`);
  return Number(match[1]) * (UNITS[match[2] || 's'] ?? 1);
}

/** `en,es` → ['en', 'es']. */
export const list = (text: string): string[] => text.split(',').map((s) => s.trim()).filter(Boolean);

/** A file's text; an unreadable file is a refusal naming `file`. */
export function readText(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    throw new Refusal(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'file');
  }
}
