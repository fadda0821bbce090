import type { Command } from 'commander';
import { RegistrationError } from '../../smart/registration.js';
import { Refusal, UsageError } from '../output.js';

/**
 * What `care smart issuer …` (the patient app) and `care smart practitioner app …` (the clinician app)
 * share: the registration options of an app at an EHR, on/off values, refusals, and the lines that
 * describe a registration.
 */

/** `<iss> --clinic --client-id [--openid-issuer] [--scopes]` of an `add` command. */
export function registrationOptions(command: Command, what: { clientId: string; scopesDefault: string }): Command {
  return command
    .argument('<iss>', "the EHR's FHIR base URL, as it sends it in iss")
    .requiredOption('--clinic <id>', 'the clinic')
    .requiredOption('--client-id <id>', what.clientId)
    .option('--openid-issuer <url>', 'the OpenID issuer of its id_tokens, when not the FHIR base URL')
    .option('--scopes <scopes>', `space-separated scopes the launch requests (default "${what.scopesDefault}")`);
}

export const onOff = (value: string | undefined, name: string): boolean | undefined => {
  if (value === undefined) return undefined;
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new UsageError(`--${name} takes on or off (got "${value}")`);
};

/** Domain refusals become CLI refusals (exit 1, the field named). */
export async function refusing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RegistrationError) throw new Refusal(error.message, error.field);
    throw error;
  }
}

/** The lines every registration shows first. */
export const registrationLines = (r: { clinicId: string; iss: string; enabled: boolean; clientId: string; openidIssuer: string; scopes: string }): string[] => [
  `${r.clinicId}  ${r.iss}${r.enabled ? '' : '  (disabled)'}`,
  `  client id:      ${r.clientId}`,
  `  OpenID issuer:  ${r.openidIssuer}`,
  `  scopes:         ${r.scopes}`,
];
