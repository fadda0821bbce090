import languagesFile from '../../locales/languages.json' with { type: 'json' };
import { LANGUAGES, type Language } from './languages.js';

/**
 * Where a validated instrument's wording comes from, per language (issue 18). The one list is
 * locales/languages.json (`instruments.phq9` / `gad7` / `bam` of each language): `published` when
 * the locale text is the official form word for word (test/server/instrument-wording.test.ts holds it
 * to the reference), `unverified` otherwise. English is the source and always published. The Brief
 * Addiction Monitor is published by the VA in English only (`bamSource`), so every other language's
 * BAM is unverified.
 *
 * An unverified translation is off unless the clinic turns it on (`clinics.unverified_translations`,
 * `care clinic set --unverified-translations phq9:ar`): the person then sees the published English
 * form with a note in their own language, and the check-in records the language actually shown.
 */
export const INSTRUMENTS = ['phq9', 'gad7', 'bam'] as const;
export type Instrument = (typeof INSTRUMENTS)[number];
export type Provenance = 'published' | 'unverified';

export const isInstrument = (templateId: string): templateId is Instrument => (INSTRUMENTS as readonly string[]).includes(templateId);
const isLanguage = (tag: string): tag is Language => (LANGUAGES as readonly string[]).includes(tag);

interface LanguageEntry {
  tag: string;
  instruments: Record<Instrument, string>;
}

function provenanceTable(): Record<Instrument, Record<Language, Provenance>> {
  const table = Object.fromEntries(INSTRUMENTS.map((i) => [i, {}])) as Record<Instrument, Record<Language, Provenance>>;
  for (const entry of (languagesFile as { languages: LanguageEntry[] }).languages) {
    if (!isLanguage(entry.tag)) continue;
    for (const instrument of INSTRUMENTS) {
      table[instrument][entry.tag] = entry.tag === 'en' || entry.instruments[instrument] === 'published' ? 'published' : 'unverified';
    }
  }
  return table;
}

/** Per instrument, each language's provenance (from locales/languages.json). */
export const INSTRUMENT_PROVENANCE: Readonly<Record<Instrument, Readonly<Record<Language, Provenance>>>> = provenanceTable();

/** The provenance of `instrument` shown in `language`; a language we do not ship is unverified. */
export function provenanceOf(instrument: Instrument, language: string): Provenance {
  return isLanguage(language) ? (INSTRUMENT_PROVENANCE[instrument][language] ?? 'unverified') : 'unverified';
}

/** How a clinic names one instrument × language it turns on: `phq9:ar`. */
export type TranslationKey = `${Instrument}:${Language}`;
export const translationKey = (instrument: Instrument, language: Language): TranslationKey => `${instrument}:${language}`;

/**
 * The language a person whose language is `language` is asked `instrument` in: their own when the
 * translation is published or the clinic turned it on (`allowed` holds `phq9:ar` keys), otherwise
 * the published English form.
 */
export function shownLanguageFor(instrument: Instrument, language: string, allowed: readonly string[]): Language {
  if (!isLanguage(language)) return 'en';
  if (provenanceOf(instrument, language) === 'published') return language;
  return allowed.includes(translationKey(instrument, language)) ? language : 'en';
}
