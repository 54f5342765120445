// @ts-check
import js from '@eslint/js';
import vitest from '@vitest/eslint-plugin';
import tseslint from 'typescript-eslint';

/** Packages the deployed code loads through one module of its own, and why. */
const LOADED_THROUGH = [
  {
    name: 'zod',
    message: 'deployed code uses zod/mini through shared/zod.ts: `import { z } from "zod"` bundles all of zod and its locales.',
  },
  { name: 'zod/mini', message: 'import zod through shared/zod.ts, which sets its English messages.' },
  {
    name: '@aws-lambda-powertools/parameters/secrets',
    allowTypeImports: true,
    message: 'read secrets through shared/secrets.ts, which loads the Secrets Manager client on first use.',
  },
];

/** no-restricted-imports options for functions/ and shared/. */
const deployedImports = (paths) => ({
  paths,
  patterns: [
    {
      regex: '(^|/)(local|test|bench)/',
      message: 'functions/ and shared/ are deployed code: they must not import local/, test/ or bench/.',
    },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'coverage/', 'test/e2e/screenshots/', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // The deployed code stands alone: nothing in functions/ or shared/ may reach for the local
    // stack, the tests or the benchmarks (infra/ bundles exactly these two folders).
    files: ['functions/**/*.ts', 'shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', deployedImports(LOADED_THROUGH)] },
  },
  {
    // The two modules that load those packages for the rest of the deployed code.
    files: ['shared/zod.ts', 'shared/secrets.ts'],
    rules: { 'no-restricted-imports': ['error', deployedImports([])] },
  },
  {
    // Scripts served to browsers (GET /docs): the page's globals, Swagger UI's among them.
    files: ['functions/*/static/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { window: 'readonly', document: 'readonly', MutationObserver: 'readonly', SwaggerUIBundle: 'readonly' },
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    plugins: { vitest },
    rules: {
      ...vitest.configs.recommended.rules,
      // A focused or skipped test proves nothing: both are errors, never warnings.
      'vitest/no-focused-tests': 'error',
      'vitest/no-disabled-tests': 'error',
      'vitest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*', 'assert*'] }],
    },
  },
);
