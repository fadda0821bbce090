import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AlertPage, SubmitCheckInResult } from '../../server/contract/index.js';
import { assessRisk, DEFAULT_RISK_RULES, riskRulesFrom } from '../../server/domain/risk.js';
import {
  CLINIC_A,
  dailyAnswers,
  type DailyAnswers,
  dataOf,
  itemAnswers,
  mintToken,
  minutesAgo,
  mutate,
  newRequestId,
  query,
  serverForThisFile,
} from './helpers.js';

const CLINIC_C = 'clinic-c-low-craving';
const SECRET_C = 'clinic-c-test-secret-with-custom-rules-000';

const server = await serverForThisFile({ extraClinics: [{ id: CLINIC_C, secret: SECRET_C, riskRules: '{"cravingElevated":6}' }] });
const clinicianToken = await mintToken({ sub: 'risk-clinician', role: 'clinician' });
let clientCounter = 0;

/** Each scenario gets its own client so earlier daily check-ins never feed a mood drop by accident. */
async function freshClient(clinic = CLINIC_A, secret?: string): Promise<string> {
  clientCounter += 1;
  return mintToken({ sub: `risk-client-${clientCounter}`, role: 'client', clinic, ...(secret ? { secret } : {}) });
}

async function submit(
  token: string,
  templateId: string,
  answers: unknown,
  submittedAt = minutesAgo(1),
): Promise<SubmitCheckInResult> {
  const res = await mutate<SubmitCheckInResult>(
    server.baseUrl,
    'checkIn.submit',
    { clientRequestId: newRequestId(), templateId, answers, submittedAt },
    token,
  );
  return dataOf(res);
}

async function submitDaily(overrides: Partial<DailyAnswers>, token?: string): Promise<SubmitCheckInResult> {
  return submit(token ?? (await freshClient()), 'daily', dailyAnswers(overrides));
}

async function alertsForCheckIn(checkInId: string) {
  const page = dataOf(await query<AlertPage>(server.baseUrl, 'alerts.list', { status: 'all', limit: 100 }, clinicianToken));
  return page.items.filter((a) => a.checkInId === checkInId);
}

async function alertRowsForCheckIn(checkInId: string): Promise<number> {
  const rows = await server.db.selectFrom('alerts').select('id').where('check_in_id', '=', checkInId).execute();
  return rows.length;
}

describe('risk rules over HTTP', () => {
  test('a PHQ-9 with item 9 above 0 is urgent with reason phq9_item9', async () => {
    const result = await submit(await freshClient(), 'phq9', itemAnswers([0, 0, 0, 0, 0, 0, 0, 0, 1]));
    assert.equal(result.risk.level, 'urgent');
    assert.deepEqual(result.risk.reasons, ['phq9_item9']);
  });

  test('a PHQ-9 with item 9 at 0 and a low total carries no risk', async () => {
    const result = await submit(await freshClient(), 'phq9', itemAnswers([1, 1, 1, 1, 1, 1, 1, 1, 0]));
    assert.deepEqual(result.risk, { level: 'none', reasons: [] });
  });

  test('a daily craving of 8 is elevated with reason high_craving', async () => {
    const result = await submitDaily({ craving: 8 });
    assert.deepEqual(result.risk, { level: 'elevated', reasons: ['high_craving'] });
  });

  test('a daily craving of 7 carries no risk', async () => {
    const result = await submitDaily({ craving: 7 });
    assert.deepEqual(result.risk, { level: 'none', reasons: [] });
  });

  test('reported use with a low craving is elevated with reason reported_use', async () => {
    const result = await submitDaily({ used: 'yes', craving: 3 });
    assert.deepEqual(result.risk, { level: 'elevated', reasons: ['reported_use'] });
  });

  test('reported use with a craving of 8 or more is urgent', async () => {
    const result = await submitDaily({ used: 'yes', craving: 8 });
    assert.equal(result.risk.level, 'urgent');
    assert.deepEqual([...result.risk.reasons].sort(), ['high_craving', 'reported_use']);
  });

  test('the thoughts_of_self_harm warning sign is urgent', async () => {
    const result = await submitDaily({ warningSigns: ['stress', 'thoughts_of_self_harm'] });
    assert.equal(result.risk.level, 'urgent');
    assert.deepEqual(result.risk.reasons, ['self_harm_warning_sign']);
  });

  test('other warning signs alone carry no risk', async () => {
    const result = await submitDaily({ warningSigns: ['stress', 'poor_sleep'] });
    assert.deepEqual(result.risk, { level: 'none', reasons: [] });
  });

  test('a mood 4 points below the average of the previous daily check-ins is flagged mood_drop', async () => {
    const token = await freshClient();
    for (const [mood, ago] of [[8, 300], [9, 200], [7, 100]] as const) {
      const earlier = await submit(token, 'daily', dailyAnswers({ mood }), minutesAgo(ago));
      assert.equal(earlier.risk.level, 'none');
    }
    // Average of 8, 9, 7 is 8; a mood of 4 is 4 below it.
    const result = await submit(token, 'daily', dailyAnswers({ mood: 4 }));
    assert.deepEqual(result.risk, { level: 'elevated', reasons: ['mood_drop'] });
  });

  test('a mood 3 points below the average of the previous daily check-ins is not a mood drop', async () => {
    const token = await freshClient();
    for (const [mood, ago] of [[8, 300], [8, 200]] as const) {
      await submit(token, 'daily', dailyAnswers({ mood }), minutesAgo(ago));
    }
    const result = await submit(token, 'daily', dailyAnswers({ mood: 5 }));
    assert.deepEqual(result.risk, { level: 'none', reasons: [] });
  });

  test('a first daily check-in with a low mood is not a mood drop', async () => {
    const result = await submitDaily({ mood: 0 });
    assert.deepEqual(result.risk, { level: 'none', reasons: [] });
  });

  test('a mood drop is found when the new check-in is sent with a UTC offset instead of Z', async () => {
    const token = await freshClient();
    await submit(token, 'daily', dailyAnswers({ mood: 9 }), minutesAgo(120));
    await submit(token, 'daily', dailyAnswers({ mood: 9 }), minutesAgo(60));
    // The same instant as "now", written in UTC-10:00 the way a device in Hawaii would send it.
    const now = new Date(Date.now() - 60_000);
    const local = new Date(now.getTime() - 10 * 3600_000).toISOString().replace('Z', '-10:00');
    assert.equal(Date.parse(local), now.getTime());
    const result = await submit(token, 'daily', dailyAnswers({ mood: 3 }), local);
    assert.deepEqual(result.risk, { level: 'elevated', reasons: ['mood_drop'] });
  });

  test('PHQ-9 and GAD-7 totals at the clinic thresholds are elevated', async () => {
    const phq = await submit(await freshClient(), 'phq9', itemAnswers([3, 3, 3, 3, 3, 3, 2, 0, 0]));
    assert.deepEqual(phq.risk, { level: 'elevated', reasons: ['phq9_severe'] });
    const gad = await submit(await freshClient(), 'gad7', itemAnswers([3, 3, 3, 3, 3, 0, 0]));
    assert.deepEqual(gad.risk, { level: 'elevated', reasons: ['gad7_severe'] });
  });
});

describe('alerts created by risk', () => {
  test('an elevated check-in creates one alert that a clinician of the clinic sees in alerts.list', async () => {
    const result = await submitDaily({ craving: 9 });
    assert.equal(result.risk.level, 'elevated');
    assert.equal(await alertRowsForCheckIn(result.id), 1);
    const alerts = await alertsForCheckIn(result.id);
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]?.level, 'elevated');
    assert.deepEqual(alerts[0]?.reasons, ['high_craving']);
    assert.equal(alerts[0]?.source, 'check_in');
    assert.equal(alerts[0]?.acknowledgedAt, null);
  });

  test('an urgent check-in creates an urgent alert listed before elevated ones', async () => {
    await submitDaily({ craving: 9 });
    const result = await submit(await freshClient(), 'phq9', itemAnswers([0, 0, 0, 0, 0, 0, 0, 0, 2]));
    assert.equal(await alertRowsForCheckIn(result.id), 1);
    const alerts = await alertsForCheckIn(result.id);
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]?.level, 'urgent');
    assert.deepEqual(alerts[0]?.reasons, ['phq9_item9']);
    const open = dataOf(await query<AlertPage>(server.baseUrl, 'alerts.list', undefined, clinicianToken));
    const firstElevated = open.items.findIndex((a) => a.level === 'elevated');
    const lastUrgent = open.items.map((a) => a.level).lastIndexOf('urgent');
    assert.ok(firstElevated > lastUrgent, 'urgent alerts come first');
  });

  test('a check-in with risk none creates no alert', async () => {
    const result = await submitDaily({ craving: 7 });
    assert.equal(result.risk.level, 'none');
    assert.equal(await alertRowsForCheckIn(result.id), 0);
    assert.deepEqual(await alertsForCheckIn(result.id), []);
  });
});

describe('per-clinic risk rules', () => {
  test('a clinic whose risk_rules set cravingElevated to 6 flags a craving of 6 as elevated', async () => {
    const token = await freshClient(CLINIC_C, SECRET_C);
    const result = await submit(token, 'daily', dailyAnswers({ craving: 6 }));
    assert.deepEqual(result.risk, { level: 'elevated', reasons: ['high_craving'] });
  });

  test('the same clinic still treats a craving of 5 as no risk', async () => {
    const token = await freshClient(CLINIC_C, SECRET_C);
    const result = await submit(token, 'daily', dailyAnswers({ craving: 5 }));
    assert.deepEqual(result.risk, { level: 'none', reasons: [] });
  });

  test('a clinic without risk_rules does not flag a craving of 6', async () => {
    const result = await submitDaily({ craving: 6 });
    assert.deepEqual(result.risk, { level: 'none', reasons: [] });
  });

  test('riskRulesFrom merges stored keys over the defaults and ignores broken JSON', () => {
    assert.deepEqual(riskRulesFrom('{"cravingElevated":6}'), { ...DEFAULT_RISK_RULES, cravingElevated: 6 });
    assert.deepEqual(riskRulesFrom(null), DEFAULT_RISK_RULES);
    assert.deepEqual(riskRulesFrom('{not json'), DEFAULT_RISK_RULES);
  });

  test('assessRisk compares the mood with the average of at most the previous 7 daily moods', () => {
    const answers = dailyAnswers({ mood: 4 });
    const rules = DEFAULT_RISK_RULES;
    assert.deepEqual(assessRisk({ templateId: 'daily', answers, score: null, recentMoods: [8, 8, 8] }, rules), {
      level: 'elevated',
      reasons: ['mood_drop'],
    });
    // Seven 7s then older 10s: only the seven count, the average is 7, a drop of 3.
    assert.deepEqual(
      assessRisk({ templateId: 'daily', answers, score: null, recentMoods: [7, 7, 7, 7, 7, 7, 7, 10, 10] }, rules),
      { level: 'none', reasons: [] },
    );
  });
});
