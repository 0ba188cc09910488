// The bundled example driver (examples/driver) gives exactly the findings its README lists,
// and the count its README gives with class B paths included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyTree, run } from '../cli/harness';
import { printedByCli, printedInReadme } from '../support/exampleReadme';

const root = path.join(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(root, 'examples', 'driver', 'README.md'), 'utf8');

test('libvirt-gate check examples/driver prints what the README says', async () => {
  const r = await run(['check', 'examples/driver'], { cwd: root });
  assert.equal(r.status, 1);
  assert.deepEqual(printedByCli(r.stdout), printedInReadme(readme));
});

test('with untested-includes-class-b, the count the README gives', async () => {
  const dir = copyTree(path.join(root, 'examples', 'driver'));
  const config = path.join(dir, 'pyproject.toml');
  fs.writeFileSync(
    config,
    fs.readFileSync(config, 'utf8').replace('gate = [', 'untested-includes-class-b = true\ngate = ['),
  );
  const r = await run(['check', '.'], { cwd: dir });
  const summary = r.stdout.trim().split('\n').at(-1) ?? '';
  const count = /(\d+) findings in all/.exec(readme)?.[1];
  assert.match(summary, new RegExp(`^9 files checked, ${count} findings \\(LVG001: 10,`));
});
