// Type-aware linting for the whole app, Next's and React's rules, and the house rule that the sync
// engine core stays pure (no framework, database or network imports).
import js from '@eslint/js';
import nextPlugin from '@next/eslint-plugin-next';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const IMPURE = [
  'next',
  'next/*',
  'drizzle-orm',
  'drizzle-orm/*',
  'inngest',
  'inngest/*',
  '@libsql/*',
  'undici',
  'undici/*',
];

export default tseslint.config(
  {
    ignores: [
      '.next/**',
      'node_modules/**',
      'data/**',
      'drizzle/**',
      'test-results/**',
      'playwright-report/**',
      '.tmp/**',
      'next-env.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: [
            '*.mjs',
            'scripts/*.mjs',
            'server/cli/*.mjs',
            'test/fixtures/*/*.cjs',
            'test/fixtures/*/*.mjs',
          ],
          // Plain-JS files (runnable by node without a build) outside the TypeScript project: nine
          // today, past typescript-eslint's default of 8.
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 16,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { '@next/next': nextPlugin, 'react-hooks': reactHooks },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs['core-web-vitals'].rules,
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    files: ['server/sync/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: IMPURE, message: 'The engine core is pure: inject I/O through server/sync/ports.ts.' },
            {
              group: [
                '**/db/**',
                '**/db',
                '**/trpc/**',
                '**/runner/**',
                '**/services/**',
                '@/server/db/**',
                '@/server/trpc/**',
              ],
              message: 'The engine core is pure: inject I/O through server/sync/ports.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // Vitest's asymmetric matchers (`expect.objectContaining`) are typed `any`.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', module: 'writable', require: 'readonly' },
    },
  },
  prettier,
);
