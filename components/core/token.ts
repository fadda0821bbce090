/**
 * Reading a token's claims on the device, without verifying it: the server decides what a token
 * may do; widgets only need to know whose queue and cache it is, its role and its expiry.
 */
type Claims = Record<string, unknown>;

function claimsOf(token: string | null | undefined): Claims | null {
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    return claims && typeof claims === 'object' ? (claims as Claims) : null;
  } catch {
    return null;
  }
}

/** Who the device's queue and caches belong to. */
export interface TokenIdentity {
  clinic: string;
  sub: string;
  exp: number | null;
}

export function identityOf(token: string | null | undefined): TokenIdentity | null {
  const claims = claimsOf(token);
  if (typeof claims?.clinic !== 'string' || typeof claims.sub !== 'string') return null;
  return { clinic: claims.clinic, sub: claims.sub, exp: typeof claims.exp === 'number' ? claims.exp : null };
}

/** The role claim (`client`, `clinician`, `admin`), or null. */
export function roleOf(token: string | null | undefined): string | null {
  const role = claimsOf(token)?.role;
  return typeof role === 'string' ? role : null;
}

/** Seconds until the token's `exp` (negative once expired); null when it has none or cannot be read. */
export function secondsLeft(token: string | null | undefined, now = Date.now()): number | null {
  const exp = claimsOf(token)?.exp;
  return typeof exp === 'number' ? exp - now / 1000 : null;
}
