// The strings that stand alone as statements (docstrings), as spans: the fuzz and the
// trivia-edit tests type inside them.
import { NodeKind, type SyntaxTree } from '../../server/src/engine/syntax/index';

export function docstringSpans(tree: SyntaxTree): { start: number; end: number }[] {
  return tree
    .descendantsOfKind(tree.root, NodeKind.ExpressionStatement)
    .map((s) => tree.firstChild(s))
    .filter((s): s is number => s !== undefined && tree.kind(s) === NodeKind.String)
    .map((s) => ({ start: tree.start(s), end: tree.end(s) }));
}
