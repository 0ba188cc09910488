// Config objects where driver code uses them: a new object (`vconfig.LibvirtConfigGuestDisk()`)
// emits what its class's `format_dom` always writes and what its `__init__` defaults write;
// an attribute set to a value (`disk.driver_discard = 'unmap'`, `mb.hugepages.append(p)`)
// emits what the class writes from that attribute. The class comes from the constructor call,
// a local helper's return (or return annotation), or a parameter annotation; this file's
// classes first, then the workspace's (by name and the module it is imported from).
import { newestOf, type XmlBound, type XmlFeatureDb } from '../../../data/xmlFeatureDb';
import { calleeNameNode, Field, NodeKind, textIs, unparen, type NodeId, type SyntaxTree } from '../../syntax/index';
import type { Range } from '../../types';
import type { FileSemantics } from '../fileSemantics';
import type { LocatedXmlClass } from '../workspaceFacts';
import {
  classRefOf,
  maxLineage,
  templatesOf,
  type ClassRef,
  type XmlConfigClass,
  type XmlTemplate,
} from './configClasses';
import { BoundedKeyMemo } from './boundedMemo';
import { idsInSubtree } from './elementBuilders';
import { assignedValue, literalValue } from './literals';
import { resolveXml, rootStep, type AttrSource, type ResolvedXml, type XmlStep } from './xmlPaths';

const unknownValue: AttrSource = { k: 'unknown' };

/** Config classes by reference: this file's, then the workspace's; a class with its bases. */
export class ConfigClassIndex {
  /** Lookups are asked again for every attribute set on an object: answered once per reference. */
  private readonly located = new Map<string, { cls: XmlConfigClass; uri: string } | undefined>();
  /** By module (undefined: none named) and class name. */
  private readonly lineages = new Map<string | undefined, Map<string, XmlConfigClass[]>>();
  /** Lineages of classes as other files name them (child objects' classes), by file, module and name. */
  private readonly foreignLineages = new Map<string, XmlConfigClass[]>();

  /** The attributes this file's classes write XML from. */
  readonly localAttributes: ReadonlySet<string>;

  constructor(
    private readonly sem: FileSemantics,
    readonly local: ReadonlyMap<string, XmlConfigClass>,
  ) {
    this.localAttributes = new Set([...local.values()].flatMap((c) => Object.keys(c.attributes)));
  }

  /**
   * The class `ref` names in file `from` (default: this file), and the file that defines it
   * (its bases are named as that file names them).
   */
  private locate(ref: ClassRef, from: string): { cls: XmlConfigClass; uri: string } | undefined {
    const key = `${from}\n${ref.module ?? ''}\n${ref.name}`;
    if (this.located.has(key)) return this.located.get(key);
    const found = this.lookUp(ref, from);
    this.located.set(key, found);
    return found;
  }

  private lookUp(ref: ClassRef, from: string): { cls: XmlConfigClass; uri: string } | undefined {
    if (from === this.sem.uri) {
      const own = ref.module === undefined ? this.local.get(ref.name) : undefined;
      if (own) return { cls: own, uri: from };
    }
    const found = this.sem.workspace.xmlConfigClass(from, ref.module, ref.name);
    if (found) return { cls: found, uri: found.uri };
    const fallback = from === this.sem.uri ? this.local.get(ref.name) : undefined;
    return fallback && { cls: fallback, uri: from };
  }

  find(ref: ClassRef): XmlConfigClass | undefined {
    return this.locate(ref, this.sem.uri)?.cls;
  }

  /** The class and its bases, nearest first. */
  lineage(ref: ClassRef): XmlConfigClass[] {
    let byName = this.lineages.get(ref.module);
    if (!byName) this.lineages.set(ref.module, (byName = new Map()));
    let known = byName.get(ref.name);
    if (!known) {
      known = this.computeLineage(ref);
      byName.set(ref.name, known);
    }
    return known;
  }

  /** The lineage of a class as file `from` names it (memoized like lineage, per naming file). */
  private lineageFrom(ref: ClassRef, from: string): XmlConfigClass[] {
    if (from === this.sem.uri) return this.lineage(ref);
    const key = `${from}\n${ref.module ?? ''}\n${ref.name}`;
    let known = this.foreignLineages.get(key);
    if (!known) this.foreignLineages.set(key, (known = this.computeLineage(ref, from)));
    return known;
  }

  private computeLineage(ref: ClassRef, from: string = this.sem.uri): XmlConfigClass[] {
    const out: XmlConfigClass[] = [];
    const seen = new Set<string>();
    const walk = (r: ClassRef, from: string, depth: number): void => {
      if (depth > maxLineage) return;
      const located = this.locate(r, from);
      if (!located || seen.has(`${located.uri}#${located.cls.name}`)) return;
      seen.add(`${located.uri}#${located.cls.name}`);
      out.push(located.cls);
      for (const b of located.cls.bases) walk(b, located.uri, depth + 1);
    };
    walk(ref, from, 0);
    return out;
  }

  rootOf(ref: ClassRef): string | undefined {
    return rootIn(this.lineage(ref));
  }

  /**
   * The child object an attribute of an object of `ref` holds (see XmlConfigClass.children):
   * its class's lineage (the class named as the file that declares the child names it) and its
   * root's path from the parent's root; undefined when it is none or a root is unknown.
   */
  child(ref: ClassRef, attr: string): { lineage: XmlConfigClass[]; root: string } | undefined {
    const lineage = this.lineage(ref);
    const parentRoot = rootIn(lineage);
    for (const c of lineage) {
      const child = c.children && Object.hasOwn(c.children, attr) ? c.children[attr] : undefined;
      if (!child) continue;
      const from = (c as Partial<LocatedXmlClass>).uri ?? this.sem.uri;
      const childLineage = this.lineageFrom(child.cls, from);
      const childRoot = rootIn(childLineage);
      if (parentRoot === undefined || childRoot === undefined) return undefined;
      return { lineage: childLineage, root: [parentRoot, ...child.steps, childRoot].join('/') };
    }
    return undefined;
  }

  /** A class that writes XML from its attributes (it, or a base, has a root or a `format_dom`). */
  isConfigClass(lineage: readonly XmlConfigClass[]): boolean {
    return lineage.some((c) => c.root !== undefined || c.formatsXml);
  }

  /** A config class whose XML is libvirt's: none of its lineage puts its root in another namespace. */
  writesLibvirtXml(lineage: readonly XmlConfigClass[]): boolean {
    return this.isConfigClass(lineage) && !lineage.some((c) => c.foreign);
  }

  /** Whether the node is in a method of a config class of this file (its own code is a format, not a use). */
  insideConfigClass(node: NodeId): boolean {
    if (!this.local.size) return false;
    const cls = this.sem.functionOf(node)?.className;
    return cls !== undefined && this.local.has(cls) && this.isConfigClass(this.lineage({ name: cls }));
  }
}

/** The root of the nearest class of a lineage that names one. */
function rootIn(lineage: readonly XmlConfigClass[]): string | undefined {
  return lineage.find((c) => c.root !== undefined)?.root;
}

/**
 * A chain with `$root` named by the class's root; undefined when no root is known. A root
 * given as a path (`channel/source`: a child object's root below its parent's) stands for
 * those elements, the last one with the `$root` step's attributes.
 */
export function withRoot(chain: readonly XmlStep[], root: string | undefined): readonly XmlStep[] | undefined {
  if (!chain.some((s) => s.name === rootStep)) return chain;
  if (root === undefined) return undefined;
  if (!root.includes('/')) return chain.map((s) => (s.name === rootStep ? { ...s, name: root } : s));
  const names = root.split('/');
  const last = names.pop() ?? '';
  return chain.flatMap((s) =>
    s.name === rootStep ? [...names.map((name) => ({ name, attrs: {} })), { ...s, name: last }] : [s],
  );
}

/** The attributes of the object a template reads (its elements' attributes and the value written), in order. */
function selfReadsOf(tpl: XmlTemplate): readonly string[] {
  let reads = templateReads.get(tpl);
  if (!reads) {
    const out: string[] = [];
    const note = (s: AttrSource | undefined): void => {
      if (s?.k === 'self' && !out.includes(s.attr)) out.push(s.attr);
    };
    for (const step of tpl.chain) for (const k in step.attrs) note(step.attrs[k]);
    note(tpl.value);
    templateReads.set(tpl, (reads = out));
  }
  return reads;
}

const templateReads = new WeakMap<XmlTemplate, readonly string[]>();
const templateResolutions = new WeakMap<XmlTemplate, BoundedKeyMemo<ResolvedXml | undefined>>();

function sourcedAttrs(
  attrs: Readonly<Record<string, AttrSource>>,
  source: (s: AttrSource | undefined) => AttrSource,
): Record<string, AttrSource> {
  const out: Record<string, AttrSource> = {};
  for (const k in attrs) if (k !== '__proto__') out[k] = source(attrs[k]);
  return out;
}

export type ConfigEmit = (node: NodeId, range: Range, resolved: ResolvedXml, configAttribute: string) => void;

/** `conf.net_type = 'vhostuser'` in the same function: the literal an attribute of a receiver holds. */
function receiverLiterals(sem: FileSemantics): (recv: string, at: NodeId, attr: string) => string | undefined {
  const t = sem.tree;
  // Per function (read only where an object's template asks): receiver → attribute → the literals assigned.
  const byUnit = new Map<NodeId, Map<string, Map<string, Set<string | undefined>>>>();
  const literalsIn = (unit: NodeId | undefined): Map<string, Map<string, Set<string | undefined>>> => {
    const key = unit ?? -1;
    let known = byUnit.get(key);
    if (known) return known;
    known = new Map();
    for (const a of idsInSubtree(t, sem.model.assignments, unit)) {
      const left = t.field(a, Field.Left);
      const right = t.field(a, Field.Right);
      if (left === undefined || right === undefined || t.kind(left) !== NodeKind.Attribute) continue;
      const obj = t.field(left, Field.Object);
      const attrNode = t.field(left, Field.Attribute);
      if (obj === undefined || attrNode === undefined || sem.functionOf(a)?.node !== unit) continue;
      const recv = t.text(obj).replace(/\s+/g, '');
      let byAttr = known.get(recv);
      if (!byAttr) known.set(recv, (byAttr = new Map()));
      const attr = t.text(attrNode);
      let set = byAttr.get(attr);
      if (!set) byAttr.set(attr, (set = new Set()));
      set.add(literalValue(sem.model, right));
    }
    byUnit.set(key, known);
    return known;
  };
  return (recv, at, attr) => {
    const values = literalsIn(sem.functionOf(at)?.node).get(recv)?.get(attr);
    return values && values.size === 1 ? [...values][0] : undefined;
  };
}

/** `vconfig.LibvirtConfigGuestDisk()`, or a local helper that returns one (or says so in its return annotation). */
function classOfValue(sem: FileSemantics, expr: NodeId, depth: number): ClassRef | undefined {
  const t = sem.tree;
  const n = unparen(t, expr);
  if (t.kind(n) !== NodeKind.Call || depth > 3) return undefined;
  const helper = sem.localFunction(n);
  if (helper) {
    const returnType = t.field(helper.node, Field.ReturnType);
    const annotated = returnType === undefined ? undefined : t.firstChild(returnType);
    if (annotated !== undefined) return classRefOf(sem, annotated);
    const body = t.field(helper.node, Field.Body);
    for (const r of body === undefined ? [] : t.descendantsOfKind(body, NodeKind.ReturnStatement)) {
      const v = t.firstChild(r);
      if (v === undefined || sem.functionOf(r)?.node !== helper.node) continue;
      const id = unparen(t, v);
      const value =
        t.kind(id) === NodeKind.Identifier
          ? sem.localBindings(t.text(id), id).find((b) => b.kind === 'assign')?.expr
          : v;
      const ref = value === undefined ? undefined : classOfValue(sem, value, depth + 1);
      if (ref) return ref;
    }
    return undefined;
  }
  const fn = t.field(n, Field.Function);
  return fn === undefined ? undefined : classRefOf(sem, fn);
}

/** The class of the object a name holds where it is used: its assignment before the use, or its annotation. */
function classOfReceiver(sem: FileSemantics, recv: NodeId): ClassRef | undefined {
  const t = sem.tree;
  const n = unparen(t, recv);
  if (t.kind(n) !== NodeKind.Identifier || t.text(n) === 'self') return undefined;
  const name = t.text(n);
  if (!sem.functionOf(n)) {
    const bound = sem.model.constants.get(name);
    return bound === undefined ? undefined : classOfValue(sem, bound, 0);
  }
  const bindings = sem.localBindings(name, n);
  const assigned = bindings.filter((b) => b.kind === 'assign');
  const before = assigned.filter((b) => t.start(b.expr) < t.start(n));
  const pick = before[before.length - 1] ?? assigned[0];
  if (pick) return classOfValue(sem, pick.expr, 0);
  const param = bindings.find((b) => b.kind === 'param');
  const type = param === undefined ? undefined : t.field(param.expr, Field.Type);
  const annotation = type === undefined ? undefined : t.firstChild(type);
  return annotation === undefined ? undefined : classRefOf(sem, annotation);
}

/** The name an object is assigned to (`conf = Cls()` → conf), to read its other attributes' literals. */
function assignedName(sem: FileSemantics, call: NodeId): string | undefined {
  const t = sem.tree;
  const parent = t.parent(call);
  if (parent === undefined || t.kind(parent) !== NodeKind.Assignment || t.fieldOf(call) !== Field.Right)
    return undefined;
  const left = t.field(parent, Field.Left);
  return left !== undefined && t.kind(left) === NodeKind.Identifier ? t.text(left) : undefined;
}

/** `conf.x`: a receiver a name holds, the only kind whose class can be known (not `self`, not `a.b.x`). */
function namedReceiver(t: SyntaxTree, target: NodeId): boolean {
  const recv = t.field(target, Field.Object);
  if (recv === undefined) return false;
  const n = unparen(t, recv);
  return t.kind(n) === NodeKind.Identifier && !textIs(t, n, 'self');
}

/** `dev.source.x`: a receiver that is an attribute of a named receiver (a child object's). */
function childReceiver(t: SyntaxTree, target: NodeId): boolean {
  const recv = t.field(target, Field.Object);
  const n = recv === undefined ? undefined : unparen(t, recv);
  return n !== undefined && t.kind(n) === NodeKind.Attribute && namedReceiver(t, n);
}

/**
 * `x.attr = value` (or `x.child.attr = value`), with what it sets; `x.attr.append(v)` and the
 * like. Only attributes `wanted` (asked first: most assignments set no attribute a class writes).
 */
function attributeSettings(
  sem: FileSemantics,
  visit: (node: NodeId, target: NodeId, value?: NodeId) => void,
  wanted: (attr: string) => boolean = () => true,
): void {
  const t = sem.tree;
  const attrWanted = (target: NodeId): boolean => {
    const attrNode = t.field(target, Field.Attribute);
    return attrNode !== undefined && wanted(t.text(attrNode));
  };
  for (const a of sem.model.assignments) {
    const left = t.field(a, Field.Left);
    const right = t.field(a, Field.Right);
    if (left === undefined || right === undefined || t.kind(left) !== NodeKind.Attribute || !attrWanted(left)) continue;
    if (namedReceiver(t, left) || childReceiver(t, left)) visit(a, left, right);
  }
  for (const name of ['append', 'extend', 'insert'])
    for (const call of sem.model.callsNamed(name)) {
      const fn = t.field(call, Field.Function);
      const target = fn === undefined ? undefined : t.field(fn, Field.Object);
      if (target === undefined || t.kind(target) !== NodeKind.Attribute || !attrWanted(target)) continue;
      if (namedReceiver(t, target)) visit(call, target);
    }
}

/**
 * A target list read once (the workspace answers with the same list while it holds): the
 * newest row its targets resolve to whatever the object holds, and the targets whose value
 * is read from the object's attribute `attr` and could be newer with some value.
 */
interface ReadTargets {
  readonly fixed: XmlBound | undefined;
  readonly reads: readonly { readonly element: string; readonly attribute: string; readonly attr: string }[];
}
const readTargets = new WeakMap<XmlFeatureDb, WeakMap<readonly string[], ReadTargets>>();

function readTargetsOf(db: XmlFeatureDb, targets: readonly string[]): ReadTargets {
  let byList = readTargets.get(db);
  if (!byList) readTargets.set(db, (byList = new WeakMap()));
  let known = byList.get(targets);
  if (known) return known;
  let fixed: XmlBound | undefined;
  const add = (b: XmlBound): void => {
    fixed = newestOf(fixed, b);
  };
  const reads: { element: string; attribute: string; attr: string }[] = [];
  for (const target of targets) {
    const bar = target.indexOf('|');
    const bar2 = target.indexOf('|', bar + 1);
    const element = target.slice(0, bar);
    const attribute = target.slice(bar + 1, bar2);
    const value = target.slice(bar2 + 1);
    add(db.bound(element, attribute || undefined));
    if (attribute === '' || value === '') continue;
    if (value.startsWith('=')) add(db.bound(element, attribute, value.slice(1)));
    else reads.push({ element, attribute, attr: value.slice(1) });
  }
  // A value read from the object counts only where some value is newer than the rest.
  const f = fixed ?? { libvirt: 0, qemu: 0 };
  const newer = reads.filter(({ element, attribute }) => {
    const any = db.bound(element, attribute, '*');
    return any.libvirt > f.libvirt || any.qemu > f.qemu;
  });
  byList.set(targets, (known = { fixed, reads: newer }));
  return known;
}

/**
 * The newest row any of `targets` (see WorkspaceFacts.xmlConfigAttributeTargets) can resolve
 * to, with `valuesOf(name)` the literals the object's attribute `name` may hold (besides those
 * of the targets themselves, and none known).
 */
function targetsBound(
  db: XmlFeatureDb,
  targets: readonly string[],
  valuesOf: (attr: string) => Iterable<string>,
): XmlBound | undefined {
  const { fixed, reads } = readTargetsOf(db, targets);
  let bound = fixed;
  for (const { element, attribute, attr } of reads)
    for (const v of valuesOf(attr)) bound = newestOf(bound, db.bound(element, attribute, v));
  return bound;
}

/**
 * Where a file that defines no config class may set an attribute a config class writes XML
 * from, or construct a config object, each with the newest row that can resolve to (see
 * XmlFeatureDb.bound), found without finding the object's class: a superset of where
 * configObjectEmissions emits.
 */
export function pendingConfigObjects(
  sem: FileSemantics,
  db: XmlFeatureDb,
  note: (node: NodeId, bound: XmlBound) => void,
): void {
  const t = sem.tree;
  const model = sem.model;
  // The literals the file assigns to an attribute of anything (`conf.source_type = 'file'`):
  // a value a template reads from an object may be one set near it.
  let literals: Map<string, Set<string>> | undefined;
  const literalsOf = (attr: string): Iterable<string> => {
    if (!literals) {
      literals = new Map();
      for (const a of model.assignments) {
        const left = t.field(a, Field.Left);
        const right = t.field(a, Field.Right);
        const attrNode =
          left !== undefined && t.kind(left) === NodeKind.Attribute ? t.field(left, Field.Attribute) : undefined;
        const value = attrNode === undefined || right === undefined ? undefined : literalValue(model, right);
        if (attrNode === undefined || value === undefined) continue;
        const name = t.text(attrNode);
        let set = literals.get(name);
        if (!set) literals.set(name, (set = new Set()));
        set.add(value);
      }
    }
    return literals.get(attr) ?? [];
  };
  const bounds = new Map<string, XmlBound | undefined>();
  const written = (attr: string): boolean => sem.workspace.xmlConfigAttributeTargets(attr).length > 0;
  const setting = (node: NodeId, target: NodeId, value?: NodeId): void => {
    const attrNode = t.field(target, Field.Attribute);
    if (attrNode === undefined) return;
    const attr = t.text(attrNode);
    // The attribute set reads as the value assigned; any other as it may be set.
    const assigned = value === undefined ? undefined : assignedValue(sem, value).literal;
    const key = `${attr}\n${assigned ?? ''}`;
    if (!bounds.has(key))
      bounds.set(
        key,
        targetsBound(db, sem.workspace.xmlConfigAttributeTargets(attr), (a) =>
          a !== attr ? literalsOf(a) : assigned === undefined ? [] : [assigned],
        ),
      );
    const bound = bounds.get(key);
    if (bound) note(node, bound);
  };
  attributeSettings(sem, setting, written);
  // A new object of a class the workspace has (this file defines none): what its lineage writes.
  const constructions = new Map<string, XmlBound | undefined>();
  for (const call of model.capitalizedCalls()) {
    const fn = t.field(call, Field.Function);
    const ref = fn === undefined || calleeNameNode(t, call) === undefined ? undefined : classRefOf(sem, fn);
    if (!ref) continue;
    const key = `${ref.module ?? ''}\n${ref.name}`;
    if (!constructions.has(key)) {
      const targets = sem.workspace.xmlConstructionTargets(sem.uri, ref.module, ref.name);
      // No targets: it writes nothing (targetsBound says so).
      constructions.set(key, targets && targetsBound(db, targets, literalsOf));
    }
    const bound = constructions.get(key);
    if (bound) note(call, bound);
  }
}

/** Config-object constructions and attribute settings of a file, as XML emissions. */
export function configObjectEmissions(
  sem: FileSemantics,
  db: XmlFeatureDb,
  classes: ConfigClassIndex,
  emit: ConfigEmit,
): void {
  const t = sem.tree;
  const literalOf = receiverLiterals(sem);

  /** The literal an attribute of this object holds here: the one assigned, a literal set nearby, a default. */
  const valueOf = (
    a: string,
    attr: string | undefined,
    assigned: string | undefined,
    recv: string | undefined,
    node: NodeId,
    lineage: readonly XmlConfigClass[],
  ): string | undefined => {
    if (a === attr) return assigned;
    const near = recv === undefined ? undefined : literalOf(recv, node, a);
    if (near !== undefined) return near;
    for (const c of lineage) if (Object.hasOwn(c.defaults, a)) return c.defaults[a];
    return undefined;
  };

  /**
   * Emits one template for an object of `ref` (`recv` names it, when known): `attr` set to
   * `assigned` (a literal, when known), or (no `attr`) the object's construction.
   */
  const emitTemplate = (
    node: NodeId,
    range: Range,
    ref: ClassRef,
    root: string | undefined,
    lineage: readonly XmlConfigClass[],
    recv: string | undefined,
    tpl: XmlTemplate,
    attr: string | undefined,
    assigned: string | undefined,
  ): void => {
    if (tpl.equals !== undefined && assigned !== undefined && assigned !== tpl.equals) return;
    // A template resolves alike wherever the attributes it reads hold the same literals: once
    // per template, root and those values (no closure is made unless it must be resolved).
    const key: (string | undefined)[] = [attr, root];
    for (const a of selfReadsOf(tpl)) key.push(valueOf(a, attr, assigned, recv, node, lineage));
    let byUse = templateResolutions.get(tpl);
    if (!byUse) templateResolutions.set(tpl, (byUse = new BoundedKeyMemo(1000)));
    const resolved = byUse.get(key, () => {
      const source = (src: AttrSource | undefined): AttrSource => {
        if (src?.k !== 'self') return src ?? unknownValue;
        const v = valueOf(src.attr, attr, assigned, recv, node, lineage);
        return v === undefined ? unknownValue : { k: 'literal', value: v };
      };
      const steps = tpl.chain.map((step) => ({ name: step.name, attrs: sourcedAttrs(step.attrs, source) }));
      const chain = withRoot(steps, root);
      const v = source(tpl.value);
      return chain && resolveXml(db, chain, tpl.attribute, v.k === 'literal' ? v.value : undefined);
    });
    if (resolved) emit(node, range, resolved, attr === undefined ? `${ref.name}()` : `${ref.name}.${attr}`);
  };

  /**
   * The config object a receiver holds: `conf` (a name; its class from its assignment or
   * annotation) or `dev.source` (the child object an attribute of a name's object holds),
   * with its class as the hover names it (`DeviceChannel.source`), its lineage and its root.
   */
  const objectOf = (
    recv: NodeId,
  ): { named: ClassRef; lineage: readonly XmlConfigClass[]; root: () => string | undefined } | undefined => {
    const n = unparen(t, recv);
    if (t.kind(n) !== NodeKind.Attribute) {
      const ref = classOfReceiver(sem, recv);
      return ref && { named: ref, lineage: classes.lineage(ref), root: () => classes.rootOf(ref) };
    }
    const holder = t.field(n, Field.Object);
    const childNode = t.field(n, Field.Attribute);
    if (holder === undefined || childNode === undefined) return undefined;
    const ref = classOfReceiver(sem, holder);
    const name = t.text(childNode);
    const child = ref && classes.child(ref, name);
    return ref && child && { named: { name: `${ref.name}.${name}` }, lineage: child.lineage, root: () => child.root };
  };

  const assignment = (node: NodeId, target: NodeId, value: NodeId | undefined): void => {
    const recv = t.field(target, Field.Object);
    const attrNode = t.field(target, Field.Attribute);
    if (recv === undefined || attrNode === undefined) return;
    const attr = t.text(attrNode);
    // An attribute no config class writes emits nothing, whatever the receiver's class.
    if (!classes.localAttributes.has(attr) && !sem.workspace.writesXmlConfigAttribute(attr)) return;
    const given = value === undefined ? { set: true } : assignedValue(sem, value);
    if (!given.set) return;
    const object = objectOf(recv);
    if (!object || !classes.writesLibvirtXml(object.lineage)) return;
    // Loops, not flatMap and spreads: this runs for every attribute a driver sets on a config object.
    let range: Range | undefined;
    let recvText: string | undefined;
    let root: string | undefined;
    for (const c of object.lineage)
      for (const tpl of templatesOf(c, attr)) {
        if (range === undefined) {
          range = t.range(attrNode);
          recvText = t.text(recv).replace(/\s+/g, '');
          root = object.root();
        }
        emitTemplate(node, range, object.named, root, object.lineage, recvText, tpl, attr, given.literal);
      }
  };

  attributeSettings(sem, (node, target, value) => {
    if (!classes.insideConfigClass(node)) assignment(node, target, value);
  });
  // A new object: what its class always writes, and what its __init__ defaults write. A call
  // of a capitalized name (the callee index notes them).
  for (const call of sem.model.capitalizedCalls()) {
    const fn = t.field(call, Field.Function);
    const nameNode = fn === undefined ? undefined : calleeNameNode(t, call);
    if (fn === undefined || nameNode === undefined || classes.insideConfigClass(call)) continue; // the class's own code
    const ref = classRefOf(sem, fn);
    const lineage = ref ? classes.lineage(ref) : [];
    if (!ref || !classes.writesLibvirtXml(lineage)) continue;
    const templates = constructorTemplates(lineage);
    if (!templates.length) continue;
    const range = t.range(nameNode);
    const root = classes.rootOf(ref);
    const recv = assignedName(sem, call);
    for (const { tpl, attr, assigned } of templates)
      emitTemplate(call, range, ref, root, lineage, recv, tpl, attr, assigned);
  }
}

/** A template and the attribute setting that emits it (none: the object's construction). */
interface ObjectTemplate {
  readonly tpl: XmlTemplate;
  readonly attr?: string;
  readonly assigned?: string;
}

/** By lineage (the same array for every use of a class in a file): what constructing an object emits. */
const constructorTemplatesMemo = new WeakMap<readonly XmlConfigClass[], readonly ObjectTemplate[]>();

/** What a new object emits: what its classes always write, and what setting its `__init__` defaults writes. */
function constructorTemplates(lineage: readonly XmlConfigClass[]): readonly ObjectTemplate[] {
  let known = constructorTemplatesMemo.get(lineage);
  if (known) return known;
  const templates: ObjectTemplate[] = [];
  for (const c of lineage) for (const tpl of c.always) templates.push({ tpl });
  for (const c of lineage)
    for (const [attr, value] of Object.entries(c.defaults))
      for (const cc of lineage) for (const tpl of templatesOf(cc, attr)) templates.push({ tpl, attr, assigned: value });
  constructorTemplatesMemo.set(lineage, (known = templates));
  return known;
}
