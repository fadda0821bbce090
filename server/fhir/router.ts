import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { TokenVerifier } from '../auth/verify-token.js';
import type { Services } from '../services.js';
import { authenticate } from './authenticate.js';
import { FhirError, operationOutcome, outcomeOf } from './outcome.js';
import { patientOf, observationsOf, questionnaireResponseOf } from './responses.js';
import { authRoutes } from './routes/auth.js';
import { bulkRoutes } from './routes/bulk.js';
import { definitionRoutes } from './routes/definitions.js';
import { recordRoutes } from './routes/records.js';

export const FHIR_JSON = 'application/fhir+json';

export interface FhirRouterDeps {
  services: Services;
  verifier: TokenVerifier;
  /** Counts a refused token or assertion as a failed sign-in (the same count tRPC keeps). */
  onRefusedToken: (req: Request) => Promise<void>;
}

/**
 * FHIR R4 (4.0.1) at /fhir/R4: conformance resources and SMART discovery need no sign-in; every
 * person's data goes through `authenticate` (res.locals.access) and auth/subject.ts's rules.
 */
export function fhirRouter(deps: FhirRouterDeps): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.type(FHIR_JSON);
    next();
  });
  router.use(express.json({ type: [FHIR_JSON, 'application/json'], limit: deps.services.config.maxBodyBytes }));
  router.use(express.urlencoded({ extended: false, limit: 16_384 }));
  router.use(authRoutes(deps));
  router.use(definitionRoutes(deps));
  router.use(authenticate(deps), recordRoutes(deps));
  router.use(
    bulkRoutes(deps, {
      patient: (user) => patientOf(user.clinic_id, user.id, user),
      questionnaireResponse: questionnaireResponseOf,
      observations: observationsOf,
    }),
  );
  router.use((req: Request) => {
    throw new FhirError(404, 'not-supported', `${req.method} ${req.path} is not an interaction this server supports`);
  });
  router.use(fhirErrors(deps.services.log));
  return router;
}

function fhirErrors(log: Logger) {
  return (error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof FhirError) {
      if (error.status === 401) res.set('WWW-Authenticate', 'Bearer realm="care-widgets FHIR"');
      res.status(error.status).type(FHIR_JSON).json(outcomeOf(error));
      return;
    }
    // Body parsers: malformed JSON, too large, wrong charset.
    const status = (error as { status?: number }).status ?? 500;
    if (status < 500) {
      const message = status === 413 ? 'The request body is too large' : 'The request body is not valid JSON';
      res.status(status).type(FHIR_JSON).json(operationOutcome('error', status === 413 ? 'too-long' : 'invalid', message));
      return;
    }
    log.error({ err: error }, 'FHIR interaction failed');
    res.status(500).type(FHIR_JSON).json(operationOutcome('fatal', 'exception', 'The server could not complete the interaction'));
  };
}
