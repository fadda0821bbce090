import { Router } from 'express';
import type { FhirRouterDeps } from '../router.js';

export function definitionRoutes(deps: FhirRouterDeps): Router {
  void deps;
  return Router();
}
