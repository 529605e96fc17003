// ESLint with type information: the rules that catch what the compiler cannot (a promise nobody awaits, a
// switch that forgets a new status, an async function handed to a callback that ignores its promise).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'renderer/public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Our objects are closures, not classes: a callback declared as a property is checked strictly
      // (parameters contravariant) and can be passed around unbound without unbound-method complaining.
      '@typescript-eslint/method-signature-style': ['error', 'property'],
      // A closure declared before the single assignment reads it later (app-core's `cloud`).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Without its own name an error prints and logs as plain "Error", and `e.name === 'X'` never matches.
      'no-restricted-syntax': [
        'error',
        {
          selector: "ClassDeclaration[superClass.name=/Error$/]:not(:has(PropertyDefinition[key.name='name']))",
          message: 'An error class sets its own name: `override name = ...`.',
        },
      ],
      // A leading underscore marks a value taken out on purpose (rest siblings, an ignored tuple slot).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/no-misused-promises': 'error',
      // `async` without `await` is how a function promises its answer and turns a throw into a rejection.
      '@typescript-eslint/require-await': 'off',
      // Rejecting with what was caught (an abort reason, a child's error) passes the cause on unchanged.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      // String(value) of an unknown payload field is our deliberate display fallback after the shape checks.
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    // Tests read parsed JSON and reach into it to assert; an assertion that reads a wrong field fails anyway.
    files: ['**/*.test.ts', '**/*.test.tsx', 'e2e/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      // expect(obj.method) compares identities; nothing is called unbound.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
