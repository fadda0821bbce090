/**
 * A person's records over FHIR R4: QuestionnaireResponse (create, read, search), Observation (read,
 * search), Patient (read, $everything). Every interaction checks the SMART scopes (`permits`, 403)
 * and whose data it is through auth/subject.ts (a client only their own, staff their clinic's
 * clients, audited; anyone else's is 404), exactly as tRPC does.
 */
import { Router, type Request, type Response } from 'express';
import { TRPCError } from '@trpc/server';
import { isStaff, type Principal } from '../../auth/principal.js';
import { auditedRead } from '../../auth/subject.js';
import type { Db } from '../../db/index.js';
import { submitCheckIn } from '../../domain/check-ins.js';
import { TEMPLATE_IDS, type TemplateId } from '../../contract/index.js';
import { permits, type FhirAccess, type FhirInteraction } from '../access.js';
import { accessOf } from '../authenticate.js';
import { userIdOfPatient } from '../codes.js';
import { FhirError, forbidden, invalidParam, notFound } from '../outcome.js';
import {
  OBSERVATION_KINDS,
  OBSERVATION_SOURCES,
  observationsOf,
  parseObservationId,
  patientOf,
  questionnaireResponseOf,
  submitInputOf,
  type CheckInRow,
  type ObservationKind,
} from '../responses.js';
import { templateOfCanonical } from '../questionnaires.js';
import type { FhirRouterDeps } from '../router.js';
import {
  baseUrlOf,
  checkSort,
  countOf,
  cursorOf,
  dateRange,
  nextCursor,
  one,
  patientParam,
  searchParams,
  searchset,
  type TimeRange,
} from '../search.js';

function requireScope(access: FhirAccess, resourceType: string, interaction: FhirInteraction): void {
  if (!permits(access, resourceType, interaction)) throw forbidden(`The token's scopes do not allow ${interaction} on ${resourceType}`);
}

/** auditedRead with subject.ts's refusals as FHIR ones: another person's data is 404, a missing `patient` 400. */
async function fhirAuditedRead<T>(
  db: Db,
  principal: Principal,
  of: { action: string; clientId: string | undefined; what: string },
  read: (clientId: string | undefined) => Promise<T>,
  subjects?: (result: T) => Iterable<string>,
): Promise<T> {
  try {
    return await auditedRead(db, principal, { action: of.action, clientId: of.clientId, required: 'staff read a client' }, read, subjects);
  } catch (error) {
    if (error instanceof TRPCError && error.code === 'NOT_FOUND') throw notFound(of.what);
    if (error instanceof TRPCError && error.code === 'BAD_REQUEST') throw invalidParam('patient', 'required');
    throw error;
  }
}

interface CheckInQuery {
  clinicId: string;
  clientId: string | undefined;
  templates?: readonly TemplateId[];
  range: TimeRange;
  /** Keyset position: rows strictly after it (newest first), or from it when `inclusive`. */
  cursor?: { at: string; id: string };
  inclusive?: boolean;
  limit: number;
}

/** Check-ins newest first by (submitted_at, id): the order of the check_ins_client_time / _clinic_time indexes. */
async function pageCheckIns(db: Db, q: CheckInQuery): Promise<CheckInRow[]> {
  let query = db.selectFrom('check_ins').selectAll().where('clinic_id', '=', q.clinicId);
  if (q.clientId !== undefined) query = query.where('client_id', '=', q.clientId);
  if (q.templates) query = query.where('template_id', 'in', [...q.templates]);
  if (q.range.from) query = query.where('submitted_at', '>=', q.range.from);
  if (q.range.before) query = query.where('submitted_at', '<', q.range.before);
  const cursor = q.cursor;
  if (cursor) {
    // A row-value comparison: both databases seek the index to the cursor instead of scanning up to it.
    query = query.where((eb) => eb(eb.refTuple('submitted_at', 'id'), q.inclusive ? '<=' : '<', eb.tuple(cursor.at, cursor.id)));
  }
  return query.orderBy('submitted_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
}

const emptyResult = (req: Request, res: Response) => res.json(searchset(req, [], null));

/** Observation `code` tokens (`system|code` or `code`, comma = or) as the kinds they name. */
function kindsOf(codes: string | undefined): ObservationKind[] {
  if (codes === undefined) return [...OBSERVATION_KINDS];
  const kinds = new Set<ObservationKind>();
  for (const token of codes.split(',')) {
    const [system, code] = token.includes('|') ? token.split('|') : [undefined, token];
    for (const kind of OBSERVATION_KINDS) {
      const c = OBSERVATION_SOURCES[kind].code;
      if (c.code === code && (system === undefined || system === '' || system === c.system)) kinds.add(kind);
    }
  }
  return OBSERVATION_KINDS.filter((k) => kinds.has(k));
}

const SURVEY = new Set(['survey', 'http://terminology.hl7.org/CodeSystem/observation-category|survey']);

export function recordRoutes(deps: FhirRouterDeps): Router {
  const router = Router();
  const db = deps.services.db;

  router.post('/QuestionnaireResponse', async (req, res) => {
    const access = accessOf(res);
    requireScope(access, 'QuestionnaireResponse', 'create');
    const principal = access.principal;
    if (isStaff(principal) || access.systemClientId !== undefined) throw forbidden('Only a client may submit a QuestionnaireResponse, as their own check-in');
    const input = submitInputOf(req.body, principal);
    const started = new Date().toISOString();
    const result = await submitCheckIn(deps.services, principal, input);
    const row = await db.selectFrom('check_ins').selectAll().where('clinic_id', '=', principal.clinicId).where('id', '=', result.id).executeTakeFirstOrThrow();
    // A retry with the same identifier answers with the first response (stored before this request began).
    const replay = row.received_at < started;
    res
      .status(replay ? 200 : 201)
      .location(`${baseUrlOf(req)}/QuestionnaireResponse/${row.id}`)
      .json(questionnaireResponseOf(row));
  });

  router.get('/QuestionnaireResponse/:id', async (req, res) => {
    const access = accessOf(res);
    requireScope(access, 'QuestionnaireResponse', 'read');
    const what = `QuestionnaireResponse/${req.params.id}`;
    const row = await db.selectFrom('check_ins').selectAll().where('clinic_id', '=', access.principal.clinicId).where('id', '=', req.params.id).executeTakeFirst();
    if (!row) throw notFound(what);
    await fhirAuditedRead(db, access.principal, { action: 'fhir.QuestionnaireResponse.read', clientId: row.client_id, what }, () => Promise.resolve(row));
    res.json(questionnaireResponseOf(row));
  });

  router.get('/QuestionnaireResponse', async (req, res) => {
    const access = accessOf(res);
    requireScope(access, 'QuestionnaireResponse', 'search');
    const params = searchParams(req, ['patient', 'subject', 'authored', 'questionnaire', '_count', '_sort', '_cursor'], ['authored']);
    checkSort(params, 'authored');
    const patient = patientParam(params);
    const range = dateRange(params, 'authored');
    const limit = countOf(params);
    const cursor = cursorOf(params);
    const questionnaire = one(params, 'questionnaire');
    const template = questionnaire === undefined ? undefined : templateOfCanonical(questionnaire)?.templateId;
    if (patient === null || (questionnaire !== undefined && !template)) return emptyResult(req, res);
    const rows = await fhirAuditedRead(
      db,
      access.principal,
      { action: 'fhir.QuestionnaireResponse.search', clientId: patient, what: 'Patient' },
      (clientId) => pageCheckIns(db, { clinicId: access.principal.clinicId, clientId, templates: template ? [template] : undefined, range, cursor, limit: limit + 1 }),
      (found) => found.slice(0, limit).map((r) => r.client_id),
    );
    const page = rows.slice(0, limit);
    const last = rows.length > limit ? page[page.length - 1] : undefined;
    res.json(searchset(req, page.map(questionnaireResponseOf), last ? nextCursor(last.submitted_at, last.id) : null));
  });

  router.get('/Observation/:id', async (req, res) => {
    const access = accessOf(res);
    requireScope(access, 'Observation', 'read');
    const what = `Observation/${req.params.id}`;
    const parsed = parseObservationId(req.params.id);
    if (!parsed) throw notFound(what);
    const row = await db.selectFrom('check_ins').selectAll().where('clinic_id', '=', access.principal.clinicId).where('id', '=', parsed.checkInId).executeTakeFirst();
    const observation = row ? observationsOf(row).find((o) => o.id === req.params.id) : undefined;
    if (!row || !observation) throw notFound(what);
    await fhirAuditedRead(db, access.principal, { action: 'fhir.Observation.read', clientId: row.client_id, what }, () => Promise.resolve(row));
    res.json(observation);
  });

  router.get('/Observation', async (req, res) => {
    const access = accessOf(res);
    requireScope(access, 'Observation', 'search');
    const params = searchParams(req, ['patient', 'subject', 'code', 'date', 'category', '_count', '_sort', '_cursor'], ['date']);
    checkSort(params, 'date');
    const patient = patientParam(params);
    const range = dateRange(params, 'date');
    const limit = countOf(params);
    const cursor = cursorOf(params);
    const kinds = kindsOf(one(params, 'code'));
    const category = one(params, 'category');
    if (patient === null || kinds.length === 0 || (category !== undefined && !category.split(',').some((c) => SURVEY.has(c)))) return emptyResult(req, res);
    const templates = [...new Set(kinds.map((k) => OBSERVATION_SOURCES[k].templateId))];
    const position = cursor && parseObservationId(cursor.id);
    if (cursor && !position) throw invalidParam('_cursor', 'not a cursor this server issued');
    const { page, more } = await fhirAuditedRead(
      db,
      access.principal,
      { action: 'fhir.Observation.search', clientId: patient, what: 'Patient' },
      async (clientId) => {
        // Each of these check-ins yields at least one wanted Observation: limit + 1 after the cursor's own check-in is enough.
        const rows = await pageCheckIns(db, {
          clinicId: access.principal.clinicId,
          clientId,
          templates,
          range,
          cursor: position ? { at: cursor.at, id: position.checkInId } : undefined,
          inclusive: true,
          limit: limit + 2,
        });
        let observations = rows.flatMap((row) => observationsOf(row).filter((o) => kinds.includes(parseObservationId(o.id!)!.kind)));
        if (position) {
          const at = observations.findIndex((o) => o.id === cursor.id);
          const sameCheckIn = observations.filter((o) => parseObservationId(o.id!)!.checkInId === position.checkInId).length;
          observations = at >= 0 ? observations.slice(at + 1) : observations.slice(sameCheckIn);
        }
        return { page: observations.slice(0, limit), more: observations.length > limit };
      },
      // Audited: the people whose Observations this page shows.
      (found) => found.page.map((o) => userIdOfPatient(o.subject!.reference!.slice('Patient/'.length))!),
    );
    const last = more ? page[page.length - 1] : undefined;
    res.json(searchset(req, page, last ? nextCursor(last.effectiveDateTime!, last.id!) : null));
  });

  router.get('/Patient/:id', async (req, res) => {
    const access = accessOf(res);
    requireScope(access, 'Patient', 'read');
    res.json(await readPatient(db, access.principal, req.params.id, 'fhir.Patient.read'));
  });

  router.get('/Patient/:id/:operation', async (req, res) => {
    if (req.params.operation !== '$everything') throw new FhirError(404, 'not-supported', `Patient/${req.params.id}/${req.params.operation} is not an operation this server supports`);
    const access = accessOf(res);
    requireScope(access, 'Patient', 'read');
    const params = searchParams(req, ['_count', '_cursor']);
    const limit = countOf(params);
    const cursor = cursorOf(params);
    const patient = await readPatient(db, access.principal, req.params.id, 'fhir.Patient.everything');
    const withResponses = permits(access, 'QuestionnaireResponse', 'search');
    const withObservations = permits(access, 'Observation', 'search');
    const templates = withResponses ? TEMPLATE_IDS : (['phq9', 'gad7', 'daily'] as const);
    const rows =
      withResponses || withObservations
        ? await pageCheckIns(db, { clinicId: access.principal.clinicId, clientId: userIdOfPatient(req.params.id)!, templates, range: {}, cursor, limit: limit + 1 })
        : [];
    const page = rows.slice(0, limit);
    const last = rows.length > limit ? page[page.length - 1] : undefined;
    const resources: fhir4.FhirResource[] = cursor ? [] : [patient];
    for (const row of page) {
      if (withResponses) resources.push(questionnaireResponseOf(row));
      if (withObservations) resources.push(...observationsOf(row));
    }
    res.json(searchset(req, resources, last ? nextCursor(last.submitted_at, last.id) : null));
  });

  return router;
}

/** Patient/<id>: the caller themselves, or (staff) a client of their clinic, audited; anyone else 404. */
async function readPatient(db: Db, principal: Principal, patientId: string, action: string): Promise<fhir4.Patient> {
  const what = `Patient/${patientId}`;
  const userId = userIdOfPatient(patientId);
  if (userId === undefined) throw notFound(what);
  // A client's own Patient exists from their token on, before any users row (written at the first check-in).
  if (!isStaff(principal) && userId !== principal.userId) throw notFound(what);
  return fhirAuditedRead(db, principal, { action, clientId: userId, what }, async () => {
    const user = await db.selectFrom('users').select('display_name').where('clinic_id', '=', principal.clinicId).where('id', '=', userId).executeTakeFirst();
    return patientOf(principal.clinicId, userId, user);
  });
}
