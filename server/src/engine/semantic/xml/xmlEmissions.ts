// Every place a file writes libvirt XML, with the table row it writes: XML in string literals
// and templates, ElementTree/lxml builder calls, and attributes of config objects whose class
// writes them. Keyed by the node the flow walk meets (the string, the call, the assignment),
// so the walk only looks them up and records them with the path they run on. Most of it is
// left pending, with a bound on what each node can write, until something could come of it.
import { newestOf, type XmlBound, type XmlFeatureDb } from '../../../data/xmlFeatureDb';
import { calleeName, Field, NodeKind, type NodeId, type SyntaxTree } from '../../syntax/index';
import type { Range, XmlFeatureFacts } from '../../types';
import type { FileSemantics } from '../fileSemantics';
import { definesConfigClasses, fileConfigClasses } from './configClasses';
import { ConfigClassIndex, configObjectEmissions, pendingConfigObjects, withRoot } from './configObjects';
import { pendingBuilderWrites } from './elementBuilders';
import { BoundedMemo } from './boundedMemo';
import { isTestFunction, isTestModule } from '../testCode';
import { tokenizeXml } from './xmlTokenizer';
import { isTableChain, resolveXml, xpathOf, type AttrSource, type ResolvedXml, type XmlStep } from './xmlPaths';

export interface XmlEmission {
  /** The element or attribute name as written (a part of a string, a literal argument, an attribute name). */
  readonly range: Range;
  readonly feature: XmlFeatureFacts;
}

/**
 * What a file writes, by the node that writes it. In a file that defines no config class, all
 * of it can be left pending (see collectXmlEmissions): the nodes that may write are known, each
 * with a bound on what it can write, and what they write is found when one is asked for.
 */
export interface XmlEmissions {
  /** How many nodes write XML, or may (pending ones). */
  readonly size: number;
  /** Those nodes. */
  keys(): IterableIterator<NodeId>;
  /** What a node writes (when it is left pending, the file's XML is found first: all of it). */
  get(node: NodeId): readonly XmlEmission[] | undefined;
  /**
   * For a node left pending, the newest it can write on each axis (asking finds nothing, and
   * the answer stays once the XML is found); undefined when the XML was found up front.
   */
  bound(node: NodeId): XmlBound | undefined;
}

/** Emissions found, none pending. */
class FoundXmlEmissions implements XmlEmissions {
  constructor(private readonly found: ReadonlyMap<NodeId, readonly XmlEmission[]>) {}
  get size(): number {
    return this.found.size;
  }
  keys(): IterableIterator<NodeId> {
    return this.found.keys();
  }
  get(node: NodeId): readonly XmlEmission[] | undefined {
    return this.found.get(node);
  }
  bound(): undefined {
    return undefined;
  }
}

/** A file that writes no XML. */
export const noXmlEmissions: XmlEmissions = new FoundXmlEmissions(new Map());

/** Everything pending until something is asked for (see collectXmlEmissions). */
class PendingXmlEmissions implements XmlEmissions {
  private found: ReadonlyMap<NodeId, readonly XmlEmission[]> | undefined;

  constructor(
    private readonly waiting: ReadonlyMap<NodeId, XmlBound>,
    /** Everything the file writes (what collectXmlEmissions finds without leaving any pending). */
    private readonly findAll: () => ReadonlyMap<NodeId, readonly XmlEmission[]>,
  ) {}
  get size(): number {
    return this.waiting.size;
  }
  keys(): IterableIterator<NodeId> {
    return this.waiting.keys();
  }
  get(node: NodeId): readonly XmlEmission[] | undefined {
    this.found ??= this.findAll();
    return this.found.get(node);
  }
  bound(node: NodeId): XmlBound | undefined {
    return this.waiting.get(node);
  }
}

/** Calls whose string arguments are messages, not documents. */
const messageCallee =
  /^(debug|info|warning|warn|error|exception|critical|fatal|log|_|_L[EIWC]|gettext|ngettext|print|assert\w*|fail\w*)$|(Error|Exception|Warning)$/;
const unknownValue: AttrSource = { k: 'unknown' };

/**
 * Facts by resolution (a row, and how many other paths the chain could mean: the resolver
 * answers a question with the same object), by how it is written, and by config attribute:
 * the same objects for every file (they are read-only). Asked for every feature a file
 * writes, so no key is built for it.
 */
interface FactsByUse {
  builder?: XmlFeatureFacts;
  template?: XmlFeatureFacts;
  config?: Map<string, XmlFeatureFacts>;
}
const factsMemo = new WeakMap<ResolvedXml, FactsByUse>();

function factsOf(resolved: ResolvedXml, via: XmlFeatureFacts['via'], configAttribute?: string): XmlFeatureFacts {
  let byUse = factsMemo.get(resolved);
  if (!byUse) factsMemo.set(resolved, (byUse = {}));
  if (via !== 'config-attribute') return (byUse[via] ??= computeFacts(resolved, via));
  const attribute = configAttribute ?? '';
  byUse.config ??= new Map();
  let facts = byUse.config.get(attribute);
  if (!facts) {
    if (byUse.config.size >= 1000) byUse.config.clear();
    byUse.config.set(attribute, (facts = computeFacts(resolved, via, configAttribute)));
  }
  return facts;
}

function computeFacts(resolved: ResolvedXml, via: XmlFeatureFacts['via'], configAttribute?: string): XmlFeatureFacts {
  const f = resolved.feature;
  return {
    xpath: xpathOf(f),
    path: f.path,
    ...(f.attribute !== undefined ? { attribute: f.attribute } : {}),
    ...(f.value !== undefined ? { value: f.value } : {}),
    since: f.since,
    dated: f.dated,
    ...(f.qemuSince !== undefined ? { qemuSince: f.qemuSince } : {}),
    ...(f.scope !== undefined ? { scope: f.scope } : {}),
    evidence: f.evidence,
    docsUrl: f.docsUrl,
    otherPaths: resolved.otherPaths,
    via,
    ...(configAttribute !== undefined ? { configAttribute } : {}),
  };
}

/** Whether a string literal is a message or a docstring rather than a document. */
function isMessageOrDocstring(t: SyntaxTree, literal: NodeId): boolean {
  let child = literal;
  for (let p = t.parent(literal); p !== undefined; child = p, p = t.parent(p)) {
    const kind = t.kind(p);
    if (kind === NodeKind.ExpressionStatement) return true; // a docstring, or a string left alone
    if (kind === NodeKind.RaiseStatement || kind === NodeKind.AssertStatement) return true;
    if (kind === NodeKind.ArgumentList) {
      const call = t.parent(p);
      return call !== undefined && t.kind(call) === NodeKind.Call && messageCallee.test(calleeName(t, call) ?? '');
    }
    // `'...' % x`, `'...'.format(x)`, `('...')`: still the literal's own expression.
    if (kind === NodeKind.BinaryOperator || kind === NodeKind.ParenthesizedExpression) continue;
    if (kind === NodeKind.Attribute && t.fieldOf(child) === Field.Object) continue;
    if (kind === NodeKind.Call && t.fieldOf(child) === Field.Function) continue;
    return false;
  }
  return false;
}

/**
 * Every place a file writes libvirt XML. With `leavePending`, in a file that defines no config
 * class, it is left pending (see XmlEmissions): the nodes that may write, each with the newest
 * row it can resolve to (an upper bound, from names alone: XmlFeatureDb.bound), and nothing
 * found until something is asked for; then all of it, as without (the same emissions, in the
 * same order: finding all at once keeps the answers independent of what is asked first). The
 * findings need only XML newer than a path's lower bound (or on an untested path, or in a
 * gate: see FlowWalker.xmlMatters), which most files never write.
 */
export function collectXmlEmissions(sem: FileSemantics, db: XmlFeatureDb, leavePending = false): XmlEmissions {
  // Test code writes XML as expected output and fixtures, not for a host: it emits nothing.
  if (isTestModule(sem.uri)) return noXmlEmissions;
  if (!leavePending || definesConfigClasses(sem)) return new FoundXmlEmissions(findEmissions(sem, db));
  const waiting = new Map<NodeId, XmlBound>();
  const note = (node: NodeId, b: XmlBound): void => void waiting.set(node, newestOf(waiting.get(node), b));
  if (sem.tree.source.includes('<')) pendingTemplates(sem, db, note);
  pendingBuilderWrites(sem, db, note);
  pendingConfigObjects(sem, db, note);
  return waiting.size ? new PendingXmlEmissions(waiting, () => findEmissions(sem, db)) : noXmlEmissions;
}

/** What a file writes. */
function findEmissions(sem: FileSemantics, db: XmlFeatureDb): Map<NodeId, XmlEmission[]> {
  const out = new Map<NodeId, XmlEmission[]>();
  const t = sem.tree;
  const text = t.source;
  const testFunctions = new Map<NodeId, boolean>();
  const inTestCode = (node: NodeId): boolean => {
    const fn = sem.functionOf(node);
    if (!fn) return false;
    let known = testFunctions.get(fn.node);
    if (known === undefined) testFunctions.set(fn.node, (known = isTestFunction(fn)));
    return known;
  };
  // A feature is written once per node and place: a short list is searched, a long one (a
  // large literal's: thousands of elements) keeps a set of what it holds, else adding is quadratic.
  const keyOf = (e: XmlEmission): string => `${e.range.start.line}:${e.range.start.character}:${e.feature.xpath}`;
  const held = new Map<NodeId, Set<string>>();
  const add = (node: NodeId, range: Range, facts: XmlFeatureFacts): void => {
    if (inTestCode(node)) return;
    const list = out.get(node);
    const e: XmlEmission = { range, feature: facts };
    if (!list) {
      out.set(node, [e]);
      return;
    }
    if (list.length < 16) {
      if (
        !list.some(
          (o) =>
            o.feature.xpath === facts.xpath &&
            o.range.start.character === range.start.character &&
            o.range.start.line === range.start.line,
        )
      )
        list.push(e);
      return;
    }
    let keys = held.get(node);
    if (!keys) held.set(node, (keys = new Set(list.map(keyOf))));
    const key = keyOf(e);
    if (keys.has(key)) return;
    keys.add(key);
    list.push(e);
  };
  if (text.includes('<')) templateEmissions(sem, db, add);
  const found = fileConfigClasses(sem);
  const classes = new ConfigClassIndex(sem, found.classes);
  for (const w of found.writes) {
    // A config class's writes are its format: they count where its objects are made and set.
    if (classes.insideConfigClass(w.node)) continue;
    // Outside a config class, `self.root_name` names no element: such a chain is not placed.
    const chain = withRoot(w.chain, undefined);
    const resolved = chain && resolveXml(db, chain, w.attribute, w.value?.k === 'literal' ? w.value.value : undefined);
    if (resolved) add(w.node, t.range(w.nameNode), factsOf(resolved, 'builder'));
  }
  configObjectEmissions(sem, db, classes, (node, range, resolved, configAttribute) =>
    add(node, range, factsOf(resolved, 'config-attribute', configAttribute)),
  );
  // Oldest first, an element before its attributes: rules take the first newest, hovers the last.
  const rank = (e: XmlEmission): number => (e.feature.attribute === undefined ? 0 : 1);
  const order = (a: XmlEmission, b: XmlEmission): number => a.feature.since - b.feature.since || rank(a) - rank(b);
  // A stable insertion sort in place: the lists are short and mostly in order (a builder writes
  // the element, then its attributes), and Array.prototype.sort allocates a copy each time. A
  // long list (a large literal's) is left to Array.prototype.sort, which is not quadratic.
  for (const list of out.values())
    if (list.length > 32) list.sort(order);
    else
      for (let i = 1; i < list.length; i++) {
        const e = list[i] as XmlEmission;
        let j = i - 1;
        for (; j >= 0 && order(list[j] as XmlEmission, e) > 0; j--) list[j + 1] = list[j] as XmlEmission;
        list[j + 1] = e;
      }
  return out;
}

type Add = (node: NodeId, range: Range, facts: XmlFeatureFacts) => void;

/** An element or attribute name of a literal, as offsets from the literal's start, and its row. */
interface LiteralFeature {
  readonly start: number;
  readonly end: number;
  readonly facts: XmlFeatureFacts;
}

/** Features by a literal's source text: an edit elsewhere leaves them alike. */
const literalMemos = new WeakMap<XmlFeatureDb, BoundedMemo<string, readonly LiteralFeature[]>>();

/** Elements and attributes of one XML literal, placed by its own nesting: where each name is (from its start), and its row. */
function literalFeatures(t: SyntaxTree, db: XmlFeatureDb, literal: NodeId): readonly LiteralFeature[] {
  const base = t.start(literal);
  let memo = literalMemos.get(db);
  if (!memo) literalMemos.set(db, (memo = new BoundedMemo(5_000)));
  // The literal's source text says what its parts are and where they start (a concatenation's
  // parts and what lies between them): the key, with no parts listed unless it is new.
  return memo.get(t.text(literal), () =>
    computeLiteralFeatures(
      db,
      (t.kind(literal) === NodeKind.ConcatenatedString ? t.children(literal) : [literal]).map((p) => ({
        text: t.text(p),
        start: t.start(p) - base,
      })),
    ),
  );
}

function computeLiteralFeatures(db: XmlFeatureDb, parts: readonly { text: string; start: number }[]): LiteralFeature[] {
  const out: LiteralFeature[] = [];
  const chains: (XmlStep[] | undefined)[] = [];
  for (const tok of tokenizeXml(parts)) {
    const parentChain = tok.parent < 0 ? [] : chains[tok.parent];
    if (tok.name === undefined || parentChain === undefined) {
      chains.push(undefined);
      continue;
    }
    const attrs: Record<string, AttrSource> = {};
    for (const a of tok.attributes)
      if (a.name !== '__proto__')
        attrs[a.name] = a.value === undefined ? unknownValue : { k: 'literal', value: a.value };
    const chain = [...parentChain, { name: tok.name, attrs }];
    if (!isTableChain(db, chain)) {
      chains.push(undefined); // not libvirt XML (or not in the table): nothing under it is placed
      continue;
    }
    chains.push(chain);
    const el = resolveXml(db, chain);
    if (el) out.push({ start: tok.start, end: tok.end, facts: factsOf(el, 'template') });
    for (const a of tok.attributes) {
      const r = resolveXml(db, chain, a.name, a.value);
      if (r) out.push({ start: a.start, end: a.end, facts: factsOf(r, 'template') });
    }
  }
  return out;
}

/** `NAME = '<...>'` at module level: the template is written where functions use NAME, not where it is defined. */
function moduleTemplateName(t: SyntaxTree, literal: NodeId): NodeId | undefined {
  const assignment = t.parent(literal);
  const stmt = assignment === undefined ? undefined : t.parent(assignment);
  if (assignment === undefined || stmt === undefined || t.kind(assignment) !== NodeKind.Assignment) return undefined;
  if (t.fieldOf(literal) !== Field.Right || t.parent(stmt) !== t.root) return undefined;
  const left = t.field(assignment, Field.Left);
  return left !== undefined && t.kind(left) === NodeKind.Identifier ? left : undefined;
}

/** What XML literals write, by the node that writes it (the literal, or a use of a module-level template's name). */
type TemplateVisit = (node: NodeId, literal: NodeId, features: readonly LiteralFeature[]) => void;

/** XML string literals: at the literal, or for a module-level template at each use of its name. */
function templateEmissions(sem: FileSemantics, db: XmlFeatureDb, add: Add): void {
  const t = sem.tree;
  visitTemplates(sem, db, (node, literal, features) => {
    const base = t.start(literal);
    const at = node === literal ? undefined : t.range(node);
    for (const f of features) add(node, at ?? t.lines.range(base + f.start, base + f.end), f.facts);
  });
}

/** Where XML literals write, each with the newest row it writes (see collectXmlEmissions). */
function pendingTemplates(sem: FileSemantics, db: XmlFeatureDb, note: (node: NodeId, bound: XmlBound) => void): void {
  visitTemplates(sem, db, (node, _literal, features) => {
    let libvirt = 0;
    let qemu = 0;
    for (const { facts } of features) {
      libvirt = Math.max(libvirt, facts.since);
      qemu = Math.max(qemu, facts.qemuSince ?? 0);
    }
    note(node, { libvirt, qemu });
  });
}

function visitTemplates(sem: FileSemantics, db: XmlFeatureDb, visit: TemplateVisit): void {
  const t = sem.tree;
  let identifiers: NodeId[] | undefined;
  const literal = (n: NodeId): void => {
    const parent = t.parent(n);
    if (t.kind(n) === NodeKind.String && parent !== undefined && t.kind(parent) === NodeKind.ConcatenatedString) return;
    if (isMessageOrDocstring(t, n)) return;
    const features = literalFeatures(t, db, n);
    if (!features.length) return;
    const name = moduleTemplateName(t, n);
    if (name === undefined) {
      visit(n, n, features);
      return;
    }
    identifiers ??= t.descendantsOfKind(t.root, NodeKind.Identifier);
    for (const use of identifiers) {
      if (use === name || t.text(use) !== t.text(name) || t.fieldOf(use) === Field.Attribute) continue;
      visit(use, n, features);
    }
  };
  // Only strings that hold a '<' are read, found from the '<'s rather than by visiting every
  // string. Strings come in document order, so their starts rise: the strings that hold the
  // next '<' are the last one that starts at or before it and those it is nested in (an
  // f-string's). A string before them ends before the '<', so it holds none at all.
  const strings = sem.model.strings;
  const holding: NodeId[] = [];
  for (let i = 0; i < strings.length;) {
    const first = strings[i] ?? 0;
    const lt = t.source.indexOf('<', t.start(first));
    if (lt < 0) break;
    let lo = i;
    let hi = strings.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (t.start(strings[mid] ?? 0) <= lt) lo = mid + 1;
      else hi = mid;
    }
    holding.length = 0;
    for (let n: NodeId | undefined = strings[lo - 1]; n !== undefined && n >= first; n = t.parent(n)) {
      const kind = t.kind(n);
      if ((kind === NodeKind.String || kind === NodeKind.ConcatenatedString) && t.end(n) > lt) holding.push(n);
    }
    for (let k = holding.length - 1; k >= 0; k--) literal(holding[k] ?? 0);
    i = lo;
  }
}
