// A tree as text: `(kind field: (kind "leaf text") ...)`, one node per line, indented. Two
// parsers agree on a source when their projections are equal; the conformance corpus and the
// differential tests compare projections. Leaves show their text, so a wrong token shows too.
import { fieldNames, kindNames, NodeKind } from './nodeKind';
import type { NodeId, SyntaxTree } from './tree';

/** Kinds whose text is part of the projection. */
const leafText = new Set<NodeKind>([
  NodeKind.Identifier,
  NodeKind.Integer,
  NodeKind.Float,
  NodeKind.String,
  NodeKind.Operator,
  NodeKind.True,
  NodeKind.False,
  NodeKind.None,
  NodeKind.Ellipsis,
  NodeKind.TypeConversion,
]);

function quote(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}

/**
 * The projection of the subtree at `id` (the whole tree by default).
 * @public (the parser's conformance and differential tests use it)
 */
export function project(tree: SyntaxTree, id: NodeId = tree.root): string {
  const out: string[] = [];
  // Explicit stack: [node, depth]; no recursion (trees can be deep).
  const stack: [NodeId, number][] = [[id, 0]];
  while (stack.length) {
    const [n, depth] = stack.pop() ?? [id, 0];
    const kind = tree.kind(n);
    const field = fieldNames[tree.fieldOf(n)];
    const children = tree.children(n);
    const text = leafText.has(kind) && children.length === 0 ? ` ${quote(tree.text(n))}` : '';
    out.push(`${'  '.repeat(depth)}${field ? `${field}: ` : ''}(${kindNames[kind] ?? kind}${text})`);
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i] ?? n, depth + 1]);
  }
  return out.join('\n');
}
