import { defineConfig } from 'vite';

/** Library build: ES modules served at /widgets/ and published to npm. Dependencies are bundled so a script tag is enough. */
export default defineConfig({
  build: {
    outDir: 'dist/widgets',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    minify: true,
    lib: {
      entry: {
        'care-widgets': 'components/index.ts',
        provider: 'components/core/index.ts',
        'check-in': 'components/check-in/index.ts',
        crisis: 'components/crisis/index.ts',
        progress: 'components/progress/index.ts',
        'support-room': 'components/support-room/index.ts',
        clinician: 'components/clinician/index.ts',
        autoloader: 'components/autoloader.ts',
      },
      formats: ['es'],
    },
    rollupOptions: {
      output: { chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});
