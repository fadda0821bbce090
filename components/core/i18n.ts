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
 * sentence is not given a second full stop by the string around it (inserted text ends with the
 * isolate's closing mark, U+2069, see {@link isolate}).
 */
const noDoubleFullStop = {
  type: 'postProcessor' as const,
  name: 'noDoubleFullStop',
  process(value: string, _key: string | string[], options: Record<string, unknown>): string {
    let text = value;
    for (const inserted of Object.values(options)) {
      if (typeof inserted === 'string' && /[.!?…]$/.test(inserted)) text = text.split(`${inserted}\u2069.`).join(`${inserted}\u2069`).split(`${inserted}.`).join(inserted);
    }
    return text;
  },
};

/** Looks like a phone number or a plain number (`+1 202 555 0100`, `988`, `(02) 9876-5432`). */
const PHONE_OR_NUMBER = /^\+?[\d\s().-]+$/;

/**
 * Every interpolated value is a bidi isolate, so a Latin name or a number inside a right-to-left
 * sentence (or the reverse) keeps its own order: "اتصل بـ 988 Suicide & Crisis Lifeline: 988" no
 * longer swaps its numbers, and "Sam T." keeps its full stop. Phone numbers and plain numbers are
 * always left-to-right (LRI … PDI: digit groups stay in dialling order); anything else takes the
 * direction of its first strong letter (FSI … PDI). Lit still escapes every binding, so i18next's
 * HTML escaping is not needed.
 */
export function isolate(value: string): string {
  return PHONE_OR_NUMBER.test(value) && /\d/.test(value) ? `\u2066${value}\u2069` : `\u2068${value}\u2069`;
}

/** Hebrew, Arabic, Syriac, Thaana, N'Ko… and their presentation forms: letters written right to left. */
const RIGHT_TO_LEFT_LETTER = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
const ISOLATED_VALUE = /[\u2066\u2068]([^\u2066-\u2069]*)\u2069/g;

/**
 * In a left-to-right language a value with no right-to-left letters cannot be reordered, so its
 * isolate marks are dropped again: English text (and its aria-labels and downloads) stays plain,
 * while Arabic text, and any Arabic or Hebrew name inside English text, keeps them.
 */
const isolatesWhereNeeded = {
  type: 'postProcessor' as const,
  name: 'isolatesWhereNeeded',
  process(value: string, _key: string | string[], options: { lng?: string }): string {
    if (directionOf(options.lng ?? 'en') === 'rtl') return value;
    return value.replace(ISOLATED_VALUE, (isolated, inner: string) => (RIGHT_TO_LEFT_LETTER.test(inner) ? isolated : inner));
  },
};

const i18n = i18next.createInstance();
void i18n.use(noDoubleFullStop).use(isolatesWhereNeeded).init({
  lng: 'en',
  fallbackLng: 'en',
  resources: { en: { translation: { common, crisis, errors, severity, units } } },
  interpolation: { escapeValue: true, escape: isolate },
  postProcess: ['noDoubleFullStop', 'isolatesWhereNeeded'],
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
