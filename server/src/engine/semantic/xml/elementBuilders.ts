// ElementTree and lxml builders: `etree.Element('memoryBacking')`, `etree.SubElement(parent,
// 'page', size=...)`, `el.set('discard', ...)`, `el.attrib['x'] = ...`, `parent.append(child)`.
// Which element an expression holds is found through the variables that hold it, the
// parameters of local helpers (from their call sites), local factories (`self._new_node('x')`)
// and a config class's root (`super().format_dom()`, `etree.Element(self.root_name)`). Each
// write knows the config-object attributes it depends on (`if self.driver_discard:` around it,
// or the value `self.driver_discard`), so a config class can say what assigning one emits.
import { callArguments, calleeName, Field, NodeKind, unparen, type NodeId, type SyntaxTree } from '../../syntax/index';
import { newestOf, type XmlBound, type XmlFeatureDb } from '../../../data/xmlFeatureDb';
import type { FileSemantics } from '../fileSemantics';
import { argumentFor, callArgument, parameterNames, type FunctionInfo } from '../fileModel';
import { literalValue, selfAttribute, selfAttributesIn, stringValue, valueSource } from './literals';
import { rootStep, type AttrSource, type XmlStep } from './xmlPaths';

/** A config-object attribute a write happens only with: set at all, or (`equals`) set to that literal. */
export interface Dependency {
  readonly attr: string;
  readonly equals?: string;
}

/** An element the code builds: its chain from the outermost element in view, and what it exists only with. */
export interface ElementRef {
  readonly chain: readonly XmlStep[];
  readonly deps: readonly Dependency[];
}

/** One XML write: an element created under its parent, or an attribute set on an element. */
export interface BuilderWrite {
  /** The node the flow walk meets it at: the call, or the `el.attrib[...] = ...` assignment. */
  readonly node: NodeId;
  /** The element or attribute name as written (the hover and the finding are there). */
  readonly nameNode: NodeId;
  /** The element, itself included. */
  readonly chain: readonly XmlStep[];
  readonly attribute?: string;
  readonly value?: AttrSource;
  readonly deps: readonly Dependency[];
  /** The class whose method holds the write. */
  readonly className?: string;
}

/**
 * A function that creates an element and returns it (a factory: `def sub(parent, name,
 * attrs=None): el = etree.SubElement(parent, name); ...; return el`): which of its parameters
 * names the tag, which holds the parent, which the attributes (passed on as `attrib`, or set
 * one by one: `for k, v in attrs.items(): el.set(k, v)`). Indexes into `params`. Plain data:
 * the workspace summary keeps those of module-level functions, for calls from other files.
 */
export interface ElementFactory {
  readonly params: readonly string[];
  readonly tag: number;
  readonly parent?: number;
  readonly attrib?: number;
}

const creators = new Set(['Element', 'SubElement']);

/** The arguments an element is made from. */
interface CreationArguments {
  readonly tag?: NodeId;
  readonly parent?: NodeId;
  readonly attrib?: NodeId;
}

/** `Element(tag, attrib, **extra)` and `SubElement(_parent, _tag, attrib, **extra)`, by keyword or position. */
function creatorArguments(args: ReturnType<typeof callArguments>, sub: boolean): CreationArguments {
  const kw = args.keyword;
  const pos = args.positional;
  const tag = kw.get(sub ? '_tag' : 'tag') ?? pos[sub ? 1 : 0];
  const parent = sub ? (kw.get('_parent') ?? pos[0]) : undefined;
  const attrib = kw.get('attrib') ?? pos[sub ? 2 : 1];
  return {
    ...(tag !== undefined ? { tag } : {}),
    ...(parent !== undefined ? { parent } : {}),
    ...(attrib !== undefined ? { attrib } : {}),
  };
}

/** The arguments a call of a factory passes for its tag, parent and attributes (`arg`: the argument for a parameter index). */
function factoryArguments(factory: ElementFactory, arg: (index: number) => NodeId | undefined): CreationArguments {
  const tag = arg(factory.tag);
  const parent = factory.parent === undefined ? undefined : arg(factory.parent);
  const attrib = factory.attrib === undefined ? undefined : arg(factory.attrib);
  return {
    ...(tag !== undefined ? { tag } : {}),
    ...(parent !== undefined ? { parent } : {}),
    ...(attrib !== undefined ? { attrib } : {}),
  };
}
const appenderNames = ['append', 'insert'];
const appenders = new Set(appenderNames);
const setOnly = ['set'];

/** The index of the first id in `sorted` above `id`. */
function firstAfter(sorted: readonly NodeId[], id: NodeId): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? 0) <= id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The ids of `sorted` (ascending, in document order) in the subtree of `root`; all of them without one. */
export function idsInSubtree(t: SyntaxTree, sorted: readonly NodeId[], root: NodeId | undefined): readonly NodeId[] {
  if (root === undefined) return sorted;
  return sorted.slice(firstAfter(sorted, root), firstAfter(sorted, t.subtreeEnd(root) - 1));
}
/** The element a tag-name argument names: a literal, a module constant, or the config class's root. */
function tagNameOf(sem: FileSemantics, node: NodeId): string | undefined {
  const t = sem.tree;
  const n = unparen(t, node);
  const attr = selfAttribute(t, n);
  if (attr === 'root_name') return rootStep;
  const literal = literalValue(sem.model, n);
  return literal !== undefined && /^[A-Za-z_][\w.:-]*$/.test(literal) ? literal : undefined;
}

/** `recv.attrib['name'] = value`: the receiver, the name's node and the name (a string literal). */
function attribAssignment(
  t: SyntaxTree,
  assignment: NodeId,
): { recv: NodeId; key: NodeId; attribute: string } | undefined {
  const left = t.field(assignment, Field.Left);
  if (left === undefined || t.kind(left) !== NodeKind.Subscript) return undefined;
  const target = t.field(left, Field.Value);
  const key = t.field(left, Field.Subscript);
  if (target === undefined || key === undefined || t.kind(target) !== NodeKind.Attribute) return undefined;
  const attrNode = t.field(target, Field.Attribute);
  const recv = t.field(target, Field.Object);
  if (attrNode === undefined || recv === undefined || t.text(attrNode) !== 'attrib') return undefined;
  const attribute = stringValue(t, key);
  return attribute === undefined ? undefined : { recv, key, attribute };
}

/** Keyword arguments of Element/SubElement that are not XML attributes. */
const notAttributes = new Set(['attrib', 'nsmap', 'tag', 'parent', '_parent', '_tag']);
const maxDepth = 6;

function mergeDeps(...lists: (readonly Dependency[])[]): Dependency[] {
  const out: Dependency[] = [];
  for (const list of lists)
    for (const d of list) if (!out.some((o) => o.attr === d.attr && o.equals === d.equals)) out.push(d);
  return out;
}

/** The dependencies a condition states: `self.x`, `self.x is not None`, `self.x == 'lit'`. */
function conditionDeps(sem: FileSemantics, cond: NodeId): Dependency[] {
  const t = sem.tree;
  const n = unparen(t, cond);
  const kind = t.kind(n);
  if (kind === NodeKind.NotOperator) return []; // `if not self.x:` runs without it
  if (kind === NodeKind.BooleanOperator) {
    const left = t.field(n, Field.Left);
    const right = t.field(n, Field.Right);
    return [
      ...(left === undefined ? [] : conditionDeps(sem, left)),
      ...(right === undefined ? [] : conditionDeps(sem, right)),
    ];
  }
  if (kind === NodeKind.ComparisonOperator) {
    const [left, right] = t.children(n).filter((c) => t.kind(c) !== NodeKind.Operator);
    const op = t.field(n, Field.Operators);
    const attr = left === undefined ? undefined : selfAttribute(t, left);
    const lit = right === undefined ? undefined : literalValue(sem.model, right);
    if (attr !== undefined && lit !== undefined && op !== undefined && t.text(op) === '==')
      return [{ attr, equals: lit }];
  }
  return selfAttributesIn(t, n).map((attr) => ({ attr }));
}

/** An element creation: the element, its name argument, its attribute arguments and their values. */
interface Creation {
  readonly ref: ElementRef;
  readonly nameNode: NodeId;
  readonly attributeNodes: readonly { readonly name: string; readonly node: NodeId }[];
  readonly values: ReadonlyMap<string, AttrSource>;
}

/** A unit's calls and attributes, indexed when first asked for (see ElementTracker.unitOf). */
interface UnitCalls {
  readonly unit: NodeId | undefined;
  /** `set` calls by receiver variable. */
  setCalls?: Map<string, NodeId[]>;
  /** `append`/`insert` calls by argument variable. */
  appendCalls?: Map<string, NodeId[]>;
  /** The literal attributes `set` on a variable (see setAttrsOf). */
  setAttrs?: Map<string, Record<string, AttrSource>>;
}

export class ElementTracker {
  private readonly t: SyntaxTree;
  private readonly elements = new Map<NodeId, ElementRef | null>();
  /**
   * Creations by call: a parent element is asked for by its write and by each child's. Like
   * `elements`, the first answer stands whatever the depth it was asked at.
   */
  private readonly creations = new Map<NodeId, Creation | null>();
  private readonly busy = new Set<NodeId>();
  /** What is indexed per unit (function node, -1 for the module), made when first asked. */
  private readonly units = new Map<number, UnitCalls>();
  private callSitesByFunction: Map<NodeId, NodeId[]> | undefined;
  private readonly factories = new Map<NodeId, ElementFactory | null>();
  /** Names of other files' module-level factories (a call of one may create an element). */
  private readonly remoteFactoryNames: ReadonlySet<string>;

  constructor(private readonly sem: FileSemantics) {
    this.t = sem.tree;
    this.remoteFactoryNames = new Set(sem.workspace.elementFactoryNames());
  }

  // ---- writes --------------------------------------------------------------------------------

  /** Every XML write of the file, in document order. */
  writes(): BuilderWrite[] {
    const t = this.t;
    const out: BuilderWrite[] = [];
    // Only `set`, Element, SubElement and local functions (factories) can write: their calls, in document order.
    const model = this.sem.model;
    const candidates = [...model.callsNamed('set'), ...model.callsNamed('Element'), ...model.callsNamed('SubElement')];
    for (const name of model.functionsByName.keys())
      if (name !== 'set' && !creators.has(name)) for (const c of model.callsNamed(name)) candidates.push(c);
    for (const name of this.remoteFactoryNames)
      if (name !== 'set' && !creators.has(name) && !model.functionsByName.has(name))
        for (const c of model.callsNamed(name)) candidates.push(c);
    candidates.sort((a, b) => a - b);
    for (const call of candidates) {
      if (calleeName(t, call) === 'set') this.setWrite(call, out);
      else this.creationWrites(call, out);
    }
    if (model.mentions('attrib')) for (const a of model.assignments) this.attribWrite(a, out);
    return out;
  }

  private className(node: NodeId): string | undefined {
    return this.sem.functionOf(node)?.className;
  }

  private creationWrites(call: NodeId, out: BuilderWrite[]): void {
    const created = this.creation(call);
    if (!created) return;
    const className = this.className(call);
    const chain = created.ref.chain;
    const deps = this.depsAt(call, created.ref.deps);
    // Plain literals, not spreads: this runs for every element a driver builds.
    const write = (nameNode: NodeId, attribute?: string, value?: AttrSource, writeDeps = deps): BuilderWrite => {
      const w: { -readonly [K in keyof BuilderWrite]: BuilderWrite[K] } = {
        node: call,
        nameNode,
        chain,
        deps: writeDeps,
      };
      if (attribute !== undefined) w.attribute = attribute;
      if (value) w.value = value;
      if (className) w.className = className;
      return w;
    };
    out.push(write(created.nameNode));
    for (const a of created.attributeNodes) {
      const value = created.values.get(a.name);
      out.push(write(a.node, a.name, value, value?.k === 'self' ? mergeDeps(deps, [{ attr: value.attr }]) : deps));
    }
  }

  private setWrite(call: NodeId, out: BuilderWrite[]): void {
    const t = this.t;
    const fn = t.field(call, Field.Function);
    const recv = fn !== undefined && t.kind(fn) === NodeKind.Attribute ? t.field(fn, Field.Object) : undefined;
    const [nameArg, valueArg] = callArguments(t, call).positional;
    if (recv === undefined || nameArg === undefined) return;
    const attribute = stringValue(t, nameArg);
    if (attribute === undefined) return;
    const el = this.elementOf(recv);
    if (!el) return;
    this.attributeWrite(call, nameArg, el, attribute, valueArg, out);
  }

  /** `el.attrib['name'] = value`. */
  private attribWrite(assignment: NodeId, out: BuilderWrite[]): void {
    const write = attribAssignment(this.t, assignment);
    const el = write && this.elementOf(write.recv);
    if (!write || !el) return;
    this.attributeWrite(assignment, write.key, el, write.attribute, this.t.field(assignment, Field.Right), out);
  }

  private attributeWrite(
    node: NodeId,
    nameNode: NodeId,
    el: ElementRef,
    attribute: string,
    valueNode: NodeId | undefined,
    out: BuilderWrite[],
  ): void {
    const value = valueNode === undefined ? undefined : valueSource(this.sem.model, valueNode);
    const className = this.className(node);
    out.push({
      node,
      nameNode,
      chain: el.chain,
      attribute,
      ...(value ? { value } : {}),
      deps: mergeDeps(this.depsAt(node, el.deps), value?.k === 'self' ? [{ attr: value.attr }] : []),
      ...(className ? { className } : {}),
    });
  }

  // ---- elements ------------------------------------------------------------------------------

  /** The element an expression holds, if the code of this file builds it. */
  elementOf(expr: NodeId, depth = 0): ElementRef | undefined {
    const n = unparen(this.t, expr);
    const cached = this.elements.get(n);
    if (cached !== undefined) return cached ?? undefined;
    if (this.busy.has(n) || depth > maxDepth) return undefined;
    this.busy.add(n);
    try {
      const ref = this.computeElement(n, depth);
      this.elements.set(n, ref ?? null);
      return ref;
    } finally {
      this.busy.delete(n);
    }
  }

  private computeElement(n: NodeId, depth: number): ElementRef | undefined {
    const t = this.t;
    const kind = t.kind(n);
    if (kind === NodeKind.Call) {
      const created = this.creation(n, depth);
      if (created) return created.ref;
      if (this.isSuperFormatDom(n)) return { chain: [{ name: rootStep, attrs: this.setAttrsOf(n) }], deps: [] };
      const fn = this.sem.localFunction(n);
      if (fn) {
        for (const r of this.returnValues(fn)) {
          const el = this.elementOf(r, depth + 1);
          if (el) return el;
        }
      }
      return undefined;
    }
    if (kind !== NodeKind.Identifier) return undefined;
    const name = t.text(n);
    const fn = this.sem.functionOf(n);
    if (!fn) {
      const bound = this.sem.model.constants.get(name);
      return bound === undefined ? undefined : this.elementOf(bound, depth + 1);
    }
    const bindings = this.sem.localBindings(name, n);
    const assigned = bindings.filter((b) => b.kind === 'assign');
    // The last assignment before the use (a loop may use a later one: then the first).
    const before = assigned.filter((b) => t.start(b.expr) < t.start(n));
    const pick = before[before.length - 1] ?? assigned[0];
    if (pick) return this.elementOf(pick.expr, depth + 1);
    const param = bindings.find((b) => b.kind === 'param');
    return param ? this.parameterElement(fn, name, depth) : undefined;
  }

  /** `super().format_dom()` / `super(Cls, self).format_dom()`: the config class's root element. */
  private isSuperFormatDom(call: NodeId): boolean {
    const t = this.t;
    const fn = t.field(call, Field.Function);
    if (fn === undefined || t.kind(fn) !== NodeKind.Attribute) return false;
    const obj = t.field(fn, Field.Object);
    const attr = t.field(fn, Field.Attribute);
    return (
      attr !== undefined &&
      t.text(attr) === 'format_dom' &&
      obj !== undefined &&
      t.kind(obj) === NodeKind.Call &&
      calleeName(t, obj) === 'super'
    );
  }

  /** A parameter of a local helper: the element its call sites pass (the first that resolves). */
  private parameterElement(fn: FunctionInfo, name: string, depth: number): ElementRef | undefined {
    const index = parameterNames(this.t, fn).indexOf(name);
    if (index < 0) return undefined;
    for (const site of this.callSites(fn)) {
      const arg = argumentFor(this.t, site, fn, index);
      const el = arg === undefined ? undefined : this.elementOf(arg, depth + 1);
      if (el) return { chain: el.chain, deps: this.depsAt(site, el.deps) };
    }
    return undefined;
  }

  private callSites(fn: FunctionInfo): readonly NodeId[] {
    this.callSitesByFunction ??= new Map();
    let known = this.callSitesByFunction.get(fn.node);
    if (!known) {
      known = this.sem.model.callsNamed(fn.name).filter((call) => this.sem.localFunction(call)?.node === fn.node);
      this.callSitesByFunction.set(fn.node, known);
    }
    return known;
  }

  private returnValues(fn: FunctionInfo): NodeId[] {
    const t = this.t;
    const body = t.field(fn.node, Field.Body);
    if (body === undefined) return [];
    const out: NodeId[] = [];
    for (const r of t.descendantsOfKind(body, NodeKind.ReturnStatement)) {
      const v = t.firstChild(r);
      if (v !== undefined && this.sem.functionOf(r)?.node === fn.node) out.push(v);
    }
    return out;
  }

  /** The per-unit indexes of the unit that holds `node`. */
  private unitOf(node: NodeId): UnitCalls {
    const unit = this.sem.functionOf(node)?.node;
    const key = unit ?? -1;
    let known = this.units.get(key);
    if (!known) this.units.set(key, (known = { unit }));
    return known;
  }

  /**
   * The calls named one of `names` in a unit (its own, not those of functions nested in it), in
   * document order.
   */
  private unitCallsNamed(unit: NodeId | undefined, names: readonly string[]): NodeId[] {
    const known: NodeId[] = [];
    // The unit's calls lie in its subtree (not those of functions nested in it).
    for (const name of names)
      for (const c of idsInSubtree(this.t, this.sem.model.callsNamed(name), unit))
        if (this.sem.functionOf(c)?.node === unit) known.push(c);
    if (names.length > 1) known.sort((a, b) => a - b);
    return known;
  }

  /** The variable an expression is assigned to (`dev = <expr>`), if any. */
  private assignedName(expr: NodeId): string | undefined {
    const t = this.t;
    const parent = t.parent(expr);
    if (parent === undefined || t.kind(parent) !== NodeKind.Assignment || t.fieldOf(expr) !== Field.Right)
      return undefined;
    const left = t.field(parent, Field.Left);
    return left !== undefined && t.kind(left) === NodeKind.Identifier ? t.text(left) : undefined;
  }

  /**
   * The calls of a unit named one of `names`, by the name of a variable they take: the receiver
   * (`dev.set(...)`: dev) or, with `byArgument`, a plain-name argument (`parent.append(dev)`:
   * dev). Indexed once per unit, not searched for every element.
   */
  private callsByName(unit: NodeId | undefined, names: readonly string[], byArgument: boolean): Map<string, NodeId[]> {
    const index = new Map<string, NodeId[]>();
    const t = this.t;
    const note = (name: string, call: NodeId): void => {
      const list = index.get(name);
      if (!list) index.set(name, [call]);
      else if (list[list.length - 1] !== call) list.push(call);
    };
    for (const c of this.unitCallsNamed(unit, names)) {
      if (byArgument) {
        for (const a of callArguments(t, c).positional) if (t.kind(a) === NodeKind.Identifier) note(t.text(a), c);
        continue;
      }
      const fn = t.field(c, Field.Function);
      const recv = fn === undefined ? undefined : t.field(fn, Field.Object);
      if (recv !== undefined && t.kind(recv) === NodeKind.Identifier) note(t.text(recv), c);
    }
    return index;
  }

  /** Literal attributes set later on the variable that holds the element (`dev.set('type', ...)`): for predicates. */
  private setAttrsOf(expr: NodeId): Record<string, AttrSource> {
    const name = this.assignedName(expr);
    if (name === undefined) return {};
    const unit = this.unitOf(expr);
    unit.setAttrs ??= new Map();
    let known = unit.setAttrs.get(name);
    if (!known) {
      known = {};
      const t = this.t;
      unit.setCalls ??= this.callsByName(unit.unit, setOnly, false);
      for (const c of unit.setCalls.get(name) ?? []) {
        const [k, value] = callArguments(t, c).positional;
        const attr = k === undefined ? undefined : stringValue(t, k);
        if (attr !== undefined && value !== undefined && attr !== '__proto__')
          known[attr] = valueSource(this.sem.model, value);
      }
      unit.setAttrs.set(name, known);
    }
    // A copy: the caller adds the creation's own attributes.
    return { ...known };
  }

  /** The parent an `Element(...)` is appended to: inline (`p.append(Element(...))`) or through its variable. */
  private containerOf(call: NodeId, depth: number): ElementRef | undefined {
    const t = this.t;
    const args = t.parent(call);
    const outer = args === undefined ? undefined : t.parent(args);
    if (args !== undefined && outer !== undefined && t.kind(args) === NodeKind.ArgumentList) {
      if (appenders.has(calleeName(t, outer) ?? '')) return this.receiverElement(outer, depth);
      return undefined;
    }
    const name = this.assignedName(call);
    if (name === undefined) return undefined;
    const unit = this.unitOf(call);
    unit.appendCalls ??= this.callsByName(unit.unit, appenderNames, true);
    for (const c of unit.appendCalls.get(name) ?? []) {
      const parent = this.receiverElement(c, depth);
      if (parent) return parent;
    }
    return undefined;
  }

  private receiverElement(call: NodeId, depth: number): ElementRef | undefined {
    const t = this.t;
    const fn = t.field(call, Field.Function);
    const recv = fn !== undefined && t.kind(fn) === NodeKind.Attribute ? t.field(fn, Field.Object) : undefined;
    return recv === undefined ? undefined : this.elementOf(recv, depth + 1);
  }

  private tagName(node: NodeId): string | undefined {
    return tagNameOf(this.sem, node);
  }

  /**
   * An element creation: `Element(tag, attrib, **attrs)`, `SubElement(parent, tag, attrib, **attrs)`,
   * or a call of a local factory that passes one of its parameters as the tag.
   */
  private creation(call: NodeId, depth = 0): Creation | undefined {
    const known = this.creations.get(call);
    if (known !== undefined) return known ?? undefined;
    const created = this.computeCreation(call, depth);
    this.creations.set(call, created ?? null);
    return created;
  }

  private computeCreation(call: NodeId, depth: number): Creation | undefined {
    const t = this.t;
    const name = calleeName(t, call);
    // Only Element, SubElement and factories create elements: nothing else is looked at.
    if (
      !name ||
      (!creators.has(name) && !this.sem.model.functionsByName.has(name) && !this.remoteFactoryNames.has(name))
    )
      return undefined;
    const args = callArguments(t, call);
    let made: CreationArguments;
    /** A factory's parameters: keywords that name one are its arguments, not attributes. */
    let factoryParams: readonly string[] = [];
    if (creators.has(name)) {
      made = creatorArguments(args, name === 'SubElement');
      if (name === 'SubElement' && made.parent === undefined) return undefined;
    } else {
      const fn = this.sem.localFunction(call);
      const factory = fn ? this.factoryOf(fn) : this.sem.remoteElementFactory(call);
      if (factory === undefined) return undefined;
      // A local method called on an object skips `self`; another file's factory is a module function.
      made = factoryArguments(factory, (index) =>
        fn ? argumentFor(t, call, fn, index) : callArgument(t, call, factory.params[index] ?? '', index, false),
      );
      factoryParams = factory.params;
    }
    const { tag: tagArg, parent: parentArg, attrib: attribArg } = made;
    if (tagArg === undefined) return undefined;
    const tag = this.tagName(tagArg);
    if (tag === undefined) return undefined;
    const attributeNodes: { name: string; node: NodeId }[] = [];
    const values = new Map<string, AttrSource>();
    if (attribArg !== undefined && t.kind(unparen(t, attribArg)) === NodeKind.Dictionary) {
      for (const pair of t.children(unparen(t, attribArg))) {
        const key = t.field(pair, Field.Key);
        const value = t.field(pair, Field.Value);
        const attr = key === undefined ? undefined : stringValue(t, key);
        if (attr === undefined || key === undefined || value === undefined) continue;
        attributeNodes.push({ name: attr, node: key });
        values.set(attr, valueSource(this.sem.model, value));
      }
    }
    const argList = t.field(call, Field.Arguments);
    for (const a of argList === undefined ? [] : t.children(argList)) {
      if (t.kind(a) !== NodeKind.KeywordArgument) continue;
      const key = t.field(a, Field.Name);
      const value = t.field(a, Field.Value);
      if (key === undefined || value === undefined || notAttributes.has(t.text(key))) continue;
      if (factoryParams.includes(t.text(key))) continue;
      attributeNodes.push({ name: t.text(key), node: key });
      values.set(t.text(key), valueSource(this.sem.model, value));
    }
    // A parent the code does not show (a parameter of a public function): the element starts the chain.
    const parent = parentArg !== undefined ? this.elementOf(parentArg, depth + 1) : this.containerOf(call, depth);
    const attrs = this.setAttrsOf(call);
    // forEach, not for-of: no entry array per attribute (this runs for every element built).
    values.forEach((v, k) => {
      if (!Object.hasOwn(attrs, k) && k !== '__proto__') attrs[k] = v;
    });
    const step: XmlStep = { name: tag, attrs };
    const ref: ElementRef = parent
      ? { chain: [...parent.chain, step], deps: parent.deps }
      : { chain: [step], deps: [] };
    return { ref, nameNode: tagArg, attributeNodes, values };
  }

  /**
   * A local function that creates an element named by one of its parameters and returns it
   * (`def _new_node(self, name, **kw): return etree.Element(name, **kw)`), with the parameters
   * that give its parent and attributes (see ElementFactory).
   */
  factoryOf(fn: FunctionInfo, depth = 0): ElementFactory | undefined {
    const cached = this.factories.get(fn.node);
    if (cached !== undefined) return cached ?? undefined;
    this.factories.set(fn.node, null);
    const found = this.computeFactory(fn, depth);
    this.factories.set(fn.node, found ?? null);
    return found;
  }

  private computeFactory(fn: FunctionInfo, depth: number): ElementFactory | undefined {
    const t = this.t;
    const names = parameterNames(t, fn);
    // `*args` and `**kw` are no one argument of a call: the keywords a call passes are read as attributes.
    const params = t.field(fn.node, Field.Parameters);
    const splats = new Set(
      (params === undefined ? [] : t.children(params)).flatMap((p, i) =>
        t.kind(p) === NodeKind.ListSplatPattern || t.kind(p) === NodeKind.DictionarySplatPattern ? [names[i]] : [],
      ),
    );
    const paramIndex = (arg: NodeId | undefined): number | undefined => {
      if (arg === undefined || t.kind(arg) !== NodeKind.Identifier || splats.has(t.text(arg))) return undefined;
      const i = names.indexOf(t.text(arg));
      return i >= 0 ? i : undefined;
    };
    for (const r of this.returnValues(fn)) {
      let value = unparen(t, r);
      if (t.kind(value) === NodeKind.Identifier) {
        const bound = this.sem.localBindings(t.text(value), value).find((b) => b.kind === 'assign');
        if (!bound) continue;
        value = unparen(t, bound.expr);
      }
      if (t.kind(value) !== NodeKind.Call) continue;
      const name = calleeName(t, value);
      let made: CreationArguments;
      if (name !== undefined && creators.has(name))
        made = creatorArguments(callArguments(t, value), name === 'SubElement');
      else {
        const inner = this.sem.localFunction(value);
        const factory = inner && depth < 3 ? this.factoryOf(inner, depth + 1) : undefined;
        if (inner === undefined || factory === undefined) continue;
        made = factoryArguments(factory, (index) => argumentFor(t, value, inner, index));
      }
      const { tag: tagArg, parent: parentArg, attrib: attribArg } = made;
      const tag = paramIndex(tagArg);
      if (tag === undefined) continue;
      const parent = paramIndex(parentArg);
      const attrib =
        paramIndex(attribArg) ??
        this.attributeLoopParam(
          fn,
          names.map((n) => (splats.has(n) ? '' : n)),
        );
      return {
        params: names,
        tag,
        ...(parent !== undefined ? { parent } : {}),
        ...(attrib !== undefined ? { attrib } : {}),
      };
    }
    return undefined;
  }

  /** A parameter whose items the function sets one by one: `for k, v in attrs.items(): el.set(k, v)` (or `(attrs or {}).items()`). */
  private attributeLoopParam(fn: FunctionInfo, names: readonly string[]): number | undefined {
    const t = this.t;
    for (const loop of t.descendantsOfKind(fn.node, NodeKind.ForStatement)) {
      const right = t.field(loop, Field.Right);
      const callee = right === undefined ? undefined : t.field(unparen(t, right), Field.Function);
      if (callee === undefined || t.kind(callee) !== NodeKind.Attribute) continue;
      const attr = t.field(callee, Field.Attribute);
      let obj = t.field(callee, Field.Object);
      obj = obj === undefined ? undefined : unparen(t, obj);
      // `(attrs or {}).items()`
      if (obj !== undefined && t.kind(obj) === NodeKind.BooleanOperator) obj = t.field(obj, Field.Left);
      if (obj === undefined || attr === undefined || t.text(attr) !== 'items' || t.kind(obj) !== NodeKind.Identifier)
        continue;
      const i = names.indexOf(t.text(obj));
      const body = t.field(loop, Field.Body);
      if (
        i >= 0 &&
        body !== undefined &&
        t.descendantsOfKind(body, NodeKind.Call).some((c) => calleeName(t, c) === 'set')
      )
        return i;
    }
    return undefined;
  }

  // ---- dependencies --------------------------------------------------------------------------

  /**
   * The config-object attributes a write at `node` waits for: those the innermost `if`/`elif`/
   * `for` around it (in its function) tests, else those its element waits for. Nested
   * conditions are a conjunction: the innermost is the attribute whose setting decides.
   */
  private depsAt(node: NodeId, inherited: readonly Dependency[]): Dependency[] {
    const t = this.t;
    const unit = this.sem.functionOf(node)?.node;
    let child = node;
    for (let p = t.parent(node); p !== undefined && p !== unit; child = p, p = t.parent(p)) {
      const kind = t.kind(p);
      const field = t.fieldOf(child);
      let found: Dependency[] = [];
      if ((kind === NodeKind.IfStatement || kind === NodeKind.ElifClause) && field === Field.Consequence) {
        const cond = t.field(p, Field.Condition);
        if (cond !== undefined) found = conditionDeps(this.sem, cond);
      } else if (kind === NodeKind.ForStatement && field === Field.Body) {
        const right = t.field(p, Field.Right);
        if (right !== undefined) found = selfAttributesIn(t, right).map((attr) => ({ attr }));
      }
      if (found.length) return mergeDeps(found);
    }
    return [...inherited];
  }
}

/** The module-level functions of a file that are element factories (for its workspace summary). */
export function moduleElementFactories(sem: FileSemantics): Map<string, ElementFactory> {
  const out = new Map<string, ElementFactory>();
  const model = sem.model;
  // The words first (a search of the text): most files name neither, and the callee index is
  // built only when something asks for calls by name.
  const creates =
    (model.mentions('Element') && model.callsNamed('Element').length > 0) ||
    (model.mentions('SubElement') && model.callsNamed('SubElement').length > 0);
  if (!creates) return out;
  const t = sem.tree;
  const tracker = new ElementTracker(sem);
  for (const fn of model.functions) {
    if (fn.className !== undefined || out.has(fn.name)) continue;
    let def = t.parent(fn.node);
    if (def !== undefined && t.kind(def) === NodeKind.DecoratedDefinition) def = t.parent(def);
    if (def !== t.root) continue;
    const factory = tracker.factoryOf(fn);
    if (factory) out.set(fn.name, factory);
  }
  return out;
}

/** No bound: what a write may emit is not known before its element is found. */
const unbounded: XmlBound = Object.freeze({ libvirt: Infinity, qemu: Infinity });

/**
 * The functions (by name) that may create an element: those that call Element, SubElement or
 * another file's factory, or a function that may (a factory's call may create an element
 * only if its function is one of them).
 */
function creatingFunctionNames(sem: FileSemantics, remote: readonly string[]): Set<string> {
  const model = sem.model;
  const out = new Set<string>();
  const queue = [...creators, ...remote];
  for (let name = queue.pop(); name !== undefined; name = queue.pop())
    for (const call of model.callsNamed(name)) {
      const fn = sem.functionOf(call);
      if (fn && !out.has(fn.name)) {
        out.add(fn.name);
        queue.push(fn.name);
      }
    }
  return out;
}

/**
 * Where the file's builder writes may be, each with the newest row it can resolve to (see
 * XmlFeatureDb.bound), found without finding any element: a superset of the nodes of
 * ElementTracker.writes() in a file that defines no config class. `set` and `attrib` writes
 * by their attribute, element creations by their tag and attributes, a factory's call unbounded.
 */
export function pendingBuilderWrites(
  sem: FileSemantics,
  db: XmlFeatureDb,
  note: (node: NodeId, bound: XmlBound) => void,
): void {
  const t = sem.tree;
  const model = sem.model;
  const remote = sem.workspace.elementFactoryNames();
  // The text first (not its word counts, which most files never need): the callee index is
  // built only for a file that may build elements.
  const calls = (name: string): boolean => t.source.includes(name) && model.callsNamed(name).length > 0;
  if (!calls('Element') && !calls('SubElement') && !remote.some(calls)) return;
  // The value too: a literal one may be a dated value (`type='vhostuser'`).
  const valueOf = (node: NodeId | undefined): string | undefined =>
    node === undefined ? undefined : literalValue(model, node);
  for (const call of model.callsNamed('set')) {
    const [nameArg, valueArg] = callArguments(t, call).positional;
    const attribute = nameArg === undefined ? undefined : stringValue(t, nameArg);
    if (attribute !== undefined) note(call, db.bound(undefined, attribute, valueOf(valueArg)));
  }
  for (const name of creators) {
    // As creatorArguments reads them, in one pass over the arguments (no maps: this runs for
    // every element a file creates).
    const sub = name === 'SubElement';
    const tagKeyword = sub ? '_tag' : 'tag';
    const tagIndex = sub ? 1 : 0;
    const attribIndex = sub ? 2 : 1;
    for (const call of model.callsNamed(name)) {
      const argList = t.field(call, Field.Arguments);
      if (argList === undefined || t.kind(argList) !== NodeKind.ArgumentList) continue;
      let tagArg: NodeId | undefined;
      let tagByKeyword: NodeId | undefined;
      let attribArg: NodeId | undefined;
      let attribByKeyword: NodeId | undefined;
      // Every value an attribute is given: one given twice (in `attrib` and as a keyword) is
      // written with the last, either.
      const given: { name: string; value: NodeId | undefined }[] = [];
      let position = 0;
      for (const a of t.children(argList)) {
        if (t.kind(a) !== NodeKind.KeywordArgument) {
          if (position === tagIndex) tagArg = a;
          else if (position === attribIndex) attribArg = a;
          position++;
          continue;
        }
        const key = t.field(a, Field.Name);
        const value = t.field(a, Field.Value);
        if (key === undefined) continue;
        const keyword = t.text(key);
        if (value !== undefined && keyword === tagKeyword) tagByKeyword = value;
        else if (value !== undefined && keyword === 'attrib') attribByKeyword = value;
        if (!notAttributes.has(keyword)) given.push({ name: keyword, value });
      }
      const tagNode = tagByKeyword ?? tagArg;
      const tag = tagNode === undefined ? undefined : tagNameOf(sem, tagNode);
      // A class's root names no element outside its class (and this file defines none).
      if (tag === undefined || tag === rootStep) continue;
      const attrib = attribByKeyword ?? attribArg;
      const dict = attrib === undefined ? undefined : unparen(t, attrib);
      if (dict !== undefined && t.kind(dict) === NodeKind.Dictionary)
        for (const pair of t.children(dict)) {
          const key = t.field(pair, Field.Key);
          const attr = key === undefined ? undefined : stringValue(t, key);
          if (attr !== undefined) given.push({ name: attr, value: t.field(pair, Field.Value) });
        }
      let bound = db.bound(tag);
      for (const { name: attr, value } of given) bound = newestOf(bound, db.bound(tag, attr, valueOf(value)));
      note(call, bound);
    }
  }
  const creating = creatingFunctionNames(sem, remote);
  for (const name of new Set([...creating, ...remote]))
    if (name !== 'set' && !creators.has(name)) for (const call of model.callsNamed(name)) note(call, unbounded);
  if (!t.source.includes('attrib')) return;
  for (const a of model.assignments) {
    const write = attribAssignment(t, a);
    if (write) note(a, db.bound(undefined, write.attribute, valueOf(t.field(a, Field.Right))));
  }
}
