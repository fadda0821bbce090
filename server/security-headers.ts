import type { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * The security headers of every answer (helmet), with the content security policy the widgets and
 * the demo pages need. The benchmarks serve their baseline page with the same headers, so a cold
 * load of it pays what a demo page pays (COOP's browsing-context swap included).
 */
export function securityHeaders(): RequestHandler {
  return fixedHeaders(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // The demo's support groups use the public Jitsi domain (no clinic key): its IFrame API script and room iframe;
          // a JaaS group loads 8x8's per-app script (https://8x8.vc/<app id>/external_api.js) and room.
          scriptSrc: ["'self'", 'https://meet.jit.si', 'https://8x8.vc'],
          frameSrc: ["'self'", 'https://meet.jit.si', 'https://8x8.vc'],
          styleSrc: ["'self'"],
          connectSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          frameAncestors: ["'self'"],
          upgradeInsecureRequests: null,
        },
      },
    }),
  );
}

/**
 * Helmet's headers, worked out once: helmet runs one middleware per header (thirteen calls and a
 * CSP string per request, about 5% of a check-in's CPU time under load). With static options (no
 * directive is a function, so no per-request nonce) they are the same for every request, so they
 * are recorded once from helmet itself and set in one step. Any header helmet removes is removed too.
 */
function fixedHeaders(middleware: (req: Request, res: Response, next: (error?: unknown) => void) => void): RequestHandler {
  const set = new Map<string, string | number | readonly string[]>();
  const removed = new Set<string>();
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => set.set(name, value),
    removeHeader: (name: string) => removed.add(name),
  };
  let failed: unknown = null;
  middleware({} as Request, recorder as unknown as Response, (error) => (failed = error ?? null));
  if (failed !== null) throw new Error('helmet refused its own options', { cause: failed });
  return (_req, res, next) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}

