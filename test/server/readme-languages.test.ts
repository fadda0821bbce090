import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { INSTRUMENT_PROVENANCE, INSTRUMENTS } from '../../server/contract/provenance.js';
import { LANGUAGES } from '../../server/contract/languages.js';

/**
 * README "Languages" lists every language with its review status and the instruments published in
 * it; the table must say exactly what locales/languages.json and the server's provenance table say.
 */
interface Entry {
  tag: string;
  name: string;
  review: 'reviewed' | 'unreviewed';
  reviewer: string | null;
  instruments: { phq9: string; gad7: string; bam: string };
}

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const { languages: entries } = JSON.parse(readFileSync(new URL('../../locales/languages.json', import.meta.url), 'utf8')) as { languages: Entry[] };
const NAMES = { phq9: 'PHQ-9', gad7: 'GAD-7', bam: 'BAM' } as const;

interface Row {
  language: string;
  tag: string;
  review: string;
  phq9: string;
  gad7: string;
  bam: string;
  published: string;
}

/** The rows of the table between `<!-- languages:start -->` and `<!-- languages:end -->`. */
export function tableRows(markdown: string): Row[] {
  const start = markdown.indexOf('<!-- languages:start -->');
  const end = markdown.indexOf('<!-- languages:end -->');
  assert.ok(start >= 0 && end > start, 'README has the languages table markers');
  const lines = markdown.slice(start, end).split('\n').filter((line) => line.startsWith('|'));
  const header = lines[0]!.split('|').slice(1, -1).map((c) => c.trim());
  assert.deepEqual(header.slice(0, 7), ['language', 'tag', 'review', 'PHQ-9', 'GAD-7', 'BAM', 'published in it']);
  return lines.slice(2).map((line) => {
    const [language, tag, review, phq9, gad7, bam, published] = line.split('|').slice(1, -1).map((c) => c.trim());
    return { language: language!, tag: tag!.replace(/^`|`$/g, ''), review: review!, phq9: phq9!, gad7: gad7!, bam: bam!, published: published! };
  });
}

/** What the row of `entry` must say. */
function expectedRow(entry: Entry): Omit<Row, 'language'> {
  const published = INSTRUMENTS.filter((i) => INSTRUMENT_PROVENANCE[i][entry.tag as (typeof LANGUAGES)[number]] === 'published');
  return {
    tag: entry.tag,
    review: entry.review === 'reviewed' ? `reviewed: ${entry.reviewer}` : 'unreviewed',
    phq9: entry.instruments.phq9,
    gad7: entry.instruments.gad7,
    bam: entry.instruments.bam,
    published: published.length ? published.map((i) => NAMES[i]).join(', ') : 'none',
  };
}

describe('README "Languages"', () => {
  const rows = tableRows(readme);

  test('lists the twelve languages, in the order of locales/languages.json', () => {
    assert.deepEqual(rows.map((r) => r.tag), entries.map((e) => e.tag));
    assert.deepEqual([...rows.map((r) => r.tag)].sort(), [...LANGUAGES].sort());
  });

  for (const entry of entries) {
    test(`${entry.tag}: name, review status and published instruments as recorded`, () => {
      const row = rows.find((r) => r.tag === entry.tag)!;
      assert.ok(row.language.includes(entry.name), `${entry.tag}: the row names "${entry.name}"`);
      const { language: _language, ...rest } = row;
      assert.deepEqual(rest, expectedRow(entry));
      // The metadata and the server's provenance table agree (English is the source: always published).
      for (const instrument of INSTRUMENTS) {
        const recorded = entry.tag === 'en' ? 'published' : entry.instruments[instrument];
        assert.equal(INSTRUMENT_PROVENANCE[instrument][entry.tag as (typeof LANGUAGES)[number]], recorded, `${entry.tag} ${instrument}`);
      }
    });
  }

  test('no language is marked reviewed without a named reviewer role, and the README says the others are unreviewed', () => {
    for (const entry of entries) if (entry.review === 'reviewed') assert.ok(entry.reviewer, entry.tag);
    const unreviewed = entries.filter((e) => e.review === 'unreviewed').map((e) => e.tag);
    assert.deepEqual(rows.filter((r) => r.review === 'unreviewed').map((r) => r.tag), unreviewed);
  });

  test('the comparison fails on a wrong review status or instrument', () => {
    const tampered = readme.replace('| Korean — 한국어 | `ko` | unreviewed | unverified |', '| Korean — 한국어 | `ko` | reviewed: clinician | published |');
    const ko = tableRows(tampered).find((r) => r.tag === 'ko')!;
    const { language: _language, ...rest } = ko;
    assert.notDeepEqual(rest, expectedRow(entries.find((e) => e.tag === 'ko')!));
    const tamperedBam = readme.replace('| Arabic — العربية | `ar` | unreviewed | unverified | unverified | unverified |', '| Arabic — العربية | `ar` | unreviewed | unverified | unverified | published |');
    const ar = tableRows(tamperedBam).find((r) => r.tag === 'ar')!;
    assert.equal(ar.bam, 'published', 'the tampered BAM cell is read');
    assert.notDeepEqual((({ language: _l, ...rest }) => rest)(ar), expectedRow(entries.find((e) => e.tag === 'ar')!));
    assert.throws(() => tableRows(readme.replace('<!-- languages:start -->', '')));
  });
});
