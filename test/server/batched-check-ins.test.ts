import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Principal } from '../../server/auth/principal.js';
import type { SubmitCheckInInput } from '../../server/contract/index.js';
import { checkInWrites, submitCheckIn } from '../../server/domain/check-ins.js';
import { CLINIC_A, countRows, itemAnswers, minutesAgo, startServer, type TestServer } from './helpers.js';

/**
 * A group-commit batch writes its check-ins with one multi-row insert (and its alerts with another):
 * requests answered together must still get the answers they would get one by one — a duplicate
 * clientRequestId in the same batch, and replays of rows already stored, get the stored row back,
 * and only a row actually inserted gets an alert.
 */
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

  const person = (): Principal => ({ clinicId: CLINIC_A, userId: `batch-${randomUUID()}`, role: 'client', name: null });
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
});
