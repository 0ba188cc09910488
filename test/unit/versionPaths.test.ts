// AnalysisResult.paths: the version-dependent code paths the support matrix is built from.
// Exact kinds, ranges, lines, intervals, classes, CI jobs, gates and attached findings.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeDocument, type AnalysisResult, type PathFacts } from '../../server/src/engine/api';
import { formatVersion } from '../../server/src/data/version';
import { allFixtureFiles, analyzeFixture, fixturesDir, ready } from '../support/engineHarness';
import { examplePolicy } from '../support/examplePolicy';

before(ready);

const interval = (i: { lo: number; hi: number }): string => `[${formatVersion(i.lo)}, ${formatVersion(i.hi)})`;
const pos = (p: { line: number; character: number }): string => `${p.line + 1}:${p.character + 1}`;

function render(p: PathFacts): string {
  const what = p.symbol?.python ?? p.guard?.text ?? '?';
  const flags = `${p.gated ? ' gated' : ''}${p.protected ? ' protected' : ''}`;
  return (
    `${p.kind} ${pos(p.range.start)}-${pos(p.range.end)} lines ${p.lines.start + 1}-${p.lines.end + 1} ${what} ` +
    `libvirt ${interval(p.interval.libvirt)} qemu ${interval(p.interval.qemu)} ${p.supportClass} ` +
    `jobs [${p.jobs.join(' ')}]${flags} findings [${p.findings.join(' ')}]`
  );
}

function analyze(text: string): AnalysisResult {
  return analyzeDocument({ uri: 'file:///w/driver.py', text }, undefined, examplePolicy);
}

const header = [
  'import libvirt',
  '',
  'MIN_LIBVIRT_POSTCOPY_VERSION = (1, 3, 3)',
  'MIN_LIBVIRT_URI3_VERSION = (1, 1, 0)',
  'MIN_LIBVIRT_RENAME_VERSION = (1, 2, 19)',
  'MIN_LIBVIRT_OLD_VERSION = (0, 9, 0)',
  'MIN_QEMU_X_VERSION = (2, 1, 0)',
  '',
  '',
  'class Driver(object):',
];

test('paths: if/elif/else, early exit, ternary and `and`, each with its interval, class and jobs', () => {
  const text = [
    ...header,
    '    def migrate(self, dom):',
    '        if self._host.has_min_version(MIN_LIBVIRT_POSTCOPY_VERSION):',
    "            dom.migrateToURI3('u', {}, libvirt.VIR_MIGRATE_POSTCOPY)",
    '        elif self._host.has_min_version(MIN_LIBVIRT_URI3_VERSION):',
    "            dom.migrateToURI3('u', {}, 0)",
    '        else:',
    "            dom.migrateToURI('u', 0, None, 0)",
    '',
    '    def rename(self, dom, name):',
    '        if not self._host.has_min_version(MIN_LIBVIRT_RENAME_VERSION):',
    '            return False',
    '        dom.rename(name)',
    '        return True',
    '',
    '    def expressions(self, dom):',
    "        a = dom.rename('x') if self._host.has_min_version(MIN_LIBVIRT_RENAME_VERSION) else None",
    "        b = self._host.has_min_version(MIN_LIBVIRT_URI3_VERSION) and dom.migrateToURI3('u', {}, 0)",
    '        return a, b',
    '',
  ].join('\n');
  const check = (name: string): string => `self._host.has_min_version(${name})`;
  assert.deepEqual(analyze(text).paths.map(render), [
    `if 12:12-12:68 lines 12-13 ${check('MIN_LIBVIRT_POSTCOPY_VERSION')} libvirt [1.3.3, ∞) qemu [0.0.0, ∞) C jobs [] findings [LVG001]`,
    'use 13:17-13:30 lines 13-13 virDomain.migrateToURI3 libvirt [1.3.3, ∞) qemu [0.0.0, ∞) C jobs [] findings []',
    'use 13:48-13:68 lines 13-13 libvirt.VIR_MIGRATE_POSTCOPY libvirt [1.3.3, ∞) qemu [0.0.0, ∞) C jobs [] findings []',
    `elif 14:14-14:66 lines 14-15 ${check('MIN_LIBVIRT_URI3_VERSION')} libvirt [1.1.0, 1.3.3) qemu [0.0.0, ∞) A jobs [gate libvirt-latest] findings []`,
    'use 15:17-15:30 lines 15-15 virDomain.migrateToURI3 libvirt [1.1.0, 1.3.3) qemu [0.0.0, ∞) A jobs [gate libvirt-latest] findings []',
    `else 16:9-16:13 lines 16-17 ${check('MIN_LIBVIRT_URI3_VERSION')} libvirt [1.0.0, 1.1.0) qemu [0.0.0, ∞) C jobs [] findings []`,
    `if 20:12-20:70 lines 20-21 ${check('MIN_LIBVIRT_RENAME_VERSION')} libvirt [1.0.0, 1.2.19) qemu [0.0.0, ∞) A jobs [gate libvirt-latest] findings []`,
    `after 22:9-22:25 lines 22-23 ${check('MIN_LIBVIRT_RENAME_VERSION')} libvirt [1.2.19, ∞) qemu [0.0.0, ∞) C jobs [] findings [LVG001]`,
    'use 22:13-22:19 lines 22-22 virDomain.rename libvirt [1.2.19, ∞) qemu [0.0.0, ∞) C jobs [] findings []',
    'use 26:17-26:23 lines 26-26 virDomain.rename libvirt [1.2.19, ∞) qemu [0.0.0, ∞) C jobs [] findings []',
    `if 26:32-26:86 lines 26-26 ${check('MIN_LIBVIRT_RENAME_VERSION')} libvirt [1.2.19, ∞) qemu [0.0.0, ∞) C jobs [] findings [LVG001]`,
    `else 26:92-26:96 lines 26-26 ${check('MIN_LIBVIRT_RENAME_VERSION')} libvirt [1.0.0, 1.2.19) qemu [0.0.0, ∞) A jobs [gate libvirt-latest] findings []`,
    `and 27:13-27:65 lines 27-27 ${check('MIN_LIBVIRT_URI3_VERSION')} libvirt [1.1.0, ∞) qemu [0.0.0, ∞) A jobs [gate libvirt-latest] findings []`,
    'use 27:74-27:87 lines 27-27 virDomain.migrateToURI3 libvirt [1.1.0, ∞) qemu [0.0.0, ∞) A jobs [gate libvirt-latest] findings []',
  ]);
});

test('paths: gated blocks, an obsolete check, hasattr, unguarded uses and a QEMU check', () => {
  const text = [
    ...header,
    '    def gated(self, dom):',
    '        if CONF.libvirt.enable_untested_features and self._host.has_min_version(MIN_LIBVIRT_POSTCOPY_VERSION):',
    '            dom.migrateStartPostCopy()',
    '        if CONF.libvirt.enable_untested_features:',
    "            dom.migrateToURI('u', 0, None, 0)",
    '',
    '    def old(self, conf):',
    '        if self._host.has_min_version(MIN_LIBVIRT_OLD_VERSION):',
    '            conf.x = 1',
    '        else:',
    '            conf.x = 0',
    '',
    '    def probe(self, dom):',
    "        if hasattr(dom, 'rename'):",
    "            dom.rename('y')",
    '        dom.undefine()',
    '        dom.fsFreeze()',
    '',
    '    def qemu(self, dom):',
    '        if self._host.has_min_version(hv_ver=MIN_QEMU_X_VERSION):',
    '            dom.undefine()',
    '',
  ].join('\n');
  assert.deepEqual(analyze(text).paths.map(render), [
    // The gate and the check are one condition: one path, not one per operand.
    'if 12:12-12:110 lines 12-13 self._host.has_min_version(MIN_LIBVIRT_POSTCOPY_VERSION) libvirt [1.3.3, ∞) qemu [0.0.0, ∞) C jobs [] gated findings []',
    'use 13:17-13:37 lines 13-13 virDomain.migrateStartPostCopy libvirt [1.3.3, ∞) qemu [0.0.0, ∞) C jobs [] gated findings []',
    'if 14:12-14:49 lines 14-15 CONF.libvirt.enable_untested_features libvirt [1.0.0, ∞) qemu [0.0.0, ∞) A jobs [gate libvirt-latest] gated findings [LVG006]',
    // Obsolete: the check narrows nothing and its else branch is dead (no path).
    'if 18:12-18:63 lines 18-19 self._host.has_min_version(MIN_LIBVIRT_OLD_VERSION) libvirt [1.0.0, ∞) qemu [0.0.0, ∞) A jobs [gate libvirt-latest] findings [LVG004]',
    // hasattr protects availability but is not a version-dependent branch; undefine is older than the minimum.
    'use 25:17-25:23 lines 25-25 virDomain.rename libvirt [1.2.19, ∞) qemu [0.0.0, ∞) C jobs [] protected findings [LVG001]',
    'use 27:13-27:21 lines 27-27 virDomain.fsFreeze libvirt [1.2.5, ∞) qemu [0.0.0, ∞) B jobs [libvirt-latest] findings [LVG002]',
    'if 30:12-30:65 lines 30-31 self._host.has_min_version(hv_ver=MIN_QEMU_X_VERSION) libvirt [1.0.0, ∞) qemu [2.1.0, ∞) B jobs [libvirt-latest] findings []',
  ]);
});

test('paths: the statements after an assert of a check, or after a call of a helper that raises unless one holds, are an after path', () => {
  const text = [
    'import libvirt',
    '',
    '',
    'class Driver(object):',
    '    def _require(self, version):',
    '        if not self._host.has_min_version(version):',
    '            raise NotImplementedError()',
    '',
    '    def asserted(self, dom):',
    '        assert self._host.has_min_version((1, 2, 19))',
    '        dom.rename("x")',
    '',
    '    def required(self, dom):',
    '        self._require((1, 2, 19))',
    '        dom.rename("x")',
    '        dom.suspend()',
    '',
    '    def last(self, dom):',
    '        dom.suspend()',
    '        assert self._host.has_min_version((1, 2, 19))',
    '',
  ].join('\n');
  assert.deepEqual(
    analyze(text)
      .paths.filter((p) => p.kind !== 'use')
      .map(render),
    [
      'after 11:9-11:24 lines 11-11 self._host.has_min_version((1, 2, 19)) libvirt [1.2.19, ∞) qemu [0.0.0, ∞) C jobs [] findings [LVG001]',
      'after 15:9-15:24 lines 15-16 self._require((1, 2, 19)) libvirt [1.2.19, ∞) qemu [0.0.0, ∞) C jobs [] findings [LVG001]',
    ],
  );
});

test('paths: none for a file without version-dependent code, or one nested too deeply to analyze', () => {
  assert.deepEqual(analyze('import os\n\nif os.name:\n    x = 1\n').paths, []);
  const deep = analyze(`import libvirt\nx = ${'('.repeat(3000)}libvirt.VIR_MIGRATE_POSTCOPY${')'.repeat(3000)}\n`);
  assert.deepEqual(deep.paths, []);
  assert.match(deep.notes.join('\n'), /nest/);
  // The same use, not nested: a path.
  assert.equal(analyze('import libvirt\nx = libvirt.VIR_MIGRATE_POSTCOPY\n').paths.length, 1);
});

// Every finding about a path (LVG001, 002, 003, 006, 007) is on exactly one path; LVG004 on
// one at most (a check stored in a variable has no branch); LVG005 names no path.
test('paths: every fixture finding about a path is attached to exactly one path', () => {
  for (const file of allFixtureFiles()) {
    const result = analyzeFixture(file);
    const onPaths = new Map<string, number>();
    for (const p of result.paths) for (const c of p.findings) onPaths.set(c, (onPaths.get(c) ?? 0) + 1);
    const found = new Map<string, number>();
    for (const f of result.findings) found.set(f.code, (found.get(f.code) ?? 0) + 1);
    const name = path.relative(fixturesDir, file);
    for (const code of ['LVG001', 'LVG002', 'LVG003', 'LVG006', 'LVG007'])
      assert.equal(onPaths.get(code) ?? 0, found.get(code) ?? 0, `${name}: ${code}`);
    assert.ok((onPaths.get('LVG004') ?? 0) <= (found.get('LVG004') ?? 0), `${name}: LVG004`);
    assert.equal(onPaths.get('LVG005') ?? 0, 0, `${name}: LVG005`);
  }
});
