// Version checks in other shapes than has_min_version (runtime version comparisons, configured
// string/keyword checks, feature checks, probes): edge cases of reading them, and the workspace
// summary of helpers that return them (plain data that crosses files and worker threads).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Policy } from '../../server/src/config/policy';
import { formatVersion } from '../../server/src/data/version';
import { analyzeDocument, summaryOptionsFor, WorkspaceIndex } from '../../server/src/engine/api';
import type { Cond } from '../../server/src/engine/semantic/conditions';
import { summarizeFile } from '../../server/src/engine/workspace/summarize';
import { examplePolicy } from '../support/examplePolicy';
import { ready } from '../support/engineHarness';

before(ready);

const configured: Policy = {
  ...examplePolicy,
  versionChecks: [...examplePolicy.versionChecks, 'check_version', 'min_version'],
  versionCheckSpecs: [
    {
      name: 'check_version',
      axis: 'libvirt',
      form: 'string',
      arg: 0,
      parts: ['major', 'minor', 'micro'],
      exact: false,
    },
    { name: 'min_version', axis: 'qemu', form: 'keywords', arg: 0, parts: ['major', 'minor', 'micro'], exact: false },
  ],
  featureChecks: [{ name: 'has_flag' }],
  probes: ['self.*_supported'],
};

/** LVG002/LVG003 (`code@line`) when `condition` guards `dom.fsFreeze()` (needs 1.2.5) on line 6. */
function unguardedLines(condition: string, policy: Policy = examplePolicy): string[] {
  const text = [
    'import libvirt',
    'import libvirt as lv',
    '',
    'def f(conn, dom, x, image):',
    `    if ${condition}:`,
    '        dom.fsFreeze()',
    '',
  ].join('\n');
  const index = new WorkspaceIndex(summaryOptionsFor([policy]));
  index.setFile('file:///t.py', text);
  return analyzeDocument({ uri: 'file:///t.py', text }, index, policy)
    .findings.filter((f) => f.code === 'LVG002' || f.code === 'LVG003')
    .map((f) => `${f.code}@${f.range.start.line + 1}`);
}

test('comparisons of the runtime version: what guards and what does not', () => {
  const guards = [
    'conn.getLibVersion() >= 1_002_005',
    'conn.getLibVersion() >= 1002005 - 0',
    'conn.getLibVersion() >= 1000 * 1000 * 1 + 2005',
    'conn.getLibVersion() >= ((1) * 1000000) + (2 * 1000 + 5)',
    'x.getLibVersion() >= 1002005',
    'lv.getVersion() >= 1002005',
    '1002004 < conn.getLibVersion() > 5',
    'x and conn.getLibVersion() >= 1002005',
    '(conn.getLibVersion()) >= (1002005)',
  ];
  for (const c of guards) assert.deepEqual(unguardedLines(c), [], c);
  const noGuard = [
    'conn.getLibVersion() >= "1002005"',
    'conn.getLibVersion() >= 1.2',
    'conn.getLibVersion() >= 2 ** 21',
    'conn.getLibVersion() >= 1002005 // 1',
    'conn.getLibVersion() >= -1002005',
    'conn.getLibVersion() in (1002005, 1002006)',
    'conn.getLibVersion() is not None',
    'conn.getLibVersion >= 1002005',
    'conn.getLibVersion() >= conn.getLibVersion()',
    'libvirt.getVersion("QEMU") >= 1002005',
    'conn.getVersion() >= 1002005',
    'image.getVersion() >= 1002005',
    'x.getVersion() >= 1002005',
    'conn.getLibVersion() >= 1002005 or x',
    'conn.getLibVersion() >= 99999999999999999999',
  ];
  for (const c of noGuard) assert.deepEqual(unguardedLines(c), ['LVG002@6'], c);
  // Too low: a guard, too weak.
  assert.deepEqual(unguardedLines('conn.getLibVersion() > 1002004 - 1'), ['LVG003@6']);
});

test('configured checks: string, keyword parts, feature checks and probes', () => {
  for (const c of [
    'check_version("1.2.5")',
    "x.check_version('1.2.5')",
    'check_version("1.3")',
    'check_version("2")',
    'has_flag("fsFreeze")',
    'has_flag(x, "virDomain.fsFreeze")',
    'self.fsfreeze_supported',
    'self.fsfreeze_supported() and x',
  ])
    assert.deepEqual(unguardedLines(c, configured), [], c);
  assert.deepEqual(unguardedLines('check_version("1.2")', configured), ['LVG003@6']);
  for (const c of [
    'check_version("1.2.5.1")',
    'check_version("v1.2.5")',
    'check_version(f"1.2.{x}")',
    'check_version("1.2" "." "5")',
    'check_version(1002005)',
    'min_version(major=1, minor=2, micro=5)',
    'has_flag("fsFreeze()")',
    'has_flag("rename")',
    'has_flag(name="fsFreeze")',
    'self.supported',
    'x.fsfreeze_supported',
  ])
    assert.deepEqual(unguardedLines(c, configured), ['LVG002@6'], c);
  // Without the configuration none of them guards.
  assert.deepEqual(unguardedLines('check_version("1.2.5")'), ['LVG002@6']);
  assert.deepEqual(unguardedLines('has_flag("fsFreeze")'), ['LVG002@6']);
  assert.deepEqual(unguardedLines('self.fsfreeze_supported'), ['LVG002@6']);
});

/** A Cond in one line: `libvirt>=1.2.5`, `probe(getDomainCapabilities)`, `not(...)`. */
function describe(c: Cond): string {
  switch (c.k) {
    case 'check':
      return `${c.axis}${c.exact ? '==' : '>='}${formatVersion(c.version)}`;
    case 'hasattr':
      return `hasattr(${c.symbol})`;
    case 'probe':
      return `probe(${c.symbols?.join(',') ?? '*'})`;
    case 'gate':
      return `gate(${c.gate.text})`;
    case 'not':
      return `not(${describe(c.c)})`;
    case 'and':
    case 'or':
      return `${c.k}(${describe(c.a)}, ${describe(c.b)})`;
    default:
      return 'none';
  }
}

const helperFile = `import libvirt

MIN_LIBVIRT_FREEZE_VERSION = 1002005


def has_freeze(conn):
    return conn.getLibVersion() >= MIN_LIBVIRT_FREEZE_VERSION


def qemu_new_enough(conn):
    return conn.getVersion() >= 2005000


def between(conn):
    libver = conn.getLibVersion()
    if not 1002005 <= libver < 1002009:
        return False
    return True


def probe_caps(conn):
    try:
        conn.getDomainCapabilities()
    except (libvirt.libvirtError, AttributeError):
        return False
    return True


def has_postcopy(caps):
    return caps.has_flag("VIR_MIGRATE_POSTCOPY")


def has_rename(host):
    return host.check_version("1.2.19")


def qemu_parts(host):
    return host.min_version(major=2, minor=5)


def freeze_probed(self):
    return self.freeze_supported
`;

function helpersOf(policy: Policy): Record<string, string> {
  const summary = summarizeFile('file:///w/host_checks.py', helperFile, summaryOptionsFor([policy]));
  // Plain data: a structured clone (what crosses to a worker) is equal to the original.
  assert.deepEqual(structuredClone(summary.moduleHelpers), summary.moduleHelpers);
  return Object.fromEntries(
    [...summary.moduleHelpers].filter(([, h]) => h.cond).map(([name, h]) => [name, describe(h.cond ?? { k: 'none' })]),
  );
}

test('the workspace summary keeps helpers that return the new forms', () => {
  // Built in: comparisons and inferred probes. conn.getVersion() is not read here: summaries
  // know no receivers name map, so `conn` is not known to be a connection.
  assert.deepEqual(helpersOf(examplePolicy), {
    has_freeze: 'libvirt>=1.2.5',
    between: 'and(libvirt>=1.2.5, not(libvirt>=1.2.9))',
    probe_caps: 'probe(getDomainCapabilities)',
  });
  assert.deepEqual(helpersOf(configured), {
    has_freeze: 'libvirt>=1.2.5',
    between: 'and(libvirt>=1.2.5, not(libvirt>=1.2.9))',
    probe_caps: 'probe(getDomainCapabilities)',
    has_postcopy: 'hasattr(VIR_MIGRATE_POSTCOPY)',
    has_rename: 'libvirt>=1.2.19',
    qemu_parts: 'qemu>=2.5.0',
    freeze_probed: 'probe(*)',
  });
});

test('summary options join the check keys of every policy, each name once', () => {
  const other: Policy = {
    ...examplePolicy,
    versionChecks: ['check_version'],
    versionCheckSpecs: [{ ...configured.versionCheckSpecs![0]!, form: 'any' }],
    featureChecks: [{ name: 'has_flag', arg: 1 }, { name: 'supports' }],
    probes: ['self.*_supported', '*.support.*'],
  };
  const options = summaryOptionsFor([configured, other, examplePolicy]);
  assert.deepEqual(options.versionChecks, [...configured.versionChecks]);
  assert.deepEqual(
    options.versionCheckSpecs?.map((s) => [s.name, s.form]),
    [
      ['check_version', 'string'],
      ['min_version', 'keywords'],
    ],
  );
  assert.deepEqual(options.featureChecks, [{ name: 'has_flag' }, { name: 'supports' }]);
  assert.deepEqual(options.probes, ['self.*_supported', '*.support.*']);
});

test('the gate is recognized however it is spaced, broken or commented, and nothing that only looks like it', () => {
  const gated = (condition: string): boolean => {
    const text = ['import libvirt', '', 'def f(dom):', `    if ${condition}:`, '        dom.fsFreeze()', ''].join('\n');
    return analyzeDocument({ uri: 'file:///g.py', text }, undefined, examplePolicy).hovers.some(
      (h) => h.kind === 'gate',
    );
  };
  for (const condition of [
    'CONF.libvirt.enable_untested_features',
    '(CONF.libvirt.enable_untested_features)',
    'CONF . libvirt . enable_untested_features',
    'CONF.libvirt.\\\n            enable_untested_features',
    '(CONF.libvirt  # the opt-in\n            .enable_untested_features)',
  ])
    assert.equal(gated(condition), true, condition);
  for (const condition of [
    'CONF.libvirt.enable_untested_features_x',
    'XCONF.libvirt.enable_untested_features',
    'CONF.libvirt.enable_untested',
    'CONF.libvirt.enable_untested_features()',
  ])
    assert.equal(gated(condition), false, condition);
});
