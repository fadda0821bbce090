import express, { type Router } from 'express';
import { SignJWT } from 'jose';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROLES, type Role } from '../auth/principal.js';
import { DEFAULT_MAX_TOKEN_LIFETIME_S } from '../auth/verify-token.js';
import { DEMO_CLINIC_ID, DEMO_SECRET } from './seed.js';

const DEMO_DIR = fileURLToPath(new URL('../../demo', import.meta.url));
/** The React and Vue embedding demos, built by `vite build -c vite.demos.config.ts --mode react|vue`. */
const BUILT_DEMO = (framework: 'react' | 'vue') => fileURLToPath(new URL(`../../dist/demo-${framework}`, import.meta.url));
/** The demo pages with `<link rel="modulepreload">` for their widgets' chunks, written by scripts/preload-demo-pages.mjs. */
const PRELOADED_DIR = fileURLToPath(new URL('../../dist/demo-pages', import.meta.url));

/**
 * The demo pages whose preloaded copy links only files this server's widget folder holds (a copy
 * written for another build would make the browser fetch chunks that are not there): file name →
 * page text. Pages without a usable copy are served from demo/ as they are.
 */
function preloadedPages(widgetsDir: string): Map<string, string> {
  const pages = new Map<string, string>();
  if (!existsSync(PRELOADED_DIR)) return pages;
  for (const name of readdirSync(PRELOADED_DIR).filter((n) => n.endsWith('.html'))) {
    const html = readFileSync(join(PRELOADED_DIR, name), 'utf8');
    const linked = [...html.matchAll(/<link rel="modulepreload" href="\/widgets\/([\w./-]+)"/g)].map((m) => m[1]!);
    if (linked.every((file) => !file.includes('..') && existsSync(join(widgetsDir, file)))) pages.set(name, html);
  }
  return pages;
}

/** Stands in for a clinic portal's backend: mints short-lived tokens for the demo people. */
export function demoRoutes(widgetsDir: string): Router {
  const routes = express.Router();
  const preloaded = preloadedPages(widgetsDir);
  routes.get('/demo/token', async (req, res) => {
    const sub = typeof req.query.sub === 'string' ? req.query.sub : 'client-1';
    const role = typeof req.query.role === 'string' ? req.query.role : 'client';
    const ttl = Math.min(Math.max(Number(req.query.ttl ?? 8 * 3600) || 0, 1), DEFAULT_MAX_TOKEN_LIFETIME_S);
    if (!/^[\w-]{1,64}$/.test(sub)) {
      res.status(400).json({ error: 'sub: use 1–64 letters, digits, - or _' });
      return;
    }
    if (!ROLES.includes(role as Role)) {
      res.status(400).json({ error: `role: must be one of ${ROLES.join(', ')}` });
      return;
    }
    const name = typeof req.query.name === 'string' ? req.query.name.slice(0, 100) : undefined;
    const token = await new SignJWT({ clinic: DEMO_CLINIC_ID, role, ...(name ? { name } : {}) })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime(`${ttl}s`)
      .sign(new TextEncoder().encode(DEMO_SECRET));
    res.json({ token, clinic: DEMO_CLINIC_ID, sub, role });
  });
  routes.use('/react', express.static(BUILT_DEMO('react'), { index: 'index.html' }));
  routes.use('/vue', express.static(BUILT_DEMO('vue'), { index: 'index.html' }));
  routes.get(['/', '/:page.html'], (req, res, next) => {
    const page = typeof req.params.page === 'string' ? req.params.page : 'index';
    const html = preloaded.get(`${page}.html`);
    if (html === undefined) return next();
    res.type('html').set('Cache-Control', 'no-cache').send(html);
  });
  routes.use(express.static(DEMO_DIR, { index: 'index.html' }));
  // The demo pages have no icon; answer the browser's request for one without a 404 in the console.
  routes.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  return routes;
}
