/**
 * Lists strings in a non-English locale that are still the English text, word for word.
 *
 *   node --import tsx scripts/untranslated.ts            # every language
 *   node --import tsx scripts/untranslated.ts ko ru      # some languages
 *
 * Exits 1 when any is found. test/server/untranslated.test.ts runs the same check.
 *
 * Not reported:
 * - values without letters once `{{placeholders}}` are removed (numbers, `{{count}}`);
 * - instrument wording (PHQ-9, GAD-7, BAM items and answers, the frequency options): it is governed by
 *   ../shared/instruments, locales/languages.json and the provenance rules, and a language without a
 *   published translation carries the published English form on purpose (test/server/locales.test.ts,
 *   test/server/instrument-wording.test.ts). It is listed apart with `--instruments`;
 * - ALLOWED_SAME: values that are truly the same word in that language, each with its reason.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const localesDir = fileURLToPath(new URL('../locales/', import.meta.url));

type Json = string | Json[] | { [key: string]: Json };

/** Keys whose text is instrument wording: never translated here, whatever the language. */
export const INSTRUMENT_KEYS = /^(templates\.(phq9|gad7|bam)\.(?!title$)|scales\.frequency\[)/;

/**
 * Values that are legitimately identical to English in the listed languages ('*': every language).
 * Matched against the whole value. Keep each entry justified: a wrong entry hides an untranslated string.
 */
export const ALLOWED_SAME: readonly { value: string; languages: readonly string[] | '*'; why: string }[] = [
  { value: 'PHQ-9', languages: '*', why: 'instrument name, the same in every language' },
  { value: 'GAD-7', languages: '*', why: 'instrument name, the same in every language' },
  { value: 'BAM', languages: '*', why: 'instrument name (Brief Addiction Monitor), the same in every language' },
  { value: '{{minutes}} min', languages: ['fr', 'es', 'pt-BR'], why: '"min" is the abbreviation of minutes in French, Spanish and Portuguese' },
  { value: '{{day}} {{time}} ({{minutes}} min)', languages: ['fr', 'es'], why: '"min" is the abbreviation of minutes in French and Spanish' },
  { value: 'Diabetes', languages: ['es', 'pt-BR'], why: 'the Spanish and Portuguese word is spelt as in English' },
  { value: 'No', languages: ['es'], why: 'Spanish for "no"' },
  { value: 'Urgent', languages: ['fr'], why: 'French adjective, spelt as in English' },
  { value: 'Description', languages: ['fr'], why: 'French word, spelt as in English' },
  { value: 'Minutes', languages: ['fr'], why: 'French word, spelt as in English' },
  { value: 'Actions', languages: ['fr'], why: 'French word, spelt as in English' },
  { value: 'Satisfaction', languages: ['fr'], why: 'French word, spelt as in English' },
  { value: 'Date', languages: ['fr'], why: 'French word, spelt as in English' },
  { value: 'Score', languages: ['fr'], why: 'French word, spelt as in English' },
  { value: 'Note', languages: ['fr'], why: 'French word, spelt as in English' },
  { value: 'Pages', languages: ['fr'], why: 'French word, spelt as in English' },
  { value: 'minimal', languages: ['fr'], why: 'French adjective (masculine), spelt as in English' },
  { value: 'client {{id}}', languages: ['fr'], why: '"client" is the French word too' },
  { value: '{{count}} minute', languages: ['fr'], why: 'French singular of minutes, spelt as in English' },
  { value: '{{count}} minutes', languages: ['fr'], why: 'French plural of minutes, spelt as in English' },
];

/** One language's strings, flattened: `namespace.key.sub` → text; array items as `key[i]`. */
export function readFlat(language: string, dir = localesDir): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (value: Json, prefix: string) => {
    if (typeof value === 'string') out.set(prefix, value);
    else if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${prefix}[${i}]`));
    else for (const [key, child] of Object.entries(value)) walk(child, `${prefix}.${key}`);
  };
  for (const file of readdirSync(join(dir, language)).filter((name) => name.endsWith('.json'))) {
    walk(JSON.parse(readFileSync(join(dir, language, file), 'utf8')) as Json, file.slice(0, -'.json'.length));
  }
  return out;
}

const PLURAL = /_(zero|one|two|few|many|other)$/;
const hasWords = (text: string) => /\p{L}/u.test(text.replace(/\{\{[^}]*\}\}/g, '').replace(/\$t\([^)]*\)/g, ''));

export interface Untranslated {
  key: string;
  value: string;
}

/** The English value a key of another language stands for: the same key, or the English `_other` of a plural form English lacks. */
function englishFor(key: string, en: Map<string, string>): string | undefined {
  return en.get(key) ?? (PLURAL.test(key) ? en.get(key.replace(PLURAL, '_other')) : undefined);
}

/** Strings of `other` (language `language`) still equal to the English text. `instruments`: list instrument wording instead. */
export function untranslated(language: string, en: Map<string, string>, other: Map<string, string>, instruments = false): Untranslated[] {
  const allowed = new Set(ALLOWED_SAME.filter((a) => a.languages === '*' || a.languages.includes(language)).map((a) => a.value));
  const found: Untranslated[] = [];
  for (const [key, value] of other) {
    if (INSTRUMENT_KEYS.test(key) !== instruments) continue;
    if (value !== englishFor(key, en) || !hasWords(value) || allowed.has(value)) continue;
    found.push({ key, value });
  }
  return found;
}

/** Every language folder in locales/ except English. */
export function otherLanguages(dir = localesDir): string[] {
  return readdirSync(dir)
    .filter((name) => name !== 'en' && statSync(join(dir, name)).isDirectory())
    .sort();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const instruments = args.includes('--instruments');
  const languages = args.filter((a) => !a.startsWith('--'));
  const en = readFlat('en');
  let total = 0;
  for (const language of languages.length ? languages : otherLanguages()) {
    const found = untranslated(language, en, readFlat(language), instruments);
    total += found.length;
    for (const { key, value } of found) console.log(`${language}\t${key}\t${JSON.stringify(value)}`);
    console.error(`${language}: ${found.length} ${instruments ? 'instrument strings in English' : 'untranslated'}`);
  }
  if (!instruments && total > 0) process.exitCode = 1;
}
