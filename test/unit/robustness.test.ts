// Bad and unusual input: the engine never throws, stays bounded, and still reports what it
// can. Seeded, so a failure is reproducible (LVG_FUZZ_SEED=n to try others).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import {
  analyzeDocument,
  applyTextEdits,
  ParsedDocument,
  WorkspaceIndex,
  type AnalysisResult,
} from '../../server/src/engine/api';
import { examplePolicy } from '../support/examplePolicy';
import { allFixtureFiles, ready } from '../support/engineHarness';
import { mulberry32, mutate } from '../support/mutate';

before(ready);

function analyze(text: string): AnalysisResult {
  const index = new WorkspaceIndex();
  index.setFile('file:///t.py', text);
  return analyzeDocument({ uri: 'file:///t.py', text }, index, examplePolicy);
}

const codes = (r: AnalysisResult) =>
  r.findings.map((f) => `${f.code}@${f.range.start.line}:${f.range.start.character}`);

test('every prefix of every fixture analyzes without throwing (typing simulation)', () => {
  let cases = 0;
  for (const file of allFixtureFiles().slice(0, 30)) {
    const text = fs.readFileSync(file, 'utf8');
    const step = Math.max(1, Math.floor(text.length / 60));
    for (let n = 0; n <= text.length; n += step) {
      analyze(text.slice(0, n));
      cases++;
    }
  }
  assert.ok(cases > 500, `${cases} cases`);
});

test('seeded random mutations of the fixtures never throw', () => {
  const seed = Number(process.env.LVG_FUZZ_SEED ?? 20261124);
  const random = mulberry32(seed);
  const files = allFixtureFiles().map((f) => fs.readFileSync(f, 'utf8'));
  for (let i = 0; i < 1500; i++) {
    const text = mutate(files[Math.floor(random() * files.length)] ?? '', random);
    try {
      analyze(text);
    } catch (e) {
      assert.fail(`seed ${seed} case ${i} throws ${String(e)}:\n${text}`);
    }
  }
});

test('findings before an edit stay the same when a later function is broken', () => {
  const good = fs.readFileSync(
    allFixtureFiles().find((f) => f.endsWith('01-direct-use.py'))!,
    'utf8',
  );
  const broken = `${good}\n\ndef later(:\n    x = (((\n`;
  const before = codes(analyze(good));
  const after = codes(analyze(broken));
  assert.ok(before.length > 0);
  assert.deepEqual(after.slice(0, before.length), before);
});

test('10,000 nested blocks and parentheses: no stack overflow, a clear note', () => {
  let deep = 'import libvirt\n';
  for (let i = 0; i < 10000; i++) deep += `${' '.repeat(i)}if x${i}:\n`;
  deep += `${' '.repeat(10000)}dom.fsFreeze()\n`;
  const r = analyze(deep);
  assert.ok(Array.isArray(r.findings));
  const parens = `import libvirt\nx = ${'('.repeat(10000)}dom.fsFreeze()${')'.repeat(10000)}\n`;
  const r2 = analyze(parens);
  assert.ok(Array.isArray(r2.findings));
  assert.ok(
    [...r.notes, ...r2.notes].some((n) => /nest/.test(n)),
    'a note says nesting was cut',
  );
});

test('a 200,000-line file and very long lines are analyzed', () => {
  const lines = ['import libvirt', 'def f(dom):'];
  for (let i = 0; i < 200000; i++) lines.push(`    x${i} = ${i}`);
  lines.push('    dom.fsFreeze()');
  const r = analyze(lines.join('\n'));
  assert.deepEqual(
    r.findings.map((f) => f.code),
    ['LVG002'],
  );
  const long = `import libvirt\ndef f(dom):\n    y = [${'1, '.repeat(100000)}]; dom.fsFreeze()\n`;
  assert.deepEqual(
    analyze(long).findings.map((f) => `${f.code} ${f.range.start.line}`),
    ['LVG002 2'],
  );
});

// Adding a literal's features was quadratic (20,000 elements took 16 s; 50,000, minutes) and
// the walk's results were joined with push(...list), which overflowed the stack: the file went
// unanalyzed. Linear, this takes about 3 s; no time is asserted (a sync test cannot be timed
// out), so a quadratic regression shows as a run that does not end.
test('an XML literal of 50,000 elements: every element and attribute placed', () => {
  const block = `<disk type='file' device='disk'><driver name='qemu' discard='unmap'/></disk>`;
  const text = `def f():\n    return """<domain><devices>\n${Array(50_000).fill(block).join('\n')}\n</devices></domain>"""\n`;
  const r = analyzeDocument({ uri: 'file:///drv/x.py', text }, undefined, examplePolicy, { paths: false });
  const xml = r.hovers.filter((h) => h.kind === 'xml');
  // domain, devices, and per disk: the element, @type, @device, driver, @name, @discard.
  assert.equal(xml.length, 2 + 6 * 50_000);
  assert.deepEqual(
    xml.slice(0, 8).map((h) => `${h.range.start.line}:${h.range.start.character} ${h.xml?.xpath}`),
    [
      '1:15 domain',
      '1:23 domain/devices',
      '2:1 domain/devices/disk',
      '2:6 domain/devices/disk/@type',
      '2:18 domain/devices/disk/@device',
      '2:33 domain/devices/disk/driver',
      '2:40 domain/devices/disk/driver/@name',
      "2:52 domain/devices/disk/driver/@discard='unmap'",
    ],
  );
});

test('a name passed through 3,000 others (a1 = a0, a2 = a1, ...): the file is analyzed, not given up as too deep', () => {
  // Typing a3000 asked through every name, eight stack frames each: the stack overflowed and the
  // whole file went unanalyzed. Deep questions are now cut short (as cycles are); walked in
  // order, each name's type is known from the one before it.
  const n = 3000;
  const chain = Array.from({ length: n }, (_, i) => `    a${i + 1} = a${i}\n`).join('');
  const text = `import libvirt\ndef f(conn):\n    a0 = conn\n${chain}    a${n}.getCPUModelNames('x')\ndef g():\n    c = libvirt.open()\n    c.getCPUModelNames('x')\n`;
  const r = analyze(text);
  assert.deepEqual(r.notes, []);
  assert.deepEqual(codes(r), ['LVG002@3003:10', 'LVG002@3006:6']);
});

test('long operator chains are analyzed whole: 300 concatenated strings, 300 or-ed and 5,000 and-ed operands', () => {
  // Each operator of `a + b + c` nests its left operand, one level per operand: past 120 the
  // walk cut the chain's start off with a note (an XML feature in a long concatenation went
  // unreported), and past a few thousand `and`s reading the condition overflowed the stack
  // while indexing the file, which stopped a whole `check`.
  const pieces = Array.from({ length: 300 }, (_, i) => `'<!-- ${i} -->'`);
  const concat = [`'<domain><devices><disk><driver discard="unmap"/></disk>'`, ...pieces, `'</devices></domain>'`];
  const xml = analyze(
    `def make(conn):\n    xml = (${concat.join(' +\n           ')})\n    return conn.defineXML(xml)\n`,
  );
  assert.deepEqual(xml.notes, []);
  assert.deepEqual(codes(xml), ['LVG010@1:43']);
  const params = Array.from({ length: 50 }, (_, i) => `x${i}`);
  const operands = (n: number) => Array.from({ length: n }, (_, i) => `x${i % 50}`);
  const fn = (op: string, terms: readonly string[]) =>
    `import libvirt\ndef f(host, dom, ${params.join(', ')}):\n    return (${terms.join(` ${op}\n            `)})\n`;
  const check = 'host.has_min_version((1, 2, 5))';
  // After `... or not check() or`, the check holds; before it, it does not.
  const or = analyze(fn('or', ['dom.fsThaw()', ...operands(300), `not ${check}`, 'dom.fsFreeze()']));
  assert.deepEqual(or.notes, []);
  assert.deepEqual(codes(or), ['LVG002@2:16']);
  const text = fn('and', [...operands(5000), 'dom.fsThaw()', check, 'dom.fsFreeze()']);
  const and = analyze(text);
  assert.deepEqual(and.notes, []);
  assert.deepEqual(codes(and), ['LVG002@5002:16']);
});

test('a 50,000-attribute chain at module level: indexed and analyzed, with a note', () => {
  // Its dotted name was read one attribute per stack frame while indexing the file: the stack
  // overflowed and ended the whole `check`.
  const text = `import libvirt\nX = libvirt${'.x'.repeat(50_000)}\n\ndef f(dom):\n    dom.fsFreeze()\n`;
  const r = analyze(text);
  assert.deepEqual(codes(r), ['LVG002@4:8']);
  assert.deepEqual(r.notes, ['parts nested deeper than 120 levels were not analyzed']);
});

test('NUL bytes, a BOM, CRLF, mixed endings, tabs and non-ASCII identifiers', () => {
  const body = 'import libvirt\n\ndef f(dom):\n    dom.fsFreeze()\n';
  assert.deepEqual(codes(analyze(`\uFEFF${body}`)), ['LVG002@3:8']);
  assert.deepEqual(codes(analyze(body.replace(/\n/g, '\r\n'))), ['LVG002@3:8']);
  assert.deepEqual(codes(analyze('import libvirt\r\n\ndef f(dom):\r    dom.fsFreeze()\n')), ['LVG002@3:8']);
  assert.deepEqual(codes(analyze(body.replace('    dom', '\tdom'))), ['LVG002@3:5']);
  assert.deepEqual(codes(analyze('import libvirt\n\ndef f(dom):\n    é = "ü"; dom.fsFreeze()\n')), ['LVG002@3:17']);
  assert.doesNotThrow(() => analyze(`import libvirt\n\0\0\0def f(dom):\n    dom.fsFreeze()\0\n`));
  assert.doesNotThrow(() => analyze('\uFFFD\uFFFD\u0000\u00ff'.repeat(1000)));
});

test('Python 3.12 syntax: match, type aliases, nested f-strings', () => {
  const text = [
    'import libvirt',
    'type Flags = int',
    '',
    'def f[T](dom, x: T) -> T:',
    '    match x:',
    '        case {"a": 1}:',
    '            dom.fsFreeze()',
    '        case _:',
    '            pass',
    '    s = f"{f"{x!r:>{10}}"}"',
    '    return x',
    '',
  ].join('\n');
  assert.deepEqual(codes(analyze(text)), ['LVG002@6:16']);
});

test('incremental re-parse agrees with a fresh parse after random edits', () => {
  const random = mulberry32(7);
  const text = fs.readFileSync(allFixtureFiles()[0]!, 'utf8');
  const doc = new ParsedDocument(text);
  for (let i = 0; i < 200; i++) {
    const at = Math.floor(random() * (doc.text.length + 1));
    const del = Math.min(doc.text.length - at, Math.floor(random() * 3));
    doc.applyEdit(at, at + del, ['', 'x', '(', ':', '\n', '    ', 'é'][Math.floor(random() * 7)] ?? '');
    const viaTree = analyzeDocument({ uri: 'file:///t.py', text: doc.text, tree: doc.tree }, undefined, examplePolicy);
    assert.deepEqual(codes(viaTree), codes(analyze(doc.text)), `edit ${i}`);
  }
  doc.dispose();
});

test('a new MIN_* constant after the last line of a file without a final newline starts its own line', () => {
  const text =
    'import libvirt\n\n\nclass D(object):\n    def f(self, dom):\n        dom.fsFreeze()\nMIN_LIBVIRT_X_VERSION = (1, 0, 0)';
  const fix = analyze(text)
    .findings.find((f) => f.code === 'LVG002')
    ?.fixes.find((x) => x.kind === 'add-check');
  assert.ok(fix);
  assert.equal(
    applyTextEdits(text, fix.edits),
    [
      'import libvirt',
      '',
      '',
      'class D(object):',
      '    def f(self, dom):',
      '        if self._host.has_min_version(MIN_LIBVIRT_FS_FREEZE_VERSION):',
      '            dom.fsFreeze()',
      'MIN_LIBVIRT_X_VERSION = (1, 0, 0)',
      'MIN_LIBVIRT_FS_FREEZE_VERSION = (1, 2, 5)',
    ].join('\n'),
  );
});

test('an empty block tree-sitter accepts (Python does not) is a syntax problem: findings, but no fixes', () => {
  const text =
    'class D(object):\n    def f(self):\n        if not self._host.has_min_version((0, 9, 4)):\n        else:    return False\n        return True\n';
  const result = analyze(text);
  const finding = result.findings.find((f) => f.code === 'LVG004');
  assert.ok(finding);
  assert.deepEqual(finding.fixes, []);
  assert.equal(result.syntaxErrors, 1);
});

test('a statement tree-sitter joins across a bare line break gets no wrapping fix; brackets and backslashes do', () => {
  const ok =
    'import libvirt\n\n\nclass D(object):\n    def a(self, dom):\n        return dom.\\\n            interfaceAddresses(0)\n\n    def c(self, dom):\n        return dom.interfaceAddresses(\n            0)  # x (\n';
  const kinds = analyze(ok)
    .findings.filter((f) => f.code === 'LVG001')
    .map((f) => f.fixes.map((x) => x.kind).join(','));
  assert.deepEqual(kinds, ['gate,suppress', 'gate,suppress']);
  const bare =
    'import libvirt\n\n\nclass D(object):\n    def a(self, dom):\n       return dom.\r\ninterfaceAddresses(0)\n';
  const lvg001 = analyze(bare).findings.filter((f) => f.code === 'LVG001');
  assert.ok(lvg001.every((f) => !f.fixes.some((x) => x.kind === 'gate')));
});

test('a new version check copies only a plain dotted callee, never text with a comment in it', () => {
  const text = [
    'import libvirt',
    '',
    '',
    'class D(object):',
    '    def a(self):',
    '        return (self._host  # the host',
    '                .has_min_version((1, 0, 0)))',
    '',
    '    def f(self, dom):',
    '        dom.fsFreeze()',
    '',
  ].join('\n');
  const fix = analyze(text)
    .findings.find((f) => f.code === 'LVG002')
    ?.fixes.find((x) => x.kind === 'add-check');
  assert.ok(fix);
  assert.match(fix.title, /^Add a version check: 'if self\._host\.has_min_version\(MIN_LIBVIRT_FS_FREEZE_VERSION\):'$/);
});

test('regression (fuzz seed 20261202, case 42794): an `if` two columns deeper than its siblings is a syntax problem, so "Remove the obsolete version check" is not offered', () => {
  const text = [
    'import libvirt',
    '',
    'MIN_LIBVIRT_BLOCKIO_VERSION = (0, 10, 2)',
    '',
    '',
    'class Driver(object):',
    '    def set_block_size(self, conf, size):',
    '        x = 1',
    '          if self._host.has_min_version(MIN_LIBVIRT_BLOCKIO_VERSION):',
    '            conf.logical_block_size = size',
    '          else:',
    '            LOG.warning("block size not supported")',
    '',
  ].join('\n');
  const result = analyze(text);
  assert.equal(result.syntaxErrors, 1);
  const finding = result.findings.find((f) => f.code === 'LVG004');
  assert.ok(finding, 'the obsolete check is still found');
  assert.deepEqual(finding.fixes, []);
  // Without the stray indentation the same check gets its fix.
  const valid = analyze(text.replace('\n          if', '\n        if').replace('\n          else', '\n        else'));
  assert.equal(valid.syntaxErrors, 0);
  assert.ok(
    valid.findings.find((f) => f.code === 'LVG004')?.fixes.some((f) => f.title === 'Remove the obsolete version check'),
  );
});

test('a new version check around a line indented with spaces and a tab indents it past the tab (fuzz seed 254047667)', () => {
  const text =
    'import libvirt\n\n\nclass Driver(object):\n    def guest_time(self, dom):\n        if dom:\n   \t         return dom.getTime()\n';
  const fix = analyze(text)
    .findings.find((f) => f.code === 'LVG002')
    ?.fixes.find((x) => x.kind === 'add-check');
  assert.ok(fix);
  const after = applyTextEdits(text, fix.edits);
  assert.ok(
    after.includes(
      '   \t         if self._host.has_min_version(MIN_LIBVIRT_GET_TIME_VERSION):\n   \t             return dom.getTime()\n',
    ),
    after,
  );
  assert.equal(analyze(after).syntaxErrors, 0);
});

test('regression (fuzz seed 24623, case 73567): removing a never-true check keeps an else body written on the `else:` line', () => {
  const text = [
    'import libvirt',
    '',
    'MIN_LIBVIRT_OLD_EXACT_VERSION = (0, 10, 2)',
    '',
    '',
    'class Driver(object):',
    '    def workaround(self):',
    '        if self._host.has_version(MIN_LIBVIRT_OLD_EXACT_VERSION):',
    '            self._apply_workaround()',
    '        else:            self._normal()',
    '',
    '    def inline_if(self):',
    '        if self._host.has_version((0, 9, 0)): self._apply_workaround()',
    '        else: self._normal(); self._log()',
    '',
  ].join('\n');
  const fixes = analyze(text)
    .findings.filter((f) => f.code === 'LVG004')
    .flatMap((f) => f.fixes.filter((x) => x.title === 'Remove the never-true version check'));
  assert.equal(fixes.length, 2);
  const lines = (fix: (typeof fixes)[number]) => applyTextEdits(text, fix.edits).split('\n');
  // The first also drops the constant nothing else uses.
  assert.deepEqual(lines(fixes[0]!).slice(3, 7), [
    'class Driver(object):',
    '    def workaround(self):',
    '        self._normal()',
    '',
  ]);
  assert.deepEqual(lines(fixes[1]!).slice(-3), ['    def inline_if(self):', '        self._normal(); self._log()', '']);
  for (const fix of fixes) assert.equal(analyze(applyTextEdits(text, fix.edits)).syntaxErrors, 0);
});

test('regression (fuzz seed 30749, case 74526): a new constant goes after the blank line a trailing backslash joins to the last one', () => {
  const body = [
    '',
    'class Driver(object):',
    '    def copy(self, dom, disk, xml):',
    '        dom.blockCopy(disk, xml, {}, libvirt.VIR_DOMAIN_BLOCK_COPY_SHALLOW)',
    '',
  ];
  for (const [continued, expected] of [
    [
      ['MIN_LIBVIRT_OTHER_VERSION = (1, 2, 5)\\', ''],
      ['MIN_LIBVIRT_OTHER_VERSION = (1, 2, 5)\\', '', 'MIN_LIBVIRT_BLOCK_COPY_VERSION = (1, 2, 8)'],
    ],
    [
      ['MIN_LIBVIRT_OTHER_VERSION = (1, 2, 5)  \\', '\\', '# a comment the backslash joins'],
      [
        'MIN_LIBVIRT_OTHER_VERSION = (1, 2, 5)  \\',
        '\\',
        '# a comment the backslash joins',
        '',
        'MIN_LIBVIRT_BLOCK_COPY_VERSION = (1, 2, 8)',
      ],
    ],
  ]) {
    const text = ['import libvirt', '', ...continued, ...body].join('\n');
    assert.equal(analyze(text).syntaxErrors, 0, text);
    const fix = analyze(text)
      .findings.filter((f) => f.code === 'LVG002')
      .flatMap((f) => f.fixes)
      .find((x) => x.title.startsWith('Add a version check'));
    assert.ok(fix, 'an add-check fix is offered');
    const after = applyTextEdits(text, fix.edits);
    assert.deepEqual(after.split('\n').slice(2, 2 + expected.length), expected);
    assert.equal(analyze(after).syntaxErrors, 0, after);
  }
});

test(
  'a name or self attribute assigned from itself again and again (h = h.set(...)) is typed in time',
  { timeout: 60_000 },
  () => {
    // Each assignment asked the type of the others again: the work doubled with each line (the
    // standard library's test_context.py hung the check). 60 of each would never finish then.
    const chain = (target: string, indent: string): string[] =>
      Array.from({ length: 60 }, (_, i) => `${indent}${target} = ${target}.${i % 2 ? 'set' : 'delete'}(K${i}, ${i})`);
    const text = [
      'import libvirt',
      '',
      '',
      'def local_chain(conn):',
      "    dom = conn.lookupByName('guest')",
      '    h = make()',
      ...chain('h', '    '),
      '    dom.fsFreeze()',
      '    return h',
      '',
      '',
      'class Holder(object):',
      '    def setup(self, conn):',
      "        self._dom = conn.lookupByName('guest')",
      '        self._h = make()',
      '',
      '    def grow(self):',
      ...chain('self._h', '        '),
      '',
      '    def freeze(self):',
      '        self._dom.fsFreeze()',
      '        return self._h.set(1, 2)',
      '',
    ].join('\n');
    const result = analyzeDocument({ uri: 'file:///chain.py', text }, new WorkspaceIndex(), examplePolicy);
    assert.deepEqual(
      result.findings.map((f) => `${f.code} ${f.range.start.line + 1}:${f.range.start.character + 1}`),
      // And the analysis still finds what it did: virDomain.fsFreeze (1.2.5) needs a check on both paths.
      ['LVG002 67:9', 'LVG002 139:19'],
    );
  },
);

test(
  'held checks: a chain of names each used twice is read in time, and a cycle of names leaves the file analyzed',
  { timeout: 60_000 },
  () => {
    // `c2 = c1 and c1` on 400 lines: the condition was walked as a tree, doubling per line (it
    // hung); `a = b; b = a` overflowed the stack, and the whole file lost its findings.
    const chain = [
      'def chained(host, dom):',
      '    c0 = host.has_min_version((1, 2, 3))',
      ...Array.from({ length: 400 }, (_, i) => `    c${i + 1} = c${i} ${i % 2 ? 'or' : 'and'} c${i}`),
      '    if c400:',
      '        dom.fsFreeze()',
      '',
      'def cycle(dom):',
      '    a = b',
      '    b = a',
      '    if a:',
      '        dom.fsFreeze()',
      '',
    ];
    const result = analyze(chain.join('\n'));
    // The check is read through all 400 links (1.2.3 is too weak for fsFreeze, 1.2.5), and the
    // function with the cycle is analyzed like any other (its call is unguarded).
    assert.deepEqual(codes(result), ['LVG003@403:12', 'LVG002@409:12']);
  },
);
