// For the tree-sitter adapter (the test oracle) only: the hand-written parser reports these
// itself. Inputs CPython rejects (or reads differently) that an error-tolerant parser may accept
// without complaint: NUL bytes, a byte-order mark past the start, lone carriage returns, an
// empty block, a statement broken across lines outside brackets, indentation that does not
// match its block. Each becomes a SyntaxProblem, so the engine treats them like any syntax
// error: findings still come, fixes do not (a fix must never make a file worse).
import { indentation } from '../../../server/src/engine/syntax/lineIndex';
import { NodeKind } from '../../../server/src/engine/syntax/nodeKind';
import { linesJoinedLegally, simpleStatementKinds } from '../../../server/src/engine/syntax/statementKinds';
import { loneCarriageReturnMessage } from '../../../server/src/engine/syntax/tokenizer';
import type { ArrayTree, NodeId, SyntaxProblem } from '../../../server/src/engine/syntax/tree';

/** Whether only whitespace precedes the node on its line. */
function startsItsLine(tree: ArrayTree, id: NodeId): boolean {
  const start = tree.start(id);
  const line = tree.lines.lineAt(start);
  return tree.source.slice(tree.lines.lineStart(line), start).trim() === '';
}

function lineIndentOf(tree: ArrayTree, id: NodeId): string {
  return indentation(tree.lines.lineText(tree.lines.lineAt(tree.start(id))));
}

/** Statements of one block must share one indentation, deeper than the block's owner. */
function checkIndentation(tree: ArrayTree, block: NodeId, expected: string | undefined, out: SyntaxProblem[]): void {
  let want = expected;
  for (const stmt of tree.children(block)) {
    if (!startsItsLine(tree, stmt)) continue;
    const have = lineIndentOf(tree, stmt);
    if (want === undefined) {
      const owner = tree.parent(block);
      const outer = owner === undefined ? '' : lineIndentOf(tree, owner);
      if (!(have.length > outer.length && have.startsWith(outer))) {
        out.push({
          start: tree.start(stmt),
          end: tree.start(stmt),
          message: 'this block is not indented deeper than its statement',
        });
        return;
      }
      want = have;
    } else if (have !== want) {
      out.push({
        start: tree.start(stmt),
        end: tree.start(stmt),
        message: 'indentation does not match the block (unexpected indent or unindent)',
      });
      return;
    }
  }
}

/** Adds the problems CPython would report to the tree's list. */
export function markPythonRejects(tree: ArrayTree): ArrayTree {
  const out: SyntaxProblem[] = [];
  const text = tree.source;
  const nul = text.indexOf('\0');
  if (nul >= 0) out.push({ start: nul, end: nul + 1, message: 'a NUL byte in source code' });
  const bom = text.indexOf('\uFEFF', 1);
  if (bom >= 0) out.push({ start: bom, end: bom + 1, message: 'a byte-order mark past the start of the file' });
  const cr = /\r(?!\n)/.exec(text);
  if (cr) out.push({ start: cr.index, end: cr.index + 1, message: loneCarriageReturnMessage });
  checkIndentation(tree, tree.root, '', out);
  for (let id = 1; id < tree.size; id++) {
    const kind = tree.kind(id);
    if (kind === NodeKind.Block) {
      if (tree.firstChild(id) === undefined)
        out.push({ start: tree.start(id), end: tree.end(id), message: 'expected an indented block' });
      else if (startsItsLine(tree, tree.firstChild(id) ?? id)) checkIndentation(tree, id, undefined, out);
    } else if (simpleStatementKinds.has(kind)) {
      const start = tree.start(id);
      const end = tree.end(id);
      if (tree.lines.lineAt(start) !== tree.lines.lineAt(end) && !linesJoinedLegally(text.slice(start, end))) {
        out.push({ start, end, message: 'a line break outside brackets without a backslash' });
      }
    }
  }
  if (out.length) tree.addProblems(out);
  return tree;
}
