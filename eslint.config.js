// Flat config. Import boundaries follow docs: contract <- runner, contract <- db, contract <- app -> db;
// lib/ (Node-only helpers) sits beside contract at the bottom and imports only Node built-ins.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (patterns, paths = []) => ({
  'no-restricted-imports': ['error', { patterns, paths }],
});

// One sha256 helper on the Node side: lib/sha256.ts (contract/ has its own on Web Crypto).
const ONE_SHA256 = ['node:crypto', 'crypto'].map((name) => ({ name, importNames: ['createHash'], message: 'hash with sha256HexSync from lib/sha256.ts.' }));

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'tmp/**', '.next/**', '.data/**', 'runs/**', 'test-results/**', 'next-env.d.ts', 'db/migrations/**'],
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
    files: ['lib/**/*.ts'],
    rules: restrict([{ regex: '^(?!node:|\\./).*', message: 'lib/ imports only Node built-ins (node:...) and its own files.' }]),
  },
  {
    files: ['runner/**/*.ts'],
    rules: restrict([
      { group: ['**/app/**', '**/db/**', 'next', 'next/**', 'react', 'drizzle-orm', 'drizzle-orm/**'], message: 'runner/ never imports the site (app/, db/).' },
    ], ONE_SHA256),
  },
  // Inside runner/: commands -> run/submit -> protocols/backbones/datasets/measure -> train -> lib.
  {
    files: ['runner/train/**/*.ts', 'runner/kernels/**/*.ts', 'runner/measure/**/*.ts'],
    rules: restrict([
      { group: ['**/app/**', '**/db/**'], message: 'runner/ never imports the site (app/, db/).' },
      { group: ['**/commands/**', '**/run/**', '**/submit/**', '**/protocols/**', '**/backbones/**'], message: 'train/, kernels/ and measure/ are TensorFlow.js maths: they import only lib/, datasets/ types and each other.' },
    ], ONE_SHA256),
  },
  {
    files: ['runner/lib/**/*.ts'],
    rules: restrict([
      { group: ['**/app/**', '**/db/**'], message: 'runner/ never imports the site (app/, db/).' },
      { regex: '^\\.\\./(?!\\.\\./)', message: 'runner/lib/ is the bottom of the runner: it imports only contract/ and itself.' },
    ], ONE_SHA256),
  },
  {
    files: ['runner/run/**/*.ts', 'runner/submit/**/*.ts', 'runner/protocols/**/*.ts', 'runner/backbones/**/*.ts', 'runner/datasets/**/*.ts'],
    rules: restrict([
      { group: ['**/app/**', '**/db/**'], message: 'runner/ never imports the site (app/, db/).' },
      { group: ['**/commands/**'], message: 'Only runner/cli.ts imports runner/commands/.' },
    ], ONE_SHA256),
  },
  {
    files: ['seed/**/*.ts', 'scripts/**/*.ts'],
    rules: restrict([{ group: ['**/app/**', '**/test/**'], message: 'seed/ and scripts/ never import the site pages or the tests.' }], ONE_SHA256),
  },
  {
    files: ['bench/**/*.ts'],
    rules: restrict([{ group: ['**/test/**'], message: 'bench/ never imports test/: shared factories live in fixtures/.' }], ONE_SHA256),
  },
  {
    files: ['fixtures/**/*.ts'],
    rules: restrict(
      [{ group: ['**/app/**', '**/db/**', '**/runner/**', '**/test/**', '**/bench/**', '@tensorflow/**'], message: 'fixtures/ (shared by test/ and bench/) imports only contract/, lib/ and packages.' }],
      ONE_SHA256,
    ),
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
  // Components and view builders take their shapes from contract/ (contract/api.ts); only
  // app/_server/ and route handlers talk to db/.
  {
    files: ['app/_components/**/*.ts', 'app/_components/**/*.tsx', 'app/_lib/**/*.ts', 'app/_lib/**/*.tsx'],
    rules: restrict([
      { group: ['**/runner/**', '@tensorflow/**'], message: 'The site never imports the runner or tfjs.' },
      { group: ['**/db/**', 'drizzle-orm', 'drizzle-orm/**'], message: 'app/_components and app/_lib import shapes from contract/ (contract/api.ts), never from db/.' },
    ]),
  },
);
