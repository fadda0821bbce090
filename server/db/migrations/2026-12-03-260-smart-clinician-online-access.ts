import type { Kysely } from 'kysely';

/**
 * The clinician launch asks `online_access` by default from now on, as the patient launch does since
 * migration 230: the page renews the clinician's care token through the EHR's refresh token instead
 * of signing them out of the chart. Clinician apps registered with the old default get the new one; a
 * clinic's own scope list is left as the clinic wrote it. The values are written out here, not
 * imported, so this file keeps meaning what it meant when it ran.
 */
const OLD_DEFAULT = 'launch openid fhirUser user/Patient.rs';
const NEW_DEFAULT = 'launch openid fhirUser online_access user/Patient.rs';

export async function up(db: Kysely<any>): Promise<void> {
  await db.updateTable('smart_practitioner_apps').set({ scopes: NEW_DEFAULT }).where('scopes', '=', OLD_DEFAULT).execute();
}
