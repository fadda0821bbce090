import type { NextFunction, Request, Response } from 'express';
import { isStaff, type Principal } from '../auth/principal.js';
import { TRPCError } from '@trpc/server';
import { isRefusedToken, RefusedToken } from '../auth/verify-token.js';
import { parseSmartScopes, type FhirAccess } from './access.js';
import { FhirError } from './outcome.js';
import type { FhirRouterDeps } from './router.js';
import { verifySystemAccessToken } from './system-token.js';

/** A clinic's care token grants what the same person may do over tRPC, written as SMART scopes. */
export function accessOfPerson(principal: Principal): FhirAccess {
  const scope = isStaff(principal) ? 'user/*.rs' : 'patient/*.rs patient/QuestionnaireResponse.c';
  return { principal, scopes: parseSmartScopes(scope) };
}

/** Sets res.locals.access (FhirAccess) from the Bearer token, or answers 401 as an OperationOutcome. */
export function authenticate(deps: FhirRouterDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const authorization = req.headers.authorization;
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!bearer) return next(new FhirError(401, 'login', 'Sign-in required: send Authorization: Bearer <token>'));
    try {
      const system = await verifySystemAccessToken(deps.services, bearer, fhirBaseOf(req));
      res.locals.access = system ?? accessOfPerson(await deps.verifier.verify(authorization));
      next();
    } catch (error) {
      if (error instanceof RefusedToken || isRefusedToken(error)) await deps.onRefusedToken(req);
      if (error instanceof RefusedToken || (error instanceof TRPCError && error.code === 'UNAUTHORIZED')) {
        return next(new FhirError(401, 'login', error.message));
      }
      next(error);
    }
  };
}

/** This server's FHIR base as the caller addressed it (trust proxy decides protocol and host). */
export const fhirBaseOf = (req: Request): string => `${req.protocol}://${req.get('host') ?? 'localhost'}/fhir/R4`;

export const accessOf = (res: Response): FhirAccess => res.locals.access as FhirAccess;
