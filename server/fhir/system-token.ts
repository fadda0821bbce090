import { randomBytes, randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import { RefusedToken } from '../auth/verify-token.js';
import type { Db } from '../db/index.js';
import type { Services } from '../services.js';
import { parseSmartScopes, type FhirAccess } from './access.js';

/** Access tokens live 5 minutes (SMART Backend Services). */
export const ACCESS_TOKEN_LIFETIME_S = 300;
/** Where a FHIR base's token endpoint is; an access token's `iss` is the base plus this. */
export const TOKEN_PATH = '/auth/token';
/** JWT `typ` of our access tokens (RFC 9068): a care token never carries it. */
const ACCESS_TOKEN_TYP = 'at+jwt';
const SERVER_KEY_ID = 'fhir-access-token-hs256';
/** How long a client's enabled state is trusted before the database is asked again. */
const CLIENT_CACHE_MS = 10_000;

/**
 * The HS256 secret access tokens are signed with: generated once and stored in fhir_server_keys, so
 * every server process on one database signs and verifies with the same one. Read once per process.
 */
const secrets = new WeakMap<Db, Promise<Uint8Array>>();
export function signingSecret(db: Db): Promise<Uint8Array> {
  let secret = secrets.get(db);
  if (!secret) {
    secret = loadSigningSecret(db);
    // A failed read is not remembered: the next request tries again.
    secret.catch(() => secrets.delete(db));
    secrets.set(db, secret);
  }
  return secret;
}

async function loadSigningSecret(db: Db): Promise<Uint8Array> {
  // Two processes starting together: both insert, one wins, both read the winner.
  await db
    .insertInto('fhir_server_keys')
    .values({ id: SERVER_KEY_ID, secret: randomBytes(32).toString('base64url'), created_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await db.selectFrom('fhir_server_keys').select('secret').where('id', '=', SERVER_KEY_ID).executeTakeFirstOrThrow();
  return Buffer.from(row.secret, 'base64url');
}

export interface SystemClient {
  clientId: string;
  clinicId: string;
  name: string;
  disabled: boolean;
}

interface CachedClient {
  client: SystemClient | null;
  loadedAt: number;
}
const clientCaches = new WeakMap<Db, LRUCache<string, CachedClient>>();

/** A backend client by id (enabled or not), remembered for CLIENT_CACHE_MS. */
export async function systemClient(db: Db, clientId: string, { fresh = false } = {}): Promise<SystemClient | null> {
  let cache = clientCaches.get(db);
  if (!cache) {
    cache = new LRUCache({ max: 1_000 });
    clientCaches.set(db, cache);
  }
  const cached = cache.get(clientId);
  if (!fresh && cached && Date.now() - cached.loadedAt < CLIENT_CACHE_MS) return cached.client;
  const row = await db.selectFrom('fhir_clients').select(['client_id', 'clinic_id', 'name', 'disabled_at']).where('client_id', '=', clientId).executeTakeFirst();
  const client = row ? { clientId: row.client_id, clinicId: row.clinic_id, name: row.name, disabled: row.disabled_at !== null } : null;
  cache.set(clientId, { client, loadedAt: Date.now() });
  return client;
}

/** Forgets what this process remembers of a client (it was just disabled here). */
export function forgetSystemClient(db: Db, clientId: string): void {
  clientCaches.get(db)?.delete(clientId);
}

/** Signs a 5-minute access token for `client` at the FHIR base `fhirBase` with the granted `scope`. */
export async function issueAccessToken(db: Db, fhirBase: string, client: SystemClient, scope: string): Promise<string> {
  return new SignJWT({ clinic: client.clinicId, scope })
    .setProtectedHeader({ alg: 'HS256', typ: ACCESS_TOKEN_TYP })
    .setIssuer(`${fhirBase}${TOKEN_PATH}`)
    .setAudience(fhirBase)
    .setSubject(client.clientId)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_LIFETIME_S}s`)
    .sign(await signingSecret(db));
}

/** Whether the token has the shape of our access tokens: typ at+jwt and an issuer at a FHIR base's token path. */
function looksLikeOurs(token: string): boolean {
  try {
    const header = decodeProtectedHeader(token);
    const { iss } = decodeJwt(token);
    return header.typ === ACCESS_TOKEN_TYP && typeof iss === 'string' && iss.endsWith(TOKEN_PATH);
  } catch {
    return false;
  }
}

const refused = () => new RefusedToken('Access token is invalid, expired or revoked: request a new one at the token endpoint');

/**
 * Verifies an access token this server issued at /fhir/R4/auth/token to a SMART Backend Services
 * client. Returns null when the token is not one of ours (the caller then tries the clinic's care
 * token rules); throws RefusedToken when it is ours but expired, revoked or tampered with.
 * `fhirBase`, when given, is the base the request came to: the token's audience must be it.
 */
export async function verifySystemAccessToken(services: Services, token: string, fhirBase?: string): Promise<FhirAccess | null> {
  if (!looksLikeOurs(token)) return null;
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, await signingSecret(services.db), {
      algorithms: ['HS256'],
      typ: ACCESS_TOKEN_TYP,
      requiredClaims: ['exp', 'sub', 'aud', 'iss'],
      ...(fhirBase ? { audience: fhirBase, issuer: `${fhirBase}${TOKEN_PATH}` } : {}),
    }));
  } catch {
    throw refused();
  }
  const { sub, clinic, scope, exp } = payload as JWTPayload & { clinic?: unknown; scope?: unknown };
  if (typeof sub !== 'string' || typeof clinic !== 'string' || typeof scope !== 'string' || typeof exp !== 'number') throw refused();
  const client = await systemClient(services.db, sub);
  if (!client || client.disabled || client.clinicId !== clinic) throw refused();
  return {
    principal: { clinicId: clinic, userId: `system:${sub}`, role: 'admin', name: client.name, expiresAt: exp * 1000 },
    scopes: parseSmartScopes(scope),
    systemClientId: sub,
  };
}
