// Which libvirt class a value has: from the libvirt call that produced it, an annotation,
// the configured name map (only when nothing about the value contradicts it), or (last) a
// method name that only libvirt defines. Each libvirt type carries its evidence (ReceiverVia)
// and the newest libvirt API it came from (provenance).
import { CycleMemo, type CutCount } from './cycleMemo';
import type { FeatureDb, LibvirtModule, MethodFeature } from '../../data/featureDb';
import {
  callArguments,
  calleeName,
  dottedName,
  Field,
  NodeKind,
  unparen,
  type NodeId,
  type SyntaxTree,
} from '../syntax/index';
import type { ReceiverVia } from '../types';
import { builtinCalls, commonMethodNames, standardModules } from './pythonNames';
import type { ClassRef } from './workspaceFacts';

export type ValueType =
  | { readonly k: 'object'; readonly cls: string; readonly via: ReceiverVia }
  | { readonly k: 'list'; readonly cls: string; readonly via: ReceiverVia }
  | { readonly k: 'module'; readonly module: LibvirtModule }
  /** An object of a class of the workspace (`Host(...)`): not libvirt, but its methods can be version helpers. */
  | { readonly k: 'instance'; readonly cls: ClassRef }
  /** Known not to be a libvirt object: a literal, a builtin's or the standard library's result. */
  | { readonly k: 'foreign' }
  /** Not known, but its origin (a subscript, a loop over a non-libvirt value, mixed sources) rules out a name-map guess. */
  | { readonly k: 'opaque' }
  | { readonly k: 'error' };

const foreignType: ValueType = { k: 'foreign' };
const opaqueType: ValueType = { k: 'opaque' };

const literalKinds = new Set<NodeKind>([
  NodeKind.String,
  NodeKind.ConcatenatedString,
  NodeKind.Integer,
  NodeKind.Float,
  NodeKind.True,
  NodeKind.False,
  NodeKind.None,
  NodeKind.List,
  NodeKind.Dictionary,
  NodeKind.Set,
  NodeKind.Tuple,
  NodeKind.ListComprehension,
  NodeKind.DictionaryComprehension,
  NodeKind.SetComprehension,
  NodeKind.GeneratorExpression,
  NodeKind.BinaryOperator,
  NodeKind.ComparisonOperator,
  NodeKind.UnaryOperator,
  NodeKind.Lambda,
  NodeKind.NotOperator,
]);

export interface LocalBinding {
  readonly expr: NodeId;
  readonly kind: 'assign' | 'for' | 'except-error' | 'param';
}

/** What type inference needs to know about names; every question is asked at a node. */
export interface TypeInferenceHost {
  readonly tree: SyntaxTree;
  readonly db: FeatureDb;
  readonly receivers: Readonly<Record<string, string>>;
  libvirtModule(name: string): LibvirtModule | undefined;
  /** Values bound to a local name in the function that holds `at` (empty when none). */
  localAssignments(name: string, at: NodeId): readonly LocalBinding[];
  /** Expressions assigned to `self.<attr>` in the class of the function that holds `at`. */
  selfAssignments(attr: string, at: NodeId): readonly NodeId[];
  /** The annotation (type node) of a parameter or annotated local, if any. */
  annotation(name: string, at: NodeId): NodeId | undefined;
  /** The module a non-libvirt imported name comes from (`os.path`, `json`), if it is one. */
  foreignModule(name: string): string | undefined;
  /** The workspace class a call constructs (`Host(uri)`, `host.Host(uri)`), if it calls one. */
  classOfCallee(call: NodeId): ClassRef | undefined;
  /** Return expressions of a local helper called by this call, if it is one. */
  helperReturns(call: NodeId): readonly NodeId[] | undefined;
}

const evidenceLength = 80;

/** Source text for a sentence: whitespace collapsed, argument lists as `(...)`, at most 80 characters. */
function evidenceText(t: SyntaxTree, node: NodeId): string {
  let out = '';
  let pos = t.start(node);
  for (const args of t.descendantsOfKind(node, NodeKind.ArgumentList)) {
    if (t.start(args) < pos || t.firstChild(args) === undefined) continue; // inside one already elided, or `()`
    out += `${t.source.slice(pos, t.start(args))}(...)`;
    pos = t.end(args);
  }
  out = (out + t.source.slice(pos, t.end(node))).replace(/\s+/g, ' ').trim();
  return out.length > evidenceLength ? `${out.slice(0, evidenceLength - 1)}…` : out;
}

function producerOf(f: MethodFeature): NonNullable<ReceiverVia['producer']> {
  return { python: f.pyClass ? `${f.pyClass}.${f.name}` : `${f.pyModule}.${f.name}`, since: f.since };
}

/** The newer of two producers: an object made from an object needs both APIs. */
function newerProducer(a: ReceiverVia['producer'], b: ReceiverVia['producer']): ReceiverVia['producer'] {
  if (!a) return b;
  if (!b) return a;
  return b.since > a.since ? b : a;
}

function withProducer(via: ReceiverVia, producer: ReceiverVia['producer']): ReceiverVia {
  const base: ReceiverVia = { kind: via.kind, text: via.text, range: via.range };
  return producer ? { ...base, producer } : base;
}

function isLibvirtType(t: ValueType): t is Extract<ValueType, { k: 'object' | 'list' }> {
  return t.k === 'object' || t.k === 'list';
}

function same(a: ValueType, b: ValueType): boolean {
  if (a.k !== b.k) return false;
  if (isLibvirtType(a) && isLibvirtType(b)) return a.cls === b.cls;
  if (a.k === 'instance' && b.k === 'instance') return a.cls.uri === b.cls.uri && a.cls.name === b.cls.name;
  return true;
}

/** Two sources agreeing on a class: the object is guaranteed only the older producer's version. */
function mergeSame(a: ValueType, b: ValueType): ValueType {
  if (!isLibvirtType(a) || !isLibvirtType(b)) return a;
  const pa = a.via.producer;
  const pb = b.via.producer;
  const producer = pa && pb ? (pb.since < pa.since ? pb : pa) : undefined;
  return { ...a, via: withProducer(a.via, producer) };
}

/** What several sources of one value say together. */
interface Verdict {
  /** Their common type, when every source is known and they agree. */
  readonly type: ValueType | undefined;
  /** Some source is known not to be the libvirt object a name-map guess would say. */
  readonly contradicted: boolean;
}

function combine(types: readonly (ValueType | undefined)[]): Verdict {
  let known: ValueType | undefined;
  let unknown = false;
  let conflict = false;
  let contradicted = false;
  for (const type of types) {
    if (!type) {
      unknown = true;
      continue;
    }
    if (!isLibvirtType(type) && type.k !== 'module') contradicted = true;
    if (!known) known = type;
    else if (same(known, type)) known = mergeSame(known, type);
    else conflict = true;
  }
  if (known && !unknown && !conflict) return { type: known, contradicted };
  return { type: undefined, contradicted: contradicted || (conflict && !unknown) };
}

/** Questions answered one inside another before one is cut short (each takes several frames of the stack). */
const maxTypeDepth = 300;

export class TypeInference {
  /** How many times a question was cut short because it was already being answered. */
  private readonly cuts: CutCount = { count: 0 };
  /** Types by node (see CycleMemo: one that met a cycle is not kept). */
  private readonly types = new CycleMemo<NodeId, ValueType | undefined>(this.cuts);
  /** The assignment lists being combined: a value assigned from the name itself asks again. */
  private readonly combining = new Set<readonly unknown[]>();
  private readonly t: SyntaxTree;
  /** How many questions are being answered, one inside another. */
  private depth = 0;

  constructor(private readonly scope: TypeInferenceHost) {
    this.t = scope.tree;
  }

  private nameMap(key: string, at: NodeId): ValueType | undefined {
    const cls = this.scope.receivers[key];
    return cls ? { k: 'object', cls, via: { kind: 'name-map', text: key, range: this.t.range(at) } } : undefined;
  }

  /** A libvirt class annotation (`libvirt.virDomain`, `Optional[virDomain]`), or opaque for any other. */
  private annotated(name: string, typeNode: NodeId): ValueType {
    const t = this.t;
    const text = t
      .text(typeNode)
      .replace(/\s+/g, '')
      .replace(/^['"]|['"]$/g, '')
      .replace(/^(?:typing\.)?Optional\[(.*)\]$/, '$1');
    const m = /^(?:([A-Za-z_]\w*)\.)?(vir[A-Z]\w*)$/.exec(text);
    if (!m || !m[2] || !this.scope.db.classNames.has(m[2])) return opaqueType;
    if (m[1] && !this.scope.libvirtModule(m[1])) return opaqueType;
    const owner = t.parent(typeNode) ?? typeNode;
    const evidence = t.kind(owner) === NodeKind.Assignment ? (t.field(owner, Field.Left) ?? owner) : owner;
    return {
      k: 'object',
      cls: m[2],
      via: { kind: 'annotation', text: `${name}: ${evidenceText(t, typeNode)}`, range: t.range(evidence) },
    };
  }

  /** The types of expressions that are alternatives for one value; `None` (an Optional's empty case) does not count. */
  private combineExprs(exprs: readonly NodeId[]): Verdict {
    const values = exprs.filter((e) => this.t.kind(unparen(this.t, e)) !== NodeKind.None);
    if (!values.length) return { type: exprs.length ? foreignType : undefined, contradicted: exprs.length > 0 };
    return combine(values.map((e) => this.typeOf(e)));
  }

  /** A verdict as a type: its agreed type, opaque when contradicted, else unknown. */
  private static settle(v: Verdict): ValueType | undefined {
    return v.type ?? (v.contradicted ? opaqueType : undefined);
  }

  typeOf(expr: NodeId): ValueType | undefined {
    const n = unparen(this.t, expr);
    // A question that asks through hundreds of names (`a2 = a1`, `a3 = a2`, …) is cut short like
    // a cycle (unknown, not kept), rather than overflow the stack and leave the file unanalyzed.
    if (this.depth >= maxTypeDepth) {
      this.cuts.count++;
      return undefined;
    }
    this.depth++;
    try {
      return this.types.get(n, undefined, () => this.compute(n));
    } finally {
      this.depth--;
    }
  }

  /**
   * What the values of one name (or `self` attribute) say together; unknown when asked again
   * while they are being combined (`h = h.set(...)`, repeated: asking from each assignment
   * again made the work grow exponentially with their number).
   */
  private combineOnce(list: readonly unknown[], combineAll: () => Verdict): Verdict {
    if (this.combining.has(list)) {
      this.cuts.count++;
      return { type: undefined, contradicted: false };
    }
    this.combining.add(list);
    try {
      return combineAll();
    } finally {
      this.combining.delete(list);
    }
  }

  private compute(n: NodeId): ValueType | undefined {
    const t = this.t;
    const kind = t.kind(n);
    if (literalKinds.has(kind)) return foreignType;
    switch (kind) {
      case NodeKind.Identifier:
        return this.identifierType(t.text(n), n);
      case NodeKind.Attribute:
        return this.attributeType(n);
      case NodeKind.Call:
        return this.callType(n);
      case NodeKind.Subscript: {
        // An element of a libvirt list; anything else taken out of a container is not the name's guess.
        const value = t.field(n, Field.Value);
        const type = value === undefined ? undefined : this.typeOf(value);
        return type?.k === 'list' ? { k: 'object', cls: type.cls, via: type.via } : opaqueType;
      }
      case NodeKind.ConditionalExpression: {
        const parts = t.children(n);
        return parts.length === 3 && parts[0] !== undefined && parts[2] !== undefined
          ? TypeInference.settle(this.combineExprs([parts[0], parts[2]]))
          : undefined;
      }
      case NodeKind.BooleanOperator: {
        const left = t.field(n, Field.Left);
        const right = t.field(n, Field.Right);
        return left === undefined || right === undefined
          ? undefined
          : TypeInference.settle(this.combineExprs([left, right]));
      }
      case NodeKind.Await: {
        const inner = t.firstChild(n);
        return inner === undefined ? undefined : this.typeOf(inner);
      }
      default:
        return undefined;
    }
  }

  /** The evidence of a value bound by a statement: the statement itself (`dom = conn.lookupByName(...)`). */
  private viaBinding(valueNode: NodeId, inner: ReceiverVia, loopTarget?: NodeId): ReceiverVia {
    const t = this.t;
    const stmt = t.parent(valueNode);
    if (stmt === undefined) return inner;
    if (loopTarget !== undefined) {
      const range = { start: t.range(stmt).start, end: t.range(valueNode).end };
      const text = `for ${t.text(loopTarget).replace(/\s+/g, ' ')} in ${evidenceText(t, valueNode)}`;
      return withProducer({ kind: inner.kind, text, range }, inner.producer);
    }
    if (t.kind(stmt) !== NodeKind.Assignment) return inner;
    return withProducer({ kind: inner.kind, text: evidenceText(t, stmt), range: t.range(stmt) }, inner.producer);
  }

  private bindingType(b: LocalBinding): ValueType | undefined {
    if (b.kind === 'except-error') return { k: 'error' };
    const type = this.typeOf(b.expr);
    if (b.kind === 'for') {
      // A loop variable is an element of what it iterates: a libvirt list, or something unknown.
      if (!type) return undefined;
      if (type.k !== 'list') return opaqueType;
      const stmt = this.t.parent(b.expr);
      const target = stmt === undefined ? undefined : this.t.field(stmt, Field.Left);
      return { k: 'object', cls: type.cls, via: this.viaBinding(b.expr, type.via, target) };
    }
    return type && isLibvirtType(type) ? { ...type, via: this.viaBinding(b.expr, type.via) } : type;
  }

  private identifierType(name: string, at: NodeId): ValueType | undefined {
    if (name === 'self' || name === 'cls') return foreignType;
    const assigned = this.scope.localAssignments(name, at);
    const bound = assigned.filter((a) => a.kind !== 'param');
    const values = bound.filter((a) => a.kind !== 'assign' || this.t.kind(unparen(this.t, a.expr)) !== NodeKind.None);
    let contradicted = false;
    if (values.length) {
      const v = this.combineOnce(assigned, () => combine(values.map((b) => this.bindingType(b))));
      if (v.type && v.type.k !== 'opaque') return v.type;
      contradicted = v.contradicted;
    }
    const annotation = this.scope.annotation(name, at);
    if (annotation !== undefined) {
      const type = this.annotated(name, annotation);
      if (type.k !== 'opaque') return type;
      contradicted = true;
    }
    const module = this.scope.libvirtModule(name);
    if (module && !bound.length) return { k: 'module', module };
    if (contradicted) return opaqueType;
    const mapped = this.nameMap(name, at);
    if (mapped) return mapped;
    if (this.scope.foreignModule(name) !== undefined) return foreignType;
    return undefined;
  }

  private attributeType(n: NodeId): ValueType | undefined {
    const t = this.t;
    const obj = t.field(n, Field.Object);
    const attrNode = t.field(n, Field.Attribute);
    if (obj === undefined || attrNode === undefined) return undefined;
    const objNode = unparen(t, obj);
    if (t.kind(objNode) === NodeKind.Identifier && (t.text(objNode) === 'self' || t.text(objNode) === 'cls')) {
      const exprs = this.scope.selfAssignments(t.text(attrNode), n);
      const v = this.combineOnce(exprs, () => this.combineExprs(exprs));
      const type = v.type;
      if (type && isLibvirtType(type)) return { ...type, via: this.viaBinding(this.valueOf(type, exprs), type.via) };
      if (type && type.k !== 'opaque') return type;
      if (v.contradicted) return opaqueType;
    }
    const dotted = dottedName(t, n);
    // `guest._domain` before `_domain`: the longest name-map key wins.
    if (dotted) {
      const parts = dotted.split('.');
      for (let i = 0; i < parts.length; i++) {
        const mapped = this.nameMap(parts.slice(i).join('.'), n);
        if (mapped) return mapped;
      }
    }
    return undefined;
  }

  /** The first of several assigned values that has this type: the one a sentence names. */
  private valueOf(type: ValueType, exprs: readonly NodeId[]): NodeId {
    const first = exprs.find((e) => {
      const x = this.typeOf(e);
      return x !== undefined && same(x, type);
    });
    return first ?? exprs[0] ?? 0;
  }

  private callType(n: NodeId): ValueType | undefined {
    const t = this.t;
    const fn = t.field(n, Field.Function);
    if (fn === undefined) return undefined;
    const name = calleeName(t, n);
    const fnKind = t.kind(fn);
    const returned = (f: MethodFeature | undefined, receiverProducer?: ReceiverVia['producer']) => {
      if (!f) return undefined; // not a libvirt API the database knows
      if (!f.returns) return foreignType; // a string, a number, a list of names
      const via: ReceiverVia = withProducer(
        { kind: 'return-type', text: evidenceText(t, n), range: t.range(n) },
        newerProducer(receiverProducer, producerOf(f)),
      );
      return f.returns.list
        ? ({ k: 'list', cls: f.returns.pyClass, via } as const)
        : ({ k: 'object', cls: f.returns.pyClass, via } as const);
    };
    if (fnKind === NodeKind.Identifier && name && builtinCalls.has(name)) return foreignType;
    const constructed = this.scope.classOfCallee(n);
    if (constructed) return { k: 'instance', cls: constructed };
    if (fnKind === NodeKind.Identifier && name) {
      if (name === 'import_module') return this.importModuleType(n);
      if (isStandardModule(this.scope.foreignModule(name))) return foreignType;
    }
    if (fnKind === NodeKind.Attribute && name) {
      const recv = t.field(fn, Field.Object);
      const recvType = recv === undefined ? undefined : this.typeOf(recv);
      if (recvType?.k === 'object') return returned(this.scope.db.method(recvType.cls, name), recvType.via.producer);
      if (recvType?.k === 'module') return returned(this.scope.db.moduleFunction(recvType.module, name));
      if (name === 'import_module') return this.importModuleType(n);
      const root = recv === undefined ? undefined : dottedName(t, recv)?.split('.')[0];
      if (root !== undefined && isStandardModule(this.scope.foreignModule(root))) return foreignType;
    }
    const returns = this.scope.helperReturns(n);
    if (returns && returns.length) {
      const v = this.combineExprs(returns);
      const type = v.type;
      if (type && isLibvirtType(type))
        return {
          ...type,
          via: withProducer({ kind: 'return-type', text: evidenceText(t, n), range: t.range(n) }, type.via.producer),
        };
      if (type && type.k !== 'opaque') return type;
      if (v.contradicted) return opaqueType;
    }
    if (name) {
      const mapped = this.nameMap(`${name}()`, n);
      if (mapped) return mapped;
    }
    return undefined;
  }

  private importModuleType(call: NodeId): ValueType | undefined {
    const t = this.t;
    const arg = callArguments(t, call).positional[0];
    const text =
      arg !== undefined && t.kind(arg) === NodeKind.String ? t.text(arg).replace(/^['"]+|['"]+$/g, '') : undefined;
    const module = text ? this.scope.libvirtModule(text) : undefined;
    return module ? { k: 'module', module } : undefined;
  }
}

function isStandardModule(module: string | undefined): boolean {
  return module !== undefined && standardModules.has(module.split('.')[0] ?? module);
}

/**
 * Whether a method name, on a receiver of unknown type, names a libvirt method: libvirt-python's
 * camelCase (`fsFreeze`, `XMLDesc`; when several classes define it the oldest counts), or a
 * lowercase name exactly one libvirt class defines that is not a common Python method name
 * (`migrate3`, `vcpus`; not `update`, `rename`, `resume`).
 */
export function isDistinctiveMethodName(db: FeatureDb, name: string): boolean {
  if (name.startsWith('_')) return false;
  const candidates = db.methodsNamed(name);
  if (!candidates.length) return false;
  if (/[A-Z]/.test(name)) return true;
  return candidates.length === 1 && !commonMethodNames.has(name);
}
