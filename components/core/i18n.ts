import i18next, { type ResourceLanguage, type TFunction } from 'i18next';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { LANGUAGES } from '../../server/contract/languages.js';
import { LazyModule } from './lazy-module.js';
import common from '../../locales/en/common.json';
import crisis from '../../locales/en/crisis.json';
import errors from '../../locales/en/errors.json';
import severity from '../../locales/en/severity.json';
import units from '../../locales/en/units.json';

/** One namespace's strings: the contents of one `locales/<language>/<namespace>.json`. */
type Strings = ResourceLanguage[string];

/**
 * Strings live in i18next namespaces, one file per namespace per language
 * (`locales/<language>/<namespace>.json`), and keys name their namespace first: `checkIn.submit`
 * is `submit` in `checkIn` (the namespace and key separators are both `.`).
 *
 * English is the fallback, so it ships with the code that shows it: the namespaces several widgets
 * share here, each widget's own in that widget's module ({@link addEnglish}). Another language loads
 * on first use, and only the namespaces the page's widgets have registered.
 */
export const SUPPORTED_LANGUAGES: readonly string[] = LANGUAGES;
const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur']);

/** Chinese in Simplified script: `zh`, `zh-CN`, `zh-SG`, `zh-MY` and any `zh-Hans-*`. */
const SIMPLIFIED_CHINESE = /^zh(?:-hans(?:-.*)?|-cn|-sg|-my)?$/;
/** Chinese in Traditional script: `zh-TW`, `zh-HK`, `zh-MO` and any `zh-Hant-*`. */
const TRADITIONAL_CHINESE = /^zh-(?:hant(?:-.*)?|tw|hk|mo)$/;
/**
 * Primary language subtags shipped under another tag: Filipino (`fil`) reads the Tagalog strings,
 * and every Portuguese (`pt`, `pt-PT`, `pt-AO`…) the Brazilian Portuguese ones.
 */
const LANGUAGE_ALIASES: Readonly<Record<string, string>> = { fil: 'tl', pt: 'pt-BR' };

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
  ns: [],
  defaultNS: false,
  nsSeparator: '.',
  keySeparator: '.',
  resources: {},
  interpolation: { escapeValue: true, escape: isolate },
  postProcess: ['noDoubleFullStop', 'isolatesWhereNeeded'],
  initAsync: false,
});

/** The namespaces registered so far: what a page's widgets show. */
const namespaces = new Set<string>();

/** Bumped whenever strings are added: translations remembered before then may be out of date. */
let generation = 0;

/** Adds a widget's English namespaces, e.g. `addEnglish({ checkIn, scales })` with each imported from `locales/en/<namespace>.json`. */
export function addEnglish(strings: Record<string, Strings>): void {
  for (const [namespace, bundle] of Object.entries(strings)) {
    namespaces.add(namespace);
    i18n.addResourceBundle('en', namespace, bundle, true, true);
    applyOverrides('en', namespace);
  }
  generation++;
}

/**
 * A clinic's own wording: per language, UI string keys (`checkIn.submit`) and the clinic's text.
 * Keys of instruments (the PHQ-9, GAD-7 and BAM items and their answer labels) are refused: a
 * screening score is valid only in the instrument's published wording.
 */
export type StringOverrides = Record<string, Record<string, string>>;

/** Keys no clinic may reword: instrument items, stems and answer scales. */
export const INSTRUMENT_KEY = /^(?:templates\.(?:phq9|gad7|bam)(?:\.|$)|scales\.(?:frequency|health5|severity5|confidence5)(?:\.|$))/;

/** language → key → the clinic's text, as set by {@link setStringOverrides}. */
let overrides = new Map<string, Map<string, string>>();
/** language → key → the shipped text an override replaced (undefined when none was loaded yet). */
const replaced = new Map<string, Map<string, unknown>>();

const splitKey = (key: string): [string, string] => {
  const dot = key.indexOf('.');
  return [key.slice(0, dot), key.slice(dot + 1)];
};

function applyOverrides(language?: string, namespace?: string): void {
  for (const [lng, keys] of overrides) {
    if (language && lng !== language) continue;
    for (const [key, text] of keys) {
      const [ns, path] = splitKey(key);
      if (namespace && ns !== namespace) continue;
      // Applied once the shipped bundle is there (loadLanguage and addEnglish call this again):
      // a bundle made of overrides alone would read as loaded and the language file never come.
      if (!i18n.hasResourceBundle(lng, ns)) continue;
      const current: unknown = i18n.getResource(lng, ns, path);
      if (current === text) continue;
      const saved = replaced.get(lng) ?? new Map<string, unknown>();
      if (!saved.has(key) || current !== undefined) saved.set(key, current);
      replaced.set(lng, saved);
      i18n.addResource(lng, ns, path, text);
    }
  }
}

/**
 * Keys that moved to a namespace of their own when their strings began to load with their code
 * (issue 14, 2026-12-03): a clinic's wording written for the old key still applies.
 */
const RENAMED_KEYS: readonly (readonly [RegExp, string])[] = [
  [/^room\.feedback\./, 'sessionFeedback.'],
  [/^room\.calendar\./, 'groupCalendar.'],
  [/^room\.(lobby|remove)\./, 'roomLobby.$1.'],
  [/^dangerFlag\.(dialogTitle|dialogText|emergencyNow|noteLabel|sending|confirm|cancel|sent|tooMany|participantsTitle|participantsIntro|noParticipants)$/, 'dangerFlagDialog.$1'],
];

const currentKey = (key: string): string => {
  for (const [old, now] of RENAMED_KEYS) if (old.test(key)) return key.replace(old, now);
  return key;
};

/**
 * Sets the clinic's wording (replacing any set before) and answers the keys it refused: instrument
 * keys, keys without a namespace (`namespace.key`), and texts that are not strings. Languages are
 * matched as the widgets match them (`es-MX` → `es`). Keys the clinic leaves out keep the shipped
 * text, and a language without the key falls back to English, as i18next does.
 */
export function setStringOverrides(next: StringOverrides | null | undefined): string[] {
  const refused: string[] = [];
  const accepted = new Map<string, Map<string, string>>();
  for (const [locale, keys] of Object.entries(next ?? {})) {
    const language = locale === 'en' ? 'en' : languageOf(locale);
    for (const [given, text] of Object.entries(keys ?? {})) {
      if (INSTRUMENT_KEY.test(given) || !/^[A-Za-z]+\.[^.]/.test(given) || typeof text !== 'string') {
        refused.push(given);
        continue;
      }
      const map = accepted.get(language) ?? new Map<string, string>();
      map.set(currentKey(given), text);
      accepted.set(language, map);
    }
  }
  // Put back what the previous overrides replaced and the new ones do not.
  for (const [lng, saved] of replaced) {
    for (const [key, original] of saved) {
      if (accepted.get(lng)?.has(key)) continue;
      const [ns, path] = splitKey(key);
      if (typeof original === 'string') i18n.addResource(lng, ns, path, original);
      saved.delete(key);
    }
  }
  overrides = accepted;
  applyOverrides();
  generation++;
  return refused;
}

addEnglish({ common, crisis, errors, severity, units });

/** `es-MX` → `es`, `zh-TW` → `zh-Hant`, `pt-PT` → `pt-BR`, `fil` → `tl`; unknown languages fall back to English. */
export function languageOf(locale: string): string {
  const tag = locale.toLowerCase().replace(/_/g, '-');
  const primary = tag.split('-')[0] ?? 'en';
  const language = SIMPLIFIED_CHINESE.test(tag) ? 'zh-Hans' : TRADITIONAL_CHINESE.test(tag) ? 'zh-Hant' : (LANGUAGE_ALIASES[primary] ?? primary);
  return SUPPORTED_LANGUAGES.includes(language) ? language : 'en';
}

export const directionOf = (locale: string): 'ltr' | 'rtl' =>
  RTL_LANGUAGES.has(locale.toLowerCase().split(/[-_]/)[0] ?? '') ? 'rtl' : 'ltr';

/** `language/namespace` → its file's load under way. A load that failed is dropped, so the next asks again. */
const loading = new Map<string, Promise<void>>();
/** `language/namespace` → the error of its last failed load: the retry requests the file again rather than reuse the failed import. */
const failures = new Map<string, unknown>();

/** The table of language files, a lazy chunk of its own (imported again after a failure too). */
const localeFiles = new LazyModule(() => import('./locale-files.js'));

const missingNamespaces = (language: string): string[] =>
  language === 'en' ? [] : [...namespaces].filter((namespace) => !i18n.hasResourceBundle(language, namespace));

async function loadNamespace(language: string, namespace: string): Promise<void> {
  const key = `${language}/${namespace}`;
  try {
    const { loadStrings } = await localeFiles.get();
    const module = await loadStrings(language, namespace, failures.get(key)).catch((error: unknown) => {
      failures.set(key, error);
      throw error;
    });
    failures.delete(key);
    i18n.addResourceBundle(language, namespace, module.default, true, false);
    applyOverrides(language, namespace);
    generation++;
    if (isLanguageLoaded(language)) stopRetries(language);
    notifyStringsAdded();
  } catch (error) {
    scheduleRetry(language);
    throw error;
  } finally {
    loading.delete(key);
  }
}

/** Loads the namespaces registered so far in `locale`'s language (nothing for English, which ships with the code). */
export function loadLanguage(locale: string): Promise<void> {
  const language = languageOf(locale);
  return Promise.all(
    missingNamespaces(language).map((namespace) => {
      const key = `${language}/${namespace}`;
      let pending = loading.get(key);
      if (!pending) {
        pending = loadNamespace(language, namespace);
        loading.set(key, pending);
      }
      return pending;
    }),
  ).then(() => undefined);
}

/**
 * Waits before each automatic retry of a language whose file failed: about a minute in all, time
 * for a phone to find its signal again or a server to restart, after which the widget stays in
 * English without asking further until something asks for the language again (another widget, a
 * locale change, the browser coming back online). A patient who chose French expects French
 * without reloading the page, and a clinic's server is not asked every second by an offline tablet.
 */
const LANGUAGE_RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

/** language → the automatic retries made since its last failure, and the next one's timer. */
const retries = new Map<string, { made: number; timer: ReturnType<typeof setTimeout> | undefined }>();

function scheduleRetry(language: string): void {
  const retry = retries.get(language) ?? { made: 0, timer: undefined };
  retries.set(language, retry);
  const delay = LANGUAGE_RETRY_DELAYS_MS[retry.made];
  if (retry.timer !== undefined || delay === undefined) return;
  retry.timer = setTimeout(() => {
    retry.timer = undefined;
    retry.made++;
    loadUntilComplete(language).catch(() => {
      // Failed again: loadNamespace scheduled the next retry, if one is left.
    });
  }, delay);
}

function stopRetries(language: string): void {
  clearTimeout(retries.get(language)?.timer);
  retries.delete(language);
}

// Back online: each language still missing a file gets a load now and its retries afresh.
globalThis.addEventListener?.('online', () => {
  for (const language of [...retries.keys()]) {
    stopRetries(language);
    loadUntilComplete(language).catch(() => {
      // Still failing: loadNamespace scheduled a retry.
    });
  }
});

/** Called whenever a language's strings arrive: widgets showing the fallback re-render in their language. */
const stringsAddedListeners = new Set<() => void>();

function notifyStringsAdded(): void {
  for (const listener of stringsAddedListeners) listener();
}

export function isLanguageLoaded(locale: string): boolean {
  return missingNamespaces(languageOf(locale)).length === 0;
}

/** How long a widget's first render waits for its language's strings before it shows English meanwhile. */
export const FIRST_RENDER_LANGUAGE_WAIT_MS = 1_500;

/**
 * Resolves once `locale`'s strings are loaded (at once for English or a loaded language), or after
 * `waitMs` (slow network), or when they cannot be loaded (offline): never rejects. A widget's first
 * render waits for it, so a French page does not paint English first.
 */
export function languageReady(locale: string, waitMs = FIRST_RENDER_LANGUAGE_WAIT_MS): Promise<void> {
  if (isLanguageLoaded(locale)) return Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, waitMs);
  });
  const loaded = loadUntilComplete(locale).then(
    () => undefined,
    () => undefined,
  );
  return Promise.race([loaded, waited]).finally(() => clearTimeout(timer));
}

/**
 * Loads `locale`'s strings until none is missing: a widget module that registers its namespaces
 * while a load is under way (a lazily loaded widget) needs its own files too.
 */
async function loadUntilComplete(locale: string): Promise<void> {
  let missing = '';
  // Stops when a round loads nothing new (a file that adds no bundle), rather than asking again forever.
  while (!isLanguageLoaded(locale) && missing !== (missing = missingNamespaces(languageOf(locale)).join())) await loadLanguage(locale);
}

/** Remembered translations per language: a form renders the same few dozen strings on every update. */
const remembered = new Map<string, { generation: number; texts: Map<string, string> }>();
const REMEMBERED_MAX = 2_000;

/** The cache key of a call whose result depends only on its key and plain option values, else null. */
function callKey(key: unknown, options: unknown): string | null {
  if (typeof key !== 'string') return null;
  if (options === undefined) return key;
  if (typeof options !== 'object' || options === null) return null;
  let text = key;
  for (const [name, value] of Object.entries(options)) {
    if (name === 'returnObjects' || (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean' && value !== undefined && value !== null)) return null;
    text += `\u0000${name}\u0000${String(value)}`;
  }
  return text;
}

/** Marks text that needs i18next's work: interpolation, nesting, or isolates for a post-processor. */
const NEEDS_I18NEXT = /\{\{|\$t\(|[\u2066\u2068]/;

/**
 * The text of a call without options whose string is plain (no interpolation, nesting or bidi
 * isolates), looked up in the language and then in English as i18next falls back; undefined when
 * i18next must do it (missing, empty, plural, nested or interpolated). i18next's post-processors
 * leave such a string as it is.
 */
function plainText(language: string, key: string): string | undefined {
  const dot = key.indexOf('.');
  if (dot <= 0) return undefined;
  const namespace = key.slice(0, dot);
  const path = key.slice(dot + 1);
  for (const lng of language === 'en' ? ['en'] : [language, 'en']) {
    const value: unknown = i18n.getResource(lng, namespace, path);
    if (value === undefined || value === null) continue;
    return typeof value === 'string' && value !== '' && !NEEDS_I18NEXT.test(value) ? value : undefined;
  }
  return undefined;
}

/**
 * i18next's `t` resolves, interpolates and post-processes every call (tens of microseconds each,
 * and a check-in form makes a hundred calls per render); the same key with the same plain options
 * always gives the same text until strings are added, so those are remembered per language.
 */
function rememberingTranslator(language: string): TFunction {
  const fixed = i18n.getFixedT(language);
  const call = fixed as unknown as (...args: unknown[]) => unknown;
  const translate = (key: unknown, options?: unknown, ...rest: unknown[]): unknown => {
    const id = rest.length === 0 ? callKey(key, options) : null;
    if (id === null) return call(key, options, ...rest);
    let entry = remembered.get(language);
    if (!entry || entry.generation !== generation || entry.texts.size >= REMEMBERED_MAX) {
      entry = { generation, texts: new Map() };
      remembered.set(language, entry);
    }
    const known = entry.texts.get(id);
    if (known !== undefined) return known;
    const text = (options === undefined ? plainText(language, id) : undefined) ?? call(key, options);
    if (typeof text === 'string') entry.texts.set(id, text);
    return text;
  };
  return translate as unknown as TFunction;
}

/** A translator fixed to one language, falling back to English for anything missing. */
export function translatorFor(locale: string): TFunction {
  const language = languageOf(locale);
  return rememberingTranslator(isLanguageLoaded(language) ? language : 'en');
}

/**
 * Keeps a widget's strings in its current locale, re-rendering once a lazily loaded language
 * arrives: at once, or later when a file that failed to load comes on a retry (English meanwhile).
 */
export class LocaleController implements ReactiveController {
  private locale = '';
  /** The language `t` translates to: English while `locale`'s strings are not all loaded. */
  private showing = 'en';
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

  hostConnected(): void {
    stringsAddedListeners.add(this.stringsAdded);
    // Strings that arrived while the widget was out of the page.
    this.stringsAdded();
  }

  hostDisconnected(): void {
    stringsAddedListeners.delete(this.stringsAdded);
  }

  hostUpdate(): void {
    const locale = this.currentLocale();
    if (locale === this.locale) return;
    this.locale = locale;
    this.useTranslator();
    if (!isLanguageLoaded(locale)) {
      loadUntilComplete(locale).catch(() => {
        // Not loaded (offline, a server error): English, the fallback, until a retry brings the file.
      });
    }
  }

  private useTranslator(): void {
    this.showing = isLanguageLoaded(this.locale) ? languageOf(this.locale) : 'en';
    this.t = translatorFor(this.locale);
  }

  private readonly stringsAdded = (): void => {
    if (this.locale === '' || this.showing === languageOf(this.locale) || !isLanguageLoaded(this.locale)) return;
    this.useTranslator();
    this.host.requestUpdate();
  };
}

/** The languages a clinic offers (`clinic.settings`). */
export interface ClinicLanguages {
  languages: string[];
  defaultLocale: string;
}

/**
 * The locale the widgets use for a reader of a clinic: the one asked for when the clinic offers its
 * language, else the clinic's default language (one it offers), else its first, else English.
 */
export function clinicLocale(requested: string, clinic: ClinicLanguages | null): string {
  if (!clinic || clinic.languages.length === 0) return requested;
  if (clinic.languages.includes(languageOf(requested))) return requested;
  if (clinic.languages.includes(clinic.defaultLocale)) return clinic.defaultLocale;
  return clinic.languages[0] ?? 'en';
}
