import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

/**
 * A screening score is valid only in the instrument's published wording. The reference file holds
 * (a copy of ../shared/instruments/phq9-gad7-wording.json) the wording found in public transcriptions of the official PHQ-9 and GAD-7 forms; every string it
 * has must be in our locale files exactly, punctuation included (straight apostrophes, em dashes).
 */
interface Wording {
  intro?: string;
  difficulty?: string;
  dopts?: string[];
  [item: `q${number}`]: string;
}
interface Reference {
  wording: Record<string, { phq9: Wording; gad7: Wording; freq: string[] }>;
}

const reference = JSON.parse(readFileSync(new URL('../fixtures/instruments/phq9-gad7-wording.json', import.meta.url), 'utf8')) as Reference;
const localeFile = <T>(language: string, namespace: string): T =>
  JSON.parse(readFileSync(new URL(`../../locales/${language}/${namespace}.json`, import.meta.url), 'utf8')) as T;

interface TemplateText {
  intro: string;
  difficulty: { label: string; options: Record<string, string> };
  [item: string]: unknown;
}

describe('PHQ-9 and GAD-7 in their published wording', () => {
  for (const [language, instruments] of Object.entries(reference.wording)) {
    const templates = localeFile<Record<'phq9' | 'gad7', TemplateText>>(language, 'templates');
    const scales = localeFile<{ frequency: string[] }>(language, 'scales');

    it(`${language}: the four frequency options`, () => {
      assert.deepEqual(scales.frequency, instruments.freq);
    });

    for (const instrument of ['phq9', 'gad7'] as const) {
      const published = instruments[instrument];
      const ours = templates[instrument];
      it(`${language} ${instrument}: every published string, word for word`, () => {
        const keys = Object.keys(published);
        assert.ok(keys.length > 0, `the reference has no ${instrument} wording for ${language}`);
        for (const key of keys) {
          if (key === 'intro') assert.equal(ours.intro, published.intro, `${language} ${instrument} intro`);
          else if (key === 'difficulty') assert.equal(ours.difficulty.label, published.difficulty, `${language} ${instrument} difficulty`);
          else if (key === 'dopts') assert.deepEqual(Object.values(ours.difficulty.options), published.dopts, `${language} ${instrument} difficulty options`);
          else assert.equal((ours[key] as { label: string } | undefined)?.label, published[key as `q${number}`], `${language} ${instrument} ${key}`);
        }
      });
    }
  }

  it('asks the same number of items as the published forms', () => {
    const english = localeFile<Record<string, Record<string, unknown>>>('en', 'templates');
    const items = (t: Record<string, unknown>) => Object.keys(t).filter((k) => /^q\d+$/.test(k)).length;
    assert.equal(items(english.phq9!), 9);
    assert.equal(items(english.gad7!), 7);
  });
});
