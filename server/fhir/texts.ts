import { readFileSync } from 'node:fs';
import { LANGUAGES } from '../contract/languages.js';

/**
 * The words of our FHIR conformance resources come from the same locale files the widgets show
 * (locales/<lng>/<namespace>.json), so a form reads the same in an EHR's filler as in ours.
 * English is the resource's own text; every other shipped language rides along as the FHIR
 * `translation` extension.
 */
export const BASE_LANGUAGE = 'en';
/** Every language we ship besides English (components/core/i18n.ts SUPPORTED_LANGUAGES). */
export const TRANSLATED_LANGUAGES = LANGUAGES.filter((language) => language !== BASE_LANGUAGE);
export const TRANSLATION_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/translation';

type Strings = { [key: string]: string | string[] | Strings };
const loaded = new Map<string, Strings>();

function namespace(language: string, name: string): Strings {
  const key = `${language}/${name}`;
  let strings = loaded.get(key);
  if (!strings) {
    strings = JSON.parse(readFileSync(new URL(`../../locales/${key}.json`, import.meta.url), 'utf8')) as Strings;
    loaded.set(key, strings);
  }
  return strings;
}

/** The string at `namespace.path.to.key` (array entries by index) in `language`, if there is one. */
export function lookup(language: string, key: string): string | undefined {
  const [ns, ...path] = key.split('.');
  let node: string | string[] | Strings | undefined = namespace(language, ns!);
  for (const part of path) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = Array.isArray(node) ? node[Number(part)] : node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export interface LocalizedText {
  /** The English text. */
  text: string;
  /** The primitive's element with one `translation` extension per other language that has the key. */
  element: fhir4.Element | undefined;
}

/** English text of `key` with its translations; `english` overrides the English wording (a LOINC display). */
export function localized(key: string, english?: string): LocalizedText {
  const text = english ?? lookup(BASE_LANGUAGE, key);
  if (text === undefined) throw new Error(`locales/${BASE_LANGUAGE} has no ${key}`);
  const extension: fhir4.Extension[] = [];
  for (const lang of TRANSLATED_LANGUAGES) {
    const content = lookup(lang, key);
    if (content === undefined) continue;
    extension.push({ url: TRANSLATION_EXTENSION, extension: [{ url: 'lang', valueCode: lang }, { url: 'content', valueString: content }] });
  }
  return { text, element: extension.length ? { extension } : undefined };
}

/** The languages a primitive's element carries translations for. */
export const translationLanguages = (element: fhir4.Element | undefined): string[] =>
  (element?.extension ?? [])
    .filter((e) => e.url === TRANSLATION_EXTENSION)
    .map((e) => e.extension?.find((sub) => sub.url === 'lang')?.valueCode ?? '');
