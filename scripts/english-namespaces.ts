import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const ENGLISH = fileURLToPath(new URL('../locales/en/translation.json', import.meta.url));
const IMPORT = /import\s*\{([^}]*)\}\s*from\s*(['"])((?:\.\.\/)+locales\/en\/translation\.json)\2;?/g;
const PREFIX = '\0care-english:';

/**
 * English ships with the code that shows it, but locales/en/translation.json is one module, and a
 * bundler puts one module in one chunk. This plugin turns `import { checkIn, scales } from
 * '…/locales/en/translation.json'` into one module per top-level namespace, so each widget's chunk
 * carries only its own strings and the core only the shared ones. Without the plugin (tests, the
 * dev server) the same import reads the whole file, which behaves the same.
 */
export function englishNamespaces(): Plugin {
  let english: Record<string, unknown> | undefined;
  return {
    name: 'care-english-namespaces',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/components\/.*\.ts$/.test(id) || !code.includes('locales/en/translation.json')) return null;
      const out = code.replace(IMPORT, (_all, names: string) =>
        names
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean)
          .map((name) => {
            const [imported, local = imported] = name.split(/\s+as\s+/) as [string, string?];
            return `import ${local} from '${PREFIX}${imported}';`;
          })
          .join('\n'),
      );
      return out === code ? null : { code: out, map: null };
    },
    resolveId(source) {
      return source.startsWith(PREFIX) ? source : null;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      this.addWatchFile(ENGLISH);
      english ??= JSON.parse(readFileSync(ENGLISH, 'utf8')) as Record<string, unknown>;
      const namespace = id.slice(PREFIX.length);
      if (!(namespace in english)) this.error(`locales/en/translation.json has no namespace "${namespace}"`);
      return `export default ${JSON.stringify(english[namespace])};`;
    },
  };
}
