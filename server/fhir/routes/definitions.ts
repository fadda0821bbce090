import { Router } from 'express';
import { capabilityStatement } from '../capability.js';
import { notFound, invalidParam } from '../outcome.js';
import { allQuestionnaires, CARE_CODE_SYSTEM_ID, careCodeSystem } from '../questionnaires.js';
import type { FhirRouterDeps } from '../router.js';
import { baseUrlOf, listSearchset, matchesAll, offsetPaging, searchParams, tokenMatches } from '../search.js';

const STATUSES = new Set<string>(['draft', 'active', 'retired', 'unknown']);

/** Questionnaire.code and every item's codes, at any depth: what `code` searches. */
function codesOf(questionnaire: fhir4.Questionnaire): fhir4.Coding[] {
  const codes = [...(questionnaire.code ?? [])];
  const visit = (items: fhir4.QuestionnaireItem[] | undefined) =>
    items?.forEach((item) => {
      codes.push(...(item.code ?? []));
      visit(item.item);
    });
  visit(questionnaire.item);
  return codes;
}

/**
 * Conformance resources, public like /metadata: the CapabilityStatement, our Questionnaires and
 * our CodeSystem. They hold no one's data, so they need no sign-in and write no audit row.
 */
export function definitionRoutes(deps: FhirRouterDeps): Router {
  void deps;
  const router = Router();

  router.get('/metadata', (req, res) => {
    res.json(capabilityStatement(baseUrlOf(req)));
  });

  router.get('/Questionnaire', (req, res) => {
    const params = searchParams(req, ['url', 'code', 'status', '_count', '_offset'], ['url', 'code', 'status']);
    for (const status of (params.get('status') ?? []).flatMap((v) => v.split(','))) {
      if (!STATUSES.has(status)) throw invalidParam('status', `${status} is not a publication status (draft, active, retired, unknown)`);
    }
    const matches = allQuestionnaires().filter(
      (q) =>
        matchesAll(params, 'url', (url) => q.url === url) &&
        matchesAll(params, 'status', (status) => q.status === status) &&
        matchesAll(params, 'code', (token) => tokenMatches(token, codesOf(q))),
    );
    res.json(listSearchset(req, 'Questionnaire', matches, offsetPaging(params, 50, 100)));
  });

  router.get('/Questionnaire/:id', (req, res) => {
    const questionnaire = allQuestionnaires().find((q) => q.id === req.params.id);
    if (!questionnaire) throw notFound(`Questionnaire/${req.params.id}`);
    res.json(questionnaire);
  });

  router.get('/CodeSystem', (req, res) => {
    const params = searchParams(req, ['url', '_count', '_offset'], ['url']);
    const codeSystem = careCodeSystem();
    const matches = matchesAll(params, 'url', (url) => codeSystem.url === url) ? [codeSystem] : [];
    res.json(listSearchset(req, 'CodeSystem', matches, offsetPaging(params, 50, 100)));
  });

  router.get('/CodeSystem/:id', (req, res) => {
    if (req.params.id !== CARE_CODE_SYSTEM_ID) throw notFound(`CodeSystem/${req.params.id}`);
    res.json(careCodeSystem());
  });

  return router;
}
