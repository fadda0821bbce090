import { existsSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { Option, type Command } from 'commander';
import { writeAudit } from '../../auth/subject.js';
import { erasePerson } from '../../domain/person-erase.js';
import { exportCounts, exportPerson, exportPersonFhir, UnknownSubject } from '../../domain/person-export.js';
import { withDatabase } from '../database.js';
import { print, Refusal } from '../output.js';

/** Who ran a command, as the audit log names them: `cli:<operating-system user>`. */
export function cliOperator(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}

const refusalOf = (error: unknown): unknown => (error instanceof UnknownSubject ? new Refusal(error.message, error.field) : error);

interface ExportOptions {
  clinic: string;
  person: string;
  format: 'json' | 'fhir';
  output?: string;
  force?: boolean;
}

interface EraseOptions {
  clinic: string;
  person: string;
  yes?: boolean;
}

async function confirmOnTty(question: string, expected: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim() === expected;
  } finally {
    rl.close();
  }
}

export function register(program: Command): void {
  const person = program.command('person').description("One person's data: export (right of access) and erasure.");

  person
    .command('export')
    .description('Everything the clinic holds about one person, as JSON (schemaVersion 1) or a FHIR R4 Bundle.')
    .requiredOption('--clinic <id>', 'the clinic id')
    .requiredOption('--person <id>', "the person's id in that clinic (the token's sub)")
    .addOption(new Option('--format <format>', 'json or fhir').choices(['json', 'fhir']).default('json'))
    .option('--output <file>', 'write the document to this file (mode 0600) instead of standard output')
    .option('--force', 'overwrite --output when it exists')
    .action(async (options: ExportOptions, command: Command) => {
      if (options.output && existsSync(options.output) && !options.force) {
        throw new Refusal(`${options.output} exists; pass --force to overwrite it`, 'output');
      }
      await withDatabase(command, async (db) => {
        const now = new Date();
        let document: unknown;
        let counts: Record<string, number>;
        let readSomeone: boolean;
        try {
          const json = await exportPerson(db, options.clinic, options.person, now);
          counts = exportCounts(json);
          readSomeone = json.person !== null || json.checkIns.length > 0;
          document = options.format === 'fhir' ? await exportPersonFhir(db, options.clinic, options.person, now) : json;
        } catch (error) {
          throw refusalOf(error);
        }
        // Reading a person's record is audited like any staff read (an erased id names no one: not audited,
        // which would write the erased id back into the database).
        if (readSomeone) await writeAudit(db, { clinicId: options.clinic, userId: cliOperator(), role: 'admin', name: null }, 'person.export', [options.person]);
        const text = `${JSON.stringify(document, null, 2)}\n`;
        if (!options.output) {
          process.stdout.write(text);
          return;
        }
        writeFileSync(options.output, text, { mode: 0o600 });
        print(command, { clinic: options.clinic, person: options.person, format: options.format, output: options.output, counts }, () =>
          [`Wrote ${options.format === 'fhir' ? 'a FHIR Bundle' : 'a JSON export'} to ${options.output}:`, ...Object.entries(counts).map(([k, v]) => `  ${k}: ${v}`)].join('\n'),
        );
      });
    });

  person
    .command('erase')
    .description("Removes a client's identifiable data and keeps the de-identified facts outcome reports count. Idempotent.")
    .requiredOption('--clinic <id>', 'the clinic id')
    .requiredOption('--person <id>', "the person's id in that clinic (the token's sub)")
    .option('--yes', 'do not ask for confirmation (needed when standard input is not a terminal)')
    .action(async (options: EraseOptions, command: Command) => {
      if (!options.yes) {
        if (!process.stdin.isTTY) throw new Refusal('Erasure cannot be undone: pass --yes to confirm when not on a terminal', 'yes');
        const ok = await confirmOnTty(
          `Erase the identifiable data of "${options.person}" in clinic "${options.clinic}"? This cannot be undone. Type the person id to confirm: `,
          options.person,
        );
        if (!ok) throw new Refusal('Not confirmed: nothing was erased', 'yes');
      }
      await withDatabase(command, async (db) => {
        let result;
        try {
          result = await erasePerson(db, options.clinic, options.person, cliOperator());
        } catch (error) {
          throw refusalOf(error);
        }
        const { alreadyErased, erasedAt, removed } = result;
        print(command, { clinic: options.clinic, person: options.person, alreadyErased, erasedAt, removed }, () =>
          alreadyErased
            ? `Already erased (${erasedAt}): nothing changed.`
            : [`Erased "${options.person}" in clinic "${options.clinic}":`, ...Object.entries(removed).map(([k, v]) => `  ${k}: ${v}`)].join('\n'),
        );
      });
    });
}
