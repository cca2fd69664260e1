// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Node built-ins by every name a renderer file could use to reach them.
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));
const nodeBuiltinPaths = nodeBuiltins.flatMap((name) => [name, `node:${name}`]);

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The engine runs unchanged in Electron, `patchbay serve`, the CLI and tests.
    files: ['src/main/core/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'src/main/core is plain Node: inject Electron pieces from src/main/electron.',
            },
          ],
          patterns: [{ group: ['electron/*'], message: 'src/main/core is plain Node.' }],
        },
      ],
    },
  },
  {
    // The renderer runs in a sandboxed page or a browser: it talks only to the contract.
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      // The two classic hook rules; the plugin's React Compiler rules do not apply (no compiler here).
      // A missing dependency is a stale-closure bug, so it fails the lint rather than warning.
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltinPaths.map((name) => ({
              name,
              message: 'The renderer cannot use Node built-ins: go through the contract in src/shared.',
            })),
            { name: 'electron', message: 'The renderer cannot use Electron: go through the contract.' },
          ],
        },
      ],
    },
  },
);
