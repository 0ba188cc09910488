// Text edits for fixes. Every builder either returns edits that keep the file valid Python
// (indentation as the file writes it, its line endings, strings untouched) or undefined.
import type { Node, Tree } from './parser';
import { indentation, type SourceText } from './sourceText';
import { compoundStatements, field, namedChildren, parentOf, unparen } from './syntax';
import type { Fix, Position, TextEdit } from './types';

const pos = (line: number, character: number): Position => ({ line, character });
const insertAt = (line: number, character: number, newText: string): TextEdit => ({ range: { start: pos(line, character), end: pos(line, character) }, newText });

export interface FixEnv {
  readonly src: SourceText;
  readonly tree: Tree;
}

/** The string node strictly containing a position (its content, not its quotes' outside). */
export function stringAt(tree: Tree, line: number, character: number): Node | null {
  let n: Node | null = tree.rootNode.descendantForPosition({ row: line, column: character });
  for (; n; n = parentOf(n)) {
    if (n.type === 'string' || n.type === 'concatenated_string') {
      const s = n.startPosition;
      const e = n.endPosition;
      const after = line > s.row || (line === s.row && character > s.column);
      const before = line < e.row || (line === e.row && character < e.column);
      if (after && before) return n;
    }
  }
  return null;
}

/** A per-file fact that every fix of one analysis shares: computed once per document text. */
function oncePerFile<T>(compute: (env: FixEnv) => T): (env: FixEnv) => T {
  const cache = new WeakMap<SourceText, T>();
  return (env) => {
    if (!cache.has(env.src)) cache.set(env.src, compute(env));
    return cache.get(env.src) as T;
  };
}

/** One level of indentation as the file's blocks use it (from the tree), else as its lines suggest. */
export const indentUnitOf = oncePerFile(computeIndentUnit);

function computeIndentUnit(env: FixEnv): string {
  for (const block of env.tree.rootNode.descendantsOfType('block', undefined, { row: 2000, column: 0 })) {
    const owner = block ? parentOf(block) : null;
    if (!block || !owner || block.startPosition.row === owner.startPosition.row) continue;
    const inner = indentation(env.src.line(block.startPosition.row));
    const outer = indentation(env.src.line(owner.startPosition.row));
    if (inner.startsWith(outer) && inner.length > outer.length) return inner.slice(outer.length);
  }
  return env.src.indentUnit();
}

/** Lines of a node that are continuation lines of a multi-line string: their text is data. */
function stringContinuationLines(node: Node): Set<number> {
  const lines = new Set<number>();
  for (const s of node.descendantsOfType('string')) {
    if (!s) continue;
    for (let l = s.startPosition.row + 1; l <= s.endPosition.row; l++) lines.add(l);
  }
  return lines;
}

/** A statement fix can move whole lines of: it starts its line and nothing but a comment follows it. */
export function ownsItsLines(env: FixEnv, stmt: Node): boolean {
  const first = env.src.line(stmt.startPosition.row);
  if (indentation(first).length !== stmt.startPosition.column) return false;
  const rest = env.src.line(stmt.endPosition.row).slice(stmt.endPosition.column);
  if (!/^\s*(#.*)?$/.test(rest)) return false;
  const prev = stmt.startPosition.row > 0 ? env.src.line(stmt.startPosition.row - 1) : '';
  return !/\\$/.test(prev);
}

/**
 * Whether every line break inside a simple statement is one Python allows: inside brackets
 * or a string, or after a backslash. tree-sitter also accepts `dom.` + newline + `name()`;
 * re-indenting such a statement could change how it reads.
 */
function linesJoinedLegally(stmt: Node): boolean {
  if (compoundStatements.has(stmt.type) || stmt.startPosition.row === stmt.endPosition.row) return true;
  const text = stmt.text;
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (text.startsWith(quote, i)) { i += quote.length - 1; quote = ''; }
      continue;
    }
    if (c === '#') { while (i < text.length && text[i] !== '\n') i++; i--; continue; }
    if (c === '"' || c === "'") { quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c; i += quote.length - 1; continue; }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === '\\') i++;
    else if ((c === '\n' || c === '\r') && depth === 0) return false;
  }
  return true;
}

/** Wraps a statement in `if <condition>:`, indenting its lines one level. */
export function wrapInIf(env: FixEnv, stmt: Node, condition: string): TextEdit[] | undefined {
  if (!ownsItsLines(env, stmt) || !linesJoinedLegally(stmt)) return undefined;
  const { src } = env;
  const startLine = stmt.startPosition.row;
  const indent = indentation(src.line(startLine));
  const unit = indentUnitOf(env);
  const skip = stringContinuationLines(stmt);
  // One insert on the first line (the `if` and that line's extra indent), so no two edits share a position.
  const edits: TextEdit[] = [insertAt(startLine, 0, `${indent}if ${condition}:${src.eol}${unit}`)];
  for (let l = startLine + 1; l <= stmt.endPosition.row; l++) {
    if (skip.has(l) || src.line(l).trim() === '') continue;
    edits.push(insertAt(l, 0, unit));
  }
  return edits;
}

/** Replaces a statement with the statements of one of its blocks, dedented to its level. */
export function replaceWithBlock(env: FixEnv, stmt: Node, block: Node | null): TextEdit[] | undefined {
  if (!ownsItsLines(env, stmt)) return undefined;
  // tree-sitter accepts an empty block (`if x:` followed by `else:`) that Python rejects.
  if (stmt.descendantsOfType('block').some((b) => b !== null && b.namedChildCount === 0)) return undefined;
  const { src } = env;
  const indent = indentation(src.line(stmt.startPosition.row));
  const range = { start: pos(stmt.startPosition.row, 0), end: pos(stmt.endPosition.row, stmt.endPosition.column) };
  if (!block || block.namedChildCount === 0) {
    // Nothing stays: drop the lines, or leave `pass` if the statement is alone in its block.
    const container = parentOf(stmt);
    const siblings = container ? namedChildren(container).filter((c) => c.type !== 'comment') : [];
    if (container?.type === 'block' && siblings.length === 1) return [{ range, newText: `${indent}pass` }];
    const next = stmt.endPosition.row + 1;
    return [{ range: { start: pos(stmt.startPosition.row, 0), end: pos(next, 0) }, newText: '' }];
  }
  if (block.startPosition.row === stmt.startPosition.row) {
    // `if x: do()` on one line
    return [{ range, newText: indent + src.text.slice(block.startIndex, block.endIndex) }];
  }
  const blockIndent = indentation(src.line(block.startPosition.row));
  if (!blockIndent.startsWith(indent)) return undefined;
  const skip = stringContinuationLines(block);
  const out: string[] = [];
  for (let l = block.startPosition.row; l <= block.endPosition.row; l++) {
    let text = src.line(l);
    if (l === block.endPosition.row) text = text.slice(0, block.endPosition.column);
    if (!skip.has(l) && text.startsWith(blockIndent)) text = indent + text.slice(blockIndent.length);
    out.push(text);
  }
  return [{ range, newText: out.join(src.eol) }];
}

/** Replaces `a and b` by the operand that stays. */
export function dropAndOperand(env: FixEnv, operand: Node): TextEdit[] | undefined {
  const parent = parentOf(operand);
  if (!parent || parent.type !== 'boolean_operator' || field(parent, 'operator')?.text !== 'and') return undefined;
  const left = field(parent, 'left');
  const right = field(parent, 'right');
  const keep = left?.id === operand.id ? right : left;
  if (!keep) return undefined;
  return [{ range: rangeOfNode(parent), newText: env.src.text.slice(keep.startIndex, keep.endIndex) }];
}

export function rangeOfNode(n: Node) {
  return { start: pos(n.startPosition.row, n.startPosition.column), end: pos(n.endPosition.row, n.endPosition.column) };
}

/** Puts `gate and` in front of a check, parenthesized where precedence needs it. */
export function gateCheck(check: Node, gate: string): TextEdit[] {
  let n = check;
  for (let p = parentOf(n); p?.type === 'parenthesized_expression'; p = parentOf(n)) n = p;
  const parent = parentOf(n);
  const bare = parent && (
    (parent.type === 'if_statement' || parent.type === 'elif_clause' || parent.type === 'while_statement') && field(parent, 'condition')?.id === n.id ||
    parent.type === 'assignment' || parent.type === 'return_statement' ||
    (parent.type === 'boolean_operator' && field(parent, 'operator')?.text === 'and'));
  const text = check.text;
  return [{ range: rangeOfNode(check), newText: bare ? `${gate} and ${text}` : `(${gate} and ${text})` }];
}

const suppressRe = /#\s*libvirt-gate:\s*ignore\[([^\]]*)\]/;

/** `# libvirt-gate: ignore[CODE]` on the finding's line, or on a line of its own above it. */
export function suppressionEdit(env: FixEnv, line: number, code: string): TextEdit[] | undefined {
  const { src, tree } = env;
  const text = src.line(line);
  const existing = suppressRe.exec(text);
  if (existing && existing.index !== undefined) {
    const close = existing.index + existing[0].length - 1;
    return [insertAt(line, close, `${existing[1]?.trim() ? ',' : ''}${code}`)];
  }
  const endsInString = stringAt(tree, line, text.length) !== null;
  if (!endsInString && !/\\\s*$/.test(text)) {
    const trimmed = text.replace(/\s+$/, '');
    return [{ range: { start: pos(line, trimmed.length), end: pos(line, text.length) }, newText: `  # libvirt-gate: ignore[${code}]` }];
  }
  const prev = line > 0 ? src.line(line - 1) : '';
  if (stringAt(tree, line, 0) !== null || /\\\s*$/.test(prev)) return undefined;
  return [insertAt(line, 0, `${indentation(text)}# libvirt-gate: ignore[${code}]${src.eol}`)];
}

export function suppressFix(env: FixEnv, line: number, code: string): Fix | undefined {
  const edits = suppressionEdit(env, line, code);
  return edits ? { title: `Suppress ${code} for this line`, safe: true, preferred: false, kind: 'suppress', edits } : undefined;
}

/** Where a new MIN_LIBVIRT_* constant goes: after the file's others, else after its imports. */
export const constantInsertLine = oncePerFile(computeConstantInsertLine);

function computeConstantInsertLine(env: FixEnv): number {
  let after = -1;
  let lastImport = -1;
  for (const s of namedChildren(env.tree.rootNode)) {
    if (s.type === 'import_statement' || s.type === 'import_from_statement') lastImport = s.endPosition.row;
    if (s.type === 'expression_statement' && /^MIN_(LIBVIRT|QEMU)_\w*\s*=/.test(s.text)) after = s.endPosition.row;
    if (s.type === 'expression_statement' && s.startPosition.row === 0 && s.namedChild(0)?.type === 'string' && lastImport < 0) lastImport = s.endPosition.row;
  }
  return (after >= 0 ? after : lastImport) + 1;
}

export function versionTuple(v: number): string {
  return `(${Math.floor(v / 1_000_000)}, ${Math.floor(v / 1000) % 1000}, ${v % 1000})`;
}

/** MIN_LIBVIRT_<NAME>_VERSION from a python name: interfaceAddresses → INTERFACE_ADDRESSES. */
export function constantNameFor(pyName: string, axis: 'libvirt' | 'qemu' = 'libvirt'): string {
  const base = pyName.replace(/^VIR_/, '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
  return `MIN_${axis === 'qemu' ? 'QEMU' : 'LIBVIRT'}_${base}_VERSION`;
}

/** A constant to hold `version`: an existing one with that value, or a new definition. */
export function ensureConstant(env: FixEnv, constants: ReadonlyMap<string, Node>, wanted: string, version: number, resolve: (n: Node) => number | undefined): { name: string; edits: TextEdit[] } {
  // Reuse the constant only if it is the one this fix would write (same name, same value):
  // another feature's constant may be raised or dropped on its own later.
  const same = constants.get(wanted);
  if (same && resolve(same) === version) return { name: wanted, edits: [] };
  let name = wanted;
  for (let i = 2; constants.has(name); i++) name = wanted.replace(/_VERSION$/, `_${i}_VERSION`);
  const line = constantInsertLine(env);
  const blankBefore = line > 0 && env.src.line(line - 1).trim() !== '' && !/^MIN_/.test(env.src.line(line - 1)) ? env.src.eol : '';
  const definition = `${name} = ${versionTuple(version)}`;
  if (line >= env.src.lines.length) {
    // After the last line of a file without a final newline: start a line of our own.
    const last = env.src.lines.length - 1;
    return { name, edits: [insertAt(last, env.src.line(last).length, `${env.src.eol}${blankBefore}${definition}`)] };
  }
  return { name, edits: [insertAt(line, 0, `${blankBefore}${definition}${env.src.eol}`)] };
}

/** The statement line range of a module constant definition, for removing it. */
export function removeStatement(env: FixEnv, stmt: Node): TextEdit | undefined {
  if (!ownsItsLines(env, stmt)) return undefined;
  const first = stmt.startPosition.row;
  let last = stmt.endPosition.row;
  // Between blank lines: take one of them along, so no extra gap is left behind.
  if (first > 0 && env.src.line(first - 1).trim() === '' && env.src.line(last + 1).trim() === '' && last + 1 < env.src.lines.length - 1) last++;
  return { range: { start: pos(first, 0), end: pos(last + 1, 0) }, newText: '' };
}

export { unparen };
