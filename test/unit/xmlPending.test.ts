// Findings only (`check`): XML a file writes is left pending until a finding could come of it
// (collectXmlEmissions with leavePending). The bounds it is judged by (XmlFeatureDb.bound, the
// workspace's config targets), what is left pending, and the results: the same findings and
// fixes as with all XML found up front (LIBVIRT_GATE_XML_PENDING=off), on every fixture under
// two policies, generated drivers and mutated fixtures.
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
import { defaultPolicy } from '../../server/src/config/defaults';
import type { Policy } from '../../server/src/config/policy';
import { loadFeatureDb } from '../../server/src/data/loadFeatureDb';
import { loadXmlFeatureDb } from '../../server/src/data/loadXmlFeatureDb';
import { formatVersion } from '../../server/src/data/version';
import { fileModelOf } from '../../server/src/engine/semantic/fileModel';
import { FileSemantics } from '../../server/src/engine/semantic/fileSemantics';
import { collectXmlEmissions } from '../../server/src/engine/semantic/xml/xmlEmissions';
import { allFixtureFiles, analyzeFixture, fixturesDir, ready } from '../support/engineHarness';
import { examplePolicy } from '../support/examplePolicy';
import { driverModule } from '../support/generatedDrivers';
import { mulberry32, mutate } from '../support/mutate';

before(ready);
after(() => {
  delete process.env.LIBVIRT_GATE_XML_PENDING;
});

const bound = (element: string | undefined, attribute?: string, value?: string): string => {
  const b = loadXmlFeatureDb().bound(element, attribute, value);
  return `${formatVersion(b.libvirt)} qemu ${formatVersion(b.qemu)}`;
};

test('the bound of a write: the newest row of its element, attribute and value, whatever the path', () => {
  // domain/devices/disk/driver/@io: 0.8.8; its value io_uring: 6.3.0 (QEMU 5.0.0).
  assert.equal(bound('driver', 'io'), '0.8.8 qemu 0.0.0');
  assert.equal(bound('driver', 'io', 'io_uring'), '6.3.0 qemu 5.0.0');
  assert.equal(bound('driver', 'io', 'native'), '0.8.8 qemu 0.0.0');
  // disk/@type with no known value is 0.0.3; vhostvdpa, 9.8.0 (QEMU 8.1.0), counts only when written.
  assert.equal(bound('disk', 'type'), '0.0.3 qemu 0.0.0');
  assert.equal(bound('disk', 'type', 'vhostvdpa'), '9.8.0 qemu 8.1.0');
  assert.equal(bound('driver'), '3.4.0 qemu 0.0.0'); // iommu/driver
  assert.equal(bound('disk'), '0.0.0 qemu 0.0.0'); // undated
  assert.equal(bound('no-such-element', 'x'), '0.0.0 qemu 0.0.0');
});

const configModule = [
  'from lxml import etree',
  '',
  'class Base(object):',
  '    def __init__(self, root_name):',
  '        self.root_name = root_name',
  '',
  '    def format_dom(self):',
  '        return etree.Element(self.root_name)',
  '',
  'class Disk(Base):',
  '    def __init__(self):',
  "        super(Disk, self).__init__(root_name='disk')",
  "        self.source_type = 'file'",
  '        self.driver_io = None',
  '',
  '    def format_dom(self):',
  '        dev = super(Disk, self).format_dom()',
  "        dev.set('type', self.source_type)",
  "        drv = etree.SubElement(dev, 'driver')",
  '        if self.driver_io:',
  "            drv.set('io', self.driver_io)",
  '        return dev',
  '',
].join('\n');

test("the workspace's config targets: element, attribute and value, roots and defaults spelled out", () => {
  const index = new WorkspaceIndex();
  index.setFile('file:///w/conf.py', configModule);
  assert.deepEqual(index.xmlConfigAttributeTargets('driver_io'), ['driver|io|@driver_io']);
  // The root element is any class's root; the value read, as set or as a class's default.
  assert.deepEqual(index.xmlConfigAttributeTargets('source_type'), ['disk|type|=file', 'disk|type|@source_type']);
  assert.deepEqual(index.xmlConfigAttributeTargets('nothing'), []);
  // A new object: what its lineage always writes, and what its defaulted attributes write.
  assert.deepEqual(index.xmlConstructionTargets('file:///w/conf.py', undefined, 'Disk'), [
    'disk|type|=file',
    'disk|type|@source_type',
    'disk||',
    'driver||',
  ]);
  // Base writes its root (none without a subclass's) and nothing else.
  assert.deepEqual(index.xmlConstructionTargets('file:///w/conf.py', undefined, 'Base'), []);
  assert.equal(index.xmlConstructionTargets('file:///w/conf.py', undefined, 'Nothing'), undefined);
});

/** A file's emissions with pending left pending: the pending nodes' lines and bounds, and whether asking finds. */
function pendingOf(text: string, workspace: Record<string, string> = {}): string[] {
  const uri = 'file:///w/use.py';
  const index = new WorkspaceIndex();
  index.setFile(uri, text);
  for (const [u, t] of Object.entries(workspace)) index.setFile(u, t);
  const tree = parsePython(text);
  const sem = new FileSemantics(uri, fileModelOf(tree, uri), defaultPolicy, loadFeatureDb(), index);
  const xml = collectXmlEmissions(sem, loadXmlFeatureDb(), true);
  return [...xml.keys()]
    .sort((a, b) => a - b)
    .map((n) => {
      const b = xml.bound(n);
      const where = `${tree.lines.position(tree.start(n)).line + 1}`;
      return b ? `${where}: ${formatVersion(b.libvirt)}/${formatVersion(b.qemu)}` : `${where}: found`;
    });
}

test('what is left pending: builder writes, settings, constructions and templates, each with its bound', () => {
  const text = [
    'from lxml import etree',
    'import conf',
    '',
    'def build(devices, path):',
    "    disk = etree.SubElement(devices, 'disk', type='vhostvdpa')",
    "    drv = etree.SubElement(disk, 'driver', io='native')",
    "    drv.set('io', 'io_uring')",
    '    d = conf.Disk()',
    "    d.driver_io = 'io_uring'",
    '    d.driver_io = path',
    '    return "<domain><devices><disk type=\'file\'/></devices></domain>"',
    '',
  ].join('\n');
  assert.deepEqual(pendingOf(text, { 'file:///w/conf.py': configModule }), [
    '5: 9.8.0/8.1.0', // SubElement(devices, 'disk', type='vhostvdpa')
    '6: 3.4.0/0.0.0', // driver (iommu's driver is 3.4.0), io='native' 0.8.8
    '7: 6.3.0/5.0.0', // io='io_uring', on any element
    '8: 3.4.0/0.0.0', // Disk(): disk, disk/@type (file), a driver element (iommu's is 3.4.0)
    '9: 6.3.0/5.0.0', // the value assigned
    '10: 0.8.8/0.0.0', // not a literal: the attribute's own row
    '11: 0.1.3/0.0.0', // the template's rows, exactly (disk/@type='file')
  ]);
  // A file that defines a config class finds everything up front.
  assert.deepEqual(
    pendingOf(configModule + "\ndef f(p):\n    return etree.SubElement(p, 'disk')\n").every((l) => l.endsWith('found')),
    true,
  );
});

test('asking for a pending node finds all: the same emissions as up front', () => {
  const text = fs.readFileSync(path.join(fixturesDir, 'rules', 'LVG010', 'builder-chains.py'), 'utf8');
  const uri = 'file:///w/chains.py';
  const tree = parsePython(text);
  const index = new WorkspaceIndex();
  index.setFile(uri, text);
  const semOf = () => new FileSemantics(uri, fileModelOf(tree, uri), defaultPolicy, loadFeatureDb(), index);
  const pending = collectXmlEmissions(semOf(), loadXmlFeatureDb(), true);
  const upFront = collectXmlEmissions(semOf(), loadXmlFeatureDb());
  const nodes = [...pending.keys()];
  assert.ok(nodes.length > 5 && nodes.every((n) => pending.bound(n) !== undefined));
  const first = nodes[0] ?? 0;
  const firstBound = pending.bound(first);
  assert.deepEqual(pending.get(first), upFront.get(first));
  // The bound stays: what the walk decides by does not depend on what was asked before.
  assert.deepEqual(pending.bound(first), firstBound);
  assert.equal(upFront.bound(first), undefined);
  // Every node that writes is one that was pending.
  for (const n of upFront.keys()) {
    assert.ok(nodes.includes(n));
    assert.deepEqual(pending.get(n), upFront.get(n));
  }
});

/** Everything a client reads of an analysis (hovers and paths are empty when not wanted). */
function everything(r: AnalysisResult): string {
  return JSON.stringify({
    findings: r.findings,
    hovers: r.hovers,
    paths: r.paths,
    notes: r.notes,
    suppressed: r.suppressed,
  });
}

function both(run: () => AnalysisResult): { pending: string; upFront: string } {
  delete process.env.LIBVIRT_GATE_XML_PENDING;
  const pending = everything(run());
  process.env.LIBVIRT_GATE_XML_PENDING = 'off';
  const upFront = everything(run());
  delete process.env.LIBVIRT_GATE_XML_PENDING;
  return { pending, upFront };
}

const findingsOnly: AnalyzeOptions = { hovers: false, paths: false, fixes: 'eager' };
/** As the editor analyzes, hovers and paths read at once. */
const editor: AnalyzeOptions = { fixes: 'eager' };
/** A minimum above most of the table: most XML stays pending (the examples' policy finds most). */
const latePolicy: Policy = defaultPolicy;

test('every fixture, under its policy and a late one, as check and the editor analyze: the same as with all XML found up front', () => {
  let files = 0;
  let xmlFindings = 0;
  let xmlHovers = 0;
  for (const file of allFixtureFiles()) {
    const name = path.relative(fixturesDir, file);
    for (const policy of [undefined, latePolicy])
      for (const options of [findingsOnly, editor]) {
        const { pending, upFront } = both(() => analyzeFixture(file, policy, undefined, undefined, options));
        assert.equal(
          pending,
          upFront,
          `${name}${policy ? ', late policy' : ''}${options === editor ? ', editor' : ''}`,
        );
        xmlFindings += (pending.match(/"code":"LVG010"|"messageId":"untestedXml/g) ?? []).length;
        xmlHovers += (pending.match(/"kind":"xml"/g) ?? []).length;
      }
    files++;
  }
  assert.ok(files >= 130, `${files} fixtures`);
  assert.ok(xmlFindings >= 80, `${xmlFindings} XML findings`);
  assert.ok(xmlHovers >= 400, `${xmlHovers} XML hovers`);
});

test('generated drivers and mutated fixtures: the same results with XML left pending as found up front', () => {
  const analyze = (text: string, policy: Policy) => () =>
    analyzeDocument({ uri: 'file:///drv/mod.py', text }, new WorkspaceIndex(), policy, findingsOnly);
  const analyzeAs = (text: string, policy: Policy, options: AnalyzeOptions) => () =>
    analyzeDocument({ uri: 'file:///drv/mod.py', text }, new WorkspaceIndex(), policy, options);
  for (let seed = 1; seed <= 12; seed++) {
    const { pending, upFront } = both(analyze(driverModule(seed), seed % 2 ? examplePolicy : latePolicy));
    assert.equal(pending, upFront, `driver ${seed}`);
    const asEditor = both(analyzeAs(driverModule(seed), seed % 2 ? latePolicy : examplePolicy, editor));
    assert.equal(asEditor.pending, asEditor.upFront, `driver ${seed}, editor`);
  }
  const random = mulberry32(20261205);
  const texts = allFixtureFiles().map((f) => fs.readFileSync(f, 'utf8'));
  for (let i = 0; i < 300; i++) {
    const source = texts[Math.floor(random() * texts.length)] ?? '';
    const text = mutate(source, random);
    const options = i % 3 ? findingsOnly : editor;
    const { pending, upFront } = both(analyzeAs(text, i % 2 ? examplePolicy : latePolicy, options));
    assert.equal(pending, upFront, `mutation ${i}:\n${text}`);
  }
});

test('old XML in a gate is still found: it marks the gate used (LVG006)', () => {
  const policy: Policy = { ...defaultPolicy, gates: ['CONF.libvirt.enable_untested_features'] };
  const text = [
    'from lxml import etree',
    'from oslo_config import cfg',
    'CONF = cfg.CONF',
    'MIN_LIBVIRT_NEXT = (99, 0, 0)',
    '',
    'def build(host, devices):',
    '    if host.has_min_version(MIN_LIBVIRT_NEXT):',
    "        etree.SubElement(devices, 'disk')",
    '    if CONF.libvirt.enable_untested_features:',
    "        mb = etree.SubElement(devices, 'memoryBacking')",
    "        hp = etree.SubElement(mb, 'hugepages')",
    "        etree.SubElement(hp, 'page')",
    '',
  ].join('\n');
  const run = () => analyzeDocument({ uri: 'file:///w/untested.py', text }, new WorkspaceIndex(), policy, findingsOnly);
  const { pending, upFront } = both(run);
  assert.equal(pending, upFront);
  // The page (1.2.5, dated, below the minimum 8.0.0) uses the gate, on a tested path: not needed.
  assert.deepEqual(
    run().findings.map((f) => `${f.range.start.line + 1} ${f.code} ${f.messageId}`),
    ['7 LVG001 untestedBranch', '9 LVG006 gateNotNeeded'],
  );
});
