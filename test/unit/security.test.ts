// A workspace with a hostile-looking config (excludes that climb out of it, absurd versions,
// huge gate strings, odd receiver names) and links that point out of it: the CLI and the
// language server read nothing outside the workspace (and the project's own files), write
// nothing the user did not ask for, and open no connection.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { run, tsxLoader } from '../cli/harness';
import { TestClient, repoRoot, summarize } from '../protocol/harness';
import { installRecorder, outside, recordsFromStderr, type FsRecord } from '../support/fsRecorder';

const longGate = `CONF.libvirt.${'x'.repeat(6000)}`;
const longCheck = `has_${'v'.repeat(4000)}`;
const longReceiver = `r${'e'.repeat(3000)}`;
const longJob = `job-${'j'.repeat(2000)}`;

const hostileConfig = [
  '[tool.libvirt-gate]',
  'min-version = "1.0.0"',
  'min-qemu-version = "2.0.0"',
  'exclude = ["../**", "../../**", "../../../**", "/**", "/etc/passwd", "**/../../**", "../sentinel.py", "..", "[", "{a,b", "drv/excluded.py"]',
  `gate = ["${longGate}", "__import__('os').system('touch PWNED')", "open('/etc/passwd').read()"]`,
  `version-checks = ["has_min_version", "${longCheck}", "__import__"]`,
  `receivers = { "../../outside" = "virDomain", "__import__('os')" = "virConnect", "名前" = "virDomain", "a.b.c.d" = "virDomain", "*" = "virDomain", ".." = "virDomain", "${longReceiver}" = "virDomain" }`,
  '',
  '[[tool.libvirt-gate.ci]]',
  'name = "gate"',
  'libvirt = "1.2.2"',
  'qemu = "2.0.0"',
  '',
  '[[tool.libvirt-gate.ci]]',
  `name = "${longJob}"`,
  'libvirt = "999999.999.999"',
  'qemu = "999999.999.999"',
  'kind = "third-party"',
  '',
].join('\n');

const driver = [
  'import libvirt',
  '',
  '',
  'def addresses(dom):',
  '    return dom.interfaceAddresses(0)',
  '',
  '',
  'def odd(名前):',
  '    return 名前.fsFreeze()',
  '',
].join('\n');

/** Outer temp dir: a sentinel driver with a finding, and the workspace `ws` inside it. */
function hostileLayout(withGit: boolean): { outer: string; ws: string } {
  const outer = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-sec-')));
  fs.writeFileSync(
    path.join(outer, 'sentinel.py'),
    'import libvirt\n\n\ndef sentinel_outside(dom):\n    return dom.interfaceAddresses(0)\n',
  );
  fs.writeFileSync(path.join(outer, 'pyproject.toml'), '[tool.libvirt-gate]\nmin-version = "0.0.1"\n');
  const ws = path.join(outer, 'ws');
  fs.mkdirSync(path.join(ws, 'drv'), { recursive: true });
  if (withGit) fs.mkdirSync(path.join(ws, '.git'));
  fs.writeFileSync(path.join(ws, 'pyproject.toml'), hostileConfig);
  fs.writeFileSync(path.join(ws, 'drv', 'a.py'), driver);
  fs.writeFileSync(path.join(ws, 'drv', 'excluded.py'), 'import libvirt\nflags = libvirt.VIR_MIGRATE_POST_COPY\n');
  // Links out of the workspace: never followed inside folders.
  fs.symlinkSync(path.join(outer, 'sentinel.py'), path.join(ws, 'drv', 'link.py'));
  fs.symlinkSync(outer, path.join(ws, 'drv', 'up'));
  fs.symlinkSync('../../sentinel.py', path.join(ws, 'relative_link.py'));
  return { outer, ws };
}

interface Snapshot {
  readonly [rel: string]: string;
}

/** Every entry under `root` (links not followed): kind, mode, mtime and content. */
function snapshot(root: string): Snapshot {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const st = fs.lstatSync(full);
      const rel = path.relative(root, full);
      if (st.isSymbolicLink()) out[rel] = `link ${fs.readlinkSync(full)} ${st.mtimeMs}`;
      else if (st.isDirectory()) {
        out[rel] = `dir ${st.mode} ${st.mtimeMs}`;
        walk(full);
      } else out[rel] = `file ${st.mode} ${st.mtimeMs} ${fs.readFileSync(full, 'base64')}`;
    }
  };
  walk(root);
  return out;
}

async function recordedRun(
  argv: string[],
  cwd: string,
): Promise<{ status: number; stdout: string; stderr: string; records: FsRecord[] }> {
  const recorder = installRecorder();
  try {
    const r = await run(argv, { cwd });
    return { ...r, records: recorder.records };
  } finally {
    recorder.restore();
  }
}

/** tsx (the test loader, not the code under test) scans its transpile cache in the background. */
const tsxCache = path.join(os.tmpdir(), 'tsx');
const allowedRoots = (ws: string): string[] => [ws, repoRoot, tsxCache, `${tsxCache}-${process.getuid?.() ?? 0}`];

const expectedText = [
  'drv/a.py:5:16: LVG002 virDomain.interfaceAddresses needs libvirt 1.2.14, but this runs from libvirt 1.0.0 (the minimum supported) without a version check: it fails on older hosts [since 1.2.14]',
  'drv/a.py:9:15: LVG002 virDomain.fsFreeze needs libvirt 1.2.5, but this runs from libvirt 1.0.0 (the minimum supported) without a version check: it fails on older hosts [since 1.2.5]',
  '1 file checked, 2 findings (LVG002: 2) in 0.00 s',
  '',
].join('\n');

/** Every hostile exclude but the last matches nothing in the workspace: one warning each, and the run goes on. */
function expectedWarnings(ws: string): string {
  const unmatched = [
    '../**',
    '../../**',
    '../../../**',
    '/**',
    '/etc/passwd',
    '**/../../**',
    '../sentinel.py',
    '..',
    '[',
    '{a,b',
  ];
  return unmatched
    .map(
      (p) =>
        `libvirt-gate: warning: pyproject.toml: [tool.libvirt-gate] exclude = ${JSON.stringify(p)} matches no file or folder under ${ws} (patterns are relative to the config file's folder)\n`,
    )
    .join('');
}

test('the recorder sees reads outside, writes and connections (self-test)', async () => {
  const { outer, ws } = hostileLayout(true);
  const recorder = installRecorder();
  try {
    fs.readFileSync(path.join(outer, 'sentinel.py'));
    await fs.promises.stat(path.join(outer, 'pyproject.toml'));
    fs.writeFileSync(path.join(ws, 'w.txt'), 'x');
    assert.throws(() => require('node:net').connect(9, '127.0.0.1'), /network access refused/);
    assert.throws(() => fetch('http://127.0.0.1:9/'), /network access refused/);
  } finally {
    recorder.restore();
  }
  const recorded = recorder.records.length;
  assert.deepEqual(outside(recorder.records, allowedRoots(ws)), [
    { access: 'read', op: 'readFileSync', target: path.join(outer, 'sentinel.py') },
    { access: 'probe', op: 'promises.stat', target: path.join(outer, 'pyproject.toml') },
  ]);
  assert.deepEqual(
    recorder.records.filter((r) => r.access === 'write'),
    [{ access: 'write', op: 'writeFileSync', target: path.join(ws, 'w.txt') }],
  );
  assert.deepEqual(
    recorder.records.filter((r) => r.access === 'network').map((r) => r.op),
    ['net.connect', 'fetch'],
  );
  // Restored: nothing more is recorded.
  fs.readFileSync(path.join(outer, 'sentinel.py'));
  assert.equal(recorder.records.length, recorded);
  fs.rmSync(outer, { recursive: true, force: true });
});

test('CLI: a hostile config reads nothing outside the workspace, writes nothing, connects nowhere', async () => {
  const { outer, ws } = hostileLayout(true);
  const before = snapshot(outer);
  const text = await recordedRun(['check'], ws);
  assert.deepEqual(
    { status: text.status, stdout: text.stdout, stderr: text.stderr },
    { status: 1, stdout: expectedText, stderr: expectedWarnings(ws) },
  );
  const json = await recordedRun(['check', '.', '--format', 'json'], ws);
  assert.equal(json.status, 1, json.stderr);
  const report = JSON.parse(json.stdout) as {
    policy: { ci: { name: string; libvirt: string; qemu: string; kind: string }[]; gate: string[] };
    findings: { file: string }[];
    warnings: { pattern: string }[];
    summary: { files: number };
  };
  // The warnings name the patterns (one of them "../sentinel.py"), never a file outside.
  assert.equal(report.warnings.length, 10);
  const { warnings: _patterns, ...reportWithoutPatterns } = report;
  assert.deepEqual(report.policy.ci, [
    { name: 'gate', libvirt: '1.2.2', qemu: '2.0.0', kind: 'upstream' },
    { name: longJob, libvirt: '999999.999.999', qemu: '999999.999.999', kind: 'third-party' },
  ]);
  assert.equal(report.policy.gate[0], longGate);
  assert.deepEqual(
    report.findings.map((f) => f.file),
    ['drv/a.py', 'drv/a.py'],
  );
  assert.equal(report.summary.files, 1);
  assert.ok(!JSON.stringify(reportWithoutPatterns).includes('sentinel.py'), 'the sentinel is never reported');
  for (const r of [text, json]) {
    assert.ok(r === json || !r.stdout.includes('sentinel.py'), 'the sentinel outside the workspace is never reported');
    assert.deepEqual(outside(r.records, allowedRoots(ws)), [], 'nothing outside the workspace is read or probed');
    assert.deepEqual(
      r.records.filter((x) => x.access === 'write' || x.access === 'network'),
      [],
    );
    // The sentinel and the links to it are never opened, only seen in folder listings.
    assert.ok(r.records.some((x) => x.access === 'read' && x.target === path.join(ws, 'drv', 'a.py')));
    assert.deepEqual(
      r.records.filter((x) => /link\.py$|[/]up$/.test(x.target) && x.access === 'read'),
      [],
    );
  }
  assert.deepEqual(snapshot(outer), before, 'nothing in or beside the workspace changed');
  fs.rmSync(outer, { recursive: true, force: true });
});

test('CLI: without a .git in the workspace, only the repository-top probes leave it', async () => {
  const { outer, ws } = hostileLayout(false);
  const before = snapshot(outer);
  const r = await recordedRun(['check'], ws);
  assert.deepEqual(
    { status: r.status, stdout: r.stdout, stderr: r.stderr },
    { status: 1, stdout: expectedText, stderr: expectedWarnings(ws) },
  );
  // .gitignore files above the checked folder apply up to the repository's top (docs/cli.md):
  // finding the top means asking whether each folder above holds `.git`. No top here, so no
  // .gitignore above is read; nothing else outside is touched.
  const ancestors: string[] = [];
  for (let d = path.dirname(ws); ; d = path.dirname(d)) {
    ancestors.push(path.join(d, '.git'));
    if (path.dirname(d) === d) break;
  }
  assert.deepEqual(
    [...new Set(outside(r.records, allowedRoots(ws)).map((x) => `${x.access} ${x.target}`))],
    ancestors.map((a) => `probe ${a}`),
  );
  assert.deepEqual(
    r.records.filter((x) => x.access === 'write' || x.access === 'network'),
    [],
  );
  assert.deepEqual(snapshot(outer), before);
  fs.rmSync(outer, { recursive: true, force: true });
});

test('CLI: --output writes the report and nothing else (temp file beside it, then rename)', async () => {
  const { outer, ws } = hostileLayout(true);
  const outDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-sec-out-')));
  const target = path.join(outDir, 'report.sarif');
  const before = snapshot(outer);
  const r = await recordedRun(['check', '--format', 'sarif', '--output', target], ws);
  assert.deepEqual(
    { status: r.status, stdout: r.stdout, stderr: r.stderr },
    { status: 1, stdout: '', stderr: expectedWarnings(ws) },
  );
  const writes = r.records.filter((x) => x.access === 'write');
  assert.equal(writes.length, 3, JSON.stringify(writes));
  const [tmpWrite, renameFrom, renameTo] = writes;
  assert.equal(tmpWrite.op, 'openSync'); // SARIF is written in chunks to the open temp file
  assert.equal(path.dirname(tmpWrite.target), outDir);
  assert.match(path.basename(tmpWrite.target), /^\.report\.sarif\.\d+\.[a-z0-9]+\.tmp$/);
  assert.deepEqual(
    [renameFrom, renameTo],
    [
      { access: 'write', op: 'renameSync', target: tmpWrite.target },
      { access: 'write', op: 'renameSync (to)', target },
    ],
  );
  assert.deepEqual(fs.readdirSync(outDir), ['report.sarif']);
  const sarif = JSON.parse(fs.readFileSync(target, 'utf8')) as { runs: { results: unknown[] }[] };
  assert.equal(sarif.runs[0].results.length, 2);
  assert.deepEqual(outside(r.records, [...allowedRoots(ws), outDir]), []);
  assert.deepEqual(snapshot(outer), before);
  fs.rmSync(outer, { recursive: true, force: true });
  fs.rmSync(outDir, { recursive: true, force: true });
});

test('language server: a hostile config reads nothing outside the workspace, writes nothing, connects nowhere', async () => {
  const { outer, ws } = hostileLayout(true);
  const before = snapshot(outer);
  const recorderUrl = pathToFileURL(path.join(__dirname, '..', 'support', 'fsRecorder.ts')).href;
  const client = new TestClient({
    folder: ws,
    nodeArgs: ['--import', tsxLoader, '--import', recorderUrl],
    env: { LVG_FS_RECORD: '1' },
  });
  try {
    await client.initialize();
    await client.indexed();
    const uri = pathToFileURL(path.join(ws, 'drv', 'a.py')).toString();
    await client.open(uri, driver);
    assert.deepEqual(summarize(await client.diagnostics(uri)), [
      '5:16-5:34 LVG002 virDomain.interfaceAddresses needs libvirt 1.2.14, but this runs from libvirt 1.0.0 (the minimum supported) without a version check: it fails on older hosts',
      '9:15-9:23 LVG002 virDomain.fsFreeze needs libvirt 1.2.5, but this runs from libvirt 1.0.0 (the minimum supported) without a version check: it fails on older hosts',
    ]);
    // Files that are not open: the workspace's own .py files; links out of it are not followed.
    type Report = { items: { uri: string; items?: { code?: string | number }[] }[] };
    const report = (await client.connection.sendRequest('workspace/diagnostic', { previousResultIds: [] })) as Report;
    assert.deepEqual(
      report.items.map((i) => [path.relative(ws, new URL(i.uri).pathname), (i.items ?? []).map((d) => String(d.code))]),
      [['drv/excluded.py', ['LVG005']]],
    );
    assert.equal(await client.shutdown(), 0);
  } finally {
    if (client.alive) await client.shutdown();
  }
  const records = recordsFromStderr(client.stderr);
  assert.ok(
    records.some((x) => x.access === 'read' && x.target === path.join(ws, 'drv', 'excluded.py')),
    'the recorder ran in the server',
  );
  assert.deepEqual(outside(records, allowedRoots(ws)), [], 'nothing outside the workspace is read or probed');
  assert.deepEqual(
    records.filter((x) => x.access === 'write' || x.access === 'network'),
    [],
  );
  assert.deepEqual(snapshot(outer), before);
  fs.rmSync(outer, { recursive: true, force: true });
});
