import { TRPCError } from '@trpc/server';
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Db } from '../db/index.js';
import { ROLES, type Principal, type Role } from './principal.js';

interface ClinicKeys {
  hs256Secret: Uint8Array | null;
  jwks: ReturnType<typeof createRemoteJWKSet> | null;
  loadedAt: number;
}

const CACHE_MS = 30_000;
const unauthorized = (message: string) => new TRPCError({ code: 'UNAUTHORIZED', message });

/** Verifies portal-minted JWTs against the key of the clinic named in the token. */
export class TokenVerifier {
  private readonly keys = new Map<string, ClinicKeys | null>();

  constructor(private readonly db: Db) {}

  async verify(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) throw unauthorized('Sign-in required: send Authorization: Bearer <token>');
    const token = match[1];

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
    return {
      clinicId,
      userId: sub,
      role: role as Role,
      name: typeof name === 'string' ? name.slice(0, 200) : null,
    };
  }

  private async keysFor(clinicId: string): Promise<ClinicKeys | null> {
    const cached = this.keys.get(clinicId);
    if (cached && Date.now() - cached.loadedAt < CACHE_MS) return cached;
    const row = await this.db
      .selectFrom('clinics')
      .select(['hs256_secret', 'jwks_url'])
      .where('id', '=', clinicId)
      .executeTakeFirst();
    const keys: ClinicKeys | null = row
      ? {
          hs256Secret: row.hs256_secret ? new TextEncoder().encode(row.hs256_secret) : null,
          jwks: row.jwks_url ? createRemoteJWKSet(new URL(row.jwks_url)) : null,
          loadedAt: Date.now(),
        }
      : null;
    if (keys) this.keys.set(clinicId, keys);
    return keys;
  }
}
