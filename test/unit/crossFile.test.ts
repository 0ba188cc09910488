// Cross-file facts resolve through imports: `import a.b as c`, `from .x import y`, package
// `__init__` re-exports, `importutils.import_module('...')`, star imports, and the class
// hierarchy for methods called on `self` or on an object of a workspace class. A file's
// findings never depend on files it is not linked to.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument, WorkspaceIndex } from '../../server/src/engine/api';
import { examplePolicy } from '../support/examplePolicy';
import { allFixtureFiles, fixturePolicy, fixturesDir, ready, uriOf } from '../support/engineHarness';
import { mulberry32 } from '../support/mutate';

before(ready);

type Files = Readonly<Record<string, string>>;

/** `CODE line:col message-id` of every finding of `file` in a workspace of `files` (paths under /ws). */
function findings(files: Files, file: string): string[] {
  const index = new WorkspaceIndex();
  for (const [path, text] of Object.entries(files)) index.setFile(`file:///ws/${path}`, text);
  const text = files[file];
  assert.ok(text !== undefined, file);
  return analyzeDocument({ uri: `file:///ws/${file}`, text }, index, examplePolicy).findings.map(
    (f) => `${f.code} ${f.range.start.line + 1}:${f.range.start.character + 1} ${f.messageId}`,
  );
}

const lvg002 = (list: readonly string[]) => list.filter((f) => f.startsWith('LVG002'));

const versions = 'MIN_LIBVIRT_FSFREEZE_VERSION = (1, 2, 5)\n';
const freezeWith = (imports: string, check: string) =>
  `${imports}\n\n\nclass Driver(object):\n    def freeze(self, dom):\n        if self._host.has_min_version(${check}):\n            dom.fsFreeze()\n`;

test('constants through `import a.b as c`, `from a.b import X`, relative imports and import_module', () => {
  const cases: [string, string][] = [
    ['import pkg.versions as v', 'v.MIN_LIBVIRT_FSFREEZE_VERSION'],
    ['import pkg.versions', 'pkg.versions.MIN_LIBVIRT_FSFREEZE_VERSION'],
    ['from pkg.versions import MIN_LIBVIRT_FSFREEZE_VERSION', 'MIN_LIBVIRT_FSFREEZE_VERSION'],
    ['from pkg.versions import MIN_LIBVIRT_FSFREEZE_VERSION as MIN_FREEZE', 'MIN_FREEZE'],
    ['from pkg import versions', 'versions.MIN_LIBVIRT_FSFREEZE_VERSION'],
    ['from .versions import MIN_LIBVIRT_FSFREEZE_VERSION', 'MIN_LIBVIRT_FSFREEZE_VERSION'],
    ['from . import versions', 'versions.MIN_LIBVIRT_FSFREEZE_VERSION'],
    [
      'from oslo_utils import importutils\nversions = importutils.import_module("pkg.versions")',
      'versions.MIN_LIBVIRT_FSFREEZE_VERSION',
    ],
    ['from pkg.versions import *', 'MIN_LIBVIRT_FSFREEZE_VERSION'],
  ];
  for (const [imports, check] of cases) {
    const files = { 'pkg/__init__.py': '', 'pkg/versions.py': versions, 'pkg/driver.py': freezeWith(imports, check) };
    assert.deepEqual(lvg002(findings(files, 'pkg/driver.py')), [], `${imports} / ${check}`);
  }
});

test('a package __init__ that re-exports a name, and a chain of re-exports', () => {
  const files = {
    'pkg/__init__.py': 'from pkg.inner import MIN_LIBVIRT_FSFREEZE_VERSION  # noqa\n',
    'pkg/inner/__init__.py': 'from .versions import *\n',
    'pkg/inner/versions.py': versions,
    'app/driver.py': freezeWith('from pkg import MIN_LIBVIRT_FSFREEZE_VERSION', 'MIN_LIBVIRT_FSFREEZE_VERSION'),
  };
  assert.deepEqual(lvg002(findings(files, 'app/driver.py')), []);
});

test('a constant of the same name in a file that is not imported does not resolve', () => {
  const files = {
    'other/versions.py': versions,
    'pkg/driver.py': freezeWith('import libvirt', 'MIN_LIBVIRT_FSFREEZE_VERSION'),
  };
  // The check names a constant nobody defines or imports: the check says nothing, fsFreeze is
  // unguarded (and the message says the check's version is not read).
  assert.deepEqual(lvg002(findings(files, 'pkg/driver.py')), ['LVG002 7:17 unguardedUnreadCheck']);
});

const hostModule = [
  'class Host(object):',
  '    def supports_freeze(self):',
  '        return self.has_min_version((1, 2, 5))',
  '',
  '    @property',
  '    def has_fs_freeze(self):',
  '        return self.has_min_version((1, 2, 5))',
  '',
].join('\n');

test('helpers of a workspace class: on an object it constructs, as a property, and through a base class', () => {
  const driver = [
    'from pkg import host as libvirt_host',
    '',
    '',
    'class Driver(object):',
    '    def __init__(self, uri):',
    '        self._host = libvirt_host.Host(uri)',
    '',
    '    def freeze(self, dom):',
    '        if self._host.supports_freeze():',
    '            dom.fsFreeze()',
    '',
    '    def thaw(self, dom):',
    '        if self._host.has_fs_freeze:',
    '            dom.fsThaw()',
    '',
  ].join('\n');
  const sub = [
    'from pkg.host import Host',
    '',
    '',
    'class LocalHost(Host):',
    '    def freeze(self, dom):',
    '        if self.supports_freeze():',
    '            dom.fsFreeze()',
    '',
  ].join('\n');
  const files = { 'pkg/__init__.py': '', 'pkg/host.py': hostModule, 'pkg/driver.py': driver, 'pkg/sub.py': sub };
  assert.deepEqual(lvg002(findings(files, 'pkg/driver.py')), []);
  assert.deepEqual(lvg002(findings(files, 'pkg/sub.py')), []);
});

test('an unknown receiver finds a helper only in modules the file imports', () => {
  const driver = (imports: string) =>
    `${imports}\n\n\ndef freeze(host, dom):\n    if host.supports_freeze():\n        dom.fsFreeze()\n`;
  const imported = { 'pkg/host.py': hostModule, 'pkg/driver.py': driver('from pkg import host') };
  assert.deepEqual(lvg002(findings(imported, 'pkg/driver.py')), []);
  const unrelated = { 'pkg/host.py': hostModule, 'pkg/driver.py': driver('import os') };
  assert.deepEqual(lvg002(findings(unrelated, 'pkg/driver.py')), ['LVG002 6:13 unguarded']);
});

test("a private function's callers are known unless a file importing its module mentions it", () => {
  const driver = [
    'MIN_LIBVIRT_FSFREEZE_VERSION = (1, 2, 5)',
    '',
    '',
    'def _freeze(dom):',
    '    dom.fsFreeze()',
    '',
    '',
    'def freeze(host, dom):',
    '    if host.has_min_version(MIN_LIBVIRT_FSFREEZE_VERSION):',
    '        _freeze(dom)',
    '',
  ].join('\n');
  const alone = { 'pkg/driver.py': driver };
  assert.deepEqual(lvg002(findings(alone, 'pkg/driver.py')), []);
  // A file that mentions _freeze but does not import the driver module changes nothing.
  const unrelated = { ...alone, 'pkg/other.py': 'def g(x):\n    return x._freeze()\n' };
  assert.deepEqual(lvg002(findings(unrelated, 'pkg/driver.py')), []);
  // One that imports it may call it: its callers are no longer all known.
  const importer = { ...alone, 'pkg/other.py': 'from pkg import driver\n\n\ndef g(dom):\n    driver._freeze(dom)\n' };
  assert.deepEqual(lvg002(findings(importer, 'pkg/driver.py')), ['LVG002 5:9 unguarded']);
});

test('a public function is entered from the minimum supported version, whatever other files are in the run', () => {
  const driver = [
    'MIN_LIBVIRT_FSFREEZE_VERSION = (1, 2, 5)',
    '',
    '',
    'def do_freeze(dom):',
    '    dom.fsFreeze()',
    '',
    '',
    'def freeze(host, dom):',
    '    if host.has_min_version(MIN_LIBVIRT_FSFREEZE_VERSION):',
    '        do_freeze(dom)',
    '',
  ].join('\n');
  const expected = ['LVG002 5:9 unguarded'];
  assert.deepEqual(lvg002(findings({ 'pkg/driver.py': driver }, 'pkg/driver.py')), expected);
  assert.deepEqual(
    lvg002(findings({ 'pkg/driver.py': driver, 'pkg/unrelated.py': 'x = 1\n' }, 'pkg/driver.py')),
    expected,
  );
});

test('property: over random sets of fixture files, adding a file with no import link never changes a finding', () => {
  const all = allFixtureFiles().filter((f) => !f.includes('.workspace'));
  const random = mulberry32(Number(process.env.LVG_FUZZ_SEED ?? 20261202));
  // oslo.config options are registered process-wide, so the option facts are the one thing
  // every file sees (docs/architecture.md): a file that declares options or binds CONF may
  // change LVG008 and how a gate fix imports CONF. With such a file, everything else is compared.
  const render = (r: ReturnType<typeof analyzeDocument>, optionFacts: boolean) =>
    JSON.stringify(
      r.findings
        .filter((f) => !optionFacts || f.code !== 'LVG008')
        .map((f) => (optionFacts ? [f.code, f.range, f.message] : [f.code, f.range, f.message, f.fixes])),
    );
  let compared = 0;
  for (let round = 0; round < 16; round++) {
    // Sometimes a single file (a one-file run), else about a quarter of the fixtures.
    const set = round % 4 === 0 ? [all[Math.floor(random() * all.length)] ?? ''] : all.filter(() => random() < 0.25);
    const others = all.filter((f) => !set.includes(f));
    // Odd rounds add an adversary: one file that defines every name the set uses and mentions them all.
    const extra = round % 2 ? adversary(set) : { file: others[Math.floor(random() * others.length)] ?? '', text: '' };
    if (!extra.file || set.length === 0) continue;
    const base = new WorkspaceIndex();
    const bigger = new WorkspaceIndex();
    // The extra file goes in first: a lookup that takes the first file with a name would find it.
    bigger.setFile(uriOf(extra.file), extra.text || fs.readFileSync(extra.file, 'utf8'));
    for (const f of set) {
      base.setFile(uriOf(f), fs.readFileSync(f, 'utf8'));
      bigger.setFile(uriOf(f), fs.readFileSync(f, 'utf8'));
    }
    const joiner = bigger.summaryFor(uriOf(extra.file), extra.text || fs.readFileSync(extra.file, 'utf8'));
    const optionFacts = joiner.configOptions !== undefined || joiner.confBinding !== undefined;
    for (const f of set) {
      // Linked files (the extra one imports f, or f imports it) may change f's findings: skip those pairs.
      if (!extra.text && linked(f, extra.file)) continue;
      const text = fs.readFileSync(f, 'utf8');
      const policy = fixturePolicy(f);
      assert.equal(
        render(analyzeDocument({ uri: uriOf(f), text }, bigger, policy), optionFacts),
        render(analyzeDocument({ uri: uriOf(f), text }, base, policy), optionFacts),
        `${f} changed when ${extra.file} joined the run`,
      );
      compared++;
    }
  }
  assert.ok(compared > 50, `only ${compared} comparisons`);
});

/**
 * A file linked to nothing that defines every upper-case constant, function and class name the
 * files use (with other values: helpers that return checks, constants of another version), and
 * mentions every word: what a name-based lookup across the workspace would pick up.
 */
function adversary(files: readonly string[]): { file: string; text: string } {
  const words = new Set<string>();
  for (const f of files) for (const w of fs.readFileSync(f, 'utf8').match(/[A-Za-z_]\w*/g) ?? []) words.add(w);
  const lines = ['import libvirt', ''];
  for (const w of [...words].sort()) {
    if (/^[A-Z][A-Z0-9_]+$/.test(w)) lines.push(`${w} = (0, 0, 1)`);
    else if (/^[A-Z]/.test(w)) lines.push(`class ${w}(object):`, '    pass');
    else if (
      /^[a-z_]\w*$/.test(w) &&
      !/^(import|class|def|return|if|else|elif|for|while|try|except|pass|and|or|not|in|is|None|True|False|self|from|as|with|raise|lambda|print|global|yield|del|assert|break|continue|finally|nonlocal|async|await)$/.test(
        w,
      )
    ) {
      lines.push(`def ${w}(self=None):`, '    return self._host.has_min_version((0, 0, 1))');
    }
  }
  return { file: path.join(fixturesDir, 'unlinked', 'adversary.py'), text: `${lines.join('\n')}\n` };
}

/** Whether one of two fixture files imports the other (by module name). */
function linked(a: string, b: string): boolean {
  const stem = (f: string) => path.basename(f, '.py');
  const imports = (f: string, name: string) =>
    new RegExp(`^\\s*(from\\s+\\S*\\b${name}\\b|import\\s+.*\\b${name}\\b)`, 'm').test(fs.readFileSync(f, 'utf8'));
  return imports(a, stem(b)) || imports(b, stem(a));
}

test("a file's summary keeps the words other files ask about (those starting with _), with their counts", () => {
  const text = 'import os\n\n\ndef _helper(x):  # _in_comment\n    return _helper(os.path) + "_in_string"\n';
  const summary = new WorkspaceIndex().summaryFor('file:///w/pkg/mod.py', text);
  assert.deepEqual([...summary.identifiers].sort(), [
    ['_helper', 2],
    ['_in_string', 1],
  ]);
});

test("another module's element factory: its calls create elements while it returns one, and only through the import", () => {
  const factory = (returned: string) =>
    `from lxml import etree\n\n\ndef sub(root, name, attrs=None):\n    el = etree.SubElement(root, name)\n    for k, v in (attrs or {}).items():\n        el.set(k, v)\n    return ${returned}\n`;
  const driver = (imports: string) =>
    `${imports}\n\n\ndef devices(parent):\n    sub(parent, 'memballoon', {'autodeflate': 'on'})\n`;
  const imported = driver('from tools.xmlutil import sub');
  const lvg010 = (list: readonly string[]) => list.filter((f) => f.startsWith('LVG010'));
  assert.deepEqual(lvg010(findings({ 'tools/xmlutil.py': factory('el'), 'drv.py': imported }, 'drv.py')), [
    'LVG010 5:32 unguarded',
  ]);
  // It returns the name, not the element: no factory.
  assert.deepEqual(lvg010(findings({ 'tools/xmlutil.py': factory('name'), 'drv.py': imported }, 'drv.py')), []);
  // A function of the same name that the file does not import is not it.
  assert.deepEqual(
    lvg010(findings({ 'tools/xmlutil.py': factory('el'), 'drv.py': driver('from other import sub') }, 'drv.py')),
    [],
  );
});
