import { dirname, posix } from 'node:path';
import type { Plugin } from 'vite';

/**
 * An entry that imports a chunk which imports the core makes the browser wait for one chunk before
 * it even learns of the next. Rollup's `hoistTransitiveImports` lists every chunk an entry needs in
 * the entry itself, so they all download at once; Rolldown does not (yet), so this does it. Imports
 * added before the entry's own keep the order in which modules run.
 */
export function hoistTransitiveImports(): Plugin {
  return {
    name: 'care-hoist-transitive-imports',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.isEntry) continue;
        const needed = new Set<string>();
        const visit = (fileName: string) => {
          const imported = bundle[fileName];
          if (imported?.type !== 'chunk') return;
          for (const next of imported.imports) {
            if (needed.has(next)) continue;
            needed.add(next);
            visit(next);
          }
        };
        visit(chunk.fileName);
        const missing = [...needed].filter((fileName) => !chunk.imports.includes(fileName));
        if (missing.length === 0) continue;
        const from = dirname(chunk.fileName);
        const statements = missing.map((fileName) => {
          const path = posix.relative(from === '.' ? '' : from, fileName);
          return `import"${path.startsWith('.') ? path : `./${path}`}";`;
        });
        // Same first line: the source map's lines stay right.
        chunk.code = statements.join('') + chunk.code;
      }
    },
  };
}
