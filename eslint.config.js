// Lint the whole repository in one run (`npm run lint`, part of `npm test`).
// Type-aware rules (recommendedTypeChecked) are the point: the conventions ask for "no floating promises
// (lint it)", and only a linter that runs the TypeScript checker can see that a call returns a promise.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      '**/.vitest-tmp/**',
      '**/__actual__/**',
      '.scratch/**',
      'data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        // Not `projectService`: it asks each file's nearest tsconfig.json, and every package's tsconfig.json
        // leaves its tests out (they are not built). tsconfig.tests.json holds the tests, the testing
        // helpers and tests/ (and, through their imports, most sources); the package configs hold the rest.
        project: ['./tsconfig.tests.json', './*/tsconfig.json', './console/web/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // The conventions: "Type-only imports as such" (verbatimModuleSyntax enforces it in built code only).
      '@typescript-eslint/consistent-type-imports': 'error',
      // A leading underscore marks a value left unused on purpose (a destructured-away field, a callback
      // argument a signature requires).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Off: an `async` function without `await` is how this code implements a promise-returning contract
      // (fastify plugins and routes, FrameSource.close(), a transport's start/stop), so that a throw becomes
      // a rejection; the rule flagged 30 of them and no bug.
      '@typescript-eslint/require-await': 'off',
      // Off: every hit (10) was String(x) on a narrowed `unknown` (a database cell, an ajv error param, a
      // caught error), where the default stringification is the intended fallback.
      // restrict-template-expressions still catches an object put into a template string.
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    // The operators' web app runs in the browser (console/web/tsconfig.json: DOM types, Preact's JSX).
    files: ['console/web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
  },
  {
    // Tests read JSON bodies and captured messages (`res.json()`, JSON.parse) as `any` and let expect()
    // check their shape; typing each one would add casts, not safety (the no-unsafe-* rules flagged 144
    // such reads in tests, none in a wrong place). Built code keeps them.
    files: ['**/*.test.ts', '**/*.test-suite.ts', '**/*.suite.ts', 'tests/**/*.ts', '**/src/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JavaScript (bin launchers, scripts, eslint.config.js): no type information to lint with.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
