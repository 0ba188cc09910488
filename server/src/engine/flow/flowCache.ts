// The language server's cache of flow walks, per open document: after an edit inside one
// function's body, the other functions' walks are taken from the last analysis (their node
// ids and positions moved past the edit) instead of walked again, when nothing they read can
// have changed. A walk reads its own function's nodes, its entry path, the XML written in it,
// and file facts that other functions' text can change only through what `reuseBlockers`
// rules out (a binding of an attribute, an import, a definition, a `global`, a changed count
// of a function's name) or walks again (the functions that may read what the edit changed:
// those that name the edited function or what it binds, and so on; see readers.ts). What it
// reads of other files is the analysis' recorded facts (the server keeps those valid).
import type { Policy } from '../../config/policy';
import type { GateRef } from '../semantic/conditions';
import { countWords, type FileModel, type FunctionInfo } from '../semantic/fileModel';
import type { XmlEmissions } from '../semantic/xml/xmlEmissions';
import { changeBetween, Field, NodeKind, type NodeId, type SyntaxTree, type TextChange } from '../syntax/index';
import type { Position, Range, SupportClass } from '../types';
import type { UnitResult } from './flowWalker';
import type { PathContext } from './pathContext';
import { bindsAttribute, editedBindings, mentionsOf, readersOf, type Mentions } from './readers';

/** A gate marked while walking a unit (replayed when the unit's walk is reused). */
export interface GateMark {
  readonly gate: GateRef;
  readonly cls: SupportClass;
  readonly libvirt: boolean;
}

/** One walk of a function, with what decides whether it can stand for a walk of the new text. */
export interface UnitWalk {
  /** The entry path; null for the root path. */
  readonly entry: PathContext | null;
  readonly result: UnitResult;
  readonly marks: readonly GateMark[];
  readonly truncated: boolean;
  /** The XML written inside the function, relative to its start (see unitXml). */
  readonly xml: string;
  /**
   * What the walk read of XML left pending (see XmlEmissions.bound): the nodes, relative to the
   * function's, and what they write (as unitXml writes it). The walk stands only while they
   * write the same.
   */
  readonly xmlRead?: { readonly nodes: readonly number[]; readonly text: string };
  /** What its records refer to (measured when first needed). */
  readonly reach?: Reach;
}

/** An analysis, as the cache knows it. */
export interface AnalysisKey {
  readonly tree: SyntaxTree;
  readonly model: FileModel;
  readonly uri: string;
  readonly policy: Policy;
  /** What else the walks depended on: options, the functions with known callers, runtime version reads. */
  readonly key: string;
}

interface CacheState extends AnalysisKey {
  /** Walks by function node (a function walked again while its callers settle has several). */
  readonly walks: ReadonlyMap<NodeId, readonly UnitWalk[]>;
  /** Where each word is mentioned (see readers.ts), once asked; it holds while walks are reused. */
  mentions?: Mentions;
}

/** Per open document: the last analysis' walks. Counts say what the last analysis did. */
export class FlowCache {
  /** @internal */
  state: CacheState | undefined;
  /** Walks of the last analysis: taken from the cache, and walked. */
  reused = 0;
  walked = 0;
  /** Why the last analysis reused nothing (for tests and the benchmark), when it did not. */
  lastMiss: string | undefined;
  /** @internal What the last prepared reuse knew of where words are mentioned, for the next state. */
  mentions: Mentions | undefined;
  /**
   * The functions the last analysis walked again, besides the edited one, because they may
   * read what the edit changed (see readersOf).
   */
  lastReaders: readonly string[] = [];

  clear(): void {
    this.state = undefined;
  }
}

/** The walks of the last analysis usable for this one, moved to the new tree. */
export interface Reuse {
  /** A walk of `fn` (a function of the new tree) entered on `entry` (null: root), if one stands. */
  walk(
    fn: FunctionInfo,
    entry: PathContext | null,
    xml: string,
    xmlReadHolds: (read: NonNullable<UnitWalk['xmlRead']>) => boolean,
  ): UnitWalk | undefined;
}

const noReuse = (cache: FlowCache, why: string): undefined => {
  cache.lastMiss = why;
  return undefined;
};

/**
 * Prepares reuse of the cached walks for an analysis of `tree`, or says why not (in
 * `cache.lastMiss`): another file, policy or key; no single function's body holds the edit;
 * the trees differ outside that function; or the edit may change what other walks read.
 */
export function prepareReuse(cache: FlowCache, analysis: AnalysisKey): Reuse | undefined {
  const { tree, model, uri, policy, key } = analysis;
  cache.lastMiss = undefined;
  cache.lastReaders = [];
  cache.mentions = undefined;
  const st = cache.state;
  if (!st) return noReuse(cache, 'no earlier analysis');
  if (st.uri !== uri || st.policy !== policy) return noReuse(cache, 'another file or policy');
  if (st.key !== key)
    return noReuse(cache, 'the options, runtime version reads or functions with known callers changed');
  const old = st.tree;
  const change = changeBetween(old.source, tree.source);
  if (change.start === change.oldEnd && change.start === change.newEnd) {
    // The same text (a save, a re-analysis after an index change): the same trees.
    if (!sameStructure(old, tree, 0, old.size, tree.size, 0)) return noReuse(cache, 'trees differ');
    cache.mentions = st.mentions;
    return reuseFrom(st, uri, { ...change, fn: -1, oldFnEnd: -1, nodeShift: 0 }, old, tree);
  }
  const fnNew = enclosingFunction(tree, change.start, change.newEnd);
  if (fnNew === undefined) return noReuse(cache, 'the edit is not inside a function body');
  if (fnNew >= old.size || old.kind(fnNew) !== NodeKind.FunctionDefinition || old.start(fnNew) !== tree.start(fnNew))
    return noReuse(cache, 'trees differ');
  if (!inBody(old, fnNew, change.start, change.oldEnd)) return noReuse(cache, 'the edit is not inside a function body');
  const oldFnEnd = old.subtreeEnd(fnNew);
  const nodeShift = tree.subtreeEnd(fnNew) - oldFnEnd;
  if (!sameStructure(old, tree, fnNew, oldFnEnd, tree.subtreeEnd(fnNew), change.newEnd - change.oldEnd))
    return noReuse(cache, 'trees differ');
  // Past the blockers, no definition changed and the edit lies in one function's body: where
  // names are mentioned holds for the new text as for the old (the edited function's own
  // mentions aside, and it is walked again).
  const blocker = reuseBlockers(st, model, fnNew, change);
  if (typeof blocker === 'string') return noReuse(cache, blocker);
  cache.mentions = st.mentions;
  if (blocker) cache.lastReaders = [...blocker].map((n) => model.functionAt(n)?.name ?? '');
  return reuseFrom(st, uri, { ...change, fn: fnNew, oldFnEnd, nodeShift }, old, tree, blocker);
}

/**
 * Where a function's body lines begin: the line after its header's colon (comments before the
 * first statement are in the body's lines), or the first statement when it shares that line.
 */
function bodyFrom(t: SyntaxTree, fn: NodeId): number | undefined {
  const body = t.field(fn, Field.Body);
  if (body === undefined) return undefined;
  const header = t.field(fn, Field.ReturnType) ?? t.field(fn, Field.Parameters);
  if (header === undefined) return t.start(body);
  const colon = t.source.indexOf(':', t.end(header));
  if (colon < 0 || colon >= t.start(body)) return t.start(body);
  const line = t.lines.lineAt(colon) + 1;
  return line < t.lines.lineCount ? Math.min(t.lines.lineStart(line), t.start(body)) : t.start(body);
}

/**
 * Whether [start, end] lies in a function's body lines (see bodyFrom), before the next node
 * after the function (blank lines and comments after its last statement are its own: typing
 * a new last line starts there).
 */
function inBody(t: SyntaxTree, fn: NodeId, start: number, end: number): boolean {
  const from = bodyFrom(t, fn);
  const next = t.subtreeEnd(fn);
  const until = next < t.size ? t.start(next) : t.source.length;
  return from !== undefined && from <= start && end <= until;
}

/** The innermost function definition whose body holds [start, end]. */
function enclosingFunction(t: SyntaxTree, start: number, end: number): NodeId | undefined {
  for (let n: NodeId | undefined = t.nodeAt(start); n !== undefined; n = t.parent(n))
    if (t.kind(n) === NodeKind.FunctionDefinition && inBody(t, n, start, end)) return n;
  return undefined;
}

/**
 * Whether the trees have the same nodes outside the edited function: the same kinds, fields,
 * parents and spans before it (its ancestors hold the edit: they end where they did, or moved
 * by `shift`) and after it (moved by `shift` characters). Parents and ends count, not only the
 * order of kinds and starts: a method whose `def` an edit unindents out of its class comes in
 * the same order, under another parent (fuzz seed 2772).
 */
function sameStructure(
  old: SyntaxTree,
  t: SyntaxTree,
  fn: NodeId,
  oldFnEnd: NodeId,
  newFnEnd: NodeId,
  shift: number,
): boolean {
  if (old.size - oldFnEnd !== t.size - newFnEnd) return false;
  for (let n = 0; n <= fn; n++) {
    if (old.kind(n) !== t.kind(n) || old.start(n) !== t.start(n)) return false;
    if (old.fieldOf(n) !== t.fieldOf(n) || old.parent(n) !== t.parent(n)) return false;
    if (n === fn) break; // its own end moves with the edit, whatever it is
    const end = t.end(n);
    const holdsEdit = old.subtreeEnd(n) > fn;
    if (end !== old.end(n) && !(holdsEdit && end === old.end(n) + shift)) return false;
  }
  const nodeShift = newFnEnd - oldFnEnd;
  for (let n = oldFnEnd; n < old.size; n++) {
    const m = n + nodeShift;
    if (old.kind(n) !== t.kind(m) || old.start(n) + shift !== t.start(m) || old.end(n) + shift !== t.end(m))
      return false;
    // A parent after the function moved with it; one before it (an ancestor) kept its id.
    const p = old.parent(n);
    const parent = p === undefined || p < fn ? p : p + nodeShift;
    if (old.fieldOf(n) !== t.fieldOf(m) || parent !== t.parent(m)) return false;
  }
  return true;
}

/** Statement kinds whose change reaches other functions' walks (through file facts). */
const reachingKinds = new Set<NodeKind>([
  NodeKind.ImportStatement,
  NodeKind.ImportFromStatement,
  NodeKind.FutureImportStatement,
  NodeKind.FunctionDefinition,
  NodeKind.ClassDefinition,
  NodeKind.DecoratedDefinition,
  NodeKind.GlobalStatement,
  NodeKind.NonlocalStatement,
  NodeKind.DeleteStatement,
  NodeKind.Lambda,
]);

/**
 * The statements of the function's body that the edit changed, in the old tree and the new:
 * all but those before the change that end before it and those after it that start after it,
 * the same in both trees (kind and span, moved by the change). An edit can change how the
 * text after it parses (an unclosed bracket swallows the next statements): those differ too.
 * When that leaves one compound statement whose block holds the whole change, alike in both
 * trees down to it, the statements of that block are taken instead, and so on inward: an
 * edit in a branch of a long `if` changes that branch's statement, not every binding of the
 * `if` (in Nova's driver, a keystroke in a log message reused no walk at all).
 */
function changedStatements(
  old: SyntaxTree,
  t: SyntaxTree,
  fn: NodeId,
  change: TextChange,
): { readonly old: NodeId[]; readonly now: NodeId[] } {
  const bodyOld = old.field(fn, Field.Body);
  const bodyNew = t.field(fn, Field.Body);
  let a = bodyOld === undefined ? [] : old.children(bodyOld);
  let b = bodyNew === undefined ? [] : t.children(bodyNew);
  for (;;) {
    const changed = changedSlice(old, t, a, b, change);
    const [x] = changed.old;
    const [y] = changed.now;
    const inner =
      changed.old.length === 1 && changed.now.length === 1 && x !== undefined && y !== undefined
        ? innerBlock(old, t, x, y, change)
        : undefined;
    if (!inner) return changed;
    a = old.children(inner.old);
    b = t.children(inner.now);
  }
}

/** Of two lists of sibling statements, those the edit changed (see changedStatements). */
function changedSlice(
  old: SyntaxTree,
  t: SyntaxTree,
  a: readonly NodeId[],
  b: readonly NodeId[],
  change: TextChange,
): { readonly old: NodeId[]; readonly now: NodeId[] } {
  const delta = change.newEnd - change.oldEnd;
  let head = 0;
  for (; head < a.length && head < b.length; head++) {
    const x = a[head] ?? 0;
    const y = b[head] ?? 0;
    if (
      old.end(x) > change.start ||
      old.kind(x) !== t.kind(y) ||
      old.start(x) !== t.start(y) ||
      old.end(x) !== t.end(y)
    )
      break;
  }
  let tail = 0;
  for (; tail < a.length - head && tail < b.length - head; tail++) {
    const x = a[a.length - 1 - tail] ?? 0;
    const y = b[b.length - 1 - tail] ?? 0;
    if (
      old.start(x) < change.oldEnd ||
      old.kind(x) !== t.kind(y) ||
      old.start(x) + delta !== t.start(y) ||
      old.end(x) + delta !== t.end(y)
    )
      break;
  }
  return { old: a.slice(head, a.length - tail), now: b.slice(head, b.length - tail) };
}

/**
 * The block of compound statement `x` (old tree) and `y` (new) that holds the whole change in
 * both, when the two are alike down to it: the same kinds and children, and every part around
 * the change where it was (before it) or moved by it (after it). None when the change touches
 * anything but a block (a condition, a header, a clause's keyword) or the trees part.
 */
function innerBlock(
  old: SyntaxTree,
  t: SyntaxTree,
  x: NodeId,
  y: NodeId,
  change: TextChange,
): { readonly old: NodeId; readonly now: NodeId } | undefined {
  const delta = change.newEnd - change.oldEnd;
  let p = x;
  let q = y;
  for (;;) {
    const xs = old.children(p);
    const ys = t.children(q);
    if (xs.length !== ys.length) return undefined;
    let inside: number | undefined;
    for (let i = 0; i < xs.length; i++) {
      const c = xs[i] ?? 0;
      const d = ys[i] ?? 0;
      if (old.kind(c) !== t.kind(d)) return undefined;
      const before = old.end(c) <= change.start && old.start(c) === t.start(d) && old.end(c) === t.end(d);
      const after =
        old.start(c) >= change.oldEnd && old.start(c) + delta === t.start(d) && old.end(c) + delta === t.end(d);
      if (before || after) continue;
      const holds =
        old.start(c) <= change.start &&
        change.oldEnd <= old.end(c) &&
        t.start(d) <= change.start &&
        change.newEnd <= t.end(d);
      if (!holds || inside !== undefined) return undefined;
      inside = i;
    }
    if (inside === undefined) return undefined;
    p = xs[inside] ?? 0;
    q = ys[inside] ?? 0;
    if (old.kind(p) === NodeKind.Block) return t.kind(q) === NodeKind.Block ? { old: p, now: q } : undefined;
  }
}

/**
 * Whether a subtree holds something whose change reaches other walks (see reachingKinds): a
 * binding of an item, or of an attribute whose name is mentioned outside the function (its
 * readers would be elsewhere; `inFunction` counts the function's own mentions).
 */
function reaches(
  t: SyntaxTree,
  s: NodeId,
  wordCount: (word: string) => number,
  inFunction: ReadonlyMap<string, number>,
): string | undefined {
  const end = t.subtreeEnd(s);
  for (let n = s; n < end; n++) {
    const kind = t.kind(n);
    if (reachingKinds.has(kind)) return `the edit changes a statement with ${NodeKind[kind]}`;
    if ((kind === NodeKind.Attribute || kind === NodeKind.Subscript) && bindsAttribute(t, n)) {
      const attr = kind === NodeKind.Attribute ? t.field(n, Field.Attribute) : undefined;
      const name = attr === undefined ? undefined : t.text(attr);
      if (name === undefined || wordCount(name) !== (inFunction.get(name) ?? 0))
        return 'the edit changes a binding of an attribute or item used elsewhere';
    }
  }
  return undefined;
}

/**
 * Why the edit inside `fn` may change what other functions' walks read, if it may: the
 * statements it changed (before and after) bind an attribute or import, define, declare
 * global or delete something; or the count of a function's name changed (which functions have
 * known callers). Else, when it changed statements, the functions whose walks may read what it
 * changed (see readersOf: a set of new function nodes; the others' walks stand).
 */
function reuseBlockers(
  st: CacheState,
  model: FileModel,
  fn: NodeId,
  change: TextChange,
): string | ReadonlySet<NodeId> | undefined {
  const oldModel = st.model;
  const old = oldModel.tree;
  const t = model.tree;
  const before = countWords(old.source.slice(old.start(fn), old.end(fn)));
  const after = countWords(t.source.slice(t.start(fn), t.end(fn)));
  const changed = changedStatements(old, t, fn, change);
  for (const s of changed.old) {
    const why = reaches(old, s, (w) => oldModel.wordCount(w), before);
    if (why) return why;
  }
  for (const s of changed.now) {
    const why = reaches(t, s, (w) => model.wordCount(w), after);
    if (why) return why;
  }
  // Code that names the function may read all of its body: its condition (a check helper), its
  // returned types, whether it re-raises (exceptionHandlers.ts follows calls); code that reads
  // an attribute it binds reads the condition it is bound under. Those functions are walked
  // again (readersOf), unless the edit changed no statement (a comment, a blank line: the
  // body reads the same, its later lines moved).
  if (model.functionAt(fn) === undefined) return 'no function at the edit';
  // An edit that leaves the changed statements calls of the same callees (typing inside a
  // call's arguments, a log message) changes nothing a caller reads of the body: its returns,
  // conditions, raises and the calls it makes.
  const callees = calleesOf(old, changed.old);
  const statementsChanged =
    (changed.old.length > 0 || changed.now.length > 0) &&
    (callees === undefined || callees !== calleesOf(t, changed.now));
  for (const word of new Set([...after.keys(), ...before.keys()]))
    if (before.get(word) !== after.get(word) && model.functionsByName.has(word))
      return `the count of '${word}' changed`;
  if (!statementsChanged) return undefined;
  const bound = editedBindings(
    [
      { model: oldModel, statements: changed.old },
      { model, statements: changed.now },
    ],
    fn,
    model,
  );
  const readers = readersOf(model, fn, (st.mentions ??= mentionsOf(oldModel)), bound);
  if (!readers) return 'the edited function, or what it binds, is named by most functions (their walks may read it)';
  return readers.size ? readers : undefined;
}

/** Kinds that make a call statement more than calls: they bind, return or stop. */
const notOnlyCalls: ReadonlySet<NodeKind> = new Set([
  NodeKind.NamedExpression,
  NodeKind.Lambda,
  NodeKind.Yield,
  NodeKind.Await,
]);

/**
 * When every statement is only a call (`guest.add_device(video)`, `LOG.warning(...)`), the
 * callees of all the calls in them, as written; else undefined, which no list equals. Two
 * lists of statements with the same callees differ only in what callers of the function do
 * not read (see reuseBlockers).
 */
function calleesOf(t: SyntaxTree, statements: readonly NodeId[]): string | undefined {
  const out: string[] = [];
  for (const s of statements) {
    const call = t.kind(s) === NodeKind.ExpressionStatement ? t.firstChild(s) : undefined;
    if (call === undefined || t.kind(call) !== NodeKind.Call || t.nextSibling(call) !== undefined) return undefined;
    const end = t.subtreeEnd(call);
    for (let n = call; n < end; n++) {
      const kind = t.kind(n);
      if (notOnlyCalls.has(kind)) return undefined;
      if (kind !== NodeKind.Call) continue;
      const callee = t.field(n, Field.Function);
      out.push(callee === undefined ? '' : t.text(callee).replace(/\s+/g, ''));
    }
  }
  return out.join('\n');
}

interface Moves extends TextChange {
  /** The edited function's node (-1: no edit), one past its old subtree, and how far later ids moved. */
  readonly fn: NodeId;
  readonly oldFnEnd: NodeId;
  readonly nodeShift: number;
}

/** Thrown by a relocation that meets something of the edited text: the walk is not reused. */
class Stale extends Error {}
const stale = new Stale('stale');

/** Field names whose numbers are node ids, in what the walk records (observations.ts, hoverFacts.ts). */
const nodeFields = new Set(['node', 'stmt', 'cond', 'anchor', 'first', 'last', 'call']);

/**
 * The node ids and lines that a walk's records (entry, result, marks) refer to in this file:
 * the smallest and largest (none: Infinity and -Infinity).
 */
interface Reach {
  readonly minNode: number;
  readonly maxNode: number;
  readonly minLine: number;
  readonly maxLine: number;
}

const noReach: Reach = { minNode: Infinity, maxNode: -Infinity, minLine: Infinity, maxLine: -Infinity };

const widen = (a: Reach, b: Reach): Reach =>
  a === noReach
    ? b
    : b === noReach
      ? a
      : {
          minNode: Math.min(a.minNode, b.minNode),
          maxNode: Math.max(a.maxNode, b.maxNode),
          minLine: Math.min(a.minLine, b.minLine),
          maxLine: Math.max(a.maxLine, b.maxLine),
        };

/**
 * Moves what walks recorded from the old tree to the new one: node ids and positions past the
 * edit move, those before it stay, those in it make the walk stale. Objects left unchanged are
 * shared, not copied; shared objects are moved once. Without moves it only measures reach.
 */
class Relocator {
  private readonly memo = new Map<object, { readonly v: unknown; readonly reach: Reach }>();
  /** The reach of what is being moved (the object being built). */
  private reach: Reach = noReach;
  private readonly gatePrefix: string;
  private readonly delta: number;
  /** Lines before firstLine stay; lines after lastLine move by lineShift (same character). */
  private readonly firstLine: number;
  private readonly lastLine: number;
  private readonly lineShift: number;

  constructor(
    private readonly uri: string,
    private readonly m: Moves | undefined,
    private readonly old: SyntaxTree,
    private readonly t: SyntaxTree,
  ) {
    this.gatePrefix = `${uri}#`;
    this.delta = m ? m.newEnd - m.oldEnd : 0;
    this.firstLine = m ? old.lines.lineAt(m.start) : Infinity;
    this.lastLine = m ? old.lines.lineAt(m.oldEnd) : Infinity;
    const next = this.lastLine + 1;
    this.lineShift =
      m && next < old.lines.lineCount ? t.lines.lineAt(old.lines.lineStart(next) + this.delta) - next : 0;
  }

  /** The value moved, and its reach (in the new tree). */
  move(v: unknown): { value: unknown; reach: Reach } {
    this.reach = noReach;
    const value = this.visit(v, undefined);
    return { value, reach: this.reach };
  }

  /** Whether moving something of this reach would change nothing (it refers to nothing the edit changed or moved). */
  unchanged(r: Reach): boolean {
    const m = this.m;
    if (!m) return true;
    const nodesStay = m.fn < 0 || r.maxNode <= m.fn || (r.minNode >= m.oldFnEnd && m.nodeShift === 0);
    const linesStay = r.maxLine < this.firstLine || (r.minLine > this.lastLine && this.lineShift === 0);
    return nodesStay && linesStay;
  }

  private seeNode(n: number): void {
    const r = this.reach;
    this.reach =
      r === noReach
        ? { minNode: n, maxNode: n, minLine: Infinity, maxLine: -Infinity }
        : n >= r.minNode && n <= r.maxNode
          ? r
          : { ...r, minNode: Math.min(r.minNode, n), maxNode: Math.max(r.maxNode, n) };
  }

  private seeLine(line: number): void {
    const r = this.reach;
    this.reach =
      r === noReach
        ? { minNode: Infinity, maxNode: -Infinity, minLine: line, maxLine: line }
        : line >= r.minLine && line <= r.maxLine
          ? r
          : { ...r, minLine: Math.min(r.minLine, line), maxLine: Math.max(r.maxLine, line) };
  }

  /** An offset of the old text in the new one (an end at the change's start is before it; a start there is after an insertion). */
  private offset(o: number, isEnd: boolean): number {
    const m = this.m;
    if (!m) return o;
    if (isEnd ? o <= m.start : o < m.start) return o;
    if (isEnd ? o > m.oldEnd : o >= m.oldEnd) return o + this.delta;
    throw stale;
  }

  private node(n: number): number {
    const m = this.m;
    // The edited function keeps its own id (call sites are keyed by it); its insides are stale.
    if (!m || m.fn < 0 || n <= m.fn) return n;
    if (n >= m.oldFnEnd) return n + m.nodeShift;
    throw stale;
  }

  private position(p: Position, isEnd: boolean): Position {
    let out = p;
    if (p.line > this.lastLine) out = { line: p.line + this.lineShift, character: p.character };
    else if (p.line >= this.firstLine) out = this.t.lines.position(this.offset(this.old.lines.offset(p), isEnd));
    this.seeLine(out.line);
    return out.line === p.line && out.character === p.character ? p : out;
  }

  private range(v: Range): Range {
    const start = this.position(v.start, false);
    const end = this.position(v.end, true);
    return start === v.start && end === v.end ? v : { start, end };
  }

  private visit(v: unknown, field: string | undefined): unknown {
    if (typeof v === 'number') {
      if (field === undefined || !nodeFields.has(field)) return v;
      const n = this.node(v);
      this.seeNode(n);
      return n;
    }
    if (typeof v !== 'object' || v === null) return v;
    // Ranges and empty lists are moved without the memo (sharing them does not matter).
    if (isRange(v)) return this.range(v);
    if (Array.isArray(v) && v.length === 0) return v;
    const hit = this.memo.get(v);
    if (hit) {
      this.reach = widen(this.reach, hit.reach);
      return hit.v;
    }
    const outer = this.reach;
    this.reach = noReach;
    const out = this.build(v);
    this.memo.set(v, { v: out, reach: this.reach });
    this.reach = widen(outer, this.reach);
    return out;
  }

  private build(v: object): unknown {
    if (Array.isArray(v)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        const y = this.visit(x, undefined);
        if (y !== x) copy ??= v.slice();
        if (copy) copy[i] = y;
      }
      return copy ?? v;
    }
    if (v instanceof Map) {
      // Only the walk's call sites are keyed by node ids (functions'); other maps by names.
      let changed = false;
      const entries: [unknown, unknown][] = [];
      for (const [k, x] of v as Map<unknown, unknown>) {
        const k2 = typeof k === 'number' ? this.visit(k, 'node') : k;
        const y = this.visit(x, undefined);
        if (k2 !== k || y !== x) changed = true;
        entries.push([k2, y]);
      }
      return changed ? new Map(entries) : v;
    }
    // A position outside a range: whether it starts or ends something is unknown.
    if (isPosition(v)) throw stale;
    const o = v as Record<string, unknown>;
    // Facts of another file (a guard there) stay as they are.
    if (typeof o.uri === 'string' && o.uri !== this.uri) return v;
    let copy: Record<string, unknown> | undefined;
    const gateRange = o.range;
    if (
      typeof o.id === 'string' &&
      typeof gateRange === 'object' &&
      gateRange !== null &&
      isRange(gateRange) &&
      o.id.startsWith(this.gatePrefix)
    ) {
      // A gate: its id is its file and start position (conditions.ts), moved with its range.
      const start = this.range(gateRange).start;
      const id = `${this.gatePrefix}${start.line}:${start.character}`;
      if (id !== o.id) copy = { ...o, id };
    }
    for (const k in o) {
      const x = o[k];
      if (typeof x !== 'object' && (typeof x !== 'number' || !nodeFields.has(k))) continue;
      const y = this.visit(x, k);
      if (y !== x) copy ??= { ...o };
      if (copy) copy[k] = y;
    }
    return copy ?? v;
  }
}

function reuseFrom(
  st: CacheState,
  uri: string,
  m: Moves,
  old: SyntaxTree,
  t: SyntaxTree,
  readers?: ReadonlySet<NodeId>,
): Reuse {
  const mover = new Relocator(uri, m.fn < 0 ? undefined : m, old, t);
  const measure = new Relocator(uri, undefined, old, old);
  return {
    walk(
      fn: FunctionInfo,
      entry: PathContext | null,
      xml: string,
      xmlReadHolds: (read: NonNullable<UnitWalk['xmlRead']>) => boolean,
    ): UnitWalk | undefined {
      if (m.fn >= 0 && fn.node >= m.fn && fn.node < t.subtreeEnd(m.fn)) return undefined;
      if (readers?.has(fn.node)) return undefined;
      const oldNode = m.fn < 0 || fn.node < m.fn ? fn.node : fn.node - m.nodeShift;
      for (const w of st.walks.get(oldNode) ?? []) {
        if (w.xml !== xml || (w.entry === null) !== (entry === null)) continue;
        if (w.xmlRead && !xmlReadHolds(w.xmlRead)) continue;
        try {
          const reach = w.reach ?? measure.move([w.entry, w.result, w.marks]).reach;
          // Nothing it refers to changed or moved (or the text is the same): as it is.
          if (mover.unchanged(reach)) {
            if (entry !== null && !deepEqual(w.entry, entry)) continue;
            return w.reach ? w : { ...w, reach };
          }
          const moved = mover.move([w.entry, w.result, w.marks]);
          const [movedEntry, result, marks] = moved.value as [PathContext | null, UnitResult, GateMark[]];
          if (entry !== null && !deepEqual(movedEntry, entry)) continue;
          return {
            entry,
            result,
            marks,
            truncated: w.truncated,
            xml,
            ...(w.xmlRead ? { xmlRead: w.xmlRead } : {}),
            reach: moved.reach,
          };
        } catch (e) {
          if (e instanceof Stale) return undefined;
          throw e;
        }
      }
      return undefined;
    },
  };
}

function isPosition(v: object): boolean {
  // The keys are counted only for what has both (a key array per object moved cost a fifth of a move).
  return 'line' in v && 'character' in v && Object.keys(v).length === 2;
}

function isRange(v: object): v is Range {
  const r = v as Partial<Range>;
  return (
    typeof r.start === 'object' &&
    r.start !== null &&
    typeof r.start.line === 'number' &&
    typeof r.end === 'object' &&
    r.end !== null &&
    Object.keys(v).length === 2
  );
}

/** Structural equality of plain data (objects, arrays, maps, numbers, strings). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map) || !(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, x] of a) if (!b.has(k) || !deepEqual(x, b.get(k))) return false;
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const ob = b as Record<string, unknown>;
  const oa = a as Record<string, unknown>;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(ob, k) && deepEqual(oa[k], ob[k]));
}

/**
 * The XML written inside a function, relative to its start (a walk reads only the XML of its
 * own nodes): two texts of the function with the same XML give the same string. XML left
 * pending (see XmlEmissions.bound) is written as its bound: a walk that read some of it keeps
 * what it read (UnitWalk.xmlRead).
 */
export function unitXml(t: SyntaxTree, fn: NodeId, xml: XmlEmissions, sortedNodes: readonly NodeId[]): string {
  if (!sortedNodes.length) return '';
  const end = t.subtreeEnd(fn);
  let lo = 0;
  let hi = sortedNodes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sortedNodes[mid] ?? 0) < fn) lo = mid + 1;
    else hi = mid;
  }
  let out = '';
  for (let i = lo; i < sortedNodes.length; i++) {
    const n = sortedNodes[i] ?? end;
    if (n >= end) break;
    const b = xml.bound(n);
    out += b ? `${n - fn}:<=${b.libvirt}:${b.qemu}\n` : nodeXml(t, fn, xml, n);
  }
  return out;
}

/** What node `n` of function `fn` writes, relative to the function's start. */
export function nodeXml(t: SyntaxTree, fn: NodeId, xml: XmlEmissions, n: NodeId): string {
  const base = t.start(fn);
  let out = '';
  for (const e of xml.get(n) ?? []) {
    const s = t.lines.offset(e.range.start) - base;
    const f = t.lines.offset(e.range.end) - base;
    out += `${n - fn}:${s}:${f}:${JSON.stringify(e.feature)}\n`;
  }
  return out;
}

/** Records the walks of an analysis for the next one. */
export function storeWalks(
  cache: FlowCache,
  analysis: AnalysisKey,
  walks: ReadonlyMap<NodeId, readonly UnitWalk[]>,
): void {
  cache.state = { ...analysis, walks, ...(cache.mentions ? { mentions: cache.mentions } : {}) };
}
