/** The parts of a token a widget may read without verifying it: who the device's queue belongs to. */
export interface TokenIdentity {
  clinic: string;
  sub: string;
  exp: number | null;
}

export function identityOf(token: string | null | undefined): TokenIdentity | null {
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as { clinic?: unknown; sub?: unknown; exp?: unknown };
    if (typeof claims.clinic !== 'string' || typeof claims.sub !== 'string') return null;
    return { clinic: claims.clinic, sub: claims.sub, exp: typeof claims.exp === 'number' ? claims.exp : null };
  } catch {
    return null;
  }
}
