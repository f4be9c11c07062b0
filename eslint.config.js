// Lint rules for the whole workspace. Type errors are tsc's job (each package's `typecheck`/`lint` tasks);
// this catches what tsc does not: floating promises are left to tests, but no debugger, no stray console in
// library code, no `any` escaping without a reason.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/test-results/**', '**/coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    // Command-line entry points, scripts and benchmarks talk to the terminal on purpose.
    files: ['apps/**/src/cli*.ts', 'tooling/**', '**/bench/**', '**/scripts/**', '**/*.test.ts'],
    rules: { 'no-console': 'off' },
  },
);
