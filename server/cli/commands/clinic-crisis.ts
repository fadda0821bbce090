import type { Command } from 'commander';
import type { AdminCrisisView, AdminSetCrisisInput } from '../../contract/admin.js';
import {
  addHotline,
  describeOnCallHours,
  listHotlines,
  parseOnCallSpec,
  removeHotline,
  rotateWebhookSecret,
  setCrisis,
  showCrisis,
  testWebhook,
} from '../../domain/clinic-crisis.js';
import { cliActor, parseDuration, refusing } from '../admin.js';
import { withDatabase } from '../database.js';
import { print, table, UsageError } from '../output.js';

/** `none` (or an empty value) clears a setting. */
const orNull = (value: string): string | null => (value.trim() === '' || value.trim().toLowerCase() === 'none' ? null : value);

function describeCrisis(clinicId: string, c: AdminCrisisView): string {
  return [
    `clinic:             ${clinicId}`,
    `on-call hours:      ${c.onCallHours.length ? describeOnCallHours(c.onCallHours) : '(none)'}`,
    `on-call time zone:  ${c.onCallTimeZone ?? '(none: UTC)'}`,
    `on-call phone:      ${c.onCallPhone ?? '(none)'}`,
    `crisis webhook:     ${c.webhookUrl ?? '(none: alerts stay in the clinic inbox only)'}`,
    `webhook secret:     ${c.webhookSecretSet ? 'set' : 'not set'}`,
  ].join('\n');
}

const webhookSecretText = (secret: string) =>
  `\nWebhook signing secret (shown once; the receiver checks X-Care-Signature with it):\n\n  ${secret}\n`;

const JSON_SHAPES = `
With --json (stdout, one document):
  crisis show           { clinicId, crisis: Crisis }
  crisis set            { clinicId, crisis: Crisis, changed: { before, after }, webhookSecret: string | null }
  crisis test           { clinicId, ok, url, statusCode, bodyExcerpt, error, errorMessage, durationMs, deliveryId, sentAt }
  crisis secret rotate  { clinicId, secret, crisis: Crisis }
  hotlines list         { clinicId, region, emergency, regionLines: [...], clinicLines: [Hotline] }
  hotlines add|remove   { clinicId, hotline: Hotline, clinicLines: [Hotline] }
  Crisis  = { onCallHours: [{ days: [1..7], start: "HH:MM", end: "HH:MM" }], onCallTimeZone, onCallPhone, webhookUrl, webhookSecretSet }
  Hotline = { id, name, call, text, url, hours, language, createdAt }
Errors (stderr with --json): { error: string, field?: string }. Exit 0 done, 1 refused (nothing changed; for
\`crisis test\`: the receiver did not answer 2xx), 2 usage.`;

/** `care clinic crisis …` and `care clinic hotlines …`, under `care clinic`. */
export function registerCrisis(clinic: Command): void {
  const crisis = clinic
    .command('crisis')
    .description("crisis set-up: on-call hours and phone, the crisis webhook, a test alert, the webhook secret")
    .addHelpText('after', JSON_SHAPES);

  crisis
    .command('show <id>')
    .description("the clinic's on-call hours, phone and crisis webhook (never its secret)")
    .addHelpText('after', '\nExamples:\n  care clinic crisis show riverside')
    .action(async (id: string, _options: unknown, command: Command) => {
      const result = await withDatabase(command, (db) => refusing(() => showCrisis(db, cliActor(), id)));
      print(command, { clinicId: id, crisis: result }, () => describeCrisis(id, result));
    });

  crisis
    .command('set <id>')
    .description('change crisis settings; only the options given change, in one transaction ("none" clears one)')
    .option('--on-call-hours <hours>', 'when the on-call line is staffed: "Mon-Fri 09:00-17:00; Sat 10:00-14:00", a JSON list, or none')
    .option('--on-call-time-zone <zone>', 'IANA zone of the hours (e.g. America/New_York), or none')
    .option('--on-call-phone <phone>', 'the on-call phone line clients see, or none')
    .option('--webhook-url <url>', 'https:// URL paged with a signed POST at each new crisis alert, or none; the first URL also creates the signing secret (printed once)')
    .addHelpText('after', '\nExamples:\n  care clinic crisis set riverside --on-call-hours "Mon-Fri 09:00-17:00; Sat 10:00-14:00" --on-call-time-zone Europe/London\n  care clinic crisis set riverside --webhook-url https://pager.riverside.example/care --on-call-phone "+44 20 7946 0000"')
    .action(async (id: string, options: { onCallHours?: string; onCallTimeZone?: string; onCallPhone?: string; webhookUrl?: string }, command: Command) => {
      const result = await withDatabase(command, (db) =>
        refusing(async () => {
          const input: AdminSetCrisisInput = {
            ...(options.onCallHours !== undefined ? { onCallHours: parseOnCallSpec(options.onCallHours) } : {}),
            ...(options.onCallTimeZone !== undefined ? { onCallTimeZone: orNull(options.onCallTimeZone) } : {}),
            ...(options.onCallPhone !== undefined ? { onCallPhone: orNull(options.onCallPhone) } : {}),
            ...(options.webhookUrl !== undefined ? { webhookUrl: orNull(options.webhookUrl) } : {}),
          };
          if (Object.keys(input).length === 0) throw new UsageError('clinic crisis set needs at least one of --on-call-hours, --on-call-time-zone, --on-call-phone, --webhook-url');
          return setCrisis(db, cliActor(), id, input);
        }),
      );
      const keys = Object.keys(result.changed.after);
      print(command, { clinicId: id, ...result }, () =>
        `${keys.length ? `Changed ${keys.join(', ')}.` : 'Nothing changed (the values were already set).'}\n\n${describeCrisis(id, result.crisis)}${result.webhookSecret ? `\n${webhookSecretText(result.webhookSecret)}` : ''}`,
      );
    });

  crisis
    .command('test <id>')
    .description('send one signed test alert (marked "test", naming no person, opening no alert) to the webhook and show its answer')
    .option('--timeout <duration>', 'how long to wait for the receiver (e.g. 5s, at most 60s)', '5s')
    .addHelpText('after', '\nExit 0 when the receiver answered 2xx, 1 otherwise (its status, or why there was no answer).\n\nExamples:\n  care clinic crisis test riverside')
    .action(async (id: string, options: { timeout: string }, command: Command) => {
      const timeoutS = parseDuration(options.timeout, '--timeout');
      if (timeoutS < 1 || timeoutS > 60) throw new UsageError('--timeout must be between 1s and 60s');
      const result = await withDatabase(command, (db) => refusing(() => testWebhook(db, cliActor(), id, timeoutS * 1000)));
      print(command, { clinicId: id, ...result }, () =>
        result.statusCode !== null
          ? `Test alert sent to ${result.url}: the receiver answered HTTP ${result.statusCode} in ${result.durationMs} ms${result.ok ? '' : ' (not 2xx: a real alert would be retried)'}.${result.bodyExcerpt ? `\nIts answer began:\n  ${result.bodyExcerpt.replace(/\n/g, '\n  ')}` : ''}`
          : `Test alert to ${result.url} got no answer: ${result.errorMessage ?? 'unknown error'}.`,
      );
      if (!result.ok) process.exitCode = 1;
    });

  const secret = crisis.command('secret').description("the crisis webhook's signing secret");
  secret
    .command('rotate <id>')
    .description('new signing secret for the crisis webhook (printed once); signatures with the old one stop at once')
    .addHelpText('after', '\nExamples:\n  care clinic crisis secret rotate riverside')
    .action(async (id: string, _options: unknown, command: Command) => {
      const result = await withDatabase(command, (db) => refusing(() => rotateWebhookSecret(db, cliActor(), id)));
      print(command, { clinicId: id, ...result }, () => `Webhook secret of clinic ${id} rotated.\n${webhookSecretText(result.secret)}`);
    });

  const hotlines = clinic
    .command('hotlines')
    .description("crisis lines clients see: the region's (read-only) and the clinic's own additions")
    .addHelpText('after', JSON_SHAPES);
  hotlines
    .command('list <id>')
    .description("the region's crisis lines and the clinic's own")
    .addHelpText('after', '\nExamples:\n  care clinic hotlines list riverside')
    .action(async (id: string, _options: unknown, command: Command) => {
      const result = await withDatabase(command, (db) => refusing(() => listHotlines(db, cliActor(), id)));
      print(command, { clinicId: id, ...result }, () =>
        [
          `Region ${result.region} (emergency ${result.emergency}), read-only:`,
          table(result.regionLines.map((l) => ({ name: l.name, call: l.callDisplay ?? l.call ?? '', text: l.text ?? '', url: l.chat ?? '', hours: l.hours, languages: l.languages })), ['name', 'call', 'text', 'url', 'hours', 'languages']),
          '',
          "The clinic's own:",
          table(result.clinicLines as unknown as Record<string, unknown>[], ['id', 'name', 'call', 'text', 'url', 'hours', 'language']),
        ].join('\n'),
      );
    });
  hotlines
    .command('add <id>')
    .description('add a crisis line of the clinic\'s own (shown after the region\'s)')
    .requiredOption('--name <name>', 'the line\'s name as clients see it')
    .option('--call <phone>', 'phone number to call')
    .option('--text <number>', 'number or short code for text messages')
    .option('--url <url>', 'https:// chat or information page')
    .option('--hours <hours>', 'when it answers, in words', '24/7')
    .requiredOption('--language <lang>', 'the language it answers in: en, es, fr, ar, zh-Hans, …')
    .addHelpText('after', '\nGive at least one of --call, --text, --url.\n\nExamples:\n  care clinic hotlines add riverside --name "Riverside night line" --call "+44 20 7946 0011" --hours "20:00-08:00" --language en')
    .action(async (id: string, options: { name: string; call?: string; text?: string; url?: string; hours: string; language: string }, command: Command) => {
      const result = await withDatabase(command, (db) =>
        refusing(() => addHotline(db, cliActor(), id, { name: options.name, call: options.call ?? null, text: options.text ?? null, url: options.url ?? null, hours: options.hours, language: options.language })),
      );
      print(command, { clinicId: id, ...result }, () => `Added ${result.hotline.name} (id ${result.hotline.id}). The clinic has ${result.clinicLines.length} line(s) of its own.`);
    });
  hotlines
    .command('remove <id> <hotlineId>')
    .description("remove one of the clinic's own crisis lines (the id from hotlines list)")
    .addHelpText('after', '\nExamples:\n  care clinic hotlines remove riverside 3f0c…')
    .action(async (id: string, hotlineId: string, _options: unknown, command: Command) => {
      const result = await withDatabase(command, (db) => refusing(() => removeHotline(db, cliActor(), id, hotlineId)));
      print(command, { clinicId: id, ...result }, () => `Removed ${result.hotline.name}. The clinic has ${result.clinicLines.length} line(s) of its own.`);
    });
}
