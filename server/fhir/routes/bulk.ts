import { Router, type Response } from 'express';
import type { FhirAccess } from '../access.js';
import { accessOf } from '../authenticate.js';
import { completeExport, deleteExport, EXPORT_TYPES, exportLines, findExport, startExport, type ExportJob, type ExportMappers, type ExportType } from '../bulk-export.js';
import { FhirError } from '../outcome.js';
import type { FhirRouterDeps } from '../router.js';
import { baseUrlOf } from '../search.js';

/** Resolves when the socket takes more (drain) or is gone (close), leaving no listener behind. */
const writable = (res: Response) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });

/** Bulk Data Access IG 2.0 (system export for one clinic): kick-off, status, files, delete. */
export function bulkRoutes(deps: FhirRouterDeps, mappers: ExportMappers): Router {
  const { db, log } = deps.services;
  const counting = new Map<string, Promise<unknown>>();
  const router = Router();

  // The counting (and audit) runs once per job per process; a job whose server went away is finished by the next status request.
  const completeInBackground = (access: FhirAccess, job: ExportJob) => {
    if (counting.has(job.id)) return;
    const work = completeExport(db, access, job)
      .catch((error: unknown) => log.error({ err: error, job: job.id }, 'bulk export could not be counted'))
      .finally(() => counting.delete(job.id));
    counting.set(job.id, work);
  };

  router.get('/Group/:id/:operation', async (req, res) => {
    if (req.params.operation !== '$export') throw new FhirError(404, 'not-supported', `Group/${req.params.id}/${req.params.operation} is not an operation this server supports`);
    if (!/respond-async/.test(req.get('prefer') ?? '')) throw new FhirError(400, 'invalid', 'Bulk export is asynchronous: send Prefer: respond-async', 'Prefer');
    const format = req.query._outputFormat;
    if (format !== undefined && !(typeof format === 'string' && ['application/fhir+ndjson', 'application/ndjson', 'ndjson'].includes(format))) {
      throw new FhirError(400, 'not-supported', '_outputFormat: only application/fhir+ndjson', '_outputFormat');
    }
    const job = await startExport(db, accessOf(res), req.params.id, { _type: req.query._type, _since: req.query._since });
    completeInBackground(accessOf(res), job);
    res.status(202).set('Content-Location', `${baseUrlOf(req)}/bulk/${job.id}`).end();
  });

  router.get('/bulk/:id', async (req, res) => {
    const job = await findExport(db, accessOf(res), req.params.id);
    if (!job.counts) {
      completeInBackground(accessOf(res), job);
      res.status(202).set({ 'X-Progress': 'counting resources', 'Retry-After': '1' }).end();
      return;
    }
    const base = baseUrlOf(req);
    res
      .status(200)
      .type('application/json')
      .json({
        transactionTime: job.transactionTime,
        request: `${base}/Group/${accessOf(res).principal.clinicId}/$export${job.since ? `?_since=${job.since}` : ''}`,
        requiresAccessToken: true,
        output: job.types.map((type) => ({ type, url: `${base}/bulk/${job.id}/${type}.ndjson`, ...(job.counts?.[type] !== undefined ? { count: job.counts[type] } : {}) })),
        error: [],
      });
  });

  router.get('/bulk/:id/:file', async (req, res) => {
    const job = await findExport(db, accessOf(res), req.params.id);
    const type = /^([A-Za-z]+)\.ndjson$/.exec(req.params.file)?.[1];
    if (!type || !job.types.includes(type as ExportType) || !(EXPORT_TYPES as readonly string[]).includes(type)) throw new FhirError(404, 'not-found', `No file ${req.params.file} in this export`);
    res.status(200).type('application/fhir+ndjson');
    let closed = false;
    res.once('close', () => (closed = true));
    try {
      for await (const line of exportLines(db, accessOf(res).principal.clinicId, job, type as ExportType, mappers)) {
        if (closed) return;
        if (!res.write(line)) await writable(res);
      }
      res.end();
    } catch (error) {
      // The status line is gone: end the connection so the client sees a broken file, not a short one.
      log.error({ err: error, job: job.id }, 'bulk export file failed mid-stream');
      res.destroy();
    }
  });

  router.delete('/bulk/:id', async (req, res) => {
    await deleteExport(db, accessOf(res), req.params.id);
    res.status(202).end();
  });

  return router;
}
