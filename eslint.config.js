// @ts-check
import js from '@eslint/js';
import litPlugin from 'eslint-plugin-lit';
import litA11y from 'eslint-plugin-lit-a11y';
import wcPlugin from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * `npm run lint` (part of `npm test`): zero warnings. Type-checked TypeScript rules everywhere, and
 * the Lit, web-component and Lit accessibility rules for the widgets and their stories.
 */
export default tseslint.config(
  { ignores: ['dist/**', 'storybook-static/**', 'node_modules/**', 'custom-elements.json', 'demo/react/**', 'demo/vue/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['.storybook/*.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's test()/describe() return promises the runner itself awaits.
          allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }],
        },
      ],
      // Lit binds every `@event=${this.method}` listener to the element, and Kysely's expression
      // builder is destructured by design (`({ eb, selectFrom }) => …`): both are what this rule flags.
      '@typescript-eslint/unbound-method': 'off',
      // A widget's @lit/task throws a Failure (core/failure.ts), the kind its error state renders.
      '@typescript-eslint/only-throw-error': ['error', { allow: [{ from: 'file', name: 'Failure', path: 'components/core/failure.ts' }] }],
      // A leading underscore marks a parameter a signature needs but the body does not (express's error handler's `_next`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['components/**/*.ts', 'stories/**/*.ts'],
    ...litPlugin.configs['flat/recommended'],
  },
  {
    files: ['components/**/*.ts', 'stories/**/*.ts'],
    ...wcPlugin.configs['flat/recommended'],
  },
  {
    files: ['components/**/*.ts', 'stories/**/*.ts'],
    ...litA11y.configs.recommended,
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // @open-wc/testing's chai types every assertion as a thenable (expect(x).to.equal(y) is
    // flagged) although only the async ones (to.be.accessible()) are; tsc checks those awaits.
    files: ['test/components/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
  {
    // open-wc's oneEvent() and fixtures hand back `any` details, and tests read JSON.parse()d
    // answers and tokens field by field; the assertions are the type check there.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // A migration sees the schema of its own day, not today's Database type: Kysely<any>, as Kysely documents.
    files: ['server/db/migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // chai's property assertions: expect(x).to.exist
    files: ['test/components/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    // Test doubles (token providers, migration providers, fake buses) keep the async signature of what they stand in for.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  { files: ['test/fixtures/**/*.js', 'test/components/setup/*.js'], languageOptions: { globals: globals.browser } },
  { files: ['demo/**/*.js'], languageOptions: { globals: globals.browser } },
  { files: ['scripts/**/*.mjs', '*.mjs', '*.js', 'test/fixtures/**/*.mjs', 'test/*.mjs'], languageOptions: { globals: globals.node } },
);
