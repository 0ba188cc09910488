// Whether an analysis still gives the findings of a text edited since, without analyzing it:
// the language server's answer to "diagnostics?" while the user types inside a comment.
import { wordsOf } from './semantic/fileModel';
import { changeBetween, NodeKind, type SyntaxTree } from './syntax/index';

/**
 * Where a comment may lie for its text not to reach a finding: between statements, or after a
 * compound statement's header. Inside an expression (between the arguments of a call) it is part
 * of that expression's text, which a message may quote.
 */
const statementLevel: ReadonlySet<NodeKind> = new Set<NodeKind>([
  NodeKind.Module,
  NodeKind.Block,
  NodeKind.FunctionDefinition,
  NodeKind.ClassDefinition,
  NodeKind.DecoratedDefinition,
  NodeKind.IfStatement,
  NodeKind.ElifClause,
  NodeKind.ElseClause,
  NodeKind.ForStatement,
  NodeKind.WhileStatement,
  NodeKind.TryStatement,
  NodeKind.ExceptClause,
  NodeKind.FinallyClause,
  NodeKind.WithStatement,
  NodeKind.MatchStatement,
  NodeKind.CaseClause,
]);

/**
 * Whether the edit may remove or insert these characters: none that ends a line (for Python or
 * for LSP positions), that Python rejects (NUL, a BOM past the start), other control
 * characters, or half of a surrogate pair.
 */
function plainText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f || c === 0x85 || c === 0x2028 || c === 0x2029 || c === 0xfeff)
      return false;
    if (c >= 0xd800 && c <= 0xdfff) return false;
  }
  return true;
}

/** The text of a suppression directive (see rules/suppression.ts): a comment holding it is read. */
const directive = 'libvirt-gate:';

/**
 * Whether the findings of an analysis of `analyzed` are those of `tree`'s text too, so that
 * nothing need be analyzed: the texts differ inside one comment only, and that comment
 * - is one in both texts (the change is past its `#`, with no line break or character Python
 *   rejects), so both texts have the same tokens and tree, and every position outside the
 *   comment is the same line and character in both;
 * - lies between statements or after a compound statement's header, not inside an expression,
 *   and not at the end of a node (a block ends with its trailing comments);
 * - holds no `libvirt-gate:` directive before or after;
 * and every word whose count the analysis read (`AnalysisResult.wordsRead`) has the same count
 * in `tree`'s text (comments are not counted, but the count's quick scan may read one as a
 * string's text where the tokenizer does not).
 */
export function findingsStandAfterEdit(
  analyzed: string,
  wordsRead: ReadonlyMap<string, number>,
  tree: SyntaxTree,
): boolean {
  const text = tree.source;
  if (text === analyzed) return sameCounts(wordsRead, tree);
  const change = changeBetween(analyzed, text);
  if (change.start === 0) return false;
  const comment = tree.commentAt(change.start - 1);
  if (!comment || comment.start >= change.start || change.newEnd > comment.end) return false;
  if (!plainText(analyzed.slice(change.start, change.oldEnd)) || !plainText(text.slice(change.start, change.newEnd)))
    return false;
  const before = analyzed.slice(comment.start, comment.end - (change.newEnd - change.oldEnd));
  if (before.includes(directive) || text.slice(comment.start, comment.end).includes(directive)) return false;
  // The nodes around the comment end past it, on a later line: a node that ends with it (a
  // block's span takes in its trailing comments) would end elsewhere.
  const holder = tree.nodeAt(comment.start);
  if (!statementLevel.has(tree.kind(holder)) || tree.end(holder) <= comment.end) return false;
  return sameCounts(wordsRead, tree);
}

function sameCounts(wordsRead: ReadonlyMap<string, number>, tree: SyntaxTree): boolean {
  const words = wordsOf(tree);
  for (const [word, count] of wordsRead) if ((words.get(word) ?? 0) !== count) return false;
  return true;
}
