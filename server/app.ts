import compression from 'compression';
import cors from 'cors';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import expressStaticGzip from 'express-static-gzip';
import type { ServerResponse } from 'node:http';
import { pino, type Logger } from 'pino';
import * as z from 'zod/mini';
import { en as zodEnglish } from 'zod/locales';
import { TRPCError } from '@trpc/server';
import { crossOriginOf, foreignOriginMessage, OriginPolicy } from './auth/origin-policy.js';
import { TokenVerifier } from './auth/verify-token.js';
import { VERSION, type Config } from './config.js';
import { migrateToLatest, type Db } from './db/index.js';
import { demoRoutes } from './demo/routes.js';
import { sampleEhrRoutes } from './demo/sample-ehr-routes.js';
import { fhirRouter } from './fhir/router.js';
import { DEMO_CLINIC_ID, seedDemo } from './demo/seed.js';
import { refreshAllClinics } from './domain/roster-stats.js';
import { resumePendingDeliveries } from './domain/webhook.js';
import { bearerFromConnectionParams } from './live/index.js';
import { StreamSlots } from './live/stream-slots.js';
import { requestLimits, requestToken, tokenKey } from './rate-limits.js';
import { appRouter } from './routers/index.js';
import { outcomesCsvRoutes } from './reports/outcomes-csv.js';
import { closeServices, openServices, type Services } from './services.js';
import { smartRoutes } from './smart/routes.js';
import { calendarRoutes, withoutFeedSecret } from './calendar/routes.js';
import { trpcHttp } from './trpc-http.js';
import { securityHeaders } from './security-headers.js';

export interface CareServer {
  app: Express;
  db: Db;
  log: Logger;
  /** What the routers and domain functions are given (built once here). */
  services: Services;
  close(): Promise<void>;
}

z.config(zodEnglish());

export function createLogger(level: string): Logger {
  // Tokens, notes and answers never reach a log line: requests are logged by method, path and status only.
  return pino({ level, redact: ['req.headers.authorization', 'authorization', 'token', '*.token', 'answers', '*.answers'] });
}

function requestLog(log: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    // At level silent (or warn…) there is nothing to write: skip the timer and the finish listener.
    if (!log.isLevelEnabled('info')) return next();
    const started = performance.now();
    res.on('finish', () => {
      log.info({ method: req.method, path: withoutFeedSecret(req.originalUrl.split('?')[0]!), status: res.statusCode, ms: Math.round(performance.now() - started) }, 'request');
    });
    next();
  };
}

/**
 * Reads a POST body whose Content-Length is known and within the limit into a string before tRPC,
 * which then takes it as is instead of wrapping the socket in a web ReadableStream (a measurable part
 * of every mutation's cost). The decoding is Request.text()'s (UTF-8, a leading BOM dropped). Anything
 * else (chunked, larger than the limit, GET) still goes through tRPC's own reader and its 413.
 */
function bufferKnownLengthBodies(maxBytes: number) {
  const utf8 = new TextDecoder();
  return (req: Request, _res: Response, next: NextFunction) => {
    const declared = req.headers['content-length'];
    if (req.method !== 'POST' || declared === undefined || req.headers['transfer-encoding'] !== undefined) return next();
    const length = Number(declared);
    if (!Number.isSafeInteger(length) || length > maxBytes) return next();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A client that goes away mid-body gets no answer, as before; nothing is left waiting.
    req.once('error', () => undefined);
    req.once('end', () => {
      req.body = utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
      next();
    });
  };
}

/**
 * Hashed chunks (`chunks/<name>-<hash>.js`) never change: a year, immutable. Entry files
 * (`check-in.js`, `care-widgets.js`, `autoloader.js`…) keep their names across releases: five
 * minutes, then revalidated by ETag, so a portal picks up a new release within minutes.
 */
function widgetCacheHeaders(res: ServerResponse, path: string): void {
  res.setHeader('Cache-Control', /[\\/]chunks[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
}

/** Start-up work on the database before the app answers: migrations, demo data, unfinished deliveries, roster stats. */
async function prepare(services: Services): Promise<void> {
  const { db, log, config, webhooks } = services;
  await migrateToLatest(db);
  if (config.demo) await seedDemo(services);
  await resumePendingDeliveries(db, log, webhooks);
  await refreshAllClinics(db, log);
}

export async function createApp(config: Config, log: Logger = createLogger(config.logLevel)): Promise<CareServer> {
  const services = openServices(config, log);
  try {
    await prepare(services);
  } catch (error) {
    await closeServices(services).catch(() => undefined);
    throw error;
  }
  const { db } = services;

  // Outside demo mode the demo clinic's published secret opens nothing, even in a database it was seeded into.
  const verifier = new TokenVerifier(db, { refusedClinics: config.demo ? [] : [DEMO_CLINIC_ID] });
  if (!config.demo && (await db.selectFrom('clinics').select('id').where('id', '=', DEMO_CLINIC_ID).executeTakeFirst())) {
    log.warn({ clinic: DEMO_CLINIC_ID }, 'this database holds the demo clinic; its tokens are refused outside demo mode');
  }
  const streams = new StreamSlots({ perToken: config.streamsPerToken, perClinic: config.streamsPerClinic });
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(securityHeaders());
  app.use(requestLog(log));

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, version: VERSION });
  });

  // Portals on other origins load the widget modules: module scripts are fetched with CORS.
  app.use(
    '/widgets',
    (_req, res, next) => {
      res.set('Access-Control-Allow-Origin', '*');
      res.set('Cross-Origin-Resource-Policy', 'cross-origin');
      next();
    },
    // Brotli or gzip copies written at build time (scripts/precompress.mjs), chosen by Accept-Encoding.
    expressStaticGzip(config.widgetsDir, {
      enableBrotli: true,
      orderPreference: ['br', 'gz'],
      serveStatic: { fallthrough: false, setHeaders: widgetCacheHeaders },
    }),
  );

  // CORS allows CARE_ALLOWED_ORIGINS and every origin some clinic lists (a preflight has no token);
  // each call with a token is then held to its own clinic's origins (refusedOrigin below).
  const origins = new OriginPolicy(db, config.allowedOrigins, log);
  const crossOrigin = cors({
    origin: origins.anyOrigin
      ? true
      : (origin, callback) => {
          if (origin === undefined) return callback(null, false);
          origins.allowsAny(origin).then(
            (allowed) => callback(null, allowed),
            () => callback(null, false),
          );
        },
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type'],
    maxAge: 600,
  });
  /**
   * A call from another site's page carrying a token must come from an origin the token's clinic
   * lists (or CARE_ALLOWED_ORIGINS): the origin it answers 403 for, else null. A token that does not
   * verify is left to the procedure's own 401.
   */
  const refusedOrigin = async (req: Request, authorization: string | undefined): Promise<string | null> => {
    const origin = crossOriginOf(req);
    if (origin === null || authorization === undefined || origins.allowedServerWide(origin)) return null;
    const principal = await verifier.verify(authorization).catch(() => null);
    return principal && !(await origins.allowsFor(origin, principal.clinicId)) ? origin : null;
  };
  const limits = requestLimits(config, services.rateLimitStore);
  const refusedTokenCounter = (req: Request) => {
    let counted = false;
    return async () => {
      if (counted) return;
      counted = true;
      // A count that cannot be stored must not turn the 401 into a 500.
      await limits.recordRefusedToken(req.ip ?? req.socket.remoteAddress ?? 'unknown').catch((error: unknown) => log.warn({ err: error }, 'failed sign-in not counted'));
    };
  };
  // Answers carry health data: no browser, proxy or CDN may keep a copy.
  const noStore = (_req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'no-store');
    next();
  };
  // Answers are compressed (above 1 kB where the length is known: tRPC streams its answers without one);
  // live-update streams never are (a compressor would hold events back).
  const compressAnswers = compression({
    threshold: 1024,
    filter: (req, res) => !String(res.getHeader('Content-Type') ?? '').startsWith('text/event-stream') && compression.filter(req, res),
  });
  app.use(
    '/trpc',
    noStore,
    compressAnswers,
    crossOrigin,
    limits.middleware,
    bufferKnownLengthBodies(config.maxBodyBytes),
    trpcHttp({
      router: appRouter,
      maxBodySize: config.maxBodyBytes,
      maxBatchSize: config.maxBatchSize,
      createContext: async ({ req, info }) => {
        const token = requestToken(req);
        // A browser EventSource cannot send headers: subscriptions may carry the token in connectionParams (never logged: the request log has the path only).
        const authorization = req.headers.authorization ?? (info.type === 'subscription' ? bearerFromConnectionParams(info.connectionParams) : undefined);
        const foreign = await refusedOrigin(req, authorization);
        if (foreign !== null) throw new TRPCError({ code: 'FORBIDDEN', message: foreignOriginMessage(foreign) });
        return {
          ...services,
          verifier,
          streams,
          tokenKey: token ? tokenKey(token) : null,
          onRefusedToken: refusedTokenCounter(req),
          authorization,
          version: VERSION,
        };
      },
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') log.error({ path, err: error.cause ?? error }, 'procedure failed');
      },
    }),
  );

  const reportsOrigin = (req: Request, res: Response, next: NextFunction) => {
    refusedOrigin(req, req.headers.authorization).then(
      (foreign) => (foreign === null ? next() : res.status(403).json({ error: { message: foreignOriginMessage(foreign), code: 'FORBIDDEN', fieldErrors: null } })),
      next,
    );
  };
  app.use('/reports', noStore, compressAnswers, crossOrigin, limits.middleware, reportsOrigin, outcomesCsvRoutes({ db, verifier, log, onRefusedToken: (req) => refusedTokenCounter(req)() }));

  app.use(
    '/fhir/R4',
    noStore,
    compressAnswers,
    crossOrigin,
    limits.middleware,
    fhirRouter({ services, verifier, onRefusedToken: (req) => refusedTokenCounter(req)() }),
  );

  app.use('/smart', noStore, limits.middleware, smartRoutes({ services }));
  app.use('/calendar', limits.middleware, calendarRoutes({ services }));

  // Demo mode only: the sample EHR behind "Launch from a sample EHR" (demo/ehr.html), started on first use.
  const sampleEhr = config.demo ? sampleEhrRoutes(services) : null;
  if (sampleEhr) app.use(sampleEhr.router);
  if (config.demo) app.use(crossOrigin, demoRoutes(config.widgetsDir));

  app.use((_req, res) => {
    res.status(404).json({ error: 'Not found' });
  });
  // Body parsers and static files report client mistakes here; answer them as 4xx, never 500.
  app.use((error: { status?: number; statusCode?: number }, _req: Request, res: Response, _next: NextFunction) => {
    const status = error.status ?? error.statusCode ?? 500;
    if (status >= 500) log.error({ err: error }, 'request failed');
    res.status(status).json({ error: status === 404 ? 'Not found' : status >= 500 ? 'Server error' : 'Bad request' });
  });

  return {
    app,
    db,
    log,
    services,
    close: async () => {
      await sampleEhr?.close();
      await closeServices(services);
    },
  };
}
