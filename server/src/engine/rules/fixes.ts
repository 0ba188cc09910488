// Text edits for fixes. Every builder either returns edits that keep the file valid Python
// (indentation as the file writes it, its line endings, strings untouched) or undefined.
import {
  compoundStatementKinds,
  Field,
  indentation,
  linesJoinedLegally,
  NodeKind,
  operatorText,
  unparen,
  type NodeId,
  type SyntaxTree,
  climbParens,
  conditionTester,
} from '../syntax/index';
import type { Fix, Position, Range, TextEdit } from '../types';

const pos = (line: number, character: number): Position => ({ line, character });
const insertAt = (line: number, character: number, newText: string): TextEdit => ({
  range: { start: pos(line, character), end: pos(line, character) },
  newText,
});

/** What fix builders read: the tree, with its text and line index. */
export interface FixEnv {
  readonly tree: SyntaxTree;
}

const startLine = (t: SyntaxTree, n: NodeId): number => t.lines.lineAt(t.start(n));
const endLine = (t: SyntaxTree, n: NodeId): number => t.lines.lineAt(t.end(n));
const startColumn = (t: SyntaxTree, n: NodeId): number => t.start(n) - t.lines.lineStart(startLine(t, n));
const endColumn = (t: SyntaxTree, n: NodeId): number => t.end(n) - t.lines.lineStart(endLine(t, n));

/** The string node strictly containing a position (its content, not its quotes' outside). */
function stringAt(t: SyntaxTree, line: number, character: number): NodeId | undefined {
  const offset = t.lines.offset({ line, character });
  for (let n: NodeId | undefined = t.nodeAt(offset); n !== undefined; n = t.parent(n)) {
    const kind = t.kind(n);
    if ((kind === NodeKind.String || kind === NodeKind.ConcatenatedString) && t.start(n) < offset && offset < t.end(n))
      return n;
  }
  return undefined;
}

/** A per-file fact that every fix of one analysis shares: computed once per tree. */
function oncePerFile<T>(compute: (env: FixEnv) => T): (env: FixEnv) => T {
  const cache = new WeakMap<SyntaxTree, T>();
  return (env) => {
    if (!cache.has(env.tree)) cache.set(env.tree, compute(env));
    return cache.get(env.tree) as T;
  };
}

/** One level of indentation as the file's blocks use it (from the tree), else as its lines suggest. */
export const indentUnitOf = oncePerFile(computeIndentUnit);

function computeIndentUnit(env: FixEnv): string {
  const t = env.tree;
  for (const block of t.descendantsOfKind(t.root, NodeKind.Block)) {
    if (startLine(t, block) >= 2000) break;
    const owner = t.parent(block);
    if (owner === undefined || startLine(t, block) === startLine(t, owner)) continue;
    const inner = indentation(t.lines.lineText(startLine(t, block)));
    const outer = indentation(t.lines.lineText(startLine(t, owner)));
    if (inner.startsWith(outer) && inner.length > outer.length) return inner.slice(outer.length);
  }
  return t.lines.indentUnitFromLines();
}

/** Lines of a node that are continuation lines of a multi-line string: their text is data. */
function stringContinuationLines(t: SyntaxTree, node: NodeId): Set<number> {
  const lines = new Set<number>();
  for (const s of t.descendantsOfKind(node, NodeKind.String)) {
    for (let l = startLine(t, s) + 1; l <= endLine(t, s); l++) lines.add(l);
  }
  return lines;
}

/** A statement fix can move whole lines of: it starts its line and nothing but a comment follows it. */
export function ownsItsLines(env: FixEnv, stmt: NodeId): boolean {
  const t = env.tree;
  const first = t.lines.lineText(startLine(t, stmt));
  if (indentation(first).length !== startColumn(t, stmt)) return false;
  const rest = t.lines.lineText(endLine(t, stmt)).slice(endColumn(t, stmt));
  if (!/^\s*(#.*)?$/.test(rest)) return false;
  const prev = startLine(t, stmt) > 0 ? t.lines.lineText(startLine(t, stmt) - 1) : '';
  return !/\\$/.test(prev);
}

/** Wraps a statement in `if <condition>:`, indenting its lines one level. */
export function wrapInIf(env: FixEnv, stmt: NodeId, condition: string): TextEdit[] | undefined {
  const t = env.tree;
  if (!ownsItsLines(env, stmt)) return undefined;
  if (
    !compoundStatementKinds.has(t.kind(stmt)) &&
    startLine(t, stmt) !== endLine(t, stmt) &&
    !linesJoinedLegally(t.text(stmt))
  )
    return undefined;
  const first = startLine(t, stmt);
  const indent = indentation(t.lines.lineText(first));
  const unit = indentUnitOf(env);
  const skip = stringContinuationLines(t, stmt);
  // Spaces put before a tab add no column (a tab goes to the next multiple of 8), so on lines
  // indented with tabs the extra indent goes after the existing one (found by fuzzing).
  const tabbed = indent.includes('\t');
  // One insert on the first line (the `if` and that line's extra indent), so no two edits share a position.
  const edits: TextEdit[] = tabbed
    ? [insertAt(first, 0, `${indent}if ${condition}:${t.lines.eol}`), insertAt(first, indent.length, unit)]
    : [insertAt(first, 0, `${indent}if ${condition}:${t.lines.eol}${unit}`)];
  for (let l = first + 1; l <= endLine(t, stmt); l++) {
    if (skip.has(l) || t.lines.lineText(l).trim() === '') continue;
    const lineIndent = indentation(t.lines.lineText(l));
    edits.push(insertAt(l, lineIndent.includes('\t') ? lineIndent.length : 0, unit));
  }
  return edits;
}

const blankOrComment = /^\s*(#.*)?$/;

/**
 * The first line of a block that stays: its first statement's, or the first comment above it
 * below the block's header (`if check:` then `# why` then the code: the comment belongs to the
 * code and stays with it). Blank lines before that comment go with the header.
 */
function firstKeptLine(t: SyntaxTree, stmt: NodeId, block: NodeId): number {
  let first = startLine(t, block);
  // The header's last line holds its colon, so it is never blank or a comment: the walk stops there.
  while (first - 1 > startLine(t, stmt) && blankOrComment.test(t.lines.lineText(first - 1))) first--;
  while (first < startLine(t, block) && t.lines.lineText(first).trim() === '') first++;
  return first;
}

/** Replaces a statement with the statements of one of its blocks, dedented to its level. */
export function replaceWithBlock(env: FixEnv, stmt: NodeId, block: NodeId | undefined): TextEdit[] | undefined {
  const t = env.tree;
  if (!ownsItsLines(env, stmt)) return undefined;
  // An empty block is a syntax error Python reports and an error-tolerant parser may not.
  if (t.descendantsOfKind(stmt, NodeKind.Block).some((b) => t.firstChild(b) === undefined)) return undefined;
  const indent = indentation(t.lines.lineText(startLine(t, stmt)));
  const range: Range = { start: pos(startLine(t, stmt), 0), end: pos(endLine(t, stmt), endColumn(t, stmt)) };
  if (block === undefined || t.firstChild(block) === undefined) {
    // Nothing stays: drop the lines, or leave `pass` if the statement is alone in its block.
    const container = t.parent(stmt);
    const siblings = container === undefined ? [] : t.children(container);
    if (container !== undefined && t.kind(container) === NodeKind.Block && siblings.length === 1)
      return [{ range, newText: `${indent}pass` }];
    const next = endLine(t, stmt) + 1;
    return [{ range: { start: pos(startLine(t, stmt), 0), end: pos(next, 0) }, newText: '' }];
  }
  const blockLineStart = t.lines.offset(pos(startLine(t, block), 0));
  if (t.source.slice(blockLineStart, t.start(block)).trim() !== '') {
    // The block follows its colon on the same line: `if x: do()`, or `else: do()` below the if.
    return [{ range, newText: indent + t.source.slice(t.start(block), t.end(block)) }];
  }
  const blockIndent = indentation(t.lines.lineText(startLine(t, block)));
  if (!blockIndent.startsWith(indent)) return undefined;
  const skip = stringContinuationLines(t, block);
  const out: string[] = [];
  for (let l = firstKeptLine(t, stmt, block); l <= endLine(t, block); l++) {
    let text = t.lines.lineText(l);
    if (l === endLine(t, block)) text = text.slice(0, endColumn(t, block));
    if (!skip.has(l) && text.startsWith(blockIndent)) text = indent + text.slice(blockIndent.length);
    out.push(text);
  }
  return [{ range, newText: out.join(t.lines.eol) }];
}

/** Replaces `a and b` by the operand that stays. */
export function dropAndOperand(env: FixEnv, operand: NodeId): TextEdit[] | undefined {
  const t = env.tree;
  const parent = t.parent(operand);
  if (parent === undefined || t.kind(parent) !== NodeKind.BooleanOperator || operatorText(t, parent) !== 'and')
    return undefined;
  const left = t.field(parent, Field.Left);
  const right = t.field(parent, Field.Right);
  const keep = left === operand ? right : left;
  if (keep === undefined) return undefined;
  return [{ range: t.range(parent), newText: t.source.slice(t.start(keep), t.end(keep)) }];
}

/** Whether the node is the condition of an if/elif/while. */
export function isConditionOf(
  t: SyntaxTree,
  parent: NodeId | undefined,
  n: NodeId,
  kinds: readonly NodeKind[] = [NodeKind.IfStatement],
): boolean {
  return parent !== undefined && kinds.includes(t.kind(parent)) && t.field(parent, Field.Condition) === n;
}

/**
 * Whether a node is part of the condition of an if/elif/while (through parentheses, `not`,
 * `and` and `or`): putting the gate in front of it there gates the branch. (A helper call as
 * a statement or an assignment's value protects by raising; a gate in front would skip the
 * raise and run what follows it.)
 */
export function inBranchCondition(t: SyntaxTree, node: NodeId): boolean {
  const tester = conditionTester(t, node);
  const kind = tester === undefined ? undefined : t.kind(tester);
  return kind === NodeKind.IfStatement || kind === NodeKind.ElifClause || kind === NodeKind.WhileStatement;
}

/** Puts `gate and` in front of a check, parenthesized where precedence needs it. */
export function gateCheck(env: FixEnv, check: NodeId, gate: string): TextEdit[] {
  const t = env.tree;
  const n = climbParens(t, check);
  const parent = t.parent(n);
  const pk = parent === undefined ? undefined : t.kind(parent);
  const bare =
    parent !== undefined &&
    (isConditionOf(t, parent, n, [NodeKind.IfStatement, NodeKind.ElifClause, NodeKind.WhileStatement]) ||
      pk === NodeKind.Assignment ||
      pk === NodeKind.ReturnStatement ||
      (pk === NodeKind.BooleanOperator && operatorText(t, parent) === 'and'));
  const text = t.text(check);
  return [{ range: t.range(check), newText: bare ? `${gate} and ${text}` : `(${gate} and ${text})` }];
}

const suppressRe = /#\s*libvirt-gate:\s*ignore\[([^\]]*)\]/;

/** `# libvirt-gate: ignore[CODE]` on the finding's line, or on a line of its own above it. */
function suppressionEdit(env: FixEnv, line: number, code: string): TextEdit[] | undefined {
  const t = env.tree;
  const text = t.lines.lineText(line);
  const existing = suppressRe.exec(text);
  if (existing && existing.index !== undefined) {
    const close = existing.index + existing[0].length - 1;
    return [insertAt(line, close, `${existing[1]?.trim() ? ',' : ''}${code}`)];
  }
  const endsInString = stringAt(t, line, text.length) !== undefined;
  if (!endsInString && !/\\\s*$/.test(text)) {
    const trimmed = text.replace(/\s+$/, '');
    return [
      {
        range: { start: pos(line, trimmed.length), end: pos(line, text.length) },
        newText: `  # libvirt-gate: ignore[${code}]`,
      },
    ];
  }
  const prev = line > 0 ? t.lines.lineText(line - 1) : '';
  if (stringAt(t, line, 0) !== undefined || /\\\s*$/.test(prev)) return undefined;
  return [insertAt(line, 0, `${indentation(text)}# libvirt-gate: ignore[${code}]${t.lines.eol}`)];
}

export function suppressFix(env: FixEnv, line: number, code: string): Fix | undefined {
  const edits = suppressionEdit(env, line, code);
  return edits
    ? { title: `Suppress ${code} for this line`, safe: true, preferred: false, kind: 'suppress', edits }
    : undefined;
}

/** Where a new MIN_LIBVIRT_* constant goes: after the file's others, else after its imports. */
const constantInsertLine = oncePerFile(computeConstantInsertLine);

/**
 * The line after a statement's logical line: a backslash after it continues the line onto the
 * next (a blank or a comment), and a line inserted there would join the statement.
 */
function lineAfterStatement(t: SyntaxTree, s: NodeId): number {
  let line = endLine(t, s);
  let rest = t.lines.lineText(line).slice(endColumn(t, s));
  while (/^[ \t\f]*\\$/.test(rest) && line + 1 < t.lines.lineCount) rest = t.lines.lineText(++line);
  return line + 1;
}

function computeConstantInsertLine(env: FixEnv): number {
  const t = env.tree;
  let after = -1;
  let lastImport = -1;
  for (const s of t.children(t.root)) {
    const kind = t.kind(s);
    if (
      kind === NodeKind.ImportStatement ||
      kind === NodeKind.ImportFromStatement ||
      kind === NodeKind.FutureImportStatement
    )
      lastImport = lineAfterStatement(t, s);
    if (kind === NodeKind.ExpressionStatement && /^MIN_(LIBVIRT|QEMU)_\w*\s*=/.test(t.text(s)))
      after = lineAfterStatement(t, s);
    const first = t.firstChild(s);
    if (
      kind === NodeKind.ExpressionStatement &&
      startLine(t, s) === 0 &&
      first !== undefined &&
      t.kind(first) === NodeKind.String &&
      lastImport < 0
    )
      lastImport = lineAfterStatement(t, s);
  }
  return after >= 0 ? after : Math.max(lastImport, 0);
}

function versionTuple(v: number): string {
  return `(${Math.floor(v / 1_000_000)}, ${Math.floor(v / 1000) % 1000}, ${v % 1000})`;
}

const formKind = { tuple: NodeKind.Tuple, integer: NodeKind.Integer, string: NodeKind.String } as const;

const dottedVersion = (v: number): string => `${Math.floor(v / 1_000_000)}.${Math.floor(v / 1000) % 1000}.${v % 1000}`;

/** A version as a check of that form takes it: `(1, 2, 5)`, `1002005` or `'1.2.5'`. */
export function versionLiteralText(v: number, form: 'tuple' | 'integer' | 'string', quote = "'"): string {
  if (form === 'integer') return String(v);
  if (form === 'string') return `${quote}${dottedVersion(v)}${quote}`;
  return versionTuple(v);
}

/** MIN_LIBVIRT_<NAME>_VERSION from a python name: interfaceAddresses → INTERFACE_ADDRESSES. */
export function constantNameFor(pyName: string, axis: 'libvirt' | 'qemu' = 'libvirt'): string {
  const base = pyName
    .replace(/^VIR_/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
  return `MIN_${axis === 'qemu' ? 'QEMU' : 'LIBVIRT'}_${base}_VERSION`;
}

/** A constant to hold `version`: an existing one with that value, or a new definition. */
export function ensureConstant(
  env: FixEnv,
  constants: ReadonlyMap<string, NodeId>,
  wanted: string,
  version: number,
  resolve: (n: NodeId) => number | undefined,
  form: 'tuple' | 'integer' | 'string' = 'tuple',
  quote = "'",
): { name: string; edits: TextEdit[] } {
  const t = env.tree;
  // Reuse the constant only if it is the one this fix would write (same name, same value,
  // same form): another feature's constant may be raised or dropped on its own later.
  const same = constants.get(wanted);
  if (same !== undefined && resolve(same) === version && t.kind(unparen(t, same)) === formKind[form])
    return { name: wanted, edits: [] };
  let name = wanted;
  for (let i = 2; constants.has(name); i++) name = wanted.replace(/_VERSION$/, `_${i}_VERSION`);
  const line = constantInsertLine(env);
  const eol = t.lines.eol;
  const blankBefore =
    line > 0 && t.lines.lineText(line - 1).trim() !== '' && !/^MIN_/.test(t.lines.lineText(line - 1)) ? eol : '';
  // An integer says which version it is, as people write it next to one.
  const note = form === 'integer' ? `  # ${dottedVersion(version)}` : '';
  const definition = `${name} = ${versionLiteralText(version, form, quote)}${note}`;
  if (line >= t.lines.lineCount) {
    // After the last line of a file without a final newline: start a line of our own.
    const last = t.lines.lineCount - 1;
    return { name, edits: [insertAt(last, t.lines.lineText(last).length, `${eol}${blankBefore}${definition}`)] };
  }
  return { name, edits: [insertAt(line, 0, `${blankBefore}${definition}${eol}`)] };
}

/** The line range of a module-level statement, for removing it. */
export function removeStatement(env: FixEnv, stmt: NodeId): TextEdit | undefined {
  const t = env.tree;
  if (!ownsItsLines(env, stmt)) return undefined;
  const first = startLine(t, stmt);
  let last = endLine(t, stmt);
  // Between blank lines: take one of them along, so no extra gap is left behind.
  if (
    first > 0 &&
    t.lines.lineText(first - 1).trim() === '' &&
    t.lines.lineText(last + 1).trim() === '' &&
    last + 1 < t.lines.lineCount - 1
  )
    last++;
  return { range: { start: pos(first, 0), end: pos(last + 1, 0) }, newText: '' };
}
