// Where the engine sees XML written, as its hovers show it: every element and attribute of a
// realistic domain document placed on its table path (anchored at <domain>), values dated
// where the table dates them, predicates applied; and what a hover carries.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument, initParser, type AnalysisResult, type HoverFacts } from '../../server/src/engine/api';
import * as path from 'node:path';
import { examplePolicy } from '../support/examplePolicy';
import { analyzeFixture, fixturesDir } from '../support/engineHarness';

before(() => initParser());

function xmlHovers(text: string, uri = 'file:///drv/nova_like/driver.py'): HoverFacts[] {
  return analyzeDocument({ uri, text }, undefined, examplePolicy).hovers.filter((h) => h.kind === 'xml');
}

const brief = (h: HoverFacts): string =>
  `${h.range.start.line + 1}:${h.range.start.character + 1} ${h.xml?.xpath} ${h.xml?.dated ? h.xml.since : '-'}`;

const domain = `DOMAIN = None


def guest_xml(name, disk_path, sock):
    return """<domain type='kvm'>
  <name>%(name)s</name>
  <memory unit='KiB'>1048576</memory>
  <memoryBacking>
    <hugepages><page size='2048' unit='KiB' nodeset='0'/></hugepages>
    <locked/>
  </memoryBacking>
  <vcpu placement='static'>2</vcpu>
  <os firmware='efi'>
    <type arch='x86_64' machine='q35'>hvm</type>
    <loader readonly='yes' type='pflash' secure='yes'/>
  </os>
  <features>
    <acpi/>
    <hyperv mode='custom'><relaxed state='on'/><synic state='on'/></hyperv>
    <kvm><hidden state='on'/></kvm>
  </features>
  <cpu mode='host-model'><topology sockets='1' cores='2' threads='1'/></cpu>
  <clock offset='utc'><timer name='hypervclock' present='yes'/></clock>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' discard='unmap'/>
      <source file='%(disk)s'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='vhostuser'>
      <source type='unix' path='%(sock)s' mode='client'/>
      <driver queues='4'/>
    </interface>
  </devices>
</domain>""" % {'name': name, 'disk': disk_path, 'sock': sock}
`;

test('a domain document: every element and attribute on its table path, with its version', () => {
  assert.deepEqual(xmlHovers(domain).map(brief), [
    '5:16 domain 0',
    '5:23 domain/@type 0',
    '6:4 domain/name 1',
    '7:4 domain/memory -',
    '7:11 domain/memory/@unit 9011',
    '8:4 domain/memoryBacking -',
    '9:6 domain/memoryBacking/hugepages -',
    '9:17 domain/memoryBacking/hugepages/page 1002005',
    '9:22 domain/memoryBacking/hugepages/page/@size 1002005',
    '9:34 domain/memoryBacking/hugepages/page/@unit 1002005',
    '9:45 domain/memoryBacking/hugepages/page/@nodeset 1002005',
    '10:6 domain/memoryBacking/locked 1000006',
    '12:4 domain/vcpu -',
    '12:9 domain/vcpu/@placement 9011',
    '13:4 domain/os -',
    '13:7 domain/os/@firmware 5002000',
    '14:6 domain/os/type 1',
    '14:11 domain/os/type/@arch -',
    '14:25 domain/os/type/@machine -',
    '15:6 domain/os/loader 9012',
    "15:13 domain/os/loader/@readonly='yes' 1002008",
    "15:28 domain/os/loader/@type='pflash' 1002008",
    '15:42 domain/os/loader/@secure 2001000',
    '17:4 domain/features -',
    '18:6 domain/features/acpi -',
    '19:6 domain/features/hyperv -',
    '19:13 domain/features/hyperv/@mode 8000000',
    '19:28 domain/features/hyperv/relaxed 1000000',
    "19:36 domain/features/hyperv/relaxed/@state='on' 1000000",
    '19:49 domain/features/hyperv/synic 1003003',
    "19:55 domain/features/hyperv/synic/@state='on' 1003003",
    '20:6 domain/features/kvm -',
    '20:11 domain/features/kvm/hidden 1002008',
    "20:18 domain/features/kvm/hidden/@state='on' 1002008",
    '22:4 domain/cpu 7005',
    "22:8 domain/cpu/@mode='host-model' 9010",
    '22:27 domain/cpu/topology 7005',
    '22:36 domain/cpu/topology/@sockets 7005',
    '22:48 domain/cpu/topology/@cores 7005',
    '22:58 domain/cpu/topology/@threads 7005',
    '23:4 domain/clock -',
    '23:10 domain/clock/@offset -',
    '23:24 domain/clock/timer 8000',
    "23:30 domain/clock/timer/@name='hypervclock' 1002002",
    "23:49 domain/clock/timer/@present='yes' -",
    '24:4 domain/devices 1003',
    '25:6 domain/devices/disk -',
    '25:11 domain/devices/disk/@type 3',
    '25:23 domain/devices/disk/@device 1004',
    '26:8 domain/devices/disk/driver 1008',
    '26:15 domain/devices/disk/driver/@name 1008',
    '26:27 domain/devices/disk/driver/@type 1008',
    "26:40 domain/devices/disk/driver/@discard='unmap' 1000006",
    '27:8 domain/devices/disk/source -',
    '27:15 domain/devices/disk/source/@file 3',
    '28:8 domain/devices/disk/target 3',
    '28:15 domain/devices/disk/target/@dev 3',
    '28:25 domain/devices/disk/target/@bus 4003',
    '30:6 domain/devices/interface -',
    "30:16 domain/devices/interface/@type='vhostuser' 1002007",
    '31:8 domain/devices/interface/source -',
    '31:15 domain/devices/interface/source/@type 1002007',
    '31:27 domain/devices/interface/source/@path 1002007',
    '31:43 domain/devices/interface/source/@mode 7007',
    '32:8 domain/devices/interface/driver 8008',
    "32:15 domain/devices/interface[@type='vhostuser']/driver/@queues 1002017",
  ]);
});

test('a hover carries the row, how the code writes it, and the interval where it can work', () => {
  const [page] = xmlHovers(domain).filter((h) => h.xml?.xpath === 'domain/memoryBacking/hugepages/page');
  assert.deepEqual(page?.xml, {
    xpath: 'domain/memoryBacking/hugepages/page',
    path: 'domain/memoryBacking/hugepages/page',
    since: 1_002_005,
    dated: true,
    evidence: page?.xml?.evidence,
    docsUrl: 'https://libvirt.org/formatdomain.html',
    otherPaths: 0,
    via: 'template',
  });
  assert.deepEqual(page?.interval.libvirt, { lo: 1_002_005, hi: Infinity });
  assert.equal(page?.supportClass, 'B');
});

test('test modules write no XML for a host', () => {
  for (const uri of [
    'file:///drv/nova_like/tests/unit/fakelibvirt.py',
    'file:///drv/nova_like/virt/test_driver.py',
    'file:///drv/nova_like/virt/driver_test.py',
    'file:///drv/conftest.py',
  ])
    assert.deepEqual(xmlHovers(domain, uri), [], uri);
  // A folder named `test` (singular) is not a test folder: projects live in such folders too.
  assert.ok(xmlHovers(domain, 'file:///home/me/test/nova_like/driver.py').length > 0);
});

test('the CLI asks for findings only: the same findings, no hovers, paths only when asked', () => {
  const uri = 'file:///drv/nova_like/driver.py';
  const full = analyzeDocument({ uri, text: domain }, undefined, examplePolicy);
  const lean = analyzeDocument({ uri, text: domain }, undefined, examplePolicy, { hovers: false, paths: false });
  assert.ok(full.findings.length > 0 && full.hovers.length > 0 && full.paths.length > 0);
  assert.deepEqual(lean.findings, full.findings);
  assert.deepEqual(lean.hovers, []);
  assert.deepEqual(lean.paths, []);
  const paths = analyzeDocument({ uri, text: domain }, undefined, examplePolicy, { hovers: false, paths: true });
  assert.deepEqual(paths.paths, full.paths);
  assert.deepEqual(paths.hovers, []);
});

test("the editor's lazy paths: the same as computed at once, built on the first read and kept", () => {
  const uri = 'file:///drv/nova_like/driver.py';
  const full = analyzeDocument({ uri, text: domain }, undefined, examplePolicy);
  const lazy = analyzeDocument({ uri, text: domain }, undefined, examplePolicy, { paths: 'lazy' });
  assert.deepEqual(lazy.findings, full.findings);
  const first = lazy.paths;
  assert.ok(first.length > 0);
  assert.deepEqual(first, full.paths);
  assert.equal(lazy.paths, first);
  // Everything else too (hoverAt is a function of each result: compared by what it answers).
  const data = ({ hoverAt: _, ...rest }: AnalysisResult) => rest;
  assert.deepEqual(data(lazy), data(full));
  for (const h of full.hovers) assert.deepEqual(lazy.hoverAt(h.range.start), full.hoverAt(h.range.start));
});

test('strings that hold a "<": nested f-strings, concatenations, and a comparison between strings', () => {
  // The recognizer finds these strings from the '<'s (see templateEmissions): a '<' in code,
  // a string nested in an f-string's field, and a '<' after a nested string ends all count.
  const text = `def xml(a, b, on):
    head = 'no markup' if a < b else "still none"
    disk = f"<disk type='{'file' if on else 'block'}'>{f"<driver discard='{b}'/>"}</disk>"
    mem = ("<memoryBacking>" "<locked/>"
           f"{a}<hugepages/>" "</memoryBacking>")
    timer = f"<clock>{a}" f"{'<timer name=' + repr(b) + '/>'}</clock>"
    return head, disk, mem, timer
`;
  assert.deepEqual(xmlHovers(text).map(brief), [
    '3:15 domain/devices/disk -',
    '3:20 domain/devices/disk/@type 3',
    '3:59 domain/devices/disk/driver 1008',
    '3:66 domain/devices/disk/driver/@discard 1000006',
    '4:14 domain/memoryBacking -',
    '4:32 domain/memoryBacking/locked 1000006',
    '5:18 domain/memoryBacking/hugepages -',
    '6:16 domain/clock -',
    '6:32 domain/clock/timer 8000',
    '6:38 domain/clock/timer/@name 8000',
  ]);
});

test('declared properties (XML_NAME, XMLProperty XPaths, child objects): each attribute set is placed under its class root', () => {
  const r = analyzeFixture(path.join(fixturesDir, 'rules', 'LVG010', 'declared-properties.py'));
  assert.deepEqual(
    r.hovers.filter((h) => h.kind === 'xml').map((h) => `${brief(h)} ${h.xml?.via}`),
    [
      '26:14 domain/devices/disk/@device 1004 config-attribute',
      '27:14 domain/devices/disk/driver/@name 1008 config-attribute',
      "28:14 domain/devices/disk/driver/@discard='unmap' 1000006 config-attribute",
      '29:14 domain/devices/disk/serial 7001 config-attribute',
      // Child objects (XMLChildProperty): under the parent's root, and relative_xpath's elements.
      "36:21 domain/devices/disk/source/@protocol='iscsi' 1000004 config-attribute",
      '37:21 domain/devices/disk/source/@fdgroup 9000000 config-attribute',
      '38:26 domain/devices/disk/source/host/@name 8007 config-attribute',
      "45:18 domain/devices/disk/driver/@discard='unmap' 1000006 config-attribute",
      '46:18 domain/devices/disk/driver/@detect_zeroes 2000000 config-attribute',
      "51:13 domain/devices/interface/@type='vhostuser' 1002007 config-attribute",
      // The class declares ./@type: the value set nearby selects the context-dependent row.
      "52:13 domain/devices/interface[@type='vhostuser']/driver/@queues 1002017 config-attribute",
      '57:13 domain/devices/interface/@type - config-attribute',
      '58:13 domain/devices/interface/driver/@queues 1000006 config-attribute',
      '59:13 domain/devices/interface/@trustGuestRxFilters 1002010 config-attribute',
      "64:13 domain/devices/watchdog/@model='diag288' 1002017 config-attribute",
      '65:13 domain/devices/watchdog/@action 7003 config-attribute',
    ],
  );
});

test('element factories, local and imported: parents through the elements they return, attributes from their dict or keywords', () => {
  const r = analyzeFixture(path.join(fixturesDir, 'rules', 'LVG010', 'element-factories.py'));
  assert.deepEqual(r.hovers.filter((h) => h.kind === 'xml').map(brief), [
    '30:37 domain 0',
    '30:47 domain/@type 0',
    '31:46 domain/os -',
    '32:37 domain/os/type 1',
    '33:37 domain/os/loader 9012',
    "33:56 domain/os/loader/@readonly='yes' 1002008",
    "33:75 domain/os/loader/@type='pflash' 1002008",
    '34:37 domain/os/nvram 1002008',
    '34:53 domain/os/nvram/@template 1002008',
    '35:46 domain/devices 1003',
    '36:23 domain/devices/rng 1000003',
    "36:31 domain/devices/rng/@model='virtio' 1000003",
    '37:32 domain/devices/memballoon 8003',
    '37:46 domain/devices/memballoon/@model 8003',
    "37:62 domain/devices/memballoon/@autodeflate='on' 1003001",
    // not_a_factory(devices, "vsock") creates nothing; text= and attributes= are the factory's parameters.
    '39:37 domain/devices/interface -',
    '39:73 domain/devices/interface/@type -',
    '44:41 domain/os/loader 9012',
    "44:60 domain/os/loader/@type='pflash' 1002008",
  ]);
});
