// Name resolution for one file: the bindings of each function (one object per function,
// built on first use), class attributes, module constants, local helpers, and the other
// files behind them (WorkspaceFacts). Every question is asked at a node: the function that
// holds the node decides which bindings answer, so there is no "current function" to track.
import type { FeatureDb, LibvirtModule } from '../../data/featureDb';
import type { Policy } from '../../config/policy';
import {
  calleeName,
  compactText,
  Field,
  NodeKind,
  simpleName,
  unparen,
  type NodeId,
  type SyntaxTree,
} from '../syntax/index';
import type { VersionNumber } from '../types';
import {
  and,
  hasCheck,
  mentionsGuard,
  negate,
  noCond,
  readCond,
  relocate,
  type Cond,
  type CondReaderHost,
} from './conditions';
import { libvirtModuleOf, type FileModel, type FunctionInfo } from './fileModel';
import { TypeInference, type LocalBinding, type TypeInferenceHost } from './receivers';
import { versionLiteral } from './versions';
import type { WorkspaceFacts } from './workspaceFacts';

/** The names a function binds: locals, parameter annotations, `a, b = helper()` results. */
class FunctionBindings {
  readonly locals = new Map<string, LocalBinding[]>();
  readonly annotations = new Map<string, string>();
  /** `a, b = helper()`: the first target holds the helper's condition. */
  readonly heldFromTuple = new Map<string, NodeId>();

  add(name: string, b: LocalBinding): void {
    const list = this.locals.get(name);
    if (list) list.push(b);
    else this.locals.set(name, [b]);
  }
}

function isFailureValue(t: SyntaxTree, node: NodeId | undefined): boolean | undefined {
  if (node === undefined) return undefined;
  const n = unparen(t, node);
  const kind = t.kind(n);
  const first = kind === NodeKind.Tuple || kind === NodeKind.ExpressionList ? t.firstChild(n) : n;
  if (first === undefined) return undefined;
  if (t.kind(first) === NodeKind.False) return true;
  if (t.kind(first) === NodeKind.True) return false;
  return undefined;
}

/** The value of `return <value>`, if any. */
function returnValue(t: SyntaxTree, ret: NodeId): NodeId | undefined {
  return t.firstChild(ret);
}

export interface SemanticsOptions {
  readonly versionChecks: readonly string[];
  readonly gates: readonly string[];
  readonly receivers: Policy['receivers'];
}

export class FileSemantics implements CondReaderHost {
  readonly tree: SyntaxTree;
  readonly versionChecks: ReadonlySet<string>;
  readonly gates: ReadonlySet<string>;
  readonly libvirtModules: ReadonlyMap<string, LibvirtModule>;
  readonly types: TypeInference;
  private readonly bindings = new Map<NodeId, FunctionBindings>();
  private readonly helperConds = new Map<NodeId, Cond | null>();
  private readonly selfAttrs = new Map<string, Map<string, NodeId[]>>();
  private readonly resolving = new Set<NodeId>();

  constructor(
    readonly uri: string,
    readonly model: FileModel,
    options: SemanticsOptions,
    readonly db: FeatureDb,
    readonly workspace: WorkspaceFacts,
  ) {
    this.tree = model.tree;
    this.versionChecks = new Set(options.versionChecks);
    this.gates = new Set(options.gates.map((g) => g.replace(/[\s\\]+/g, '')));
    this.libvirtModules = model.libvirtModules;
    const typeHost: TypeInferenceHost = {
      tree: this.tree,
      db,
      receivers: options.receivers,
      libvirtModule: (name) => this.model.libvirtModules.get(name) ?? libvirtModuleOf(name),
      localAssignments: (name, at) => this.localBindings(name, at),
      selfAssignments: (attr, at) => this.selfAssignments(attr, at),
      annotation: (name, at) => this.bindingsAt(at)?.annotations.get(name),
      isForeignName: (name) => this.model.foreignImports.has(name),
      isWorkspaceClass: (name) => this.model.classes.has(name) || this.workspace.isWorkspaceClass(name),
      helperReturns: (call) => this.helperReturns(call),
    };
    this.types = new TypeInference(typeHost);
  }

  /** The function whose analysis unit holds the node (undefined: module level). */
  functionOf(node: NodeId): FunctionInfo | undefined {
    return this.model.unitOf(node);
  }

  /** What a local name is bound to in the function that holds `at` (empty at module level or when unbound). */
  localBindings(name: string, at: NodeId): readonly LocalBinding[] {
    return this.bindingsAt(at)?.locals.get(name) ?? [];
  }

  private bindingsAt(node: NodeId): FunctionBindings | undefined {
    const fn = this.model.unitOf(node);
    if (!fn) return undefined;
    let b = this.bindings.get(fn.node);
    if (!b) {
      b = this.buildBindings(fn);
      this.bindings.set(fn.node, b);
    }
    return b;
  }

  private buildBindings(fn: FunctionInfo): FunctionBindings {
    const t = this.tree;
    const s = new FunctionBindings();
    const params = t.field(fn.node, Field.Parameters);
    for (const p of params === undefined ? [] : t.children(params)) {
      const name = t.kind(p) === NodeKind.Identifier ? p : (t.field(p, Field.Name) ?? t.firstChild(p));
      const type = t.field(p, Field.Type);
      if (name !== undefined && t.kind(name) === NodeKind.Identifier) {
        s.add(t.text(name), { expr: p, kind: 'param' });
        if (type !== undefined) s.annotations.set(t.text(name), t.text(type));
      }
    }
    const body = t.field(fn.node, Field.Body);
    if (body === undefined) return s;
    for (const node of t.descendantsOfKind(body, [NodeKind.Assignment, NodeKind.ForStatement, NodeKind.ExceptClause])) {
      if (this.model.unitOf(node)?.node !== fn.node) continue;
      const kind = t.kind(node);
      if (kind === NodeKind.Assignment) {
        const left = t.field(node, Field.Left);
        const right = t.field(node, Field.Right);
        const type = t.field(node, Field.Type);
        if (left !== undefined && t.kind(left) === NodeKind.Identifier) {
          if (right !== undefined) s.add(t.text(left), { expr: right, kind: 'assign' });
          if (type !== undefined) s.annotations.set(t.text(left), t.text(type));
        } else if (
          left !== undefined &&
          right !== undefined &&
          (t.kind(left) === NodeKind.PatternList || t.kind(left) === NodeKind.TuplePattern)
        ) {
          const first = t.firstChild(left);
          const call = unparen(t, right);
          if (first !== undefined && t.kind(first) === NodeKind.Identifier && t.kind(call) === NodeKind.Call)
            s.heldFromTuple.set(t.text(first), call);
          for (const target of t.children(left))
            if (t.kind(target) === NodeKind.Identifier) s.add(t.text(target), { expr: target, kind: 'param' });
        }
      } else if (kind === NodeKind.ForStatement) {
        const left = t.field(node, Field.Left);
        const right = t.field(node, Field.Right);
        if (left !== undefined && right !== undefined && t.kind(left) === NodeKind.Identifier)
          s.add(t.text(left), { expr: right, kind: 'for' });
      } else {
        // except libvirt.libvirtError as e / except libvirt.libvirtError, e (Python 2)
        const value = t.field(node, Field.Value);
        const asPattern = value !== undefined && t.kind(value) === NodeKind.AsPattern;
        const aliasTarget = asPattern ? t.field(value, Field.Alias) : undefined;
        const alias = asPattern
          ? aliasTarget === undefined
            ? undefined
            : t.firstChild(aliasTarget)
          : t.fieldChildren(node, Field.Value)[1];
        const caught = asPattern ? t.firstChild(value) : value;
        if (alias !== undefined && t.kind(alias) === NodeKind.Identifier) {
          if (caught !== undefined && /libvirtError$/.test(t.text(caught)))
            s.add(t.text(alias), { expr: caught, kind: 'except-error' });
          else s.add(t.text(alias), { expr: alias, kind: 'param' });
        }
      }
    }
    return s;
  }

  private selfAssignments(attr: string, at: NodeId): NodeId[] {
    const cls = this.model.unitOf(at)?.className;
    if (!cls) return [];
    let attrs = this.selfAttrs.get(cls);
    if (!attrs) {
      const t = this.tree;
      attrs = new Map();
      const classNode = this.model.classes.get(cls);
      for (const a of classNode === undefined ? [] : t.descendantsOfKind(classNode, NodeKind.Assignment)) {
        const left = t.field(a, Field.Left);
        const right = t.field(a, Field.Right);
        if (left === undefined || right === undefined || t.kind(left) !== NodeKind.Attribute) continue;
        const obj = t.field(left, Field.Object);
        if (obj === undefined || t.text(obj) !== 'self') continue;
        const nameNode = t.field(left, Field.Attribute);
        if (nameNode === undefined) continue;
        const name = t.text(nameNode);
        const list = attrs.get(name);
        if (list) list.push(right);
        else attrs.set(name, [right]);
      }
      this.selfAttrs.set(cls, attrs);
    }
    return attrs.get(attr) ?? [];
  }

  // ---- versions -------------------------------------------------------------------------

  resolveVersion(node: NodeId): VersionNumber | undefined {
    const t = this.tree;
    const literal = versionLiteral(t, node);
    if (literal !== undefined) return literal;
    const n = unparen(t, node);
    const kind = t.kind(n);
    if (kind === NodeKind.Identifier) {
      const name = t.text(n);
      const local = this.model.constants.get(name);
      if (local !== undefined && !this.resolving.has(local)) {
        this.resolving.add(local);
        try {
          return this.resolveVersion(local);
        } finally {
          this.resolving.delete(local);
        }
      }
      const imported = this.model.foreignImports.get(name);
      return this.workspace.constant(imported?.name ?? name, imported?.module);
    }
    if (kind === NodeKind.Attribute) {
      const nameNode = t.field(n, Field.Attribute);
      const obj = t.field(n, Field.Object);
      if (nameNode === undefined) return undefined;
      const module =
        obj !== undefined && t.kind(obj) === NodeKind.Identifier
          ? (this.model.foreignImports.get(t.text(obj))?.module ?? t.text(obj))
          : undefined;
      return this.workspace.constant(t.text(nameNode), module);
    }
    return undefined;
  }

  // ---- conditions -----------------------------------------------------------------------

  read(expr: NodeId): Cond {
    return readCond(expr, this);
  }

  heldCond(node: NodeId): Cond | undefined {
    const t = this.tree;
    const kind = t.kind(node);
    if (kind === NodeKind.Identifier) {
      const b = this.bindingsAt(node);
      const tupleCall = b?.heldFromTuple.get(t.text(node));
      if (tupleCall !== undefined) return this.helperCond(tupleCall);
      const bound = b?.locals.get(t.text(node));
      const only = bound && bound.length === 1 ? bound[0] : undefined;
      if (only?.kind === 'assign') {
        const c = this.read(only.expr);
        return mentionsGuard(c) ? c : undefined;
      }
      return undefined;
    }
    if (kind === NodeKind.Attribute) {
      const obj = t.field(node, Field.Object);
      const attrNode = t.field(node, Field.Attribute);
      if (obj === undefined || t.text(obj) !== 'self' || attrNode === undefined) return undefined;
      const exprs = this.selfAssignments(t.text(attrNode), node);
      const only = exprs.length === 1 ? exprs[0] : undefined;
      if (only !== undefined) {
        const c = this.read(only);
        return mentionsGuard(c) ? c : undefined;
      }
    }
    return undefined;
  }

  /** Local function a call (or property access) refers to, by name. */
  localFunction(node: NodeId): FunctionInfo | undefined {
    const t = this.tree;
    const isCall = t.kind(node) === NodeKind.Call;
    const target = isCall ? t.field(node, Field.Function) : node;
    if (target === undefined) return undefined;
    const name = simpleName(t, target);
    if (!name) return undefined;
    const candidates = this.model.functionsByName.get(name) ?? [];
    const same = candidates.filter((f) => (isCall ? !f.isProperty : f.isProperty));
    const cls = this.model.unitOf(node)?.className;
    return same.find((f) => f.className === cls) ?? same[0];
  }

  helperCond(node: NodeId): Cond | undefined {
    const fn = this.localFunction(node);
    if (fn) return this.functionCond(fn) ?? undefined;
    // A helper of another workspace file: its condition, re-homed at the call here.
    const t = this.tree;
    const isCall = t.kind(node) === NodeKind.Call;
    const target = isCall ? t.field(node, Field.Function) : node;
    const name = isCall
      ? calleeName(t, node)
      : target !== undefined && t.kind(target) === NodeKind.Attribute
        ? simpleName(t, target)
        : undefined;
    if (!name) return undefined;
    const remote = this.workspace.helperCond(name, isCall, this.uri);
    if (!remote) return undefined;
    const range = t.range(node);
    const text = t.text(node).replace(/\s+/g, ' ');
    return relocate(remote, (g) => ({ ...g, kind: g.kind === 'gate' ? 'gate' : 'helper', uri: this.uri, range, text }));
  }

  /** The condition a helper's True result stands for, computed once per function. */
  functionCond(fn: FunctionInfo): Cond | null {
    const cached = this.helperConds.get(fn.node);
    if (cached !== undefined) return cached;
    this.helperConds.set(fn.node, null); // recursion guard
    const t = this.tree;
    let result: Cond | null = null;
    const stmts = fn.body.filter(
      (s) => !(t.kind(s) === NodeKind.ExpressionStatement && t.kind(t.firstChild(s) ?? s) === NodeKind.String),
    );
    const last = stmts[stmts.length - 1];
    const lastValue =
      last !== undefined && t.kind(last) === NodeKind.ReturnStatement ? returnValue(t, last) : undefined;
    if (lastValue !== undefined && isFailureValue(t, lastValue) === false) {
      // if <c>: return False/(False, reason) ... return True/(True, None)
      let acc: Cond = noCond;
      for (const s of stmts.slice(0, -1)) {
        if (t.kind(s) !== NodeKind.IfStatement || t.field(s, Field.Alternative) !== undefined) continue;
        const block = t.field(s, Field.Consequence);
        const ret =
          block === undefined ? undefined : t.children(block).find((x) => t.kind(x) === NodeKind.ReturnStatement);
        const cond = t.field(s, Field.Condition);
        if (cond !== undefined && ret !== undefined && isFailureValue(t, returnValue(t, ret)) === true)
          acc = and(acc, negate(this.read(cond)));
      }
      result = hasCheck(acc) ? acc : null;
    } else if (lastValue !== undefined && stmts.filter((s) => t.kind(s) === NodeKind.ReturnStatement).length === 1) {
      const c = this.read(lastValue);
      result = mentionsGuard(c) ? c : null;
    }
    this.helperConds.set(fn.node, result);
    return result;
  }

  private helperReturns(call: NodeId): NodeId[] | undefined {
    const fn = this.localFunction(call);
    if (!fn) return undefined;
    const t = this.tree;
    const body = t.field(fn.node, Field.Body);
    if (body === undefined) return undefined;
    const out: NodeId[] = [];
    for (const r of t.descendantsOfKind(body, NodeKind.ReturnStatement)) {
      if (this.model.unitOf(r)?.node !== fn.node) continue;
      const v = returnValue(t, r);
      if (v !== undefined) out.push(v);
    }
    return out.length ? out : undefined;
  }

  isGateText(node: NodeId): boolean {
    return this.gates.has(compactText(this.tree, unparen(this.tree, node)));
  }
}
