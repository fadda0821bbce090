import { CommanderError, type Command } from 'commander';

/** Exit codes every `care` command keeps: scripts branch on them. */
export const EXIT = { done: 0, refused: 1, usage: 2 } as const;

/**
 * A command that understood its arguments but will not do it (unknown clinic, invalid rules, a
 * database that holds the demo clinic…): exit 1 with the reason; nothing was changed.
 */
export class Refusal extends Error {
  constructor(
    message: string,
    /** The field or argument at fault, named in the JSON error. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Arguments the command cannot use (a missing option, a value of the wrong shape): exit 2. */
export class UsageError extends Error {}

export interface OutputOptions {
  json?: boolean;
}

/** The global `--json` flag, wherever on the command line it was given. */
export function wantsJson(command: Command): boolean {
  return Boolean(command.optsWithGlobals<OutputOptions>().json);
}

/**
 * Prints a command's result: with `--json` one JSON document on stdout (scripts parse it), else the
 * human text. Secrets are printed here once and never passed to a logger.
 */
export function print(command: Command, result: unknown, human: string | (() => string)): void {
  if (wantsJson(command)) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${typeof human === 'function' ? human() : human}\n`);
}

/** Maps what a command threw to its exit code and message (JSON on stderr with `--json`). */
export function failureOf(error: unknown): { code: number; message: string; field?: string } {
  if (error instanceof Refusal) return { code: EXIT.refused, message: error.message, field: error.field };
  if (error instanceof UsageError) return { code: EXIT.usage, message: error.message };
  if (error instanceof CommanderError) return { code: error.exitCode === 0 ? EXIT.done : EXIT.usage, message: error.message };
  return { code: EXIT.refused, message: error instanceof Error ? error.message : String(error) };
}

/** Renders rows as an aligned text table (the human form of a list). */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return '(none)';
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    if (Array.isArray(v)) return v.map(cell).join(',');
    if (typeof v === 'object') return JSON.stringify(v);
    return typeof v === 'string' ? v : JSON.stringify(v);
  };
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(columns), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}
