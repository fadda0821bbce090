import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { directionOf, languageOf, SUPPORTED_LANGUAGES } from '../../components/core/i18n.js';

/**
 * Locale completeness and "no stray literals" checks. Pure file checks: no server needed.
 *
 * 1. Every language in locales/ has every key of English, with the same placeholders and array
 *    lengths, and plural keys for exactly the plural categories its Intl.PluralRules has (a
 *    missing `_many` silently falls back to English in i18next, so it is a bug).
 * 2. No user-visible literal text in Lit html`` / svg`` templates under components/: text nodes
 *    with letters outside ${...}, and literal aria-label / title / placeholder / alt / label values.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const localesDir = join(root, 'locales');

type Json = string | Json[] | { [key: string]: Json };
type Flat = Map<string, string | string[]>;

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
const CATEGORY_ORDER = ['zero', 'one', 'two', 'few', 'many', 'other'];
/** Placeholders that carry the plural count itself (raw or formatted with Intl.NumberFormat). */
const NUMBER_PLACEHOLDERS = new Set(['count', 'n', 'total']);

function flatten(value: Json, prefix = '', out: Flat = new Map()): Flat {
  if (typeof value === 'string') {
    out.set(prefix, value);
  } else if (Array.isArray(value)) {
    assert.ok(
      value.every((v) => typeof v === 'string'),
      `${prefix}: arrays may only hold strings`,
    );
    out.set(prefix, value);
  } else {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
  }
  return out;
}

/** `{{name}}`, `{{count, number}}` → `name`, `count`; `$t(key)` nesting counts too. */
function placeholders(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/\{\{\s*-?\s*([^},\s]+)[^}]*\}\}/g)) names.add(m[1]!);
  for (const m of text.matchAll(/\$t\(([^),]+)/g)) names.add(`$t(${m[1]!.trim()})`);
  return names;
}

const show = (s: Set<string>) => `{${[...s].sort().join(', ')}}`;
const same = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));

/** One language's strings, each namespace file (`locales/<language>/<namespace>.json`) under its name. */
function readLocale(language: string): Flat {
  const namespaces: { [namespace: string]: Json } = {};
  for (const file of readdirSync(join(localesDir, language)).filter((name) => name.endsWith('.json'))) {
    namespaces[file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(join(localesDir, language, file), 'utf8')) as Json;
  }
  return flatten(namespaces);
}

const languages = readdirSync(localesDir)
  .filter((name) => statSync(join(localesDir, name)).isDirectory())
  .filter((name) => {
    try {
      return statSync(join(localesDir, name, 'common.json')).isFile();
    } catch {
      return false;
    }
  })
  .sort();

/** Groups plural keys by base: `a.b_one`, `a.b_other` → `a.b` → { one, other }. */
function pluralGroups(flat: Flat): Map<string, Map<string, string>> {
  const groups = new Map<string, Map<string, string>>();
  for (const [key, value] of flat) {
    const m = PLURAL_SUFFIX.exec(key);
    if (!m || typeof value !== 'string') continue;
    const base = key.slice(0, -m[0].length);
    if (!groups.has(base)) groups.set(base, new Map());
    groups.get(base)!.set(m[1]!, value);
  }
  return groups;
}

/** Problems of one language compared with English, as readable lines. */
export function compareToEnglish(language: string, en: Flat, other: Flat): string[] {
  const problems: string[] = [];
  const categories = new Set<string>(new Intl.PluralRules(language).resolvedOptions().pluralCategories);
  // i18next also honours `_zero` for count 0 in every language, so it is allowed (never required).
  const allowed = new Set([...categories, 'zero']);
  const enPlurals = pluralGroups(en);
  const otherPlurals = pluralGroups(other);
  const isPluralKey = (key: string, groups: Map<string, Map<string, string>>) => {
    const m = PLURAL_SUFFIX.exec(key);
    return !!m && groups.has(key.slice(0, -m[0].length));
  };

  // Plain strings and arrays.
  for (const [key, enValue] of en) {
    if (isPluralKey(key, enPlurals)) continue;
    const value = other.get(key);
    if (value === undefined) {
      problems.push(`${language}: missing key ${key}`);
      continue;
    }
    if (Array.isArray(enValue) !== Array.isArray(value)) {
      problems.push(`${language}: ${key} should be ${Array.isArray(enValue) ? 'an array' : 'a string'}`);
      continue;
    }
    const enItems = Array.isArray(enValue) ? enValue : [enValue];
    const items = Array.isArray(value) ? value : [value];
    if (enItems.length !== items.length) {
      problems.push(`${language}: ${key} has ${items.length} items, English has ${enItems.length}`);
      continue;
    }
    enItems.forEach((enItem, i) => {
      const where = Array.isArray(enValue) ? `${key}[${i}]` : key;
      const item = items[i]!;
      if (enItem.trim() !== '' && item.trim() === '') problems.push(`${language}: ${where} is empty`);
      const want = placeholders(enItem);
      const got = placeholders(item);
      if (!same(want, got)) problems.push(`${language}: ${where} has placeholders ${show(got)}, English has ${show(want)}`);
    });
  }

  // Plural groups: exactly this language's categories (plus optional zero), placeholders as English.
  for (const [base, enForms] of enPlurals) {
    const forms = otherPlurals.get(base);
    if (!forms) {
      problems.push(`${language}: missing plural key ${base} (needs ${CATEGORY_ORDER.filter((c) => categories.has(c)).map((c) => `_${c}`).join(', ')})`);
      continue;
    }
    for (const category of categories) {
      if (!forms.has(category)) problems.push(`${language}: missing plural form ${base}_${category}`);
    }
    const enOther = placeholders(enForms.get('other') ?? '');
    // Placeholders every English form uses (other than the number itself) must appear in every form.
    const enAll = [...enForms.values()].map(placeholders);
    const enCommon = new Set([...enOther].filter((p) => enAll.every((s) => s.has(p))));
    const enUnion = new Set(enAll.flatMap((s) => [...s]));
    for (const [category, text] of forms) {
      if (!allowed.has(category)) {
        problems.push(`${language}: ${base}_${category} is not a plural category of ${language} (has ${[...categories].join(', ')})`);
        continue;
      }
      if (text.trim() === '') problems.push(`${language}: ${base}_${category} is empty`);
      const got = placeholders(text);
      const unknown = [...got].filter((p) => !enUnion.has(p));
      if (unknown.length) problems.push(`${language}: ${base}_${category} uses unknown placeholders {${unknown.join(', ')}}`);
      // Forms for a fixed small number (zero, one, two) may spell the number out instead of
      // {{count}} or its formatted copy ({{n}}, {{total}} by this codebase's convention).
      const required = category === 'zero' || category === 'one' || category === 'two'
        ? new Set([...enCommon].filter((p) => !NUMBER_PLACEHOLDERS.has(p)))
        : enOther;
      const absent = [...required].filter((p) => !got.has(p));
      if (absent.length) problems.push(`${language}: ${base}_${category} lacks placeholders {${absent.join(', ')}}`);
    }
  }

  // Keys English does not have (stale or misspelt).
  for (const key of other.keys()) {
    if (en.has(key)) continue;
    const m = PLURAL_SUFFIX.exec(key);
    if (m && enPlurals.has(key.slice(0, -m[0].length))) continue; // checked above
    problems.push(`${language}: key ${key} is not in English`);
  }
  return problems;
}

/** The shipped languages (issue 18): 12 once every new one has landed. */
const EXPECTED_LANGUAGES = ['en', 'es', 'fr', 'ar', 'zh-Hans', 'zh-Hant', 'vi', 'ko', 'tl', 'ru', 'pt-BR', 'ht'];

describe('locales', () => {
  const en = readLocale('en');

  test('the expected languages are present', () => {
    for (const language of EXPECTED_LANGUAGES) assert.ok(languages.includes(language), `locales/${language} is missing`);
  });

  for (const language of languages.filter((l) => l !== 'en')) {
    test(`${language} has every English key with the same placeholders, arrays and its own plural forms`, () => {
      const problems = compareToEnglish(language, en, readLocale(language));
      assert.deepEqual(problems, [], `\n${problems.join('\n')}`);
    });
  }

  test('English itself has _one and _other for every plural key', () => {
    const problems: string[] = [];
    for (const [base, forms] of pluralGroups(en)) {
      for (const c of ['one', 'other']) if (!forms.has(c)) problems.push(`en: missing ${base}_${c}`);
    }
    assert.deepEqual(problems, []);
  });

  test('every language in locales/ has a lazy loader in components/core/locale-files.ts', () => {
    const source = readFileSync(join(root, 'components/core/locale-files.ts'), 'utf8');
    for (const language of languages.filter((l) => l !== 'en')) {
      assert.ok(source.includes(`locales/${language}/${'${namespace}'}.json`), `no loader for locales/${language}`);
    }
  });

  test('locales map to the shipped languages: zh/zh-CN/zh-Hans → zh-Hans, zh-TW/zh-HK/zh-MO/zh-Hant-* → zh-Hant, pt-* → pt-BR, fil → tl, ar-* → ar (RTL)', () => {
    const cases: [string, string][] = [
      ['zh', 'zh-Hans'], ['zh-CN', 'zh-Hans'], ['zh-Hans', 'zh-Hans'], ['zh-Hans-CN', 'zh-Hans'], ['zh_SG', 'zh-Hans'],
      ['ar', 'ar'], ['ar-EG', 'ar'], ['ar-MA', 'ar'], ['fr', 'fr'], ['fr-CA', 'fr'], ['es-MX', 'es'], ['en-GB', 'en'], ['de-DE', 'en'],
      // new languages (issue 18)
      ['ht', 'ht'], ['ht-HT', 'ht'],
      ['pt', 'pt-BR'], ['pt-BR', 'pt-BR'], ['pt_BR', 'pt-BR'], ['pt-PT', 'pt-BR'], ['pt-AO', 'pt-BR'],
      ['ru', 'ru'], ['ru-RU', 'ru'], ['ru-UA', 'ru'],
      ['tl', 'tl'], ['tl-PH', 'tl'], ['fil', 'tl'], ['fil-PH', 'tl'],
      ['ko', 'ko'], ['ko-KR', 'ko'],
      ['vi', 'vi'], ['vi-VN', 'vi'],
      ['zh-TW', 'zh-Hant'], ['zh-HK', 'zh-Hant'], ['zh-MO', 'zh-Hant'], ['zh-Hant', 'zh-Hant'], ['zh-Hant-TW', 'zh-Hant'], ['zh_hant_hk', 'zh-Hant'], ['zh-Hans-HK', 'zh-Hans'],
    ];
    assert.deepEqual(cases.map(([locale]) => [locale, languageOf(locale)]), cases);
    assert.equal(directionOf('ar-EG'), 'rtl');
    assert.equal(directionOf('zh-Hans'), 'ltr');
    for (const language of ['zh-Hant', 'vi', 'ko', 'tl', 'ru', 'pt-BR', 'ht']) assert.equal(directionOf(language), 'ltr', language);
    assert.equal(directionOf('fr-CA'), 'ltr');
  });

  test('locales/languages.json lists exactly the languages in locales/ and SUPPORTED_LANGUAGES, with valid fields', () => {
    interface Entry {
      tag: string;
      name: string;
      direction: string;
      review: string;
      reviewer: string | null;
      instruments: { phq9: string; gad7: string; bam: string; source: string | null; bamSource: string };
    }
    const { languages: entries } = JSON.parse(readFileSync(join(localesDir, 'languages.json'), 'utf8')) as { languages: Entry[] };
    const reference = JSON.parse(readFileSync(join(root, 'test/fixtures/instruments/phq9-gad7-wording.json'), 'utf8')) as {
      wording: Record<string, Record<string, unknown>>;
    };
    assert.deepEqual(entries.map((e) => e.tag).sort(), languages);
    assert.deepEqual([...SUPPORTED_LANGUAGES].sort(), languages);
    for (const e of entries) {
      assert.deepEqual(Object.keys(e).sort(), ['direction', 'instruments', 'name', 'review', 'reviewer', 'tag'], e.tag);
      assert.ok(typeof e.name === 'string' && e.name.trim() !== '', `${e.tag}: name`);
      assert.equal(e.direction, directionOf(e.tag), `${e.tag}: direction`);
      assert.ok(e.review === 'reviewed' || e.review === 'unreviewed', `${e.tag}: review`);
      assert.ok(e.reviewer === null || (typeof e.reviewer === 'string' && e.reviewer.trim() !== ''), `${e.tag}: reviewer`);
      if (e.review === 'reviewed') assert.ok(e.reviewer, `${e.tag}: a reviewed language names its reviewer's role`);
      assert.deepEqual(Object.keys(e.instruments).sort(), ['bam', 'bamSource', 'gad7', 'phq9', 'source'], `${e.tag}: instruments`);
      // The BAM is published by the VA in English only: every other language's BAM is unverified.
      assert.equal(e.instruments.bam, e.tag === 'en' ? 'published' : 'unverified', `${e.tag}: bam`);
      assert.equal(e.instruments.bamSource, 'VA form, English only', `${e.tag}: bamSource`);
      assert.ok(e.instruments.source === null || typeof e.instruments.source === 'string', `${e.tag}: source`);
      for (const instrument of ['phq9', 'gad7'] as const) {
        const status = e.instruments[instrument];
        assert.ok(status === 'published' || status === 'unverified', `${e.tag} ${instrument}: ${status}`);
        // Published means word for word as found: the wording test then holds the locale to it.
        if (status === 'published') {
          assert.ok(reference.wording[e.tag]?.[instrument], `${e.tag} ${instrument} is published but has no reference wording`);
          assert.ok(e.instruments.source, `${e.tag}: a published instrument records its source`);
        }
      }
    }
  });

  test('a new language without a published translation asks the instruments in their published English wording', () => {
    const { languages: entries } = JSON.parse(readFileSync(join(localesDir, 'languages.json'), 'utf8')) as {
      languages: { tag: string; instruments: { phq9: string; gad7: string } }[];
    };
    for (const e of entries.filter((x) => !['en', 'es', 'fr', 'ar', 'zh-Hans'].includes(x.tag))) {
      const other = readLocale(e.tag);
      if (e.instruments.phq9 === 'unverified' && e.instruments.gad7 === 'unverified') {
        assert.deepEqual(other.get('scales.frequency'), en.get('scales.frequency'), `${e.tag}: frequency options`);
      }
      for (const instrument of ['phq9', 'gad7'] as const) {
        if (e.instruments[instrument] !== 'unverified') continue;
        for (const [key, value] of en) {
          if (!key.startsWith(`templates.${instrument}.`) || key === `templates.${instrument}.title`) continue;
          assert.equal(other.get(key), value, `${e.tag}: ${key} should be the published English wording`);
        }
      }
    }
  });

  test('the comparison catches a missing key, a changed placeholder, a short array and a missing plural form', () => {
    const fr = readLocale('fr');
    const broken: Flat = new Map(fr);
    broken.delete('common.retry');
    broken.set('checkIn.rejected', 'Impossible : {{raison}}');
    broken.set('scales.frequency', ['Jamais']);
    broken.delete('checkIn.pending_many');
    const problems = compareToEnglish('fr', en, broken).join('\n');
    assert.match(problems, /missing key common\.retry/);
    assert.match(problems, /checkIn\.rejected has placeholders \{raison\}/);
    assert.match(problems, /scales\.frequency has 1 items/);
    assert.match(problems, /missing plural form checkIn\.pending_many/);
  });
});

// ---------------------------------------------------------------------------------------------
// Stray literal text in Lit templates.

/**
 * Text that may appear literally: names of instruments and products that are the same in every
 * language. Compared with the trimmed text node or attribute value.
 */
const ALLOWED_LITERALS = new Set(['PHQ-9', 'GAD-7', 'BAM', 'Jitsi', 'Jitsi Meet']);

const VISIBLE_ATTRIBUTES = new Set([
  'aria-label',
  'aria-description',
  'aria-placeholder',
  'aria-roledescription',
  'aria-valuetext',
  'title',
  'placeholder',
  'alt',
  'label',
]);

const HOLE = '\u0001'; // stands for a ${...} expression inside a template

interface Template {
  tag: string;
  text: string; // static parts, each expression replaced by HOLE
  offsets: number[]; // offsets[i] = source offset of text[i]
}

/** Finds every tagged template literal in a TypeScript source, nested ones included. */
export function findTemplates(src: string): Template[] {
  const found: Template[] = [];
  let i = 0;

  const tagBefore = (at: number): string => {
    let j = at - 1;
    while (j >= 0 && /\s/.test(src[j]!)) j--;
    let k = j;
    while (k >= 0 && /[\w$.]/.test(src[k]!)) k--;
    return src.slice(k + 1, j + 1);
  };

  const regexAllowedAfter = (at: number): boolean => {
    let j = at - 1;
    while (j >= 0 && /\s/.test(src[j]!)) j--;
    if (j < 0) return true;
    if (/[(,=:[!&|?{};+\-*%<>~^]/.test(src[j]!)) return true;
    const word = /(\w+)$/.exec(src.slice(Math.max(0, j - 10), j + 1))?.[1];
    return word === 'return' || word === 'typeof' || word === 'case' || word === 'of' || word === 'in';
  };

  // Skips code until the `}` that closes an expression (when `inExpression`) or the end.
  function code(inExpression: boolean): void {
    let depth = 0;
    while (i < src.length) {
      const c = src[i]!;
      const next = src[i + 1];
      if (c === '/' && next === '/') {
        while (i < src.length && src[i] !== '\n') i++;
      } else if (c === '/' && next === '*') {
        const end = src.indexOf('*/', i + 2);
        i = end < 0 ? src.length : end + 2;
      } else if (c === '"' || c === "'") {
        i++;
        while (i < src.length && src[i] !== c) i += src[i] === '\\' ? 2 : 1;
        i++;
      } else if (c === '`') {
        template(tagBefore(i));
      } else if (c === '/' && regexAllowedAfter(i)) {
        i++;
        let inClass = false;
        while (i < src.length && (inClass || src[i] !== '/') && src[i] !== '\n') {
          if (src[i] === '\\') i++;
          else if (src[i] === '[') inClass = true;
          else if (src[i] === ']') inClass = false;
          i++;
        }
        i++;
      } else if (c === '{') {
        depth++;
        i++;
      } else if (c === '}') {
        if (inExpression && depth === 0) {
          i++;
          return;
        }
        depth--;
        i++;
      } else {
        i++;
      }
    }
  }

  function template(tag: string): void {
    const t: Template = { tag, text: '', offsets: [] };
    i++; // opening backtick
    while (i < src.length) {
      const c = src[i]!;
      if (c === '\\') {
        t.text += src.slice(i, i + 2);
        t.offsets.push(i, i + 1);
        i += 2;
      } else if (c === '`') {
        i++;
        break;
      } else if (c === '$' && src[i + 1] === '{') {
        t.text += HOLE;
        t.offsets.push(i);
        i += 2;
        code(true);
      } else {
        t.text += c;
        t.offsets.push(i);
        i++;
      }
    }
    if (tag === 'html' || tag === 'svg') found.push(t);
  }

  code(false);
  return found;
}

const hasLetters = (s: string) => /\p{L}/u.test(s.replace(/&(#\d+|#x[\da-f]+|[a-z]+\d*);/gi, ''));

/** User-visible literals inside one template: `{ offset, text }` for each. */
export function literalsIn(t: Template): { offset: number; text: string }[] {
  const out: { offset: number; text: string }[] = [];
  // Blank out comments and <style> bodies, keeping positions.
  const text = t.text
    .replace(/<!--[\s\S]*?-->/g, (m) => ' '.repeat(m.length))
    .replace(/(<style\b[^>]*>)([\s\S]*?)(<\/style>)/gi, (_m, a: string, b: string, c: string) => a + ' '.repeat(b.length) + c);
  let i = 0;
  while (i < text.length) {
    if (text[i] === '<') {
      // A tag: read to its closing `>` respecting quotes.
      let j = i + 1;
      let quote = '';
      while (j < text.length) {
        const c = text[j]!;
        if (quote) {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '>') break;
        j++;
      }
      const tagText = text.slice(i, j);
      // eslint-disable-next-line no-control-regex -- \u0001 is HOLE, which stands for a ${…} expression
      for (const m of tagText.matchAll(/(^|[\s\u0001])([\w:-]+)\s*=\s*("([^"]*)"|'([^']*)'|([^\s"'>]+))/g)) {
        const name = m[2]!.toLowerCase();
        if (!VISIBLE_ATTRIBUTES.has(name)) continue;
        const value = m[4] ?? m[5] ?? m[6] ?? '';
        const bare = value.split(HOLE).join(' ').trim();
        if (hasLetters(bare) && !ALLOWED_LITERALS.has(bare)) out.push({ offset: t.offsets[i + m.index + m[1]!.length]!, text: `${name}="${bare}"` });
      }
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && text[j] !== '<') j++;
      for (const part of text.slice(i, j).split(HOLE)) {
        const bare = part.trim();
        if (hasLetters(bare) && !ALLOWED_LITERALS.has(bare)) {
          const at = i + text.slice(i, j).indexOf(part) + part.search(/\S/);
          out.push({ offset: t.offsets[at] ?? t.offsets[i]!, text: bare });
        }
      }
      i = j;
    }
  }
  return out;
}

function componentFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return componentFiles(path);
    return /\.ts$/.test(entry.name) && !/\.(test|stories|d)\.ts$/.test(entry.name) ? [path] : [];
  });
}

const lineOf = (src: string, offset: number) => src.slice(0, offset).split('\n').length;

describe('user-visible strings', () => {
  test('the template scanner finds literal text, literal labels and nested templates, and ignores bindings', () => {
    const src = [
      'const a = html`<p>${this.t("x")}</p>`;',
      'const b = html`<button aria-label="Close">${x ? html`<span>Hello ${name}</span>` : nothing}</button>`;',
      'const c = html`<input title=${t("y")} placeholder="${t("z")}"><style>.a { color: red }</style><!-- note -->`;',
      'const d = svg`<text>Mood</text>`; const e = css`:host { content: "x" }`; const f = `plain ${html`<b>PHQ-9</b>`}`;',
    ].join('\n');
    const hits = findTemplates(src).flatMap((t) => literalsIn(t).map((h) => `${lineOf(src, h.offset)}:${h.text}`));
    assert.deepEqual(hits.sort(), ['2:Hello', '2:aria-label="Close"', '4:Mood'].sort());
  });

  test('no literal user-visible text in components/**/*.ts templates (use this.t and locales/)', () => {
    const problems: string[] = [];
    for (const file of componentFiles(join(root, 'components'))) {
      const src = readFileSync(file, 'utf8');
      for (const t of findTemplates(src)) {
        for (const hit of literalsIn(t)) problems.push(`${relative(root, file)}:${lineOf(src, hit.offset)}: ${JSON.stringify(hit.text)}`);
      }
      // Imperative labels: el.setAttribute('aria-label', 'Close').
      for (const m of src.matchAll(/setAttribute\(\s*['"](aria-label|title|placeholder|alt)['"]\s*,\s*(['"`])([^'"`]*)\2/g)) {
        if (hasLetters(m[3]!) && !ALLOWED_LITERALS.has(m[3]!.trim())) problems.push(`${relative(root, file)}:${lineOf(src, m.index)}: ${m[1]}=${JSON.stringify(m[3])}`);
      }
    }
    assert.deepEqual(problems, [], `\nUser-visible literals not in locales/:\n${problems.join('\n')}`);
  });
});
