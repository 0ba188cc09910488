// The Python release step short of uploading (PyPI is out of reach here): checks that
// dist-python/ holds exactly the wheel and sdist of package.json's version, runs
// `twine check --strict` on them, and lists them with sizes and SHA-256 for the release notes.
// `npm run release:python` builds them first.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { outDir } from './build-wheel.mjs';
import { findPython, runOrThrow } from './python-tools.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

function main() {
  const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  const expected = [`libvirt_gate-${version}-py3-none-any.whl`, `libvirt_gate-${version}.tar.gz`];
  const found = fs.existsSync(outDir) ? fs.readdirSync(outDir).sort() : [];
  if (JSON.stringify(found) !== JSON.stringify([...expected].sort())) {
    throw new Error(
      `dist-python/ holds [${found.join(', ')}], expected [${expected.join(', ')}]: run \`npm run build:wheel\``,
    );
  }
  const files = expected.map((f) => path.join(outDir, f));
  runOrThrow(findPython(['twine']), ['-m', 'twine', 'check', '--strict', ...files]);
  for (const file of files) {
    const sha = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    console.log(`${path.relative(root, file)}  ${fs.statSync(file).size} bytes  sha256 ${sha}`);
  }
  console.log(`ready to upload: twine upload ${files.map((f) => path.relative(root, f)).join(' ')}`);
}

try {
  main();
} catch (e) {
  console.error(`release:python: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
}
