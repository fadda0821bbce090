import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload } from 'jose';
import * as z from 'zod/mini';
import { DEFAULT_MAX_TOKEN_LIFETIME_S } from '../auth/verify-token.js';
import type { Db } from '../db/index.js';
import { mintSmartCareToken } from './care-token.js';
import { enabledIssuersAt, linkPatient, normalizeIssuerUrl, type LaunchWidget } from './registration.js';

/**
 * POST /smart/exchange: the launch page hands over the EHR's id_token; this verifies it against the
 * clinic's registered EHR and answers a care token for the linked person. Every refusal carries a
 * `reason` code (stable, for the page to choose its words) and an English message; nothing is stored
 * unless the token verified (then only the patient link, on the first launch).
 */
export type RefusalReason =
  | 'invalid_request'
  | 'unknown_iss'
  | 'issuer_unreachable'
  | 'malformed_id_token'
  | 'wrong_aud'
  | 'wrong_issuer'
  | 'bad_signature'
  | 'expired'
  | 'nonce_mismatch'
  | 'missing_fhir_user'
  | 'foreign_fhir_user'
  | 'patient_only_launch'
  // The clinician launch (server/smart/practitioner.ts).
  | 'practitioner_only_launch'
  | 'unknown_practitioner'
  | 'no_patient_context'
  | 'patient_not_linked';

export class ExchangeRefusal extends Error {
  constructor(
    readonly status: number,
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
  }
}

export const exchangeInput = z.object({
  iss: z.string().check(z.minLength(1), z.maxLength(500)),
  id_token: z.string().check(z.minLength(1), z.maxLength(16_384)),
  /** The nonce the page sent with its authorization request, when it sent one. */
  nonce: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});
export type ExchangeInput = z.infer<typeof exchangeInput>;

export interface ExchangeResult {
  token: string;
  /** ISO time the care token expires. */
  expiresAt: string;
  clinic: string;
  role: 'client';
  /** Our person id (the care token's `sub`). */
  person: string;
  /** The EHR patient id the person is linked to. */
  patient: string;
  linkedNow: boolean;
  widgets: LaunchWidget[];
  writeBack: boolean;
}

/** Discovery answers (and the JWKS they name) are kept this long per OpenID issuer. */
const DISCOVERY_CACHE_MS = 10 * 60_000;
const DISCOVERY_TIMEOUT_MS = 5_000;
const ID_TOKEN_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];

interface Discovered {
  jwks: ReturnType<typeof createRemoteJWKSet>;
  loadedAt: number;
}
const discovered = new Map<string, Promise<Discovered>>();

async function discover(openidIssuer: string): Promise<Discovered> {
  const res = await fetch(`${openidIssuer}/.well-known/openid-configuration`, {
    headers: { accept: 'application/json' },
    redirect: 'error',
    signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`discovery answered ${res.status}`);
  const document = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
  if (document.issuer !== openidIssuer && normalizeIssuerUrl(String(document.issuer)) !== openidIssuer) throw new Error('discovery names another issuer');
  const jwksUri = typeof document.jwks_uri === 'string' ? normalizeIssuerUrl(document.jwks_uri) : null;
  if (!jwksUri) throw new Error('discovery has no usable jwks_uri');
  return { jwks: createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: DISCOVERY_TIMEOUT_MS }), loadedAt: Date.now() };
}

/** The issuer's JWKS through its OpenID discovery, cached per issuer; a failed discovery is not remembered. */
async function keysOf(openidIssuer: string): Promise<Discovered['jwks']> {
  let entry = discovered.get(openidIssuer);
  if (entry) {
    const done = await entry.catch(() => null);
    if (!done || Date.now() - done.loadedAt >= DISCOVERY_CACHE_MS) entry = undefined;
  }
  if (!entry) {
    entry = discover(openidIssuer);
    discovered.set(openidIssuer, entry);
    entry.catch(() => discovered.delete(openidIssuer));
  }
  try {
    return (await entry).jwks;
  } catch {
    throw new ExchangeRefusal(502, 'issuer_unreachable', `The EHR's sign-in server (${openidIssuer}) could not be reached or its OpenID discovery is unusable: try again later`);
  }
}

/** `Patient/123` or `<FHIR base>/Patient/123` → its type and id; null when it is neither. */
export function parseFhirUser(value: string, fhirBase: string): { type: string; id: string } | null {
  let reference = value;
  if (/^https?:\/\//.test(value)) {
    if (!value.startsWith(`${fhirBase}/`)) return null;
    reference = value.slice(fhirBase.length + 1);
  }
  const match = /^(Patient|Practitioner|PractitionerRole|RelatedPerson|Person)\/([A-Za-z0-9.-]{1,64})$/.exec(reference);
  return match ? { type: match[1]!, id: match[2]! } : null;
}

const audiences = (aud: JWTPayload['aud']): string[] => (Array.isArray(aud) ? aud : typeof aud === 'string' ? [aud] : []);

export async function clinicMaxLifetimeS(db: Db, clinicId: string): Promise<number> {
  const row = await db.selectFrom('clinics').select('max_token_lifetime_s').where('id', '=', clinicId).executeTakeFirst();
  return row?.max_token_lifetime_s ?? DEFAULT_MAX_TOKEN_LIFETIME_S;
}

/** What verifying an id_token needs of a registration (a patient app's or a clinician app's). */
export interface IdTokenRegistration {
  iss: string;
  openidIssuer: string;
  clientId: string;
}

/**
 * Verifies an EHR's id_token for one of `registrations` of the EHR (the one whose client id is its
 * `aud`): signature by the OpenID issuer's published keys, `iss`, `aud`/`azp`, `exp`, the nonce when
 * the page sent one, and a `fhirUser` of this EHR. Throws an ExchangeRefusal naming what failed.
 */
export async function verifyIdToken<R extends IdTokenRegistration>(
  idToken: string,
  registrations: R[],
  options: { now: number; nonce?: string | undefined },
): Promise<{ registration: R; payload: JWTPayload; fhirUser: { type: string; id: string } }> {
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(idToken);
  } catch {
    throw new ExchangeRefusal(401, 'malformed_id_token', 'The id_token is not a JWT');
  }
  const aud = audiences(unverified.aud);
  // Several clinics may register the same EHR, each with its own client id: the audience says whose launch it is.
  const issuer: R | undefined = registrations.find((r) => aud.includes(r.clientId));
  if (!issuer) throw new ExchangeRefusal(401, 'wrong_aud', "The id_token was issued to another app (its aud is not this clinic's client id at the EHR)");

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, await keysOf(issuer.openidIssuer), {
      issuer: issuer.openidIssuer,
      audience: issuer.clientId,
      algorithms: ID_TOKEN_ALGORITHMS,
      requiredClaims: ['exp', 'iat', 'sub'],
      currentDate: new Date(options.now),
      clockTolerance: 0,
    }));
  } catch (error) {
    if (error instanceof ExchangeRefusal) throw error;
    if (error instanceof errors.JWTExpired) throw new ExchangeRefusal(401, 'expired', 'The id_token has expired: launch the app again from the EHR');
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'iss') {
      throw new ExchangeRefusal(401, 'wrong_issuer', `The id_token was not issued by this EHR's registered sign-in server (${issuer.openidIssuer})`);
    }
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') throw new ExchangeRefusal(401, 'wrong_aud', 'The id_token was issued to another app');
    if (error instanceof errors.JOSEError && ['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWKS_MULTIPLE_MATCHING_KEYS', 'ERR_JOSE_ALG_NOT_ALLOWED'].includes(error.code)) {
      throw new ExchangeRefusal(401, 'bad_signature', "The id_token's signature does not verify with the EHR's published keys");
    }
    if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
      throw new ExchangeRefusal(502, 'issuer_unreachable', "The EHR's signing keys could not be read: try again later");
    }
    throw new ExchangeRefusal(401, 'malformed_id_token', 'The id_token is not a valid signed OpenID Connect id_token');
  }
  // OpenID Connect Core 3.1.3.7: with several audiences, azp names the client.
  if (aud.length > 1 && payload.azp !== issuer.clientId) throw new ExchangeRefusal(401, 'wrong_aud', 'The id_token names several audiences and was authorized for another app');
  if (options.nonce !== undefined && payload.nonce !== options.nonce) {
    throw new ExchangeRefusal(401, 'nonce_mismatch', 'The id_token does not carry the nonce this launch sent: launch again');
  }

  const fhirUserClaim = (payload as { fhirUser?: unknown }).fhirUser;
  if (typeof fhirUserClaim !== 'string' || fhirUserClaim === '') {
    throw new ExchangeRefusal(400, 'missing_fhir_user', "The id_token has no fhirUser: the EHR must grant the fhirUser scope so we know who launched");
  }
  const fhirUser = parseFhirUser(fhirUserClaim, issuer.iss);
  if (!fhirUser) throw new ExchangeRefusal(400, 'foreign_fhir_user', "The id_token's fhirUser is not a Patient or Practitioner of this EHR");
  return { registration: issuer, payload, fhirUser };
}

export async function exchangeIdToken(db: Db, input: ExchangeInput, options: { now?: number } = {}): Promise<ExchangeResult> {
  const now = options.now ?? Date.now();
  const iss = normalizeIssuerUrl(input.iss);
  const registrations = iss ? await enabledIssuersAt(db, iss) : [];
  if (!iss || registrations.length === 0) {
    throw new ExchangeRefusal(404, 'unknown_iss', "This EHR is not registered with your clinic's care widgets: ask the clinic to register it (care smart issuer add)");
  }

  const { registration: issuer, payload, fhirUser } = await verifyIdToken(input.id_token, registrations, { now, nonce: input.nonce });
  if (fhirUser.type !== 'Patient') {
    throw new ExchangeRefusal(403, 'patient_only_launch', 'This launch is for patients: a practitioner cannot sign in through it');
  }

  const nowS = Math.floor(now / 1000);
  const expiresAtS = Math.min(payload.exp!, nowS + (await clinicMaxLifetimeS(db, issuer.clinicId)));
  if (expiresAtS <= nowS) throw new ExchangeRefusal(401, 'expired', 'The id_token has expired: launch the app again from the EHR');

  const { personId, linkedNow } = await linkPatient(db, issuer.clinicId, issuer.iss, fhirUser.id);
  const token = await mintSmartCareToken(db, { clinicId: issuer.clinicId, userId: personId, role: 'client', nowS, expiresAtS });
  return {
    token,
    expiresAt: new Date(expiresAtS * 1000).toISOString(),
    clinic: issuer.clinicId,
    role: 'client',
    person: personId,
    patient: fhirUser.id,
    linkedNow,
    widgets: issuer.launchWidgets,
    writeBack: issuer.writeBack,
  };
}
