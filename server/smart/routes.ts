import { createRequire } from 'node:module';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Services } from '../services.js';
import { exchangeIdToken, exchangeInput, ExchangeRefusal } from './exchange.js';
import { clinicianRoutes } from './practitioner-routes.js';
import { allowConnectTo, bindLaunch, boundLaunch, newLaunchState, originsOf } from './launch-binding.js';
import { errorPage, LAUNCH_CSS, launchPage, negotiateLanguage, translatorFor } from './pages.js';
import { enabledIssuersAt, listIssuers, type SmartIssuer } from './registration.js';

/** SMART's JavaScript client, its own browser build (UMD: the global FHIR). */
const FHIR_CLIENT_JS = createRequire(import.meta.url).resolve('fhirclient/build/fhir-client.min.js');

export interface SmartRoutesOptions {
  services: Services;
  /** The clock the exchange checks `exp` against (tests); Date.now otherwise. */
  now?: () => number;
}

const refuse = (res: Response, status: number, reason: string, message: string) => {
  res.status(status).json({ reason, message });
};

/**
 * SMART App Launch (issue 17), mounted at /smart:
 * - GET /smart/launch?iss=…&launch=… (EHR launch), ?iss=… or ?clinic=… (standalone): the page that authorizes at the EHR;
 *   an unknown EHR gets a 404 page saying so and what to tell the clinic.
 * - GET /smart/ready: the redirect URL registered at the EHR; the page completes the code flow and shows the widgets.
 * - /smart/clinician/…: the clinician launch (server/smart/practitioner-routes.ts).
 * - POST /smart/exchange `{ iss, id_token, nonce? }` → `{ token, expiresAt, clinic, role, person, patient, widgets, writeBack }`,
 *   or 4xx `{ reason, message }` (never 500 for anything a page can send).
 */
export function smartRoutes({ services, now = Date.now }: SmartRoutesOptions): Router {
  const router = Router();
  const { db, log } = services;

  router.get('/fhir-client.js', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300');
    res.sendFile(FHIR_CLIENT_JS);
  });
  router.get('/launch.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300');
    res.type('text/css').send(LAUNCH_CSS);
  });

  // The clinician launch (practitioner in the chart): its own launch and redirect URLs and exchange.
  router.use('/clinician', clinicianRoutes({ services, now }));

  router.get('/launch', async (req: Request, res: Response) => {
    const language = negotiateLanguage(req.query.lang, req.headers['accept-language']);
    const t = translatorFor(language);
    const issParam = typeof req.query.iss === 'string' ? req.query.iss : undefined;
    const launchParam = typeof req.query.launch === 'string' && req.query.launch.length <= 2000 ? req.query.launch : undefined;
    const clinicParam = typeof req.query.clinic === 'string' ? req.query.clinic : undefined;
    let candidates: SmartIssuer[];
    if (issParam !== undefined) {
      candidates = await enabledIssuersAt(db, issParam);
      if (candidates.length === 0) {
        return res.status(404).type('html').send(errorPage(language, 'unknown_iss', t('unknownIss'), [t('unknownIssHelp', { iss: issParam.slice(0, 300) })]));
      }
    } else if (clinicParam !== undefined && clinicParam.length <= 100) {
      // Standalone launch with the clinic's own EHR: the clinic's one enabled registration.
      candidates = (await listIssuers(db, clinicParam)).filter((i) => i.enabled);
    } else {
      return res.status(400).type('html').send(errorPage(language, 'missing_iss', t('missingIss'), [t('relaunchHelp')]));
    }
    if (clinicParam !== undefined) candidates = candidates.filter((i) => i.clinicId === clinicParam);
    if (candidates.length === 0) return res.status(404).type('html').send(errorPage(language, 'unknown_iss', t('unknownIss'), [t('relaunchHelp')]));
    if (candidates.length > 1) return res.status(400).type('html').send(errorPage(language, 'ambiguous_iss', t('ambiguousIss'), [t('relaunchHelp')]));
    const issuer = candidates[0]!;
    // An EHR launch asks `launch`; a standalone launch asks the EHR to pick the patient: `launch/patient`.
    const scopes = issuer.scopes.split(' ').filter((s) => s !== 'launch' && s !== 'launch/patient');
    const scope = [launchParam ? 'launch' : 'launch/patient', ...scopes].join(' ');
    allowConnectTo(res, originsOf([issuer]));
    // The redirect page's CSP will name this EHR only (launch-binding.ts).
    const state = newLaunchState();
    bindLaunch(req, res, state, { clinicId: issuer.clinicId, iss: issuer.iss });
    res.type('html').send(
      launchPage({
        mode: 'launch',
        language,
        authorize: {
          state,
          iss: issuer.iss,
          ...(launchParam ? { launch: launchParam } : {}),
          clientId: issuer.clientId,
          scope,
          redirectUri: `${req.protocol}://${req.get('host')}/smart/ready`,
        },
      }),
    );
  });

  router.get('/ready', async (req: Request, res: Response) => {
    const language = negotiateLanguage(req.query.lang, req.headers['accept-language']);
    // The code is redeemed from the page: it may reach the token endpoint (and FHIR base) of the EHR
    // this browser's launch of that `state` went to, if that registration is still enabled; no other.
    const bound = boundLaunch(req, res);
    const issuer = bound ? (await enabledIssuersAt(db, bound.iss)).find((i) => i.clinicId === bound.clinicId) : undefined;
    if (issuer) allowConnectTo(res, originsOf([issuer]));
    res.type('html').send(launchPage({ mode: 'ready', language }));
  });

  router.post('/exchange', express.json({ limit: '32kb', type: () => true }), async (req: Request, res: Response) => {
    const parsed = exchangeInput.safeParse(req.body);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join('.') || 'body');
      return refuse(res, 400, 'invalid_request', `Send JSON { iss, id_token, nonce? }: ${[...new Set(fields)].join(', ')} missing or invalid`);
    }
    try {
      res.json(await exchangeIdToken(db, parsed.data, { now: now() }));
    } catch (error) {
      if (error instanceof ExchangeRefusal) return refuse(res, error.status, error.reason, error.message);
      // The id_token is never logged: only that an exchange failed.
      log.error({ err: error instanceof Error ? error.message : 'unknown' }, 'SMART exchange failed');
      refuse(res, 503, 'unavailable', 'The launch could not be completed just now: try again');
    }
  });

  // A body the JSON parser refused (malformed, too large) is the page's mistake: 4xx with a reason.
  router.use((error: { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    const status = error.status ?? 500;
    if (status >= 500) return next(error);
    refuse(res, status, 'invalid_request', status === 413 ? 'The request body is too large' : 'The request body is not valid JSON');
  });
  return router;
}
