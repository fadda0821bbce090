import type { Kysely } from 'kysely';

/**
 * The patient launch asks `online_access` by default from now on (SMART App Launch 2: a refresh
 * token usable while the person's EHR session lasts), so the launch page can renew the care token
 * through the EHR instead of asking the person to relaunch. Registrations that kept the old default
 * get the new one; a clinic's own scope list is left as the clinic wrote it. The values are written
 * out here, not imported, so this file keeps meaning what it meant when it ran.
 */
const OLD_DEFAULT = 'launch openid fhirUser patient/Patient.rs patient/QuestionnaireResponse.c';
const NEW_DEFAULT = 'launch openid fhirUser online_access patient/Patient.rs patient/QuestionnaireResponse.c';

export async function up(db: Kysely<any>): Promise<void> {
  await db.updateTable('smart_issuers').set({ scopes: NEW_DEFAULT }).where('scopes', '=', OLD_DEFAULT).execute();
}
