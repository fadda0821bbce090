import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

/**
 * A sample EHR for the SMART App Launch tests and the demo's "Launch from a sample EHR" page: a real
 * OpenID Connect provider (oidc-provider, the certified one) as its authorization server at `origin`,
 * configured the SMART way (PKCE S256 required, the `launch` and `aud` parameters,
 * `launch`/`launch/patient`/`fhirUser` scopes, `fhirUser` in the id_token, `patient` in the token
 * response), and a small FHIR endpoint at `fhirBase` (the launch's `iss`):
 * `.well-known/smart-configuration`, `metadata`, `Patient/{id}`, `Practitioner/{id}`, and creates of
 * QuestionnaireResponse (write-back): each checked (`validateResource`, the tests pass the FHIR R4
 * validator), for the scope `patient/QuestionnaireResponse.c` and a subject that is the token's
 * patient, honouring `If-None-Exist` (conditional create: a match answers 200 with the stored one and
 * creates nothing), and counted (`writes`). Knobs make it refuse (`writeRefusal`) or fail
 * (`failWrites`, `loseNextWriteAnswer`).
 *
 * It always listens on 127.0.0.1 (its own port) and is only ever started by the tests and by demo
 * mode (server/demo/sample-ehr-routes.ts, imported lazily there): oidc-provider is a development
 * dependency, and `care serve` never loads this module.
 *
 * Interactions (login, consent) finish by themselves: the account is the one the `launch` parameter
 * was issued for (`launchFor`), or `standaloneAccount` for a launch without one.
 */

export interface EhrAccount {
  id: string;
  /** `Patient/<id>` or `Practitioner/<id>` (relative; `absoluteFhirUser` makes it a full URL). */
  fhirUser?: string;
  /** Patient in context (a practitioner launch). */
  patient?: string;
  absoluteFhirUser?: boolean;
  /** The id_token's `name` (with the profile scope). */
  name?: string;
}

export interface EhrClient {
  clientId: string;
  redirectUris: string[];
}

export interface SampleEhr {
  origin: string;
  /** The OpenID issuer (the id_token's `iss`). */
  issuer: string;
  /** The FHIR base URL: what the EHR sends as `iss`. */
  fhirBase: string;
  provider: Provider;
  /** A launch id for an account, as the EHR would put on the launch URL. */
  launchFor(account: EhrAccount): string;
  standaloneAccount: EhrAccount;
  /** What the FHIR endpoint did with QuestionnaireResponse creates. */
  writes: EhrWrites;
  /** Refresh tokens: whether the EHR grants them, and the refresh_token grants its token endpoint answered. */
  refresh: EhrRefresh;
  stop(): Promise<void>;
}

export interface EhrRefresh {
  /**
   * Grant a refresh token when the app asks `online_access` or `offline_access` (SMART App Launch 2,
   * "Scopes for requesting a refresh token"); false: the EHR grants none, whatever was asked.
   */
  grant: boolean;
  /** refresh_token grants the token endpoint answered 200 (a new access token and id_token each). */
  grants: number;
  /** refresh_token grants it refused (an expired or used refresh token). */
  refused: number;
}

export interface EhrWrites {
  /** Every QuestionnaireResponse it created (not the ones a conditional create found). */
  created: fhir4.QuestionnaireResponse[];
  /** Every create request that reached it, answered or not. */
  attempts: number;
  /** Creates that matched an existing one through If-None-Exist (answered 200, nothing created). */
  matched: number;
  /** Answer every create with this status and an OperationOutcome (e.g. 403), or null to accept them. */
  writeRefusal: number | null;
  /** Answer this many of the next creates 503 (the EHR is down for a while). */
  failWrites: number;
  /** Store the next create, then cut the connection before answering (the answer is lost on the way). */
  loseNextWriteAnswer: boolean;
}

export const SMART_SCOPES = ['openid', 'fhirUser', 'profile', 'launch', 'launch/patient', 'patient/Patient.rs', 'patient/QuestionnaireResponse.c', 'user/Patient.rs', 'offline_access', 'online_access'];

/** The EHR's sample patients. */
export const SAMPLE_PATIENTS: Record<string, fhir4.Patient> = {
  '123': { resourceType: 'Patient', id: '123', name: [{ family: 'Rivera', given: ['Alex'] }] },
  '124': { resourceType: 'Patient', id: '124', name: [{ family: 'Okafor', given: ['Sam'] }] },
};
/** The EHR's sample practitioners. */
export const SAMPLE_PRACTITIONERS: Record<string, fhir4.Practitioner> = {
  'dr-9': { resourceType: 'Practitioner', id: 'dr-9', name: [{ family: 'Rivera', given: ['Morgan'], prefix: ['Dr.'] }] },
};

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function json(res: ServerResponse, status: number, body: unknown, type = 'application/json', headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': type,
    'access-control-allow-origin': '*',
    'access-control-allow-headers': 'authorization, content-type, if-none-exist',
    'access-control-expose-headers': 'location',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

const outcome = (code: string, diagnostics: string): fhir4.OperationOutcome => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] });

export interface SampleEhrOptions {
  clients: EhrClient[];
  standaloneAccount?: EhrAccount;
  idTokenTtlS?: number;
  /** Its port on 127.0.0.1 (default: any free one). */
  port?: number;
  /** The private RS256 JWK it signs id_tokens with (default: a new one): lets a test sign tokens as this EHR. */
  signingKey?: JWK;
  /** Checks a created QuestionnaireResponse (throws to refuse it with a 400): the tests pass the FHIR R4 validator. */
  validateResource?(resource: fhir4.QuestionnaireResponse): void;
  /**
   * More of the FHIR endpoint (e.g. QuestionnaireResponse creates for write-back): called for an
   * authorised request the sample does not answer itself; true when it answered.
   */
  fhir?(req: IncomingMessage, res: ServerResponse, path: string, access: { accountId: string }): Promise<boolean>;
}

export async function startSampleEhr(options: SampleEhrOptions): Promise<SampleEhr> {
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fhirBase = `${origin}/fhir`;
  const accounts = new Map<string, EhrAccount>();
  const launches = new Map<string, string>();
  const standaloneAccount = options.standaloneAccount ?? { id: 'patient-123', fhirUser: 'Patient/123' };
  accounts.set(standaloneAccount.id, standaloneAccount);

  const privateJwk = options.signingKey ?? (await exportJWK((await generateKeyPair('RS256', { extractable: true })).privateKey));
  const signingKey = { ...privateJwk, kid: privateJwk.kid ?? `ehr-${randomBytes(4).toString('hex')}`, alg: 'RS256', use: 'sig' };

  const refresh: EhrRefresh = { grant: true, grants: 0, refused: 0 };
  const fhirUserOf = (account: EhrAccount) => (account.fhirUser && account.absoluteFhirUser ? `${fhirBase}/${account.fhirUser}` : account.fhirUser);
  const configuration: Configuration = {
    clients: options.clients.map((c) => ({
      client_id: c.clientId,
      token_endpoint_auth_method: 'none',
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    })),
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    scopes: SMART_SCOPES,
    claims: { openid: ['sub'], fhirUser: ['fhirUser'], profile: ['name'] },
    conformIdTokenClaims: false,
    // The launch page redeems the code from the browser (a public client): the token endpoint answers its origin.
    clientBasedCORS: () => true,
    pkce: { required: () => true },
    // SMART App Launch 2: `online_access` (valid while the person's EHR session lasts) or `offline_access`
    // asks for a refresh token. oidc-provider's default issues one for offline_access only, and drops
    // offline_access unless the request says prompt=consent (OpenID Connect Core 11), which fhirclient
    // never sends: so online_access is what a browser launch asks, and counts here too.
    issueRefreshToken(_ctx, client, code) {
      return Promise.resolve(refresh.grant && client.grantTypeAllowed('refresh_token') && (code.scopes.has('online_access') || code.scopes.has('offline_access')));
    },
    ttl: { IdToken: options.idTokenTtlS ?? 3600, AccessToken: 3600, AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    extraParams: {
      launch(_ctx: KoaContextWithOIDC, value: string | undefined) {
        if (value !== undefined && !launches.has(value)) throw new errors.InvalidRequest('unknown launch');
      },
      aud(_ctx: KoaContextWithOIDC, value: string | undefined) {
        // SMART: aud is the FHIR base URL the app means to talk to.
        if (value !== fhirBase) throw new errors.InvalidRequest(`aud must be ${fhirBase}`);
      },
    },
    findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return Promise.resolve(undefined);
      return Promise.resolve({
        accountId: sub,
        claims() {
          const fhirUser = fhirUserOf(account);
          return Promise.resolve({ sub, ...(fhirUser ? { fhirUser } : {}), name: account.name ?? `Account ${sub}` });
        },
      });
    },
  };
  const provider = new Provider(origin, configuration);

  // SMART's launch context in the token response: the patient of the account (or the one in context).
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route !== 'token') return;
    if ((ctx.oidc.params as { grant_type?: string } | undefined)?.grant_type === 'refresh_token') {
      if (ctx.status === 200) refresh.grants += 1;
      else refresh.refused += 1;
    }
    if (ctx.status !== 200) return;
    const body = ctx.body as Record<string, unknown>;
    const code = ctx.oidc.entities.AuthorizationCode ?? ctx.oidc.entities.RefreshToken;
    const account = code ? accounts.get(code.accountId) : undefined;
    const patient = account?.patient ?? (account?.fhirUser?.startsWith('Patient/') ? account.fhirUser.slice('Patient/'.length) : undefined);
    if (patient) body.patient = patient;
  });

  const callback = provider.callback();
  const smartConfiguration = {
    issuer: origin,
    jwks_uri: `${origin}/jwks`,
    authorization_endpoint: `${origin}/auth`,
    token_endpoint: `${origin}/token`,
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['none'],
    scopes_supported: SMART_SCOPES,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    capabilities: ['launch-ehr', 'launch-standalone', 'client-public', 'context-ehr-patient', 'context-standalone-patient', 'sso-openid-connect', 'permission-patient', 'permission-v2'],
  };

  async function interaction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const params = details.params as { client_id: string; launch?: string };
    if (details.prompt.name === 'login') {
      const accountId = params.launch ? launches.get(params.launch)! : standaloneAccount.id;
      await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
      return;
    }
    // Consent: grant what was asked (the test user always agrees).
    const grant = details.grantId ? ((await provider.Grant.find(details.grantId))!) : new provider.Grant({ accountId: details.session!.accountId, clientId: params.client_id });
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  const writes: EhrWrites = { created: [], attempts: 0, matched: 0, writeRefusal: null, failWrites: 0, loseNextWriteAnswer: false };
  const FHIR_JSON = 'application/fhir+json';

  /** POST /fhir/QuestionnaireResponse: a create, conditional when If-None-Exist names an identifier. */
  async function createResponse(req: IncomingMessage, res: ServerResponse, access: { accountId: string; scope?: string }): Promise<void> {
    const text = await readBody(req);
    writes.attempts += 1;
    if (writes.failWrites > 0) {
      writes.failWrites -= 1;
      return json(res, 503, outcome('transient', 'The EHR is down for maintenance'), FHIR_JSON);
    }
    if (writes.writeRefusal !== null) return json(res, writes.writeRefusal, outcome('forbidden', 'This EHR does not accept QuestionnaireResponses from this app'), FHIR_JSON);
    if (!(access.scope ?? '').split(' ').includes('patient/QuestionnaireResponse.c')) {
      return json(res, 403, outcome('forbidden', 'The access token lacks patient/QuestionnaireResponse.c'), FHIR_JSON);
    }
    let resource: fhir4.QuestionnaireResponse;
    try {
      resource = JSON.parse(text) as fhir4.QuestionnaireResponse;
      if (resource.resourceType !== 'QuestionnaireResponse') throw new Error('not a QuestionnaireResponse');
      options.validateResource?.(resource);
    } catch (error) {
      return json(res, 400, outcome('invalid', (error as Error).message.slice(0, 500)), FHIR_JSON);
    }
    const account = accounts.get(access.accountId);
    const patient = account?.patient ?? (account?.fhirUser?.startsWith('Patient/') ? account.fhirUser.slice('Patient/'.length) : undefined);
    if (!patient || resource.subject?.reference !== `Patient/${patient}`) {
      return json(res, 403, outcome('forbidden', `subject must be the patient of this launch (Patient/${patient ?? '?'})`), FHIR_JSON);
    }
    const condition = req.headers['if-none-exist'];
    if (typeof condition === 'string') {
      const identifier = new URLSearchParams(condition).get('identifier');
      if (!identifier) return json(res, 400, outcome('invalid', 'If-None-Exist supports identifier=<system>|<value> only'), FHIR_JSON);
      const [system, value] = identifier.includes('|') ? [identifier.slice(0, identifier.indexOf('|')), identifier.slice(identifier.indexOf('|') + 1)] : [undefined, identifier];
      const matches = writes.created.filter((qr) => qr.identifier?.value === value && (system === undefined || qr.identifier?.system === system));
      if (matches.length > 1) return json(res, 412, outcome('duplicate', 'More than one resource matches If-None-Exist'), FHIR_JSON);
      if (matches.length === 1) {
        writes.matched += 1;
        return json(res, 200, matches[0], FHIR_JSON);
      }
    }
    const stored: fhir4.QuestionnaireResponse = { ...resource, id: randomBytes(8).toString('hex'), meta: { versionId: '1', lastUpdated: new Date().toISOString() } };
    writes.created.push(stored);
    if (writes.loseNextWriteAnswer) {
      writes.loseNextWriteAnswer = false;
      req.socket.destroy();
      return;
    }
    return json(res, 201, stored, FHIR_JSON, { location: `${fhirBase}/QuestionnaireResponse/${stored.id}/_history/1` });
  }

  async function fhir(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method === 'OPTIONS') return json(res, 204, {});
    if (path === '/.well-known/smart-configuration') return json(res, 200, smartConfiguration);
    if (path === '/metadata') {
      return json(res, 200, { resourceType: 'CapabilityStatement', status: 'active', date: '2026-12-03', kind: 'instance', fhirVersion: '4.0.1', format: ['json'], rest: [{ mode: 'server' }] }, 'application/fhir+json');
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const access = token ? await provider.AccessToken.find(token) : undefined;
    if (!access) return json(res, 401, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] }, 'application/fhir+json');
    const patient = /^\/Patient\/([A-Za-z0-9.-]+)$/.exec(path)?.[1];
    if (req.method === 'GET' && patient && SAMPLE_PATIENTS[patient]) return json(res, 200, SAMPLE_PATIENTS[patient], 'application/fhir+json');
    const practitioner = /^\/Practitioner\/([A-Za-z0-9.-]+)$/.exec(path)?.[1];
    if (req.method === 'GET' && practitioner && SAMPLE_PRACTITIONERS[practitioner]) return json(res, 200, SAMPLE_PRACTITIONERS[practitioner], 'application/fhir+json');
    if (req.method === 'POST' && path === '/QuestionnaireResponse') return createResponse(req, res, access);
    if (options.fhir && (await options.fhir(req, res, path, { accountId: access.accountId }))) return;
    await readBody(req);
    return json(res, 404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] }, 'application/fhir+json');
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    // An EHR launch signs in the account the launch was made for: a browser's earlier EHR session
    // (another person launched before, e.g. in the demo) must not carry over.
    if (path === '/auth' && new URL(req.url ?? '/', origin).searchParams.has('launch')) delete req.headers.cookie;
    const work = path.startsWith('/interaction/')
      ? interaction(req, res)
      : path === '/fhir' || path.startsWith('/fhir/')
        ? fhir(req, res, path.slice('/fhir'.length))
        : Promise.resolve(callback(req, res));
    work.catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: String(error) });
    });
  });

  return {
    origin,
    issuer: origin,
    fhirBase,
    provider,
    standaloneAccount,
    writes,
    refresh,
    launchFor(account) {
      accounts.set(account.id, account);
      const launch = randomBytes(9).toString('base64url');
      launches.set(launch, account.id);
      return launch;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

