// libvirt-gate matrix: every format against golden files, exit statuses, usage and config
// errors, an empty workspace, and a generated tree of 10,200 paths (in-process and on
// worker threads, which must agree).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { oldDriverPyproject } from '../support/generatedDrivers';
import { assertGolden, mainTs, run, tempDir, tsxLoader } from '../cli/harness';

interface MatrixDoc {
  version: string;
  format: number;
  minimum: { libvirt: string; qemu: string } | null;
  ci: { name: string }[];
  distros: { id: string }[];
  features: { id: string; kind: string; name: string; paths: Record<string, unknown>[] }[];
  summary: Record<string, unknown>;
}

test('matrix text: aligned table grouped by feature, exit 0 although there are findings', async () => {
  const r = await run(['matrix']);
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
  assertGolden('matrix.txt', r.stdout);
  const tty = await run(['matrix'], { tty: true });
  assert.equal(tty.stdout.replace(/\u001b\[\d+m/g, ''), r.stdout);
  assert.match(tty.stdout, /\u001b\[31mC {4}\u001b\[0m/);
});

test('matrix markdown, json and html with distribution columns', async () => {
  const distros = ['--distros', 'ubuntu-22.04,debian-12'];
  const md = await run(['matrix', '--format', 'markdown', ...distros]);
  assert.equal(md.status, 0);
  assertGolden('matrix.md', md.stdout);
  const json = await run(['matrix', '--format', 'json', ...distros]);
  assert.equal(json.status, 0);
  assertGolden('matrix.json', json.stdout);
  const html = await run(['matrix', '--format', 'html', ...distros]);
  assert.equal(html.status, 0);
  assertGolden('matrix.html', html.stdout);

  const doc = JSON.parse(json.stdout) as MatrixDoc;
  assert.deepEqual(Object.keys(doc), [
    'version',
    'format',
    'minimum',
    'ci',
    'distros',
    'features',
    'skipped',
    'notes',
    'summary',
  ]);
  assert.deepEqual(Object.keys(doc.features[0]), ['id', 'kind', 'name', 'axis', 'version', 'paths']);
  assert.deepEqual(Object.keys(doc.features[0].paths[0]), [
    'file',
    'line',
    'column',
    'endLine',
    'endColumn',
    'lines',
    'kind',
    'code',
    'libvirt',
    'qemu',
    'supportClass',
    'ci',
    'distros',
    'gated',
    'protected',
    'findings',
    'guards',
  ]);
  assert.deepEqual(doc.summary, {
    files: 6,
    paths: 12,
    features: 9,
    byClass: { A: 3, B: 3, C: 6 },
    gated: 0,
    withFindings: 8,
    findingsElsewhere: { LVG005: 1 },
  });
  // The same paths as `check` reports findings for, and every finding but LVG005 on one.
  const check = JSON.parse((await run(['check', '--format', 'json'])).stdout) as { findings: { code: string }[] };
  const onPaths = doc.features.flatMap((f) => f.paths.flatMap((p) => p['findings'] as string[]));
  assert.equal(onPaths.length + 1, check.findings.length);
});

test('matrix --config, --ci and --select shape the matrix like check; --output writes it', async () => {
  const r = await run([
    'matrix',
    '--ci',
    'ubuntu-14.04',
    '--select',
    'LVG002',
    '--format',
    'json',
    'driver/migration.py',
  ]);
  const doc = JSON.parse(r.stdout) as MatrixDoc;
  assert.deepEqual(
    doc.ci.map((j) => j.name),
    ['ubuntu-14.04'],
  );
  assert.deepEqual(
    doc.features.map((f) => [f.name, f.paths.map((p) => [p['line'], p['ci'], p['supportClass'], p['findings']])]),
    [
      ['libvirt.VIR_MIGRATE_AUTO_CONVERGE', [[4, { 'ubuntu-14.04': false }, 'C', ['LVG002']]]],
      ['virDomain.fsFreeze', [[9, { 'ubuntu-14.04': false }, 'C', []]]],
      [
        'libvirt.VIR_MIGRATE_POSTCOPY',
        [
          [1, { 'ubuntu-14.04': false }, 'C', ['LVG002']],
          [4, { 'ubuntu-14.04': false }, 'C', []],
        ],
      ],
    ],
  );
  const root = tempDir({ 'a.py': "import libvirt\n\n\ndef throttle(dom):\n    dom.setThrottleGroup('g', {})\n" });
  const out = await run(['matrix', '--format', 'html', '--output', 'm.html'], { cwd: root });
  assert.deepEqual([out.status, out.stdout, out.stderr], [0, '', '']);
  assert.ok(fs.readFileSync(path.join(root, 'm.html'), 'utf8').includes('<tr data-file="a.py" data-line="5" '));
  assert.deepEqual(fs.readdirSync(root).sort(), ['a.py', 'm.html']);
});

test('matrix exit status: --fail-on counts the findings; usage and config errors are one line and 2', async () => {
  assert.equal((await run(['matrix', '--fail-on', 'warning'])).status, 1);
  assert.equal((await run(['matrix', '--fail-on', 'error', 'driver/clean.py'])).status, 0);
  const usage: [string[], string][] = [
    [['matrix', '--fix'], '--fix is not an option of "matrix" (see libvirt-gate matrix --help)'],
    [['matrix', '--baseline', 'b.json'], '--baseline is not an option of "matrix" (see libvirt-gate matrix --help)'],
    [['matrix', '--diff-base', 'HEAD'], '--diff-base is not an option of "matrix" (see libvirt-gate matrix --help)'],
    [['matrix', '--format', 'sarif'], '--format "sarif": expected one of text, markdown, json, html'],
    [
      ['matrix', '--distros', 'ubuntu-26.04'],
      '--distros "ubuntu-26.04": unknown preset; known ubuntu presets: ubuntu-14.04, ubuntu-16.04, ubuntu-18.04, ubuntu-20.04, ubuntu-22.04, ubuntu-24.04',
    ],
    [['matrix', '--distros', ','], '--distros ",": expected comma-separated presets such as "ubuntu-24.04,debian-12"'],
    [['matrix', 'nope'], 'nope: no such file or directory'],
  ];
  for (const [argv, message] of usage) {
    const r = await run(argv);
    assert.deepEqual([r.status, r.stderr, r.stdout], [2, `libvirt-gate: ${message}\n`, ''], argv.join(' '));
  }
  for (const format of ['text', 'json', 'html']) {
    const root = tempDir({
      'pyproject.toml': '[tool.libvirt-gate]\nmin-version = "1.2"\n',
      'pkg/a.py': 'import libvirt\n',
    });
    const r = await run(['matrix', 'pkg', '--format', format, '--output', 'm.out'], { cwd: root });
    assert.deepEqual(
      [r.status, r.stderr, r.stdout],
      [
        2,
        'libvirt-gate: pyproject.toml: [tool.libvirt-gate] min-version = "1.2": expected a libvirt version "major.minor.micro" such as "8.0.0", or "auto"\n',
        '',
      ],
    );
    assert.equal(fs.existsSync(path.join(root, 'm.out')), false, 'nothing written');
  }
  const help = await run(['matrix', '--help']);
  assert.equal(help.status, 0);
  assert.ok(help.stdout.startsWith('Usage: libvirt-gate matrix [PATH...] [OPTIONS]\n'));
});

test('matrix of an empty workspace and of one without libvirt: no paths, every format, exit 0', async () => {
  const workspaces: Record<string, string>[] = [{}, { 'a.py': 'import os\n\nif os.name:\n    x = 1\n' }];
  for (const files of workspaces) {
    const root = tempDir(files);
    const n = Object.keys(files).length;
    const text = await run(['matrix'], { cwd: root });
    assert.deepEqual(
      [text.status, text.stderr, text.stdout],
      [
        0,
        '',
        `libvirt-gate support matrix: no version-dependent code paths in ${n} file${n === 1 ? '' : 's'}\n` +
          (n
            ? 'minimum libvirt 8.0.0, QEMU 6.2.0; CI: ubuntu-24.04 (upstream: libvirt 10.0.0, QEMU 8.2.2)\n'
            : 'CI: none\n'),
      ],
    );
    const doc = JSON.parse((await run(['matrix', '--format', 'json'], { cwd: root })).stdout) as MatrixDoc;
    assert.deepEqual(doc.features, []);
    assert.equal(doc.summary['paths'], 0);
    const md = (await run(['matrix', '--format', 'markdown'], { cwd: root })).stdout;
    assert.ok(md.startsWith('## libvirt-gate support matrix\n\nNo version-dependent code paths in '));
    const html = await run(['matrix', '--format', 'html'], { cwd: root });
    assert.equal(html.status, 0);
    assert.ok(html.stdout.includes('<p>No version-dependent code paths in '));
    assert.ok(!html.stdout.includes('<table'));
  }
});

/** 100 modules × 34 methods, each an if/else on its own MIN_* constant with a call inside: 10,200 paths. */
function bigTree(): string {
  const root = tempDir({ 'pyproject.toml': oldDriverPyproject });
  fs.mkdirSync(path.join(root, 'drv'));
  for (let f = 0; f < 100; f++) {
    const lines = ['import libvirt', ''];
    for (let m = 0; m < 34; m++) lines.push(`MIN_LIBVIRT_F${f}_M${m}_VERSION = (1, 3, ${m % 10})`);
    lines.push('', '', `class Driver${f}(object):`);
    for (let m = 0; m < 34; m++)
      lines.push(
        `    def method_${m}(self, dom):`,
        `        if self._host.has_min_version(MIN_LIBVIRT_F${f}_M${m}_VERSION):`,
        `            dom.rename('${m}')`,
        '        else:',
        '            return None',
        '',
      );
    fs.writeFileSync(path.join(root, 'drv', `mod${String(f).padStart(3, '0')}.py`), lines.join('\n'));
  }
  return root;
}

test(
  'matrix of a generated tree with 10,200 paths: complete table, capped chart, same on worker threads',
  { timeout: 600_000 },
  async () => {
    const root = bigTree();
    const json = await run(['matrix', '--format', 'json'], { cwd: root });
    assert.equal(json.status, 0, json.stderr);
    const doc = JSON.parse(json.stdout) as MatrixDoc;
    assert.deepEqual(doc.summary, {
      files: 100,
      paths: 10_200,
      features: 3_401,
      byClass: { A: 3_400, B: 0, C: 6_800 },
      gated: 0,
      withFindings: 3_400,
      findingsElsewhere: {},
    });
    const rename = doc.features.find((f) => f.id === 'symbol:virDomain.rename');
    assert.equal(rename?.paths.length, 3_400);

    const html = await run(['matrix', '--format', 'html'], { cwd: root });
    const rows = html.stdout.match(/<tr data-file="/g) ?? [];
    assert.equal(rows.length, 10_200);
    assert.ok(
      html.stdout.includes(
        '<p class="note">The chart shows the first 150 of 3401 features (in table order); the table lists every path.</p>',
      ),
    );
    assert.equal((html.stdout.match(/<g class="lane"/g) ?? []).length, 150);
    process.stdout.write(`# 10,200-path HTML: ${(html.stdout.length / 1024 / 1024).toFixed(1)} MB\n`);

    // Two worker threads (the bundled CLI's route for big trees): the paths cross threads as plain data.
    const child = spawnSync(process.execPath, ['--import', tsxLoader, mainTs, 'matrix', '--format', 'json'], {
      cwd: root,
      env: { ...process.env, LIBVIRT_GATE_WORKERS: '2' },
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout, json.stdout);
  },
);
