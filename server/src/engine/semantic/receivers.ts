// Which libvirt class a value has: from the libvirt call that produced it, an annotation,
// the configured name map, or (last) a method name that only libvirt defines.
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
import type { SymbolFacts } from '../types';
import type { ClassRef } from './workspaceFacts';

type ReceiverVia = NonNullable<SymbolFacts['receiverVia']>;

export type ValueType =
  | { readonly k: 'object'; readonly cls: string; readonly via: ReceiverVia }
  | { readonly k: 'list'; readonly cls: string; readonly via: ReceiverVia }
  | { readonly k: 'module'; readonly module: LibvirtModule }
  /** An object of a class of the workspace (`Host(...)`): not libvirt, but its methods can be version helpers. */
  | { readonly k: 'instance'; readonly cls: ClassRef }
  | { readonly k: 'foreign' }
  | { readonly k: 'error' };

const foreignType: ValueType = { k: 'foreign' };

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
  NodeKind.BooleanOperator,
  NodeKind.NotOperator,
]);

const builtinCalls = new Set([
  'open',
  'dict',
  'list',
  'set',
  'tuple',
  'str',
  'int',
  'float',
  'bool',
  'len',
  'range',
  'enumerate',
  'zip',
  'map',
  'filter',
  'sorted',
  'reversed',
  'super',
  'object',
  'type',
  'iter',
  'next',
  'min',
  'max',
  'sum',
  'any',
  'all',
  'getattr',
  'vars',
  'repr',
  'format',
  'bytes',
  'bytearray',
  'frozenset',
  'print',
  'isinstance',
  'hasattr',
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
  /** Annotation text of a parameter or annotated local, if any. */
  annotation(name: string, at: NodeId): string | undefined;
  isForeignName(name: string): boolean;
  /** The workspace class a call constructs (`Host(uri)`, `host.Host(uri)`), if it calls one. */
  classOfCallee(call: NodeId): ClassRef | undefined;
  /** Return expressions of a local helper called by this call, if it is one. */
  helperReturns(call: NodeId): readonly NodeId[] | undefined;
}

function fromFeatureReturn(f: MethodFeature | undefined, via: ReceiverVia): ValueType | undefined {
  if (!f?.returns) return undefined;
  return f.returns.list ? { k: 'list', cls: f.returns.pyClass, via } : { k: 'object', cls: f.returns.pyClass, via };
}

function same(a: ValueType, b: ValueType): boolean {
  if (a.k !== b.k) return false;
  if ((a.k === 'object' || a.k === 'list') && (b.k === 'object' || b.k === 'list')) return a.cls === b.cls;
  if (a.k === 'instance' && b.k === 'instance') return a.cls.uri === b.cls.uri && a.cls.name === b.cls.name;
  return true;
}

const notLibvirt = (t: ValueType): boolean => t.k === 'foreign' || t.k === 'instance';

/** One type for values that may come from several places: the common one; not libvirt when none is; else unknown. */
function common(types: readonly ValueType[]): ValueType | undefined {
  const first = types[0];
  if (!first) return undefined;
  if (types.every((x) => same(x, first))) return first;
  return types.every(notLibvirt) ? foreignType : undefined;
}

export class TypeInference {
  private readonly busy = new Set<NodeId>();
  private readonly t: SyntaxTree;

  constructor(private readonly scope: TypeInferenceHost) {
    this.t = scope.tree;
  }

  private nameMap(key: string): ValueType | undefined {
    const cls = this.scope.receivers[key];
    return cls ? { k: 'object', cls, via: 'name-map' } : undefined;
  }

  private annotated(text: string): ValueType | undefined {
    const m = /^(?:([A-Za-z_]\w*)\.)?(vir[A-Z]\w*)$/.exec(text.replace(/\s+/g, '').replace(/^Optional\[(.*)\]$/, '$1'));
    if (!m || !m[2] || !this.scope.db.classNames.has(m[2])) return undefined;
    if (m[1] && !this.scope.libvirtModule(m[1])) return undefined;
    return { k: 'object', cls: m[2], via: 'annotation' };
  }

  private union(exprs: readonly NodeId[]): ValueType | undefined {
    const types: ValueType[] = [];
    for (const e of exprs) {
      const type = this.typeOf(e);
      if (!type) return undefined;
      types.push(type);
    }
    return common(types);
  }

  typeOf(expr: NodeId): ValueType | undefined {
    const n = unparen(this.t, expr);
    if (this.busy.has(n)) return undefined;
    this.busy.add(n);
    try {
      return this.compute(n);
    } finally {
      this.busy.delete(n);
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
        const value = t.field(n, Field.Value);
        const type = value === undefined ? undefined : this.typeOf(value);
        return type?.k === 'list' ? { k: 'object', cls: type.cls, via: type.via } : undefined;
      }
      case NodeKind.ConditionalExpression: {
        const parts = t.children(n);
        return parts.length === 3 && parts[0] !== undefined && parts[2] !== undefined
          ? this.union([parts[0], parts[2]])
          : undefined;
      }
      case NodeKind.Await: {
        const inner = t.firstChild(n);
        return inner === undefined ? undefined : this.typeOf(inner);
      }
      default:
        return undefined;
    }
  }

  private identifierType(name: string, at: NodeId): ValueType | undefined {
    if (name === 'self' || name === 'cls') return foreignType;
    const assigned = this.scope.localAssignments(name, at);
    if (assigned.length) {
      const types: ValueType[] = [];
      for (const a of assigned) {
        if (a.kind === 'except-error') {
          types.push({ k: 'error' });
          continue;
        }
        if (a.kind === 'param') continue;
        const type = this.typeOf(a.expr);
        if (!type) {
          types.length = 0;
          break;
        }
        types.push(
          a.kind === 'for' ? (type.k === 'list' ? { k: 'object', cls: type.cls, via: type.via } : foreignType) : type,
        );
      }
      const found = common(types);
      if (found) return found;
    }
    const annotation = this.scope.annotation(name, at);
    if (annotation) {
      const type = this.annotated(annotation);
      if (type) return type;
    }
    const module = this.scope.libvirtModule(name);
    if (module && !assigned.some((a) => a.kind !== 'param')) return { k: 'module', module };
    const mapped = this.nameMap(name);
    if (mapped) return mapped;
    if (this.scope.isForeignName(name)) return foreignType;
    return undefined;
  }

  private attributeType(n: NodeId): ValueType | undefined {
    const t = this.t;
    const obj = t.field(n, Field.Object);
    const attrNode = t.field(n, Field.Attribute);
    if (obj === undefined || attrNode === undefined) return undefined;
    const objNode = unparen(t, obj);
    if (t.kind(objNode) === NodeKind.Identifier && (t.text(objNode) === 'self' || t.text(objNode) === 'cls')) {
      const type = this.union(this.scope.selfAssignments(t.text(attrNode), n));
      if (type) return type;
    }
    const dotted = dottedName(t, n);
    // `guest._domain` before `_domain`: the longest name-map key wins.
    if (dotted) {
      const parts = dotted.split('.');
      for (let i = 0; i < parts.length; i++) {
        const mapped = this.nameMap(parts.slice(i).join('.'));
        if (mapped) return mapped;
      }
    }
    return undefined;
  }

  private callType(n: NodeId): ValueType | undefined {
    const t = this.t;
    const fn = t.field(n, Field.Function);
    if (fn === undefined) return undefined;
    const name = calleeName(t, n);
    const fnKind = t.kind(fn);
    if (fnKind === NodeKind.Identifier && name && builtinCalls.has(name)) return foreignType;
    const constructed = this.scope.classOfCallee(n);
    if (constructed) return { k: 'instance', cls: constructed };
    if (fnKind === NodeKind.Identifier && name) {
      if (name === 'import_module') return this.importModuleType(n);
    }
    if (fnKind === NodeKind.Attribute && name) {
      const recv = t.field(fn, Field.Object);
      const recvType = recv === undefined ? undefined : this.typeOf(recv);
      if (recvType?.k === 'object') return fromFeatureReturn(this.scope.db.method(recvType.cls, name), 'return-type');
      if (recvType?.k === 'module')
        return fromFeatureReturn(this.scope.db.moduleFunction(recvType.module, name), 'return-type');
      if (name === 'import_module') return this.importModuleType(n);
    }
    const returns = this.scope.helperReturns(n);
    if (returns && returns.length) {
      const type = this.union(returns);
      if (type) return type.k === 'object' || type.k === 'list' ? { ...type, via: 'return-type' } : type;
    }
    if (name) {
      const mapped = this.nameMap(`${name}()`);
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

/** A method name is distinctive when it is libvirt-python's camelCase (`fsFreeze`, `XMLDesc`). */
export function isDistinctiveMethodName(name: string): boolean {
  return /[A-Z]/.test(name) && !name.startsWith('_');
}
