// The hand-written parser on its own: the conformance corpus (snapshot of every case's tree and
// problems, valid cases against tree-sitter), what Python rejects, error recovery, and input
// that must not break it (deep nesting, huge files, garbage). UPDATE_SNAPSHOTS=1 rewrites the
// corpus snapshot (review the diff).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeKind } from '../../server/src/engine/syntax/nodeKind';
import { parseSource } from '../../server/src/engine/syntax/parser';
import { ParsedDocument, parsePython } from '../../server/src/engine/syntax/parse';
import { project } from '../../server/src/engine/syntax/projection';
import type { SyntaxTree } from '../../server/src/engine/syntax/tree';
import { errCases, okCases } from '../support/parserCorpus';
import { compareWithOracle, initTreeSitter, spannedProjection } from '../support/parserDiff';
import { mulberry32 } from '../support/mutate';

before(() => initTreeSitter());

const snapshot = path.join(__dirname, '..', 'fixtures', 'parser', 'corpus.snap');

function render(kind: string, name: string, source: string, tree: SyntaxTree): string {
  const problems = tree.problems.map((p) => `${p.start}-${p.end} ${p.message}`);
  return [
    `=== ${kind}: ${name}`,
    '--- source',
    JSON.stringify(source),
    '--- tree',
    ...spannedProjection(tree),
    '--- problems',
    ...(problems.length ? problems : ['(none)']),
    '',
  ].join('\n');
}

const calls = (tree: SyntaxTree, name: string) =>
  tree.descendantsOfKind(tree.root, NodeKind.Call).filter((c) => tree.text(tree.firstChild(c) ?? c) === name).length;

test('corpus: every case parses to the snapshot tree and problems', () => {
  const parts = [
    ...okCases.map((c) => render('ok', c.name, c.source, parseSource(c.source))),
    ...errCases.map((c) => render('err', c.name, c.source, parseSource(c.source))),
  ];
  const actual = parts.join('\n');
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    fs.mkdirSync(path.dirname(snapshot), { recursive: true });
    fs.writeFileSync(snapshot, actual);
  }
  assert.ok(fs.existsSync(snapshot), 'missing snapshot: run with UPDATE_SNAPSHOTS=1 and review it');
  const expected = fs.readFileSync(snapshot, 'utf8');
  if (actual !== expected) {
    const a = actual.split('\n');
    const e = expected.split('\n');
    const i = a.findIndex((line, k) => line !== e[k]);
    assert.fail(`first difference at snapshot line ${i + 1}:\n  expected: ${e[i]}\n  actual:   ${a[i]}`);
  }
});

for (const c of okCases) {
  const oracle = c.treeSitterFails
    ? 'tree-sitter rejects it'
    : c.differs
      ? 'differs from tree-sitter as documented'
      : "is tree-sitter's tree";
  test(`corpus ok: ${c.name} has no problem and ${oracle}`, () => {
    assert.deepEqual(parseSource(c.source).problems, []);
    const verdict = compareWithOracle(c.source);
    if (c.treeSitterFails) assert.equal(verdict.kind, 'oracle-error', JSON.stringify(verdict));
    else if (c.differs) assert.equal(verdict.kind, 'known', JSON.stringify(verdict));
    else assert.equal(verdict.kind, 'same', verdict.kind === 'differ' ? verdict.detail : verdict.kind);
  });
}

for (const c of errCases) {
  test(`corpus err: ${c.name} is reported, and the statements after it are read`, () => {
    const tree = parseSource(c.source);
    assert.ok(tree.problems.length > 0, 'no problem reported');
    if (c.source.includes('after()')) assert.equal(calls(tree, 'after'), 1, project(tree));
  });
}

test('the messages of what Python rejects', () => {
  const messages = (source: string) => parseSource(source).problems.map((p) => p.message);
  assert.deepEqual(messages('if x:\n    a\n      b\n'), ['unexpected indent']);
  assert.deepEqual(messages('if x:\n        a\n    b\n'), ['unindent does not match any outer indentation level']);
  assert.deepEqual(messages('if x:\n        a\n\tb\n'), ['inconsistent use of tabs and spaces in indentation']);
  assert.deepEqual(messages('if x:\ny\n'), ['expected an indented block']);
  assert.deepEqual(messages('x = 1\0\n'), ['a NUL byte in source code']);
  assert.deepEqual(messages('x = 1\ry = 2\n'), ['a line ends with a lone carriage return (\\r)']);
  assert.deepEqual(messages('x = 1\n\uFEFFy = 2\n'), ['a byte-order mark past the start of the file']);
  assert.deepEqual(messages('x = (1,\n'), ["'(' was never closed"]);
  assert.deepEqual(messages('x = dom.\nfoo()\n'), ['expected a name after the dot, found end of line']);
  assert.deepEqual(messages('\uFEFFx = 1\r\n'), []);
});

test('regression (fuzz seed 20261202, case 42794): an `if` indented deeper than its siblings is a problem, so no fix applies', () => {
  const text =
    'class Driver(object):\n    def f(self, conf):\n        x = 1\n          if self._host.has_min_version(MIN_V):\n            conf.a = 1\n          else:\n            LOG.warning("no")\n';
  const tree = parseSource(text);
  assert.deepEqual(
    tree.problems.map((p) => [p.message, tree.lines.position(p.start).line]),
    [['unexpected indent', 3]],
  );
  // The statements are still there, for findings.
  assert.equal(tree.descendantsOfKind(tree.root, NodeKind.IfStatement).length, 1);
});

test('an unclosed parenthesis stays in its statement: the next def is parsed', () => {
  const tree = parseSource('def f(dom):\n    x = foo(1,\n    return x\n\ndef g(dom):\n    dom.fsFreeze()\n');
  const defs = tree
    .descendantsOfKind(tree.root, NodeKind.FunctionDefinition)
    .map((d) => tree.text(tree.firstChild(d) ?? d));
  assert.deepEqual(defs, ['f', 'g']);
  assert.equal(tree.descendantsOfKind(tree.root, NodeKind.ReturnStatement).length, 1);
});

test('10,000 nested brackets and blocks parse without a RangeError, with a "nested too deeply" problem', () => {
  let blocks = '';
  for (let i = 0; i < 10000; i++) blocks += `${' '.repeat(i)}if x${i}:\n`;
  blocks += `${' '.repeat(10000)}dom.fsFreeze()\n`;
  const deepBlocks = parseSource(blocks);
  assert.ok(deepBlocks.problems.some((p) => /nested too deeply/.test(p.message)));
  assert.equal(calls(deepBlocks, 'dom.fsFreeze'), 1);
  for (const source of [
    `x = ${'('.repeat(10000)}1${')'.repeat(10000)}\n`,
    `x = ${'['.repeat(10000)}\n`,
    `x = ${'-'.repeat(10000)}1\n`,
    `x = ${'not '.repeat(10000)}1\n`,
    `x = 1${' ** 1'.repeat(10000)}\n`,
    `x = ${'lambda: '.repeat(10000)}1\n`,
    `x = ${'1 if y else '.repeat(10000)}1\n`,
    `${'a = '.repeat(10000)}1\n`,
    `x = ${'f"{'.repeat(3000)}\n`,
    `match x:\n    case ${'['.repeat(10000)}:\n        pass\n`,
    `def f(${'(a, '.repeat(10000)}): pass\n`,
  ]) {
    const tree = parseSource(source);
    assert.ok(tree.size > 0);
  }
  assert.ok(
    parseSource(`x = ${'('.repeat(10000)}1${')'.repeat(10000)}\n`).problems.some((p) =>
      /nested too deeply/.test(p.message),
    ),
  );
  // A chain of assignments is read in a loop: as deep as it is long, and valid.
  assert.deepEqual(parseSource(`${'a = '.repeat(10000)}1\n`).problems, []);
});

test('a 200,000-line file parses', () => {
  const lines = ['import libvirt', 'def f(dom):'];
  for (let i = 0; i < 200000; i++) lines.push(`    x${i} = ${i}`);
  const tree = parseSource(lines.join('\n'));
  assert.deepEqual(tree.problems, []);
  assert.equal(tree.descendantsOfKind(tree.root, NodeKind.Assignment).length, 200000);
});

test('binary garbage and invalid UTF-8 (decoded with U+FFFD) parse without throwing, every node inside its parent', () => {
  const random = mulberry32(99);
  const bytes = Buffer.alloc(200_000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  const garbage = [
    bytes.toString('utf8'),
    bytes.toString('latin1'),
    Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0x28]).toString('utf8'),
    Array.from({ length: 50_000 }, () => String.fromCharCode(Math.floor(random() * 0xffff))).join(''),
  ];
  for (const text of garbage) {
    const tree = parseSource(text);
    assert.ok(tree.problems.length > 0);
    for (let id = 1; id < tree.size; id++) {
      const parent = tree.parent(id) ?? 0;
      assert.ok(tree.start(parent) <= tree.start(id) && tree.end(id) <= tree.end(parent));
    }
  }
  assert.ok(garbage[0]?.includes('\uFFFD'));
});

test('offsets are UTF-16 code units (JavaScript string indices)', () => {
  const text = 'x = "😀"; y = é\n';
  const tree = parsePython(text);
  const y = tree.descendantsOfKind(tree.root, NodeKind.Identifier).find((id) => tree.text(id) === 'y');
  assert.equal(y === undefined ? -1 : tree.start(y), text.indexOf('y'));
  assert.equal(tree.text(tree.descendantsOfKind(tree.root, NodeKind.Identifier).at(-1) ?? 0), 'é');
});

test('a parsed document after edits has the tree of a fresh parse of its text', () => {
  const random = mulberry32(5);
  const doc = new ParsedDocument('import libvirt\n\ndef f(dom):\n    if x:\n        dom.fsFreeze()\n    return 1\n');
  for (let i = 0; i < 300; i++) {
    const at = Math.floor(random() * (doc.text.length + 1));
    const del = Math.min(doc.text.length - at, Math.floor(random() * 3));
    doc.applyEdit(
      at,
      at + del,
      ['', 'x', '(', ':', '\n', '    ', 'é', 'def g():\n', '"""'][Math.floor(random() * 9)] ?? '',
    );
    assert.equal(
      spannedProjection(doc.tree).join('\n'),
      spannedProjection(parseSource(doc.text)).join('\n'),
      `edit ${i}`,
    );
  }
  doc.replaceText('x = 1\n');
  assert.equal(project(doc.tree), project(parseSource('x = 1\n')));
});
