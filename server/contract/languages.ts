/**
 * The languages the widgets are translated into (one folder each under locales/; locales/languages.json
 * records each one's review status and instrument provenance). English is the source and fallback.
 */
export const LANGUAGES = ['en', 'es', 'fr', 'ar', 'zh-Hans', 'zh-Hant', 'vi', 'ko', 'tl', 'ru', 'pt-BR', 'ht'] as const;
export type Language = (typeof LANGUAGES)[number];
