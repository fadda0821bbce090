import type { Command } from 'commander';
import {
  addPractitionerApp,
  DEFAULT_PRACTITIONER_SCOPES,
  linkPractitioner,
  listPractitionerApps,
  listPractitionerLinks,
  removePractitionerApp,
  setPractitionerAppEnabled,
  unlinkPractitioner,
  type PractitionerApp,
} from '../../smart/practitioner.js';
import { withDatabase } from '../database.js';
import { print, table } from '../output.js';
import { onOff, refusing, registrationLines, registrationOptions } from './smart-options.js';
import { cliOperator } from './person.js';

const describe = (a: PractitionerApp) =>
  [
    ...registrationLines(a),
    `  launch URL:     <this server>/smart/clinician/launch`,
    `  redirect URL:   <this server>/smart/clinician/ready`,
  ].join('\n');

/**
 * `care smart practitioner app add|list|remove|set` (the clinic's clinician app at an EHR) and
 * `care smart practitioner link|unlink|links` (which EHR practitioner is which clinician: only an
 * administrator links them; a launch never creates staff).
 */
export function registerPractitioner(smart: Command): void {
  const practitioner = smart.command('practitioner').description('The clinician launch: the clinic’s clinician app at an EHR, and which EHR practitioner is which clinician.');
  const app = practitioner.command('app').description('The clinic’s clinician app registered at an EHR (its own client id there).');

  registrationOptions(app.command('add').description('Register the clinic’s clinician app at an EHR (after registering it at the EHR with launch URL /smart/clinician/launch).'), {
    clientId: "our clinician app's client id at the EHR (the id_token's aud)",
    scopesDefault: DEFAULT_PRACTITIONER_SCOPES,
  })
    .action(async (iss: string, options: { clinic: string; clientId: string; openidIssuer?: string; scopes?: string }, command: Command) => {
      const added = await withDatabase(command, (db) =>
        refusing(() =>
          addPractitionerApp(db, options.clinic, iss, {
            clientId: options.clientId,
            ...(options.openidIssuer !== undefined ? { openidIssuer: options.openidIssuer } : {}),
            ...(options.scopes !== undefined ? { scopes: options.scopes } : {}),
          }),
        ),
      );
      print(command, added, () => `registered\n${describe(added)}`);
    });

  app
    .command('set')
    .description('Turn the clinician launch from an EHR on or off.')
    .argument('<iss>', "the EHR's FHIR base URL")
    .requiredOption('--clinic <id>', 'the clinic')
    .requiredOption('--enabled <on|off>', 'on or off')
    .action(async (iss: string, options: { clinic: string; enabled: string }, command: Command) => {
      const enabled = onOff(options.enabled, 'enabled')!;
      const changed = await withDatabase(command, (db) => refusing(() => setPractitionerAppEnabled(db, options.clinic, iss, enabled)));
      print(command, changed, () => describe(changed));
    });

  app
    .command('list')
    .description('List clinician app registrations (of one clinic with --clinic).')
    .option('--clinic <id>', 'only this clinic')
    .action(async (options: { clinic?: string }, command: Command) => {
      const apps = await withDatabase(command, (db) => listPractitionerApps(db, options.clinic));
      print(command, apps, () =>
        table(
          apps.map((a) => ({ clinic: a.clinicId, iss: a.iss, client_id: a.clientId, scopes: a.scopes, enabled: a.enabled ? 'yes' : 'no' })),
          ['clinic', 'iss', 'client_id', 'scopes', 'enabled'],
        ),
      );
    });

  app
    .command('remove')
    .description('Remove the clinician app registration (practitioner links stay).')
    .argument('<iss>', "the EHR's FHIR base URL")
    .requiredOption('--clinic <id>', 'the clinic')
    .action(async (iss: string, options: { clinic: string }, command: Command) => {
      await withDatabase(command, (db) => refusing(() => removePractitionerApp(db, options.clinic, iss)));
      print(command, { removed: true, clinic: options.clinic, iss }, `removed the clinician app at ${iss} from ${options.clinic}`);
    });

  practitioner
    .command('link')
    .description('Link an EHR practitioner to a clinician of the clinic (their staff user id): their clinician launches sign in as that user.')
    .requiredOption('--clinic <id>', 'the clinic')
    .requiredOption('--issuer <iss>', "the EHR's FHIR base URL")
    .requiredOption('--practitioner <ref>', 'Practitioner/<id> as the EHR names them (fhirUser)')
    .requiredOption('--user <id>', "the clinician's user id in the clinic (the sub of their staff portal tokens)")
    .action(async (options: { clinic: string; issuer: string; practitioner: string; user: string }, command: Command) => {
      const link = await withDatabase(command, (db) =>
        refusing(() => linkPractitioner(db, { clinicId: options.clinic, iss: options.issuer, practitioner: options.practitioner, userId: options.user, actor: cliOperator() })),
      );
      print(command, link, `linked ${link.practitioner} at ${link.iss} to clinician "${link.userId}" of ${link.clinicId}`);
    });

  practitioner
    .command('unlink')
    .description('Remove a practitioner link: that practitioner’s clinician launches are refused.')
    .requiredOption('--clinic <id>', 'the clinic')
    .requiredOption('--issuer <iss>', "the EHR's FHIR base URL")
    .requiredOption('--practitioner <ref>', 'Practitioner/<id>')
    .action(async (options: { clinic: string; issuer: string; practitioner: string }, command: Command) => {
      await withDatabase(command, (db) => refusing(() => unlinkPractitioner(db, { clinicId: options.clinic, iss: options.issuer, practitioner: options.practitioner })));
      print(command, { unlinked: true, ...options }, `unlinked ${options.practitioner}`);
    });

  practitioner
    .command('links')
    .description('List the practitioner links of a clinic.')
    .requiredOption('--clinic <id>', 'the clinic')
    .action(async (options: { clinic: string }, command: Command) => {
      const links = await withDatabase(command, (db) => listPractitionerLinks(db, options.clinic));
      print(command, links, () =>
        table(
          links.map((l) => ({ iss: l.iss, practitioner: l.practitioner, user: l.userId, linked_by: l.createdBy, at: l.createdAt })),
          ['iss', 'practitioner', 'user', 'linked_by', 'at'],
        ),
      );
    });
}
