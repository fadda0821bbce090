import { readFileSync } from 'node:fs';
import i18next, { type TFunction } from 'i18next';

type Strings = Record<string, unknown>;
const files = new Map<string, Strings>();

function namespaceFile(language: string, namespace: string): Strings {
  const key = `${language}/${namespace}`;
  let strings = files.get(key);
  if (!strings) {
    strings = JSON.parse(readFileSync(new URL(`../locales/${key}.json`, import.meta.url), 'utf8')) as Strings;
    files.set(key, strings);
  }
  return strings;
}

const translators = new Map<string, TFunction>();

/**
 * Words the server writes into something a person reads outside a widget (a calendar file): the same
 * locales/<language>/<namespace>.json the widgets use, through i18next, English for missing keys.
 * Values are not escaped: the caller writes them into a format with its own escaping.
 */
export function serverTranslator(namespace: string, language: string): TFunction {
  const key = `${language}/${namespace}`;
  let t = translators.get(key);
  if (!t) {
    const instance = i18next.createInstance();
    void instance.init({
      initAsync: false,
      lng: language,
      fallbackLng: 'en',
      ns: [namespace],
      defaultNS: namespace,
      interpolation: { escapeValue: false },
      resources: {
        en: { [namespace]: namespaceFile('en', namespace) },
        ...(language === 'en' ? {} : { [language]: { [namespace]: namespaceFile(language, namespace) } }),
      },
    });
    t = instance.t.bind(instance);
    translators.set(key, t);
  }
  return t;
}
