// Whether an analysis still gives the findings of a text edited since, without analyzing it:
// the language server's answer to "diagnostics?" while the user types inside a comment or a
// docstring (the findings stand), or adds or removes blank lines (they move with the lines).
import { wordsOf } from './semantic/fileModel';
import { changeBetween, NodeKind, type Span, type SyntaxTree } from './syntax/index';
import { movedFinding } from './movedFindings';
import type { Finding, Position, Range } from './types';

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

/**
 * Texts that the analysis looks for in the whole source before it reads the tree: a
 * suppression directive (rules/suppression.ts) and an option declaration's prefilter
 * (semantic/configOptions.ts). A comment or docstring edit with one of them, before or after,
 * is analyzed.
 */
const readAnywhere = ['libvirt-gate:', 'oslo_config', 'Opt('];

const quoteOrBackslash = (c: number): boolean => c === 34 || c === 39 || c === 92;

/** A string's prefix (no f-string) and opening quotes. */
const stringOpening = /^([rRuUbB]{0,2})('''|"""|'|")/;

/**
 * The part of the text an edit at [start, end) stays inside, when it is a comment past its `#`
 * or the content of a string that stands alone as a statement (a docstring: no f-string, no
 * quote or backslash next to the edit); with the offset from which positions on its line may move.
 */
function editedTrivia(
  tree: SyntaxTree,
  start: number,
  end: number,
): { span: Span; from: number; comment: boolean } | undefined {
  const comment = tree.commentAt(start - 1);
  if (comment) {
    if (comment.start >= start || end > comment.end) return undefined;
    if (!statementLevel.has(tree.kind(tree.nodeAt(comment.start)))) return undefined;
    return { span: comment, from: comment.start, comment: true };
  }
  const s = tree.nodeAt(start);
  if (tree.kind(s) !== NodeKind.String || tree.firstChild(s) !== undefined) return undefined;
  const statement = tree.parent(s);
  if (statement === undefined || tree.kind(statement) !== NodeKind.ExpressionStatement) return undefined;
  if (tree.childCount(statement) !== 1) return undefined;
  const holder = tree.parent(statement);
  if (holder === undefined || !statementLevel.has(tree.kind(holder))) return undefined;
  const text = tree.source;
  const m = stringOpening.exec(text.slice(tree.start(s), tree.start(s) + 5));
  if (!m) return undefined;
  const content = { start: tree.start(s) + (m[0]?.length ?? 0), end: tree.end(s) - (m[2]?.length ?? 0) };
  if (start < content.start || end > content.end) return undefined;
  // No quote or backslash next to the edit: a quote run (a closing delimiter) or an escape
  // across its ends would read differently in the two texts.
  if (quoteOrBackslash(text.charCodeAt(start - 1)) || quoteOrBackslash(text.charCodeAt(end))) return undefined;
  return { span: content, from: start, comment: false };
}

/**
 * Whether the findings of an analysis of `analyzed` are those of `tree`'s text too, so that
 * nothing need be analyzed: the texts differ inside one comment, or inside the content of one
 * docstring (a string standing alone as a statement), only; and
 * - the edit removes or inserts no line break, no character Python rejects, and in a
 *   docstring no quote or backslash, so both texts have the same tokens and tree, and every
 *   position outside the edited line is the same line and character in both;
 * - the comment or docstring lies between statements or after a compound statement's header,
 *   not inside an expression (where it is part of a text a message may quote);
 * - neither version holds a text the analysis looks for in the whole source (`readAnywhere`);
 * - every word whose count the analysis read (`AnalysisResult.wordsRead`) has the same count in
 *   `tree`'s text (strings are counted; comments are not, but the count's quick scan may read
 *   one as a string's text where the tokenizer does not);
 * - no position of the `findings` lies on the edited line from the edit on (past the `#` for a
 *   comment: a block's span takes in its trailing comments, so a range of a block that ends
 *   with it would end elsewhere).
 */
export function findingsStandAfterEdit(
  analyzed: string,
  wordsRead: ReadonlyMap<string, number>,
  findings: readonly Finding[],
  tree: SyntaxTree,
): boolean {
  const text = tree.source;
  if (text === analyzed) return sameCounts(wordsRead, tree);
  const change = changeBetween(analyzed, text);
  if (change.start === 0) return false;
  const edited = editedTrivia(tree, change.start, change.newEnd);
  if (!edited) return false;
  const removed = analyzed.slice(change.start, change.oldEnd);
  const inserted = text.slice(change.start, change.newEnd);
  if (!plainText(removed) || !plainText(inserted)) return false;
  if (!edited.comment && /['"\\]/.test(removed + inserted)) return false;
  const { span } = edited;
  const before = analyzed.slice(span.start, span.end - (change.newEnd - change.oldEnd));
  const after = text.slice(span.start, span.end);
  if (readAnywhere.some((x) => before.includes(x) || after.includes(x))) return false;
  if (!sameCounts(wordsRead, tree)) return false;
  // No finding may have a position from the edit on along its line. (Places in other files are
  // checked too: it only errs on the side of analyzing.)
  const line = tree.lines.lineAt(edited.from);
  const column = edited.from - tree.lines.lineStart(line);
  const past = (r: Range): boolean =>
    (r.end.line === line && r.end.character > column) || (r.start.line === line && r.start.character >= column);
  return !findings.some(
    (f) =>
      past(f.range) ||
      f.unnecessary.some(past) ||
      f.related.some((x) => past(x.range)) ||
      f.guards.some((g) => past(g.range)) ||
      (f.symbol?.receiverVia !== undefined && past(f.symbol.receiverVia.range)),
  );
}

function sameCounts(wordsRead: ReadonlyMap<string, number>, tree: SyntaxTree): boolean {
  const words = wordsOf(tree);
  for (const [word, count] of wordsRead) if ((words.get(word) ?? 0) !== count) return false;
  return true;
}

/** Space, tab, line feed, carriage return: what a blank line is made of. */
const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

function blankText(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isBlank(text.charCodeAt(i))) return false;
  return true;
}

/** Where the last line break of [from, to) is, or -1; also -1 when a carriage return stands alone (Python rejects it). */
function lastLineBreak(text: string, from: number, to: number): number {
  let last = -1;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) !== 10) return -1;
    if (c === 10) last = i;
  }
  return last;
}

function lineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

const before = (p: Position, q: Position): boolean =>
  p.line < q.line || (p.line === q.line && p.character < q.character);

/**
 * The findings of an analysis of `analyzed` as they are in `tree`'s text, when the two differ
 * by blank lines only, so that nothing need be analyzed: undefined otherwise. The texts must
 * differ in a run of spaces, tabs and line breaks that
 * - holds a line break in both texts, and the same indentation after its last one (the next
 *   line's statement stays in its block);
 * - follows neither a backslash (a line continued) nor a comment (a block's span ends with its
 *   trailing comment, and a directive alone on its line covers the next line);
 * - lies between statements or after a compound statement's header (not inside brackets or a
 *   string, where the text is an expression's), inside the node that holds it;
 * so that both texts have the same tokens but for blank lines, and every position before the run
 * is the same, every position after it the same character of a line moved by the same count.
 * Each finding's range, dead ranges and places in this file (`uri`) are moved; a finding with a
 * position inside the run, or whose message names a place by its line (`where`), makes it
 * undefined. The findings' fixes are left out: only their diagnostics may be read.
 */
export function findingsAfterBlankLines(
  analyzed: string,
  findings: readonly Finding[],
  tree: SyntaxTree,
  uri: string,
): readonly Finding[] | undefined {
  const text = tree.source;
  if (text === analyzed) return findings;
  const change = changeBetween(analyzed, text);
  if (!blankText(analyzed, change.start, change.oldEnd) || !blankText(text, change.start, change.newEnd))
    return undefined;
  let a = change.start;
  while (a > 0 && isBlank(text.charCodeAt(a - 1))) a--;
  let b = change.newEnd;
  while (b < text.length && isBlank(text.charCodeAt(b))) b++;
  const bOld = b - (change.newEnd - change.oldEnd);
  const lastNew = lastLineBreak(text, a, b);
  const lastOld = lastLineBreak(analyzed, a, bOld);
  if (lastNew < 0 || lastOld < 0 || text.slice(lastNew + 1, b) !== analyzed.slice(lastOld + 1, bOld)) return undefined;
  if (a === 0 || text.charCodeAt(a - 1) === 92 || tree.commentAt(a - 1)) return undefined;
  const holder = tree.nodeAt(a);
  if (!statementLevel.has(tree.kind(holder)) || tree.end(holder) < b) return undefined;
  const delta = lineBreaks(text, a, b) - lineBreaks(analyzed, a, bOld);
  const start = tree.lines.position(a);
  const next = tree.lines.position(b);
  const nextOld: Position = { line: next.line - delta, character: next.character };
  const moved = (p: Position): Position => (delta ? { line: p.line + delta, character: p.character } : p);
  // A range ending where the run starts stays; one starting where it ends moves.
  const range = (r: Range): Range | undefined => {
    if (!before(start, r.end)) return r;
    if (before(r.start, nextOld)) return undefined;
    return delta ? { start: moved(r.start), end: moved(r.end) } : r;
  };
  const out: Finding[] = [];
  for (const f of findings) {
    if (f.data.where !== undefined) return undefined;
    const via = f.symbol?.receiverVia;
    const viaRange = via && range(via.range);
    if (via && !viaRange) return undefined;
    const m = movedFinding(f, range, uri, []);
    if (!m) return undefined;
    out.push(
      via && viaRange && viaRange !== via.range
        ? { ...m, symbol: { ...f.symbol, receiverVia: { ...via, range: viaRange } } }
        : m,
    );
  }
  return out;
}
