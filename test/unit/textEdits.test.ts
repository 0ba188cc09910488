// applyTextEdits: edits of one text, given in any order, applied as if each saw the original.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyTextEdits, type TextEdit } from '../../server/src/engine/api';

const at = (line: number, character: number) => ({ line, character });
const edit = (l1: number, c1: number, l2: number, c2: number, newText: string): TextEdit => ({
  range: { start: at(l1, c1), end: at(l2, c2) },
  newText,
});

test('edits in any order; inserts at one point keep their order, before a replacement that starts there', () => {
  const text = 'alpha\nbeta\ngamma\n';
  assert.equal(
    applyTextEdits(text, [
      edit(2, 0, 2, 5, 'GAMMA'),
      edit(0, 0, 0, 0, '1'),
      edit(1, 0, 1, 4, 'B'),
      edit(0, 0, 0, 0, '2'),
      edit(1, 0, 1, 0, '<'),
      edit(2, 5, 2, 5, '!'),
    ]),
    '12alpha\n<B\nGAMMA!\n',
  );
});

test('no edits: the same text; overlapping edits throw', () => {
  assert.equal(applyTextEdits('x = 1\n', []), 'x = 1\n');
  assert.throws(() => applyTextEdits('abcdef', [edit(0, 0, 0, 3, 'X'), edit(0, 2, 0, 4, 'Y')]), /overlapping edits/);
});

test('8,000 edits of one text: every one applied', () => {
  const lines = Array.from({ length: 8000 }, (_, i) => `line ${i}`);
  const edits = lines.map((l, i) => edit(i, 0, i, 4, 'LINE'));
  const out = applyTextEdits(lines.join('\n'), edits.reverse());
  assert.equal(out, lines.map((l) => l.replace('line', 'LINE')).join('\n'));
});
