import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Score, SubmitCheckInResult } from '../../server/contract/index.js';
import { bamDaysScore, gad7Severity, phq9Severity, scoreCheckIn } from '../../server/domain/scoring.js';
import {
  dataOf,
  itemAnswers,
  itemsSummingTo,
  mintToken,
  minutesAgo,
  mutate,
  newRequestId,
  serverForThisFile,
} from './helpers.js';

const server = await serverForThisFile();
const clientToken = await mintToken({ sub: 'scoring-client', role: 'client' });

async function submit(templateId: string, answers: unknown): Promise<SubmitCheckInResult> {
  const res = await mutate<SubmitCheckInResult>(
    server.baseUrl,
    'checkIn.submit',
    { clientRequestId: newRequestId(), templateId, answers, submittedAt: minutesAgo(1) },
    clientToken,
  );
  return dataOf(res);
}

const BAM_EXAMPLE = {
  q1: 3, // risk, raw
  q2: 2, // risk, 1–3 days → 1
  q3: 5, // risk, 4–8 days → 2
  q4: 3, // use, 1–3 days → 1
  q5: 0, // use, 0 days → 0
  q6: 10, // use, 9–15 days → 3
  q7a: 10, // 7A–7G: asked because q6 > 0, in no subscale
  q7b: 0,
  q7c: 2,
  q7d: 0,
  q7e: 0,
  q7f: 0,
  q7g: 0,
  q8: 2, // risk, raw
  q9: 4, // protective, raw
  q10: 20, // protective, 16–30 days → 4
  q11: 12, // risk, 9–15 days → 3
  q12: 3, // protective, raw
  q13: 0, // protective, 0 days → 0
  q14: 'yes', // protective, yes → 4
  q15: 1, // risk, raw
  q16: 8, // protective, 4–8 days → 2
  q17: 2, // not in any subscale
};

/** A BAM with no days, the lowest rating on every item and q14 "no" (item 5 and 7A–7G skipped). */
const BAM_NOTHING = {
  q1: 0, q2: 0, q3: 0, q4: 0, q6: 0, q8: 0, q9: 0, q10: 0, q11: 0,
  q12: 0, q13: 0, q14: 'no', q15: 0, q16: 0, q17: 0,
};

/** The published severity bands of each questionnaire: [severity, lowest total], each up to the next band's lowest. */
const SEVERITY_BANDS = [
  {
    name: 'PHQ-9',
    instrument: 'phq9',
    items: 9,
    max: 27,
    severityOf: phq9Severity,
    bands: [
      ['minimal', 0],
      ['mild', 5],
      ['moderate', 10],
      ['moderately_severe', 15],
      ['severe', 20],
    ],
  },
  {
    name: 'GAD-7',
    instrument: 'gad7',
    items: 7,
    max: 21,
    severityOf: gad7Severity,
    bands: [
      ['minimal', 0],
      ['mild', 5],
      ['moderate', 10],
      ['severe', 15],
    ],
  },
] as const;

type Questionnaire = (typeof SEVERITY_BANDS)[number];

/** Both ends of every band, as [total, severity]. */
const bandEdges = ({ bands, max }: Questionnaire): [number, string][] =>
  bands.flatMap(([severity, lowest], i) => [
    [lowest, severity],
    [(bands[i + 1]?.[1] ?? max + 1) - 1, severity],
  ]);

/** The totals where the severity changes (the lowest and highest possible totals left out). */
const innerEdges = (scale: Questionnaire): [number, string][] => bandEdges(scale).slice(1, -1);

/** The cut-off checks every questionnaire with severity bands gets: in the scoring function, and over HTTP. */
function severityBandTests(scale: Questionnaire): void {
  const { name, instrument, items, max, severityOf } = scale;
  test(`${instrument}Severity puts totals at each band edge in the right band`, () => {
    for (const [total, severity] of bandEdges(scale)) assert.equal(severityOf(total), severity, `total ${total}`);
  });

  test(`${name} totals on both sides of each cut-off come back with the right severity over HTTP`, async () => {
    for (const [total, severity] of innerEdges(scale)) {
      // The last item stays 0 (PHQ-9's item 9 is the self-harm question) so only the total drives the result.
      const values = itemsSummingTo(total, items, { keepLastZero: true });
      const result = await submit(instrument, itemAnswers(values));
      assert.deepEqual(result.score, { instrument, total, max, severity }, `total ${total}`);
    }
  });
}

const [PHQ9, GAD7] = SEVERITY_BANDS;

describe('PHQ-9 scoring', () => {
  severityBandTests(PHQ9);

  test('a PHQ-9 with every item answered 1 scores 9 out of 27, mild, over HTTP', async () => {
    const result = await submit('phq9', itemAnswers([1, 1, 1, 1, 1, 1, 1, 1, 1]));
    assert.deepEqual(result.score, { instrument: 'phq9', total: 9, max: 27, severity: 'mild' });
  });

  test('a PHQ-9 with every item answered 0 scores 0, minimal, with no risk', async () => {
    const result = await submit('phq9', itemAnswers([0, 0, 0, 0, 0, 0, 0, 0, 0]));
    assert.deepEqual(result.score, { instrument: 'phq9', total: 0, max: 27, severity: 'minimal' });
    assert.deepEqual(result.risk, { level: 'none', reasons: [] });
  });

  test('the optional difficulty answer does not change the PHQ-9 total', async () => {
    const result = await submit('phq9', { ...itemAnswers([2, 2, 2, 2, 2, 0, 0, 0, 0]), difficulty: 'very_difficult' });
    assert.deepEqual(result.score, { instrument: 'phq9', total: 10, max: 27, severity: 'moderate' });
  });

  test('a PHQ-9 with every item answered 3 scores 27 out of 27, severe', async () => {
    const result = await submit('phq9', itemAnswers([3, 3, 3, 3, 3, 3, 3, 3, 3]));
    assert.deepEqual(result.score, { instrument: 'phq9', total: 27, max: 27, severity: 'severe' });
  });
});

describe('GAD-7 scoring', () => {
  severityBandTests(GAD7);

  test('a GAD-7 with every item answered 1 scores 7 out of 21, mild', async () => {
    const result = await submit('gad7', itemAnswers([1, 1, 1, 1, 1, 1, 1]));
    assert.deepEqual(result.score, { instrument: 'gad7', total: 7, max: 21, severity: 'mild' });
  });
});

describe('BAM scoring', () => {
  test('bamDaysScore maps day counts to 0, 1–3→1, 4–8→2, 9–15→3 and 16–30→4', () => {
    const expected: [number, number][] = [
      [0, 0],
      [1, 1],
      [3, 1],
      [4, 2],
      [8, 2],
      [9, 3],
      [15, 3],
      [16, 4],
      [30, 4],
    ];
    for (const [days, score] of expected) assert.equal(bamDaysScore(days), score, `${days} days`);
  });

  test('scoreCheckIn computes the BAM Use, Risk and Protective subscales of a worked example', () => {
    // Use = 1 + 0 + 3 (banded days of items 4, 5, 6); Risk = 3 + 1 + 2 + 2 + 3 + 1; Protective = 4 + 4 + 3 + 0 + 4 + 2.
    assert.deepEqual(scoreCheckIn('bam', BAM_EXAMPLE), { instrument: 'bam', use: 4, risk: 12, protective: 17 });
  });

  test('a BAM worked example submitted over HTTP scores Use 4 of 12, Risk 12 and Protective 17', async () => {
    const result = await submit('bam', BAM_EXAMPLE);
    assert.deepEqual(result.score, { instrument: 'bam', use: 4, risk: 12, protective: 17 } satisfies Score);
  });

  test('BAM items 7A–7G change no subscale: 30 days of every drug scores as 0 days does', () => {
    const heavy = { ...BAM_EXAMPLE, q7a: 30, q7b: 30, q7c: 30, q7d: 30, q7e: 30, q7f: 30, q7g: 30 };
    assert.deepEqual(scoreCheckIn('bam', heavy), scoreCheckIn('bam', BAM_EXAMPLE));
  });

  test('a BAM with no days, lowest ratings and q14 no scores zero on every subscale', async () => {
    const result = await submit('bam', BAM_NOTHING);
    assert.deepEqual(result.score, { instrument: 'bam', use: 0, risk: 0, protective: 0 });
  });

  test('a BAM with every day item at 30 and every rating at 4 scores Use 12, Risk 24 and Protective 24', async () => {
    const max = {
      q1: 4, q2: 30, q3: 30, q4: 30, q5: 30, q6: 30, q8: 4, q9: 4, q10: 30, q11: 30,
      q12: 4, q13: 30, q14: 'yes', q15: 4, q16: 30, q17: 4,
      q7a: 30, q7b: 30, q7c: 30, q7d: 30, q7e: 30, q7f: 30, q7g: 30,
    };
    const result = await submit('bam', max);
    assert.deepEqual(result.score, { instrument: 'bam', use: 12, risk: 24, protective: 24 });
  });

  test('BAM Use bands each of items 4, 5 and 6 at the band edges', async () => {
    for (const [days, banded] of [[1, 1], [3, 1], [4, 2], [9, 3], [16, 4], [30, 4]] as const) {
      const result = await submit('bam', { ...BAM_NOTHING, q4: days, q5: days });
      assert.deepEqual(result.score, { instrument: 'bam', use: banded * 2, risk: 0, protective: 0 }, `${days} days`);
    }
  });

  test('BAM day items at each band edge move the Risk and Protective subscales by the banded score', async () => {
    for (const [days, banded] of [[3, 1], [4, 2], [8, 2], [9, 3], [15, 3], [16, 4]] as const) {
      const result = await submit('bam', { ...BAM_NOTHING, q11: days, q13: days });
      assert.deepEqual(result.score, { instrument: 'bam', use: 0, risk: banded, protective: banded }, `${days} days`);
    }
  });

  test('BAM item 5 is not part of the score when item 4 is 0 (skipped on the form), whatever an old answer held', () => {
    const noAlcohol = { ...BAM_EXAMPLE, q4: 0 };
    const { q5: _skipped, ...withoutItem5 } = noAlcohol;
    assert.deepEqual(scoreCheckIn('bam', { ...noAlcohol, q5: 20 }), scoreCheckIn('bam', withoutItem5));
    assert.equal((scoreCheckIn('bam', withoutItem5) as { use: number }).use, 3); // item 6 only: 10 days → 3
  });

  test('a daily check-in has no score', async () => {
    const result = await submit('daily', { mood: 6, craving: 2, sleepHours: 7, medication: 'yes', used: 'no' });
    assert.equal(result.score, null);
  });
});
