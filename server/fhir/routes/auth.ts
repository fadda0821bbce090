import { Router } from 'express';
import type { FhirRouterDeps } from '../router.js';

export function authRoutes(deps: FhirRouterDeps): Router {
  void deps;
  return Router();
}
