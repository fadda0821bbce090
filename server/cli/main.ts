import { Command, CommanderError } from 'commander';
import { VERSION } from '../config.js';
import { registerCommands } from './commands/index.js';
import { EXIT, failureOf } from './output.js';

/**
 * `care`: run and administer a care widgets server from a shell. Every command has `--help`, prints
 * JSON with `--json`, and exits 0 (done), 1 (refused: nothing changed) or 2 (usage).
 */
const program = new Command('care')
  .description('Run and administer a care widgets server.')
  .version(VERSION)
  .option('--json', 'print the result as JSON (for scripts)')
  .option('--database <url>', 'sqlite:<file> or postgres://…; default DATABASE_URL, else sqlite:./data/care.db')
  .showHelpAfterError()
  .exitOverride();
program.configureOutput({ outputError: (text, write) => write(text) });
registerCommands(program);
// Subcommands inherit exitOverride only when set before they are added: set it on every one now.
const everyCommand = (c: Command): Command[] => [c, ...c.commands.flatMap(everyCommand)];
for (const command of everyCommand(program)) command.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError && error.exitCode === 0) process.exit(EXIT.done); // --help, --version
  const { code, message, field } = failureOf(error);
  if (!(error instanceof CommanderError)) {
    if (program.opts<{ json?: boolean }>().json || process.argv.includes('--json')) {
      process.stderr.write(`${JSON.stringify({ error: message, ...(field ? { field } : {}) })}\n`);
    } else process.stderr.write(`care: ${message}\n`);
  }
  process.exit(code);
}
