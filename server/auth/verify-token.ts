import { TRPCError } from '@trpc/server';
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Db } from '../db/index.js';
import { ROLES, type Principal, type Role } from './principal.js';

interface ClinicKeys {
  hs256Secret: Uint8Array | null;
  secretText: string | null;
  jwks: ReturnType<typeof createRemoteJWKSet> | null;
  loadedAt: number;
}

const CACHE_MS = 30_000;
/** Verified tokens remembered (by their exact string) so a device's every request skips the HMAC/signature check. */
const VERIFIED_MAX = 10_000;

interface VerifiedToken {
  /** Past its `expiresAt` the token is checked again (and rejected as expired). */
  principal: Principal & { expiresAt: number };
  /** The clinic keys the token was verified with: a reload that changes them forgets the token. */
  keys: ClinicKeys;
}
const unauthorized = (message: string) => new TRPCError({ code: 'UNAUTHORIZED', message });

/**
 * Verifies portal-minted JWTs against the key of the clinic named in the token.
 *
 * A token that verified is remembered by its exact string (bounded LRU, at most VERIFIED_MAX) until
 * its `exp`, for as long as the clinic keys it was verified with are still the ones in force: keys
 * are re-read every CACHE_MS (30 s) as before, and a changed secret or JWKS URL forgets every token
 * verified with the old one. So a rotated secret takes effect within 30 s, as it did without this
 * cache; failures are never remembered.
 */
export class TokenVerifier {
  private readonly keys = new Map<string, ClinicKeys | null>();
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(private readonly db: Db) {}

  async verify(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) throw unauthorized('Sign-in required: send Authorization: Bearer <token>');
    const token = match[1];

    const remembered = this.verified.get(token);
    if (remembered) {
      const now = Date.now();
      const { keys } = remembered;
      if (now < remembered.principal.expiresAt && now - keys.loadedAt < CACHE_MS && this.keys.get(remembered.principal.clinicId) === keys) {
        // Least recently used first: move this one to the end.
        this.verified.delete(token);
        this.verified.set(token, remembered);
        return remembered.principal;
      }
      this.verified.delete(token);
    }

    let clinicId: unknown;
    try {
      clinicId = decodeJwt(token).clinic;
    } catch {
      throw unauthorized('Token is malformed');
    }
    if (typeof clinicId !== 'string' || clinicId.length === 0 || clinicId.length > 100) {
      throw unauthorized('Token has no clinic claim');
    }
    const keys = await this.keysFor(clinicId);
    if (!keys) throw unauthorized('Token is for an unknown clinic');

    let payload: JWTPayload;
    try {
      const verifyOptions = { requiredClaims: ['exp', 'sub'] };
      if (keys.hs256Secret) {
        ({ payload } = await jwtVerify(token, keys.hs256Secret, { ...verifyOptions, algorithms: ['HS256'] }));
      } else if (keys.jwks) {
        ({ payload } = await jwtVerify(token, keys.jwks, { ...verifyOptions, algorithms: ['RS256', 'ES256', 'EdDSA'] }));
      } else {
        throw unauthorized('Clinic has no signing key configured');
      }
    } catch (error) {
      if (error instanceof TRPCError) throw error;
      if (error instanceof errors.JWTExpired) throw unauthorized('Token has expired: please sign in again');
      throw unauthorized('Token signature or claims are invalid');
    }
    const { sub, role, name } = payload as JWTPayload & { role?: unknown; name?: unknown };
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200) throw unauthorized('Token sub claim is invalid');
    if (!ROLES.includes(role as Role)) throw unauthorized(`Token role claim must be one of ${ROLES.join(', ')}`);
    const principal = Object.freeze({
      clinicId,
      userId: sub,
      role: role as Role,
      name: typeof name === 'string' ? name.slice(0, 200) : null,
      // requiredClaims made jose check that exp is a number and in the future.
      expiresAt: (payload.exp as number) * 1000,
    });
    this.remember(token, { principal, keys });
    return principal;
  }

  private remember(token: string, entry: VerifiedToken): void {
    this.verified.delete(token);
    this.verified.set(token, entry);
    if (this.verified.size > VERIFIED_MAX) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
  }

  private async keysFor(clinicId: string): Promise<ClinicKeys | null> {
    const cached = this.keys.get(clinicId);
    if (cached && Date.now() - cached.loadedAt < CACHE_MS) return cached;
    const row = await this.db
      .selectFrom('clinics')
      .select(['hs256_secret', 'jwks_url'])
      .where('id', '=', clinicId)
      .executeTakeFirst();
    if (cached && row && !row.jwks_url && !cached.jwks && row.hs256_secret !== null && cached.secretText === row.hs256_secret) {
      // Same shared secret: keep the same keys (tokens verified with it stay remembered), just re-dated.
      cached.loadedAt = Date.now();
      return cached;
    }
    const keys: ClinicKeys | null = row
      ? {
          hs256Secret: row.hs256_secret ? new TextEncoder().encode(row.hs256_secret) : null,
          secretText: row.hs256_secret,
          jwks: row.jwks_url ? createRemoteJWKSet(new URL(row.jwks_url)) : null,
          loadedAt: Date.now(),
        }
      : null;
    if (keys) this.keys.set(clinicId, keys);
    else this.keys.delete(clinicId);
    return keys;
  }
}
