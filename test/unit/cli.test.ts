// libvirt-gate check: output formats (golden files), exit statuses and usage errors.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { rules } from '../../server/src/engine/api';
import { assertGolden, projectDir, run, tempDir } from '../cli/harness';

test('text: sorted findings, relative paths, summary; exit 1 on warnings', async () => {
  const r = await run(['check']);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, '');
  assertGolden('project.txt', r.stdout);
  assert.match(
    r.stdout,
    /\n6 files checked, 10 findings \(LVG001: 3, LVG002: 4, LVG003: 1, LVG004: 1, LVG005: 1\) in 0\.00 s\n$/,
  );
});

test('text: colour only on a terminal without NO_COLOR', async () => {
  const plain = await run(['check', 'driver/migration.py']);
  const tty = await run(['check', 'driver/migration.py'], { tty: true });
  const noColor = await run(['check', 'driver/migration.py'], { tty: true, env: { NO_COLOR: '1' } });
  assert.equal(plain.stdout.includes('\u001b['), false);
  assert.equal(noColor.stdout, plain.stdout);
  assert.equal(tty.stdout.replace(/\u001b\[\d+m/g, ''), plain.stdout);
  assert.ok(tty.stdout.startsWith('\u001b[1mdriver/migration.py:1:21:\u001b[0m \u001b[31mLVG002\u001b[0m '));
});

test('json: the documented contract', async () => {
  const r = await run(['check', '--format', 'json']);
  assert.equal(r.status, 1);
  assertGolden('project.json', r.stdout);
  const doc = JSON.parse(r.stdout) as {
    findings: Record<string, unknown>[];
    summary: Record<string, unknown>;
    policy: Record<string, unknown>;
  };
  assert.deepEqual(Object.keys(doc), [
    'version',
    'policy',
    'diffBase',
    'findings',
    'skipped',
    'notes',
    'warnings',
    'summary',
  ]);
  assert.deepEqual(Object.keys(doc.findings[0]), [
    'file',
    'line',
    'column',
    'endLine',
    'endColumn',
    'code',
    'severity',
    'message',
    'messageId',
    'symbol',
    'cName',
    'since',
    'receiverVia',
    'interval',
    'supportClass',
    'guards',
    'fixes',
  ]);
  assert.deepEqual(doc.summary, {
    files: 6,
    findings: 10,
    byCode: { LVG001: 3, LVG002: 4, LVG003: 1, LVG004: 1, LVG005: 1 },
    baselined: 0,
    outsideDiff: 0,
    fixesApplied: 0,
  });
  assert.equal(doc.policy['minVersion'], '1.0.0');
  assert.equal(doc.policy['configFile'], 'pyproject.toml');
});

test('sarif: 2.1.0 shape, one rule per code, 1-based regions, fingerprints, fixes', async () => {
  const r = await run(['check', '--format', 'sarif']);
  assert.equal(r.status, 1);
  assertGolden('project.sarif', r.stdout.split(pathToFileURL(projectDir).href).join('file:///PROJECT'));
  const log = JSON.parse(r.stdout) as Sarif.Log;
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs.length, 1);
  const run0 = log.runs[0];
  const descriptors = run0.tool.driver.rules ?? [];
  assert.deepEqual(
    descriptors.map((d) => d.id),
    rules.map((x) => x.code),
  );
  for (const d of descriptors) {
    assert.ok(d.name && d.shortDescription?.text && d.helpUri?.endsWith(`/docs/rules/${d.id}.md`));
    assert.ok(['error', 'warning', 'note'].includes(d.defaultConfiguration?.level ?? ''));
  }
  const results = run0.results ?? [];
  assert.equal(results.length, 10);
  for (const res of results) {
    assert.ok(res.ruleId && res.message.text && ['error', 'warning', 'note'].includes(res.level ?? ''));
    assert.equal(descriptors[res.ruleIndex ?? -1].id, res.ruleId);
    const region = res.locations?.[0].physicalLocation?.region;
    assert.ok(region && (region.startLine ?? 0) >= 1 && (region.startColumn ?? 0) >= 1);
    assert.match(res.partialFingerprints?.['libvirtGate/v1'] ?? '', /^[0-9a-f]{32}:\d+$/);
    for (const fix of res.fixes ?? []) {
      assert.ok(fix.artifactChanges.length === 1 && fix.artifactChanges[0].replacements.length >= 1);
    }
  }
  const first = results[0];
  assert.deepEqual(first.locations?.[0].physicalLocation, {
    artifactLocation: { uri: 'driver/addresses.py', uriBaseId: '%SRCROOT%' },
    region: { startLine: 8, startColumn: 20, endLine: 8, endColumn: 38 },
  });
});

test('github: workflow commands per severity', async () => {
  const r = await run(['check', '--format', 'github', 'driver/migration.py', 'driver/blockjob.py']);
  assert.equal(r.status, 1);
  assertGolden('project.github', r.stdout);
  assert.match(
    r.stdout,
    /^::error file=driver\/blockjob\.py,line=11,col=29,endLine=11,endColumn=61,title=LVG003::libvirt\.VIR_DOMAIN_BLOCK_REBASE_RELATIVE needs/,
  );
  assert.match(r.stdout, /\n::notice file=driver\/blockjob\.py,line=15,col=12,[^:]*title=LVG004::Obsolete/);
});

test('--fail-on thresholds', async () => {
  assert.equal((await run(['check', '--fail-on', 'error'])).status, 1);
  assert.equal((await run(['check', '--fail-on', 'never'])).status, 0);
  assert.equal((await run(['check', '--select', 'LVG001,LVG005', '--fail-on', 'error'])).status, 0);
  assert.equal((await run(['check', '--select', 'LVG004', '--fail-on', 'info'])).status, 0);
  assert.equal((await run(['check', 'driver/clean.py'])).status, 0);
});

test('--select / --ignore choose rules', async () => {
  const r = await run(['check', '--select', 'LVG003,LVG005']);
  assert.deepEqual(
    r.stdout
      .split('\n')
      .filter((l) => /^driver/.test(l))
      .map((l) => l.split(' ')[1]),
    ['LVG003', 'LVG005'],
  );
  const ig = await run(['check', '--ignore', 'LVG001', '--ignore', 'LVG002']);
  assert.match(ig.stdout, /6 files checked, 3 findings \(LVG003: 1, LVG004: 1, LVG005: 1\)/);
});

test('flags override the config file', async () => {
  const r = await run([
    'check',
    '--min-version',
    '1.3.3',
    '--ci',
    'gate=1.3.3,2.0.0',
    '--select',
    'LVG001,LVG002',
    'driver/migration.py',
  ]);
  assert.equal(r.stdout, '1 file checked, 0 findings in 0.00 s\n');
  assert.equal(r.status, 0);
  const preset = await run(['check', '--ci', 'ubuntu-14.04', '--format', 'json', 'driver/clean.py']);
  assert.deepEqual((JSON.parse(preset.stdout) as { policy: { ci: unknown } }).policy.ci, [
    { name: 'ubuntu-14.04', libvirt: '1.2.2', qemu: '2.0.0', kind: 'upstream', preset: 'ubuntu-14.04' },
  ]);
});

test('usage errors: one line, exit 2', async () => {
  const cases: [string[], string][] = [
    [
      [],
      'missing command; usage: libvirt-gate check|matrix [PATH...] [OPTIONS] or libvirt-gate config [PATH] [OPTIONS] (see --help)',
    ],
    [['lint'], 'unknown command "lint"; the commands are "check", "matrix" and "config" (see --help)'],
    [
      ['chekc'],
      'unknown command "chekc"; did you mean "check"? the commands are "check", "matrix" and "config" (see --help)',
    ],
    [['check', '--distros', 'debian-12'], '--distros is not an option of "check" (see libvirt-gate check --help)'],
    [['matrix', '--cache'], '--cache is not an option of "matrix" (see libvirt-gate matrix --help)'],
    [['check', '--fial-on', 'error'], 'unknown option --fial-on; did you mean --fail-on? (see --help)'],
    [['check', '--format', 'xml'], '--format "xml": expected one of text, json, sarif, github'],
    [['check', '--fail-on', 'hint'], '--fail-on "hint": expected one of error, warning, info, never'],
    [
      ['check', '--min-version', '1.2'],
      '--min-version "1.2": expected a libvirt version "major.minor.micro" such as "8.0.0", or "auto"',
    ],
    [
      ['check', '--min-qemu-version', 'v6.2.0'],
      '--min-qemu-version "v6.2.0": expected a QEMU version "major.minor.micro" such as "6.2.0", or "auto"',
    ],
    [
      ['check', '--ci', 'gate=10'],
      '--ci "gate=10": expected a libvirt version "major.minor.micro" such as "10.0.0" after "="',
    ],
    [
      ['check', '--ci', 'gate=10.0.0,8'],
      '--ci "gate=10.0.0,8": expected a QEMU version "major.minor.micro" such as "8.2.2" after ","',
    ],
    [
      ['check', '--ci', 'ubuntu-26.04'],
      '--ci "ubuntu-26.04": unknown preset; known ubuntu presets: ubuntu-14.04, ubuntu-16.04, ubuntu-18.04, ubuntu-20.04, ubuntu-22.04, ubuntu-24.04; or give versions: NAME=LIBVIRT[,QEMU][:third-party]',
    ],
    [
      ['check', '--ci', 'gate=rhel-9:third-party'],
      '--ci "gate=rhel-9:third-party": "rhel-9": unknown preset; presets name a minor release: rhel-9.0, rhel-9.2, rhel-9.4, rhel-9.6; or give versions: NAME=LIBVIRT[,QEMU][:third-party]',
    ],
    [
      ['check', '--ci', 'ubunut-24.04'],
      '--ci "ubunut-24.04": unknown preset; did you mean "ubuntu-24.04"? Known presets: ubuntu-14.04, ubuntu-16.04, ubuntu-18.04, ubuntu-20.04, ubuntu-22.04, ubuntu-24.04, debian-11, debian-12, debian-13, rhel-8.10, rhel-9.0, rhel-9.2, rhel-9.4, rhel-9.6, rhel-10.0; or give versions: NAME=LIBVIRT[,QEMU][:third-party]',
    ],
    [['check', '--ci', 'a=1.0.0', '--ci', 'a=2.0.0'], '--ci "a": duplicate CI job name'],
    [['check', '--select', 'LVG01'], '--select "LVG01": expected comma-separated rule codes such as "LVG001,LVG002"'],
    [['check', '--output'], '--output needs a value'],
    [['check', '--unsafe-fixes'], '--unsafe-fixes needs --fix or --diff'],
    [['check', 'nope.py'], 'nope.py: no such file or directory'],
    [['check', '--config', 'nope.toml'], '--config nope.toml: no such file'],
    [['check', '--baseline', 'nope.json'], '--baseline nope.json: no such file'],
  ];
  for (const [argv, message] of cases) {
    const r = await run(argv);
    assert.deepEqual([r.status, r.stderr, r.stdout], [2, `libvirt-gate: ${message}\n`, ''], argv.join(' '));
  }
});

test('config errors: one line naming file, key and value', async () => {
  const cases: [string, string, string][] = [
    [
      'pyproject.toml',
      '[tool.libvirt-gate]\nmin-version = "1.2"\n',
      'pyproject.toml: [tool.libvirt-gate] min-version = "1.2": expected a libvirt version "major.minor.micro" such as "8.0.0", or "auto"',
    ],
    [
      '.libvirt-gate.toml',
      'mni-version = "8.0.0"\n',
      '.libvirt-gate.toml: mni-version = "8.0.0": unknown key; did you mean "min-version"? Valid keys: min-version, min-qemu-version, ci, gate, version-checks, feature-checks, probes, receivers, untested-includes-class-b, select, ignore, severity, exclude, distros',
    ],
    ['.libvirt-gate.toml', 'ci = []\n', '.libvirt-gate.toml: ci = []: expected at least one CI job'],
    [
      'pyproject.toml',
      '[tool.libvirt-gate]\nmin-version = "1.2\n',
      'pyproject.toml:2:19: invalid TOML: control characters are not allowed in strings',
    ],
  ];
  for (const [name, text, message] of cases) {
    const root = tempDir({ [name]: text, 'pkg/a.py': 'import libvirt\n' });
    const r = await run(['check', 'pkg'], { cwd: root });
    assert.deepEqual([r.status, r.stderr, r.stdout], [2, `libvirt-gate: ${message}\n`, ''], name);
  }
  const root = tempDir({ 'cfg.toml': 'gate = "x"\n', 'a.py': '' });
  const r = await run(['check', '--config', 'cfg.toml'], { cwd: root });
  assert.equal(r.stderr, 'libvirt-gate: cfg.toml: gate = "x": expected an array of strings\n');
});

test('--output writes the report atomically, stdout stays empty', async () => {
  const root = tempDir({ 'a.py': 'import libvirt\nflags = libvirt.VIR_MIGRATE_POST_COPY\n' });
  const r = await run(['check', '--format', 'json', '--output', 'report.json'], { cwd: root });
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  const doc = JSON.parse(fs.readFileSync(path.join(root, 'report.json'), 'utf8')) as { findings: { code: string }[] };
  assert.deepEqual(
    doc.findings.map((f) => f.code),
    ['LVG005'],
  );
  assert.deepEqual(fs.readdirSync(root).sort(), ['a.py', 'report.json']);
});

test('--version, --help, --stats', async () => {
  assert.deepEqual(await run(['--version']), { status: 0, stdout: 'libvirt-gate 0.1.0\n', stderr: '' });
  const help = await run(['check', '--help']);
  assert.equal(help.status, 0);
  assert.ok(help.stdout.startsWith('Usage: libvirt-gate check [PATH...] [OPTIONS]\n'));
  const stats = await run(['check', '--stats', 'driver']);
  assert.match(
    stats.stderr,
    /^files: 6 \(0\.0 MB\), analyzed 4, skipped by the prefilter 2, not readable 0\ntime: discover /,
  );
});

test('json: receiverVia says why a receiver has its class; receivers = { dev = false } removes a default', async () => {
  const driver = [
    'import libvirt',
    '',
    '',
    'class Devices(object):',
    '    def snapshots(self, conn, name):',
    '        dom = conn.lookupByName(name)',
    '        for snap in dom.listAllSnapshots():',
    '            snap.getName()',
    '        return dom.fsFreeze()',
    '',
    '    def refresh(self, dev, extra):',
    '        dev.update(extra)',
    '',
  ].join('\n');
  const config = '[tool.libvirt-gate]\nmin-version = "0.9.0"\nignore = ["LVG001"]\n';
  const root = tempDir({ 'pyproject.toml': config, 'driver.py': driver });
  const r = await run(['check', '--format', 'json'], { cwd: root });
  const doc = JSON.parse(r.stdout) as { findings: { line: number; symbol: string; receiverVia: unknown }[] };
  assert.deepEqual(
    doc.findings.map((f) => [f.line, f.symbol, f.receiverVia]),
    [
      [
        7,
        'virDomain.listAllSnapshots',
        {
          kind: 'return-type',
          text: 'dom = conn.lookupByName(...)',
          line: 6,
          producer: { symbol: 'virConnect.lookupByName', since: '0.0.3' },
          candidates: null,
        },
      ],
      [
        9,
        'virDomain.fsFreeze',
        {
          kind: 'return-type',
          text: 'dom = conn.lookupByName(...)',
          line: 6,
          producer: { symbol: 'virConnect.lookupByName', since: '0.0.3' },
          candidates: null,
        },
      ],
      [12, 'virNodeDevice.update', { kind: 'name-map', text: 'dev', line: 12, producer: null, candidates: null }],
    ],
  );
  // snap.getName() (0.9.5) is not reported: a snapshot exists only where listAllSnapshots (0.9.13) ran.
  fs.writeFileSync(path.join(root, 'pyproject.toml'), `${config}receivers = { dev = false }\n`);
  const removed = JSON.parse((await run(['check', '--format', 'json'], { cwd: root })).stdout) as {
    findings: { symbol: string }[];
    policy: { receivers: Record<string, string> };
  };
  assert.deepEqual(
    removed.findings.map((f) => f.symbol),
    ['virDomain.listAllSnapshots', 'virDomain.fsFreeze'],
  );
  assert.equal('dev' in removed.policy.receivers, false);
});

test('notes: syntax errors (with the first one), code nested too deeply and lone CRs, in every format and from the cache', async () => {
  // Valid Python (CPython allows 200 nested brackets) that the walk stops in, at 120 levels.
  const deep = `import libvirt\n\n\ndef f(dom):\n    x = ${'['.repeat(130)}dom.blockCopy(1, 2, 3, 4)${']'.repeat(130)}\n`;
  const root = tempDir({
    'broken.py': 'import libvirt\ndef f(dom:\n    pass\n\ndef g(dom):\n    dom.blockCopy(1, 2, 3, 4)\n',
    'cr.py': 'import libvirt\nx = 1\rdef g(dom):\n    dom.blockCopy(1, 2, 3, 4)\n',
    'deep.py': deep,
    'fine.py': 'import libvirt\n',
  });
  const args = ['check', '.', '--min-version', '1.0.0'];
  const brokenNote =
    "2 syntax errors (the first on line 2: '(' was never closed): the code around them may not be analyzed, and no fixes are offered";
  const crNote = 'no fixes offered: some lines end with a lone carriage return (\\r)';
  const text = await run(args, { cwd: root });
  const notes = text.stdout.split('\n').filter((l) => l.includes(': note: '));
  assert.deepEqual(notes.slice(0, 2), [`broken.py: note: ${brokenNote}`, `cr.py: note: ${crNote}`]);
  assert.deepEqual(notes.slice(2), ['deep.py: note: parts nested deeper than 120 levels were not analyzed']);
  const json = JSON.parse((await run([...args, '--format', 'json'], { cwd: root })).stdout) as {
    notes: { file: string; reason: string }[];
  };
  assert.deepEqual(json.notes.slice(0, 2), [
    { file: 'broken.py', reason: brokenNote },
    { file: 'cr.py', reason: crNote },
  ]);
  const sarif = JSON.parse((await run([...args, '--format', 'sarif'], { cwd: root })).stdout) as Sarif.Log;
  const notifications = sarif.runs[0]?.invocations?.[0]?.toolExecutionNotifications ?? [];
  assert.deepEqual(
    notifications.map((n) => [n.locations?.[0]?.physicalLocation?.artifactLocation?.uri, n.level, n.message.text]),
    json.notes.map((n) => [n.file, 'note', n.reason]),
  );
  const github = (await run([...args, '--format', 'github'], { cwd: root })).stdout;
  assert.ok(github.includes(`::notice file=broken.py,title=libvirt-gate::${brokenNote}\n`));
  // The cache keeps an analysis' notes with its findings.
  const cached = [...args, '--cache'];
  assert.equal((await run(cached, { cwd: root })).stdout, text.stdout);
  assert.equal((await run(cached, { cwd: root })).stdout, text.stdout);
});
