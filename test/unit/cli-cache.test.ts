// The result cache: opt-in, reused when nothing an analysis read has changed, never wrong after
// an edit (of the file, or of a file whose facts it read), robust to broken entries.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { initParser } from '../../server/src/engine/api';
import { mainTs, run, tempDir, tsxLoader } from '../cli/harness';

before(() => initParser());

const project = {
  'pkg/__init__.py': '',
  'pkg/versions.py': 'MIN_LIBVIRT_FSFREEZE_VERSION = (1, 2, 5)\n',
  'pkg/driver.py': [
    'from pkg.versions import MIN_LIBVIRT_FSFREEZE_VERSION',
    '',
    '',
    'class Driver(object):',
    '    def freeze(self, dom):',
    '        if self._host.has_min_version(MIN_LIBVIRT_FSFREEZE_VERSION):',
    '            dom.fsFreeze()',
    '',
  ].join('\n'),
  'pkg/other.py': 'import os\n\n\ndef f(dom):\n    return dom.interfaceAddresses(0)\n',
};

const args = [
  'check',
  '.',
  '--min-version',
  '1.0.0',
  '--ci',
  'gate=1.2.2,2.0.0',
  '--ci',
  'latest=1.2.9,2.1.0:third-party',
  '--stats',
];
const cacheLine = (stderr: string) => /cache: .*/.exec(stderr)?.[0].replace(/^cache: [^:]+: /, '') ?? '(none)';

test('a second run reuses every summary and analysis, with the same report', async () => {
  const root = tempDir(project);
  const first = await run([...args, '--cache'], { cwd: root });
  const second = await run([...args, '--cache'], { cwd: root });
  // Four summaries, three analyses (the empty __init__.py names nothing the prefilter looks for).
  assert.equal(cacheLine(first.stderr), '0 summaries and 0 analyses reused, 7 entries written');
  assert.equal(cacheLine(second.stderr), '4 summaries and 3 analyses reused, 0 entries written');
  assert.equal(second.stdout, first.stdout);
  assert.equal(second.status, first.status);
  assert.ok(fs.existsSync(path.join(root, '.libvirt-gate-cache', 'CACHEDIR.TAG')));
  assert.equal(fs.readFileSync(path.join(root, '.libvirt-gate-cache', '.gitignore'), 'utf8'), '*\n');
});

test('an edit to an imported file invalidates the analyses that read its facts, and only those', async () => {
  const root = tempDir(project);
  const first = await run([...args, '--cache'], { cwd: root });
  assert.doesNotMatch(first.stdout, /driver\.py:7:\d+: LVG003/);
  // The constant drops below fsFreeze's 1.2.5: driver.py's check is now too weak.
  fs.writeFileSync(path.join(root, 'pkg/versions.py'), 'MIN_LIBVIRT_FSFREEZE_VERSION = (1, 2, 0)\n');
  const second = await run([...args, '--cache'], { cwd: root });
  assert.match(second.stdout, /pkg\/driver\.py:7:17: LVG003 /);
  // versions.py re-summarized and re-analyzed; driver.py re-analyzed (its fact changed); other.py reused.
  assert.equal(cacheLine(second.stderr), '3 summaries and 1 analyses reused, 3 entries written');
  const fresh = await run(args, { cwd: root });
  assert.equal(second.stdout.replace(/ in [\d.]+ s/, ''), fresh.stdout.replace(/ in [\d.]+ s/, ''));
});

test('an edit to a file that nothing reads from re-analyzes that file alone', async () => {
  const root = tempDir(project);
  await run([...args, '--cache'], { cwd: root });
  fs.appendFileSync(path.join(root, 'pkg/other.py'), '\n# a comment\n');
  const second = await run([...args, '--cache'], { cwd: root });
  assert.equal(cacheLine(second.stderr), '3 summaries and 2 analyses reused, 2 entries written');
});

test('opt-in: no cache without --cache, --cache-dir or LIBVIRT_GATE_CACHE_DIR; --no-cache wins', async () => {
  const root = tempDir(project);
  await run(args, { cwd: root });
  assert.equal(fs.existsSync(path.join(root, '.libvirt-gate-cache')), false);
  const env = { LIBVIRT_GATE_CACHE_DIR: path.join(root, 'envcache') };
  await run(args, { cwd: root, env });
  assert.ok(fs.existsSync(path.join(root, 'envcache', 'CACHEDIR.TAG')));
  await run([...args, '--no-cache', '--cache-dir', 'x'], { cwd: root, env });
  assert.equal(fs.existsSync(path.join(root, 'x')), false);
  await run([...args, '--cache-dir', 'mine'], { cwd: root });
  assert.ok(fs.existsSync(path.join(root, 'mine', 'CACHEDIR.TAG')));
});

test('broken entries are misses; an unusable cache folder is skipped with a note in --stats', async () => {
  const root = tempDir(project);
  const first = await run([...args, '--cache'], { cwd: root });
  const dir = path.join(root, '.libvirt-gate-cache');
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.json')))
    fs.writeFileSync(path.join(dir, f), '{"salt": 1, "bro');
  const second = await run([...args, '--cache'], { cwd: root });
  assert.equal(cacheLine(second.stderr), '0 summaries and 0 analyses reused, 7 entries written');
  assert.equal(second.stdout.replace(/ in [\d.]+ s/, ''), first.stdout.replace(/ in [\d.]+ s/, ''));
  fs.writeFileSync(path.join(root, 'afile'), 'x');
  const third = await run([...args, '--cache-dir', 'afile/sub'], { cwd: root });
  assert.match(third.stderr, /cache: not used \(cannot use .*afile\/sub: /);
  assert.equal(third.stdout.replace(/ in [\d.]+ s/, ''), first.stdout.replace(/ in [\d.]+ s/, ''));
});

test('with worker threads: the facts are recorded in the workers, and a cached run equals a fresh one', () => {
  const root = tempDir(project);
  const runWith = (extra: readonly string[]) =>
    spawnSync(
      process.execPath,
      ['--import', tsxLoader, mainTs, ...args, '--format', 'json', '--fail-on', 'never', ...extra],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, LIBVIRT_GATE_WORKERS: '2' },
      },
    );
  const fresh = runWith([]);
  const first = runWith(['--cache']);
  fs.writeFileSync(path.join(root, 'pkg/versions.py'), 'MIN_LIBVIRT_FSFREEZE_VERSION = (1, 2, 0)\n');
  const edited = runWith(['--cache']);
  const editedFresh = runWith([]);
  const findings = (out: string) => (JSON.parse(out) as { findings: unknown[] }).findings;
  assert.equal(fresh.status, 0, fresh.stderr);
  assert.deepEqual(findings(first.stdout), findings(fresh.stdout));
  assert.equal(cacheLine(edited.stderr), '3 summaries and 1 analyses reused, 3 entries written');
  assert.deepEqual(findings(edited.stdout), findings(editedFresh.stdout));
  assert.notDeepEqual(findings(edited.stdout), findings(first.stdout));
});
