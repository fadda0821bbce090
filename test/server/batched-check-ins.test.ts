import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Principal } from '../../server/auth/principal.js';
import type { SubmitCheckInInput } from '../../server/contract/index.js';
import { GroupCommit, type RowKind } from '../../server/db/group-commit.js';
import { checkInWrites, submitCheckIn } from '../../server/domain/check-ins.js';
import { CLINIC_A, countRows, dailyAnswers, itemAnswers, minutesAgo, startServer, type TestServer } from './helpers.js';

/**
 * A group-commit batch writes its check-ins with one multi-row insert (and its alerts with another):
 * requests answered together must still get the answers they would get one by one — a duplicate
 * clientRequestId in the same batch, and replays of rows already stored, get the stored row back,
 * and only a row actually inserted gets an alert.
 */
const person = (): Principal => ({ clinicId: CLINIC_A, userId: `batch-${randomUUID()}`, role: 'client', name: null });

describe('check-ins written together in one batch', () => {
  let server: TestServer;
  const batchSizes: number[] = [];
  const writeAll = checkInWrites.writeAll.bind(checkInWrites);

  before(async () => {
    server = await startServer();
    checkInWrites.writeAll = (trx, items) => {
      batchSizes.push(items.length);
      return writeAll(trx, items);
    };
  });
  after(async () => {
    checkInWrites.writeAll = writeAll;
    await server.stop();
  });

  // PHQ-9 (no read of recent moods before the write) with the clinic's rules cached: every submit
  // called in the same turn reaches the group commit in that turn, so they share one batch.
  const phq9 = (clientRequestId: string, item9: number): SubmitCheckInInput => ({
    clientRequestId,
    templateId: 'phq9',
    answers: itemAnswers([1, 1, 1, 1, 1, 1, 1, 1, item9]),
    submittedAt: minutesAgo(1),
  });
  const submitTogether = async (requests: [Principal, SubmitCheckInInput][]) => {
    await server.services.riskRules.get(CLINIC_A);
    batchSizes.length = 0;
    const answers = await Promise.all(requests.map(([who, input]) => submitCheckIn(server.services, who, input)));
    assert.deepEqual(batchSizes, [requests.length], 'the requests were written in one batch');
    return answers;
  };
  const rowsFor = (clientRequestId: string) =>
    server.db.selectFrom('check_ins').select('id').where('client_request_id', '=', clientRequestId).execute();
  const alertsFor = (checkInId: string) => server.db.selectFrom('alerts').select('id').where('check_in_id', '=', checkInId).execute();

  test('the same clientRequestId twice in one batch: one row, one alert, the same answer for both', async () => {
    const [a, b] = [person(), person()];
    const twice = randomUUID();
    const alertsBefore = await countRows(server.db, 'alerts');
    const [first, second, other] = await submitTogether([
      [a, phq9(twice, 2)],
      // Same request again with another payload (a retry never changes what was stored).
      [a, phq9(twice, 0)],
      [b, phq9(randomUUID(), 0)],
    ]);
    assert.deepEqual(second, first);
    assert.equal(first!.risk.level, 'urgent');
    assert.equal(other!.risk.level, 'none');
    assert.equal((await rowsFor(twice)).length, 1);
    assert.equal((await rowsFor(twice))[0]!.id, first!.id);
    assert.equal((await alertsFor(first!.id)).length, 1);
    assert.equal(await countRows(server.db, 'alerts'), alertsBefore + 1);
  });

  test('new and replayed requests in one batch: replays get the stored rows back and no alert; new rows are stored with theirs', async () => {
    const [a, b, c] = [person(), person(), person()];
    const [storedUrgent, storedCalm] = [randomUUID(), randomUUID()];
    const earlierUrgent = await submitCheckIn(server.services, a, phq9(storedUrgent, 1));
    const earlierCalm = await submitCheckIn(server.services, b, phq9(storedCalm, 0));
    const [rowsBefore, alertsBefore] = [await countRows(server.db, 'check_ins'), await countRows(server.db, 'alerts')];
    const [newCalm, newUrgent] = [randomUUID(), randomUUID()];
    const answers = await submitTogether([
      [a, phq9(storedUrgent, 0)],
      [c, phq9(newCalm, 0)],
      // A replay whose payload would now be urgent: still the stored (calm) answer, still no alert.
      [b, phq9(storedCalm, 3)],
      [c, phq9(newUrgent, 3)],
      [a, phq9(storedUrgent, 2)],
    ]);
    assert.deepEqual(answers[0], earlierUrgent);
    assert.deepEqual(answers[4], earlierUrgent);
    assert.deepEqual(answers[2], earlierCalm);
    assert.equal(answers[1]!.clientRequestId, newCalm);
    assert.equal(answers[1]!.risk.level, 'none');
    assert.equal(answers[3]!.clientRequestId, newUrgent);
    assert.equal(answers[3]!.risk.level, 'urgent');
    assert.equal(await countRows(server.db, 'check_ins'), rowsBefore + 2);
    assert.equal(await countRows(server.db, 'alerts'), alertsBefore + 1);
    assert.equal((await alertsFor(answers[3]!.id)).length, 1);
    assert.equal((await alertsFor(earlierCalm.id)).length, 0);
    for (const id of [storedUrgent, storedCalm, newCalm, newUrgent]) assert.equal((await rowsFor(id)).length, 1);
  });

  test('daily check-ins scored together each use their own person\'s recent moods, newest seven before their own time', async () => {
    const [falling, steady, firstTime] = [person(), person(), person()];
    const daily = (mood: number, submittedAt: string): SubmitCheckInInput => ({ clientRequestId: randomUUID(), templateId: 'daily', answers: dailyAnswers({ mood }), submittedAt });
    // falling: an old 0, then seven 9s (average 9 if only the newest seven count, 7.7 if the 0 did), and a 1 after the new check-in's time.
    for (const [i, mood] of [0, 9, 9, 9, 9, 9, 9, 9].entries()) await submitCheckIn(server.services, falling, daily(mood, minutesAgo(100 - i)));
    await submitCheckIn(server.services, falling, daily(1, minutesAgo(1)));
    for (const i of [0, 1]) await submitCheckIn(server.services, steady, daily(3, minutesAgo(50 - i)));
    await server.services.riskRules.get(CLINIC_A);
    const [fell, held, first] = await Promise.all([
      submitCheckIn(server.services, falling, daily(5, minutesAgo(10))),
      submitCheckIn(server.services, steady, daily(3, minutesAgo(10))),
      submitCheckIn(server.services, firstTime, daily(1, minutesAgo(10))),
    ]);
    assert.ok(fell.risk.reasons.includes('mood_drop'), `9 → 5 is a drop of 4: ${JSON.stringify(fell.risk)}`);
    assert.ok(!held.risk.reasons.includes('mood_drop'), JSON.stringify(held.risk));
    assert.ok(!first.risk.reasons.includes('mood_drop'), JSON.stringify(first.risk));
  });
});

/**
 * A batch that fails (one row breaks a constraint) rolls back whole; then each of its writes is
 * retried alone, with its own row kind, so the one bad write fails and every other is stored. Nobody
 * is answered before the commit that holds their own row.
 */
describe('a group-commit batch that fails', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
  });

  test('is retried row by row with the right kinds: the bad row fails alone and every other row is answered only once stored', async () => {
    const failures: number[] = [];
    const commits = new GroupCommit(server.db, 128, (_error, size) => failures.push(size));
    // A kind with no `on conflict`: a users row that already exists fails the whole statement.
    const calls: { kind: string; items: string[] }[] = [];
    const strictUsers: RowKind<string, string> = {
      name: 'strict-users',
      async writeAll(trx, ids) {
        calls.push({ kind: 'strict-users', items: [...ids] });
        await trx
          .insertInto('users')
          .values(ids.map((id) => ({ clinic_id: CLINIC_A, id, role: 'client', display_name: null, created_at: new Date().toISOString(), recovery_start_date: null })))
          .execute();
        return ids.map((id) => `user ${id}`);
      },
    };
    const checkIns: RowKind<Parameters<typeof checkInWrites.writeAll>[1][number], Awaited<ReturnType<typeof checkInWrites.writeAll>>[number]> = {
      name: 'check-ins (counted)',
      async writeAll(trx, items) {
        calls.push({ kind: 'check-ins', items: items.map((i) => i.row.client_request_id) });
        return checkInWrites.writeAll(trx, items);
      },
    };
    const existing = `exists-${randomUUID()}`;
    await commits.write(strictUsers, existing);
    calls.length = 0;

    const someone = person();
    const row = (clientRequestId: string) => {
      const at = new Date().toISOString();
      return {
        row: {
          id: randomUUID(),
          clinic_id: CLINIC_A,
          client_id: someone.userId,
          client_request_id: clientRequestId,
          template_id: 'phq9',
          template_version: 1,
          answers: JSON.stringify(itemAnswers([0, 0, 0, 0, 0, 0, 0, 0, 0])),
          score: null,
          risk_level: 'none' as const,
          risk_reasons: '[]',
          submitted_at: at,
          received_at: at,
        },
        alert: null,
      };
    };
    const [newUser, requestA, requestB] = [`new-${randomUUID()}`, randomUUID(), randomUUID()];
    const closureRequest = randomUUID();
    // Each answer, as it arrives, is checked against what another connection can read.
    const storedWhenAnswered = async <T>(answer: Promise<T>, stored: () => Promise<boolean>) => {
      const value = await answer;
      return { value, stored: await stored() };
    };
    const checkInStored = async (clientRequestId: string) =>
      (await server.db.selectFrom('check_ins').select('id').where('client_request_id', '=', clientRequestId).execute()).length === 1;
    const userStored = async (id: string) => (await server.db.selectFrom('users').select('id').where('id', '=', id).execute()).length === 1;

    const sharedUser = { key: `shared-${someone.userId}`, write: (trx: Parameters<typeof checkInWrites.writeAll>[0]) => trx.insertInto('users').values({ clinic_id: CLINIC_A, id: someone.userId, role: 'client', display_name: null, created_at: new Date().toISOString(), recovery_start_date: null }).onConflict((oc) => oc.columns(['clinic_id', 'id']).doNothing()).execute().then(() => undefined) };
    const answers = Promise.all([
      storedWhenAnswered(commits.write(checkIns, row(requestA), [sharedUser]), () => checkInStored(requestA)),
      storedWhenAnswered(commits.write(strictUsers, newUser), () => userStored(newUser)),
      storedWhenAnswered(commits.run((trx) => checkInWrites.writeAll(trx, [row(closureRequest)]).then(([r]) => r!.result.clientRequestId)), () => checkInStored(closureRequest)),
      storedWhenAnswered(commits.write(checkIns, row(requestB), [sharedUser]), () => checkInStored(requestB)),
    ]);
    const bad = commits.write(strictUsers, existing);
    const [a, user, closure, b] = await answers;
    await assert.rejects(bad, 'the row that breaks the constraint fails');

    assert.deepEqual(failures, [5], 'the batch of five rolled back once');
    assert.deepEqual(calls, [
      // The batch: one call per kind, in first-arrival order, all rolled back.
      { kind: 'check-ins', items: [requestA, requestB] },
      { kind: 'strict-users', items: [newUser, existing] },
      // Then each write alone, in arrival order, with its own kind (the closure calls no kind).
      { kind: 'check-ins', items: [requestA] },
      { kind: 'strict-users', items: [newUser] },
      { kind: 'check-ins', items: [requestB] },
      { kind: 'strict-users', items: [existing] },
    ]);
    assert.equal(a.value.result.clientRequestId, requestA);
    assert.equal(b.value.result.clientRequestId, requestB);
    assert.equal(user.value, `user ${newUser}`);
    assert.equal(closure.value, closureRequest);
    for (const answered of [a, user, closure, b]) assert.equal(answered.stored, true, 'stored before it was answered');
    assert.equal(await userStored(someone.userId), true, 'the shared users row was written with the rows that needed it');
    for (const id of [requestA, requestB, closureRequest]) assert.equal((await server.db.selectFrom('check_ins').select('id').where('client_request_id', '=', id).execute()).length, 1);
  });
});
