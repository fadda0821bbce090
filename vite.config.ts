import { defineConfig } from 'vite';
import { hoistTransitiveImports } from './scripts/hoist-transitive-imports.js';
import { slimLanguagesFile } from './scripts/slim-languages-file.js';

/**
 * What every widget shares goes into one `core` chunk, so a page loads its widget's entry, the core
 * and the widget's own chunk in one round of requests instead of a waterfall of small shared chunks.
 * Code a widget needs only later (validation, live updates, other languages) stays in lazy chunks.
 */
const CORE = [
  /\/components\/core\/(?!live-connection|sse-link|locale-files)[^/]+$/,
  /\/node_modules\/(lit|lit-html|lit-element|@lit\/[^/]+|@lit-labs\/ssr-dom-shim|i18next|idb-keyval|@trpc\/client|@trpc\/server)\//,
  /\/server\/contract\/(templates|hotlines|time-zone)\.ts$/,
  // The English texts of the forms, scales, check-in and on-call hours are shared by the client
  // widgets and the staff ones: as chunks of their own they were four more requests before a
  // check-in rendered (the eager client page stays 49 kB brotli; the core grows 4 kB).
  /\/components\/crisis\/on-call-text\.ts$/,
  /\/locales\/en\/(common|crisis|errors|severity|units|onCall|scales|templates|checkIn)\.json$/,
];

/** Library build: ES modules served at /widgets/ and published to npm. Dependencies are bundled so a script tag is enough. */
export default defineConfig({
  plugins: [hoistTransitiveImports(), slimLanguagesFile()],
  build: {
    outDir: 'dist/widgets',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    minify: true,
    // dist/widgets/.vite/manifest.json (a dot folder: not served): which chunks each entry imports,
    // read by scripts/preload-demo-pages.mjs to write the demo pages' <link rel="modulepreload">.
    manifest: true,
    lib: {
      entry: {
        'care-widgets': 'components/index.ts',
        provider: 'components/core/index.ts',
        'check-in': 'components/check-in/index.ts',
        crisis: 'components/crisis/index.ts',
        'crisis-button': 'components/crisis/care-crisis-button.ts',
        'safety-plan': 'components/crisis/care-safety-plan.ts',
        progress: 'components/progress/index.ts',
        'support-room': 'components/support-room/index.ts',
        clinician: 'components/clinician/index.ts',
        alerts: 'components/clinician/care-alerts.ts',
        roster: 'components/clinician/care-roster.ts',
        outcomes: 'components/clinician/care-outcomes.ts',
        'client-record': 'components/clinician/care-client-record.ts',
        admin: 'components/admin/care-admin.ts',
        autoloader: 'components/autoloader.ts',
        'smart-launch': 'components/smart-launch/index.ts',
      },
      formats: ['es'],
    },
    rolldownOptions: {
      // Building a zod schema has no side effect: a contract module imported for one constant does not bring zod along.
      // tRPC's client entry re-exports its WebSocket client, whose module defines a static on a class
      // at top level (a side effect to the bundler), so 2.6 kB of WebSocket code stayed in the core
      // although the widgets never open a WebSocket: its modules are declared free of side effects.
      treeshake: { manualPureFunctions: ['z'], moduleSideEffects: (id: string) => !/\/node_modules\/@trpc\/(client|server)\/dist\//.test(id) },
      output: {
        // Vite keeps whitespace and module comments in ES library builds; the widgets ship as served files, so minify fully.
        minify: true,
        chunkFileNames: 'chunks/[name]-[hash].js',
        codeSplitting: { groups: [{ name: 'core', test: (id: string) => CORE.some((pattern) => pattern.test(id)) }] },
      },
    },
  },
});
