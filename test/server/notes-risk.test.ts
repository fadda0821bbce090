import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Alert, SubmitCheckInResult } from '../../server/contract/index.js';
import { isUniqueViolation, openDatabase } from '../../server/db/index.js';
import { migrations } from '../../server/db/migrations/index.js';
import { assessRisk, DEFAULT_RISK_RULES, riskRulesFrom, type RiskRules } from '../../server/domain/risk.js';
import {
  CLINIC_A,
  countRows,
  dailyAnswers,
  dataOf,
  freshDatabase,
  mintToken,
  minutesAgo,
  mutate,
  newRequestId,
  seedClinic,
  startServer,
  type TestServer,
  typedMutate,
  typedQuery,
} from './helpers.js';

const daily = (note: string | undefined, rules: RiskRules = DEFAULT_RISK_RULES) =>
  assessRisk({ templateId: 'daily', answers: dailyAnswers(note === undefined ? {} : { note }), score: null, recentMoods: [] }, rules);

describe('a note on a check-in in the risk rules', () => {
  test('a non-empty note needs attention and says so', () => {
    assert.deepEqual(daily('Rough week at work, I would like to talk on Monday.'), { level: 'elevated', reasons: ['note'] });
  });

  test('no note, or only spaces, raises nothing', () => {
    assert.deepEqual(daily(undefined), { level: 'none', reasons: [] });
    assert.deepEqual(daily('   \n '), { level: 'none', reasons: [] });
  });

  test('a clinic that turned notesNeedAttention off gets no alert for an ordinary note', () => {
    const rules = riskRulesFrom('{"notesNeedAttention":false}');
    assert.equal(rules.notesNeedAttention, false);
    assert.deepEqual(daily('Rough week at work.', rules), { level: 'none', reasons: [] });
  });

  for (const [language, note] of [
    ['English', 'Some days I think I should just KILL MYSELF.'],
    ['English, self-harm', 'I went back to self-harm last night'],
    ['Spanish', 'A veces quiero quitarme la vida.'],
    ['French', "J'ai envie de me suicider."],
    ['French without accents', 'je veux mettre fin a mes jours'],
    ['Arabic', 'أفكر أن أنهي حياتي'],
    ['Arabic without hamza', 'افكر ان انهي حياتي'],
    ['Chinese', '我最近总想自杀'],
    ['Chinese, Traditional', '我有時候真的不想活了，想傷害自己'],
    ['Vietnamese', 'Dạo này tôi hay nghĩ đến việc tự tử.'],
    ['Vietnamese without tones', 'toi khong muon song nua, dinh tu tu'],
    ['Korean', '요즘 너무 힘들어서 죽고싶어요'],
    ['Korean, with a particle', '자살을 생각한 적이 있어요'],
    ['Tagalog', 'Minsan gusto ko nang magpakamatay.'],
    ['Tagalog, hurting oneself', 'Kagabi sinaktan ko ang sarili ko'],
    ['Russian', 'Иногда я думаю, что хочу покончить с собой.'],
    ['Russian without ё', 'хочу свести счеты с жизнью'],
    ['Portuguese', 'Às vezes eu penso em acabar com a minha vida.'],
    ['Portuguese without accents', 'nao quero mais viver, quero morrer'],
    ['Haitian Creole', 'Gen de lè mwen vle touye tèt mwen.'],
    ['Haitian Creole without accents', 'm pa vle viv anko'],
    ['full-width letters', 'ｓｕｉｃｉｄｅ'],
  ] as const) {
    test(`words of self-harm in a note are urgent (${language})`, () => {
      assert.deepEqual(daily(note), { level: 'urgent', reasons: ['note_self_harm'] });
    });
  }

  // Ordinary notes in the newer languages: near words that must not match (issue 18).
  for (const [language, note] of [
    ['Chinese, Traditional', '今天和家人一起吃飯，心情不錯，想活得更健康'],
    ['Vietnamese', 'Tôi đang từ từ hồi phục, buổi tư vấn hôm qua rất tốt.'],
    ['Vietnamese without tones', 'toi dang tu tu hoi phuc, buoi tu van hom qua rat tot, met muon chet nhung vui'],
    ['Korean', '오늘은 살 만했어요. 가족과 산책하고 잘 잤어요.'],
    ['Tagalog', 'Masaya ako ngayon, inalagaan ko ang sarili ko at natulog nang maaga.'],
    ['Russian', 'Сегодня хочу жить спокойно: погулял с собакой и выспался.'],
    ['Portuguese', 'Esse calor vai me matar, mas fui à academia sem me machucar e dormi bem.'],
    ['Haitian Creole', 'Jodi a mwen vle viv byen: mwen pran swen tèt mwen epi mwen dòmi byen.'],
  ] as const) {
    test(`an ordinary note is not urgent (${language})`, () => {
      assert.deepEqual(daily(note), { level: 'elevated', reasons: ['note'] });
    });
  }

  test('self-harm words are matched on word boundaries', () => {
    assert.deepEqual(daily('I need the skill myself to stay calm; suicides of plants do not count'), { level: 'elevated', reasons: ['note'] });
  });

  test('self-harm words are urgent even when ordinary notes are turned off', () => {
    const rules = riskRulesFrom('{"notesNeedAttention":false}');
    assert.deepEqual(daily('I want to end my life', rules), { level: 'urgent', reasons: ['note_self_harm'] });
  });

  test("a clinic's selfHarmTerms extend the default list", () => {
    const rules = riskRulesFrom('{"selfHarmTerms":["Take All My Pills"]}');
    assert.deepEqual(daily('I could take all my pills tonight', rules), { level: 'urgent', reasons: ['note_self_harm'] });
    assert.deepEqual(daily('I want to end my life', rules), { level: 'urgent', reasons: ['note_self_harm'] });
  });

  test('risk rules are validated: a wrong key falls back to its default and keeps the valid ones', () => {
    const rules = riskRulesFrom('{"notesNeedAttention":"no","selfHarmTerms":"pills","cravingElevated":6}');
    assert.equal(rules.notesNeedAttention, true);
    assert.deepEqual(rules.selfHarmTerms, []);
    assert.equal(rules.cravingElevated, 6);
  });
});

describe('alerts say when the check-in happened and carry it with its note', () => {
  let server: TestServer;
  let staff: string;
  before(async () => {
    server = await startServer();
    staff = await mintToken({ sub: 'notes-clinician', role: 'clinician' });
  });
  after(async () => {
    await server.stop();
  });

  async function submit(sub: string, answers: object, submittedAt: string): Promise<SubmitCheckInResult> {
    const token = await mintToken({ sub, role: 'client' });
    return dataOf(await mutate(server.baseUrl, 'checkIn.submit', { clientRequestId: newRequestId(), templateId: 'daily', answers, submittedAt }, token));
  }
  async function alertFor(checkInId: string): Promise<Alert> {
    const page = dataOf(await typedQuery(server.baseUrl, 'alerts.list', { status: 'all', limit: 100 }, staff));
    const found = page.items.filter((a) => a.checkInId === checkInId);
    assert.equal(found.length, 1, 'one alert per check-in');
    return found[0]!;
  }

  test('a check-in with a note raises an alert that holds the check-in and its note', async () => {
    const result = await submit('notes-client-1', dailyAnswers({ note: 'Please call me, my sister is in hospital.' }), minutesAgo(2));
    assert.deepEqual(result.risk, { level: 'elevated', reasons: ['note'] });
    const alert = await alertFor(result.id);
    assert.equal(alert.level, 'elevated');
    assert.deepEqual(alert.reasons, ['note']);
    assert.equal(alert.checkIn?.id, result.id);
    assert.equal(alert.checkIn?.answers.note, 'Please call me, my sister is in hospital.');
  });

  test('occurredAt is when the check-in was made; receivedAt when it reached the server', async () => {
    const madeAt = minutesAgo(3 * 24 * 60);
    const result = await submit('notes-client-2', dailyAnswers({ used: 'yes' }), madeAt);
    const alert = await alertFor(result.id);
    assert.equal(alert.occurredAt, madeAt);
    assert.ok(Date.now() - Date.parse(alert.receivedAt) < 60_000, 'received just now');
  });

  test('a crisis alert occurred when the person pressed the button', async () => {
    const token = await mintToken({ sub: 'notes-crisis-1', role: 'client' });
    const pressedAt = minutesAgo(45);
    const raised = dataOf(await typedMutate(server.baseUrl, 'crisis.alert', { clientRequestId: newRequestId(), requestedAt: pressedAt }, token));
    const page = dataOf(await typedQuery(server.baseUrl, 'alerts.list', { status: 'all', limit: 100 }, staff));
    const alert = page.items.find((a) => a.id === raised.alertId)!;
    assert.equal(alert.occurredAt, pressedAt);
    assert.equal(alert.checkIn, null);
  });

  test('the database refuses a second alert for the same check-in', async () => {
    const result = await submit('notes-client-3', dailyAnswers({ used: 'yes' }), minutesAgo(1));
    const before = await countRows(server.db, 'alerts');
    await assert.rejects(
      server.db
        .insertInto('alerts')
        .values({ id: randomUUID(), clinic_id: CLINIC_A, client_id: 'notes-client-3', check_in_id: result.id, source: 'check_in', level: 'elevated', reasons: '["reported_use"]', created_at: new Date().toISOString(), acknowledged_at: null, acknowledged_by: null, ack_note: null })
        .execute(),
      (error) => isUniqueViolation(error),
    );
    assert.equal(await countRows(server.db, 'alerts'), before);
  });
});

describe('upgrading a database that holds two alerts for one check-in', () => {
  test('keeps one alert per check-in, the acknowledged one when there is one', async () => {
    const database = await freshDatabase();
    // The database as it was before the migration under test: its schema is not today's Database.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const old = openDatabase(database.url) as unknown as Kysely<any>;
    const migrated = await new Migrator({ db: old, provider: { getMigrations: async () => migrations } }).migrateTo('2026-12-02-003-alias-skeleton');
    assert.equal(migrated.error, undefined);
    await seedClinic(old, { id: 'clinic-legacy', secret: 'clinic-legacy-secret-0123456789-abcdefghij' });
    await old.insertInto('users').values({ clinic_id: 'clinic-legacy', id: 'legacy-client', role: 'client', display_name: null, created_at: minutesAgo(100), recovery_start_date: null }).execute();
    const checkIn = (id: string) => ({
      id,
      clinic_id: 'clinic-legacy',
      client_id: 'legacy-client',
      client_request_id: randomUUID(),
      template_id: 'daily',
      template_version: 1,
      answers: JSON.stringify(dailyAnswers({ used: 'yes' })),
      score: null,
      risk_level: 'elevated',
      risk_reasons: '["reported_use"]',
      submitted_at: minutesAgo(60),
      received_at: minutesAgo(60),
    });
    await old.insertInto('check_ins').values([checkIn('ci-1'), checkIn('ci-2')]).execute();
    const alert = (id: string, checkInId: string, createdAt: string, acknowledgedAt: string | null) => ({
      id,
      clinic_id: 'clinic-legacy',
      client_id: 'legacy-client',
      check_in_id: checkInId,
      source: 'check_in',
      level: 'elevated',
      reasons: '["reported_use"]',
      created_at: createdAt,
      acknowledged_at: acknowledgedAt,
      acknowledged_by: acknowledgedAt ? 'dr-old' : null,
      ack_note: acknowledgedAt ? 'called her' : null,
    });
    await old
      .insertInto('alerts')
      .values([alert('a-1', 'ci-1', minutesAgo(50), null), alert('a-2', 'ci-1', minutesAgo(49), minutesAgo(10)), alert('b-1', 'ci-2', minutesAgo(50), null), alert('b-2', 'ci-2', minutesAgo(49), null)])
      .execute();
    await old.destroy();

    const server = await startServer({ database });
    try {
      const rows = await server.db.selectFrom('alerts').select(['id', 'check_in_id', 'acknowledged_by', 'ack_note']).where('clinic_id', '=', 'clinic-legacy').orderBy('id').execute();
      assert.deepEqual(rows, [
        { id: 'a-2', check_in_id: 'ci-1', acknowledged_by: 'dr-old', ack_note: 'called her' },
        { id: 'b-1', check_in_id: 'ci-2', acknowledged_by: null, ack_note: null },
      ]);
    } finally {
      await server.stop();
    }
  });
});
