// ESLint flat config: the recommended JavaScript and typescript-eslint rules,
// kept pragmatic (see docs/dependencies.md). `npm run lint` runs it on the whole repository.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Node's globals, for the plain .js/.mjs files (TypeScript files get them from @types/node).
const nodeGlobals = Object.fromEntries(
  [
    'process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder', 'AbortController',
    'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate',
    'queueMicrotask', 'structuredClone', 'fetch', 'performance', 'globalThis',
  ].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.eddy/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: nodeGlobals },
    rules: {
      // `_name` marks a deliberately unused parameter or binding (handler signatures, destructuring).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    // The operation dispatch boundary: each operation takes its own SDK input type, and the
    // table of handlers that routes JSON to them can only be typed with `any` parameters.
    files: ['src/edge/json-protocol.ts', 'src/dynamodb/service.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Tests poke at raw responses and caught SDK errors.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
