// The syntax tree the engine reads: nodes are integers (NodeId) into a struct of typed arrays.
// Ids are in document pre-order, so a node's descendants are the ids just after it, up to its
// subtree end: "every call in this function" is a loop over a Uint8Array, and the parent of
// every node is stored, never searched. Like Pyright's parse nodes and ruff's node index,
// nothing here knows which parser filled it.
import { LineIndex, lastAtOrBelow } from './lineIndex';
import { Field, NodeKind } from './nodeKind';
import type { Range } from '../types';

export type NodeId = number;

/** Something Python would reject here: a parse error, or an input tree-sitter accepts but CPython does not. */
export interface SyntaxProblem {
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface SyntaxTree {
  /** The source text the offsets refer to. */
  readonly source: string;
  readonly lines: LineIndex;
  readonly root: NodeId;
  /** Number of nodes; ids are 0 … size-1. */
  readonly size: number;
  readonly problems: readonly SyntaxProblem[];
  /** Comments (`# ...`), in document order. */
  readonly comments: readonly Span[];

  kind(id: NodeId): NodeKind;
  /** The field by which the node's parent names it (Field.None when it does not). */
  fieldOf(id: NodeId): Field;
  start(id: NodeId): number;
  end(id: NodeId): number;
  parent(id: NodeId): NodeId | undefined;
  firstChild(id: NodeId): NodeId | undefined;
  nextSibling(id: NodeId): NodeId | undefined;
  /** One past the node's last descendant: its descendants are the ids in (id, subtreeEnd). */
  subtreeEnd(id: NodeId): NodeId;
  /** How many parents the deepest node has (0: only the root), computed once. */
  maxDepth(): number;
  children(id: NodeId): NodeId[];
  childCount(id: NodeId): number;
  /** The first child the node names by this field. */
  field(id: NodeId, field: Field): NodeId | undefined;
  fieldChildren(id: NodeId, field: Field): NodeId[];
  text(id: NodeId): string;
  range(id: NodeId): Range;
  /** Descendants of these kinds, in document order. */
  descendantsOfKind(id: NodeId, kinds: readonly NodeKind[] | NodeKind): NodeId[];
  /** The innermost node that contains offset (start ≤ offset < end), or the root. */
  nodeAt(offset: number): NodeId;
  /** The innermost node with exactly this span (and of this kind, when given), if any. */
  nodeWithSpan(start: number, end: number, kind?: NodeKind): NodeId | undefined;
  /** The comment that contains offset, if any. */
  commentAt(offset: number): Span | undefined;
}

const none = -1;

export class ArrayTree implements SyntaxTree {
  readonly root: NodeId = 0;
  private lineIndex: LineIndex | undefined;
  private nested: boolean | undefined;
  private deepest: number | undefined;

  constructor(
    readonly source: string,
    private readonly kinds: Uint8Array,
    private readonly fields: Uint8Array,
    private readonly starts: Uint32Array,
    private readonly ends: Uint32Array,
    private readonly parents: Int32Array,
    private readonly subtreeEnds: Int32Array,
    private readonly problemList: SyntaxProblem[],
    readonly comments: readonly Span[],
    lines?: LineIndex,
  ) {
    this.lineIndex = lines;
  }

  /** Offsets ⇄ positions, computed when first needed. */
  get lines(): LineIndex {
    this.lineIndex ??= new LineIndex(this.source);
    return this.lineIndex;
  }

  get problems(): readonly SyntaxProblem[] {
    return this.problemList;
  }

  /** Problems found after parsing (the tree-sitter oracle adds what tree-sitter accepts and CPython does not). */
  addProblems(extra: readonly SyntaxProblem[]): void {
    for (const p of extra) this.problemList.push(p);
    this.problemList.sort((a, b) => a.start - b.start || a.end - b.end);
  }

  get size(): number {
    return this.kinds.length;
  }

  kind(id: NodeId): NodeKind {
    return this.kinds[id] as NodeKind;
  }

  fieldOf(id: NodeId): Field {
    return this.fields[id] as Field;
  }

  start(id: NodeId): number {
    return this.starts[id] ?? 0;
  }

  end(id: NodeId): number {
    return this.ends[id] ?? 0;
  }

  parent(id: NodeId): NodeId | undefined {
    const p = this.parents[id] ?? none;
    return p === none ? undefined : p;
  }

  subtreeEnd(id: NodeId): NodeId {
    return this.subtreeEnds[id] ?? id + 1;
  }

  maxDepth(): number {
    if (this.deepest === undefined) {
      // Pre-order ids: a parent comes before its children.
      const depth = new Int32Array(this.kinds.length);
      let max = 0;
      for (let id = 1; id < depth.length; id++) {
        const d = (depth[this.parents[id] ?? 0] ?? 0) + 1;
        depth[id] = d;
        if (d > max) max = d;
      }
      this.deepest = max;
    }
    return this.deepest;
  }

  firstChild(id: NodeId): NodeId | undefined {
    return id + 1 < (this.subtreeEnds[id] ?? 0) ? id + 1 : undefined;
  }

  nextSibling(id: NodeId): NodeId | undefined {
    const p = this.parents[id] ?? none;
    if (p === none) return undefined;
    const next = this.subtreeEnds[id] ?? 0;
    return next < (this.subtreeEnds[p] ?? 0) ? next : undefined;
  }

  children(id: NodeId): NodeId[] {
    const out: NodeId[] = [];
    const end = this.subtreeEnds[id] ?? 0;
    for (let c = id + 1; c < end; c = this.subtreeEnds[c] ?? end) out.push(c);
    return out;
  }

  childCount(id: NodeId): number {
    let n = 0;
    const end = this.subtreeEnds[id] ?? 0;
    for (let c = id + 1; c < end; c = this.subtreeEnds[c] ?? end) n++;
    return n;
  }

  field(id: NodeId, field: Field): NodeId | undefined {
    const end = this.subtreeEnds[id] ?? 0;
    for (let c = id + 1; c < end; c = this.subtreeEnds[c] ?? end) if (this.fields[c] === field) return c;
    return undefined;
  }

  fieldChildren(id: NodeId, field: Field): NodeId[] {
    const out: NodeId[] = [];
    const end = this.subtreeEnds[id] ?? 0;
    for (let c = id + 1; c < end; c = this.subtreeEnds[c] ?? end) if (this.fields[c] === field) out.push(c);
    return out;
  }

  text(id: NodeId): string {
    return this.source.slice(this.starts[id], this.ends[id]);
  }

  range(id: NodeId): Range {
    return this.lines.range(this.starts[id] ?? 0, this.ends[id] ?? 0);
  }

  descendantsOfKind(id: NodeId, kinds: readonly NodeKind[] | NodeKind): NodeId[] {
    const out: NodeId[] = [];
    const end = this.subtreeEnds[id] ?? 0;
    if (typeof kinds === 'number') {
      for (let d = id + 1; d < end; d++) if (this.kinds[d] === kinds) out.push(d);
      return out;
    }
    if (kinds.length <= 4) {
      // A few kinds (the usual question) are compared directly: a table per call costs more.
      const [a = -1, b = -1, c = -1, e = -1] = kinds;
      for (let d = id + 1; d < end; d++) {
        const k = this.kinds[d];
        if (k === a || k === b || k === c || k === e) out.push(d);
      }
      return out;
    }
    const wanted = new Uint8Array(256);
    for (const k of kinds) wanted[k] = 1;
    for (let d = id + 1; d < end; d++) if (wanted[this.kinds[d] ?? 0]) out.push(d);
    return out;
  }

  nodeAt(offset: number): NodeId {
    this.nested ??= this.computeNested();
    if (this.nested) {
      // The last node (in pre-order) starting at or before offset, then up to the first that holds it.
      for (let n = lastAtOrBelow(this.starts, offset); ;) {
        if (n === this.root || offset < (this.ends[n] ?? 0)) return n;
        n = this.parents[n] ?? this.root;
      }
    }
    let n = this.root;
    for (;;) {
      let next: NodeId | undefined;
      const end = this.subtreeEnds[n] ?? 0;
      for (let c = n + 1; c < end; c = this.subtreeEnds[c] ?? end) {
        if ((this.starts[c] ?? 0) <= offset && offset < (this.ends[c] ?? 0)) {
          next = c;
          break;
        }
      }
      if (next === undefined) return n;
      n = next;
    }
  }

  /**
   * Whether spans nest the way `nodeAt`'s binary search needs (the parser's trees do; checked
   * once per tree, with the child-by-child descent as the fallback): each node lies within its
   * parent, and whatever follows its subtree in pre-order starts at or after its end.
   */
  private computeNested(): boolean {
    const n = this.kinds.length;
    for (let i = 1; i < n; i++) {
      const start = this.starts[i] ?? 0;
      const end = this.ends[i] ?? 0;
      const p = this.parents[i] ?? none;
      if (p === none || start < (this.starts[p] ?? 0) || end > (this.ends[p] ?? 0) || end < start) return false;
      const after = this.subtreeEnds[i] ?? n;
      if (after < n && (this.starts[after] ?? 0) < end) return false;
    }
    return true;
  }

  nodeWithSpan(start: number, end: number, kind?: NodeKind): NodeId | undefined {
    this.nested ??= this.computeNested();
    if (this.nested && start < end) {
      // From the innermost node holding the span up: the first with exactly the span (only
      // nodes of one chain hold a non-empty span when spans nest; see computeNested).
      let n = this.nodeAt(start);
      while (n !== this.root && (this.ends[n] ?? 0) < end) n = this.parents[n] ?? this.root;
      for (;;) {
        const s = this.starts[n] ?? 0;
        const e = this.ends[n] ?? 0;
        if (s === start && e === end && (kind === undefined || this.kinds[n] === kind)) return n;
        // Nodes above start earlier or end later than this one.
        if (n === this.root || s < start || e > end) return undefined;
        n = this.parents[n] ?? this.root;
      }
    }
    let found: NodeId | undefined;
    let n: NodeId | undefined = this.root;
    while (n !== undefined) {
      if (this.starts[n] === start && this.ends[n] === end && (kind === undefined || this.kinds[n] === kind)) found = n;
      let next: NodeId | undefined;
      const stop = this.subtreeEnds[n] ?? 0;
      for (let c = n + 1; c < stop; c = this.subtreeEnds[c] ?? stop) {
        if (
          (this.starts[c] ?? 0) <= start &&
          end <= (this.ends[c] ?? 0) &&
          (this.ends[c] ?? 0) > (this.starts[c] ?? 0)
        ) {
          next = c;
          break;
        }
      }
      n = next;
    }
    return found;
  }

  /** See spliceTopLevel. */
  spliced(source: string, start: number, oldEnd: number, region: ArrayTree): ArrayTree {
    const total = this.kinds.length;
    const shift = source.length - this.source.length;
    // Old top-level statements [a, e) are replaced by the region's (its ids 1 … size-1).
    const [a, e] = this.childrenBetween(0, start, oldEnd);
    const inserted = region.kinds.length - 1;
    const moved = inserted - (e - a);
    const size = total + moved;
    const arrays = this.arraysAround(size, a, e, moved, shift);
    const { kinds, fields, starts, ends, parents, subtreeEnds } = arrays;
    for (let i = 1; i <= inserted; i++) {
      const j = a + i - 1;
      kinds[j] = region.kinds[i] ?? 0;
      fields[j] = region.fields[i] ?? 0;
      starts[j] = (region.starts[i] ?? 0) + start;
      ends[j] = (region.ends[i] ?? 0) + start;
      const p = region.parents[i] ?? 0;
      parents[j] = p === 0 ? 0 : p + a - 1;
      subtreeEnds[j] = (region.subtreeEnds[i] ?? 0) + a - 1;
    }
    ends[0] = source.length;
    subtreeEnds[0] = size;
    const comments = this.commentsAround(start, oldEnd, shift, region.comments, start);
    const problems = [
      ...this.problemList.filter((p) => p.end <= start),
      ...region.problemList.map((p) => ({ ...p, start: p.start + start, end: p.end + start })),
      ...this.problemList
        .filter((p) => p.start >= oldEnd)
        .map((p) => ({ ...p, start: p.start + shift, end: p.end + shift })),
    ];
    return new ArrayTree(source, kinds, fields, starts, ends, parents, subtreeEnds, problems, comments);
  }

  /** The ids [a, e) of the children of `parent` that start from `start` up to `oldEnd`. */
  private childrenBetween(parent: NodeId, start: number, oldEnd: number): [NodeId, NodeId] {
    const end = this.subtreeEnds[parent] ?? this.kinds.length;
    let a = end;
    let e = end;
    for (let c = parent + 1; c < end; c = this.subtreeEnds[c] ?? end) {
      const s = this.starts[c] ?? 0;
      if (a === end && s >= start) a = c;
      if (s >= oldEnd) {
        e = c;
        break;
      }
    }
    return [Math.min(a, e), e];
  }

  /**
   * New node arrays of `size`: this tree's nodes before `a` in place, and those from `e` on
   * moved by `moved` ids (their offsets by `shift`; their parents with them, unless a parent
   * comes before `a`). The caller fills [a, e + moved).
   */
  private arraysAround(size: number, a: number, e: number, moved: number, shift: number) {
    const arrays = nodeArrays(size);
    const from = e + moved;
    const keep = (dst: Uint8Array | Uint32Array | Int32Array, src: Uint8Array | Uint32Array | Int32Array): void => {
      dst.set(src.subarray(0, a));
      dst.set(src.subarray(e), from);
    };
    keep(arrays.kinds, this.kinds);
    keep(arrays.fields, this.fields);
    keep(arrays.starts, this.starts);
    keep(arrays.ends, this.ends);
    keep(arrays.parents, this.parents);
    keep(arrays.subtreeEnds, this.subtreeEnds);
    const { starts, ends, parents, subtreeEnds } = arrays;
    for (let j = from; j < size; j++) {
      starts[j] += shift;
      ends[j] += shift;
      subtreeEnds[j] += moved;
      if ((parents[j] ?? 0) >= e) parents[j] += moved;
    }
    return arrays;
  }

  /** Comments before `start` and from `oldEnd` on (moved by `shift`), with `inserted` (moved by `delta`) between. */
  private commentsAround(
    start: number,
    oldEnd: number,
    shift: number,
    inserted: readonly Span[],
    delta: number,
  ): Span[] {
    return [
      ...this.comments.filter((c) => c.end <= start),
      ...inserted.map((c) => ({ start: c.start + delta, end: c.end + delta })),
      ...this.comments.filter((c) => c.start >= oldEnd).map((c) => ({ start: c.start + shift, end: c.end + shift })),
    ];
  }

  /**
   * This tree with the children of block `block` from `start` up to `oldEnd` (the old text)
   * replaced by the children of block `regionBlock` of `region`, a tree of a text whose
   * `regionOffset` is `start` here (a region parsed inside a stand-in header). The block keeps
   * a child after them, so it and its ancestors end after the change: their ends move by the
   * change in length, their subtrees by the change in node count.
   */
  splicedChildren(
    source: string,
    block: NodeId,
    start: number,
    oldEnd: number,
    region: ArrayTree,
    regionBlock: NodeId,
    regionOffset: number,
  ): ArrayTree {
    const total = this.kinds.length;
    const shift = source.length - this.source.length;
    const [a, e] = this.childrenBetween(block, start, oldEnd);
    const first = regionBlock + 1;
    const inserted = (region.subtreeEnds[regionBlock] ?? first) - first;
    const moved = inserted - (e - a);
    const size = total + moved;
    const delta = start - regionOffset;
    const { kinds, fields, starts, ends, parents, subtreeEnds } = this.arraysAround(size, a, e, moved, shift);
    // The block and its ancestors (the nodes before the region whose subtree holds it).
    for (let j = 0; j < a; j++) {
      if ((subtreeEnds[j] ?? 0) > a) {
        subtreeEnds[j] += moved;
        ends[j] += shift;
      }
    }
    for (let i = 0; i < inserted; i++) {
      const r = first + i;
      const j = a + i;
      kinds[j] = region.kinds[r] ?? 0;
      fields[j] = region.fields[r] ?? 0;
      starts[j] = (region.starts[r] ?? 0) + delta;
      ends[j] = (region.ends[r] ?? 0) + delta;
      const p = region.parents[r] ?? 0;
      parents[j] = p === regionBlock ? block : p - first + a;
      subtreeEnds[j] = (region.subtreeEnds[r] ?? 0) - first + a;
    }
    const comments = this.commentsAround(start, oldEnd, shift, region.comments, delta);
    return new ArrayTree(source, kinds, fields, starts, ends, parents, subtreeEnds, [...this.problemList], comments);
  }

  commentAt(offset: number): Span | undefined {
    let lo = 0;
    let hi = this.comments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = this.comments[mid];
      if (!c) break;
      if (offset < c.start) hi = mid - 1;
      else if (offset >= c.end) lo = mid + 1;
      else return c;
    }
    return undefined;
  }
}

/** A tree's arrays for `size` nodes (what ArrayTree reads). */
function nodeArrays(size: number) {
  return {
    kinds: new Uint8Array(size),
    fields: new Uint8Array(size),
    starts: new Uint32Array(size),
    ends: new Uint32Array(size),
    parents: new Int32Array(size),
    subtreeEnds: new Int32Array(size),
  };
}

/**
 * The tree of `source`, made from `old` (the tree of the previous text) by putting `region`
 * (the tree of source[start, start + length)) in place of old's top-level statements that
 * start in [start, oldEnd). Everything after oldEnd moves by the change of length. The caller
 * guarantees the texts outside the region are the same and that a full parse would give the
 * same statements (see reparse.ts); nodes are copied as they are, not checked.
 */
export function spliceTopLevel(
  old: ArrayTree,
  source: string,
  start: number,
  oldEnd: number,
  region: ArrayTree,
): ArrayTree {
  return old.spliced(source, start, oldEnd, region);
}

/**
 * Fills an ArrayTree bottom-up, the way a recursive-descent parser finds nodes: children are
 * finished before their parent (`mark()`, parse the children, `finish(kind, mark)`), and a node
 * can be wrapped after the fact (`a` then `.b` becomes attribute(a, b) from the same mark).
 * `build()` renumbers the nodes into document pre-order in one pass.
 */
/** A builder's arrays, kept between builds (one at a time per thread) up to a size worth keeping. */
interface BuilderArrays {
  kinds: Uint8Array;
  fields: Uint8Array;
  starts: Uint32Array;
  ends: Uint32Array;
  firstChildren: Int32Array;
  nextSiblings: Int32Array;
  sizes: Int32Array;
  parentsPost: Int32Array;
  sizeFromHere: Int32Array;
}

let spareArrays: BuilderArrays | undefined;
const maxSpareNodes = 1 << 19;

function newArrays(n: number): BuilderArrays {
  return {
    kinds: new Uint8Array(n),
    fields: new Uint8Array(n),
    starts: new Uint32Array(n),
    ends: new Uint32Array(n),
    firstChildren: new Int32Array(n),
    nextSiblings: new Int32Array(n),
    sizes: new Int32Array(n),
    parentsPost: new Int32Array(n),
    sizeFromHere: new Int32Array(n),
  };
}

export class TreeBuilder {
  private kinds: Uint8Array;
  private fields: Uint8Array;
  private starts: Uint32Array;
  private ends: Uint32Array;
  /** Post-order links: each node's first child and next sibling, while building. */
  private firstChildren: Int32Array;
  private nextSiblings: Int32Array;
  private sizes: Int32Array;
  /** Each node's parent (in finishing order) and 1 + the sizes of it and its later siblings. */
  private parentsPost: Int32Array;
  private sizeFromHere: Int32Array;
  private count = 0;
  /** Finished nodes waiting for their parent (a stack in a typed array: no array resizing). */
  private pending: Int32Array;
  private pendingLength = 0;
  private readonly problems: SyntaxProblem[] = [];
  private comments: Span[] = [];

  /** `capacity`: the expected number of nodes (the arrays grow past it). */
  constructor(
    private readonly source: string,
    capacity = 1024,
  ) {
    const n = Math.max(16, capacity);
    // Every slot is written before it is read, so spare arrays from the last build need no clearing.
    const arrays = spareArrays && spareArrays.kinds.length >= n ? spareArrays : newArrays(n);
    if (arrays === spareArrays) spareArrays = undefined;
    this.kinds = arrays.kinds;
    this.fields = arrays.fields;
    this.starts = arrays.starts;
    this.ends = arrays.ends;
    this.firstChildren = arrays.firstChildren;
    this.nextSiblings = arrays.nextSiblings;
    this.sizes = arrays.sizes;
    this.parentsPost = arrays.parentsPost;
    this.sizeFromHere = arrays.sizeFromHere;
    this.pending = new Int32Array(64);
  }

  /** Where the children of the next node start. */
  mark(): number {
    return this.pendingLength;
  }

  /** Finished nodes waiting for a parent. */
  get pendingCount(): number {
    return this.pendingLength;
  }

  /** A node over [start, end) whose children are the nodes finished since `mark`. */
  finish(kind: NodeKind, start: number, end: number, mark: number = this.pendingLength): NodeId {
    const id = this.count++;
    if (id >= this.kinds.length) this.grow();
    this.kinds[id] = kind;
    this.fields[id] = Field.None;
    let size = 1;
    let first = none;
    const pending = this.pending;
    const from = mark < this.pendingLength ? mark : this.pendingLength;
    // A node covers its children, even a zero-width one for something missing just past it.
    let s = start;
    let e = end > start ? end : start;
    if (from < this.pendingLength) {
      const firstStart = this.starts[pending[from] as number] as number;
      const lastEnd = this.ends[pending[this.pendingLength - 1] as number] as number;
      if (firstStart < s) s = firstStart;
      if (lastEnd > e) e = lastEnd;
    }
    this.starts[id] = s;
    this.ends[id] = e;
    for (let i = this.pendingLength - 1; i >= from; i--) {
      const child = pending[i] as number;
      this.nextSiblings[child] = first;
      first = child;
      size += this.sizes[child] as number;
      this.parentsPost[child] = id;
      this.sizeFromHere[child] = size;
    }
    this.firstChildren[id] = first;
    this.nextSiblings[id] = none;
    this.sizes[id] = size;
    this.pendingLength = from;
    this.push(id);
    return id;
  }

  private push(id: NodeId): void {
    if (this.pendingLength >= this.pending.length) {
      const bigger = new Int32Array(this.pending.length * 2);
      bigger.set(this.pending);
      this.pending = bigger;
    }
    this.pending[this.pendingLength++] = id;
  }

  /** A leaf node. */
  leaf(kind: NodeKind, start: number, end: number): NodeId {
    return this.finish(kind, start, end, this.pendingLength);
  }

  setField(id: NodeId, field: Field): void {
    this.fields[id] = field;
  }

  /** Drops the nodes finished since `mark` (a parse attempt that is abandoned). */
  discard(mark: number): void {
    if (mark < this.pendingLength) this.pendingLength = Math.max(0, mark);
  }

  kindOf(id: NodeId): NodeKind {
    return this.kinds[id] as NodeKind;
  }

  /** Re-kinds a finished node (an expression read again as an assignment target). */
  setKind(id: NodeId, kind: NodeKind): void {
    this.kinds[id] = kind;
  }

  fieldOf(id: NodeId): Field {
    return this.fields[id] as Field;
  }

  /** The first child of a finished node, or -1. */
  firstChildOf(id: NodeId): NodeId {
    return this.firstChildren[id] ?? none;
  }

  /** The next sibling of a finished node under its parent, or -1. */
  nextSiblingOf(id: NodeId): NodeId {
    return this.nextSiblings[id] ?? none;
  }

  /** The finished node waiting at this position (0 … pendingCount-1). */
  pendingAt(index: number): NodeId {
    return index >= 0 && index < this.pendingLength ? (this.pending[index] as number) : none;
  }

  startOf(id: NodeId): number {
    return this.starts[id] ?? 0;
  }

  endOf(id: NodeId): number {
    return this.ends[id] ?? 0;
  }

  problem(start: number, end: number, message: string): void {
    this.problems.push({ start, end, message });
  }

  comment(start: number, end: number): void {
    this.comments.push({ start, end });
  }

  /** Comments found by a tokenizer, in document order (taken as they are, not copied). */
  setComments(comments: Span[]): void {
    this.comments = comments;
  }

  /**
   * The tree, rooted at a node of `rootKind` over the whole text holding every pending node.
   * Nodes finished but never attached (an abandoned attempt) are left out.
   */
  build(rootKind: NodeKind = NodeKind.Module, lines?: LineIndex): ArrayTree {
    const root = this.finish(rootKind, 0, this.source.length, 0);
    const total = this.sizes[root] ?? 1;
    const { kinds, fields, starts, ends, parents, subtreeEnds } = nodeArrays(total);
    const firstChildren = this.firstChildren;
    const nextSiblings = this.nextSiblings;
    const sizes = this.sizes;
    if (total === this.count) {
      // Every node finished is in the tree, so parents finish after their children: from the
      // root down, a node's pre-order id is its parent's plus one plus the sizes of the siblings
      // before it (its parent's size minus the sizes from it on), in one pass.
      const parentsPost = this.parentsPost;
      const sizeFromHere = this.sizeFromHere;
      const preorder = new Int32Array(total);
      parentsPost[root] = none;
      for (let j = root; j >= 0; j--) {
        const parent = parentsPost[j] as number;
        let id = 0;
        let parentId = none;
        if (parent !== none) {
          parentId = preorder[parent] as number;
          id = parentId + (sizes[parent] as number) - (sizeFromHere[j] as number) + 1;
        }
        preorder[j] = id;
        kinds[id] = this.kinds[j] as number;
        fields[id] = this.fields[j] as number;
        starts[id] = this.starts[j] as number;
        ends[id] = this.ends[j] as number;
        subtreeEnds[id] = id + (sizes[j] as number);
        parents[id] = parentId;
      }
    } else {
      this.renumberFromRoot(root, kinds, fields, starts, ends, parents, subtreeEnds);
    }
    if (this.kinds.length <= maxSpareNodes) {
      spareArrays = {
        kinds: this.kinds,
        fields: this.fields,
        starts: this.starts,
        ends: this.ends,
        firstChildren,
        nextSiblings,
        sizes,
        parentsPost: this.parentsPost,
        sizeFromHere: this.sizeFromHere,
      };
    }
    if (!isSorted(this.comments)) this.comments.sort((a, b) => a.start - b.start);
    this.problems.sort((a, b) => a.start - b.start || a.end - b.end);
    return new ArrayTree(
      this.source,
      kinds,
      fields,
      starts,
      ends,
      parents,
      subtreeEnds,
      this.problems,
      this.comments,
      lines,
    );
  }

  /** Pre-order ids from the root down with an explicit stack, when some finished nodes were left out. */
  private renumberFromRoot(
    root: NodeId,
    kinds: Uint8Array,
    fields: Uint8Array,
    starts: Uint32Array,
    ends: Uint32Array,
    parents: Int32Array,
    subtreeEnds: Int32Array,
  ): void {
    // A node's pre-order id is its parent's plus one plus the sizes of the siblings before it.
    const preorder = new Int32Array(this.count);
    const stack = new Int32Array(this.count);
    let top = 0;
    stack[top++] = root;
    preorder[root] = 0;
    parents[0] = none;
    while (top > 0) {
      const old = stack[--top] as number;
      const id = preorder[old] as number;
      kinds[id] = this.kinds[old] as number;
      fields[id] = this.fields[old] as number;
      starts[id] = this.starts[old] as number;
      ends[id] = this.ends[old] as number;
      subtreeEnds[id] = id + (this.sizes[old] as number);
      let next = id + 1;
      for (let c = this.firstChildren[old] as number; c !== none; c = this.nextSiblings[c] as number) {
        preorder[c] = next;
        parents[next] = id;
        next += this.sizes[c] as number;
        stack[top++] = c;
      }
    }
  }

  private grow(): void {
    const n = this.kinds.length * 2;
    const grow8 = (a: Uint8Array) => {
      const b = new Uint8Array(n);
      b.set(a);
      return b;
    };
    const grow32 = (a: Uint32Array) => {
      const b = new Uint32Array(n);
      b.set(a);
      return b;
    };
    const growI = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.kinds = grow8(this.kinds);
    this.fields = grow8(this.fields);
    this.starts = grow32(this.starts);
    this.ends = grow32(this.ends);
    this.firstChildren = growI(this.firstChildren);
    this.nextSiblings = growI(this.nextSiblings);
    this.sizes = growI(this.sizes);
    this.parentsPost = growI(this.parentsPost);
    this.sizeFromHere = growI(this.sizeFromHere);
  }
}

function isSorted(spans: readonly Span[]): boolean {
  for (let i = 1; i < spans.length; i++) if ((spans[i]?.start ?? 0) < (spans[i - 1]?.start ?? 0)) return false;
  return true;
}
