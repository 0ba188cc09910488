// The packaged extension: `vsce package --no-dependencies` of the bundled dist/ holds only
// runtime files (allow-list .vscodeignore) and stays small. The rule pages are not in it: the
// diagnostics link to them on GitHub, and vsce rewrites the README's relative links there.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot } from './harness';

/** Entry names from a zip's central directory (no dependency needed for that much). */
function zipEntries(buf: Buffer): string[] {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'not a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50);
    const nameLength = buf.readUInt16LE(at + 28);
    const extra = buf.readUInt16LE(at + 30);
    const comment = buf.readUInt16LE(at + 32);
    names.push(buf.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extra + comment;
  }
  return names.sort();
}

test('the VSIX holds only runtime files (no wasm) and is under 3 MB', { timeout: 180_000 }, () => {
  assert.ok(fs.existsSync(path.join(repoRoot, 'dist', 'server.js')), 'dist/ is missing: run `npm run build` first');
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-vsix-')), 'libvirt-gate.vsix');
  const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const args = [vsce, 'package', '--no-dependencies', '--out', out];
  if (!fs.existsSync(path.join(repoRoot, 'LICENSE'))) args.push('--skip-license');
  const run = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.equal(run.status, 0, `vsce failed:\n${run.stdout}\n${run.stderr}`);
  const size = fs.statSync(out).size;
  assert.ok(size < 3 * 1024 * 1024, `VSIX is ${size} bytes`);
  const files = zipEntries(fs.readFileSync(out))
    .filter((n) => n.startsWith('extension/'))
    .map((n) => n.slice('extension/'.length));
  const allowed = [
    /^dist\/(extension|server)\.js$/,
    /^package\.json$/,
    /^(readme|changelog)\.md$/i,
    /^LICENSE(\.txt)?$/i,
    /^images\/icon\.png$/,
    /^syntaxes\/[\w.-]+\.json$/,
    /^schemas\/libvirt-gate\.schema\.json$/,
  ];
  const unexpected = files.filter((f) => !allowed.some((re) => re.test(f)));
  assert.deepEqual(unexpected, [], 'files outside the allow-list');
  for (const required of [
    'dist/extension.js',
    'dist/server.js',
    'package.json',
    'images/icon.png',
    'syntaxes/libvirt-gate-comments.injection.tmLanguage.json',
  ]) {
    assert.ok(files.includes(required), `missing ${required}`);
  }
  assert.ok(!files.some((f) => f.endsWith('.map') || f.startsWith('node_modules/')));
  // The parser is TypeScript in the bundle: no wasm, no tree-sitter runtime.
  assert.ok(!files.some((f) => f.endsWith('.wasm')), 'a wasm file in the VSIX');
  assert.ok(
    !fs.readFileSync(path.join(repoRoot, 'dist', 'server.js'), 'utf8').includes('tree-sitter.wasm'),
    'web-tree-sitter is bundled into the server',
  );
  process.stdout.write(`# VSIX: ${(size / 1024).toFixed(0)} KB, ${files.length} files\n`);
});
