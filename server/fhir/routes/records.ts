import { Router } from 'express';
import type { FhirRouterDeps } from '../router.js';

export function recordRoutes(deps: FhirRouterDeps): Router {
  void deps;
  return Router();
}
