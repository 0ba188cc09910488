// A gate fix in a file that never names `CONF` would raise NameError: it also adds the CONF
// binding the workspace's other files use (`import nova.conf` and `CONF = nova.conf.CONF`,
// `from oslo_config import cfg` and `CONF = cfg.CONF`, `from nova.conf import CONF`), after
// the file's last module-level import. When no file shows one, or it would not fit (the name
// is bound to something else, a module-level use comes first), the fix keeps a note instead.
import type { ConfBinding } from '../semantic/confBinding';
import { indentation, NodeKind, type NodeId, type SyntaxTree } from '../syntax/index';
import type { Position, TextEdit } from '../types';
import type { RuleEnv } from './rule';

export interface GateImport {
  /** Edits that bind CONF (none when not needed or not possible). */
  readonly edits: readonly TextEdit[];
  /** What the fix title adds: what it imports, or that CONF is not imported. */
  readonly note: string;
  /** The note when the edits cannot be used after all. */
  readonly missingNote: string;
}

const importKinds: ReadonlySet<NodeKind> = new Set([
  NodeKind.ImportStatement,
  NodeKind.ImportFromStatement,
  NodeKind.FutureImportStatement,
]);

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** The name an import line binds, and for `from M import n`, where it comes from. */
function boundName(importLine: string): { local: string; module: string; name?: string } | undefined {
  const from = /^from (\S+) import (\w+)(?: as (\w+))?$/.exec(importLine);
  if (from?.[1] && from[2]) return { local: from[3] ?? from[2], module: from[1], name: from[2] };
  const plain = /^import (\S+)(?: as (\w+))?$/.exec(importLine);
  if (plain?.[1])
    return {
      local: plain[2] ?? plain[1].split('.')[0] ?? plain[1],
      module: plain[2] ? plain[1] : (plain[1].split('.')[0] ?? ''),
    };
  return undefined;
}

/** Whether the file already has the import, and whether adding it would rebind a name the file uses otherwise. */
function importState(env: RuleEnv, binding: ConfBinding): 'present' | 'needed' | 'conflict' {
  const t = env.tree;
  const model = env.sem.model;
  for (const s of t.children(t.root))
    if (importKinds.has(t.kind(s)) && oneLine(t.text(s)) === binding.importLine) return 'present';
  const bound = boundName(binding.importLine);
  if (!bound) return 'conflict';
  const existing = model.foreignImports.get(bound.local);
  if (existing) {
    if (bound.name !== undefined)
      return existing.module === bound.module && existing.name === bound.name ? 'present' : 'conflict';
    return existing.module === bound.module && existing.name === undefined ? 'needed' : 'conflict';
  }
  const definedHere =
    model.constants.has(bound.local) ||
    model.classes.has(bound.local) ||
    model.functions.some((f) => f.name === bound.local && !f.className) ||
    model.libvirtModules.has(bound.local) ||
    model.libvirtImports.has(bound.local);
  return definedHere ? 'conflict' : 'needed';
}

/** The line a new import goes on: after the last module-level import, else after a docstring and header comments. */
function insertLine(t: SyntaxTree): number | undefined {
  // After a statement only when nothing but a comment follows it on its last line.
  const lineAfter = (stmt: NodeId): number | undefined => {
    const line = t.lines.lineAt(t.end(stmt));
    const rest = t.lines.lineText(line).slice(t.end(stmt) - t.lines.lineStart(line));
    return /^\s*(#.*)?$/.test(rest) ? line + 1 : undefined;
  };
  let last: NodeId | undefined;
  for (const s of t.children(t.root)) if (importKinds.has(t.kind(s))) last = s;
  if (last !== undefined) return lineAfter(last);
  const first = t.firstChild(t.root);
  if (first !== undefined && t.kind(first) === NodeKind.ExpressionStatement) {
    const value = t.firstChild(first);
    if (value !== undefined && t.kind(value) === NodeKind.String) return lineAfter(first);
  }
  let line = 0;
  while (line < t.lines.lineCount && /^\s*(#.*)?$/.test(t.lines.lineText(line))) line++;
  return first === undefined ? undefined : Math.min(line, t.lines.lineAt(t.start(first)));
}

function importEdits(env: RuleEnv, binding: ConfBinding, needImport: boolean): TextEdit[] | undefined {
  const t = env.tree;
  const line = insertLine(t);
  if (line === undefined) return undefined;
  const eol = t.lines.eol;
  const next = t.lines.lineText(line);
  const assignment = binding.assignment;
  let text = needImport
    ? `${binding.importLine}${eol}${assignment ? `${eol}${assignment}${eol}` : ''}`
    : `${eol}${assignment ?? ''}${eol}`;
  // A blank line between the new assignment and code right after it; one after a docstring or header.
  if (assignment && line < t.lines.lineCount && next.trim() !== '') text += eol;
  const previous = line > 0 ? t.lines.lineText(line - 1) : '';
  if (previous.trim() !== '' && !importKinds.has(kindOfLine(t, line - 1) ?? NodeKind.Error)) text = eol + text;
  if (indentation(next) !== '' && next.trim() !== '') return undefined; // inside a statement: not a place for imports
  if (line >= t.lines.lineCount) {
    const lastLine = t.lines.lineCount - 1;
    const at: Position = { line: lastLine, character: t.lines.lineText(lastLine).length };
    return [{ range: { start: at, end: at }, newText: eol + text.replace(/(\r\n|\r|\n)$/, '') }];
  }
  const at: Position = { line, character: 0 };
  return [{ range: { start: at, end: at }, newText: text }];
}

/** The kind of the module-level statement that ends on a line, if one does. */
function kindOfLine(t: SyntaxTree, line: number): NodeKind | undefined {
  for (const s of t.children(t.root)) if (t.lines.lineAt(t.end(s)) === line) return t.kind(s);
  return undefined;
}

function describe(binding: ConfBinding, needImport: boolean): string {
  const parts = [...(needImport ? [binding.importLine] : []), ...(binding.assignment ? [binding.assignment] : [])];
  return ` (adds ${parts.map((p) => `'${p}'`).join(' and ')})`;
}

/** What a gate fix needs besides the gate itself, so that the gate's name is defined. */
export function gateImport(env: RuleEnv): GateImport {
  const root = env.gate?.split('.')[0];
  if (!root || env.identifierCount(root) > 0) return { edits: [], note: '', missingNote: '' };
  const missingNote = ` (${root} is not imported in this file)`;
  const missing = { edits: [], note: missingNote, missingNote };
  const binding = root === 'CONF' ? env.sem.workspace.confBinding(env.uri) : undefined;
  if (!binding) return missing;
  const state = importState(env, binding);
  if (state === 'conflict' || (state === 'present' && !binding.assignment)) return missing;
  const edits = importEdits(env, binding, state === 'needed');
  return edits ? { edits, note: describe(binding, state === 'needed'), missingNote } : missing;
}

const samePoint = (a: Position, b: Position): boolean => a.line === b.line && a.character === b.character;
const before = (a: Position, b: Position): boolean =>
  a.line < b.line || (a.line === b.line && a.character < b.character);

/**
 * A gate fix's edits with the CONF binding in front: an insert at the same point as another
 * insert is merged into it (the binding first); any other overlap, or a fix edit above the
 * binding (module-level code would read CONF before it is bound), gives up the binding.
 */
export function withGateImport(imp: GateImport, edits: readonly TextEdit[]): { edits: TextEdit[]; note: string } {
  const without = { edits: [...edits], note: imp.missingNote };
  if (!imp.edits.length) return { edits: [...edits], note: imp.note };
  const out = [...edits];
  for (const e of imp.edits) {
    if (out.some((o) => before(o.range.start, e.range.start))) return without;
    const i = out.findIndex((o) => !before(o.range.end, e.range.start) && !before(e.range.end, o.range.start));
    const other = out[i];
    if (other === undefined) out.unshift(e);
    else if (samePoint(other.range.start, other.range.end) && samePoint(other.range.start, e.range.start))
      out[i] = { range: other.range, newText: e.newText + other.newText };
    else return without;
  }
  return { edits: out, note: imp.note };
}
