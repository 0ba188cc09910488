// What a file declares, read once from its tree: imports, module constants, classes,
// functions and calls. Pure syntax; resolution against the workspace happens above.
import type { LibvirtModule } from '../../data/featureDb';
import {
  callArguments,
  calleeName,
  calleeNameNode,
  changeBetween,
  Field,
  NodeKind,
  textIs,
  type NodeId,
  type SyntaxTree,
} from '../syntax/index';
import { moduleRefFrom, type ImportBinding, type ModuleRef } from './moduleRefs';

const noCalls: readonly NodeId[] = [];

export interface FunctionInfo {
  readonly name: string;
  /** The function_definition node. */
  readonly node: NodeId;
  readonly className?: string;
  readonly isProperty: boolean;
  /** Statement nodes of the body. */
  readonly body: readonly NodeId[];
}

export interface FileModel {
  readonly tree: SyntaxTree;
  /** Local names bound to a libvirt python module (`libvirt`, `lv`, `libvirt_qemu`). */
  readonly libvirtModules: ReadonlyMap<string, LibvirtModule>;
  /** `from libvirt import VIR_X as Y` → Y ↦ (libvirt, VIR_X). */
  readonly libvirtImports: ReadonlyMap<string, { readonly module: LibvirtModule; readonly name: string }>;
  /** Other imported names (modules and objects that are not libvirt's), with the dotted module they come from. */
  readonly foreignImports: ReadonlyMap<string, ImportBinding>;
  /** Modules imported with `from m import *`. */
  readonly starImports: readonly ModuleRef[];
  /** Module-level `NAME = value`: the value node. */
  readonly constants: ReadonlyMap<string, NodeId>;
  readonly classes: ReadonlyMap<string, NodeId>;
  readonly functions: readonly FunctionInfo[];
  readonly functionsByName: ReadonlyMap<string, readonly FunctionInfo[]>;
  /** Every call node of the file, in document order. */
  readonly calls: readonly NodeId[];
  /** Every assignment node (`a = b`, `a: T = b`), in document order. */
  readonly assignments: readonly NodeId[];
  /** Every string literal and implicit concatenation of them (and the strings in one), in document order. */
  readonly strings: readonly NodeId[];
  /** The calls whose callee is named `name` (`f()`, `x.f()`), in document order. */
  callsNamed(name: string): readonly NodeId[];
  /** The calls whose callee's name starts with a capital A–Z (`Disk()`, `vconfig.Disk()`): constructors, in document order. */
  capitalizedCalls(): readonly NodeId[];
  /** The function (def, not lambda) whose body holds the node: its analysis unit. */
  unitOf(node: NodeId): FunctionInfo | undefined;
  functionAt(def: NodeId): FunctionInfo | undefined;
  /** How often each identifier-like word occurs in the text (strings included, comments not). */
  wordCount(word: string): number;
  /**
   * Whether the word occurs (`wordCount(word) > 0`), without counting the file's words when its
   * text does not even contain it (the usual answer, for the words the passes test to skip work).
   */
  mentions(word: string): boolean;
  /** Every identifier-like word with its count (as `wordCount`). */
  words(): WordCounts;
}

/** Parameter names of a function, in order (`self` included). */
export function parameterNames(t: SyntaxTree, fn: FunctionInfo): string[] {
  const params = t.field(fn.node, Field.Parameters);
  return (params === undefined ? [] : t.children(params)).map((p) => {
    const id = t.kind(p) === NodeKind.Identifier ? p : (t.field(p, Field.Name) ?? t.firstChild(p));
    return id === undefined ? '' : t.text(id);
  });
}

/** The argument a call passes for a function's parameter `index` (a method called on an object skips `self`). */
export function argumentFor(t: SyntaxTree, call: NodeId, fn: FunctionInfo, index: number): NodeId | undefined {
  const names = parameterNames(t, fn);
  return callArgument(t, call, names[index] ?? '', index, names[0] === 'self' || names[0] === 'cls');
}

/**
 * The argument a call passes for parameter `index` named `name`, by keyword or by position;
 * `bound`: the function's first parameter is `self` or `cls`, which a call on an object passes.
 */
export function callArgument(
  t: SyntaxTree,
  call: NodeId,
  name: string,
  index: number,
  bound: boolean,
): NodeId | undefined {
  const args = callArguments(t, call);
  const keyword = args.keyword.get(name);
  if (keyword !== undefined) return keyword;
  const callee = t.field(call, Field.Function);
  const onObject = bound && callee !== undefined && t.kind(callee) === NodeKind.Attribute;
  return args.positional[onObject ? index - 1 : index];
}

/**
 * The words the passes ask `mentions` of every analyzed file: one search of its text finds
 * them all (about a quarter of the time of searching for each; none overlaps another).
 */
const askedOfEveryFile: ReadonlySet<string> = new Set([
  'format_dom',
  'attrib',
  'Element',
  'getLibVersion',
  'getVersion',
  'XML_NAME',
]);
const askedOfEveryFilePattern = new RegExp([...askedOfEveryFile].join('|'));

/** FNV-1a over the characters of `text` from `start` to `end`: a name's hash without slicing it. */
function nameHash(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

/**
 * Counts identifier-like words by scanning the text, far cheaper than visiting every node.
 * Comments do not count; strings do (`getattr(self, '_name')` is a real use).
 */
export function countWords(text: string): Map<string, number> {
  const table = new WordTable();
  scanWords(text, 0, table, Infinity);
  return table.counts(text);
}

/**
 * Counts the words of `text` from `from` (where no string is open) into `table`, up to the
 * first line break outside a string at least `minLength` characters on (returns the offset
 * after it), or to the end of the text.
 */
function scanWords(text: string, from: number, table: WordTable, minLength: number): number {
  // A hand-written scan (it runs over every analyzed file; a regex was 5–8 % of a `check`):
  // words are ASCII identifiers; quotes open and close strings of their own kind; `#` starts a
  // comment outside a string; a backslash escapes the next character (not a line break).
  // Occurrences are counted in a table of their own, keyed by a hash of the characters and
  // compared in place: a word is sliced from the text once, not at every occurrence (slicing
  // and hashing each occurrence for a Map was most of the scan).
  const n = text.length;
  let quote = 0; // 0: none; 1 ', 2 ", 3 ''', 4 """
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isWordStart(c)) {
      let hash = Math.imul(-2128831035, 16777619) ^ c;
      let j = i + 1;
      for (let d = text.charCodeAt(j); j < n && isWordChar(d); d = text.charCodeAt(++j))
        hash = Math.imul(hash, 16777619) ^ d;
      table.add(text, i, j - i, hash);
      i = j;
    } else if (c === 39 || c === 34) {
      const triple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
      const kind = (c === 39 ? 1 : 2) + (triple ? 2 : 0);
      if (!quote) quote = kind;
      else if (quote === kind) quote = 0;
      i += triple ? 3 : 1;
    } else if (c === 35 && !quote) {
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    } else if (c === 92) {
      const d = text.charCodeAt(i + 1);
      i += i + 1 < n && d !== 10 && d !== 13 && d !== 0x2028 && d !== 0x2029 ? 2 : 1;
    } else {
      i++;
      if (c === 10 && !quote && i - from >= minLength) return i;
    }
  }
  return n;
}

/** Chunks of a document's word counts: about this long, each ending after a line break outside strings. */
const wordChunkLength = 4096;

interface WordChunk {
  readonly start: number;
  readonly end: number;
  readonly counts: ReadonlyMap<string, number>;
}

/**
 * The word counts of an edited document (the language server keeps one per open document):
 * counted by chunks that end where no string is open, so after an edit only the chunks from
 * the edit to the first unchanged chunk boundary are counted again (an edit that opens a
 * string counts on until the scan is clean at an old boundary). Equal to `countWords` of the
 * current text, entry for entry (not in the same order).
 */
export class DocumentWords {
  private text = '';
  private chunks: WordChunk[] = [];
  /** The counts are `base` with `changes` over it (0: none); a base is never changed once a view holds it. */
  private base = new Map<string, number>();
  private changes = new Map<string, number>();
  private size = 0;
  private current: WordCounts | undefined;

  /**
   * The counts of `text` (a new view for each new text: earlier analyses keep theirs). A view
   * is the shared base and a copy of the changes since it (short): not a copy of every count.
   */
  update(text: string): WordCounts {
    if (this.current && text === this.text) return this.current;
    const change = changeBetween(this.text, text);
    const delta = text.length - this.text.length;
    const old = this.chunks;
    // Chunks before the change are kept; not the last one: it may end at the text's end inside
    // an open string, so text added after it would be read in the wrong state.
    let k = 0;
    while (k < old.length - 1 && (old[k] as WordChunk).end <= change.start) k++;
    // Old chunks from which the new text's chunking may go on unchanged (their text and the
    // clean state at their start are the same, moved by delta).
    const resume = new Map<number, number>();
    for (let j = k; j < old.length; j++) {
      const c = old[j] as WordChunk;
      if (c.start >= change.oldEnd) resume.set(c.start + delta, j);
    }
    const chunks = old.slice(0, k);
    let removedTo = old.length;
    let pos = k > 0 ? (old[k - 1] as WordChunk).end : 0;
    const added: WordChunk[] = [];
    while (pos < text.length) {
      const j = pos >= change.newEnd ? resume.get(pos) : undefined;
      if (j !== undefined) {
        removedTo = j;
        for (const c of old.slice(j)) chunks.push(delta ? { ...c, start: c.start + delta, end: c.end + delta } : c);
        break;
      }
      const table = new WordTable();
      const end = scanWords(text, pos, table, wordChunkLength);
      const chunk = { start: pos, end, counts: table.counts(text) };
      added.push(chunk);
      chunks.push(chunk);
      pos = end;
    }
    const changes = new Map(this.changes);
    const adjust = (word: string, by: number): void => {
      const was = changes.get(word) ?? this.base.get(word) ?? 0;
      const now = was + by;
      if (was === 0 && now > 0) this.size++;
      else if (was > 0 && now <= 0) this.size--;
      changes.set(word, Math.max(now, 0));
    };
    for (const c of old.slice(k, removedTo)) for (const [word, n] of c.counts) adjust(word, -n);
    for (const c of added) for (const [word, n] of c.counts) adjust(word, n);
    this.text = text;
    this.chunks = chunks;
    if (changes.size > maxWordChanges) {
      // Folded into a new base (the old one stays as the earlier views hold it).
      const base = new Map(this.base);
      for (const [word, n] of changes) {
        if (n > 0) base.set(word, n);
        else base.delete(word);
      }
      this.base = base;
      this.changes = new Map();
    } else this.changes = changes;
    this.current = new CountsView(this.base, this.changes, this.size);
    return this.current;
  }
}

/** Changes a view of a document's counts carries before they are folded into a new base. */
const maxWordChanges = 2048;

/** Word counts: a Map, or a view of a document's counts (see DocumentWords). */
export interface WordCounts {
  get(word: string): number | undefined;
  readonly size: number;
  [Symbol.iterator](): Iterator<[string, number]>;
}

/** A document's counts at one text: a base and the changes over it (0: the word is gone). */
class CountsView implements WordCounts {
  constructor(
    private readonly base: ReadonlyMap<string, number>,
    private readonly changes: ReadonlyMap<string, number>,
    readonly size: number,
  ) {}

  get(word: string): number | undefined {
    const changed = this.changes.get(word);
    if (changed === undefined) return this.base.get(word);
    return changed > 0 ? changed : undefined;
  }

  *[Symbol.iterator](): Iterator<[string, number]> {
    for (const entry of this.base) if (!this.changes.has(entry[0])) yield entry;
    for (const [word, n] of this.changes) if (n > 0) yield [word, n];
  }
}

/** Word counts of a tree's text, counted elsewhere (a document's DocumentWords): not counted again. */
export function adoptWordCounts(tree: SyntaxTree, words: WordCounts): void {
  if (!wordsByTree.has(tree)) wordsByTree.set(tree, words);
}

/** Distinct words of one text by hash (open addressing): where each first occurs, its length and count. */
class WordTable {
  private mask = 1023;
  private hashes = new Int32Array(1024);
  /** The slot's word: its first start + 1 (0: an empty slot). */
  private starts = new Int32Array(1024);
  private lengths = new Int32Array(1024);
  private tallies = new Int32Array(1024);
  /** Slots in the order their words first occur (a Map keeps that order). */
  private order: number[] = [];

  add(text: string, start: number, length: number, hash: number): void {
    let slot = hash & this.mask;
    for (;;) {
      const first = this.starts[slot] ?? 0;
      if (first === 0) break;
      if (this.hashes[slot] === hash && this.lengths[slot] === length && sameWord(text, first - 1, start, length)) {
        this.tallies[slot] = (this.tallies[slot] ?? 0) + 1;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    this.hashes[slot] = hash;
    this.starts[slot] = start + 1;
    this.lengths[slot] = length;
    this.tallies[slot] = 1;
    this.order.push(slot);
    if (this.order.length * 2 > this.mask) this.grow();
  }

  counts(text: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const slot of this.order) {
      const start = (this.starts[slot] ?? 1) - 1;
      out.set(text.slice(start, start + (this.lengths[slot] ?? 0)), this.tallies[slot] ?? 0);
    }
    return out;
  }

  private grow(): void {
    const { hashes, starts, lengths, tallies, order } = this;
    const size = (this.mask + 1) * 2;
    this.mask = size - 1;
    this.hashes = new Int32Array(size);
    this.starts = new Int32Array(size);
    this.lengths = new Int32Array(size);
    this.tallies = new Int32Array(size);
    this.order = [];
    for (const old of order) {
      let slot = (hashes[old] ?? 0) & this.mask;
      while ((this.starts[slot] ?? 0) !== 0) slot = (slot + 1) & this.mask;
      this.hashes[slot] = hashes[old] ?? 0;
      this.starts[slot] = starts[old] ?? 0;
      this.lengths[slot] = lengths[old] ?? 0;
      this.tallies[slot] = tallies[old] ?? 0;
      this.order.push(slot);
    }
  }
}

function sameWord(text: string, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (text.charCodeAt(a + k) !== text.charCodeAt(b + k)) return false;
  return true;
}

const isWordStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isWordChar = (c: number): boolean => isWordStart(c) || (c >= 48 && c <= 57);

const libvirtModuleNames: Record<string, LibvirtModule> = {
  libvirt: 'libvirt',
  libvirt_qemu: 'libvirt_qemu',
  libvirt_lxc: 'libvirt_lxc',
};

export function libvirtModuleOf(dotted: string): LibvirtModule | undefined {
  return libvirtModuleNames[dotted];
}

function moduleText(t: SyntaxTree, node: NodeId | undefined): string {
  return node === undefined ? '' : t.text(node).replace(/\s+/g, '');
}

interface ImportTables {
  readonly modules: Map<string, LibvirtModule>;
  readonly imports: Map<string, { module: LibvirtModule; name: string }>;
  readonly foreign: Map<string, ImportBinding>;
  readonly stars: ModuleRef[];
}

function readImport(t: SyntaxTree, uri: string, stmt: NodeId, out: ImportTables): void {
  if (t.kind(stmt) === NodeKind.ImportStatement) {
    for (const item of t.children(stmt)) {
      const aliased = t.kind(item) === NodeKind.AliasedImport;
      const nameNode = aliased ? t.field(item, Field.Name) : item;
      const aliasNode = aliased ? t.field(item, Field.Alias) : undefined;
      const alias = aliasNode === undefined ? undefined : t.text(aliasNode);
      const dotted = moduleText(t, nameNode);
      const lv = libvirtModuleOf(dotted);
      const first = dotted.split('.')[0] ?? dotted;
      const local = alias ?? first;
      if (lv && (alias || !dotted.includes('.'))) out.modules.set(local, lv);
      else if (alias) out.foreign.set(local, { local, module: dotted });
      else out.foreign.set(local, { local, module: first });
    }
    return;
  }
  // import_from_statement
  const from = moduleText(t, t.field(stmt, Field.ModuleName));
  const lv = libvirtModuleOf(from);
  const module = moduleRefFrom(uri, from);
  if (module !== undefined && t.children(stmt).some((c) => t.kind(c) === NodeKind.WildcardImport))
    out.stars.push(module);
  for (const item of t.fieldChildren(stmt, Field.Name)) {
    const aliased = t.kind(item) === NodeKind.AliasedImport;
    const nameNode = aliased ? t.field(item, Field.Name) : item;
    const aliasNode = aliased ? t.field(item, Field.Alias) : undefined;
    const name = moduleText(t, nameNode);
    const local = aliasNode === undefined ? name : t.text(aliasNode);
    const lvName = libvirtModuleOf(name);
    if (lv) out.imports.set(local, { module: lv, name });
    else if (from === '' && lvName) out.modules.set(local, lvName);
    else if (module !== undefined) out.foreign.set(local, { local, module, name });
  }
}

/** `x = importutils.import_module('a.b')` (any receiver) binds x to module a.b. */
function importModuleCall(t: SyntaxTree, value: NodeId): string | undefined {
  if (t.kind(value) !== NodeKind.Call || calleeName(t, value) !== 'import_module') return undefined;
  const arg = callArguments(t, value).positional[0];
  if (arg === undefined || t.kind(arg) !== NodeKind.String || t.firstChild(arg) !== undefined) return undefined;
  const text = t.text(arg).replace(/^[rbuRBU]*['"]+|['"]+$/g, '');
  return /^[A-Za-z_][\w.]*$/.test(text) ? text : undefined;
}

const propertyDecorator = /^@\s*(property|functools\.cached_property|cached_property)\b/;

function isPropertyDecorated(t: SyntaxTree, def: NodeId): boolean {
  const parent = t.parent(def);
  if (parent === undefined || t.kind(parent) !== NodeKind.DecoratedDefinition) return false;
  return t.children(parent).some((d) => t.kind(d) === NodeKind.Decorator && propertyDecorator.test(t.text(d)));
}

/** Compound statements whose blocks may hold definitions (every one: a def under a loop still runs). */
const compoundKinds = new Set<NodeKind>([
  NodeKind.IfStatement,
  NodeKind.TryStatement,
  NodeKind.ForStatement,
  NodeKind.WhileStatement,
  NodeKind.WithStatement,
  NodeKind.MatchStatement,
]);

/** Clauses of compound statements; each holds its block. */
const clauseKinds = new Set<NodeKind>([
  NodeKind.ElseClause,
  NodeKind.ExceptClause,
  NodeKind.FinallyClause,
  NodeKind.ElifClause,
  NodeKind.CaseClause,
]);

function collectFunctions(
  t: SyntaxTree,
  block: NodeId,
  className: string | undefined,
  out: FunctionInfo[],
  classes: Map<string, NodeId>,
  topLevel: boolean,
  depth = 0,
): void {
  if (depth > 60) return; // definitions nested deeper are analyzed as part of their parent, if at all
  // Siblings one by one, not children lists: this visits every compound statement of the file.
  for (let raw = t.firstChild(block); raw !== undefined; raw = t.nextSibling(raw)) {
    const stmt = t.kind(raw) === NodeKind.DecoratedDefinition ? (t.field(raw, Field.Definition) ?? raw) : raw;
    const kind = t.kind(stmt);
    if (kind === NodeKind.FunctionDefinition) {
      const nameNode = t.field(stmt, Field.Name);
      const body = t.field(stmt, Field.Body);
      if (nameNode !== undefined && body !== undefined) {
        out.push({
          name: t.text(nameNode),
          node: stmt,
          ...(className ? { className } : {}),
          isProperty: isPropertyDecorated(t, stmt),
          body: t.children(body),
        });
        collectFunctions(t, body, undefined, out, classes, false, depth + 1);
      }
    } else if (kind === NodeKind.ClassDefinition) {
      const nameNode = t.field(stmt, Field.Name);
      const body = t.field(stmt, Field.Body);
      const name = nameNode === undefined ? undefined : t.text(nameNode);
      if (name && topLevel) classes.set(name, stmt);
      if (name && body !== undefined) collectFunctions(t, body, name, out, classes, false, depth + 1);
    } else if (kind === NodeKind.Block) {
      // A clause's block (visited as the clause's child) or a match statement's block of cases.
      collectFunctions(t, stmt, className, out, classes, topLevel, depth + 1);
    } else if (compoundKinds.has(kind) || clauseKinds.has(kind)) {
      // Definitions under `if six.PY2:`, `try:` or `except ImportError:` at module level are
      // still module functions; under any compound statement, still units of their own.
      for (let child = t.firstChild(stmt); child !== undefined; child = t.nextSibling(child)) {
        const ck = t.kind(child);
        if (ck === NodeKind.Block || clauseKinds.has(ck))
          collectFunctions(t, child, className, out, classes, topLevel, depth + 1);
      }
    }
  }
}

/** The `name = value` statements directly in a block (the module, a class body), in order. */
export function* blockAssignments(t: SyntaxTree, block: NodeId): Generator<{ name: string; value: NodeId }> {
  for (const stmt of t.children(block)) {
    const assign = t.kind(stmt) === NodeKind.ExpressionStatement ? t.firstChild(stmt) : undefined;
    if (assign === undefined || t.kind(assign) !== NodeKind.Assignment) continue;
    const left = t.field(assign, Field.Left);
    const value = t.field(assign, Field.Right);
    if (left !== undefined && value !== undefined && t.kind(left) === NodeKind.Identifier)
      yield { name: t.text(left), value };
  }
}

export function buildFileModel(tree: SyntaxTree, uri: string): FileModel {
  const t = tree;
  const tables: ImportTables = {
    modules: new Map<string, LibvirtModule>(Object.entries(libvirtModuleNames)),
    imports: new Map(),
    foreign: new Map(),
    stars: [],
  };
  const constants = new Map<string, NodeId>();
  const classes = new Map<string, NodeId>();
  // Imports anywhere (drivers import lazily inside functions too), every call, assignment
  // and string (the XML recognizers read those): one pass over the kinds.
  const calls: NodeId[] = [];
  const assignments: NodeId[] = [];
  const strings: NodeId[] = [];
  for (let n = 1, size = t.size; n < size; n++) {
    switch (t.kind(n)) {
      case NodeKind.Call:
        calls.push(n);
        break;
      case NodeKind.Assignment:
        assignments.push(n);
        break;
      case NodeKind.String:
      case NodeKind.ConcatenatedString:
        strings.push(n);
        break;
      case NodeKind.ImportStatement:
      case NodeKind.ImportFromStatement:
        readImport(t, uri, n, tables);
        break;
    }
  }
  for (const { name, value } of blockAssignments(t, t.root)) constants.set(name, value);
  // `libvirt = importutils.import_module('libvirt')` (often after `libvirt = None`): still the module.
  for (const [name, value] of constants) {
    if (t.kind(value) === NodeKind.None && /^libvirt/.test(name))
      tables.modules.set(name, libvirtModuleOf(name) ?? 'libvirt');
    const imported = importModuleCall(t, value);
    if (imported !== undefined && !libvirtModuleOf(imported) && !tables.foreign.has(name)) {
      tables.foreign.set(name, { local: name, module: imported });
    }
  }
  const functions: FunctionInfo[] = [];
  collectFunctions(t, t.root, undefined, functions, classes, true);
  const byName = new Map<string, FunctionInfo[]>();
  const byNode = new Map<NodeId, FunctionInfo>();
  for (const f of functions) {
    const list = byName.get(f.name);
    if (list) list.push(f);
    else byName.set(f.name, [f]);
    byNode.set(f.node, f);
  }
  let units: Int32Array | undefined;
  const unitIndex = (): Int32Array => {
    // Pre-order ids: a parent comes before its children, so one forward pass fills it.
    const u = new Int32Array(t.size).fill(-1);
    for (let id = 1; id < t.size; id++) {
      const p = t.parent(id) ?? 0;
      u[id] = t.kind(p) === NodeKind.FunctionDefinition ? p : (u[p] ?? -1);
    }
    return u;
  };
  // Calls by a hash of their callee's name, read from the text in place: building the index
  // slices no name (most files are asked for a few names only, and every call is indexed).
  // The same pass notes the calls of capitalized names (constructors), for the XML recognizers.
  let byCallee: Map<number, NodeId[]> | undefined;
  const capitalized: NodeId[] = [];
  const calleeIndex = (): Map<number, NodeId[]> => {
    const m = new Map<number, NodeId[]>();
    const source = t.source;
    for (const c of calls) {
      const id = calleeNameNode(t, c);
      if (id === undefined) continue;
      const start = t.start(id);
      const first = source.charCodeAt(start);
      if (first >= 65 && first <= 90) capitalized.push(c);
      const h = nameHash(source, start, t.end(id));
      const list = m.get(h);
      if (list) list.push(c);
      else m.set(h, [c]);
    }
    return m;
  };
  // Answers by name: a name is asked for again and again (each recognizer, each rule).
  const namedCalls = new Map<string, readonly NodeId[]>();
  const callsNamed = (name: string): readonly NodeId[] => {
    const known = namedCalls.get(name);
    if (known) return known;
    let list: readonly NodeId[] = (byCallee ??= calleeIndex()).get(nameHash(name, 0, name.length)) ?? noCalls;
    // Another name with the same hash is rare: the list is then narrowed to this name's calls.
    const named = (c: NodeId): boolean => {
      const id = calleeNameNode(t, c);
      return id !== undefined && textIs(t, id, name);
    };
    if (!list.every(named)) list = list.filter(named);
    namedCalls.set(name, list);
    return list;
  };
  let present: Set<string> | undefined;
  const found = new Map<string, boolean>();
  const contains = (text: string): boolean => {
    if (askedOfEveryFile.has(text)) {
      if (!present) {
        present = new Set<string>();
        const re = new RegExp(askedOfEveryFilePattern.source, 'g');
        for (let m = re.exec(tree.source); m; m = re.exec(tree.source)) present.add(m[0]);
      }
      return present.has(text);
    }
    let known = found.get(text);
    if (known === undefined) found.set(text, (known = tree.source.includes(text)));
    return known;
  };
  let unitQueries = 0;
  const unitQueriesBeforeIndex = Math.max(32, t.size >> 4);
  return {
    tree,
    libvirtModules: tables.modules,
    libvirtImports: tables.imports,
    foreignImports: tables.foreign,
    starImports: tables.stars,
    constants,
    classes,
    functions,
    functionsByName: byName,
    calls,
    assignments,
    strings,
    callsNamed,
    capitalizedCalls: () => {
      byCallee ??= calleeIndex();
      return capitalized;
    },
    unitOf: (node) => {
      // A few questions walk up the parents; many build the index once (a pass over the tree).
      if (!units && ++unitQueries > unitQueriesBeforeIndex) units = unitIndex();
      if (!units) {
        for (let p = t.parent(node); p !== undefined; p = t.parent(p))
          if (t.kind(p) === NodeKind.FunctionDefinition) return byNode.get(p);
        return undefined;
      }
      const def = units[node] ?? -1;
      return def < 0 ? undefined : byNode.get(def);
    },
    functionAt: (def) => byNode.get(def),
    wordCount: (word) => wordsOf(tree).get(word) ?? 0,
    mentions: (word) => (wordsByTree.has(tree) || contains(word)) && (wordsOf(tree).get(word) ?? 0) > 0,
    words: () => wordsOf(tree),
  };
}

/**
 * Word counts by tree: the index summary and the analysis of one tree read the same counts,
 * also when other files were modelled in between (the CLI indexes every file before it
 * analyzes any, and keeps the first 4 MB of trees between the two).
 */
const wordsByTree = new WeakMap<SyntaxTree, WordCounts>();

/** A tree's word counts (as `FileModel.words`), counted once per tree, without building its model. */
export function wordsOf(tree: SyntaxTree): WordCounts {
  let words = wordsByTree.get(tree);
  if (!words) wordsByTree.set(tree, (words = countWords(tree.source)));
  return words;
}

/** The last model built, with its tree and uri. */
let lastModel: { readonly tree: SyntaxTree; readonly uri: string; readonly model: FileModel } | undefined;

/**
 * The model of a tree, built once for the summary and the analysis of the same tree (the
 * editor indexes a document and then analyzes it; the model is immutable once built).
 */
export function fileModelOf(tree: SyntaxTree, uri: string): FileModel {
  if (lastModel?.tree === tree && lastModel.uri === uri) return lastModel.model;
  const model = buildFileModel(tree, uri);
  lastModel = { tree, uri, model };
  return model;
}
