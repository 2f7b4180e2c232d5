// Flat config. Import boundaries follow docs: contract <- runner, contract <- db, contract <- app -> db.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
});

export default tseslint.config(
  {
    ignores: ['node_modules/**', '.next/**', '.data/**', 'runs/**', 'test-results/**', 'next-env.d.ts', 'db/migrations/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', crypto: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['contract/**/*.ts'],
    rules: restrict([
      {
        regex: '^(?!zod$|zod/|\\./|\\.\\./(?!\\.\\./)).*',
        message: 'contract/ imports only zod and Web-standard APIs (and its own files).',
      },
      { group: ['../../**'], message: 'contract/ must not import outside contract/.' },
    ]),
  },
  {
    files: ['runner/**/*.ts'],
    rules: restrict([
      { group: ['**/app/**', '**/db/**', 'next', 'next/**', 'react', 'drizzle-orm', 'drizzle-orm/**'], message: 'runner/ never imports the site (app/, db/).' },
    ]),
  },
  {
    files: ['db/**/*.ts'],
    rules: restrict([
      { group: ['**/app/**', '**/runner/**', '@tensorflow/**'], message: 'db/ depends only on contract/.' },
    ]),
  },
  {
    files: ['app/**/*.ts', 'app/**/*.tsx'],
    rules: restrict([
      { group: ['**/runner/**', '@tensorflow/**'], message: 'The site never imports the runner or tfjs.' },
    ]),
  },
);
