import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/index.js';

/** Portals mint tokens for people we have not seen yet; the first write records them. */
export async function ensureUser(db: Db, principal: Principal): Promise<void> {
  await db
    .insertInto('users')
    .values({
      clinic_id: principal.clinicId,
      id: principal.userId,
      role: principal.role,
      display_name: principal.name,
      created_at: new Date().toISOString(),
      recovery_start_date: null,
    })
    .onConflict((oc) => oc.columns(['clinic_id', 'id']).doNothing())
    .execute();
}

export async function clientExists(db: Db, clinicId: string, clientId: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('clinic_id', '=', clinicId)
    .where('id', '=', clientId)
    .where('role', '=', 'client')
    .executeTakeFirst();
  return row !== undefined;
}
