// Name resolution for one file: the bindings of each function (one object per function,
// built on first use), class attributes, module constants, local helpers, and the other
// files behind them (WorkspaceFacts). Every question is asked at a node: the function that
// holds the node decides which bindings answer, so there is no "current function" to track.
import { CycleMemo, type CutCount } from './cycleMemo';
import type { FeatureDb, LibvirtModule } from '../../data/featureDb';
import type { FeatureCheckSpec, Policy, VersionCheckSpec } from '../../config/policy';
import {
  callArguments,
  calleeName,
  compactText,
  dottedName,
  earlyExitCondition,
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
  checkCallArguments,
  compileProbePatterns,
  hasAvailabilityGuard,
  hasCheck,
  hasParam,
  instantiate,
  mapChecks,
  mentionsGuard,
  negate,
  noCond,
  readCond,
  relocate,
  VersionCheckNames,
  type Cond,
  type CondReaderHost,
  type ParamRef,
  type ProbePattern,
} from './conditions';
import {
  argumentFor,
  blockAssignments,
  callArgument,
  libvirtModuleOf,
  parameterNames,
  type FileModel,
  type FunctionInfo,
} from './fileModel';
import { childRef, refOfDotted, type ModuleRef } from './moduleRefs';
import { returnsFailure, tryProbeCond, type ProbeInferenceHost } from './probes';
import { TypeInference, type LocalBinding, type TypeInferenceHost, type ValueType } from './receivers';
import { versionComparisons } from './versionExpressions';
import { integerArithmetic, versionLiteral } from './versions';
import type { ClassRef, WorkspaceFacts } from './workspaceFacts';
import type { ElementFactory } from './xml/elementBuilders';

/** The names a function binds: locals, parameter annotations, `a, b = helper()` results. */
class FunctionBindings {
  readonly locals = new Map<string, LocalBinding[]>();
  /** Annotated names: the annotation's type node. */
  readonly annotations = new Map<string, NodeId>();
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
  readonly versionCheckSpecs?: readonly VersionCheckSpec[];
  readonly featureChecks?: readonly FeatureCheckSpec[];
  readonly probes?: readonly string[];
  readonly gates: readonly string[];
  readonly receivers: Policy['receivers'];
}

export class FileSemantics implements CondReaderHost {
  readonly tree: SyntaxTree;
  readonly versionChecks: VersionCheckNames;
  readonly featureChecks: ReadonlyMap<string, FeatureCheckSpec>;
  readonly probes: readonly ProbePattern[];
  readonly gates: ReadonlySet<string>;
  readonly libvirtModules: ReadonlyMap<string, LibvirtModule>;
  readonly types: TypeInference;
  private readonly bindings = new Map<NodeId, FunctionBindings>();
  private moduleAssignedOnce: Map<string, NodeId> | undefined;
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
    this.versionChecks = new VersionCheckNames(options.versionChecks, options.versionCheckSpecs);
    this.featureChecks = new Map((options.featureChecks ?? []).map((f) => [f.name, f]));
    this.probes = compileProbePatterns(options.probes ?? []);
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
      foreignModule: (name) => {
        const imported = this.model.foreignImports.get(name);
        if (!imported) return undefined;
        // Relative imports (resolved to a path) are the project's own modules, never the standard library's.
        if (imported.module === '' || imported.module.startsWith('/')) return `.${imported.module}`;
        return imported.name ? `${imported.module}.${imported.name}` : imported.module;
      },
      classOfCallee: (call) => {
        const fn = this.tree.field(call, Field.Function);
        return fn === undefined ? undefined : this.classNamed(fn);
      },
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
        if (type !== undefined) s.annotations.set(t.text(name), type);
      }
    }
    const body = t.field(fn.node, Field.Body);
    if (body === undefined) return s;
    const kinds = [
      NodeKind.Assignment,
      NodeKind.NamedExpression,
      NodeKind.ForStatement,
      NodeKind.ForInClause,
      NodeKind.ExceptClause,
    ];
    for (const node of t.descendantsOfKind(body, kinds)) {
      if (this.model.unitOf(node)?.node !== fn.node) continue;
      const kind = t.kind(node);
      if (kind === NodeKind.NamedExpression) {
        // `(ok := check())` binds like `ok = check()` (in the function, from a comprehension too).
        const name = t.field(node, Field.Name);
        const value = t.field(node, Field.Value);
        if (name !== undefined && value !== undefined && t.kind(name) === NodeKind.Identifier)
          s.add(t.text(name), { expr: value, kind: 'assign' });
      } else if (kind === NodeKind.Assignment) {
        const left = t.field(node, Field.Left);
        const right = t.field(node, Field.Right);
        const type = t.field(node, Field.Type);
        if (left !== undefined && t.kind(left) === NodeKind.Identifier) {
          if (right !== undefined) s.add(t.text(left), { expr: right, kind: 'assign' });
          if (type !== undefined) s.annotations.set(t.text(left), type);
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
      } else if (kind === NodeKind.ForStatement || kind === NodeKind.ForInClause) {
        // A comprehension's variable is its own scope's; a name is rarely reused for two things.
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
      const ref = refOfDotted(this.model.foreignImports, name);
      if (ref?.module !== undefined) return this.workspace.constant(this.uri, ref.module, ref.name);
      // A name neither defined nor imported by name may come from a `from m import *`.
      for (const star of this.model.starImports) {
        const v = this.workspace.constant(this.uri, star, name);
        if (v !== undefined) return v;
      }
      // A name of a function assigned there only, each time the same version (`needed = MIN_X`).
      // Last: most checks name a module constant, and this builds the function's bindings.
      const bound = this.bindingsAt(n)?.locals.get(name);
      return bound ? this.boundVersion(bound) : undefined;
    }
    if (kind === NodeKind.Attribute) {
      const dotted = dottedName(t, n);
      const ref = dotted === undefined ? undefined : refOfDotted(this.model.foreignImports, dotted);
      return ref?.module === undefined ? undefined : this.workspace.constant(this.uri, ref.module, ref.name);
    }
    // `LIBVIRT_8_5_0 = 8 * 1000000 + 5 * 1000`: an integer version spelled as its parts.
    // Nested arithmetic stays within integerArithmetic's depth bound.
    const operand = (o: NodeId, depth: number): VersionNumber | undefined =>
      t.kind(unparen(t, o)) === NodeKind.BinaryOperator
        ? integerArithmetic(t, o, operand, depth)
        : this.resolveVersion(o);
    return integerArithmetic(t, n, operand);
  }

  /** The version every assignment of a local name gives it, when they all give the same one (not a parameter). */
  private boundVersion(bound: readonly LocalBinding[]): VersionNumber | undefined {
    let version: VersionNumber | undefined;
    for (const b of bound) {
      if (b.kind !== 'assign' || this.resolving.has(b.expr)) return undefined;
      this.resolving.add(b.expr);
      let v: VersionNumber | undefined;
      try {
        v = this.resolveVersion(b.expr);
      } finally {
        this.resolving.delete(b.expr);
      }
      if (v === undefined || (version !== undefined && v !== version)) return undefined;
      version = v;
    }
    return version;
  }

  /** A workspace class named at a node (`Host`, `host.Host`), through this file's imports. */
  classNamed(node: NodeId): ClassRef | undefined {
    const dotted = dottedName(this.tree, node);
    const ref = dotted === undefined ? undefined : refOfDotted(this.model.foreignImports, dotted);
    if (!ref) return undefined;
    if (ref.module !== undefined) return this.workspace.classOf(this.uri, ref.module, ref.name);
    if (this.model.classes.has(ref.name)) return { uri: this.uri, name: ref.name };
    for (const star of this.model.starImports) {
      const cls = this.workspace.classOf(this.uri, star, ref.name);
      if (cls) return cls;
    }
    return undefined;
  }

  private imported: ModuleRef[] | undefined;

  /** The modules this file imports (the fallback search space for helpers of unknown receivers), once. */
  private importedModules(): ModuleRef[] {
    if (this.imported) return this.imported;
    const out: ModuleRef[] = [];
    for (const b of this.model.foreignImports.values())
      out.push(b.name === undefined ? b.module : childRef(b.module, b.name), b.module);
    this.imported = [...new Set([...out, ...this.model.starImports])];
    return this.imported;
  }

  // ---- conditions -----------------------------------------------------------------------

  /**
   * Conditions read at the top (the walk, the inert-unit test, hovers), by node: both the
   * test and the walk read a function's conditions. A read inside another read or a helper's
   * condition is not kept (it may meet a helper's recursion guard).
   */
  private readonly reads = new Map<NodeId, Cond>();
  private nested = 0;

  read(expr: NodeId): Cond {
    return this.nested ? readCond(expr, this) : this.readKept(expr, true);
  }

  /**
   * A condition read inside another read, kept as a read at the top is when nothing was cut
   * short meanwhile (then it is what the top would read): the walk and the names that hold a
   * branch's outcome then share one Cond, and one guard, per condition. A read at the top
   * (`always`) is kept whatever it met.
   */
  private readKept(expr: NodeId, always = false): Cond {
    const known = this.reads.get(expr);
    if (known) return known;
    const before = this.cuts.count;
    this.nested++;
    try {
      const c = readCond(expr, this);
      if (always || this.cuts.count === before) this.reads.set(expr, c);
      return c;
    } finally {
      this.nested--;
    }
  }

  readBefore(node: NodeId): Cond | undefined {
    return this.reads.get(node);
  }

  typeOf(node: NodeId): ValueType | undefined {
    return this.types.typeOf(node);
  }

  /** The one expression a name (local, else module-level) or `self.<attr>` is assigned. */
  singleAssignment(node: NodeId): NodeId | undefined {
    const t = this.tree;
    const kind = t.kind(node);
    if (kind === NodeKind.Identifier) {
      const bound = this.bindingsAt(node)?.locals.get(t.text(node));
      if (bound) return bound.length === 1 && bound[0]?.kind === 'assign' ? bound[0].expr : undefined;
      return this.model.constants.get(t.text(node));
    }
    const obj = kind === NodeKind.Attribute ? t.field(node, Field.Object) : undefined;
    const attr = kind === NodeKind.Attribute ? t.field(node, Field.Attribute) : undefined;
    if (obj === undefined || attr === undefined || t.text(obj) !== 'self') return undefined;
    const exprs = this.selfAssignments(t.text(attr), node);
    return exprs.length === 1 ? exprs[0] : undefined;
  }

  /** How many times a question was cut short because it was already being answered. */
  private readonly cuts: CutCount = { count: 0 };
  /** Held values, read once (see CycleMemo: one that met a cycle or a helper's recursion guard is not kept). */
  private readonly heldReads = new CycleMemo<NodeId, Cond>(this.cuts);
  /** Helpers whose condition is being worked out (their guard answers null meanwhile). */
  private readonly computingConds = new Set<NodeId>();

  /**
   * What the one value of a name (or `self` attribute) reads as: once per value (a chain of
   * names each used twice, `c2 = c1 and c1`, made the reading exponential), and nothing for a
   * value that reads itself again (`a = b; b = a` overflowed the stack, and the file was not
   * analyzed).
   */
  private readHeld(expr: NodeId): Cond {
    return this.heldReads.get(expr, noCond, () => this.read(expr));
  }

  /** The value of a name the module assigns once, at its top level, and nothing rebinds. */
  private moduleHeld(name: string): NodeId | undefined {
    if (!this.moduleAssignedOnce) {
      const t = this.tree;
      const counts = new Map<string, number>();
      for (const a of this.model.assignments) {
        const left = t.field(a, Field.Left);
        if (left !== undefined && t.kind(left) === NodeKind.Identifier)
          counts.set(t.text(left), (counts.get(t.text(left)) ?? 0) + 1);
      }
      this.moduleAssignedOnce = new Map();
      for (const [constant, value] of this.model.constants)
        if (counts.get(constant) === 1) this.moduleAssignedOnce.set(constant, value);
    }
    return this.moduleAssignedOnce.get(name);
  }

  heldCond(node: NodeId): Cond | undefined {
    const t = this.tree;
    const kind = t.kind(node);
    if (kind === NodeKind.Identifier) {
      const b = this.bindingsAt(node);
      const tupleCall = b?.heldFromTuple.get(t.text(node));
      if (tupleCall !== undefined) return this.helperCond(tupleCall);
      const bound = b?.locals.get(t.text(node));
      if (bound) return bound.every((x) => x.kind === 'assign') ? this.heldFrom(bound.map((x) => x.expr)) : undefined;
      // Not bound in its function: a module-level name assigned once (`HAS_X = hasattr(...)`),
      // or one imported from another module of the workspace (`from .host import HAS_X`).
      const name = t.text(node);
      const module = this.moduleHeld(name);
      if (module !== undefined) return this.heldFrom([module]);
      return this.model.constants.has(name) ? undefined : this.importedFlag(node, name);
    }
    if (kind === NodeKind.Attribute) {
      const obj = t.field(node, Field.Object);
      const attrNode = t.field(node, Field.Attribute);
      if (obj === undefined || attrNode === undefined) return undefined;
      const attr = t.text(attrNode);
      const objText = t.text(obj);
      // `host.HAS_X` of a module this file imports (nothing else holds a flag on a name not `self` or a class).
      if (objText !== 'self' && !this.model.classes.has(objText)) {
        const dotted = dottedName(t, node);
        return dotted === undefined ? undefined : this.importedFlag(node, dotted);
      }
      // `self.X` assigned once in the class's methods, or else once in its body
      // (`HAS_X = hasattr(...)`); `Driver.X` for a class of this file, once in its body.
      const cls = objText === 'self' ? this.model.unitOf(node)?.className : objText;
      const exprs =
        objText === 'self' ? this.selfAssignments(attr, node) : this.model.classes.has(objText) ? [] : undefined;
      if (exprs === undefined || cls === undefined) return undefined;
      return this.heldFrom(exprs.length ? exprs : this.classAssignments(cls, attr));
    }
    return undefined;
  }

  /**
   * The condition held by a name or attribute assigned `values`: that of the only one; or,
   * when every other one is False, None or 0 (`ok = False` before `ok = check()`, in a `try`
   * and its handler, in `__init__` and a later method), that of the one left, on its true side
   * only: where the name is true, that assignment ran and its condition held. An assignment in
   * a branch (`ok = False`, then `if check(): ok = True`) ran only where the branch's condition
   * held: that condition counts too, on the true side only (the name may be unbound, or keep its
   * falsy value, where it did not run).
   */
  private heldFrom(values: readonly NodeId[]): Cond | undefined {
    const t = this.tree;
    const falsy = (v: NodeId): boolean => {
      const n = unparen(t, v);
      const k = t.kind(n);
      return k === NodeKind.False || k === NodeKind.None || (k === NodeKind.Integer && t.text(n) === '0');
    };
    const others = values.length === 1 ? values : values.filter((v) => !falsy(v));
    const only = others.length === 1 ? others[0] : undefined;
    if (only === undefined) return undefined;
    const c = this.readHeld(only);
    const where = this.branchReads.get(only, noCond, () => this.branchCondOf(only));
    if (where.k !== 'none') {
      const held = and(where, c);
      return mentionsGuard(held) ? { k: 'and', a: held, b: noCond } : undefined;
    }
    if (!mentionsGuard(c)) return undefined;
    return values.length === 1 ? c : { k: 'and', a: c, b: noCond };
  }

  /** Branch conditions read for an assignment, once per value (a condition may read the name it assigns). */
  private readonly branchReads = new CycleMemo<NodeId, Cond>(this.cuts);

  /**
   * What holds where a node of a function runs, from the `if`, `elif` and `else` branches it is
   * in (up to its function): each branch's condition, and the negation of those before it.
   */
  private branchCondOf(node: NodeId): Cond {
    const t = this.tree;
    const unit = this.model.unitOf(node)?.node;
    let acc: Cond = noCond;
    const negated = (ifStmt: NodeId, upTo: NodeId | undefined): Cond => {
      let out: Cond = noCond;
      const first = t.field(ifStmt, Field.Condition);
      if (first !== undefined) out = and(out, negate(this.readKept(first)));
      for (const alt of t.fieldChildren(ifStmt, Field.Alternative)) {
        if (alt === upTo || t.kind(alt) !== NodeKind.ElifClause) break;
        const c = t.field(alt, Field.Condition);
        if (c !== undefined) out = and(out, negate(this.readKept(c)));
      }
      return out;
    };
    let child = node;
    for (let p = t.parent(node); p !== undefined && p !== unit; child = p, p = t.parent(p)) {
      const kind = t.kind(p);
      if (kind === NodeKind.ClassDefinition || kind === NodeKind.Lambda) break;
      const inBody = t.fieldOf(child) === Field.Consequence;
      if (kind === NodeKind.IfStatement && inBody) {
        const cond = t.field(p, Field.Condition);
        if (cond !== undefined) acc = and(this.readKept(cond), acc);
      } else if (kind === NodeKind.ElifClause && inBody) {
        const cond = t.field(p, Field.Condition);
        const ifStmt = t.parent(p);
        if (cond !== undefined) acc = and(this.readKept(cond), acc);
        if (ifStmt !== undefined) acc = and(negated(ifStmt, p), acc);
      } else if (kind === NodeKind.ElseClause) {
        const ifStmt = t.parent(p);
        if (ifStmt !== undefined && t.kind(ifStmt) === NodeKind.IfStatement) acc = and(negated(ifStmt, p), acc);
      }
    }
    return acc;
  }

  /**
   * The condition a module-level name holds, for the workspace summary: one assigned once at
   * the top level whose value holds a check, a gate or a probe (read with this file alone).
   */
  moduleFlagCond(name: string): Cond | undefined {
    const value = this.moduleHeld(name);
    return value === undefined ? undefined : this.heldFrom([value]);
  }

  /** The condition a name imported from another module holds there (`dotted` as this file names it), re-homed here. */
  private importedFlag(node: NodeId, dotted: string): Cond | undefined {
    const ref = refOfDotted(this.model.foreignImports, dotted);
    if (ref?.module === undefined) return undefined;
    const remote = this.workspace.moduleFlagCond(this.uri, ref.module, ref.name);
    return remote && this.rehomed(remote, node);
  }

  /** A condition of another file re-homed at `node`, which uses it here (its guards are there now). */
  private rehomed(remote: Cond, node: NodeId): Cond {
    const t = this.tree;
    const range = t.range(node);
    const text = t.text(node).replace(/\s+/g, ' ');
    return relocate(remote, (g) => ({ ...g, kind: g.kind === 'gate' ? 'gate' : 'helper', uri: this.uri, range, text }));
  }

  /** The values `attr = ...` assigns in the body of class `cls` itself (not in its methods). */
  private classAssignments(cls: string, attr: string): readonly NodeId[] {
    const classNode = this.model.classes.get(cls);
    const body = classNode === undefined ? undefined : this.tree.field(classNode, Field.Body);
    if (body === undefined) return [];
    return [...blockAssignments(this.tree, body)].filter((a) => a.name === attr).map((a) => a.value);
  }

  /** What a call (or a property access) names: `f` of `f()`, `m` of `x.m()` or `x.m`. */
  private helperTarget(node: NodeId): { isCall: boolean; target: NodeId; name: string } | undefined {
    const t = this.tree;
    const isCall = t.kind(node) === NodeKind.Call;
    const target = isCall ? t.field(node, Field.Function) : node;
    const name = target === undefined ? undefined : simpleName(t, target);
    return target === undefined || !name ? undefined : { isCall, target, name };
  }

  /** Local function a call (or property access) refers to, by name. */
  localFunction(node: NodeId): FunctionInfo | undefined {
    const named = this.helperTarget(node);
    if (!named) return undefined;
    const { isCall, name } = named;
    const candidates = this.model.functionsByName.get(name);
    if (!candidates) return undefined;
    const same = candidates.filter((f) => (isCall ? !f.isProperty : f.isProperty));
    if (!same.length) return undefined;
    const cls = this.model.unitOf(node)?.className;
    return same.find((f) => f.className === cls) ?? same[0];
  }

  helperCond(node: NodeId): Cond | undefined {
    const fn = this.localFunction(node);
    if (fn) return this.functionCond(fn) ?? this.parametricCond(fn, node, 'returns');
    const remote = this.remoteHelperCond(node);
    if (!remote) return undefined;
    // A helper of another file: its condition, re-homed at the call here (a template read
    // with this call's arguments).
    const concrete = hasParam(remote) ? this.instantiateAt(remote, node) : remote;
    return hasCheck(concrete) || !hasParam(remote) ? this.rehomed(concrete, node) : undefined;
  }

  /**
   * The condition a helper of another file returns, found through this file's imports: a
   * function imported by name or called on an imported module, a method of the receiver's
   * class (or of this class's bases, for `self`), else a helper of that name in a module this
   * file imports.
   */
  private remoteHelperCond(node: NodeId, post = false): Cond | undefined {
    const t = this.tree;
    const named = this.helperTarget(node);
    if (!named) return undefined;
    const { isCall, target, name } = named;
    if (t.kind(target) === NodeKind.Identifier) {
      if (!isCall) return undefined;
      const ref = refOfDotted(this.model.foreignImports, name);
      if (ref?.module !== undefined) return this.workspace.moduleHelperCond(this.uri, ref.module, ref.name, post);
      for (const star of this.model.starImports) {
        const c = this.workspace.moduleHelperCond(this.uri, star, name, post);
        if (c) return c;
      }
      return undefined;
    }
    if (t.kind(target) !== NodeKind.Attribute) return undefined;
    const dotted = dottedName(t, target);
    const moduleRef = dotted === undefined ? undefined : refOfDotted(this.model.foreignImports, dotted);
    if (isCall && moduleRef?.module !== undefined) {
      const c = this.workspace.moduleHelperCond(this.uri, moduleRef.module, moduleRef.name, post);
      if (c) return c;
    }
    const recv = t.field(target, Field.Object);
    if (recv === undefined) return undefined;
    const recvNode = unparen(t, recv);
    let classes: ClassRef[] = [];
    if (t.kind(recvNode) === NodeKind.Identifier && (t.text(recvNode) === 'self' || t.text(recvNode) === 'cls')) {
      const own = this.model.unitOf(node)?.className;
      const classNode = own === undefined ? undefined : this.model.classes.get(own);
      if (classNode !== undefined) classes = this.baseClassesOf(classNode);
    } else {
      const type = this.types.typeOf(recv);
      if (type?.k === 'instance') classes = [type.cls];
    }
    for (const cls of classes) {
      const c = this.workspace.methodCond(cls, name, !isCall, post);
      if (c) return c;
    }
    return this.helperInImportedModules(name, isCall, post);
  }

  /** Helpers of unknown receivers by name, kind and `post`: asked again at every such call. */
  private readonly inImportedModules = new Map<string, Cond | undefined>();

  private helperInImportedModules(name: string, isCall: boolean, post: boolean): Cond | undefined {
    const key = `${isCall ? 1 : 0}${post ? 1 : 0}${name}`;
    if (this.inImportedModules.has(key)) return this.inImportedModules.get(key);
    const found = this.workspace.helperInModules(this.uri, this.importedModules(), name, isCall, post);
    this.inImportedModules.set(key, found);
    return found;
  }

  /**
   * Another file's element factory that a call calls: a module-level function imported by
   * name (or through a star import), or called on an imported module (`ozutil.sub(...)`).
   */
  remoteElementFactory(call: NodeId): ElementFactory | undefined {
    const t = this.tree;
    const callee = t.field(call, Field.Function);
    if (callee === undefined) return undefined;
    if (t.kind(callee) === NodeKind.Identifier) {
      const name = t.text(callee);
      const ref = refOfDotted(this.model.foreignImports, name);
      if (ref?.module !== undefined) return this.workspace.elementFactory(this.uri, ref.module, ref.name);
      for (const star of this.model.starImports) {
        const f = this.workspace.elementFactory(this.uri, star, name);
        if (f) return f;
      }
      return undefined;
    }
    if (t.kind(callee) !== NodeKind.Attribute) return undefined;
    const dotted = dottedName(t, callee);
    const ref = dotted === undefined ? undefined : refOfDotted(this.model.foreignImports, dotted);
    return ref?.module !== undefined ? this.workspace.elementFactory(this.uri, ref.module, ref.name) : undefined;
  }

  /** The base classes of a class of this file, resolved through its imports. */
  private baseClassesOf(classNode: NodeId): ClassRef[] {
    const out: ClassRef[] = [];
    const supers = this.tree.field(classNode, Field.Superclasses);
    for (const base of supers === undefined ? [] : this.tree.children(supers)) {
      const cls = this.classNamed(base);
      if (cls) out.push(cls);
    }
    return out;
  }

  /**
   * What holds once a call of a local function returns, when that function raises unless a
   * check holds (`def _check_x_support(self): if not check(): raise ...`; `assert check()`):
   * its top-level `if <c>: ... raise` statements (no `else`) and asserts, up to the first
   * statement that may return. Read like a helper's condition, true side only (the call
   * returned; where it raised, nothing after it runs).
   */
  callPostcondition(call: NodeId): Cond | undefined {
    const fn = this.localFunction(call);
    if (!fn) return this.remotePostcondition(call);
    if (fn.isProperty) return undefined;
    return this.ownPostcondition(fn) ?? this.parametricCond(fn, call, 'raises');
  }

  /** What holds once a call of a function of this file returns, read once per function (see callPostcondition). */
  private ownPostcondition(fn: FunctionInfo): Cond | undefined {
    // Only the walk and the summary ask (no read does), so no question is being answered
    // around this one: nothing here can be cut short.
    let post = this.postconditions.get(fn.node);
    if (post === undefined)
      this.postconditions.set(fn.node, (post = this.computePostcondition(fn, (e) => this.readKept(e)) ?? null));
    return post ?? undefined;
  }

  /**
   * For the file's summary: what holds once a call of the function returns, when it raises
   * unless a check holds; a template (see parametricTemplate) when the check takes a parameter.
   */
  postconditionOf(fn: FunctionInfo): Cond | undefined {
    if (fn.isProperty) return undefined;
    return this.ownPostcondition(fn) ?? this.parametricTemplate(fn, 'raises');
  }

  /** A helper of another file that raises unless a check holds: what holds after the call, re-homed here. */
  private remotePostcondition(call: NodeId): Cond | undefined {
    // Asked of every call statement: first whether any file has such a helper of that name.
    const name = this.helperTarget(call)?.name;
    if (name === undefined || !this.workspace.raisesUnlessChecked(name)) return undefined;
    const remote = this.remoteHelperCond(call, true);
    if (!remote) return undefined;
    const concrete = hasParam(remote) ? this.instantiateAt(remote, call) : remote;
    return hasCheck(concrete) || hasAvailabilityGuard(concrete) ? this.rehomed(concrete, call) : undefined;
  }

  private readonly postconditions = new Map<NodeId, Cond | null>();

  private computePostcondition(fn: FunctionInfo, read: (expr: NodeId) => Cond): Cond | undefined {
    const t = this.tree;
    // Most functions have neither: nothing to read, and no statement to search for a return.
    const exits = (s: NodeId): boolean =>
      t.kind(s) === NodeKind.AssertStatement || earlyExitCondition(t, s, raises) !== undefined;
    if (!fn.body.some(exits)) return undefined;
    let acc: Cond = noCond;
    for (const s of fn.body) {
      const raisesUnless = earlyExitCondition(t, s, raises);
      if (raisesUnless !== undefined) {
        acc = and(acc, negate(read(raisesUnless)));
        continue;
      }
      if (t.kind(s) === NodeKind.AssertStatement) {
        const cond = t.firstChild(s);
        if (cond !== undefined) acc = and(acc, read(cond));
        continue;
      }
      // A `return` or `yield` of the function itself (not of one nested in it) ends what is known.
      const returns = [s, ...t.descendantsOfKind(s, [NodeKind.ReturnStatement, NodeKind.Yield])].filter(
        (n) => t.kind(n) === NodeKind.ReturnStatement || t.kind(n) === NodeKind.Yield,
      );
      if (returns.some((n) => this.model.unitOf(n)?.node === fn.node)) break;
    }
    return hasCheck(acc) || hasAvailabilityGuard(acc) ? { k: 'and', a: acc, b: noCond } : undefined;
  }

  /** The condition a helper's True result stands for, computed once per function. */
  functionCond(fn: FunctionInfo): Cond | null {
    const cached = this.helperConds.get(fn.node);
    if (cached !== undefined) {
      if (this.computingConds.has(fn.node)) this.cuts.count++;
      return cached;
    }
    this.helperConds.set(fn.node, null); // recursion guard
    this.computingConds.add(fn.node);
    this.nested++;
    try {
      const result = this.computeFunctionCond(fn, (e) => this.read(e));
      this.helperConds.set(fn.node, result);
      return result;
    } finally {
      this.nested--;
      this.computingConds.delete(fn.node);
    }
  }

  /**
   * A helper whose check's version is its own parameter (`def _supports(self, version): return
   * self._host.has_min_version(version)`; `if not self._host.has_min_version(version): raise`),
   * read at one call with that call's arguments: what it returns (`returns`), or what holds once
   * it returned (`raises`, as callPostcondition). The guard is the call here, as a helper's:
   * no fix rewrites the helper's check, which all its callers share. Not kept (per call).
   */
  private parametricCond(fn: FunctionInfo, call: NodeId, mode: 'returns' | 'raises'): Cond | undefined {
    if (this.tree.kind(call) !== NodeKind.Call || fn.isProperty) return undefined;
    if (!this.checksParameterVersion(fn) && !this.comparesRuntimeArgument(fn, call)) return undefined;
    const c = this.readWithParameters(fn, this.callHost(fn, call), mode);
    return c && this.rehomed(c, call);
  }

  /**
   * What `fn` returns (`returns`) or what holds once it returned (`raises`), read through a host
   * that gives its parameters; only when it holds a check. Recursion-guarded, and never kept
   * (each host reads the same nodes differently).
   */
  private readWithParameters(fn: FunctionInfo, host: CondReaderHost, mode: 'returns' | 'raises'): Cond | undefined {
    if (this.readingWithArguments.has(fn.node)) return undefined;
    const read = (e: NodeId): Cond => readCond(e, host);
    this.readingWithArguments.add(fn.node);
    this.nested++;
    try {
      const c = mode === 'returns' ? this.computeFunctionCond(fn, read) : this.computePostcondition(fn, read);
      return c && hasCheck(c) ? c : undefined;
    } finally {
      this.nested--;
      this.readingWithArguments.delete(fn.node);
    }
  }

  private readonly readingWithArguments = new Set<NodeId>();
  private readonly parameterChecks = new Map<NodeId, boolean>();

  /** Whether a version check in the function's own body is given one of its parameters (as is). */
  private checksParameterVersion(fn: FunctionInfo): boolean {
    let known = this.parameterChecks.get(fn.node);
    if (known !== undefined) return known;
    const t = this.tree;
    // Asked of every local function a condition calls: first whether its text names a check.
    const text = t.source.slice(t.start(fn.node), t.end(fn.node));
    const names = (name: string): boolean => text.includes(name);
    known =
      (names('getLibVersion') || names('getVersion') || [...this.versionChecks].some(names)) &&
      this.ownChecks(fn).some((node) => {
        let operands: readonly NodeId[] = t.children(node); // `conn.getLibVersion() >= version`
        if (t.kind(node) === NodeKind.Call) {
          const args = callArguments(t, node);
          operands = [...args.positional, ...args.keyword.values()];
        }
        return operands.some((a) => this.parameterOf(fn, a) !== undefined);
      });
    this.parameterChecks.set(fn.node, known);
    return known;
  }

  /**
   * Whether a call may give a helper the runtime version to compare (`version_at_least(
   * conn.getLibVersion(), 1002005)` with `def version_at_least(current, wanted): return current
   * >= wanted`): the file reads the runtime version, and a comparison in the helper's own body
   * has a parameter for an operand. The reading then finds whether the argument is one.
   */
  private comparesRuntimeArgument(fn: FunctionInfo, call: NodeId): boolean {
    if (!this.model.mentions('getLibVersion') && !this.model.mentions('getVersion')) return false;
    const args = this.tree.field(call, Field.Arguments);
    if (args === undefined || !this.tree.children(args).length) return false;
    let known = this.parameterComparisons.get(fn.node);
    if (known === undefined) {
      const t = this.tree;
      known = this.ownChecks(fn).some(
        (node) =>
          t.kind(node) === NodeKind.ComparisonOperator &&
          t.children(node).some((a) => this.parameterOf(fn, a) !== undefined),
      );
      this.parameterComparisons.set(fn.node, known);
    }
    return known;
  }

  private readonly parameterComparisons = new Map<NodeId, boolean>();

  /** The calls of version checks and the comparisons in the function's own body (not in nested ones). */
  private ownChecks(fn: FunctionInfo): NodeId[] {
    const t = this.tree;
    return t.descendantsOfKind(fn.node, [NodeKind.Call, NodeKind.ComparisonOperator]).filter((node) => {
      if (this.model.unitOf(node)?.node !== fn.node) return false;
      if (t.kind(node) !== NodeKind.Call) return true;
      const name = calleeName(t, node);
      return name !== undefined && this.versionChecks.has(name);
    });
  }

  /** A remote helper's template (see parametricTemplate) with the versions this call gives. */
  private instantiateAt(template: Cond, call: NodeId): Cond {
    return instantiate(template, (p) => {
      const arg = callArgument(this.tree, call, p.name, p.index, p.bound);
      if (arg !== undefined) return this.resolveVersion(arg);
      return hasSplat(this.tree, call) ? undefined : p.defaultVersion;
    });
  }

  /**
   * What a helper whose check takes a parameter (see parametricCond) returns, for its file's
   * summary: each check's version stands for a parameter (`param`), to be given at each call
   * in another file (`instantiate`). Read with the parameters as out-of-range versions, so a
   * comparison's `>` (the version plus one) keeps its offset; anything else made of them
   * leaves no template.
   */
  parametricTemplate(fn: FunctionInfo, mode: 'returns' | 'raises' = 'returns'): Cond | undefined {
    if (fn.isProperty || !this.checksParameterVersion(fn)) return undefined;
    const names = parameterNames(this.tree, fn);
    const standIn = this.parameterHost(
      fn,
      (index) => -(index + 1) * parameterVersionSpan,
      () => undefined,
    );
    const c = this.readWithParameters(fn, standIn, mode);
    if (!c) return undefined;
    let valid = true;
    const bound = names[0] === 'self' || names[0] === 'cls';
    // Each check whose version is a parameter's stand-in names that parameter instead.
    const template = mapChecks(c, (atom) => {
      if (atom.version >= 0) return atom;
      const index = Math.round(-atom.version / parameterVersionSpan) - 1;
      const offset = atom.version + (index + 1) * parameterVersionSpan;
      const name = names[index];
      if (index < 0 || Math.abs(offset) > 1000 || name === undefined) {
        valid = false;
        return atom;
      }
      // What a call that gives no argument for it checks: the default, read here.
      const defaultNode = defaultValue(this.tree, fn, index);
      const defaultVersion = defaultNode === undefined ? undefined : this.resolveVersion(defaultNode);
      const param: ParamRef = {
        index,
        name,
        bound,
        offset,
        ...(defaultVersion !== undefined ? { defaultVersion } : {}),
      };
      return { ...atom, version: 0, guard: { ...atom.guard, version: 0 }, param };
    });
    return valid && hasParam(template) ? template : undefined;
  }

  /**
   * Where a call of a helper read by parametricCond gives the version its check takes on `axis`:
   * the argument, and the check call in the helper (whose configured form the version keeps).
   * A fix raises that argument, here, not the check every caller shares.
   */
  helperVersionArgument(call: NodeId, axis: 'libvirt' | 'qemu'): { arg: NodeId; check: NodeId } | undefined {
    const t = this.tree;
    const fn = t.kind(call) === NodeKind.Call ? this.localFunction(call) : undefined;
    if (!fn || fn.isProperty) return undefined;
    if (!this.checksParameterVersion(fn) && !this.comparesRuntimeArgument(fn, call)) return undefined;
    const host = this.callHost(fn, call);
    for (const check of this.ownChecks(fn)) {
      let versionNode: NodeId | undefined;
      if (t.kind(check) === NodeKind.Call) {
        const args = checkCallArguments(t, check, this.versionChecks);
        versionNode = axis === 'qemu' ? args?.hv : args?.lv;
      } else if (versionComparisons(host, check).some((b) => b.axis === axis)) {
        // `conn.getLibVersion() >= version`: the operand that is the parameter; of `current >=
        // wanted`, the one whose argument is a version (not the runtime version the call gives).
        versionNode = t.children(check).find((c) => {
          const index = this.parameterOf(fn, c);
          const arg = index === undefined ? undefined : argumentFor(t, call, fn, index);
          return arg !== undefined && this.resolveVersion(arg) !== undefined;
        });
      }
      const index = versionNode === undefined ? undefined : this.parameterOf(fn, versionNode);
      const arg = index === undefined ? undefined : argumentFor(t, call, fn, index);
      if (arg !== undefined) return { arg, check };
    }
    return undefined;
  }

  /** The index of the parameter of `fn` a node names, when the function never assigns it. */
  private parameterOf(fn: FunctionInfo, node: NodeId): number | undefined {
    const t = this.tree;
    const n = unparen(t, node);
    if (t.kind(n) !== NodeKind.Identifier || this.model.unitOf(n)?.node !== fn.node) return undefined;
    const name = t.text(n);
    const bound = this.bindingsAt(n)?.locals.get(name);
    if (bound?.length !== 1 || bound[0]?.kind !== 'param') return undefined;
    const index = parameterNames(t, fn).indexOf(name);
    return index < 0 ? undefined : index;
  }

  /** Reads conditions of `fn` with its parameters standing for the arguments of `call` (or their defaults). */
  private callHost(fn: FunctionInfo, call: NodeId): CondReaderHost {
    const t = this.tree;
    const argument = (index: number): NodeId | undefined =>
      argumentFor(t, call, fn, index) ?? defaultArgument(t, call, fn, index);
    return this.parameterHost(
      fn,
      (index) => {
        const arg = argument(index);
        return arg === undefined ? undefined : this.resolveVersion(arg);
      },
      argument,
    );
  }

  /** Reads conditions of `fn` with the version and the value each of its parameters is given. */
  private parameterHost(
    fn: FunctionInfo,
    version: (index: number) => VersionNumber | undefined,
    value: (index: number) => NodeId | undefined,
  ): CondReaderHost {
    return {
      uri: this.uri,
      tree: this.tree,
      versionChecks: this.versionChecks,
      featureChecks: this.featureChecks,
      probes: this.probes,
      gates: this.gates,
      resolveVersion: (n) => {
        const index = this.parameterOf(fn, n);
        return index === undefined ? this.resolveVersion(n) : version(index);
      },
      singleAssignment: (n) => {
        const index = this.parameterOf(fn, n);
        return index === undefined ? this.singleAssignment(n) : value(index);
      },
      typeOf: (n) => this.typeOf(n),
      heldCond: (n) => this.heldCond(n),
      helperCond: (n) => this.helperCond(n),
    };
  }

  private computeFunctionCond(fn: FunctionInfo, read: (expr: NodeId) => Cond): Cond | null {
    const t = this.tree;
    let result: Cond | null = null;
    const stmts = fn.body.filter(
      (s) => !(t.kind(s) === NodeKind.ExpressionStatement && t.kind(t.firstChild(s) ?? s) === NodeKind.String),
    );
    const last = stmts[stmts.length - 1];
    const lastValue =
      last !== undefined && t.kind(last) === NodeKind.ReturnStatement ? returnValue(t, last) : undefined;
    const tail = this.tailProbe(fn, stmts);
    if ((lastValue !== undefined && isFailureValue(t, lastValue) === false) || tail) {
      // if <c>: return False/(False, reason) ... try: <probe> except AttributeError: return False
      // ... return True/(True, None), or a probe that returns its success itself.
      let acc: Cond = tail?.cond ?? noCond;
      const prefix = stmts.slice(0, tail ? tail.at : -1);
      prefix.forEach((s, i) => {
        if (t.kind(s) === NodeKind.TryStatement) {
          const probe = tryProbeCond(this.probeHost, s, fn.node, prefix[i + 1], false);
          if (probe) acc = and(acc, probe);
          return;
        }
        if (t.kind(s) !== NodeKind.IfStatement || t.field(s, Field.Alternative) !== undefined) return;
        const block = t.field(s, Field.Consequence);
        const ret =
          block === undefined ? undefined : t.children(block).find((x) => t.kind(x) === NodeKind.ReturnStatement);
        const cond = t.field(s, Field.Condition);
        if (cond !== undefined && ret !== undefined && isFailureValue(t, returnValue(t, ret)) === true)
          acc = and(acc, negate(read(cond)));
      });
      result = hasCheck(acc) || hasAvailabilityGuard(acc) ? acc : null;
    } else if (lastValue !== undefined && stmts.filter((s) => t.kind(s) === NodeKind.ReturnStatement).length === 1) {
      const c = read(lastValue);
      result = mentionsGuard(c) ? c : null;
    }
    return result;
  }

  /** A function that ends in a probing try whose body returns the success (`try: ...; return True`). */
  private tailProbe(fn: FunctionInfo, stmts: readonly NodeId[]): { cond: Cond; at: number } | undefined {
    const t = this.tree;
    const n = stmts.length;
    const last = stmts[n - 1];
    const before = stmts[n - 2];
    if (last !== undefined && t.kind(last) === NodeKind.TryStatement) {
      const cond = tryProbeCond(this.probeHost, last, fn.node, undefined, true);
      return cond ? { cond, at: n - 1 } : undefined;
    }
    // try: ...; return True / except AttributeError: pass / return False
    if (before !== undefined && t.kind(before) === NodeKind.TryStatement && returnsFailure(t, last)) {
      const cond = tryProbeCond(this.probeHost, before, fn.node, last, true);
      return cond ? { cond, at: n - 2 } : undefined;
    }
    return undefined;
  }

  private get probeHost(): ProbeInferenceHost {
    return {
      uri: this.uri,
      tree: this.tree,
      db: this.db,
      typeOf: (node) => this.types.typeOf(node),
      inFunction: (node, fn) => this.model.unitOf(node)?.node === fn,
    };
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

/**
 * The default value of a function's parameter `index` (`def _supports(self, version=MIN_X)`),
 * for a call that gives no argument for it, and none that a `*args` or `**kwargs` could give.
 */
function defaultArgument(t: SyntaxTree, call: NodeId, fn: FunctionInfo, index: number): NodeId | undefined {
  return hasSplat(t, call) ? undefined : defaultValue(t, fn, index);
}

/** Whether a call passes `*args` or `**kwargs` (they may give any parameter), or has no argument list. */
function hasSplat(t: SyntaxTree, call: NodeId): boolean {
  const args = t.field(call, Field.Arguments);
  return args === undefined || t.children(args).some((a) => splats.has(t.kind(a)));
}
const splats: ReadonlySet<NodeKind> = new Set([NodeKind.ListSplat, NodeKind.DictionarySplat]);

/** The default value of a function's parameter `index`, if it has one. */
function defaultValue(t: SyntaxTree, fn: FunctionInfo, index: number): NodeId | undefined {
  const params = t.field(fn.node, Field.Parameters);
  const param = params === undefined ? undefined : t.children(params)[index];
  const kind = param === undefined ? undefined : t.kind(param);
  if (param === undefined || (kind !== NodeKind.DefaultParameter && kind !== NodeKind.TypedDefaultParameter))
    return undefined;
  return t.field(param, Field.Value);
}

/** How far apart the stand-in versions of a template's parameters are (see parametricTemplate). */
const parameterVersionSpan = 1_000_000_000;

/** The exit of `if <c>: ... raise` in a helper: it returns only where c is false. */
const raises: ReadonlySet<NodeKind> = new Set([NodeKind.RaiseStatement]);
