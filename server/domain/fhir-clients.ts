import { randomBytes } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { importJWK } from 'jose';
import * as z from 'zod/mini';
import { isAssertionCapableJwk, registerFhirClientInput, type FhirClient, type RegisterFhirClientInput } from '../contract/index.js';
import type { Db } from '../db/index.js';
import { forgetSystemClient } from '../fhir/system-token.js';

/**
 * SMART Backend Services clients of a clinic (FHIR R4, issue 15): registered by the clinic's admin
 * (tRPC fhirClients.*, and the `care` CLI) with public keys only; the token endpoint
 * (fhir/routes/auth.ts) authenticates their signed assertions against these keys.
 */

const badRequest = (issues: { path: PropertyKey[]; message: string }[]) =>
  new TRPCError({
    code: 'BAD_REQUEST',
    message: `Invalid input: ${issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ')}`,
    cause: Object.assign(new Error('Invalid input'), { issues }),
  });

/** A random, URL-safe client id (128 bits). */
const newClientId = () => `fc_${randomBytes(16).toString('base64url')}`;

export interface RegisterFhirClient extends RegisterFhirClientInput {
  clinicId: string;
}

/** Registers a backend client of `clinicId`; answers its new client_id. */
export async function registerFhirClient(db: Db, input: RegisterFhirClient): Promise<{ clientId: string }> {
  const { clinicId, ...rest } = input;
  const parsed = registerFhirClientInput.safeParse(rest);
  if (!parsed.success) {
    throw badRequest(parsed.error.issues.map((i) => ({ path: i.path, message: i.message })));
  }
  const { name, jwks, jwksUrl } = parsed.data;
  if (jwks) {
    // The shape says RS384/ES384 capable; the key material must also import as one.
    let usable = 0;
    for (const key of jwks.keys) {
      if (!isAssertionCapableJwk(key)) continue;
      try {
        await importJWK(key, key.kty === 'RSA' ? 'RS384' : 'ES384');
        usable++;
      } catch {
        // Counted below: a registration needs one key that imports.
      }
    }
    if (usable === 0) throw badRequest([{ path: ['jwks', 'keys'], message: 'No key imports as a public RS384 (RSA) or ES384 (EC P-384) key' }]);
  }
  const scopes = [...new Set(parsed.data.scopes.split(' ').filter(Boolean))].join(' ');
  const clientId = newClientId();
  await db
    .insertInto('fhir_clients')
    .values({
      client_id: clientId,
      clinic_id: clinicId,
      name,
      jwks: jwks ? JSON.stringify(jwks) : null,
      jwks_url: jwksUrl ?? null,
      scopes,
      created_at: new Date().toISOString(),
      disabled_at: null,
    })
    .execute();
  return { clientId };
}

const storedJwks = z.object({ keys: z.array(z.looseObject({ kid: z.optional(z.string()) })) });

/** The clinic's backend clients, newest first (disabled ones too, with when). */
export async function listFhirClients(db: Db, clinicId: string): Promise<FhirClient[]> {
  const rows = await db
    .selectFrom('fhir_clients')
    .selectAll()
    .where('clinic_id', '=', clinicId)
    .orderBy('created_at', 'desc')
    .orderBy('client_id')
    .limit(500)
    .execute();
  return rows.map((row) => {
    const jwks = row.jwks ? storedJwks.safeParse(JSON.parse(row.jwks)) : null;
    return {
      clientId: row.client_id,
      name: row.name,
      jwksUrl: row.jwks_url,
      keyIds: jwks?.success ? jwks.data.keys.flatMap((k) => (k.kid ? [k.kid] : [])) : [],
      scopes: row.scopes,
      createdAt: row.created_at,
      disabledAt: row.disabled_at,
    };
  });
}

/** Disables a client of `clinicId` for good: its assertions and access tokens are refused from now on. */
export async function disableFhirClient(db: Db, clinicId: string, clientId: string): Promise<{ clientId: string; disabledAt: string }> {
  const row = await db
    .selectFrom('fhir_clients')
    .select(['disabled_at'])
    .where('clinic_id', '=', clinicId)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such FHIR client in this clinic' });
  if (row.disabled_at) return { clientId, disabledAt: row.disabled_at };
  const disabledAt = new Date().toISOString();
  await db
    .updateTable('fhir_clients')
    .set({ disabled_at: disabledAt })
    .where('clinic_id', '=', clinicId)
    .where('client_id', '=', clientId)
    .where('disabled_at', 'is', null)
    .execute();
  forgetSystemClient(db, clientId);
  return { clientId, disabledAt };
}
