import { importAgain } from './import-again.js';

/**
 * Where each language's namespace files are: one dynamic import per language, so the bundler makes
 * one chunk per `locales/<language>/<namespace>.json` (English ships with the widgets instead).
 * Every language in SUPPORTED_LANGUAGES (i18n.ts) other than English needs a line here.
 */
const files: Record<string, (namespace: string) => Promise<{ default: Record<string, unknown> }>> = {
  es: (namespace) => import(`../../locales/es/${namespace}.json`),
  fr: (namespace) => import(`../../locales/fr/${namespace}.json`),
  ar: (namespace) => import(`../../locales/ar/${namespace}.json`),
  'zh-Hans': (namespace) => import(`../../locales/zh-Hans/${namespace}.json`),
  'zh-Hant': (namespace) => import(`../../locales/zh-Hant/${namespace}.json`),
  vi: (namespace) => import(`../../locales/vi/${namespace}.json`),
  ko: (namespace) => import(`../../locales/ko/${namespace}.json`),
  tl: (namespace) => import(`../../locales/tl/${namespace}.json`),
  ru: (namespace) => import(`../../locales/ru/${namespace}.json`),
  'pt-BR': (namespace) => import(`../../locales/pt-BR/${namespace}.json`),
  ht: (namespace) => import(`../../locales/ht/${namespace}.json`),
};

/** One namespace file of a language; after `failure` (the last attempt's error) it is requested again, not answered from the failed import. */
export function loadStrings(language: string, namespace: string, failure?: unknown): Promise<{ default: Record<string, unknown> }> {
  const load = () => files[language]!(namespace);
  return failure === undefined ? load() : importAgain(failure, load);
}
