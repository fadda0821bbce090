import type { Principal } from '../auth/principal.js';
import { isPostgres, type Db } from '../db/index.js';

const KNOWN_USERS_MAX = 100_000;
const knownUsers = new WeakMap<Db, Set<string>>();
const userKey = (principal: Principal) => `${principal.clinicId}\n${principal.userId}`;

/**
 * True when this process has already seen `ensureUser` for this person committed on `db` (the root
 * instance, not a transaction): users are never deleted, so the insert … on conflict do nothing can
 * be skipped. Bounded: past KNOWN_USERS_MAX the memory starts over.
 */
export function isKnownUser(db: Db, principal: Principal): boolean {
  return knownUsers.get(db)?.has(userKey(principal)) ?? false;
}

/** Call only after the transaction that ran `ensureUser` for this principal has committed. */
export function rememberUser(db: Db, principal: Principal): void {
  let known = knownUsers.get(db);
  if (!known) knownUsers.set(db, (known = new Set()));
  if (known.size >= KNOWN_USERS_MAX) known.clear();
  known.add(userKey(principal));
}

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

/** ensureUser, skipped when this process has already recorded the person. */
export async function recordUser(db: Db, principal: Principal): Promise<void> {
  if (isKnownUser(db, principal)) return;
  await ensureUser(db, principal);
  rememberUser(db, principal);
}

/**
 * Holds the person's users row until the transaction ends, so that one person's check-then-write
 * steps (a rate limit: count, then insert) run one at a time, across processes too. Call
 * `ensureUser` first in the same transaction. SQLite needs no lock: its single connection runs one
 * transaction at a time.
 */
export async function lockUser(trx: Db, principal: Principal): Promise<void> {
  if (!isPostgres(trx)) return;
  await trx
    .selectFrom('users')
    .select('id')
    .where('clinic_id', '=', principal.clinicId)
    .where('id', '=', principal.userId)
    .forUpdate()
    .execute();
}
