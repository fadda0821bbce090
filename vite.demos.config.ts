import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Builds the framework embedding demos: `vite build -c vite.demos.config.ts --mode react` (or
 * `--mode vue`) writes dist/demo-react (or dist/demo-vue), served in demo mode at /react/ (/vue/).
 * `care-widgets` resolves to the package's source entry, as `npm install care-widgets` resolves it
 * to the built bundle. Asset URLs are relative, so the page works under any path.
 */
export default defineConfig(({ mode }) => {
  if (mode !== 'react' && mode !== 'vue') throw new Error('use --mode react or --mode vue');
  return {
    root: fileURLToPath(new URL(`demo/${mode}`, import.meta.url)),
    base: './',
    publicDir: false,
    resolve: {
      alias: {
        'care-widgets': fileURLToPath(new URL('components/index.ts', import.meta.url)),
        ...(mode === 'vue' ? { vue: 'vue/dist/vue.runtime.esm-bundler.js' } : {}),
      },
    },
    define: {
      'process.env.NODE_ENV': JSON.stringify('production'),
      __VUE_OPTIONS_API__: 'false',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
    build: {
      outDir: fileURLToPath(new URL(`dist/demo-${mode}`, import.meta.url)),
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: true,
      // React/Vue plus every widget in one demo chunk; the widget bundles themselves are split.
      chunkSizeWarningLimit: 1024,
    },
  };
});
