import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CompiledQuery, QueryResult } from 'kysely';
import type { Db } from '../../server/db/index.js';
import { CLINIC_A, CLINIC_B, dataOf, groupInput, mintToken, startServer, type TestServer, typedMutate, typedQuery } from './helpers.js';

/** Issue 13: groups.list issued two queries per group; its cost must not grow with the number of groups. */

let server: TestServer;

before(async () => {
  server = await startServer();
});
after(async () => {
  await server.stop();
});

/**
 * Counts the SQL statements the server's database runs while `work` is under way. The app holds its
 * own Kysely instance, so the count is taken on that instance's executor (every non-transaction
 * query goes through it), and the executor is put back afterwards.
 */
async function statementsDuring(db: Db, work: () => Promise<unknown>): Promise<number> {
  const executor = db.getExecutor();
  const original = executor.executeQuery.bind(executor);
  let count = 0;
  executor.executeQuery = <R>(compiled: CompiledQuery<R>): Promise<QueryResult<R>> => {
    count += 1;
    return original(compiled);
  };
  try {
    await work();
  } finally {
    delete (executor as Partial<typeof executor>).executeQuery;
  }
  return count;
}

/** A clinic with `count` groups, each with a moderator and the same client as member. */
async function clinicWithGroups(clinic: string, count: number): Promise<{ admin: string; client: string }> {
  const admin = await mintToken({ sub: `admin-${clinic}`, role: 'admin', name: 'Ada Admin', clinic });
  const moderator = await mintToken({ sub: `mod-${clinic}`, role: 'clinician', name: 'Ana Rivera', clinic });
  const client = await mintToken({ sub: `client-${clinic}`, role: 'client', name: 'Alice Realname', clinic });
  for (let i = 0; i < count; i++) {
    const group = dataOf(
      await typedMutate(
        server.baseUrl,
        'groups.create',
        groupInput({ name: `Circle ${String(i).padStart(2, '0')}`, moderatorIds: [`mod-${clinic}`] }),
        admin,
      ),
    );
    dataOf(await typedMutate(server.baseUrl, 'groups.addMember', { groupId: group.id, userId: `client-${clinic}` }, moderator));
  }
  return { admin, client };
}

async function listingCost(token: string, groups: number): Promise<number> {
  // The first call may record who the caller is; count a steady-state call.
  assert.equal(dataOf(await typedQuery(server.baseUrl, 'groups.list', undefined, token)).groups.length, groups);
  return statementsDuring(server.db, async () => {
    assert.equal(dataOf(await typedQuery(server.baseUrl, 'groups.list', undefined, token)).groups.length, groups);
  });
}

test('listing 20 groups runs as many SQL statements as listing 1, for staff and for a member', async () => {
  const one = await clinicWithGroups(CLINIC_A, 1);
  const twenty = await clinicWithGroups(CLINIC_B, 20);

  const staffOne = await listingCost(one.admin, 1);
  const staffTwenty = await listingCost(twenty.admin, 20);
  assert.equal(staffTwenty, staffOne, `staff: ${staffOne} statements for 1 group, ${staffTwenty} for 20`);

  const memberOne = await listingCost(one.client, 1);
  const memberTwenty = await listingCost(twenty.client, 20);
  assert.equal(memberTwenty, memberOne, `member: ${memberOne} statements for 1 group, ${memberTwenty} for 20`);
});
