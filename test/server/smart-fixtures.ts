import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { startSampleEhr as startEhr, type SampleEhr, type SampleEhrOptions } from '../../server/smart/sample-ehr.js';
import { assertValidFhir } from './fhir-validate.js';

/** The sample EHR moved to server/smart/sample-ehr.ts (the demo runs it too); the tests import it from here as before. */
export { SAMPLE_PATIENTS, SAMPLE_PRACTITIONERS, SMART_SCOPES, type EhrAccount, type EhrClient, type EhrWrites, type SampleEhr } from '../../server/smart/sample-ehr.js';

/** The sample EHR, checking every QuestionnaireResponse written back with the FHIR R4 validator. */
export const startSampleEhr = (options: SampleEhrOptions): Promise<SampleEhr> => startEhr({ validateResource: (resource) => assertValidFhir(resource), ...options });

/** PKCE S256 pair. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * Walks the authorization code flow over real HTTP the way a browser would (following redirects by
 * hand with a cookie jar, the interactions finishing by themselves) and redeems the code at the
 * token endpoint. Returns the token response, or the redirect's error parameters.
 */
export async function authorize(
  ehr: SampleEhr,
  request: { clientId: string; redirectUri: string; scope: string; launch?: string; nonce?: string; aud?: string },
): Promise<{ tokens?: Record<string, unknown> & { id_token: string; access_token: string }; error?: string; errorDescription?: string }> {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const state = randomBytes(16).toString('base64url');
  const { verifier, challenge } = pkcePair();
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    scope: request.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    aud: request.aud ?? ehr.fhirBase,
    ...(request.launch ? { launch: request.launch } : {}),
    ...(request.nonce ? { nonce: request.nonce } : {}),
  });
  let url = `${ehr.origin}/auth?${params.toString()}`;
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: cookieHeader() } });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair!.split('=');
      if (value.join('=') === '') jar.delete(name!);
      else jar.set(name!, value.join('='));
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`authorization stopped at ${url} with ${res.status}: ${(await res.text()).slice(0, 300)}`);
    await res.arrayBuffer();
    const next = new URL(location, url);
    if (next.toString().startsWith(request.redirectUri)) {
      if (next.searchParams.get('state') !== state) throw new Error('state changed on the way');
      const error = next.searchParams.get('error');
      if (error) return { error, errorDescription: next.searchParams.get('error_description') ?? '' };
      const token = await fetch(`${ehr.origin}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: next.searchParams.get('code')!, redirect_uri: request.redirectUri, client_id: request.clientId, code_verifier: verifier }),
      });
      const tokens = (await token.json()) as Record<string, unknown>;
      if (!token.ok) return { error: JSON.stringify(tokens.error), errorDescription: JSON.stringify(tokens.error_description ?? '') };
      return { tokens: tokens as Record<string, unknown> & { id_token: string; access_token: string } };
    }
    url = next.toString();
  }
  throw new Error('too many redirects');
}

const run = promisify(execFile);

/** Runs the `care` command line (bin/care.mjs) against a test database: its exit code and output. */
export async function care(databaseUrl: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/care.mjs', '--database', databaseUrl, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
