export default {
  globs: ['components/**/*.ts'],
  exclude: ['**/*.test.ts', '**/*.stories.ts'],
  outdir: '.',
  litelement: true,
  packagejson: true,
  plugins: [
    {
      // CareElement.emit(name, detail) dispatches `new CustomEvent(name)`: the analyzer reads that as
      // an event called "name". The real events are declared with @event on each class.
      name: 'care-drop-emit-placeholder-event',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          for (const declaration of mod.declarations ?? []) {
            if (declaration.events) declaration.events = declaration.events.filter((event) => event.name !== 'name');
          }
        }
      },
    },
  ],
};
