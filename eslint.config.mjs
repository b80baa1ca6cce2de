// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'test/fixtures/**',
      'examples/**',
      'test-results/**',
      '.bench-cache/**',
      'bench/suites/**',
      '**/*.mjs',
      '**/*.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // The architecture's one hard line: only src/extension/ talks to VS Code.
    files: ['src/agent/**', 'src/protocol/**', 'src/cli/**', 'webview-ui/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: "Only src/extension/ may import 'vscode'." }] },
      ],
    },
  },
  {
    files: ['src/protocol/**', 'webview-ui/**', 'src/agent/**', 'src/cli/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportDeclaration[source.value=/src\\/extension|\\.\\.\\/extension/]',
          message: 'Nothing imports extension/.',
        },
      ],
    },
  },
  {
    files: ['src/cli/**', 'test/**', 'scripts/**', 'bench/**'],
    rules: { 'no-console': 'off', 'no-regex-spaces': 'off' },
  },
);
