import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'e2e/artifacts/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Type information for every TypeScript file, from the tsconfig.json nearest to it (the root
    // one, or web/tsconfig.json for the storefront): the promise rules below cannot work without it.
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // A promise nobody awaits loses its rejection (an unhandled rejection ends the process) and
      // its ordering; one passed where a void callback is expected (an event listener, forEach,
      // setInterval) is not awaited either. Fire-and-forget is written `void promise` with a reason.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  // The storefront's single-file components: Vue's recommended rules, TypeScript in <script>.
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['web/**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
    rules: {
      // TypeScript (vue-tsc) checks names; the browser's globals are not ESLint's to know.
      'no-undef': 'off',
      // Prettier formats the templates.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
    },
  },
  {
    // Route components are never written as elements, so their names cannot clash with HTML's.
    files: ['web/src/pages/**/*.vue'],
    rules: { 'vue/multi-word-component-names': 'off' },
  },
  {
    // The core boundary: the apps and scripts use core's services and types (its index), never
    // its repositories or files; only tests and benchmarks may reach repositories, through
    // '@lapak/core/testing'.
    files: [
      'api/**/*.ts',
      'worker/**/*.ts',
      'scripts/**/*.ts',
      'web/**/*.ts',
      'web/**/*.vue',
      'directus/**/*.ts',
      'n8n-workflows/**/*.ts',
      'appsmith/**/*.ts',
      'monitoring/**/*.ts',
      'deploy/**/*.ts',
    ],
    ignores: ['**/*.test.ts', '**/*.spec.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@lapak/core/testing', '@lapak/core/src/*', '**/packages/core/src/*'],
              message:
                'Use the services and types @lapak/core exports; repositories are for core itself and for tests (@lapak/core/testing).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.spec.ts', '**/testing/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['scripts/**', 'bench/**', 'n8n-workflows/**', 'directus/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // No tsconfig here compiles JavaScript (none sets allowJs), so plain .js files (this one, the
    // JavaScript of n8n Code nodes) have no type information: the rules that need it are off there.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // JavaScript that runs inside n8n: the Code nodes' files beside each flow, the modules flows
    // share (n8n-workflows/shared, catalog-sync, automation) and the Standard Webhooks module they
    // share with the worker. n8n runs them as CommonJS with `require` (of Node's built-ins only:
    // `pnpm n8n:build` inlines the relative requires) and Buffer.
    files: ['n8n-workflows/*/*.js', 'n8n-workflows/*/*.cjs', 'worker/src/sync/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'readonly', Buffer: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // A Code node's file is the body of a function n8n calls (hence a top-level `return`, which
    // CommonJS allows) with n8n's globals: its input items, the environment, other nodes' output,
    // the workflow's static data.
    files: ['n8n-workflows/*/*.js'],
    languageOptions: {
      globals: { $input: 'readonly', $env: 'readonly', $: 'readonly', $getWorkflowStaticData: 'readonly' },
    },
  },
);
