// Which functions' walks may read what an edited function does (the flow cache walks those again
// and reuses the rest; see flowCache.ts): a caller may read all of a function's body (its
// condition as a check helper, its returned type, whether it re-raises, followed from call to
// call), and code that reads an attribute reads the condition it was bound under. So the
// readers are the functions that name the edited function or what it binds, then those that
// name one of those or what the statement naming it binds, and so on. Names are the
// identifiers of the code (calls, attribute names, references), as the engine resolves a
// call to a function of the file: by its name (`FileSemantics.localFunction`); comments and
// strings name nothing it reads.
import type { FileModel, FunctionInfo } from '../semantic/fileModel';
import { Field, NodeKind, textIs, type NodeId, type SyntaxTree } from '../syntax/index';
import { isBindingTarget } from './symbolUses';

/**
 * Where each word is mentioned: pairs of a function (its index in the model's functions) and
 * the statement of its body that holds the mention (its index among the body's statements; -1:
 * the function's header), once for every function around the mention; or, outside every
 * function, -1 and an index into `outside`: the names bound by the module or class statement
 * that holds the mention.
 *
 * Worked out on one tree and kept while the flow cache reuses walks: past its blockers an edit
 * lies inside one function's body and changes no definition, so the other functions' texts,
 * their statements and the module's statements are those it was worked out on.
 */
export interface Mentions {
  readonly byWord: ReadonlyMap<string, readonly number[]>;
  readonly outside: readonly (readonly string[])[];
}

/** Whether a node binds an attribute or an item (`self.x = ...`, `for o.a in ...`, `d[k] += 1`). */
export function bindsAttribute(t: SyntaxTree, n: NodeId): boolean {
  if (isBindingTarget(t, n)) return true;
  const p = t.parent(n);
  return p !== undefined && t.kind(p) === NodeKind.AugmentedAssignment && t.fieldOf(n) === Field.Left;
}

/** The index of the statement of `statements` (in document order) that holds `offset`; -1 when none does. */
function statementAt(t: SyntaxTree, statements: readonly NodeId[], offset: number): number {
  let lo = 0;
  let hi = statements.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t.start(statements[mid] ?? 0) <= offset) lo = mid + 1;
    else hi = mid;
  }
  const k = lo - 1;
  return k >= 0 && offset < t.end(statements[k] ?? 0) ? k : -1;
}

/** What holds statements: a mention outside functions is placed at the innermost statement that holds it. */
const blockKinds: ReadonlySet<NodeKind> = new Set([NodeKind.Block, NodeKind.Module]);

/** Whether an identifier is the name of a `def`. */
function isDefinitionName(t: SyntaxTree, n: NodeId): boolean {
  const p = t.parent(n);
  return p !== undefined && t.kind(p) === NodeKind.FunctionDefinition && t.fieldOf(n) === Field.Name;
}

/** Every mention of every name in the code (see Mentions). */
export function mentionsOf(model: FileModel): Mentions {
  const t = model.tree;
  const functions = model.functions;
  const indexOf = new Map<NodeId, number>();
  functions.forEach((f, i) => indexOf.set(f.node, i));
  const byWord = new Map<string, number[]>();
  const outside: string[][] = [];
  const outsideOf = new Map<NodeId, number>();
  // The functions around a node, outermost first, with their body's statements: ids are in
  // document order, and a function's descendants are the ids up to its subtree's end.
  const open: { end: NodeId; i: number; statements: readonly NodeId[] }[] = [];
  for (let n: NodeId = 0; n < t.size; n++) {
    while (open.length && (open[open.length - 1]?.end ?? 0) <= n) open.pop();
    const kind = t.kind(n);
    if (kind === NodeKind.FunctionDefinition) {
      const i = indexOf.get(n);
      const f = i === undefined ? undefined : functions[i];
      if (i !== undefined && f) open.push({ end: t.subtreeEnd(n), i, statements: f.body });
      continue;
    }
    // A definition's own name is no mention of it (nor of another function of that name).
    if (kind !== NodeKind.Identifier || isDefinitionName(t, n)) continue;
    const word = t.text(n);
    let list = byWord.get(word);
    if (!list) byWord.set(word, (list = []));
    const at = t.start(n);
    if (open.length) {
      for (const s of open) {
        const k = statementAt(t, s.statements, at);
        // (A pair listed twice is harmless: the readers are a set.)
        if (list[list.length - 2] !== s.i || list[list.length - 1] !== k) list.push(s.i, k);
      }
      continue;
    }
    // Outside functions: the innermost statement that holds the name, and what that binds.
    let stmt = n;
    while (t.parent(stmt) !== undefined && !blockKinds.has(t.kind(t.parent(stmt) ?? 0))) stmt = t.parent(stmt) ?? 0;
    let index = outsideOf.get(stmt);
    if (index === undefined) {
      outsideOf.set(stmt, (index = outside.length));
      outside.push([...boundNames(model, stmt, true)]);
    }
    if (list[list.length - 2] !== -1 || list[list.length - 1] !== index) list.push(-1, index);
  }
  return { byWord, outside };
}

/**
 * What a subtree binds that other code can read: the attributes of `self` (or `cls`) it
 * assigns and the items of those and of module-level names (`self.x = ...`, `self._caps[k] =
 * ...`, `CACHE[k] = ...`: x, _caps, CACHE), the names it declares global or nonlocal, and with
 * `names` (code outside functions: module and class level) the names it binds, defines or imports.
 */
function boundNames(model: FileModel, root: NodeId, names = false): Set<string> {
  const t = model.tree;
  const out = new Set<string>();
  const end = t.subtreeEnd(root);
  for (let n = root; n < end; n++) {
    const kind = t.kind(n);
    if (kind === NodeKind.GlobalStatement || kind === NodeKind.NonlocalStatement) {
      for (const c of t.children(n)) if (t.kind(c) === NodeKind.Identifier) out.add(t.text(c));
      continue;
    }
    if (names && kind === NodeKind.Identifier && bindsName(t, n)) {
      out.add(t.text(n));
      continue;
    }
    if ((kind !== NodeKind.Attribute && kind !== NodeKind.Subscript) || !bindsAttribute(t, n)) continue;
    const target = kind === NodeKind.Attribute ? n : t.field(n, Field.Value);
    if (target === undefined) continue;
    if (t.kind(target) === NodeKind.Identifier) {
      if (model.constants.has(t.text(target))) out.add(t.text(target));
      continue;
    }
    const obj = t.kind(target) === NodeKind.Attribute ? t.field(target, Field.Object) : undefined;
    const attr = t.field(target, Field.Attribute);
    if (obj === undefined || attr === undefined || t.kind(obj) !== NodeKind.Identifier) continue;
    if (textIs(t, obj, 'self') || textIs(t, obj, 'cls')) out.add(t.text(attr));
  }
  return out;
}

/** Kinds whose `name` field is a name they bind. */
const definitionKinds: ReadonlySet<NodeKind> = new Set([NodeKind.FunctionDefinition, NodeKind.ClassDefinition]);

/** Whether an identifier is a name bound where it is: a target, a definition's name, an import, a walrus. */
function bindsName(t: SyntaxTree, n: NodeId): boolean {
  if (isBindingTarget(t, n)) return true;
  const p = t.parent(n);
  if (p === undefined) return false;
  const kind = t.kind(p);
  if (definitionKinds.has(kind)) return t.fieldOf(n) === Field.Name;
  if (kind === NodeKind.NamedExpression || kind === NodeKind.AugmentedAssignment) return t.fieldOf(n) === Field.Left;
  for (let a: NodeId | undefined = p; a !== undefined; a = t.parent(a)) {
    const k = t.kind(a);
    if (k === NodeKind.ImportStatement || k === NodeKind.ImportFromStatement) return true;
    if (!(k === NodeKind.DottedName || k === NodeKind.AliasedImport)) return false;
  }
  return false;
}

/** Kinds of statements (or parts) that bind a name of the function: what follows may carry what they read. */
const bindingKinds: ReadonlySet<NodeKind> = new Set([
  NodeKind.NamedExpression,
  NodeKind.ImportStatement,
  NodeKind.ImportFromStatement,
  NodeKind.FunctionDefinition,
  NodeKind.ClassDefinition,
  NodeKind.ExceptClause,
  NodeKind.WithStatement,
  NodeKind.AugmentedAssignment,
  NodeKind.DeleteStatement,
]);

/** Whether a subtree holds a node of one of `kinds`. */
function holdsKind(t: SyntaxTree, root: NodeId, kinds: ReadonlySet<NodeKind>): boolean {
  const end = t.subtreeEnd(root);
  for (let n = root; n < end; n++) if (kinds.has(t.kind(n))) return true;
  return false;
}

/** Whether a statement binds a local name (then the function's later statements may carry what it reads). */
function bindsLocal(t: SyntaxTree, stmt: NodeId): boolean {
  const end = t.subtreeEnd(stmt);
  for (let n = stmt; n < end; n++) {
    const kind = t.kind(n);
    if (bindingKinds.has(kind) || (kind === NodeKind.Identifier && isBindingTarget(t, n))) return true;
  }
  return false;
}

/** Kinds that change what a function's later statements do, or what it returns. */
const flowKinds: ReadonlySet<NodeKind> = new Set([
  NodeKind.ReturnStatement,
  NodeKind.RaiseStatement,
  NodeKind.BreakStatement,
  NodeKind.ContinueStatement,
  NodeKind.Yield,
  NodeKind.IfStatement,
  NodeKind.ForStatement,
  NodeKind.WhileStatement,
  NodeKind.TryStatement,
  NodeKind.WithStatement,
  NodeKind.MatchStatement,
  NodeKind.AssertStatement,
]);

/**
 * A function and those nested in it: the model's functions are in document order, a function's
 * nested ones right after it (`index`: its index there, when known).
 */
function* nestedFunctions(model: FileModel, fn: NodeId, index?: number): Generator<FunctionInfo> {
  const functions = model.functions;
  const end = model.tree.subtreeEnd(fn);
  let i = index ?? functions.findIndex((f) => f.node === fn);
  for (let f = functions[i]; f && f.node < end; f = functions[++i]) if (f.node >= fn) yield f;
}

/**
 * What the edited statements (of the old tree and the new) can change that other functions
 * read: what they bind, or what the whole function binds when one of them binds a local name
 * or changes the flow (a later statement may bind from it, or run under it).
 */
export function editedBindings(
  edited: readonly { model: FileModel; statements: readonly NodeId[] }[],
  fn: NodeId,
  model: FileModel,
): Set<string> {
  const out = new Set<string>();
  for (const { model: m, statements } of edited)
    for (const s of statements) {
      if (bindsLocal(m.tree, s) || holdsKind(m.tree, s, flowKinds)) return boundNames(model, fn);
      for (const word of boundNames(m, s)) out.add(word);
    }
  return out;
}

/**
 * The functions whose walks may read what the edited function `fn` does (new function nodes,
 * not `fn` and those nested in it, which are walked again anyway): those that mention its name,
 * a nested function's name or what its edited statements bind (`bound`, see editedBindings);
 * for each such mention, the names the statement
 * holding it binds (all the reader binds, when that statement binds a local name) are followed
 * in turn, and a reader's nested functions are readers too. A mention outside functions
 * follows what its module or class statement binds. Undefined when the readers are more than
 * half of the file's functions: walking all of them again costs as much.
 */
export function readersOf(
  model: FileModel,
  fn: NodeId,
  mentions: Mentions,
  bound: ReadonlySet<string>,
): ReadonlySet<NodeId> | undefined {
  const t = model.tree;
  const functions = model.functions;
  const readers = new Set<NodeId>();
  const named = new Set<string>();
  const end = t.subtreeEnd(fn);
  const within = (f: FunctionInfo, root: NodeId, rootEnd: NodeId): boolean => f.node >= root && f.node < rootEnd;
  for (const f of nestedFunctions(model, fn)) named.add(f.name);
  for (const word of bound) named.add(word);
  const limit = functions.length / 2;
  /** Statements followed already, by function index; functions followed in full. */
  const followed = new Map<number, Set<number>>();
  const followedAll = new Set<number>();
  for (const word of named) {
    const list = mentions.byWord.get(word) ?? [];
    for (let j = 0; j < list.length; j += 2) {
      const i = list[j] ?? 0;
      const k = list[j + 1] ?? -1;
      if (i < 0) {
        for (const bound of mentions.outside[k] ?? []) named.add(bound);
        continue;
      }
      const reader = functions[i];
      if (!reader || within(reader, fn, end)) continue;
      if (!readers.has(reader.node)) {
        for (const f of nestedFunctions(model, reader.node, i)) {
          readers.add(f.node);
          named.add(f.name);
        }
        if (readers.size > limit) return undefined;
      }
      if (k < 0 || followedAll.has(i)) continue;
      let done = followed.get(i);
      if (!done) followed.set(i, (done = new Set()));
      if (done.has(k)) continue;
      done.add(k);
      const stmt = reader.body[k];
      if (stmt === undefined) continue;
      const local = bindsLocal(t, stmt);
      if (local) followedAll.add(i);
      for (const bound of boundNames(model, local ? reader.node : stmt)) named.add(bound);
    }
  }
  return readers;
}
