import i18next, { type Resource, type TFunction } from 'i18next';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { common, crisis, errors, severity, units } from '../../locales/en/translation.json';

type Bundle = Resource[string]['translation'];

/**
 * English is the fallback, so it ships with the code: the strings several widgets share here, and
 * each widget's own strings in that widget's module ({@link addEnglish}). Other languages load on
 * first use, all widgets' strings at once.
 */
const loaders: Record<string, () => Promise<{ default: Bundle }>> = {
  es: () => import('../../locales/es/translation.json'),
  fr: () => import('../../locales/fr/translation.json'),
  ar: () => import('../../locales/ar/translation.json'),
  'zh-Hans': () => import('../../locales/zh-Hans/translation.json'),
};

export const SUPPORTED_LANGUAGES = ['en', ...Object.keys(loaders)];
const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur']);

/** Chinese in Simplified script: `zh`, `zh-CN`, `zh-SG`, `zh-MY` and any `zh-Hans-*`. Traditional (`zh-TW`, `zh-Hant`…) has no translation yet. */
const SIMPLIFIED_CHINESE = /^zh(?:-hans(?:-.*)?|-cn|-sg|-my)?$/;

/**
 * "New urgent alert: Sam T.." → "… Sam T.": a name (or any inserted text) that already ends a
 * sentence is not given a second full stop by the string around it.
 */
const noDoubleFullStop = {
  type: 'postProcessor' as const,
  name: 'noDoubleFullStop',
  process(value: string, _key: string | string[], options: Record<string, unknown>): string {
    let text = value;
    for (const inserted of Object.values(options)) {
      if (typeof inserted === 'string' && /[.!?…]$/.test(inserted)) text = text.split(`${inserted}.`).join(inserted);
    }
    return text;
  },
};

const i18n = i18next.createInstance();
void i18n.use(noDoubleFullStop).init({
  lng: 'en',
  fallbackLng: 'en',
  resources: { en: { translation: { common, crisis, errors, severity, units } } },
  interpolation: { escapeValue: false }, // Lit escapes every binding
  postProcess: ['noDoubleFullStop'],
  initAsync: false,
});

/** Adds a widget's English strings (its top-level namespaces of locales/en/translation.json). */
export function addEnglish(strings: Bundle): void {
  i18n.addResourceBundle('en', 'translation', strings, true, true);
}

/** `es-MX` → `es`; unknown languages fall back to English. */
export function languageOf(locale: string): string {
  const tag = locale.toLowerCase().replace(/_/g, '-');
  if (SIMPLIFIED_CHINESE.test(tag)) return 'zh-Hans';
  const language = tag.split('-')[0] ?? 'en';
  return SUPPORTED_LANGUAGES.includes(language) ? language : 'en';
}

export const directionOf = (locale: string): 'ltr' | 'rtl' =>
  RTL_LANGUAGES.has(locale.toLowerCase().split(/[-_]/)[0] ?? '') ? 'rtl' : 'ltr';

const loading = new Map<string, Promise<void>>();

export function loadLanguage(locale: string): Promise<void> {
  const language = languageOf(locale);
  if (i18n.hasResourceBundle(language, 'translation')) return Promise.resolve();
  let pending = loading.get(language);
  if (!pending) {
    pending = loaders[language]!().then((module) => {
      i18n.addResourceBundle(language, 'translation', module.default);
    });
    loading.set(language, pending);
  }
  return pending;
}

export function isLanguageLoaded(locale: string): boolean {
  return i18n.hasResourceBundle(languageOf(locale), 'translation');
}

/** A translator fixed to one language, falling back to English for anything missing. */
export function translatorFor(locale: string): TFunction {
  const language = languageOf(locale);
  return i18n.getFixedT(isLanguageLoaded(language) ? language : 'en');
}

/** Keeps a widget's strings in its current locale, re-rendering once a lazily loaded language arrives. */
export class LocaleController implements ReactiveController {
  private locale = '';
  t: TFunction = translatorFor('en');

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly currentLocale: () => string,
  ) {
    host.addController(this);
  }

  get language(): string {
    return languageOf(this.locale);
  }

  get dir(): 'ltr' | 'rtl' {
    return directionOf(this.locale);
  }

  hostUpdate(): void {
    const locale = this.currentLocale();
    if (locale === this.locale) return;
    this.locale = locale;
    this.t = translatorFor(locale);
    if (!isLanguageLoaded(locale)) {
      void loadLanguage(locale).then(() => {
        if (this.locale !== locale) return;
        this.t = translatorFor(locale);
        this.host.requestUpdate();
      });
    }
  }
}
