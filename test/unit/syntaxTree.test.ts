// The syntax layer's own contract: the array tree (pre-order ids, parents, fields, spans,
// lookups), the line index, comments and the problems Python would report.
import * as fs from 'node:fs';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Field, NodeKind, initParser, parsePython, type SyntaxTree } from '../../server/src/engine/syntax/index';
import { LineIndex } from '../../server/src/engine/syntax/lineIndex';
import { project } from '../../server/src/engine/syntax/projection';
import { TreeBuilder } from '../../server/src/engine/syntax/tree';
import { mulberry32, mutate } from '../support/mutate';
import { fixtureAndExampleFiles } from '../support/pythonFiles';

before(() => initParser());

const kinds = (t: SyntaxTree, ids: readonly number[]) => ids.map((id) => NodeKind[t.kind(id)]);

test('ids are in document pre-order: parents first, descendants contiguous up to subtreeEnd', () => {
  const t = parsePython('def f(a):\n    return g(a.b, 1)\n');
  for (let id = 1; id < t.size; id++) {
    const p = t.parent(id);
    assert.ok(p !== undefined && p < id, `parent of ${id}`);
    assert.ok(id < t.subtreeEnd(p), `${id} inside its parent's subtree`);
    assert.ok(t.start(p) <= t.start(id) && t.end(id) <= t.end(p), `${id} inside its parent's span`);
  }
  const call = t.descendantsOfKind(t.root, NodeKind.Call)[0];
  assert.ok(call !== undefined);
  assert.equal(t.text(call), 'g(a.b, 1)');
  assert.deepEqual(kinds(t, t.children(call)), ['Identifier', 'ArgumentList']);
  assert.equal(t.text(t.field(call, Field.Function) ?? -1), 'g');
  const args = t.field(call, Field.Arguments) ?? -1;
  assert.deepEqual(kinds(t, t.children(args)), ['Attribute', 'Integer']);
  assert.equal(t.nextSibling(t.firstChild(args) ?? -1), t.children(args)[1]);
  assert.equal(t.nextSibling(t.children(args)[1] ?? -1), undefined);
});

test('operators are kept only where a field names them; comments are listed, not nodes', () => {
  const t = parsePython('x = a and not b  # why\nif y >= 2: pass\n');
  const boolOp = t.descendantsOfKind(t.root, NodeKind.BooleanOperator)[0] ?? -1;
  assert.equal(t.text(t.field(boolOp, Field.Operator) ?? -1), 'and');
  const cmp = t.descendantsOfKind(t.root, NodeKind.ComparisonOperator)[0] ?? -1;
  assert.deepEqual(
    t.fieldChildren(cmp, Field.Operators).map((o) => t.text(o)),
    ['>='],
  );
  assert.deepEqual(
    t.comments.map((c) => t.source.slice(c.start, c.end)),
    ['# why'],
  );
  assert.equal(t.commentAt(t.source.indexOf('why'))?.start, t.source.indexOf('#'));
  assert.equal(t.commentAt(0), undefined);
  assert.equal(t.descendantsOfKind(t.root, NodeKind.Operator).length, 2);
});

test('nodeAt and nodeWithSpan find the innermost node', () => {
  const src = 'print(dom.fsFreeze())\n';
  const t = parsePython(src);
  const at = t.nodeAt(src.indexOf('fsFreeze'));
  assert.equal(t.kind(at), NodeKind.Identifier);
  assert.equal(t.text(at), 'fsFreeze');
  const start = src.indexOf('dom');
  const end = src.indexOf(')') + 1;
  assert.equal(t.kind(t.nodeWithSpan(start, end) ?? -1), NodeKind.Call);
  assert.equal(t.nodeWithSpan(0, src.length - 1, NodeKind.Call), t.descendantsOfKind(t.root, NodeKind.Call)[0]);
  assert.equal(t.nodeWithSpan(1, 3), undefined);
});

/** nodeAt as a descent from the root into the first child that holds the offset. */
function descend(t: SyntaxTree, offset: number): number {
  let n = t.root;
  for (;;) {
    const next = t.children(n).find((c) => t.start(c) <= offset && offset < t.end(c));
    if (next === undefined) return n;
    n = next;
  }
}

test('nodeAt (a binary search over pre-order starts) agrees with a descent from the root', () => {
  const random = mulberry32(20261202);
  const texts = fixtureAndExampleFiles().map((f) => fs.readFileSync(f, 'utf8'));
  for (let k = 0; k < 60; k++) texts.push(mutate(texts[k % texts.length] ?? '', random));
  texts.push('', '\n\n', 'x = (', 'def f(:\n  pass\n\tif x\n', 'a' + '('.repeat(300));
  let checked = 0;
  for (const src of texts) {
    const t = parsePython(src);
    const step = Math.max(1, Math.floor(src.length / 400));
    for (let offset = 0; offset <= src.length + 1; offset += step) {
      assert.equal(t.nodeAt(offset), descend(t, offset), `offset ${offset} of ${JSON.stringify(src.slice(0, 60))}`);
      checked++;
    }
  }
  assert.ok(checked > 10_000, `${checked} offsets`);
});

/** nodeWithSpan as a descent from the root: the deepest node of exactly the span on the path into the nodes that hold it. */
function descendSpan(t: SyntaxTree, start: number, end: number, kind?: NodeKind): number | undefined {
  let found: number | undefined;
  for (let n: number | undefined = t.root; n !== undefined;) {
    if (t.start(n) === start && t.end(n) === end && (kind === undefined || t.kind(n) === kind)) found = n;
    n = t.children(n).find((c) => t.start(c) <= start && end <= t.end(c) && t.end(c) > t.start(c));
  }
  return found;
}

test('nodeWithSpan (up from nodeAt) agrees with a descent from the root, for node spans and others', () => {
  const random = mulberry32(20261204);
  const texts = fixtureAndExampleFiles().map((f) => fs.readFileSync(f, 'utf8'));
  for (let k = 0; k < 40; k++) texts.push(mutate(texts[k % texts.length] ?? '', random));
  texts.push('', 'x = (', 'def f(:\n  pass\n\tif x\n', 'a' + '('.repeat(300));
  let checked = 0;
  let found = 0;
  for (const src of texts) {
    const t = parsePython(src);
    const step = Math.max(1, Math.floor(t.size / 150));
    for (let n = 0; n < t.size; n += step) {
      // The node's own span (with and without its kind, and another kind), and spans beside it.
      const spans: [number, number][] = [
        [t.start(n), t.end(n)],
        [t.start(n), t.end(n) + 1],
        [t.start(n) + 1, t.end(n)],
        [t.start(n), t.start(n)],
      ];
      for (const [a, b] of spans)
        for (const kind of [undefined, t.kind(n), NodeKind.Call]) {
          const want = descendSpan(t, a, b, kind);
          assert.equal(
            t.nodeWithSpan(a, b, kind),
            want,
            `[${a}, ${b}) ${String(kind)} of ${JSON.stringify(src.slice(0, 60))}`,
          );
          checked++;
          if (want !== undefined) found++;
        }
    }
  }
  assert.ok(checked > 20_000 && found > 5_000, `${checked} spans, ${found} found`);
});

test('nodeAt falls back to the descent when spans do not nest (siblings that overlap)', () => {
  const b = new TreeBuilder('abcde');
  const mark = b.mark();
  b.leaf(NodeKind.Identifier, 0, 4);
  b.leaf(NodeKind.Integer, 2, 5);
  b.finish(NodeKind.ExpressionStatement, 0, 5, mark);
  const t = b.build();
  // A binary search would land in the later sibling; the descent takes the first that holds 3.
  assert.equal(t.kind(t.nodeAt(3)), NodeKind.Identifier);
  assert.equal(t.kind(t.nodeAt(4)), NodeKind.Integer);
  assert.equal(t.kind(t.nodeAt(5)), NodeKind.Module);
});

test('the line index ends lines at \\r\\n, \\n and a lone \\r, and clamps positions to the line', () => {
  const lines = new LineIndex('a\r\nbc\rd\ne');
  assert.equal(lines.lineCount, 4);
  assert.deepEqual(
    [0, 1, 2, 3].map((l) => lines.lineText(l)),
    ['a', 'bc', 'd', 'e'],
  );
  assert.equal(lines.eol, '\r\n');
  assert.deepEqual(lines.position(4), { line: 1, character: 1 });
  assert.equal(lines.offset({ line: 1, character: 99 }), 5);
  assert.equal(lines.offset({ line: 9, character: 0 }), 9);
  assert.equal(new LineIndex('x').eol, '\n');
});

test('a range is the positions of its two ends, on one line or across lines', () => {
  const text = 'a\r\nbc\rd\n\ne\r\n';
  const lines = new LineIndex(text);
  for (let start = 0; start <= text.length; start++)
    for (let end = 0; end <= text.length; end++)
      assert.deepEqual(
        lines.range(start, end),
        { start: lines.position(start), end: lines.position(end) },
        `${start}-${end}`,
      );
  assert.deepEqual(lines.range(3, 5), { start: { line: 1, character: 0 }, end: { line: 1, character: 2 } });
  assert.deepEqual(lines.range(4, 7), { start: { line: 1, character: 1 }, end: { line: 2, character: 1 } });
});

test('inputs Python rejects are problems of the tree', () => {
  const problem = (src: string) => parsePython(src).problems.map((p) => p.message);
  assert.deepEqual(problem('x = 1\n'), []);
  assert.deepEqual(problem('x = 1\0\n'), ['a NUL byte in source code']);
  assert.deepEqual(problem('x = 1\ny = \uFEFF2\n').slice(0, 1), ['a byte-order mark past the start of the file']);
  assert.deepEqual(problem('\uFEFFx = 1\n'), []);
  assert.deepEqual(problem('x = 1\ry = 2\n'), ['a line ends with a lone carriage return (\\r)']);
  assert.deepEqual(problem('def f():\n    x = dom.\n    fsFreeze()\n'), [
    'expected a name after the dot, found end of line',
  ]);
  // tree-sitter accepts an `if` two columns deeper than its siblings (fuzz seed 20261202, case 42794).
  assert.deepEqual(problem('def f():\n    a = 1\n      if b:\n        c = 2\n'), ['unexpected indent']);
  assert.deepEqual(problem('def f():\n    x = (1,\n  2)\n    y = 3\n'), []);
});

test('the builder wraps after the fact and renumbers into pre-order', () => {
  const b = new TreeBuilder('a.b');
  const mark = b.mark();
  b.setField(b.leaf(NodeKind.Identifier, 0, 1), Field.Object);
  b.setField(b.leaf(NodeKind.Identifier, 2, 3), Field.Attribute);
  const attr = b.finish(NodeKind.Attribute, 0, 3, mark);
  b.finish(NodeKind.ExpressionStatement, 0, 3, b.mark() - 1);
  assert.equal(attr, 2);
  const t = b.build();
  assert.equal(
    project(t),
    [
      '(module)',
      '  (expression_statement)',
      '    (attribute)',
      '      object: (identifier "a")',
      '      attribute: (identifier "b")',
    ].join('\n'),
  );
});
