import type { Command } from 'commander';
import { Option } from 'commander';
import { setVideoConfigInput, VIDEO_PROVIDERS, type SetVideoConfigInput, type VideoConfigView } from '../../contract/groups.js';
import { DEMO_CLINIC_ID } from '../../demo/seed.js';
import { clearVideo, setVideo, showVideo, type VideoPolicy } from '../../video/admin.js';
import { cliActor, readText, refusing } from '../admin.js';
import { withDatabase } from '../database.js';
import { print, Refusal, UsageError } from '../output.js';

/** The command line is not a server: public-demo may be a clinic's provider only for the demo clinic (whose tokens work in demo mode only). */
const policyFor = (clinicId: string): VideoPolicy => ({ demo: clinicId === DEMO_CLINIC_ID });

interface SetOptions {
  group?: string;
  provider?: string;
  domain?: string;
  appId?: string;
  appSecretFile?: string;
  tenant?: string;
  keyId?: string;
  privateKeyFile?: string;
  transcription?: boolean;
  recording?: boolean;
  livestreaming?: boolean;
  outboundCall?: boolean;
  publicTestRoom?: boolean;
  dialIn?: string | false;
  dialInPin?: string;
}

/** A secret read from a file (or stdin with -), never from the command line, where `ps` would show it. */
const secretFrom = (file: string | undefined): string | undefined => (file === undefined ? undefined : readText(file).trim());

/** The options as the procedure's input, checked with the procedure's own schema (a refusal names the field). */
function inputOf(options: SetOptions): SetVideoConfigInput {
  if (!options.provider) throw new UsageError(`group video set needs --provider ${VIDEO_PROVIDERS.join('|')}`);
  if (options.dialInPin !== undefined && typeof options.dialIn !== 'string') throw new UsageError('--dial-in-pin needs --dial-in <number>');
  const raw: Record<string, unknown> = {
    groupId: options.group,
    provider: options.provider,
    domain: options.domain,
    appId: options.appId,
    appSecret: secretFrom(options.appSecretFile),
    tenant: options.tenant,
    keyId: options.keyId,
    privateKey: secretFrom(options.privateKeyFile),
    transcription: options.transcription,
    recording: options.recording,
    livestreaming: options.livestreaming,
    outboundCall: options.outboundCall,
    publicOptIn: options.publicTestRoom,
    dialIn: typeof options.dialIn === 'string' ? { number: options.dialIn, ...(options.dialInPin ? { pin: options.dialInPin } : {}) } : undefined,
  };
  for (const key of Object.keys(raw)) if (raw[key] === undefined) delete raw[key];
  const parsed = setVideoConfigInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = (issue?.path ?? []).map(String).join('.') || 'input';
    // The message names the field and the rule, never the value (a key or secret may be in it).
    throw new Refusal(`${field}: ${issue?.message ?? 'is invalid'}`, field);
  }
  return parsed.data;
}

function describe(view: VideoConfigView | null, scope: string): string {
  if (!view) return `${scope}: (none)`;
  const flags = [
    view.transcription ? 'captions' : 'no captions',
    ...(view.provider === 'jaas' ? [`recording ${view.recording ? 'on' : 'off'}`, `livestreaming ${view.livestreaming ? 'on' : 'off'}`, `outbound calls ${view.outboundCall ? 'on' : 'off'}`] : []),
  ];
  return [
    `${scope}: ${view.provider}${view.usable ? '' : ' (not used: public-demo outside demo mode)'}`,
    ...(view.domain ? [`  domain:      ${view.domain}`] : []),
    ...(view.appId ? [`  app id:      ${view.appId}`] : []),
    ...(view.keyId ? [`  key id:      ${view.keyId}  (token kid ${view.appId ?? ''}/${view.keyId})`] : []),
    ...(view.tenant ? [`  tenant:      ${view.tenant}`] : []),
    ...(view.provider === 'self-hosted' || view.provider === 'jaas' ? [`  secret:      ${view.hasSecret ? 'stored (never shown)' : 'none: rooms without tokens'}`] : []),
    ...(view.publicKeyFingerprint ? [`  public key:  sha256 ${view.publicKeyFingerprint}`] : []),
    ...(view.provider === 'self-hosted' || view.provider === 'jaas' ? [`  features:    ${flags.join(', ')}`] : []),
    ...(view.provider === 'public-demo' ? [`  members see: "this video room is a public test room"${view.groupId && !view.publicOptIn ? ' (no opt-in: demo mode only)' : ''}`] : []),
    `  dial-in:     ${view.dialIn ? `${view.dialIn.number}${view.dialIn.pin ? ` PIN ${view.dialIn.pin}` : ''}` : '(none)'}`,
    `  mode:        ${view.mode}`,
    `  updated:     ${view.updatedAt}`,
  ].join('\n');
}

const JSON_SHAPES = `
With --json (stdout, one document):
  show   { clinicId, clinic: Video | null, groups: Video[], demo }   (with --group: { clinicId, groupId, config: Video | null })
  set    { clinicId, config: Video }
  clear  { clinicId, groupId, removed: Video | null }
  Video = { groupId, provider, domain, appId, keyId, tenant, hasSecret, publicKeyFingerprint, transcription,
            recording, livestreaming, outboundCall, publicOptIn, dialIn: { number, pin } | null,
            mode: "token" | "open" | "public" | "none", usable, updatedAt }
Secrets and private keys are read from files (- for stdin) and never printed.
Errors (stderr with --json): { error: string, field?: string }. Exit 0 done, 1 refused (nothing changed), 2 usage.`;

export function register(program: Command): void {
  // `care group …` may gain other subcommands: share the one group command.
  const group = program.commands.find((c) => c.name() === 'group') ?? program.command('group').description('support groups');
  const video = group
    .command('video')
    .description("a clinic's video provider for support-group rooms, or one group's override")
    .addHelpText('after', JSON_SHAPES);

  video
    .command('show <clinic>')
    .description('the clinic provider and every group override (never a secret)')
    .option('--group <id>', "only this group's override")
    .addHelpText('after', '\nExamples:\n  care group video show riverside\n  care --json group video show riverside --group 6f1c…')
    .action(async (clinicId: string, options: { group?: string }, command: Command) => {
      const list = await withDatabase(command, (db) => refusing(() => showVideo(db, cliActor(), clinicId, policyFor(clinicId))));
      if (options.group !== undefined) {
        const config = list.groups.find((g) => g.groupId === options.group) ?? null;
        print(command, { clinicId, groupId: options.group, config }, () => describe(config, `group ${options.group ?? ''}`));
        return;
      }
      print(command, { clinicId, ...list }, () =>
        [describe(list.clinic, `clinic ${clinicId}`), ...list.groups.map((g) => describe(g, `group ${g.groupId ?? ''}`))].join('\n\n'),
      );
    });

  video
    .command('set <clinic>')
    .description("replace the clinic's video provider (or, with --group, that group's); only a secret or key may be left out to keep the stored one")
    .addOption(new Option('--provider <provider>', 'where rooms run').choices([...VIDEO_PROVIDERS]))
    .option('--group <id>', 'set this group\'s override instead of the clinic default')
    .option('--domain <host>', 'self-hosted: the Jitsi host (meet.example.org); jaas: default 8x8.vc')
    .option('--app-id <id>', 'self-hosted: token auth app id (the token iss); jaas: vpaas-magic-cookie-…')
    .option('--app-secret-file <file>', 'self-hosted: file holding the HS256 app secret (- for stdin)')
    .option('--tenant <tenant>', 'self-hosted: tenant (token sub; rooms become <tenant>/<room>)')
    .option('--key-id <id>', 'jaas: id of the API key uploaded to the JaaS console (token kid <app id>/<key id>)')
    .option('--private-key-file <file>', 'jaas: file holding the RS256 private key PEM (- for stdin)')
    .option('--transcription', 'the provider can transcribe: captions are offered (jaas default on)')
    .option('--no-transcription', 'no captions')
    .option('--recording', 'jaas: allow recording (default off)')
    .option('--no-recording')
    .option('--livestreaming', 'jaas: allow livestreaming (default off)')
    .option('--no-livestreaming')
    .option('--outbound-call', 'jaas: allow dialling out (default off)')
    .option('--no-outbound-call')
    .option('--public-test-room', 'public-demo for one group: members are told it is a public test room')
    .option('--dial-in <number>', 'a phone number members can call (shown when the group has none of its own)')
    .option('--dial-in-pin <pin>', 'the PIN after the dial-in number')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  care group video set riverside --provider jaas --app-id vpaas-magic-cookie-1a2b… --key-id 4f4910 --private-key-file jaas.pem\n' +
        '  care group video set riverside --provider self-hosted --domain meet.riverside.example --app-id care --app-secret-file secret.txt --transcription\n' +
        '  care group video set riverside --group 6f1c… --provider public-demo --public-test-room\n' +
        '  care group video set riverside --group 6f1c… --provider none --dial-in "+1 202 555 0199" --dial-in-pin 4821#',
    )
    .action(async (clinicId: string, options: SetOptions, command: Command) => {
      const input = inputOf(options);
      const config = await withDatabase(command, (db) => refusing(() => setVideo(db, cliActor(), clinicId, input, policyFor(clinicId))));
      print(command, { clinicId, config }, () => `Video of ${config.groupId ? `group ${config.groupId}` : `clinic ${clinicId}`} set.\n\n${describe(config, config.groupId ? `group ${config.groupId}` : `clinic ${clinicId}`)}`);
    });

  video
    .command('clear <clinic>')
    .description("remove the clinic's provider (groups without their own then have no video room), or with --group that group's override")
    .option('--group <id>', "remove this group's override (it goes back to the clinic's provider)")
    .addHelpText('after', '\nExamples:\n  care group video clear riverside --group 6f1c…\n  care group video clear riverside')
    .action(async (clinicId: string, options: { group?: string }, command: Command) => {
      const result = await withDatabase(command, (db) => refusing(() => clearVideo(db, cliActor(), clinicId, options.group, policyFor(clinicId))));
      print(command, { clinicId, ...result }, () =>
        result.removed ? `Removed the video configuration of ${result.groupId ? `group ${result.groupId}` : `clinic ${clinicId}`}.` : 'Nothing to remove.',
      );
    });
}
