import type { Command } from 'commander';
import { withDatabase } from '../database.js';
import { print, table } from '../output.js';
import { onOff, refusing, registrationLines, registrationOptions } from './smart-options.js';
import { registerPractitioner } from './smart-practitioner.js';
import {
  addIssuer,
  DEFAULT_LAUNCH_WIDGETS,
  DEFAULT_SCOPES,
  LAUNCH_WIDGETS,
  listIssuers,
  removeIssuer,
  setIssuer,
  type IssuerInput,
  type SmartIssuer,
} from '../../smart/registration.js';

interface IssuerOptions {
  clinic: string;
  clientId?: string;
  openidIssuer?: string;
  scopes?: string;
  widgets?: string;
  /** `--write-back` (true), `--write-back on|off`, `--no-write-back` (false). */
  writeBack?: boolean | string;
  enabled?: string;
}

function inputOf(options: IssuerOptions): IssuerInput {
  return {
    ...(options.clientId !== undefined ? { clientId: options.clientId } : {}),
    ...(options.openidIssuer !== undefined ? { openidIssuer: options.openidIssuer || null } : {}),
    ...(options.scopes !== undefined ? { scopes: options.scopes } : {}),
    ...(options.widgets !== undefined ? { launchWidgets: options.widgets.split(',').map((w) => w.trim()).filter(Boolean) } : {}),
    ...(options.writeBack !== undefined ? { writeBack: typeof options.writeBack === 'boolean' ? options.writeBack : onOff(options.writeBack, 'write-back') } : {}),
    ...(options.enabled !== undefined ? { enabled: onOff(options.enabled, 'enabled') } : {}),
  };
}

const describe = (i: SmartIssuer) =>
  [
    ...registrationLines(i),
    `  launch widgets: ${i.launchWidgets.join(', ')}`,
    `  write-back:     ${i.writeBack ? 'on' : 'off'}`,
  ].join('\n');

/** `care smart issuer add|list|remove|set`: the EHRs (SMART on FHIR issuers) a clinic launches the widgets from. */
export function register(program: Command): void {
  const smart = program.command('smart').description('SMART App Launch: EHRs the widgets launch from (issue 17).');
  registerPractitioner(smart);
  const issuer = smart.command('issuer').description("A clinic's registered EHRs: FHIR base URL (iss), client id, scopes, launch widgets, write-back.");

  registrationOptions(issuer.command('add').description('Register an EHR for a clinic (after registering our app at the EHR).'), {
    clientId: "our app's client id at the EHR (the id_token's aud)",
    scopesDefault: DEFAULT_SCOPES,
  })
    .option('--widgets <list>', `comma-separated launch widgets of ${LAUNCH_WIDGETS.join(', ')} (default ${DEFAULT_LAUNCH_WIDGETS.join(',')})`)
    .option('--write-back [on|off]', 'write check-ins back to the EHR as QuestionnaireResponses (needs the scope patient/QuestionnaireResponse.c)')
    .action(async (iss: string, options: IssuerOptions, command: Command) => {
      const added = await withDatabase(command, (db) =>
        refusing(() => addIssuer(db, options.clinic, iss, { ...inputOf(options), clientId: options.clientId ?? '' })),
      );
      print(command, added, () => `registered\n${describe(added)}`);
    });

  issuer
    .command('set')
    .description('Change a registration: only the options given change.')
    .argument('<iss>', "the EHR's FHIR base URL")
    .requiredOption('--clinic <id>', 'the clinic')
    .option('--client-id <id>', "our app's client id at the EHR")
    .option('--openid-issuer <url>', 'the OpenID issuer ("" for the FHIR base URL)')
    .option('--scopes <scopes>', 'space-separated scopes')
    .option('--widgets <list>', `comma-separated launch widgets of ${LAUNCH_WIDGETS.join(', ')}`)
    .option('--write-back [on|off]', 'turn write-back on (or off with "off"); nothing is sent to the EHR while it is off')
    .option('--no-write-back', 'turn write-back off')
    .option('--enabled <on|off>', 'turn launches from this EHR on or off')
    .action(async (iss: string, options: IssuerOptions, command: Command) => {
      const changed = await withDatabase(command, (db) => refusing(() => setIssuer(db, options.clinic, iss, inputOf(options))));
      print(command, changed, () => describe(changed));
    });

  issuer
    .command('list')
    .description('List registered EHRs (of one clinic with --clinic).')
    .option('--clinic <id>', 'only this clinic')
    .action(async (options: { clinic?: string }, command: Command) => {
      const issuers = await withDatabase(command, (db) => listIssuers(db, options.clinic));
      print(command, issuers, () =>
        table(
          issuers.map((i) => ({ clinic: i.clinicId, iss: i.iss, client_id: i.clientId, widgets: i.launchWidgets, write_back: i.writeBack ? 'on' : 'off', enabled: i.enabled ? 'yes' : 'no' })),
          ['clinic', 'iss', 'client_id', 'widgets', 'write_back', 'enabled'],
        ),
      );
    });

  issuer
    .command('remove')
    .description("Remove a registration (patient links stay: registering again finds the same people).")
    .argument('<iss>', "the EHR's FHIR base URL")
    .requiredOption('--clinic <id>', 'the clinic')
    .action(async (iss: string, options: { clinic: string }, command: Command) => {
      await withDatabase(command, (db) => refusing(() => removeIssuer(db, options.clinic, iss)));
      print(command, { removed: true, clinic: options.clinic, iss }, `removed ${iss} from ${options.clinic}`);
    });
}
