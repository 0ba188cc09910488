// Why a receiver has its class (receiverVia: kind, text, line, producer) and which guards a
// finding lists (only those that cover it), asserted exactly on small drivers.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  analyzeDocument,
  WorkspaceIndex,
  type AnalysisResult,
  type Finding,
  type ReceiverVia,
} from '../../server/src/engine/api';
import { commonMethodNames } from '../../server/src/engine/semantic/pythonNames';
import type { Policy } from '../../server/src/config/policy';
import { examplePolicy, v } from '../support/examplePolicy';
import { allFixtureFiles, analyzeFixture, ready } from '../support/engineHarness';

before(ready);

function analyze(text: string, policy: Policy = examplePolicy): AnalysisResult {
  const index = new WorkspaceIndex();
  index.setFile('file:///t.py', text);
  return analyzeDocument({ uri: 'file:///t.py', text }, index, policy);
}

/** The receiverVia of the finding of `code` on `symbol`, as `kind | text | line | producer`. */
function via(result: AnalysisResult, code: string, symbol: string): string {
  const f = result.findings.find((x) => x.code === code && x.symbol?.python === symbol);
  assert.ok(f, `no ${code} on ${symbol}: ${result.findings.map((x) => x.message).join('\n')}`);
  const r: ReceiverVia | undefined = f.symbol?.receiverVia;
  if (!r) return 'none';
  const producer = r.producer ? ` | ${r.producer.python} ${r.producer.since}` : '';
  return `${r.kind} | ${r.text} | line ${r.range.start.line + 1}${producer}`;
}

const guardList = (f: Finding | undefined) => (f?.guards ?? []).map((g) => `${g.kind}@${g.range.start.line + 1}`);

test('receiverVia: the assignment, loop, attribute, call, annotation, map key or name that typed the receiver', () => {
  const result = analyze(
    [
      'import libvirt', // 1
      '',
      '',
      'class Driver(object):', // 4
      '    def __init__(self, conn, name):',
      '        self._dom = conn.lookupByName(name)', // 6
      '',
      '    def local(self, conn, name):',
      '        found = conn.lookupByName(name)', // 9
      '        found.fsFreeze()',
      '',
      '    def loop(self, conn):',
      '        for d in conn.listAllDomains(0):', // 13
      '            d.fsThaw()',
      '',
      '    def attribute(self):',
      '        self._dom.blockCopy("vda", "<disk/>", {}, 0)',
      '',
      '    def chained(self, conn, name):',
      '        conn.lookupByName(name).rename("new")', // 20
      '',
      '    def annotated(self, vm: libvirt.virDomain):', // 22
      '        vm.interfaceAddresses(0)',
      '',
      '    def mapped(self, dom):',
      '        dom.setUserPassword("root", "pw", 0)', // 26
      '',
      '    def unique(self, handle, dconn):',
      '        handle.migrate3(dconn, {}, 0)', // 29
      '',
      '    def ambiguous(self, obj):',
      '        obj.setMetadata(0, None, None, None, 0)', // 32
      '',
      '    def module_member(self):',
      '        return libvirt.VIR_MIGRATE_POSTCOPY',
    ].join('\n'),
    { ...examplePolicy, minLibvirt: v('0.9.0') },
  );
  assert.equal(
    via(result, 'LVG002', 'virDomain.fsFreeze'),
    'return-type | found = conn.lookupByName(...) | line 9 | virConnect.lookupByName 3',
  );
  assert.equal(
    via(result, 'LVG002', 'virDomain.fsThaw'),
    'return-type | for d in conn.listAllDomains(...) | line 13 | virConnect.listAllDomains 9013',
  );
  assert.equal(
    via(result, 'LVG002', 'virDomain.blockCopy'),
    'return-type | self._dom = conn.lookupByName(...) | line 6 | virConnect.lookupByName 3',
  );
  assert.equal(
    via(result, 'LVG002', 'virDomain.rename'),
    'return-type | conn.lookupByName(...) | line 20 | virConnect.lookupByName 3',
  );
  assert.equal(via(result, 'LVG002', 'virDomain.interfaceAddresses'), 'annotation | vm: libvirt.virDomain | line 22');
  assert.equal(via(result, 'LVG002', 'virDomain.setUserPassword'), 'name-map | dom | line 26');
  assert.equal(via(result, 'LVG002', 'virDomain.migrate3'), 'unique-name | migrate3 | line 29');
  assert.equal(via(result, 'LVG002', 'virDomain.setMetadata'), 'oldest-candidate | setMetadata | line 32');
  assert.equal(via(result, 'LVG002', 'libvirt.VIR_MIGRATE_POSTCOPY'), 'none');
});

test('receiverVia is set on every finding about a method, over every fixture', () => {
  let methods = 0;
  for (const file of allFixtureFiles()) {
    for (const f of analyzeFixture(file).findings) {
      const s = f.symbol;
      if (!s) continue;
      const moduleMember = /^libvirt(_qemu|_lxc)?\./.test(s.python);
      assert.equal(s.receiverVia === undefined, moduleMember, `${path.basename(file)}: ${f.message}`);
      if (!moduleMember) methods++;
    }
  }
  assert.ok(methods > 30, `only ${methods} method findings`);
});

test('guards: a hasattr for one symbol is not listed on a finding about another', () => {
  const result = analyze(
    [
      'import libvirt',
      '',
      '',
      'def flags():',
      "    if hasattr(libvirt, 'VIR_MIGRATE_POSTCOPY'):", // 5
      '        return libvirt.VIR_MIGRATE_POSTCOPY | libvirt.VIR_MIGRATE_AUTO_CONVERGE',
      '    return 0',
    ].join('\n'),
  );
  const postcopy = result.findings.find((f) => f.code === 'LVG001' && f.symbol?.python.endsWith('POSTCOPY'));
  const converge = result.findings.find((f) => f.code === 'LVG002' && f.symbol?.python.endsWith('CONVERGE'));
  assert.deepEqual(guardList(postcopy), ['hasattr@5']);
  assert.deepEqual(guardList(converge), []);
  assert.equal(
    result.findings.some((f) => f.code === 'LVG002' && f.symbol?.python.endsWith('POSTCOPY')),
    false,
  );
  // The hover of each use lists the same guards as its findings.
  const hoverAt = (col: number) =>
    result.hovers.find((h) => h.range.start.line === 5 && h.range.start.character === col);
  assert.ok(hoverAt(23) && hoverAt(54));
  assert.deepEqual(guardList(hoverAt(23) as unknown as Finding), ['hasattr@5']);
  assert.deepEqual(guardList(hoverAt(54) as unknown as Finding), []);
});

test('guards: an except clause is listed only on uses inside the body it protects', () => {
  const result = analyze(
    [
      'import libvirt',
      '',
      '',
      'class Driver(object):',
      '    def freeze(self, dom):',
      '        try:', // 6
      '            dom.interfaceAddresses(0)',
      '        except AttributeError:',
      '            raise NotSupported()',
      '        dom.fsFreeze()',
      '',
      '    def reraised(self, dom):',
      '        try:',
      '            dom.fsThaw()',
      '        except Exception:',
      '            raise',
    ].join('\n'),
  );
  const inside = result.findings.find(
    (f) => f.code === 'LVG001' && f.symbol?.python === 'virDomain.interfaceAddresses',
  );
  const after = result.findings.find((f) => f.code === 'LVG002' && f.symbol?.python === 'virDomain.fsFreeze');
  const reraised = result.findings.find((f) => f.code === 'LVG002' && f.symbol?.python === 'virDomain.fsThaw');
  assert.deepEqual(guardList(inside), ['except-attributeerror@6']);
  assert.deepEqual(guardList(after), []);
  assert.deepEqual(guardList(reraised), []);
  assert.equal(
    result.findings.some((f) => f.code === 'LVG002' && f.symbol?.python === 'virDomain.interfaceAddresses'),
    false,
  );
});

test('guards: a guarded import lists its handler; the getattr fix lists itself', () => {
  const result = analyze(
    [
      'import libvirt',
      '',
      'try:', // 3
      '    from libvirt import VIR_MIGRATE_POSTCOPY',
      'except ImportError:',
      '    VIR_MIGRATE_POSTCOPY = None',
      "AUTO = getattr(libvirt, 'VIR_MIGRATE_AUTO_CONVERGE', 0)", // 7
    ].join('\n'),
  );
  // Guarded, and AUTO_CONVERGE (1.2.3) is class B: nothing to report.
  assert.deepEqual(
    result.findings.map((f) => f.code),
    [],
  );
  const importHover = result.hovers.find((h) => h.range.start.line === 3);
  assert.ok(importHover);
  assert.deepEqual(guardList(importHover as unknown as Finding), ['except-importerror@3']);
  assert.equal(importHover?.guards[0]?.text, 'try: ... except ImportError');
  const getattrHover = result.hovers.find((h) => h.range.start.line === 6);
  assert.ok(getattrHover);
  assert.deepEqual(guardList(getattrHover as unknown as Finding), ['hasattr@7']);
});

test('the stop list of common method names is the one docs/rules/LVG002.md lists', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'rules', 'LVG002.md'), 'utf8');
  const para = /stop list of common Python method names: ([^.]*)\./.exec(doc.replace(/\s+/g, ' '));
  assert.ok(para, 'no stop list in docs/rules/LVG002.md');
  const listed = [...para[1].matchAll(/`(\w+)`/g)].map((m) => m[1]);
  assert.deepEqual(listed, [...commonMethodNames].sort());
});
