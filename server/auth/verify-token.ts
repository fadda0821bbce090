import { TRPCError } from '@trpc/server';
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Db } from '../db/index.js';
import { isSmartCareToken, SMART_CARE_TOKEN_ISSUER, smartCareTokenSecret } from '../smart/care-token.js';
import { unsafeTextReason } from '../unsafe-text.js';
import { ROLES, type Principal, type Role } from './principal.js';

interface ClinicKeys {
  hs256Secret: Uint8Array | null;
  secretText: string | null;
  jwks: ReturnType<typeof createRemoteJWKSet> | null;
  /** The secret before the last rotation, still accepted until `previousUntil` (ms since epoch). */
  previousSecret: Uint8Array | null;
  previousText: string | null;
  previousUntil: number;
  /** Longest lifetime (s) the clinic accepts for its tokens. */
  maxLifetimeS: number;
  loadedAt: number;
}

/** Tokens living longer than this are refused unless the clinic sets its own maximum. */
export const DEFAULT_MAX_TOKEN_LIFETIME_S = 12 * 3600;
/** Clocks of the portal and this server may differ by this much. */
const CLOCK_SKEW_S = 60;

const CACHE_MS = 30_000;
/** Verified tokens remembered (by their exact string) so a device's every request skips the HMAC/signature check. */
const VERIFIED_MAX = 10_000;

interface VerifiedToken {
  /** Past its `expiresAt` the token is checked again (and rejected as expired). */
  principal: Principal & { expiresAt: number };
  /** Until when it is remembered: its expiry, or sooner when it was signed with a rotated-out secret in its grace period. */
  validUntil: number;
  /** The clinic keys the token was verified with: a reload that changes them forgets the token. */
  keys: ClinicKeys;
}
const unauthorized = (message: string) => new TRPCError({ code: 'UNAUTHORIZED', message });

/**
 * Marks a 401 for a token that was presented and could not be trusted (malformed, unknown clinic,
 * bad signature or claims). Only these count as failed sign-ins: a missing, expired or too
 * long-lived token that the clinic did sign is not somebody guessing.
 */
export class RefusedToken extends Error {}
const refused = (message: string) => new TRPCError({ code: 'UNAUTHORIZED', message, cause: new RefusedToken(message) });
export const isRefusedToken = (error: unknown): boolean => error instanceof TRPCError && error.cause instanceof RefusedToken;

/** The same words for an unknown clinic and a bad signature: a caller cannot learn which clinics exist. */
const INVALID = 'Token signature or claims are invalid';

const validClaimText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= max && unsafeTextReason(value) === null;

export interface TokenVerifierOptions {
  /** Clinics whose tokens are refused as if they did not exist (the demo clinic outside demo mode). */
  refusedClinics?: readonly string[];
}

/**
 * Verifies portal-minted JWTs against the key of the clinic named in the token.
 *
 * A token that verified is remembered by its exact string (bounded LRU, at most VERIFIED_MAX) until
 * its `exp`, for as long as the clinic keys it was verified with are still the ones in force: keys
 * are re-read every CACHE_MS (30 s) as before, and a changed secret or JWKS URL forgets every token
 * verified with the old one. So a rotated secret takes effect within 30 s, as it did without this
 * cache; failures are never remembered.
 *
 * After a secret rotation the previous secret (clinics.previous_hs256_secret) still verifies until
 * clinics.previous_secret_until; a token verified with it is remembered no longer than that.
 */
export class TokenVerifier {
  private readonly keys = new Map<string, ClinicKeys | null>();
  private readonly verified = new LRUCache<string, VerifiedToken>({ max: VERIFIED_MAX });

  private readonly refusedClinics: ReadonlySet<string>;

  constructor(
    private readonly db: Db,
    options: TokenVerifierOptions = {},
  ) {
    this.refusedClinics = new Set(options.refusedClinics ?? []);
  }

  async verify(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) throw unauthorized('Sign-in required: send Authorization: Bearer <token>');
    const token = match[1];

    const remembered = this.verified.get(token);
    if (remembered) {
      const now = Date.now();
      const { keys } = remembered;
      if (now < remembered.validUntil && now - keys.loadedAt < CACHE_MS && this.keys.get(remembered.principal.clinicId) === keys) {
        return remembered.principal;
      }
      this.verified.delete(token);
    }

    let clinicId: unknown;
    try {
      clinicId = decodeJwt(token).clinic;
    } catch {
      throw refused('Token is malformed');
    }
    if (!validClaimText(clinicId, 100)) throw refused('Token has no valid clinic claim');
    const keys = this.refusedClinics.has(clinicId) ? null : await this.keysFor(clinicId);
    if (!keys) throw refused(INVALID);

    let payload: JWTPayload;
    let validUntil = Infinity;
    try {
      const verifyOptions = { requiredClaims: ['exp', 'sub'] };
      if (isSmartCareToken(token)) {
        // Minted by this server after a SMART launch (server/smart/care-token.ts): its own secret, same claim rules.
        ({ payload } = await jwtVerify(token, await smartCareTokenSecret(this.db), { ...verifyOptions, algorithms: ['HS256'], issuer: SMART_CARE_TOKEN_ISSUER }));
      } else if (keys.hs256Secret) {
        try {
          ({ payload } = await jwtVerify(token, keys.hs256Secret, { ...verifyOptions, algorithms: ['HS256'] }));
        } catch (error) {
          // After `care clinic secret rotate --grace …` the old secret still verifies until its grace ends.
          if (!(error instanceof errors.JWSSignatureVerificationFailed) || !keys.previousSecret || Date.now() >= keys.previousUntil) throw error;
          ({ payload } = await jwtVerify(token, keys.previousSecret, { ...verifyOptions, algorithms: ['HS256'] }));
          validUntil = keys.previousUntil;
        }
      } else if (keys.jwks) {
        ({ payload } = await jwtVerify(token, keys.jwks, { ...verifyOptions, algorithms: ['RS256', 'ES256', 'EdDSA'] }));
      } else {
        throw refused(INVALID);
      }
    } catch (error) {
      if (error instanceof TRPCError) throw error;
      if (error instanceof errors.JWTExpired) throw unauthorized('Token has expired: please sign in again');
      throw refused(INVALID);
    }
    const { sub, role, name, exp, iat } = payload as JWTPayload & { role?: unknown; name?: unknown };
    if (!validClaimText(sub, 200)) throw refused('Token sub claim is invalid');
    if (!ROLES.includes(role as Role)) throw refused(`Token role claim must be one of ${ROLES.join(', ')}`);
    if (name !== undefined && (typeof name !== 'string' || unsafeTextReason(name) !== null)) throw refused('Token name claim is invalid');
    // requiredClaims made jose check that exp is a number and in the future.
    const expiresAtS = exp as number;
    const nowS = Date.now() / 1000;
    const issuedAtS = typeof iat === 'number' ? Math.min(iat, nowS) : nowS;
    if (expiresAtS - issuedAtS > keys.maxLifetimeS + CLOCK_SKEW_S) {
      throw unauthorized(`Token lives longer than this clinic allows (at most ${keys.maxLifetimeS} s): mint shorter-lived tokens`);
    }
    const principal = Object.freeze({
      clinicId,
      userId: sub,
      role: role as Role,
      name: typeof name === 'string' ? name.slice(0, 200) : null,
      expiresAt: expiresAtS * 1000,
    });
    // Least recently used first out (lru-cache's get refreshes a token's place).
    this.verified.set(token, { principal, keys, validUntil: Math.min(principal.expiresAt, validUntil) });
    return principal;
  }

  private async keysFor(clinicId: string): Promise<ClinicKeys | null> {
    const cached = this.keys.get(clinicId);
    if (cached && Date.now() - cached.loadedAt < CACHE_MS) return cached;
    const row = await this.db
      .selectFrom('clinics')
      .select(['hs256_secret', 'jwks_url', 'max_token_lifetime_s', 'previous_hs256_secret', 'previous_secret_until'])
      .where('id', '=', clinicId)
      .executeTakeFirst();
    const maxLifetimeS = row?.max_token_lifetime_s ?? DEFAULT_MAX_TOKEN_LIFETIME_S;
    const previousUntil = row?.previous_hs256_secret && row.previous_secret_until ? Date.parse(row.previous_secret_until) || 0 : 0;
    const previousText = previousUntil > Date.now() ? (row?.previous_hs256_secret ?? null) : null;
    if (
      cached &&
      row &&
      !row.jwks_url &&
      !cached.jwks &&
      row.hs256_secret !== null &&
      cached.secretText === row.hs256_secret &&
      cached.maxLifetimeS === maxLifetimeS &&
      cached.previousText === previousText &&
      (previousText === null || cached.previousUntil === previousUntil)
    ) {
      // Same shared secret: keep the same keys (tokens verified with it stay remembered), just re-dated.
      cached.loadedAt = Date.now();
      return cached;
    }
    const keys: ClinicKeys | null = row
      ? {
          hs256Secret: row.hs256_secret ? new TextEncoder().encode(row.hs256_secret) : null,
          secretText: row.hs256_secret,
          jwks: row.jwks_url ? createRemoteJWKSet(new URL(row.jwks_url)) : null,
          previousSecret: previousText ? new TextEncoder().encode(previousText) : null,
          previousText,
          previousUntil: previousText ? previousUntil : 0,
          maxLifetimeS,
          loadedAt: Date.now(),
        }
      : null;
    if (keys) this.keys.set(clinicId, keys);
    else this.keys.delete(clinicId);
    return keys;
  }
}
