import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Principal } from '../../server/auth/principal.js';
import { erasePerson } from '../../server/domain/person-erase.js';
import { KNOWN_USERS_TTL_MS, KnownUsers } from '../../server/domain/users.js';
import { CLINIC_A, dailyAnswers, dataOf, mintToken, mutate, newRequestId, startServer, type TestServer } from './helpers.js';

/**
 * An erasure in the server's own process makes its KnownUsers memory forget the person: a new
 * check-in under the erased id is then recorded as a new person with a new users row (what
 * person-erase.ts documents), not as someone the process remembers but the database no longer has.
 */
let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server.stop();
});

const usersRow = (id: string) => server.db.selectFrom('users').selectAll().where('clinic_id', '=', CLINIC_A).where('id', '=', id).executeTakeFirst();

test('after erase, a new check-in of the erased id writes a new users row and is counted under it', async () => {
  const person = `erase-known-${newRequestId().slice(0, 8)}`;
  const token = await mintToken({ sub: person, role: 'client', name: 'Robin Q.' });
  const submit = async () =>
    dataOf(await mutate<{ id: string }>(server.baseUrl, 'checkIn.submit', { clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers(), submittedAt: new Date().toISOString() }, token));
  await submit();
  const first = await usersRow(person);
  assert.ok(first, 'the first check-in recorded the person');
  assert.equal(first.display_name, 'Robin Q.');

  const result = await erasePerson(server.db, CLINIC_A, person, 'test-operator', new Date(), server.services.users);
  assert.equal(result.alreadyErased, false);
  assert.equal(await usersRow(person), undefined, 'the users row is gone (renamed to a pseudonym)');

  const again = await submit();
  const second = await usersRow(person);
  assert.ok(second, 'the next check-in records the person again, at once (not after a restart)');
  assert.equal(second.role, 'client');
  assert.ok(second.created_at >= result.erasedAt, 'as a new person: joined after the erasure');
  const rows = await server.db.selectFrom('check_ins').select('id').where('clinic_id', '=', CLINIC_A).where('client_id', '=', person).execute();
  assert.deepEqual(rows.map((r) => r.id), [again.id], 'only the new check-in is under the old id; the erased one is not');
});

test('the memory of a person expires, so an erasure run by another process is noticed without a restart', async () => {
  const users = new KnownUsers(40);
  const principal = { clinicId: CLINIC_A, userId: 'ttl-person', role: 'client', name: 'T', expiresAt: Date.now() + 60_000 } as unknown as Principal;
  users.remember(principal);
  assert.equal(users.has(principal), true, 'remembered at first: the insert is skipped');
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.equal(users.has(principal), false, 'past its age the next write records the person again');
  assert.ok(KNOWN_USERS_TTL_MS <= 60_000, 'another process notices an erasure within a minute');
});
