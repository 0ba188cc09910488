// Bundles the extension client, the language server and the CLI into dist/ with esbuild,
// and copies the tree-sitter wasm files beside them (the server loads them at run time).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const dist = path.join(root, 'dist');
const production = process.argv.includes('--production');
fs.mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // web-tree-sitter reads import.meta.url, which a CommonJS bundle does not have.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

const entries = [
  { in: 'client/src/extension.ts', out: 'extension.js', external: ['vscode'] },
  { in: 'server/src/lsp/main.ts', out: 'server.js', external: [] },
  { in: 'server/src/cli/main.ts', out: 'cli.js', external: [] },
];

await Promise.all(
  entries
    .filter((e) => fs.existsSync(path.join(root, e.in)))
    .map((e) =>
      esbuild.build({
        ...common,
        entryPoints: [path.join(root, e.in)],
        outfile: path.join(dist, e.out),
        external: e.external,
      }),
    ),
);

for (const file of ['web-tree-sitter/tree-sitter.wasm', 'tree-sitter-python/tree-sitter-python.wasm']) {
  fs.copyFileSync(require.resolve(file), path.join(dist, path.basename(file)));
}
