import { createHash, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';

/**
 * Which EHR a launch went to, remembered for its redirect page, so that page's CSP lets the script
 * reach that EHR only (issue 17): the launch page (/smart/launch, /smart/clinician/launch) draws the
 * authorization request's `state` here (256 random bits; the page hands it to fhirclient as its
 * `stateKey`) and sets a cookie named after the state's hash holding the clinic and the EHR's `iss`;
 * the redirect page (/smart/ready, /smart/clinician/ready) reads the cookie of the `state` it was
 * given and adds that registration's origins (FHIR base and OpenID issuer) to connect-src, nothing
 * else. The cookie is HttpOnly, SameSite=Lax (the EHR's redirect back is a top-level GET, so it is
 * sent), for /smart only and 30 minutes; the redirect page clears it. It only ever chooses among the
 * registrations still enabled, so a changed cookie can name no origin that is not registered.
 */
const COOKIE_PREFIX = 'care_smart_';
const MAX_AGE_S = 30 * 60;

export const newLaunchState = (): string => randomBytes(32).toString('base64url');

const cookieName = (state: string): string => `${COOKIE_PREFIX}${createHash('sha256').update(state).digest('hex').slice(0, 24)}`;

export interface LaunchBinding {
  clinicId: string;
  iss: string;
}

export function bindLaunch(req: Request, res: Response, state: string, binding: LaunchBinding): void {
  res.cookie(cookieName(state), JSON.stringify([binding.clinicId, binding.iss]), {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    path: '/smart',
    maxAge: MAX_AGE_S * 1000,
    encode: encodeURIComponent,
  });
}

/** The launch the redirect's `state` was bound to in this browser, or null (and its cookie cleared). */
export function boundLaunch(req: Request, res: Response): LaunchBinding | null {
  const state = typeof req.query.state === 'string' && req.query.state.length <= 200 ? req.query.state : null;
  if (!state) return null;
  const name = cookieName(state);
  const raw = (req.headers.cookie ?? '')
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name}=`))
    ?.slice(name.length + 1);
  if (raw === undefined) return null;
  res.clearCookie(name, { path: '/smart', httpOnly: true, sameSite: 'lax', secure: req.secure });
  try {
    const value: unknown = JSON.parse(decodeURIComponent(raw));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') return { clinicId: value[0], iss: value[1] };
  } catch {
    // A cookie we did not write: no EHR.
  }
  return null;
}

/** The page's origins besides ours: the EHR's FHIR base (discovery, reads) and its OpenID issuer (token endpoint). */
export const originsOf = (registrations: { iss: string; openidIssuer: string }[]): string[] => [
  ...new Set(registrations.flatMap((r) => [new URL(r.iss).origin, new URL(r.openidIssuer).origin])),
];

/** The app's CSP (helmet, server/app.ts) with `origins` added to connect-src, for this page only. */
export function allowConnectTo(res: Response, origins: string[]): void {
  const policy = res.getHeader('Content-Security-Policy');
  if (typeof policy !== 'string' || origins.length === 0) return;
  res.setHeader('Content-Security-Policy', policy.replace(/connect-src ([^;]*)/, (_m, sources: string) => `connect-src ${sources} ${origins.join(' ')}`));
}
