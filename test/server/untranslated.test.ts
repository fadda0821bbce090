import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ALLOWED_SAME, INSTRUMENT_KEYS, otherLanguages, readFlat, untranslated } from '../../scripts/untranslated.js';

/**
 * No UI string of a non-English language is still the English text (scripts/untranslated.ts lists
 * them: `node --import tsx scripts/untranslated.ts`). Instrument wording is outside this check: it
 * follows the published forms and provenance (instrument-wording and locales tests).
 */
describe('untranslated strings', () => {
  const en = readFlat('en');
  const languages = otherLanguages();

  test('all eleven other languages are checked', () => {
    assert.deepEqual(languages, ['ar', 'es', 'fr', 'ht', 'ko', 'pt-BR', 'ru', 'tl', 'vi', 'zh-Hans', 'zh-Hant']);
  });

  for (const language of languages) {
    test(`${language}: no UI string is the English text`, () => {
      const found = untranslated(language, en, readFlat(language));
      assert.deepEqual(found, [], `\n${found.map((f) => `${language} ${f.key}: ${JSON.stringify(f.value)}`).join('\n')}`);
    });
  }

  test('every allow-list entry is used by a language it names (no stale entries hiding nothing)', () => {
    const values = new Map(languages.map((language) => [language, new Set(readFlat(language).values())]));
    for (const entry of ALLOWED_SAME) {
      assert.ok(entry.why.trim().length > 0, `${entry.value}: reason`);
      assert.ok([...en.values()].includes(entry.value), `${entry.value} is not an English value`);
      const named = entry.languages === '*' ? languages : entry.languages;
      assert.ok(named.some((language) => values.get(language)?.has(entry.value)), `${entry.value} is used by none of ${named.join(', ')}`);
    }
  });

  test('the check finds an English value, an English plural form and an English array item, and skips instruments and allowed words', () => {
    const ko = readFlat('ko');
    const broken = new Map(ko);
    broken.set('common.retry', en.get('common.retry')!);
    broken.set('adminGroups.sessionSummary', en.get('adminGroups.sessionSummary')!);
    const pluralKey = [...en.keys()].find((k) => k.endsWith('_other') && /\p{L}{3}/u.test(en.get(k)!.replace(/\{\{[^}]*\}\}/g, '')))!;
    broken.set(pluralKey, en.get(pluralKey)!);
    const arrayKey = [...en.keys()].find((k) => /\[\d+\]$/.test(k) && !INSTRUMENT_KEYS.test(k) && /\p{L}/u.test(en.get(k)!))!;
    broken.set(arrayKey, en.get(arrayKey)!);
    broken.set('templates.phq9.q1.label', en.get('templates.phq9.q1.label')!);
    broken.set('record.instrument.phq9', 'PHQ-9');
    const keys = untranslated('ko', en, broken).map((f) => f.key).sort();
    assert.deepEqual(keys, ['adminGroups.sessionSummary', arrayKey, 'common.retry', pluralKey].sort());
    // The same value allowed in one language is found in another.
    assert.deepEqual(untranslated('es', en, new Map([['room.topics.diabetes', 'Diabetes']])), []);
    assert.deepEqual(untranslated('ru', en, new Map([['room.topics.diabetes', 'Diabetes']])).map((f) => f.key), ['room.topics.diabetes']);
    // Instrument wording is listed apart.
    assert.ok(untranslated('ko', en, broken, true).some((f) => f.key === 'templates.phq9.q1.label'));
  });
});
