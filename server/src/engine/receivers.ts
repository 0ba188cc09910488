// Which libvirt class a value has: from the libvirt call that produced it, an annotation,
// the configured name map, or (last) a method name that only libvirt defines.
import type { FeatureDb, LibvirtModule, MethodFeature } from '../data/featureDb';
import type { Node } from './parser';
import { callArguments, calleeName, dottedName, field, namedChildren, unparen } from './syntax';
import type { SymbolFacts } from './types';

export type ReceiverVia = NonNullable<SymbolFacts['receiverVia']>;

export type ValueType =
  | { readonly k: 'object'; readonly cls: string; readonly via: ReceiverVia }
  | { readonly k: 'list'; readonly cls: string; readonly via: ReceiverVia }
  | { readonly k: 'module'; readonly module: LibvirtModule }
  | { readonly k: 'foreign' }
  | { readonly k: 'error' };

const foreignType: ValueType = { k: 'foreign' };

const literalTypes = new Set([
  'string', 'concatenated_string', 'integer', 'float', 'true', 'false', 'none', 'list', 'dictionary', 'set', 'tuple',
  'list_comprehension', 'dictionary_comprehension', 'set_comprehension', 'generator_expression', 'binary_operator',
  'comparison_operator', 'unary_operator', 'lambda', 'boolean_operator', 'not_operator',
]);

const builtinCalls = new Set([
  'open', 'dict', 'list', 'set', 'tuple', 'str', 'int', 'float', 'bool', 'len', 'range', 'enumerate', 'zip', 'map',
  'filter', 'sorted', 'reversed', 'super', 'object', 'type', 'iter', 'next', 'min', 'max', 'sum', 'any', 'all',
  'getattr', 'vars', 'repr', 'format', 'bytes', 'bytearray', 'frozenset', 'print', 'isinstance', 'hasattr',
]);

/** What type inference needs to know about names; implemented by the analysis of a file. */
export interface TypeScope {
  readonly db: FeatureDb;
  readonly receivers: Readonly<Record<string, string>>;
  libvirtModule(name: string): LibvirtModule | undefined;
  /** Expressions assigned to a local name in the current function (empty when none). */
  localAssignments(name: string): readonly { readonly expr: Node; readonly kind: 'assign' | 'for' | 'except-error' | 'param' }[];
  /** Expressions assigned to `self.<attr>` in the class of the current function. */
  selfAssignments(attr: string): readonly Node[];
  /** Annotation text of a parameter or annotated local, if any. */
  annotation(name: string): string | undefined;
  isForeignName(name: string): boolean;
  isWorkspaceClass(name: string): boolean;
  /** Return expressions of a local helper called by this call, if it is one. */
  helperReturns(call: Node): readonly Node[] | undefined;
  /** Runs `fn` in the scope of the function containing `node`. */
  inOwnerScope<T>(node: Node, fn: () => T): T;
}

function fromFeatureReturn(f: MethodFeature | undefined, via: ReceiverVia): ValueType | undefined {
  if (!f?.returns) return undefined;
  return f.returns.list ? { k: 'list', cls: f.returns.pyClass, via } : { k: 'object', cls: f.returns.pyClass, via };
}

function same(a: ValueType, b: ValueType): boolean {
  return a.k === b.k && (a.k !== 'object' && a.k !== 'list' ? true : a.cls === (b as { cls: string }).cls);
}

export class TypeInference {
  private readonly busy = new Set<number>();
  constructor(private readonly scope: TypeScope) {}

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

  private union(exprs: readonly Node[]): ValueType | undefined {
    let result: ValueType | undefined;
    for (const e of exprs) {
      const t = this.typeOf(e);
      if (!t) return undefined;
      if (!result) result = t;
      else if (!same(result, t)) return undefined;
    }
    return result;
  }

  typeOf(expr: Node): ValueType | undefined {
    const n = unparen(expr);
    if (this.busy.has(n.id)) return undefined;
    this.busy.add(n.id);
    try {
      return this.compute(n);
    } finally {
      this.busy.delete(n.id);
    }
  }

  private compute(n: Node): ValueType | undefined {
    if (literalTypes.has(n.type)) return foreignType;
    switch (n.type) {
      case 'identifier': return this.identifierType(n.text);
      case 'attribute': return this.attributeType(n);
      case 'call': return this.callType(n);
      case 'subscript': {
        const value = field(n, 'value');
        const t = value ? this.typeOf(value) : undefined;
        return t?.k === 'list' ? { k: 'object', cls: t.cls, via: t.via } : undefined;
      }
      case 'conditional_expression': {
        const parts = namedChildren(n);
        return parts.length === 3 && parts[0] && parts[2] ? this.union([parts[0], parts[2]]) : undefined;
      }
      case 'await': { const inner = n.namedChild(0); return inner ? this.typeOf(inner) : undefined; }
      default: return undefined;
    }
  }

  private identifierType(name: string): ValueType | undefined {
    if (name === 'self' || name === 'cls') return foreignType;
    const assigned = this.scope.localAssignments(name);
    if (assigned.length) {
      const types: ValueType[] = [];
      for (const a of assigned) {
        if (a.kind === 'except-error') { types.push({ k: 'error' }); continue; }
        if (a.kind === 'param') continue;
        const t = this.typeOf(a.expr);
        if (!t) { types.length = 0; break; }
        types.push(a.kind === 'for' ? (t.k === 'list' ? { k: 'object', cls: t.cls, via: t.via } : foreignType) : t);
      }
      const first = types[0];
      if (first && types.every((t) => same(t, first))) return first;
    }
    const annotation = this.scope.annotation(name);
    if (annotation) { const t = this.annotated(annotation); if (t) return t; }
    const module = this.scope.libvirtModule(name);
    if (module && !assigned.some((a) => a.kind !== 'param')) return { k: 'module', module };
    const mapped = this.nameMap(name);
    if (mapped) return mapped;
    if (this.scope.isForeignName(name) || this.scope.isWorkspaceClass(name)) return foreignType;
    return undefined;
  }

  private attributeType(n: Node): ValueType | undefined {
    const obj = field(n, 'object');
    const attr = field(n, 'attribute')?.text;
    if (!obj || !attr) return undefined;
    const objNode = unparen(obj);
    if (objNode.type === 'identifier' && (objNode.text === 'self' || objNode.text === 'cls')) {
      const exprs = this.scope.selfAssignments(attr);
      const t = exprs[0] ? this.scope.inOwnerScope(exprs[0], () => this.union(exprs)) : undefined;
      if (t) return t;
    }
    const dotted = dottedName(n);
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

  private callType(n: Node): ValueType | undefined {
    const fn = field(n, 'function');
    if (!fn) return undefined;
    const name = calleeName(n);
    if (fn.type === 'identifier' && name) {
      if (builtinCalls.has(name) || this.scope.isWorkspaceClass(name)) return foreignType;
      if (name === 'import_module') return this.importModuleType(n);
    }
    if (fn.type === 'attribute' && name) {
      const recv = field(fn, 'object');
      const recvType = recv ? this.typeOf(recv) : undefined;
      if (recvType?.k === 'object') return fromFeatureReturn(this.scope.db.method(recvType.cls, name), 'return-type');
      if (recvType?.k === 'module') return fromFeatureReturn(this.scope.db.moduleFunction(recvType.module, name), 'return-type');
      if (name === 'import_module') return this.importModuleType(n);
    }
    const returns = this.scope.helperReturns(n);
    if (returns && returns.length) {
      const t = returns[0] ? this.scope.inOwnerScope(returns[0], () => this.union(returns)) : undefined;
      if (t) return t.k === 'object' || t.k === 'list' ? { ...t, via: 'return-type' } : t;
    }
    if (name) {
      const mapped = this.nameMap(`${name}()`);
      if (mapped) return mapped;
    }
    return undefined;
  }

  private importModuleType(call: Node): ValueType | undefined {
    const arg = callArguments(call).positional[0];
    const text = arg?.type === 'string' ? arg.text.replace(/^['"]+|['"]+$/g, '') : undefined;
    const module = text ? this.scope.libvirtModule(text) : undefined;
    return module ? { k: 'module', module } : undefined;
  }
}

/** A method name is distinctive when it is libvirt-python's camelCase (`fsFreeze`, `XMLDesc`). */
export function isDistinctiveMethodName(name: string): boolean {
  return /[A-Z]/.test(name) && !name.startsWith('_');
}
