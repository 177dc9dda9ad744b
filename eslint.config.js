// Lint: typescript-eslint's recommended rules over the whole project (fast, syntax-based), plus the
// rules that keep the pure core pure. `npm run lint` runs it; `npm test` runs it first.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'renderer/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      // Unused names are allowed when they say so (`_rest`) or are caught errors we deliberately ignore.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-undef': 'off', // TypeScript checks names, with the right globals per folder
      // Sanitisers and parsers match control characters on purpose (stripping them is a security feature).
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      'max-len': [
        'error',
        { code: 180, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true, ignoreComments: false },
      ],
    },
  },
  {
    // Tests poke at untyped JSON and peers' untyped APIs.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The sandboxed preload must be CommonJS (Electron loads it with require).
    files: ['main/electron/preload.cts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['app/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'electron', 'react', 'react-dom', 'zustand'] }],
      'no-restricted-globals': ['error', 'window', 'document', 'localStorage', 'fetch', 'process', 'Buffer'],
    },
  },
);
