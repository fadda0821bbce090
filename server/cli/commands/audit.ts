import type { Command } from 'commander';
import { auditTrail, type AuditEntry } from '../../domain/clinic-settings.js';
import { csvCell } from '../../domain/outcomes.js';
import { cliActor, refusing } from '../admin.js';
import { withDatabase } from '../database.js';
import { UsageError, wantsJson } from '../output.js';

const COLUMNS = ['at', 'kind', 'actor', 'actor_role', 'action', 'subject', 'before', 'after'] as const;

const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

/** RFC 4180 CSV with a header row; cells a spreadsheet could run are defused (csvCell). */
export function auditCsv(entries: AuditEntry[]): string {
  const rows = entries.map((e) => [e.at, e.kind, e.actor, e.actorRole, e.action, e.subject, json(e.before), json(e.after)]);
  return [[...COLUMNS], ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function register(program: Command): void {
  program
    .command('audit')
    .description("the clinic's audit trail: who read whose data, and every admin change (before/after)")
    .requiredOption('--clinic <id>', 'the clinic')
    .option('--since <iso>', 'only entries at or after this time (ISO 8601, e.g. 2026-12-01 or 2026-12-01T08:00:00Z)')
    .option('--person <id>', "only reads of (or by) this person's data; admin changes are left out")
    .option('--format <format>', 'csv (header row, RFC 4180 quoting) or json', 'csv')
    .addHelpText(
      'after',
      `
CSV columns: ${COLUMNS.join(',')} (kind: read | admin_change; before/after: JSON of the changed values).
JSON (--format json or --json): { clinicId, entries: [{ at, kind, actor, actorRole, action, subject, before, after }] }.

Examples:
  care audit --clinic riverside --since 2026-12-01 > audit.csv
  care audit --clinic riverside --person client-42 --format json`,
    )
    .action(async (options: { clinic: string; since?: string; person?: string; format: string }, command: Command) => {
      if (options.format !== 'csv' && options.format !== 'json') throw new UsageError(`--format must be csv or json (got "${options.format}")`);
      let since: string | undefined;
      if (options.since !== undefined) {
        const time = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(options.since) ? Date.parse(options.since) : NaN;
        if (Number.isNaN(time)) throw new UsageError(`--since must be an ISO 8601 date or time, e.g. 2026-12-01T08:00:00Z (got "${options.since}")`);
        since = new Date(time).toISOString();
      }
      const entries = await withDatabase(command, (db) =>
        refusing(() => auditTrail(db, cliActor(), options.clinic, { ...(since ? { since } : {}), ...(options.person !== undefined ? { person: options.person } : {}) })),
      );
      if (options.format === 'json' || wantsJson(command)) process.stdout.write(`${JSON.stringify({ clinicId: options.clinic, entries }, null, 2)}\n`);
      else process.stdout.write(auditCsv(entries));
    });
}
