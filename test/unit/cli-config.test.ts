// `libvirt-gate config` (the resolved policy and where each value came from) and the warning
// for exclude patterns that match nothing (stderr, JSON, SARIF, GitHub; the status stays).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { formatPolicyJson, formatPolicyText } from '../../server/src/cli/policyView';
import { patternsMatchingNothing } from '../../server/src/config/excludePatterns';
import { resolvePolicyForFile } from '../../server/src/config/loadConfig';
import { configKeys, type ConfigLayer } from '../../server/src/config/validate';
import { run, tempDir } from '../cli/harness';

const pyproject = [
  '[project]',
  'name = "drv"',
  '',
  '[tool.libvirt-gate]',
  'min-qemu-version = "auto"',
  'gate = ["CONF.libvirt.enable_untested_features", "CONF.drv.new_things"]',
  'exclude = ["drv/tests/**", "docs"]',
  '',
  '[tool.libvirt-gate.severity]',
  'LVG006 = "hint"',
  '',
  '[[tool.libvirt-gate.ci]]',
  'preset = "ubuntu-22.04"',
  '',
  '[[tool.libvirt-gate.ci]]',
  'name = "nightly"',
  'libvirt = "9.0.0"',
  'kind = "third-party"',
  '',
].join('\n');

/** A small project: MIN_* constants for "auto", a tests folder the config excludes, no `docs`. */
function project(): string {
  return tempDir({
    'pyproject.toml': pyproject,
    'drv/__init__.py': '',
    'drv/consts.py': 'MIN_LIBVIRT_VERSION = (7, 0, 0)\nMIN_QEMU_VERSION = (5, 2, 0)\n',
    'drv/a.py': 'import libvirt\n\n\ndef f(dom):\n    return dom.name()\n',
    'drv/tests/test_a.py': 'import libvirt\n',
  });
}

/** A value padded to the value column (44 characters and 2 of gap), or followed by 2 spaces when longer. */
function cell(text: string): string {
  return text.length + 2 > 46 ? `${text}  ` : text.padEnd(46);
}

const defaultRows = {
  versionChecks: [
    'version-checks             has_min_version                               default',
    '                           _has_min_version',
    '                           _conn_has_min_version',
    '                           has_version',
  ],
  receivers: [
    'receivers                  _domain = virDomain                           default',
    '                           dom = virDomain',
    '                           domain = virDomain',
    '                           virt_dom = virDomain',
    '                           guest._domain = virDomain',
    '                           conn = virConnect',
    '                           _conn = virConnect',
    '                           get_connection() = virConnect',
    '                           _get_connection() = virConnect',
    '                           secret = virSecret',
    '                           dev = virNodeDevice',
  ],
  distros: [
    'distros                    ubuntu-24.04                                  default',
    '                           debian-13',
    '                           rhel-9.6',
    '                           rhel-10.0',
  ],
};

test('config: text, every origin kind (default, config file and line, flag, auto), aligned', async () => {
  const root = project();
  const r = await run(['config', 'drv/a.py', '--select', 'LVG001,LVG002', '--exclude', 'build'], { cwd: root });
  assert.equal(r.status, 0);
  assert.equal(
    r.stderr,
    [
      `libvirt-gate: warning: pyproject.toml: [tool.libvirt-gate] exclude = "docs" matches no file or folder under ${root} (patterns are relative to the config file's folder)`,
      `libvirt-gate: warning: --exclude "build" matches no file or folder under ${root} (patterns are relative to the working folder)`,
      '',
    ].join('\n'),
  );
  assert.equal(
    r.stdout,
    [
      'Policy for drv/a.py',
      'Config file: pyproject.toml [tool.libvirt-gate]',
      '',
      'min-version                7.0.0                                         auto: MIN_LIBVIRT_VERSION in drv/consts.py',
      'min-qemu-version           5.2.0                                         auto: MIN_QEMU_VERSION in drv/consts.py; "auto" set at pyproject.toml:5 [tool.libvirt-gate]',
      'ci                         ubuntu-22.04 (preset): libvirt 8.0.0, QEMU 6.2.0, upstream  pyproject.toml:12 [tool.libvirt-gate]',
      '                           nightly: libvirt 9.0.0, QEMU not stated, third-party',
      'gate                       CONF.libvirt.enable_untested_features         pyproject.toml:6 [tool.libvirt-gate]',
      '                           CONF.drv.new_things',
      ...defaultRows.versionChecks,
      'feature-checks             (none)                                        default',
      'probes                     (none)                                        default',
      ...defaultRows.receivers,
      'untested-includes-class-b  false                                         default',
      'select                     LVG001                                        --select',
      '                           LVG002',
      'ignore                     (none)                                        default',
      'severity                   LVG006 = hint                                 pyproject.toml:9 [tool.libvirt-gate]',
      `exclude                    ${cell(`drv/tests/** (under ${root})`)}pyproject.toml:7 [tool.libvirt-gate]`,
      `                           docs (under ${root})`,
      `                           ${cell(`build (under ${root})`)}--exclude`,
      ...defaultRows.distros,
      '',
    ].join('\n'),
  );
});

test('config: flags override the file (what a flag changes), defaults without a config', async () => {
  const root = project();
  const r = await run(['config', '--min-version', '6.0.0', '--ci', 'gate=10.0.0', '--gate', 'CONF.x'], { cwd: root });
  assert.equal(r.status, 0);
  const lines = r.stdout.split('\n');
  assert.deepEqual(lines.slice(0, 8), [
    'Policy for files in the working folder',
    'Config file: pyproject.toml [tool.libvirt-gate]',
    '',
    'min-version                6.0.0                                         --min-version',
    'min-qemu-version           5.2.0                                         auto: MIN_QEMU_VERSION in drv/consts.py; "auto" set at pyproject.toml:5 [tool.libvirt-gate]',
    'ci                         gate: libvirt 10.0.0, QEMU not stated, upstream  --ci',
    'gate                       CONF.x                                        --gate',
    ...defaultRows.versionChecks.slice(0, 1),
  ]);

  // No config file: defaults, and "auto" reads PATH's files (here none define a constant).
  const bare = tempDir({ 'pkg/m.py': 'import libvirt\n' });
  const d = await run(['config', 'pkg'], { cwd: bare });
  assert.deepEqual([d.status, d.stderr], [0, '']);
  assert.deepEqual(d.stdout.split('\n').slice(0, 7), [
    'Policy for files in pkg',
    'Config file: none (defaults and command-line flags)',
    '',
    'min-version                8.0.0                                         default',
    'min-qemu-version           6.2.0                                         default',
    'ci                         ubuntu-24.04 (preset): libvirt 10.0.0, QEMU 8.2.2, upstream  default',
    'gate                       CONF.libvirt.enable_untested_features         default',
  ]);
  assert.match(
    d.stdout,
    /\nselect {21}\(the rules' defaults: LVG001, LVG002, LVG003, LVG004, LVG005, LVG006, LVG008, LVG009, LVG010\) {2}default\n/,
  );
  assert.match(d.stdout, /\nexclude {20}\(none\) {40}default\n/);
});

test('config --format json: one entry per config key, with value, origin and per-item origins', async () => {
  const root = project();
  const r = await run(['config', 'drv', '--format', 'json', '--ignore', 'LVG007', '--exclude', 'drv/a.py'], {
    cwd: root,
  });
  assert.equal(r.status, 0);
  const doc = JSON.parse(r.stdout) as {
    policy: Record<string, { value: unknown; origin: unknown; items?: unknown[] }>;
  } & Record<string, unknown>;
  assert.deepEqual(Object.keys(doc), ['version', 'file', 'configFile', 'configTable', 'policy', 'warnings']);
  assert.deepEqual(
    [doc['file'], doc['configFile'], doc['configTable']],
    ['drv/__probe__.py', 'pyproject.toml', 'tool.libvirt-gate'],
  );
  // Every validated key, in the validator's order: a key added there shows up here.
  assert.deepEqual(Object.keys(doc.policy), [...configKeys]);
  const file = (line: number): unknown => ({ kind: 'file', file: 'pyproject.toml', table: 'tool.libvirt-gate', line });
  assert.deepEqual(doc.policy['min-version'], {
    value: '7.0.0',
    origin: { kind: 'auto', constant: 'MIN_LIBVIRT_VERSION', file: 'drv/consts.py', requestedBy: null },
  });
  assert.deepEqual(doc.policy['min-qemu-version'], {
    value: '5.2.0',
    origin: { kind: 'auto', constant: 'MIN_QEMU_VERSION', file: 'drv/consts.py', requestedBy: file(5) },
  });
  assert.deepEqual(doc.policy['ci'], {
    value: [
      { name: 'ubuntu-22.04', libvirt: '8.0.0', qemu: '6.2.0', kind: 'upstream', preset: 'ubuntu-22.04' },
      { name: 'nightly', libvirt: '9.0.0', qemu: null, kind: 'third-party' },
    ],
    origin: file(12),
  });
  assert.deepEqual(doc.policy['ignore'], { value: ['LVG007'], origin: { kind: 'flag', flag: '--ignore' } });
  assert.deepEqual(doc.policy['select'], { value: null, origin: { kind: 'default' } });
  assert.deepEqual(doc.policy['severity'], {
    value: { LVG006: 'hint' },
    origin: file(9),
    items: [{ name: 'LVG006', value: 'hint', origin: file(9) }],
  });
  assert.deepEqual(doc.policy['receivers']?.items?.[0], {
    name: '_domain',
    value: 'virDomain',
    origin: { kind: 'default' },
  });
  assert.deepEqual(doc.policy['exclude'], {
    value: ['drv/tests/**', 'docs', 'drv/a.py'],
    origin: { kind: 'flag', flag: '--exclude' },
    items: [
      { pattern: 'drv/tests/**', base: root, origin: file(7) },
      { pattern: 'docs', base: root, origin: file(7) },
      { pattern: 'drv/a.py', base: root, origin: { kind: 'flag', flag: '--exclude' } },
    ],
  });
  assert.deepEqual(doc['warnings'], [
    {
      id: 'excludeMatchesNothing',
      message: `pyproject.toml: [tool.libvirt-gate] exclude = "docs" matches no file or folder under ${root} (patterns are relative to the config file's folder)`,
      file: 'pyproject.toml',
      line: 7,
      column: 28,
      pattern: 'docs',
      base: root,
    },
  ]);
});

test('config: a broken config is one line and status 2; usage errors; --help', async () => {
  const root = tempDir({ '.libvirt-gate.toml': 'min-version = "8.0"\n', 'a.py': '' });
  const r = await run(['config', 'a.py'], { cwd: root });
  assert.deepEqual(
    [r.status, r.stdout, r.stderr],
    [
      2,
      '',
      'libvirt-gate: .libvirt-gate.toml: min-version = "8.0": expected a libvirt version "major.minor.micro" such as "8.0.0", or "auto"\n',
    ],
  );
  const cases: [string[], string][] = [
    [['config', '--fix'], '--fix is not an option of config (see libvirt-gate config --help)'],
    [['config', '--fail-on', 'error'], '--fail-on is not an option of config (see libvirt-gate config --help)'],
    [['config', 'a.py', 'b.py'], 'config takes one PATH, not 2 (see libvirt-gate config --help)'],
    [['config', '--format', 'sarif'], '--format "sarif": expected text or json'],
    [
      ['config', '--min-version', '8'],
      '--min-version "8": expected a libvirt version "major.minor.micro" such as "8.0.0", or "auto"',
    ],
    [['config', '--config', 'nope.toml'], '--config nope.toml: no such file'],
    [
      ['cofnig'],
      'unknown command "cofnig"; did you mean "config"? the commands are "check", "matrix" and "config" (see --help)',
    ],
  ];
  for (const [argv, message] of cases) {
    const u = await run(argv, { cwd: root });
    assert.deepEqual([u.status, u.stderr, u.stdout], [2, `libvirt-gate: ${message}\n`, ''], argv.join(' '));
  }
  const help = await run(['config', '--help']);
  assert.equal(help.status, 0);
  assert.ok(help.stdout.startsWith('Usage: libvirt-gate config [PATH] [OPTIONS]\n\nPrints the policy'));
  assert.match(help.stdout, /\n {2}--format FORMAT {11}text \(default\) or json\n/);
  const main = await run(['--help']);
  assert.ok(
    main.stdout.startsWith(
      'Usage: libvirt-gate check [PATH...] [OPTIONS]\n       libvirt-gate matrix [PATH...] [OPTIONS]   (the support matrix; see matrix --help)\n       libvirt-gate config [PATH] [OPTIONS]      (the policy and its origins; see config --help)\n',
    ),
  );
  assert.match(main.stdout, /\nlibvirt-gate config \[PATH\] prints the policy a file at PATH gets/);
});

test('check: an exclude pattern that matches nothing is a warning, once per pattern; the status stays', async () => {
  const root = project();
  const docsWarning = `pyproject.toml: [tool.libvirt-gate] exclude = "docs" matches no file or folder under ${root} (patterns are relative to the config file's folder)`;
  // From drv/, "tests/**" is drv/tests/**: it matches. "nowhere" does not, however often it is given.
  const cwd = path.join(root, 'drv');
  const clean = await run(['check', '.', '--exclude', 'nowhere', '--exclude', 'nowhere', '--exclude', 'tests/**'], {
    cwd,
  });
  assert.equal(clean.status, 0);
  // The config file is outside the working folder: named by its absolute path.
  assert.equal(
    clean.stderr,
    [
      `libvirt-gate: warning: ${root}/pyproject.toml: [tool.libvirt-gate] exclude = "docs" matches no file or folder under ${root} (patterns are relative to the config file's folder)`,
      `libvirt-gate: warning: --exclude "nowhere" matches no file or folder under ${cwd} (patterns are relative to the working folder)`,
      '',
    ].join('\n'),
  );
  assert.equal(clean.stdout, '3 files checked, 0 findings in 0.00 s\n');

  // From the root, "tests/**" is relative to the working folder: nothing there. Findings keep status 1.
  fs.writeFileSync(path.join(root, 'drv', 'b.py'), 'import libvirt\nflags = libvirt.VIR_MIGRATE_POSTCOPY\n');
  const fromRoot = await run(['check', 'drv', '--exclude', 'tests/**', '--min-version', '1.0.0'], { cwd: root });
  assert.equal(fromRoot.status, 1);
  assert.equal(
    fromRoot.stderr,
    [
      `libvirt-gate: warning: ${docsWarning}`,
      `libvirt-gate: warning: --exclude "tests/**" matches no file or folder under ${root} (patterns are relative to the working folder)`,
      '',
    ].join('\n'),
  );

  // JSON carries them in `warnings`; SARIF as tool notifications; GitHub as ::warning lines.
  const argv = ['check', 'drv', '--exclude', 'tests/**', '--min-version', '1.0.0'];
  const json = JSON.parse((await run([...argv, '--format', 'json'], { cwd: root })).stdout) as { warnings: unknown[] };
  assert.deepEqual(json.warnings, [
    {
      id: 'excludeMatchesNothing',
      message: docsWarning,
      file: 'pyproject.toml',
      line: 7,
      column: 28,
      pattern: 'docs',
      base: root,
    },
    {
      id: 'excludeMatchesNothing',
      message: `--exclude "tests/**" matches no file or folder under ${root} (patterns are relative to the working folder)`,
      file: null,
      line: null,
      column: null,
      pattern: 'tests/**',
      base: root,
    },
  ]);
  const sarif = JSON.parse((await run([...argv, '--format', 'sarif'], { cwd: root })).stdout) as Sarif.Log;
  assert.deepEqual(sarif.runs[0].invocations, [
    {
      executionSuccessful: true,
      toolExecutionNotifications: [
        {
          level: 'warning',
          message: { text: docsWarning },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: 'pyproject.toml', uriBaseId: '%SRCROOT%' },
                region: { startLine: 7, startColumn: 28, endColumn: 34 },
              },
            },
          ],
        },
        {
          level: 'warning',
          message: {
            text: `--exclude "tests/**" matches no file or folder under ${root} (patterns are relative to the working folder)`,
          },
        },
      ],
    },
  ]);
  const github = (await run([...argv, '--format', 'github'], { cwd: root })).stdout.split('\n');
  assert.deepEqual(github.slice(0, 2), [
    `::warning file=pyproject.toml,line=7,col=28,endColumn=34,title=libvirt-gate::${docsWarning}`,
    `::warning title=libvirt-gate::--exclude "tests/**" matches no file or folder under ${root} (patterns are relative to the working folder)`,
  ]);
  assert.match(github[2], /^::error file=drv\/b\.py,line=2,col=17,[^:]*title=LVG002::/);
});

test('check: a pattern the run did not need still counts when it matches something under its folder', async () => {
  const root = project();
  fs.writeFileSync(path.join(root, 'pyproject.toml'), pyproject.replace('"docs"', '"drv/tests/test_a.py"'));
  // Only drv/a.py is walked; drv/tests/** and drv/tests/test_a.py (shadowed by the first) still match.
  const one = await run(['check', 'drv/a.py', '--exclude', 'drv/consts.py'], { cwd: root });
  assert.deepEqual([one.status, one.stderr], [0, '']);
  const all = await run(['check'], { cwd: root });
  assert.deepEqual([all.status, all.stderr], [0, '']);
});

test('patternsMatchingNothing: any file or folder counts; skipped folders by name only; links not followed', async () => {
  const outside = tempDir({ 'target/deep.py': '' });
  const root = tempDir({
    'docs/index.md': '',
    'node_modules/pkg/index.js': '',
    'src/.hidden/x.py': '',
  });
  fs.symlinkSync(outside, path.join(root, 'link'));
  const patterns = ['docs', '*.md', 'node_modules', 'node_modules/pkg/**', '.hidden', 'link', 'link/target/**', 'nope'];
  assert.deepEqual(await patternsMatchingNothing(root, patterns), ['node_modules/pkg/**', 'link/target/**', 'nope']);
  assert.deepEqual(await patternsMatchingNothing(path.join(root, 'missing'), ['a']), ['a']);
  assert.deepEqual(await patternsMatchingNothing(root, []), []);
});

test('config: a removed table entry (receivers = { dev = false }) is shown with the default it removes', () => {
  const root = tempDir({});
  // The command line has no receivers flag; a layer that removes an entry is built directly.
  const overrides = { receivers: { dev: false, vdom: 'virDomain' } } as unknown as ConfigLayer;
  const resolved = resolvePolicyForFile(path.join(root, 'a.py'), { overrides, cwd: root });
  const view = { file: 'a.py', resolved, cliExclude: [], cwd: root };
  const lines = formatPolicyText(view).split('\n');
  const first = lines.findIndex((l) => l.startsWith('receivers '));
  assert.deepEqual(lines.slice(first, first + 12), [
    ...defaultRows.receivers.slice(0, 10),
    `                           ${cell('dev = virNodeDevice (removed)')}--receivers`,
    '                           vdom = virDomain',
  ]);
  const doc = JSON.parse(formatPolicyJson(view, '0.0.0', [])) as {
    policy: { receivers: { value: Record<string, string>; items: unknown[] } };
  };
  assert.equal(doc.policy.receivers.value['dev'], undefined);
  assert.deepEqual(doc.policy.receivers.items.slice(-2), [
    { name: 'dev', value: null, removed: 'virNodeDevice', origin: { kind: 'flag', flag: '--receivers' } },
    { name: 'vdom', value: 'virDomain', origin: { kind: 'flag', flag: '--receivers' } },
  ]);
});
