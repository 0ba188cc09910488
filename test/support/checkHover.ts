// The facts of a version-check hover at a position of a text, in a form tests compare whole:
// the range as `line:char-line:char`, the relation, and each branch as [lo, hi, class] (the
// policy of the rule fixtures). `helper` only when the check goes through one,
// `enforcesMinimum` only when it enforces the minimum.
import assert from 'node:assert/strict';
import { analyzeDocument, WorkspaceIndex } from '../../server/src/engine/api';
import { examplePolicy } from './examplePolicy';

const span = (i: { lo: number; hi: number }) => [i.lo, i.hi];

export function checkHoverAt(text: string, line: number, character: number) {
  const r = analyzeDocument({ uri: 'file:///d.py', text }, new WorkspaceIndex(), examplePolicy);
  const h = r.hoverAt({ line, character });
  assert.ok(h?.check, `a check hover at ${line}:${character}`);
  const { start, end } = h.range;
  const c = h.check;
  return {
    kind: h.kind,
    range: `${start.line}:${start.character}-${end.line}:${end.character}`,
    ...(c.helper !== undefined ? { helper: c.helper } : {}),
    ...(c.enforcesMinimum ? { enforcesMinimum: true } : {}),
    relation: `${c.axis} ${c.negated ? 'below' : 'at least'} ${c.version}${c.exact ? ' exactly' : ''}`,
    then: [...span(c.thenInterval), c.thenClass],
    else: [...span(c.elseInterval), c.elseClass],
  };
}
