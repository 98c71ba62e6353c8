// ESLint for the whole repository: typescript-eslint's type-checked rules, plus the import
// boundaries that each package README states under "Must never import". `npm run lint`;
// part of `npm test`. Formatting is Prettier's job (`npm run format:check`): no style rules here.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const packages = [
  'errors',
  'protocol',
  'models',
  'emulator',
  'core',
  'knowledge',
  'server',
  'web',
  'cli',
];

/** A relative import that climbs out of its package into another one's `src/`. */
const deepImportOfAnotherPackage = {
  regex: `^(\\.\\./)+(packages/)?(${packages.join('|')})/src(/|$)`,
  message:
    "Import another package by its name (its package.json exports), never through '../<package>/src'.",
};

/** `no-restricted-imports` for a package: these package names, plus deep imports. */
function mustNeverImport(names, reason, extraPatterns = []) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: names.map((name) => ({ name, message: reason })),
        patterns: [
          ...names.map((name) => ({ group: [`${name}/*`], message: reason })),
          deepImportOfAnotherPackage,
          ...extraPatterns,
        ],
      },
    ],
  };
}

const nodeBuiltins = [...new Set(builtinModules.map((name) => name.replace(/^node:/, '')))];

export default defineConfig(
  {
    ignores: [
      '**/node_modules/**',
      'packages/web/dist/**',
      'test-artifacts/**',
      'bench/results/**',
      '**/*.js',
      '**/*.mjs',
      'packages/web/vite.config.ts',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Off: an async function without await is how this code base implements a Promise-returning
      // interface (stores, callers); the rule flags every one of them and finds no bugs.
      '@typescript-eslint/require-await': 'off',
      // Off: every one of its 12 findings was String(value) of an unknown SQL column or JSON field,
      // on purpose; TypeScript already refuses objects where a string is expected.
      '@typescript-eslint/no-base-to-string': 'off',
      // Off: `StopReason | string` documents the known values of an open set on purpose.
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      // Rejecting with `signal.reason` (typed any by the DOM) is the standard abort pattern.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true }],
      // A leading underscore marks a binding kept on purpose (a rest-destructured field left out).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Rethrowing what a catch caught (unknown) is fine; throwing a string literal is not.
      '@typescript-eslint/only-throw-error': [
        'error',
        { allowThrowingUnknown: true, allowThrowingAny: true },
      ],
      // A `let` assigned once after a closure that reads it (a server's handler) cannot be const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports' }],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/no-deprecated': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      eqeqeq: ['error', 'smart'],
      // Not on: no-unnecessary-condition (93 findings, many on purpose-written defensive checks of
      // data from outside), left for another day.
      'no-restricted-imports': ['error', { patterns: [deepImportOfAnotherPackage] }],
    },
  },
  {
    // Tests and benchmarks read JSON bodies and SDK fixtures as `any` on purpose; `expect(object.method)` is fine.
    files: [
      '**/*.test.ts',
      '**/*.test.tsx',
      '**/*.test-d.ts',
      '**/e2e/**',
      '**/test-support/**',
      'bench/**',
    ],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },

  // Import boundaries: each package README's "Must never import".
  {
    files: ['packages/errors/src/**'],
    ignores: ['**/*.test.ts'],
    rules: mustNeverImport([], '', [
      { regex: '^[^.]', message: '@keel/errors imports nothing (packages/errors/README.md).' },
    ]),
  },
  {
    files: ['packages/protocol/src/**'],
    ignores: ['**/*.test.ts'],
    rules: mustNeverImport(
      [...packages.map((name) => `@keel/${name}`), 'react', 'react-dom', ...nodeBuiltins],
      '@keel/protocol must never import another @keel package, Node built-ins or React (packages/protocol/README.md).',
      [{ regex: '^node:', message: '@keel/protocol runs in the browser too: no Node built-ins.' }],
    ),
  },
  {
    files: ['packages/models/src/**'],
    rules: mustNeverImport(
      ['emulator', 'core', 'knowledge', 'server', 'web', 'cli'].map((name) => `@keel/${name}`),
      '@keel/models is data under everything else; it depends only on @keel/errors.',
    ),
  },
  {
    files: ['packages/emulator/src/**'],
    rules: mustNeverImport(
      ['core', 'knowledge', 'server', 'web', 'cli'].map((name) => `@keel/${name}`),
      'The emulator depends only on @keel/models, @keel/errors, zod and yaml (packages/emulator/README.md).',
    ),
  },
  {
    files: ['packages/core/src/**'],
    rules: mustNeverImport(
      ['@keel/server', '@keel/web', '@keel/cli', 'hono', '@hono/node-server', 'express', 'fastify'],
      'Core knows nothing of HTTP frameworks, the server, web UI or CLI: they depend on core (packages/core/README.md).',
    ),
  },
  {
    files: ['packages/core/src/**'],
    ignores: ['**/*.test.ts', '**/*.test-d.ts'],
    rules: mustNeverImport(
      [
        '@keel/server',
        '@keel/web',
        '@keel/cli',
        '@keel/emulator',
        'hono',
        '@hono/node-server',
        'express',
        'fastify',
      ],
      'Core knows nothing of HTTP frameworks, the server, web UI or CLI, and uses @keel/emulator only in tests (packages/core/README.md).',
    ),
  },
  {
    files: ['packages/knowledge/src/**'],
    rules: mustNeverImport(
      ['@keel/core', '@keel/server', '@keel/web', '@keel/cli'],
      '@keel/knowledge must never import @keel/core, the CLI or the server (packages/knowledge/README.md).',
    ),
  },
  {
    files: ['packages/server/src/**'],
    rules: mustNeverImport(
      ['@keel/web', '@keel/cli'],
      'The server never imports the web UI (packages/server/README.md).',
    ),
  },
  {
    files: [
      'packages/web/src/ui/**',
      'packages/web/src/chat/**',
      'packages/web/src/markdown/**',
      'packages/web/src/api/**',
      'packages/web/src/main.tsx',
    ],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    rules: mustNeverImport(
      [
        '@keel/server',
        '@keel/core',
        '@keel/knowledge',
        '@keel/emulator',
        '@keel/cli',
        ...nodeBuiltins,
      ],
      'Browser code talks only to the server over HTTP: no server, core or Node-only modules (packages/web/README.md).',
      [
        {
          regex: '^node:',
          message: 'Browser code cannot use Node built-ins (packages/web/README.md).',
        },
      ],
    ),
  },
);
