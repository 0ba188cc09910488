// Two syntax trees compared node for node (kind, field, span, parent, subtree), with their
// comments and problems: for checks that a tree built another way is the tree of a full parse.
import type { SyntaxTree } from '../../server/src/engine/syntax/index';

/** The first difference between two trees, or undefined when they are the same. */
export function treeDifference(a: SyntaxTree, b: SyntaxTree): string | undefined {
  if (a.source !== b.source) return 'source';
  if (a.size !== b.size) return `size ${a.size} != ${b.size}`;
  for (let id = 0; id < a.size; id++) {
    const x = [a.kind(id), a.fieldOf(id), a.start(id), a.end(id), a.parent(id), a.subtreeEnd(id)];
    const y = [b.kind(id), b.fieldOf(id), b.start(id), b.end(id), b.parent(id), b.subtreeEnd(id)];
    if (x.join() !== y.join()) return `node ${id}: ${x.join()} != ${y.join()}`;
  }
  if (JSON.stringify(a.comments) !== JSON.stringify(b.comments)) return 'comments';
  if (JSON.stringify(a.problems) !== JSON.stringify(b.problems)) return 'problems';
  return undefined;
}
