import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

/**
 * A phone number written into a right-to-left string ("such as +1 202 555 0100") is drawn with its
 * digit groups in reverse order unless it is a left-to-right isolate (U+2066 … U+2069). Interpolated
 * values are isolated by components/core/i18n.ts; this checks the numbers typed into the files.
 */
const languages = JSON.parse(readFileSync(new URL('../../locales/languages.json', import.meta.url), 'utf8')) as { languages: { tag: string; direction: string }[] };
/** A number written in groups, as phone numbers are: "+1 202 555 0100", "0800 123 456". */
const DIGIT_GROUPS = /\+\d+(?:[ .-]\d+)+|\d+(?:[ .-]\d+){2,}/g;

function* strings(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) yield* strings(inner, path ? `${path}.${key}` : key);
}

for (const { tag } of languages.languages.filter((l) => l.direction === 'rtl')) {
  test(`${tag}: every phone number or digit group written into a string is a left-to-right isolate`, () => {
    const bare: string[] = [];
    for (const file of readdirSync(new URL(`../../locales/${tag}/`, import.meta.url)).filter((f) => f.endsWith('.json'))) {
      const json = JSON.parse(readFileSync(new URL(`../../locales/${tag}/${file}`, import.meta.url), 'utf8')) as unknown;
      for (const [path, text] of strings(json, file.replace(/\.json$/, ''))) {
        for (const match of text.matchAll(DIGIT_GROUPS)) {
          const at = match.index;
          const before = text.lastIndexOf('\u2066', at);
          const isolated = before !== -1 && text.indexOf('\u2069', before) >= at + match[0].length;
          if (!isolated) bare.push(`${path}: "${match[0]}"`);
        }
      }
    }
    assert.deepEqual(bare, []);
  });
}
