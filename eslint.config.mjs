// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Library boundaries of docs/decisions/0001: each library is imported through its alias, never by path. */
const noReachingIntoLibraries = {
  patterns: [
    { group: ['**/libs/*/src/**', '**/apps/*/src/**'], message: 'Import a library through its @positions/* alias, never by path.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results/**', '**/*.js', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/ban-ts-comment': 'error',
    },
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.contract.ts'],
    rules: { 'no-restricted-imports': ['error', noReachingIntoLibraries] },
  },
  {
    // The domain is pure: nothing outside itself, no framework, no I/O. One exception: `edtf`, a
    // pure parser of EDTF dates (docs/decisions/0017-dates-as-the-sources-give-them.md).
    files: ['libs/domain/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\./|edtf$)', message: 'libs/domain imports nothing outside itself (but the edtf parser).' }] }],
    },
  },
  {
    // Only the SQLite adapter and the projections' SQLite code touch better-sqlite3.
    files: ['apps/**/*.ts', 'libs/application/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'better-sqlite3', message: 'Only libs/event-store/src/sqlite and libs/projections use better-sqlite3.' }], ...noReachingIntoLibraries }],
    },
  },
  {
    files: ['test/**/*.ts', '**/*.spec.ts', '**/*.contract.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
