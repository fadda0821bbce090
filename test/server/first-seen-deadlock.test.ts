import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import type { Principal } from '../../server/auth/principal.js';
import { GroupCommit } from '../../server/db/group-commit.js';
import { migrateToLatest, openDatabase, type Db } from '../../server/db/index.js';
import { RecentMoods, RiskRulesCache, submitCheckIn, type CheckInServices } from '../../server/domain/check-ins.js';
import { KnownUsers } from '../../server/domain/users.js';
import { MemoryLiveBus } from '../../server/live/memory-bus.js';
import { freshDatabase, seedClinic } from './helpers.js';

const POSTGRES = process.env.CARE_TEST_POSTGRES_URL;
const CLINIC = 'clinic-first-seen';
const ROUNDS = 8;
const PEOPLE_PER_ROUND = 24;

/**
 * Two server processes on one PostgreSQL database, as behind a round-robin balancer: people neither
 * has seen send their first check-ins through both at once. Each process batches its writes (group
 * commit); the two batches hold the same new `users` rows. They must never wait for each other's
 * rows in opposite orders (PostgreSQL would then cancel one batch with "deadlock detected").
 */
describe('first check-ins of new people through two servers on one PostgreSQL database', { skip: POSTGRES ? false : 'CARE_TEST_POSTGRES_URL is not set: two processes sharing rows needs PostgreSQL (see scripts/with-postgres.sh)' }, () => {
  let database: { url: string; drop(): Promise<void> };
  const dbs: Db[] = [];
  const failures: unknown[] = [];

  function server(): CheckInServices {
    const db = openDatabase(database.url);
    dbs.push(db);
    return {
      db,
      commits: new GroupCommit(db, 128, (error) => failures.push(error)),
      riskRules: new RiskRulesCache(db),
      recentMoods: new RecentMoods(db),
      users: new KnownUsers(),
      bus: new MemoryLiveBus(pino({ level: 'silent' })),
    };
  }

  before(async () => {
    database = await freshDatabase();
    const db = openDatabase(database.url);
    await migrateToLatest(db);
    await seedClinic(db, { id: CLINIC, secret: 'clinic-first-seen-secret-0123456789-abcdef' });
    await db.destroy();
  });

  after(async () => {
    for (const db of dbs) await db.destroy();
    await database.drop();
  });

  test('never deadlock, and every check-in is stored once', async () => {
    const [a, b] = [server(), server()];
    const answers = { mood: 6, craving: 2, sleepHours: 7, medication: 'yes', warningSigns: [], used: 'no' };
    const submit = (services: CheckInServices, person: Principal) =>
      submitCheckIn(services, person, { clientRequestId: randomUUID(), templateId: 'daily', answers, submittedAt: new Date().toISOString() });
    let sent = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const people: Principal[] = Array.from({ length: PEOPLE_PER_ROUND }, () => ({ clinicId: CLINIC, userId: `new-${randomUUID()}`, role: 'client', name: null }));
      // Same people, opposite orders: the order in which each server's batch meets them.
      await Promise.all([...people.map((p) => submit(a, p)), ...[...people].reverse().map((p) => submit(b, p))]);
      sent += 2 * PEOPLE_PER_ROUND;
    }
    const deadlocks = failures.filter((e) => (e as { code?: string }).code === '40P01');
    assert.equal(deadlocks.length, 0, `deadlocks: ${deadlocks.map(String).join('; ')}`);
    const stored = await dbs[0]!.selectFrom('check_ins').select((eb) => eb.fn.countAll<string>().as('n')).where('clinic_id', '=', CLINIC).executeTakeFirstOrThrow();
    assert.equal(Number(stored.n), sent);
    const users = await dbs[0]!.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).where('clinic_id', '=', CLINIC).executeTakeFirstOrThrow();
    assert.equal(Number(users.n), ROUNDS * PEOPLE_PER_ROUND);
  });
});
