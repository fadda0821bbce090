import type { Command } from 'commander';
import {
  addOrigin,
  createClinic,
  listClinics,
  listOrigins,
  parseRules,
  removeOrigin,
  rotateSecret,
  setClinic,
  setJwksUrl,
  setRules,
  showClinic,
  showRules,
  testRules,
  type ClinicSettingsInput,
  type ClinicView,
  type LevelCounts,
} from '../../domain/clinic-settings.js';
import { cliActor, list, parseDuration, readText, refusing } from '../admin.js';
import { withDatabase } from '../database.js';
import { print, table, UsageError } from '../output.js';
import { registerCrisis } from './clinic-crisis.js';

interface SettingsOptions {
  name?: string;
  region?: string;
  timeZone?: string;
  defaultLocale?: string;
  languages?: string;
  templates?: string;
  maxTokenLifetime?: string;
  unverifiedTranslations?: string;
}

/** The settings options shared by `create` and `set`. */
function settingsOptions(command: Command): Command {
  return command
    .option('--name <name>', 'the clinic name staff and clients see')
    .option('--region <CC>', 'two-letter country code: picks the crisis hotlines shown (e.g. US, GB, FR)')
    .option('--time-zone <zone>', 'IANA zone the roster and reports count days in (e.g. Europe/Paris)')
    .option('--default-locale <lang>', 'language used when a person has none: en, es, fr, ar, zh-Hans')
    .option('--languages <list>', 'languages the widgets offer, comma-separated (e.g. en,es)')
    .option('--templates <list>', 'check-in forms enabled, comma-separated: daily, phq9, gad7, bam, feedback')
    .option('--max-token-lifetime <duration>', 'longest lifetime of a portal token the clinic accepts (e.g. 12h; 60s to 30d)')
    .option(
      '--unverified-translations <list>',
      'instrument translations not checked against the published form that the clinic shows anyway, comma-separated instrument:language (e.g. phq9:ar,gad7:ar,bam:es; instruments phq9, gad7, bam); "none" turns them all off (the English form is shown)',
    );
}

function settingsOf(options: SettingsOptions): ClinicSettingsInput {
  return {
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
    ...(options.defaultLocale !== undefined ? { defaultLocale: options.defaultLocale } : {}),
    ...(options.languages !== undefined ? { languages: list(options.languages) } : {}),
    ...(options.templates !== undefined ? { templates: list(options.templates) } : {}),
    ...(options.maxTokenLifetime !== undefined ? { maxTokenLifetimeS: parseDuration(options.maxTokenLifetime, '--max-token-lifetime') } : {}),
    ...(options.unverifiedTranslations !== undefined
      ? { unverifiedTranslations: options.unverifiedTranslations.trim() === 'none' ? [] : list(options.unverifiedTranslations) }
      : {}),
  };
}

function describe(clinic: ClinicView): string {
  return [
    `id:                 ${clinic.id}`,
    `name:               ${clinic.name}`,
    `region:             ${clinic.region}`,
    `time zone:          ${clinic.timeZone}`,
    `default language:   ${clinic.defaultLocale}`,
    `languages:          ${clinic.languages?.join(', ') ?? '(all)'}`,
    `templates:          ${clinic.templates.join(', ')}`,
    `max token lifetime: ${clinic.maxTokenLifetimeS} s`,
    `unverified translations shown: ${clinic.unverifiedTranslations.join(', ') || '(none: the published English form instead)'}`,
    `token keys:         ${clinic.keys === 'jwks' ? `JWKS ${clinic.jwksUrl ?? ''}` : clinic.keys === 'hs256' ? 'HS256 shared secret' : 'none'}`,
    ...(clinic.previousSecretValidUntil ? [`previous secret:    still accepted until ${clinic.previousSecretValidUntil}`] : []),
    `origins:            ${clinic.origins.join(', ') || '(none: only CARE_ALLOWED_ORIGINS)'}`,
    `created:            ${clinic.createdAt}`,
  ].join('\n');
}

const secretWarning = (secret: string) =>
  `\nHS256 secret (shown once, store it in the portal's secret store now):\n\n  ${secret}\n`;

function countsText(title: string, counts: LevelCounts): string {
  const reasons = Object.entries(counts.reasons)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([reason, n]) => `    ${reason}: ${n}`);
  return [`${title}: urgent ${counts.urgent}, elevated ${counts.elevated}, none ${counts.none}`, ...(reasons.length ? reasons : ['    (no reasons)'])].join('\n');
}

const JSON_SHAPES = `
With --json (stdout, one document):
  create          { clinic: Clinic, secret: string | null }
  list            { clinics: [{ id, name, region, keys, origins, createdAt }] }
  show            { clinic: Clinic }
  set             { clinic: Clinic, changed: { before: {...}, after: {...} } }
  secret rotate   { clinicId, secret, previousSecretValidUntil: ISO | null }
  jwks set        { clinic: Clinic }
  origins …       { clinicId, origins: string[], origin? }
  rules show|set  { clinicId, stored: Rules | null, effective: Rules }
  rules test      { clinicId, from, to, checkIns, flagged: Counts, wouldFlag: Counts, levelChanged }
  Clinic = { id, name, region, timeZone, defaultLocale, languages: string[] | null, templates,
             maxTokenLifetimeS, unverifiedTranslations: string[] ("phq9:ar"), keys: "hs256" | "jwks" | "none",
             jwksUrl, previousSecretValidUntil,
             origins: string[], createdAt }
  Counts = { none, elevated, urgent, reasons: { <reason>: count } }
Errors (stderr with --json): { error: string, field?: string }. Exit 0 done, 1 refused (nothing changed), 2 usage.`;

export function register(program: Command): void {
  const clinic = program
    .command('clinic')
    .description("register and configure clinics: settings, token keys, portal origins, risk rules, crisis set-up and hotlines")
    .addHelpText('after', JSON_SHAPES);

  settingsOptions(
    clinic
      .command('create <id>')
      .description('register a clinic; prints its new HS256 secret once (unless --jwks-url is given)')
      .option('--jwks-url <url>', "verify the portal's tokens with this JWKS (https) instead of a shared secret"),
  )
    .addHelpText('after', '\nExamples:\n  care clinic create riverside --name "Riverside Recovery" --region GB --time-zone Europe/London --languages en,es\n  care clinic create lakeside --name Lakeside --jwks-url https://portal.lakeside.example/.well-known/jwks.json')
    .action(async (id: string, options: SettingsOptions & { jwksUrl?: string }, command: Command) => {
      if (options.name === undefined) throw new UsageError('clinic create needs --name <name>');
      const settings = settingsOf(options);
      const result = await withDatabase(command, (db) =>
        refusing(() => createClinic(db, cliActor(), { ...settings, id, name: settings.name ?? '', ...(options.jwksUrl !== undefined ? { jwksUrl: options.jwksUrl } : {}) })),
      );
      print(command, result, () => `Clinic ${id} created.\n\n${describe(result.clinic)}${result.secret ? `\n${secretWarning(result.secret)}` : ''}`);
    });

  clinic
    .command('list')
    .description('every clinic on this server')
    .addHelpText('after', '\nExamples:\n  care clinic list\n  care --json clinic list')
    .action(async (_options: unknown, command: Command) => {
      const clinics = await withDatabase(command, (db) => listClinics(db, cliActor()));
      print(command, { clinics }, () => table(clinics as unknown as Record<string, unknown>[], ['id', 'name', 'region', 'keys', 'origins', 'createdAt']));
    });

  clinic
    .command('show <id>')
    .description("one clinic's settings (never its secret)")
    .addHelpText('after', '\nExamples:\n  care clinic show riverside')
    .action(async (id: string, _options: unknown, command: Command) => {
      const result = await withDatabase(command, (db) => refusing(() => showClinic(db, cliActor(), id)));
      print(command, { clinic: result }, () => describe(result));
    });

  settingsOptions(clinic.command('set <id>').description('change settings; only the options given change, in one transaction'))
    .addHelpText('after', '\nExamples:\n  care clinic set riverside --languages en,es,fr --default-locale en\n  care clinic set riverside --templates daily,phq9 --max-token-lifetime 8h\n  care clinic set riverside --unverified-translations phq9:ar,gad7:ar   # show the unchecked Arabic forms\n  care clinic set riverside --unverified-translations none')
    .action(async (id: string, options: SettingsOptions, command: Command) => {
      const settings = settingsOf(options);
      const result = await withDatabase(command, (db) => refusing(() => setClinic(db, cliActor(), id, settings)));
      const keys = Object.keys(result.changed.after);
      print(command, result, () => `${keys.length ? `Changed ${keys.join(', ')}.` : 'Nothing changed (the values were already set).'}\n\n${describe(result.clinic)}`);
    });

  const secret = clinic.command('secret').description("the clinic's HS256 token secret");
  secret
    .command('rotate <id>')
    .description('new random HS256 secret (printed once); the old one keeps verifying for --grace')
    .option('--grace <duration>', 'how long tokens signed with the old secret stay valid: 0 (refused at once), 15m, 24h, 7d (at most 30d)', '24h')
    .addHelpText('after', '\nRunning servers pick up the new secret within 30 seconds.\n\nExamples:\n  care clinic secret rotate riverside --grace 24h\n  care --json clinic secret rotate riverside --grace 0')
    .action(async (id: string, options: { grace: string }, command: Command) => {
      const graceS = parseDuration(options.grace, '--grace');
      const result = await withDatabase(command, (db) => refusing(() => rotateSecret(db, cliActor(), id, graceS)));
      print(command, { clinicId: id, ...result }, () =>
        `Secret of clinic ${id} rotated. ${result.previousSecretValidUntil ? `The previous secret is accepted until ${result.previousSecretValidUntil}.` : 'The previous secret is no longer accepted.'}\n${secretWarning(result.secret)}`,
      );
    });

  const jwks = clinic.command('jwks').description("verify the clinic's tokens with its portal's JWKS");
  jwks
    .command('set <id> <url>')
    .description("use the JWKS at <url> (https; http only for localhost); the clinic's shared secrets stop working")
    .addHelpText('after', '\nExamples:\n  care clinic jwks set riverside https://portal.riverside.example/.well-known/jwks.json')
    .action(async (id: string, url: string, _options: unknown, command: Command) => {
      const result = await withDatabase(command, (db) => refusing(() => setJwksUrl(db, cliActor(), id, url)));
      print(command, { clinic: result }, () => `Clinic ${id} now verifies tokens with ${result.jwksUrl ?? ''}.`);
    });

  const origins = clinic
    .command('origins')
    .description("web origins of the clinic's portals (scheme://host[:port]) allowed to call the server from a browser");
  origins
    .command('list <id>')
    .description("the clinic's allowed origins")
    .addHelpText('after', '\nExamples:\n  care clinic origins list riverside')
    .action(async (id: string, _options: unknown, command: Command) => {
      const result = await withDatabase(command, (db) => refusing(() => listOrigins(db, cliActor(), id)));
      print(command, { clinicId: id, origins: result }, () => (result.length ? result.join('\n') : '(none: only CARE_ALLOWED_ORIGINS)'));
    });
  origins
    .command('add <id> <origin>')
    .description('allow a portal origin (https://host[:port]; http only for localhost)')
    .addHelpText('after', '\nExamples:\n  care clinic origins add riverside https://portal.riverside.example')
    .action(async (id: string, origin: string, _options: unknown, command: Command) => {
      const result = await withDatabase(command, (db) => refusing(() => addOrigin(db, cliActor(), id, origin)));
      print(command, { clinicId: id, ...result }, () => `Added ${result.origin}. Origins of ${id}: ${result.origins.join(', ')}`);
    });
  origins
    .command('remove <id> <origin>')
    .description('stop allowing a portal origin')
    .addHelpText('after', '\nExamples:\n  care clinic origins remove riverside https://old-portal.riverside.example')
    .action(async (id: string, origin: string, _options: unknown, command: Command) => {
      const result = await withDatabase(command, (db) => refusing(() => removeOrigin(db, cliActor(), id, origin)));
      print(command, { clinicId: id, ...result }, () => `Removed ${result.origin}. Origins of ${id}: ${result.origins.join(', ') || '(none)'}`);
    });

  registerCrisis(clinic);

  const rules = clinic.command('rules').description('risk rules: when a check-in is flagged elevated or urgent');
  rules
    .command('show <id>')
    .description('the stored rules document and the rules in force (stored over the defaults)')
    .addHelpText('after', '\nExamples:\n  care clinic rules show riverside\n  care --json clinic rules show riverside > rules.json')
    .action(async (id: string, _options: unknown, command: Command) => {
      const result = await withDatabase(command, (db) => refusing(() => showRules(db, cliActor(), id)));
      print(command, { clinicId: id, ...result }, () => `Stored: ${JSON.stringify(result.stored)}\nIn force:\n${JSON.stringify(result.effective, null, 2)}`);
    });
  rules
    .command('set <id> <file>')
    .description('replace the rules with the JSON object in <file> (- for stdin), checked with the server\'s schema')
    .addHelpText('after', '\nKeys: cravingElevated, moodDropPoints, phq9TotalElevated, gad7TotalElevated (0–100), phq9Item9Urgent,\nreportedUseUrgentWithCraving, notesNeedAttention (true/false), selfHarmTerms (strings). Missing keys take the defaults.\nRun `care clinic rules test` first to see what the rules would flag.\n\nExamples:\n  care clinic rules set riverside rules.json')
    .action(async (id: string, file: string, _options: unknown, command: Command) => {
      const document = await refusing(() => Promise.resolve(parseRules(readText(file))));
      const result = await withDatabase(command, (db) => refusing(() => setRules(db, cliActor(), id, document)));
      print(command, { clinicId: id, ...result }, () => `Rules of ${id} set. In force:\n${JSON.stringify(result.effective, null, 2)}`);
    });
  rules
    .command('test <id> <file>')
    .description('what the rules in <file> would have flagged over the clinic\'s check-ins of the last 30 days (changes nothing)')
    .addHelpText('after', '\nExamples:\n  care clinic rules test riverside rules.json\n  care --json clinic rules test riverside rules.json')
    .action(async (id: string, file: string, _options: unknown, command: Command) => {
      const document = await refusing(() => Promise.resolve(parseRules(readText(file))));
      const result = await withDatabase(command, (db) => refusing(() => testRules(db, cliActor(), id, document)));
      print(command, result, () =>
        [
          `${result.checkIns} check-ins of ${id} from ${result.from} to ${result.to}.`,
          countsText('Flagged when they arrived', result.flagged),
          countsText('With these rules', result.wouldFlag),
          `Check-ins whose level would change: ${result.levelChanged}`,
        ].join('\n'),
      );
    });
}
