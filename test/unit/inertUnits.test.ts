// Functions whose walk can produce nothing are not walked (FlowWalker.isInertUnit): the
// predicate on one function per way a walk produces something, and the results of every
// fixture, of generated drivers and of mutated fixtures, with the skip and with every unit
// walked (LIBVIRT_GATE_INERT=walk): the same findings, fixes, hovers and paths.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  analyzeDocument,
  parsePython,
  WorkspaceIndex,
  type AnalysisResult,
  type AnalyzeOptions,
} from '../../server/src/engine/api';
import { loadFeatureDb } from '../../server/src/data/loadFeatureDb';
import { loadXmlFeatureDb } from '../../server/src/data/loadXmlFeatureDb';
import { FlowWalker } from '../../server/src/engine/flow/flowWalker';
import { fileModelOf } from '../../server/src/engine/semantic/fileModel';
import { FileSemantics } from '../../server/src/engine/semantic/fileSemantics';
import { collectXmlEmissions } from '../../server/src/engine/semantic/xml/xmlEmissions';
import { allFixtureFiles, analyzeFixture, fixturesDir, ready } from '../support/engineHarness';
import { examplePolicy } from '../support/examplePolicy';
import { driverModule } from '../support/generatedDrivers';
import { mulberry32, mutate } from '../support/mutate';

before(ready);
after(() => {
  delete process.env.LIBVIRT_GATE_INERT;
});

/** The function names whose units the walker would skip, for `text` analyzed alone. */
function inertFunctions(
  text: string,
  wantHovers = false,
  knownCallers: readonly string[] = [],
  findingsOnly = false,
): string[] {
  const uri = 'file:///inert.py';
  const tree = parsePython(text);
  const db = loadFeatureDb();
  const sem = new FileSemantics(uri, fileModelOf(tree, uri), examplePolicy, db, new WorkspaceIndex());
  const known = new Set(sem.model.functions.filter((f) => knownCallers.includes(f.name)).map((f) => f.node));
  const walker = new FlowWalker(
    sem,
    examplePolicy,
    db,
    known,
    collectXmlEmissions(sem, loadXmlFeatureDb()),
    wantHovers,
    findingsOnly,
  );
  return sem.model.functions.filter((f) => walker.isInertUnit(f)).map((f) => f.name);
}

const deep = (levels: number): string[] =>
  Array.from({ length: levels }, (_, i) => `${'    '.repeat(i + 1)}if a${i}:`).concat(
    `${'    '.repeat(levels + 1)}pass`,
  );

test('a function is inert only when nothing in it can be observed', () => {
  const text = [
    'import libvirt',
    'from libvirt import VIR_DOMAIN_NONE',
    'from xml.etree import ElementTree as etree',
    'from oslo_config import cfg',
    'CONF = cfg.CONF',
    '',
    'def plain(items, other):',
    '    if items and other or not items:',
    '        return [x.append(1) for x in items if x > 2]',
    '    while other:',
    '        other = other.pop() if other else None',
    '    assert items',
    '    try:',
    '        import os',
    '    except ImportError:',
    '        os = None',
    '    return os.path.join("a", "b")',
    '',
    'def module_member():',
    '    return libvirt.VIR_DOMAIN_NONE',
    '',
    'def imported_name():',
    '    return VIR_DOMAIN_NONE',
    '',
    'def distinctive_method(thing):',
    '    return thing.blockCommit("vda", None, None, 0, 0)',
    '',
    'def version_check(host):',
    '    if host.has_min_version((1, 2, 3)):',
    '        return 1',
    '',
    'def gate():',
    '    return 1 if CONF.libvirt.enable_untested_features else 2',
    '',
    'def guard_in_expression(host, x):',
    '    return host.has_min_version((1, 2, 3)) and x',
    '',
    'def check_on_the_right(host, x):',
    '    return x and host.has_min_version((1, 2, 3))',
    '',
    'def check_on_the_right_in_a_condition(host, x):',
    '    if x and host.has_min_version((1, 2, 3)):',
    '        return 1',
    '',
    'def writes_xml():',
    '    return etree.Element("memoryBacking")',
    '',
    'def lazy_import():',
    '    from libvirt import VIR_DOMAIN_NONE as N',
    '    return N',
    '',
    'def reflective(obj):',
    '    return getattr(obj, "x")',
    '',
    'def _helper():',
    '    return 1',
    '',
    'def calls_helper():',
    '    return _helper()',
    '',
    'def exception_type():',
    '    try:',
    '        pass',
    '    except libvirt.libvirtError:',
    '        pass',
    '',
    'def shallow():',
    ...deep(25),
    '',
    'def too_deep():',
    ...deep(40),
    '',
  ].join('\n');
  // Outside a condition, `x and check` narrows only its right operand's path by `x`: nothing.
  assert.deepEqual(inertFunctions(text), ['plain', 'check_on_the_right', '_helper', 'calls_helper', 'shallow']);
  // A call of a function whose callers are known is a call site the walk records.
  assert.deepEqual(inertFunctions(text, false, ['_helper']), ['plain', 'check_on_the_right', '_helper', 'shallow']);
  assert.deepEqual(
    inertFunctions(
      ['def _helper():', '    return 1', '', 'def calls_helper():', '    return _helper()', ''].join('\n'),
      false,
      ['_helper'],
    ),
    ['_helper'],
  );
});

test('a call of a helper that raises unless a check holds keeps its function walked (it narrows what follows)', () => {
  // Found by the fuzz (seed 8339): the path after such a call is an 'after' path of its own.
  const text = [
    'class Driver(object):',
    '    def _require(self, version):',
    '        if not self._host.has_min_version(version):',
    '            raise NotImplementedError()',
    '',
    '    def _check_freeze(self):',
    '        if not self._host.has_min_version((1, 2, 5)):',
    '            raise NotImplementedError()',
    '',
    '    def required(self, dom):',
    '        self._require((1, 2, 5))',
    '        dom.thaw()',
    '',
    '    def checked(self, dom):',
    '        ok = self._check_freeze()',
    '        dom.thaw()',
    '',
    '    def plain(self, dom):',
    '        self._log(dom)',
    '        dom.thaw()',
    '',
  ].join('\n');
  assert.deepEqual(inertFunctions(text), ['_require', 'plain']);
});

test('with hovers, a version check outside a condition keeps its function walked (the hover is its own)', () => {
  const text = ['def stored(host):', '    ok = host.has_min_version((1, 2, 3))', '    return ok', ''].join('\n');
  assert.deepEqual(inertFunctions(text, false), ['stored']);
  assert.deepEqual(inertFunctions(text, true), []);
});

test('findings only: XML no newer than the minimum does not keep a function walked', () => {
  const text = [
    'from xml.etree import ElementTree as etree',
    '',
    'def old_xml():',
    "    dom = etree.Element('domain')",
    "    return etree.SubElement(dom, 'cputune')",
    '',
    'def new_xml():',
    "    dom = etree.Element('domain')",
    "    tune = etree.SubElement(dom, 'cputune')",
    "    return etree.SubElement(tune, 'emulatorsched')",
    '',
  ].join('\n');
  // cputune: libvirt 0.9.0, below the policy's minimum 1.0.0; emulatorsched: 5.3.0.
  assert.deepEqual(inertFunctions(text), []);
  assert.deepEqual(inertFunctions(text, false, [], true), ['old_xml']);
});

test('a comparison of the runtime version keeps its function walked for its hover', () => {
  const text = ['def compare(conn):', '    v = conn.getLibVersion()', '    return v >= 1002005', ''].join('\n');
  assert.deepEqual(inertFunctions(text, true), []);
});

/** Everything a client reads of an analysis, as plain data. */
function everything(r: AnalysisResult): string {
  return JSON.stringify({ findings: r.findings, hovers: r.hovers, paths: r.paths, notes: r.notes });
}

function both(run: () => AnalysisResult): { skipped: string; walked: string } {
  process.env.LIBVIRT_GATE_INERT = 'skip';
  const skipped = everything(run());
  process.env.LIBVIRT_GATE_INERT = 'walk';
  const walked = everything(run());
  delete process.env.LIBVIRT_GATE_INERT;
  return { skipped, walked };
}

/** As `check` analyzes: findings only (XML no newer than the minimum does not keep a function walked). */
const findingsOnly = { hovers: false, paths: false, fixes: 'eager' } as const;

test('every fixture: the same findings, fixes, hovers and paths with inert functions skipped as walked', () => {
  let files = 0;
  for (const file of allFixtureFiles()) {
    const name = path.relative(fixturesDir, file);
    const { skipped, walked } = both(() => analyzeFixture(file, undefined, undefined, undefined, { fixes: 'eager' }));
    assert.equal(skipped, walked, name);
    const only = both(() => analyzeFixture(file, undefined, undefined, undefined, findingsOnly));
    assert.equal(only.skipped, only.walked, `${name}, findings only`);
    files++;
  }
  assert.ok(files >= 130, `${files} fixtures`);
});

test('generated drivers and mutated fixtures: the same results with inert functions skipped as walked', () => {
  const analyze =
    (text: string, options: AnalyzeOptions = { fixes: 'eager' }) =>
    () =>
      analyzeDocument({ uri: 'file:///drv/mod.py', text }, new WorkspaceIndex(), examplePolicy, options);
  for (let seed = 1; seed <= 12; seed++) {
    const { skipped, walked } = both(analyze(driverModule(seed)));
    assert.equal(skipped, walked, `driver ${seed}`);
  }
  const random = mulberry32(20261203);
  const texts = allFixtureFiles().map((f) => fs.readFileSync(f, 'utf8'));
  for (let i = 0; i < 300; i++) {
    const source = texts[Math.floor(random() * texts.length)] ?? '';
    const text = mutate(source, random);
    const { skipped, walked } = both(analyze(text, i % 2 ? findingsOnly : undefined));
    assert.equal(skipped, walked, `mutation ${i}:\n${text}`);
  }
});
