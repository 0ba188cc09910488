// House rules as lint: typescript-eslint's recommended set, no import cycles, and the layers
// of docs/architecture.md (each layer imports only the layers below it; nothing at run time
// imports tree-sitter, the tests' oracle; the faces import the engine's api.ts only).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

/** `no-restricted-imports` patterns: a message per forbidden target. */
function forbid(...groups) {
  return ['error', { patterns: groups.map(([group, message]) => ({ group, message })) }];
}

const parserOnlyInAdapter = [
  ['web-tree-sitter', 'tree-sitter-python', '**/treeSitterOracle/**'],
  "tree-sitter is the tests' oracle only (test/support/treeSitterOracle): the runtime uses engine/syntax.",
];
const noFaces = [
  ['**/lsp/**', '**/cli/**', '**/client/**', 'vscode', 'vscode-languageserver*'],
  'The engine knows nothing of its faces (LSP, CLI, VS Code).',
];
const enginePublicOnly = [
  ['**/engine/*', '!**/engine/api', '**/engine/*/**'],
  'Faces import the engine through engine/api.ts only.',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      '.e2e/**',
      '.bench/**',
      '.scratch/**',
      'node_modules/**',
      'dist-python/**',
      'python/**',
      'test/fixtures/**',
      'test/e2e/workspace/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js', '.mjs', '.json'] } } },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': forbid(parserOnlyInAdapter),
    },
  },
  // Layers of the engine: syntax → semantic → flow → rules → workspace → analyze/api.
  {
    files: ['server/src/engine/syntax/**'],
    rules: {
      'no-restricted-imports': forbid(parserOnlyInAdapter, noFaces, [
        ['**/semantic/**', '**/flow/**', '**/rules/**', '**/workspace/**', '**/analyze', '**/api'],
        'The syntax layer is the bottom layer.',
      ]),
    },
  },
  {
    files: ['server/src/engine/semantic/**'],
    rules: {
      'no-restricted-imports': forbid(parserOnlyInAdapter, noFaces, [
        ['**/flow/**', '**/rules/**', '**/workspace/**', '**/analyze', '**/api'],
        'semantic/ imports only syntax/.',
      ]),
    },
  },
  {
    files: ['server/src/engine/flow/**'],
    rules: {
      'no-restricted-imports': forbid(parserOnlyInAdapter, noFaces, [
        ['**/rules/**', '**/workspace/**', '**/analyze', '**/api'],
        'flow/ imports only semantic/ and syntax/.',
      ]),
    },
  },
  {
    files: ['server/src/engine/rules/**'],
    rules: {
      'no-restricted-imports': forbid(parserOnlyInAdapter, noFaces, [
        ['**/workspace/**', '**/analyze', '**/api'],
        'rules/ imports only flow/, semantic/ and syntax/.',
      ]),
    },
  },
  {
    files: ['server/src/engine/workspace/**'],
    rules: {
      'no-restricted-imports': forbid(parserOnlyInAdapter, noFaces, [
        ['**/analyze', '**/api'],
        'workspace/ sits below analyze.ts and api.ts.',
      ]),
    },
  },
  { files: ['server/src/engine/*.ts'], rules: { 'no-restricted-imports': forbid(parserOnlyInAdapter, noFaces) } },
  {
    files: ['server/src/config/**', 'server/src/data/**'],
    rules: {
      'no-restricted-imports': forbid(parserOnlyInAdapter, noFaces, [
        ['**/engine/**'],
        'config/ and data/ sit below the engine.',
      ]),
    },
  },
  {
    files: ['server/src/lsp/**', 'server/src/cli/**'],
    rules: { 'no-restricted-imports': forbid(parserOnlyInAdapter, enginePublicOnly) },
  },
  // The support matrix: data and formats shared by the CLI and the language server, so it knows neither.
  {
    files: ['server/src/matrix/**'],
    rules: {
      'no-restricted-imports': forbid(parserOnlyInAdapter, enginePublicOnly, [
        ['**/lsp/**', '**/cli/**', '**/client/**', 'vscode', 'vscode-languageserver*'],
        'matrix/ is shared by the CLI and the language server: it imports neither.',
      ]),
    },
  },
  // The extension shares only the wire protocol's names with the server (server/src/lsp/protocol.ts).
  {
    files: ['client/**'],
    rules: {
      'no-restricted-imports': forbid(parserOnlyInAdapter, [
        [
          '**/server/src/engine/**',
          '**/server/src/cli/**',
          '**/server/src/config/**',
          '**/server/src/data/**',
          '**/server/src/lsp/*',
          '!**/server/src/lsp/protocol',
        ],
        'The extension talks to the server over LSP only (it may share lsp/protocol.ts).',
      ]),
    },
  },
  // Tests and scripts may reach inside (the oracle, harnesses), and plain JS gets Node's globals.
  {
    files: ['test/**', 'scripts/**'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        __filename: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        performance: 'readonly',
        suite: 'readonly',
        test: 'readonly',
        suiteSetup: 'readonly',
        suiteTeardown: 'readonly',
        setup: 'readonly',
        teardown: 'readonly',
        before: 'readonly',
        after: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
