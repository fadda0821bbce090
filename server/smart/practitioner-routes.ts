import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Services } from '../services.js';
import { ExchangeRefusal } from './exchange.js';
import { allowConnectTo, bindLaunch, boundLaunch, newLaunchState, originsOf } from './launch-binding.js';
import { errorPage, launchPage, negotiateLanguage, translatorFor } from './pages.js';
import { ClinicianRefusal, clinicianExchangeInput, enabledPractitionerAppsAt, exchangeClinicianLaunch } from './practitioner.js';

/**
 * The clinician launch (issue 17), mounted at /smart/clinician:
 * - GET /smart/clinician/launch?iss=…&launch=…: the launch URL registered for our clinician app at the
 *   EHR (EHR launch only: a clinician opens it from a patient's chart). Unknown EHR → 404 page.
 * - GET /smart/clinician/ready: its redirect URL; the page completes the code flow, exchanges the
 *   id_token and opens the record of the patient in context (`<care-client-record>`).
 * - POST /smart/clinician/exchange `{ iss, id_token, patient, nonce? }` → `{ token, expiresAt, clinic,
 *   role: 'clinician', user, practitioner, patient, person, personName }`, or 4xx `{ reason, message }`
 *   (with `practitioner` / `patient` when the refusal is about them).
 */
export function clinicianRoutes({ services, now }: { services: Services; now: () => number }): Router {
  const router = Router();
  const { db, log } = services;

  router.get('/launch', async (req: Request, res: Response) => {
    const language = negotiateLanguage(req.query.lang, req.headers['accept-language']);
    const t = translatorFor(language);
    const iss = typeof req.query.iss === 'string' ? req.query.iss : undefined;
    const launch = typeof req.query.launch === 'string' && req.query.launch.length > 0 && req.query.launch.length <= 2000 ? req.query.launch : undefined;
    const clinic = typeof req.query.clinic === 'string' ? req.query.clinic : undefined;
    if (iss === undefined) return res.status(400).type('html').send(errorPage(language, 'missing_iss', t('missingIss'), [t('clinician.openFromChart')]));
    let apps = await enabledPractitionerAppsAt(db, iss);
    if (clinic !== undefined) apps = apps.filter((a) => a.clinicId === clinic);
    if (apps.length === 0) {
      return res.status(404).type('html').send(errorPage(language, 'unknown_iss', t('clinician.unknownIss'), [t('clinician.unknownIssHelp', { iss: iss.slice(0, 300) })]));
    }
    if (apps.length > 1) return res.status(400).type('html').send(errorPage(language, 'ambiguous_iss', t('ambiguousIss'), [t('clinician.openFromChart')]));
    if (launch === undefined) return res.status(400).type('html').send(errorPage(language, 'missing_launch', t('clinician.missingLaunch'), [t('clinician.openFromChart')]));
    const app = apps[0]!;
    const scope = ['launch', ...app.scopes.split(' ').filter((s) => s !== 'launch')].join(' ');
    allowConnectTo(res, originsOf([app]));
    const state = newLaunchState();
    bindLaunch(req, res, state, { clinicId: app.clinicId, iss: app.iss });
    res.type('html').send(
      launchPage({
        mode: 'launch',
        flow: 'clinician',
        language,
        authorize: { state, iss: app.iss, launch, clientId: app.clientId, scope, redirectUri: `${req.protocol}://${req.get('host')}/smart/clinician/ready` },
      }),
    );
  });

  router.get('/ready', async (req: Request, res: Response) => {
    const language = negotiateLanguage(req.query.lang, req.headers['accept-language']);
    // Only the EHR this browser's launch of that `state` went to (launch-binding.ts).
    const bound = boundLaunch(req, res);
    const app = bound ? (await enabledPractitionerAppsAt(db, bound.iss)).find((a) => a.clinicId === bound.clinicId) : undefined;
    if (app) allowConnectTo(res, originsOf([app]));
    res.type('html').send(launchPage({ mode: 'ready', flow: 'clinician', language }));
  });

  router.post('/exchange', express.json({ limit: '32kb', type: () => true }), async (req: Request, res: Response) => {
    const parsed = clinicianExchangeInput.safeParse(req.body);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || 'body'))];
      return res.status(400).json({ reason: 'invalid_request', message: `Send JSON { iss, id_token, patient, nonce? }: ${fields.join(', ')} missing or invalid` });
    }
    try {
      res.json(await exchangeClinicianLaunch(db, parsed.data, { now: now() }));
    } catch (error) {
      if (error instanceof ClinicianRefusal) return res.status(error.status).json({ reason: error.reason, message: error.message, ...error.detail });
      if (error instanceof ExchangeRefusal) return res.status(error.status).json({ reason: error.reason, message: error.message });
      log.error({ err: error instanceof Error ? error.message : 'unknown' }, 'SMART clinician exchange failed');
      res.status(503).json({ reason: 'unavailable', message: 'The launch could not be completed just now: try again' });
    }
  });

  router.use((error: { status?: number }, _req: Request, res: Response, next: NextFunction) => {
    const status = error.status ?? 500;
    if (status >= 500) return next(error);
    res.status(status).json({ reason: 'invalid_request', message: status === 413 ? 'The request body is too large' : 'The request body is not valid JSON' });
  });
  return router;
}
