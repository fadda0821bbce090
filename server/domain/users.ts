import { LRUCache } from 'lru-cache';
import type { Principal } from '../auth/principal.js';
import { isPostgres, type Db } from '../db/index.js';

const KNOWN_USERS_MAX = 100_000;
/**
 * How long this process trusts its memory of a person. An erasure run by another process (`care
 * person erase`, or another server on the same PostgreSQL) cannot reach this memory, so past this
 * age the person's next write runs the insert … on conflict do nothing again and records them anew.
 */
export const KNOWN_USERS_TTL_MS = 60_000;
/** One person across clinics: the key of the known-users memory and of a batch's shared users row. */
export const userKey = (principal: Principal) => `${principal.clinicId}\n${principal.userId}`;

/**
 * The people this process has already seen `ensureUser` committed for, on one database (the root
 * instance, not a transaction): users rows are only removed by an erasure, which calls `forget` in
 * its own process, so the insert … on conflict do nothing can be skipped. Bounded in size (past
 * KNOWN_USERS_MAX the least recently seen are forgotten) and in age (KNOWN_USERS_TTL_MS), so an
 * erasure in another process is noticed within that time.
 */
export class KnownUsers {
  private readonly known: LRUCache<string, true>;

  constructor(ttlMs = KNOWN_USERS_TTL_MS) {
    this.known = new LRUCache<string, true>({ max: KNOWN_USERS_MAX, ttl: ttlMs });
  }

  has(principal: Principal): boolean {
    return this.known.has(userKey(principal));
  }

  /**
   * Forgets a person whose users row was removed (person-erase.ts), so their next write records them
   * again at once. Only this process's memory: another process forgets them within KNOWN_USERS_TTL_MS.
   */
  forget(clinicId: string, userId: string): void {
    this.known.delete(`${clinicId}\n${userId}`);
  }

  /** Call only after the transaction that ran `ensureUser` for this principal has committed. */
  remember(principal: Principal): void {
    this.known.set(userKey(principal), true);
  }
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
export async function recordUser(db: Db, users: KnownUsers, principal: Principal): Promise<void> {
  if (users.has(principal)) return;
  await ensureUser(db, principal);
  users.remember(principal);
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
