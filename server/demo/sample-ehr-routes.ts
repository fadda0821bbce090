import { Router, type Request, type Response } from 'express';
import type { Services } from '../services.js';
import { addPractitionerApp, linkPractitioner } from '../smart/practitioner.js';
import { addIssuer } from '../smart/registration.js';
import type { SampleEhr } from '../smart/sample-ehr.js';
import { DEMO_CLINIC_ID } from './seed.js';

/** Our app's client ids at the sample EHR: the patient app and the clinician app. */
export const DEMO_PATIENT_APP = 'care-widgets-demo-patients';
export const DEMO_CLINICIAN_APP = 'care-widgets-demo-clinicians';
/** The sample EHR's people and who they are in the demo clinic. */
export const DEMO_EHR_PATIENT = '123';
export const DEMO_EHR_PATIENT_NOT_LINKED = '124';
export const DEMO_EHR_PRACTITIONER = 'dr-9';
const DEMO_PERSON = 'client-1';
const DEMO_CLINICIAN = 'clinician-1';

/**
 * Demo mode only (server/app.ts mounts it when `--demo`): "Launch from a sample EHR" (demo/ehr.html).
 * The sample EHR of the tests (server/smart/sample-ehr.ts: oidc-provider as its authorization server,
 * a small FHIR endpoint) is started on first use on 127.0.0.1 at a port of its own, with our two apps
 * registered there (redirect URLs on the origin the page was opened on). The demo clinic registers it
 * both ways, Patient/123 is linked to the demo client Alex R. and Practitioner/dr-9 to Dr. Rivera.
 *
 * GET /demo/ehr/launch?as=patient              → /smart/launch?iss=…&launch=… (Patient/123 signed in)
 * GET /demo/ehr/launch?as=practitioner&patient=123|124 → /smart/clinician/launch?iss=…&launch=…
 *
 * oidc-provider is a development dependency: it is imported here only when the demo page is used,
 * and `care serve` (never demo mode) does not load it at all.
 */
export function sampleEhrRoutes(services: Services): { router: Router; close(): Promise<void> } {
  const router = Router();
  let started: Promise<SampleEhr> | null = null;
  let stopped = false;

  const twins = (origin: string): string[] => {
    const url = new URL(origin);
    const other = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname === '127.0.0.1' ? 'localhost' : null;
    return other ? [origin, `${url.protocol}//${other}:${url.port}`] : [origin];
  };

  async function start(origin: string): Promise<SampleEhr> {
    const { startSampleEhr } = await import('../smart/sample-ehr.js');
    const origins = twins(origin);
    const ehr = await startSampleEhr({
      clients: [
        { clientId: DEMO_PATIENT_APP, redirectUris: origins.map((o) => `${o}/smart/ready`) },
        { clientId: DEMO_CLINICIAN_APP, redirectUris: origins.map((o) => `${o}/smart/clinician/ready`) },
      ],
    });
    const { db } = services;
    // The sample EHR's port changes at every start: the demo clinic's registrations follow it.
    for (const table of ['smart_issuers', 'smart_practitioner_apps', 'smart_practitioner_links', 'smart_patient_links'] as const) {
      await db.deleteFrom(table).where('clinic_id', '=', DEMO_CLINIC_ID).execute();
    }
    await addIssuer(db, DEMO_CLINIC_ID, ehr.fhirBase, { clientId: DEMO_PATIENT_APP, openidIssuer: ehr.issuer });
    await addPractitionerApp(db, DEMO_CLINIC_ID, ehr.fhirBase, { clientId: DEMO_CLINICIAN_APP, openidIssuer: ehr.issuer });
    await linkPractitioner(db, { clinicId: DEMO_CLINIC_ID, iss: ehr.fhirBase, practitioner: `Practitioner/${DEMO_EHR_PRACTITIONER}`, userId: DEMO_CLINICIAN, actor: 'demo' });
    // In a clinic the link is made by the patient's first launch; the demo links its sample patient to Alex R., who has months of check-ins.
    await db
      .insertInto('smart_patient_links')
      .values({ clinic_id: DEMO_CLINIC_ID, iss: ehr.fhirBase, ehr_patient_id: DEMO_EHR_PATIENT, person_id: DEMO_PERSON, created_at: new Date().toISOString() })
      .execute();
    services.log.info({ fhirBase: ehr.fhirBase }, 'demo: sample EHR started');
    return ehr;
  }

  const ehrFor = (origin: string): Promise<SampleEhr> => {
    if (!started) {
      started = start(origin);
      started.catch(() => {
        started = null;
      });
    }
    return started;
  };

  router.get('/demo/ehr/launch', async (req: Request, res: Response) => {
    const as = req.query.as;
    const patient = typeof req.query.patient === 'string' ? req.query.patient : DEMO_EHR_PATIENT;
    if (as !== 'patient' && as !== 'practitioner') return res.status(400).json({ error: 'as: use patient or practitioner' });
    if (![DEMO_EHR_PATIENT, DEMO_EHR_PATIENT_NOT_LINKED].includes(patient)) return res.status(400).json({ error: `patient: use ${DEMO_EHR_PATIENT} or ${DEMO_EHR_PATIENT_NOT_LINKED}` });
    if (stopped) return res.status(503).json({ error: 'The server is stopping' });
    let ehr: SampleEhr;
    try {
      ehr = await ehrFor(`${req.protocol}://${req.get('host')}`);
    } catch (error) {
      services.log.error({ err: error instanceof Error ? error.message : 'unknown' }, 'demo: the sample EHR did not start');
      return res.status(503).json({ error: 'The sample EHR could not start (it needs the development dependencies: npm install)' });
    }
    const launch =
      as === 'patient'
        ? ehr.launchFor({ id: `demo-patient-${DEMO_EHR_PATIENT}`, fhirUser: `Patient/${DEMO_EHR_PATIENT}`, name: 'Alex Rivera' })
        : ehr.launchFor({ id: `demo-practitioner-${patient}`, fhirUser: `Practitioner/${DEMO_EHR_PRACTITIONER}`, patient, name: 'Dr. Morgan Rivera' });
    const path = as === 'patient' ? '/smart/launch' : '/smart/clinician/launch';
    res.redirect(303, `${path}?${new URLSearchParams({ iss: ehr.fhirBase, launch, clinic: DEMO_CLINIC_ID }).toString()}`);
  });

  return {
    router,
    async close() {
      stopped = true;
      const ehr = await started?.catch(() => null);
      await ehr?.stop();
    },
  };
}
