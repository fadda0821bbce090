import { randomBytes } from 'node:crypto';
import { decodeProtectedHeader, SignJWT } from 'jose';
import type { Db } from '../db/index.js';

/**
 * Care tokens this server mints after a SMART launch (POST /smart/exchange). A clinic's portal mints
 * its own with the clinic's secret or keys, which this server may not hold (a JWKS clinic) and which
 * a clinic rotates: so launch tokens are signed with a server-held HS256 secret instead, generated once
 * and stored in fhir_server_keys (row `smart-care-token-hs256`), shared by every process on the
 * database. The header's `kid` tells the verifier (server/auth/verify-token.ts) to check them with that
 * secret; every other rule (clinic exists and is not refused, claims, the clinic's longest lifetime)
 * is the same as for a portal's token. The secret never leaves the server.
 */
export const SMART_CARE_TOKEN_KID = 'care-smart-launch-hs256';
const KEY_ROW = 'smart-care-token-hs256';
export const SMART_CARE_TOKEN_ISSUER = 'care-widgets:smart-launch';

const secrets = new WeakMap<Db, Promise<Uint8Array>>();

export function smartCareTokenSecret(db: Db): Promise<Uint8Array> {
  let secret = secrets.get(db);
  if (!secret) {
    secret = load(db);
    secret.catch(() => secrets.delete(db));
    secrets.set(db, secret);
  }
  return secret;
}

async function load(db: Db): Promise<Uint8Array> {
  // Two processes starting together: both insert, one wins, both read the winner.
  await db
    .insertInto('fhir_server_keys')
    .values({ id: KEY_ROW, secret: randomBytes(32).toString('base64url'), created_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await db.selectFrom('fhir_server_keys').select('secret').where('id', '=', KEY_ROW).executeTakeFirstOrThrow();
  return Buffer.from(row.secret, 'base64url');
}

/** Whether a token claims to be one of ours (its signature is checked by the verifier). */
export function isSmartCareToken(token: string): boolean {
  try {
    return decodeProtectedHeader(token).kid === SMART_CARE_TOKEN_KID;
  } catch {
    return false;
  }
}

export async function mintSmartCareToken(
  db: Db,
  claims: { clinicId: string; userId: string; role: 'client' | 'clinician'; nowS: number; expiresAtS: number },
): Promise<string> {
  return new SignJWT({ clinic: claims.clinicId, role: claims.role })
    .setProtectedHeader({ alg: 'HS256', kid: SMART_CARE_TOKEN_KID })
    .setIssuer(SMART_CARE_TOKEN_ISSUER)
    .setSubject(claims.userId)
    .setIssuedAt(claims.nowS)
    .setExpirationTime(claims.expiresAtS)
    .sign(await smartCareTokenSecret(db));
}
