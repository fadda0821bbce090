import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

/**
 * locales/languages.json is the one list of languages with their review notes and, per language,
 * where the PHQ-9/GAD-7/BAM wording comes from (long source notes for people). The widgets read only
 * each language's tag and its instruments' `published`/`unverified` marks
 * (server/contract/provenance.ts): the widget build loads just those, 0.5 kB instead of 6 kB in the
 * core chunk. The server and the tests read the whole file.
 */
export function slimLanguagesFile(): Plugin {
  return {
    name: 'care-slim-languages-file',
    // Loads the file in place of Vite's loader; Vite's JSON plugin then turns it into a module.
    enforce: 'pre',
    load: {
      filter: { id: /[\\/]locales[\\/]languages\.json$/ },
      handler(id) {
        const file = JSON.parse(readFileSync(id.replace(/\?.*$/, ''), 'utf8')) as { languages: { tag: string; instruments: { phq9: string; gad7: string; bam: string } }[] };
        const languages = file.languages.map(({ tag, instruments: { phq9, gad7, bam } }) => ({ tag, instruments: { phq9, gad7, bam } }));
        return { code: JSON.stringify({ languages }), map: null };
      },
    },
  };
}
