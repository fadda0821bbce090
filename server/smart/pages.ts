import { readFileSync } from 'node:fs';
import i18next, { type TFunction } from 'i18next';

/**
 * The launch pages' words: locales/<language>/smart.json through i18next (the namespace `smart`), the
 * language from `?lang=` or Accept-Language. The pages are rendered here; the page script
 * (components/smart-launch) gets the words it shows as JSON in the page, so nothing it shows is
 * hard-coded either.
 */
export const PAGE_LANGUAGES = ['en', 'es', 'fr', 'ar', 'zh-Hans'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

type Strings = Record<string, unknown>;
const bundles = new Map<PageLanguage, Strings>();
function bundle(language: PageLanguage): Strings {
  let strings = bundles.get(language);
  if (!strings) {
    strings = JSON.parse(readFileSync(new URL(`../../locales/${language}/smart.json`, import.meta.url), 'utf8')) as Strings;
    bundles.set(language, strings);
  }
  return strings;
}

const translators = new Map<PageLanguage, TFunction>();
export function translatorFor(language: PageLanguage): TFunction {
  let t = translators.get(language);
  if (!t) {
    const instance = i18next.createInstance();
    void instance.init({
      initAsync: false,
      lng: language,
      fallbackLng: 'en',
      ns: ['smart'],
      defaultNS: 'smart',
      // The pages escape every value themselves (escapeHtml below).
      interpolation: { escapeValue: false },
      resources: Object.fromEntries(PAGE_LANGUAGES.map((l) => [l, { smart: bundle(l) }])),
    });
    t = instance.t.bind(instance);
    translators.set(language, t);
  }
  return t;
}

/** The words the page script shows, in `language` (English for any key the language lacks). */
export function pageStrings(language: PageLanguage): Strings {
  const merge = (base: Strings, over: Strings): Strings =>
    Object.fromEntries(
      Object.entries(base).map(([k, v]) => [k, typeof v === 'object' && v !== null ? merge(v as Strings, (over[k] ?? {}) as Strings) : (over[k] ?? v)]),
    );
  return merge(bundle('en'), bundle(language));
}

/** `?lang=` first, then the Accept-Language list in order; English otherwise. */
export function negotiateLanguage(explicit: unknown, acceptLanguage: string | undefined): PageLanguage {
  const candidates = [typeof explicit === 'string' ? explicit : '', ...(acceptLanguage ?? '').split(',').map((part) => part.split(';')[0]!.trim())];
  for (const candidate of candidates) {
    const tag = candidate.toLowerCase();
    if (!tag) continue;
    if (/^zh(-hans|-cn|-sg)?(-|$)/.test(tag) || tag === 'zh') return 'zh-Hans';
    const primary = tag.split('-')[0];
    const match = PAGE_LANGUAGES.find((l) => l === primary);
    if (match) return match;
  }
  return 'en';
}

export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** JSON inside a <script type="application/json">: `<` escaped so no text can close the element. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

function page(language: PageLanguage, title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="${language}" dir="${language === 'ar' ? 'rtl' : 'ltr'}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>${escapeHtml(title)}</title>
    <link rel="stylesheet" href="/smart/launch.css" />
${head}  </head>
  <body>
${body}
  </body>
</html>
`;
}

/** A page that says what went wrong and what to do; `lines` are already translated. */
export function errorPage(language: PageLanguage, reason: string, problem: string, help: string[]): string {
  const t = translatorFor(language);
  return page(
    language,
    t('errorHeading'),
    `    <main class="smart-page" data-reason="${escapeHtml(reason)}">
      <h1>${escapeHtml(t('errorHeading'))}</h1>
      <p role="alert">${escapeHtml(problem)}</p>
      <h2>${escapeHtml(t('whatToDo'))}</h2>
${help.map((line) => `      <p>${escapeHtml(line)}</p>`).join('\n')}
    </main>`,
  );
}

export interface LaunchPageConfig {
  mode: 'launch' | 'ready';
  language: PageLanguage;
  /** The clinician launch (server/smart/practitioner-routes.ts): the page opens a client record instead of the patient widgets. */
  flow?: 'clinician';
  /** For mode launch: what fhirclient's authorize() is given (`state`: its stateKey, bound to this EHR by launch-binding.ts). */
  authorize?: { state: string; iss: string; launch?: string; clientId: string; scope: string; redirectUri: string };
}

/**
 * The launch and redirect pages: SMART's own client (fhirclient's browser build, served at
 * /smart/fhir-client.js) and our page script (/widgets/smart-launch.js), which reads the JSON config.
 */
export function launchPage(config: LaunchPageConfig): string {
  const t = translatorFor(config.language);
  const data = { ...config, strings: pageStrings(config.language) };
  return page(
    config.language,
    t('title'),
    `    <main class="smart-page" id="smart-launch" aria-busy="true">
      <h1>${escapeHtml(t('title'))}</h1>
      <p id="smart-status" role="status">${escapeHtml(t(config.mode === 'launch' ? 'launching' : 'signingIn'))}</p>
    </main>
    <script type="application/json" id="care-smart-config">${scriptJson(data)}</script>`,
    `    <script src="/smart/fhir-client.js"></script>
    <script type="module" src="/widgets/smart-launch.js"></script>
`,
  );
}

export const LAUNCH_CSS = `body { font-family: system-ui, sans-serif; margin: 0; color: CanvasText; background: Canvas; line-height: 1.5; }
.smart-page { max-width: 48rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
.smart-page h1 { font-size: 1.5rem; }
.smart-page [role="alert"] { font-weight: 600; }
.smart-widgets { display: grid; gap: 1.5rem; }
`;
