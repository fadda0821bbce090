import { Router, type Request, type Response } from 'express';
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { FHIR_ASSERTION_ALGS } from '../../contract/index.js';
import type { Services } from '../../services.js';
import { formatScope, parseSmartScopes, type SmartScope } from '../access.js';
import { fhirBaseOf } from '../authenticate.js';
import type { FhirRouterDeps } from '../router.js';
import { ACCESS_TOKEN_LIFETIME_S, issueAccessToken, TOKEN_PATH } from '../system-token.js';

/**
 * SMART Backend Services sign-in (SMART App Launch 2, "Backend Services"), public (before sign-in):
 * - GET /.well-known/smart-configuration: discovery;
 * - POST /auth/token: client_credentials with a private_key_jwt assertion (RS384/ES384) signed with a
 *   key the clinic registered for the client (tRPC fhirClients.register), answering a 5-minute access
 *   token with the granted system scopes. Errors are OAuth's JSON; every refused assertion is a failed
 *   sign-in of the caller's address.
 */

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** An assertion may be valid for at most this long (SMART: exp no more than five minutes ahead). */
const MAX_ASSERTION_LIFETIME_S = 300;
/** Clocks of the client and this server may differ by this much. */
const CLOCK_SKEW_S = 60;
const SCOPES_SUPPORTED = ['system/*.rs', 'system/*.r', 'system/*.s'];

type OAuthError = 'invalid_request' | 'invalid_client' | 'invalid_scope' | 'unsupported_grant_type';
class OAuthRefusal extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly error: OAuthError,
    message: string,
  ) {
    super(message);
  }
}
const invalidClient = (message: string) => new OAuthRefusal(401, 'invalid_client', message);

type KeySet = JWTVerifyGetKey;
/** Remote JWKS per URL (jose caches the fetched keys and refetches for an unknown kid, at most every 30 s). */
const remoteKeySets = new LRUCache<string, KeySet>({ max: 1_000 });

interface ClientKeys {
  clientId: string;
  clinicId: string;
  name: string;
  scopes: string;
  keys: KeySet;
}

async function clientKeys({ db, log }: Services, clientId: string): Promise<ClientKeys | null> {
  const row = await db
    .selectFrom('fhir_clients')
    .select(['client_id', 'clinic_id', 'name', 'jwks', 'jwks_url', 'scopes'])
    .where('client_id', '=', clientId)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  let keys: KeySet;
  if (row.jwks) {
    try {
      keys = createLocalJWKSet(JSON.parse(row.jwks) as Parameters<typeof createLocalJWKSet>[0]);
    } catch (error) {
      // Stored keys that no longer load: the client cannot sign in until it is registered again.
      log.warn({ err: error, clientId }, 'FHIR client keys could not be loaded');
      return null;
    }
  } else if (row.jwks_url) {
    keys = remoteKeySets.get(row.jwks_url) ?? createRemoteJWKSet(new URL(row.jwks_url), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
    remoteKeySets.set(row.jwks_url, keys);
  } else {
    return null;
  }
  return { clientId: row.client_id, clinicId: row.clinic_id, name: row.name, scopes: row.scopes, keys };
}

/** One form field, once: a missing field or one sent twice is a 400 naming it. */
function formFields(req: Request): Record<'grant_type' | 'client_assertion_type' | 'client_assertion' | 'scope', string> {
  const body: unknown = req.body;
  const form = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const names = ['grant_type', 'client_assertion_type', 'client_assertion', 'scope'] as const;
  const missing = names.filter((name) => typeof form[name] !== 'string' || form[name] === '');
  if (missing.length > 0) {
    const repeated = missing.filter((name) => Array.isArray(form[name]));
    const message = repeated.length
      ? `Send each of these once: ${repeated.join(', ')}`
      : `Missing form field${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} (send application/x-www-form-urlencoded)`;
    throw new OAuthRefusal(400, 'invalid_request', message);
  }
  return Object.fromEntries(names.map((name) => [name, form[name] as string])) as Record<(typeof names)[number], string>;
}

/** The granted scopes: each requested system scope narrowed to what some allowed scope covers. */
export function grantedScopes(requested: string, allowed: string): string[] {
  const allowedScopes = parseSmartScopes(allowed).filter((s) => s.context === 'system');
  const granted = new Set<string>();
  for (const want of parseSmartScopes(requested)) {
    if (want.context !== 'system') continue;
    for (const may of allowedScopes) {
      const resourceType = want.resourceType === '*' ? may.resourceType : may.resourceType === '*' || may.resourceType === want.resourceType ? want.resourceType : null;
      if (!resourceType) continue;
      const interactions = new Set([...want.interactions].filter((i) => may.interactions.has(i)));
      if (interactions.size === 0) continue;
      const scope: SmartScope = { context: 'system', resourceType, interactions };
      granted.add(formatScope(scope));
    }
  }
  return [...granted];
}

/** Authenticates the assertion: its client (enabled), signature, claims and a first-seen jti. */
async function authenticateAssertion(deps: FhirRouterDeps, assertion: string, tokenUrl: string): Promise<ClientKeys> {
  let alg: unknown;
  let iss: unknown;
  try {
    alg = decodeProtectedHeader(assertion).alg;
    iss = decodeJwt(assertion).iss;
  } catch {
    throw invalidClient('client_assertion is not a JWT');
  }
  if (!FHIR_ASSERTION_ALGS.includes(alg as (typeof FHIR_ASSERTION_ALGS)[number])) {
    throw invalidClient(`client_assertion must be signed with ${FHIR_ASSERTION_ALGS.join(' or ')}`);
  }
  if (typeof iss !== 'string' || iss.length === 0 || iss.length > 100) throw invalidClient('client_assertion iss must be the client_id');
  const client = await clientKeys(deps.services, iss);
  // The same words for an unknown and a disabled client.
  if (!client) throw invalidClient('Unknown or disabled client');

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(assertion, client.keys, {
      algorithms: [...FHIR_ASSERTION_ALGS],
      issuer: client.clientId,
      subject: client.clientId,
      audience: tokenUrl,
      requiredClaims: ['exp', 'jti'],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw invalidClient('client_assertion has expired');
    if (error instanceof errors.JWTClaimValidationFailed) throw invalidClient(`client_assertion ${error.claim} claim is invalid (aud must be ${tokenUrl})`);
    if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWSSignatureVerificationFailed) {
      throw invalidClient('client_assertion signature does not verify with a key registered for this client');
    }
    throw invalidClient('client_assertion could not be verified');
  }
  const nowS = Math.floor(Date.now() / 1000);
  const exp = payload.exp as number;
  if (exp > nowS + MAX_ASSERTION_LIFETIME_S + CLOCK_SKEW_S) throw invalidClient('client_assertion exp may be at most 5 minutes ahead');
  const jti = payload.jti;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 255) throw invalidClient('client_assertion jti is invalid');

  const db = deps.services.db;
  // Assertions past their exp are refused anyway: their jtis need not be kept (any client's).
  await db.deleteFrom('fhir_assertion_jtis').where('expires_at', '<', new Date().toISOString()).execute();
  const inserted = await db
    .insertInto('fhir_assertion_jtis')
    .values({ client_id: client.clientId, jti, expires_at: new Date((exp + CLOCK_SKEW_S) * 1000).toISOString() })
    .onConflict((oc) => oc.columns(['client_id', 'jti']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) throw invalidClient('client_assertion jti was already used');
  return client;
}

export function authRoutes(deps: FhirRouterDeps): Router {
  const router = Router();

  router.get('/.well-known/smart-configuration', (req, res) => {
    res.type('application/json').json({
      token_endpoint: `${fhirBaseOf(req)}${TOKEN_PATH}`,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: [...FHIR_ASSERTION_ALGS],
      grant_types_supported: ['client_credentials'],
      scopes_supported: SCOPES_SUPPORTED,
      capabilities: ['client-confidential-asymmetric', 'permission-v2'],
    });
  });

  router.post(TOKEN_PATH, async (req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store');
    res.set('Pragma', 'no-cache');
    const answer = (status: number, body: object) => res.status(status).type('application/json').json(body);
    try {
      const form = formFields(req);
      if (form.grant_type !== 'client_credentials') throw new OAuthRefusal(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
      if (form.client_assertion_type !== CLIENT_ASSERTION_TYPE) {
        throw new OAuthRefusal(400, 'invalid_request', `client_assertion_type must be ${CLIENT_ASSERTION_TYPE}`);
      }
      const fhirBase = fhirBaseOf(req);
      const client = await authenticateAssertion(deps, form.client_assertion, `${fhirBase}${TOKEN_PATH}`);
      const granted = grantedScopes(form.scope, client.scopes);
      if (granted.length === 0) {
        throw new OAuthRefusal(400, 'invalid_scope', `None of the requested scopes is allowed for this client (it may be granted: ${client.scopes})`);
      }
      const scope = granted.join(' ');
      const accessToken = await issueAccessToken(deps.services.db, fhirBase, { clientId: client.clientId, clinicId: client.clinicId, name: client.name, disabled: false }, scope);
      answer(200, { access_token: accessToken, token_type: 'bearer', expires_in: ACCESS_TOKEN_LIFETIME_S, scope });
    } catch (error) {
      if (!(error instanceof OAuthRefusal)) {
        deps.services.log.error({ err: error }, 'FHIR token request failed');
        answer(500, { error: 'server_error', error_description: 'The server could not issue a token' });
        return;
      }
      if (error.status === 401) {
        await deps.onRefusedToken(req);
        res.set('WWW-Authenticate', 'Bearer realm="care-widgets FHIR", error="invalid_client"');
      }
      answer(error.status, { error: error.error, error_description: error.message });
    }
  });

  return router;
}
