// Differential testing of the hand-written parser against tree-sitter-python (the oracle):
// both trees as lines of kind, field, span and leaf text, compared line by line. Where the
// first difference is one docs/parser.md lists (we read the code as CPython does), the file is
// counted as a known difference, with the reason, and not compared further.
import { fieldNames, kindNames, NodeKind } from '../../server/src/engine/syntax/nodeKind';
import { parseSource } from '../../server/src/engine/syntax/parser';
import type { NodeId, SyntaxTree } from '../../server/src/engine/syntax/tree';
import { parseWithTreeSitter } from './treeSitterOracle/treeSitterOracle';

export { initTreeSitter, parseWithTreeSitter } from './treeSitterOracle/treeSitterOracle';

/** One line per node in pre-order (line i is node i): indentation, field, kind, span, leaf text. */
export function spannedProjection(tree: SyntaxTree): string[] {
  const out: string[] = [];
  const depth = new Int32Array(tree.size);
  for (let id = 0; id < tree.size; id++) {
    const parent = tree.parent(id);
    depth[id] = parent === undefined ? 0 : (depth[parent] ?? 0) + 1;
    const field = fieldNames[tree.fieldOf(id)];
    const leaf = tree.childCount(id) === 0 ? ` ${JSON.stringify(tree.text(id).slice(0, 60))}` : '';
    out.push(
      `${'  '.repeat(depth[id] ?? 0)}${field ? `${field}: ` : ''}${kindNames[tree.kind(id)]} [${tree.start(id)},${tree.end(id)}]${leaf}`,
    );
  }
  return out;
}

/** tree-sitter reports an error: its tree is not an oracle for this text. */
export function oracleFails(tree: SyntaxTree): boolean {
  return tree.problems.some((p) => p.message === 'invalid syntax' || p.message.startsWith('missing'));
}

function ancestors(tree: SyntaxTree, id: NodeId): NodeId[] {
  const out: NodeId[] = [];
  for (let n: NodeId | undefined = id; n !== undefined; n = tree.parent(n)) out.push(n);
  return out;
}

function operatorsUnder(tree: SyntaxTree, id: NodeId): Set<string> {
  const ops = new Set<string>();
  for (const d of tree.descendantsOfKind(id, NodeKind.Operator)) ops.add(tree.text(d));
  return ops;
}

/** Why the trees may differ at node `index` (docs/parser.md), or undefined when they should not. */
export function knownDifference(oracle: SyntaxTree, ours: SyntaxTree, index: number): string | undefined {
  const o = Math.min(index, oracle.size - 1);
  const u = Math.min(index, ours.size - 1);
  const oracleKind = oracle.kind(o);
  const ourKind = ours.kind(u);
  for (const a of ancestors(oracle, o)) {
    if (oracle.kind(a) === NodeKind.TypeAliasStatement && /^type\s*\(/.test(oracle.text(a)))
      return '`type(x).y = z` is an assignment, not a type alias';
    if (oracle.kind(a) === NodeKind.String && oracle.text(a).startsWith('`'))
      return 'Python 2 backticks are a parenthesized expression, not a string';
    if (oracle.kind(a) === NodeKind.Await && oracle.text(a).includes('**')) return '`await x ** y` is `(await x) ** y`';
    if (
      oracle.kind(a) === NodeKind.NamedExpression &&
      oracle.parent(a) !== undefined &&
      oracle.kind(oracle.parent(a) ?? 0) === NodeKind.Interpolation
    ) {
      return "`f'{x:=10}'` formats x with the spec `=10` (no walrus at a field's top level)";
    }
    if (oracle.kind(a) === NodeKind.ExpressionStatement && /^print\s*\[/.test(oracle.text(a)))
      return 'Python 2 `print [x]` prints a list; it is no subscript of `print`';
  }
  const splatTrailer = new Set([NodeKind.Attribute, NodeKind.Call, NodeKind.Subscript]);
  if (
    (oracleKind === NodeKind.ListSplat && splatTrailer.has(ourKind)) ||
    (ourKind === NodeKind.ListSplat && splatTrailer.has(oracleKind))
  ) {
    return '`*a.b` unpacks `a.b` (the star binds the whole primary)';
  }
  for (const a of ancestors(oracle, o)) {
    if (oracle.kind(a) !== NodeKind.BinaryOperator) continue;
    const ops = operatorsUnder(oracle, a);
    if (ops.has('&') && ops.has('^')) return '`&` binds tighter than `^` (CPython precedence)';
  }
  return undefined;
}

export type Verdict =
  | { readonly kind: 'same' }
  | { readonly kind: 'oracle-error' }
  | { readonly kind: 'known'; readonly reason: string }
  | { readonly kind: 'differ'; readonly detail: string };

/** Parses with both parsers and compares kinds, fields, spans and leaf texts. */
export function compareWithOracle(text: string): Verdict {
  const ours = parseSource(text);
  const oracle = parseWithTreeSitter(text);
  if (oracleFails(oracle)) return { kind: 'oracle-error' };
  // Node by node on the arrays (ids are pre-order, so equal kinds, fields, spans and parents
  // mean equal trees; equal spans of one text mean equal leaf text); strings only to report.
  let i = 0;
  const size = Math.min(oracle.size, ours.size);
  while (
    i < size &&
    oracle.kind(i) === ours.kind(i) &&
    oracle.fieldOf(i) === ours.fieldOf(i) &&
    oracle.start(i) === ours.start(i) &&
    oracle.end(i) === ours.end(i) &&
    oracle.parent(i) === ours.parent(i)
  )
    i++;
  if (i === oracle.size && i === ours.size) {
    // Same trees; and where tree-sitter (with the checks for what it accepts and CPython does
    // not) finds nothing wrong, neither may we.
    if (oracle.problems.length === 0 && ours.problems.length > 0) {
      const p = ours.problems[0];
      return { kind: 'differ', detail: `a problem on code tree-sitter reads cleanly: ${p?.message} at ${p?.start}` };
    }
    return { kind: 'same' };
  }
  const reason = knownDifference(oracle, ours, i);
  if (reason) return { kind: 'known', reason };
  const context = (lines: string[]) => lines.slice(Math.max(0, i - 3), i + 4).join('\n');
  const a = spannedProjection(oracle);
  const b = spannedProjection(ours);
  return {
    kind: 'differ',
    detail: `first difference at node ${i}:\n--- tree-sitter\n${context(a)}\n--- ours\n${context(b)}`,
  };
}
