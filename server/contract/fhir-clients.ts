import * as z from 'zod/mini';

/** SMART Backend Services clients a clinic admin registers (FHIR R4, issue 15). */

/** JWK members that belong to a private or symmetric key: a registered JWKS holds public keys only. */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** Assertion signing algorithms the token endpoint accepts (SMART Backend Services). */
export const FHIR_ASSERTION_ALGS = ['RS384', 'ES384'] as const;

/** A SMART v2 system scope we grant: a resource type (or *) with read and/or search. */
export const SYSTEM_SCOPE_PATTERN = /^system\/(?:[A-Z][A-Za-z]{0,63}|\*)\.(?:rs|r|s)$/;

const jwk = z
  .looseObject({
    kty: z.string().check(z.minLength(1), z.maxLength(10)),
    kid: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    alg: z.optional(z.string().check(z.maxLength(20))),
    use: z.optional(z.string().check(z.maxLength(20))),
  })
  .check(
    z.superRefine((key, ctx) => {
      for (const member of PRIVATE_JWK_MEMBERS) {
        if (member in key) ctx.addIssue({ code: 'custom', path: [member], message: 'A private key member: register the public key only', input: key });
      }
    }),
  );

/** RS384 (RSA) or ES384 (EC P-384) capable, by the members a JWK must have. */
export const isAssertionCapableJwk = (key: Record<string, unknown>): boolean =>
  (key.kty === 'RSA' && typeof key.n === 'string' && typeof key.e === 'string' && (key.alg === undefined || key.alg === 'RS384')) ||
  (key.kty === 'EC' && key.crv === 'P-384' && typeof key.x === 'string' && typeof key.y === 'string' && (key.alg === undefined || key.alg === 'ES384'));

export const fhirJwksSchema = z.strictObject({
  keys: z
    .array(jwk)
    .check(
      z.minLength(1),
      z.maxLength(20),
      z.refine((keys) => keys.some((key) => isAssertionCapableJwk(key)), 'Needs at least one public RS384 (RSA) or ES384 (EC P-384) key'),
    ),
});
export type FhirJwks = z.infer<typeof fhirJwksSchema>;

const isLoopback = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]';

export const registerFhirClientInput = z
  .strictObject({
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(120)),
    jwks: z.optional(fhirJwksSchema),
    jwksUrl: z.optional(
      z.string().check(
        z.maxLength(2000),
        z.refine((text) => {
          try {
            const url = new URL(text);
            return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
          } catch {
            return false;
          }
        }, 'Use an https:// URL'),
      ),
    ),
    /** Space-separated SMART v2 system scopes, e.g. `system/*.rs`. */
    scopes: z.string().check(
      z.maxLength(2000),
      z.refine((text) => {
        const words = text.split(' ').filter(Boolean);
        return words.length > 0 && words.length <= 50 && words.every((w) => SYSTEM_SCOPE_PATTERN.test(w));
      }, 'Use space-separated SMART v2 system scopes such as system/*.rs (read r, search s)'),
    ),
  })
  .check(
    z.refine((input) => (input.jwks === undefined) !== (input.jwksUrl === undefined), {
      message: 'Give either jwks or jwksUrl',
      path: ['jwks'],
    }),
  );
export type RegisterFhirClientInput = z.infer<typeof registerFhirClientInput>;

export const fhirClientIdInput = z.strictObject({ clientId: z.string().check(z.minLength(1), z.maxLength(100)) });
export type FhirClientIdInput = z.infer<typeof fhirClientIdInput>;

export interface FhirClient {
  clientId: string;
  name: string;
  /** The JWKS URL, or null when the keys were registered inline. */
  jwksUrl: string | null;
  /** Key ids of the registered public keys (inline JWKS). */
  keyIds: string[];
  scopes: string;
  createdAt: string;
  disabledAt: string | null;
}
