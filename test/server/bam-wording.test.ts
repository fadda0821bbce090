import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { BAM_FORM_OPTIONS, BAM_SOURCES } from '../../server/contract/bam-sources.js';
import { TEMPLATES } from '../../server/contract/index.js';

const en = (ns: string) => JSON.parse(readFileSync(new URL(`../../locales/en/${ns}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
const items = en('templates').bam as Record<string, { label: string; options?: Record<string, string> }>;
const scales = en('scales') as Record<string, string[]>;

describe('BAM English wording against the VA form (server/contract/bam-sources.ts)', () => {
  for (const [id, source] of Object.entries(BAM_SOURCES)) {
    test(`${id}: ${source.differs ? 'differs from the form only as recorded' : 'is the form word for word'}`, () => {
      const label = items[id]?.label;
      assert.ok(label, `${id} has English wording`);
      if (source.form === null) {
        assert.ok(source.differs, `${id}: an item not compared says why`);
        return;
      }
      if (source.differs) assert.notEqual(label, source.form, `${id}: recorded as different but identical: drop "differs"`);
      else assert.equal(label, source.form);
    });
  }

  test('every item 7D–17 has a recorded source', () => {
    for (const id of ['q7d', 'q7e', 'q7f', 'q7g', 'q8', 'q9', 'q10', 'q11', 'q12', 'q13', 'q14', 'q15', 'q16', 'q17']) assert.ok(BAM_SOURCES[id], id);
  });

  test('answer labels and their order are the form’s (items 1, 8, 9, 12, 15, 17 and 14)', () => {
    const bam = TEMPLATES.bam.questions;
    const scaleOf = (id: string) => {
      const q = bam.find((question) => question.id === id);
      assert.ok(q && q.kind === 'scale', id);
      return q.scale;
    };
    assert.deepEqual(scales[scaleOf('q1')], [...BAM_FORM_OPTIONS.health5]);
    for (const id of ['q8', 'q9', 'q12', 'q15', 'q17']) assert.deepEqual(scales[scaleOf(id)], [...BAM_FORM_OPTIONS.howMuch], id);
    const q14 = bam.find((question) => question.id === 'q14');
    assert.ok(q14 && q14.kind === 'choice');
    assert.deepEqual(q14.options.map((o) => items.q14?.options?.[o]), [...BAM_FORM_OPTIONS.q14]);
  });
});
