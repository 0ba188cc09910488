// Bundles the extension client, the language server and the CLI into dist/ with esbuild.
// The parser is plain TypeScript, so the bundles are all there is (no wasm beside them).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

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

// Wasm files an older build left in dist/ must not be packaged.
for (const file of ['tree-sitter.wasm', 'tree-sitter-python.wasm']) fs.rmSync(path.join(dist, file), { force: true });
