// The flow walk of one unit (a function body, or the module's top level): every statement
// and expression with the path context it runs in, narrowed by guards. It records neutral
// observations, what hovers are about (hoverFacts.ts builds them) and the call sites of local
// functions; flowAnalysis.ts drives the units, and the rules judge the observations.
import type { FeatureDb, VersionNumber } from '../../data/featureDb';
import type { XmlBound } from '../../data/xmlFeatureDb';
import type { Policy } from '../../config/policy';
import { hasCheck, type Cond, type GateRef } from '../semantic/conditions';
import { handlerOf, handlerReraises, handlerText } from '../semantic/exceptionHandlers';
import type { FileSemantics } from '../semantic/fileSemantics';
import { mayReadRuntimeVersion, versionComparisons } from '../semantic/versionExpressions';
import { libvirtModuleOf, type FunctionInfo } from '../semantic/fileModel';
import { noXmlEmissions, type XmlEmission, type XmlEmissions } from '../semantic/xml/xmlEmissions';
import {
  callArguments,
  calleeName,
  conditionTester,
  enclosingStatement,
  Field,
  kindNames,
  NodeKind,
  operatorText,
  unparen,
  type NodeId,
  type SyntaxTree,
} from '../syntax/index';
import type { GuardFact, SupportClass, SymbolFacts } from '../types';
import type { GateMark } from './flowCache';
import { narrow, type Branches } from './narrow';
import type { HoverSource } from './hoverFacts';
import type {
  BranchObservation,
  GateUse,
  Observation,
  UseObservation,
  UseSite,
  XmlObservation,
  XmlUse,
} from './observations';
import {
  contextClass,
  coveringGuards,
  isDead,
  isUntested,
  joinContexts,
  sameBounds,
  supportClass,
  useInterval,
  xmlUseOn,
  type PathContext,
} from './pathContext';
import {
  isBindingTarget,
  looksLikeConstant,
  mayNameLibvirtMember,
  methodSymbol,
  moduleMemberSymbol,
  producedSince,
} from './symbolUses';

const classRank: Record<SupportClass, number> = { A: 0, B: 1, C: 2 };
/** Statements and expressions nested deeper than this are not analyzed (the stack is finite). */
export const MAX_NESTING = 120;

interface CallSite {
  readonly ctx: PathContext;
  readonly node: NodeId;
}

/**
 * The path a function defined on `ctx` is entered on, when that is narrower than the root's:
 * its versions, options and `hasattr` checks, which hold wherever it is called from, and not
 * the `try` around its definition, which does not hold where it runs.
 */
function definitionEntry(ctx: PathContext, policy: Policy): PathContext | undefined {
  if (isDead(ctx)) return undefined;
  const kept = (g: GuardFact): boolean => g.kind !== 'except-attributeerror' && g.kind !== 'except-importerror';
  // (Every definition on the root path asks: nothing is copied there.)
  const symbols = ctx.protectedSymbols.size ? [...ctx.protectedSymbols].filter(([, g]) => kept(g)) : [];
  const narrowed =
    ctx.libvirt.lo !== policy.minLibvirt ||
    ctx.libvirt.hi !== Infinity ||
    ctx.qemu.lo !== policy.minQemu ||
    ctx.qemu.hi !== Infinity ||
    ctx.gates.length > 0 ||
    symbols.length > 0;
  if (!narrowed) return undefined;
  return {
    libvirt: ctx.libvirt,
    qemu: ctx.qemu,
    gates: ctx.gates,
    protectedSymbols: new Map(symbols),
    protectAll: false,
    untestedReported: ctx.untestedReported,
    guards: ctx.guards.filter(kept),
  };
}

/** What walking one unit produced. */
export interface UnitResult {
  readonly observations: Observation[];
  /** What its hovers are about (built when asked: see hoverFacts.ts). */
  readonly hovers: HoverSource[];
  /** Calls of local functions with known callers, by callee definition node. */
  readonly sites: Map<NodeId, CallSite[]>;
}

/** Kinds whose grammar name ends in `_statement`: met inside an expression (error recovery), walked as statements. */
const statementLikeKinds = new Set<NodeKind>(
  kindNames
    .map((name, kind) => [name, kind] as const)
    .filter(([name]) => name.endsWith('_statement'))
    .map(([, kind]) => kind as NodeKind),
);

const silentKinds = new Set<NodeKind>([
  NodeKind.String,
  NodeKind.Integer,
  NodeKind.Float,
  NodeKind.True,
  NodeKind.False,
  NodeKind.None,
]);

export class FlowWalker {
  readonly gateUses = new Map<string, GateUse>();
  /** Set when some code nested deeper than MAX_NESTING was skipped. */
  truncated = false;
  private readonly t: SyntaxTree;
  private out: UnitResult = { observations: [], hovers: [], sites: new Map() };
  private stmt: NodeId | undefined;
  private depth = 0;
  /** Paths after an `if` that narrowed them, not yet entered (see walkBlock). */
  private readonly pendingContinuations = new WeakSet<PathContext>();
  /** `try: ... except ImportError` around the statement being walked, innermost last. */
  private readonly importGuards: GuardFact[] = [];
  /** For each of those, the `if` condition and the path before it (for the 'after' branch observation). */
  private readonly continuationSources = new WeakMap<PathContext, { cond: NodeId; outer: PathContext }>();
  /**
   * The same for the path after an assert or a raising call (see narrowedAfter), and how many
   * are not yet noted: most statements then ask nothing.
   */
  private readonly afterSources = new WeakMap<PathContext, { cond: NodeId; outer: PathContext }>();
  private afterPending = 0;
  /** A bit per node: whether it writes XML (see writesXmlAt). */
  private readonly writesXml: Uint32Array | undefined;
  /** The names of the functions whose callers are known (a call's name is tested first). */
  private knownCallerNames: ReadonlySet<string> | undefined;
  private readonly xmlUses = new WeakMap<PathContext, Map<VersionNumber, Map<VersionNumber, XmlUse>>>();
  /** Whether comparisons may read the runtime version (and hovers are wanted). */
  private readonly comparisonHovers: boolean;
  /** The gates the unit being walked marked, while recording (walkUnit). */
  private marks: GateMark[] | undefined;
  /** The nodes whose pending XML the unit being walked observed, while recording (walkUnit). */
  private xmlRead: NodeId[] | undefined;

  constructor(
    private readonly sem: FileSemantics,
    private readonly policy: Policy,
    private readonly db: FeatureDb,
    /** Local functions whose every use is a call in this file. */
    private readonly knownCallers: ReadonlySet<NodeId>,
    /** The XML the file writes, by the node that writes it. */
    private readonly xml: XmlEmissions = noXmlEmissions,
    /** Whether to record hovers (the CLI does not show them). */
    private readonly wantHovers = true,
    /**
     * Whether only findings are wanted (no hovers, no version paths): then XML a function
     * writes on the root path matters only when it is newer than the minimum (see isInertUnit).
     */
    private readonly findingsOnly = false,
  ) {
    this.t = sem.tree;
    this.comparisonHovers = wantHovers && mayReadRuntimeVersion(sem.model);
    // Every visited node asks whether it writes XML: a bit per node answers faster than the map
    // (a bit, not a byte: the array is made for every file that writes XML, as large as its tree).
    if (xml.size) {
      const bits = new Uint32Array((this.t.size >>> 5) + 1);
      for (const node of xml.keys()) bits[node >>> 5] = (bits[node >>> 5] ?? 0) | (1 << (node & 31));
      this.writesXml = bits;
    }
  }

  /**
   * Whether walking a function entered on the root path would produce nothing: no observation,
   * no hover, no call site, no gate use, no truncation. Read from its nodes in one pass, with
   * each test the walk makes where it produces something (visitAt, visitCall, visitAttribute,
   * visitIdentifier, observeImport, and the conditions walkStatementAt and visitAt narrow by),
   * made here more broadly: a unit this passes is walked. On the root path, a condition that
   * reads as nothing narrows nothing, so no branch differs from the path before it, and the walk
   * observes only what these tests find. `test/unit/inertUnits.test.ts` compares the results of
   * every fixture with and without the skip.
   */
  isInertUnit(fn: FunctionInfo): boolean {
    const t = this.t;
    const body = t.field(fn.node, Field.Body);
    if (body === undefined) return true;
    const end = t.subtreeEnd(body);
    // Deep code is walked, for the truncation note (a walk level per tree level, two at most):
    // measured in the unit only when the file nests that deep somewhere.
    const depth = t.maxDepth() * 2 >= MAX_NESTING ? new Int32Array(end - body) : undefined;
    const conditions: NodeId[] = [];
    const sem = this.sem;
    const imports = sem.model.libvirtImports;
    const knownCallerNames = (this.knownCallerNames ??= new Set(
      [...this.knownCallers].map((node) => sem.model.functionAt(node)?.name ?? ''),
    ));
    for (let n = body; n < end; n++) {
      if (depth && n > body) {
        const d = (depth[(t.parent(n) ?? body) - body] ?? 0) + 1;
        if (d * 2 >= MAX_NESTING) return false;
        depth[n - body] = d;
      }
      if (this.writesXmlAt(n) && (!this.findingsOnly || this.newerThanRoot(n))) return false;
      switch (t.kind(n)) {
        case NodeKind.IfStatement:
        case NodeKind.ElifClause:
        case NodeKind.WhileStatement: {
          const cond = t.field(n, Field.Condition);
          if (cond !== undefined) conditions.push(cond);
          break;
        }
        case NodeKind.AssertStatement: {
          const cond = t.firstChild(n);
          if (cond !== undefined) conditions.push(cond);
          break;
        }
        case NodeKind.ExpressionStatement:
          // A call of a helper that raises unless a check holds narrows what follows it.
          if (this.postconditionAfter(n)) return false;
          break;
        case NodeKind.BooleanOperator: {
          const left = t.field(n, Field.Left);
          if (left !== undefined) conditions.push(left);
          break;
        }
        case NodeKind.ConditionalExpression: {
          const cond = t.children(n)[1];
          if (cond !== undefined) conditions.push(cond);
          break;
        }
        case NodeKind.ComparisonOperator:
          if (this.comparisonHovers && versionComparisons(sem, n).length) return false;
          break;
        case NodeKind.Call: {
          const callee = t.field(n, Field.Function);
          if (callee === undefined) break;
          if (this.wantHovers) {
            const name = calleeName(t, n);
            if (name && sem.versionChecks.has(name)) return false;
          }
          const calleeKind = t.kind(callee);
          const method = calleeKind === NodeKind.Attribute ? t.field(callee, Field.Attribute) : undefined;
          const nameNode = calleeKind === NodeKind.Identifier ? callee : method;
          if (nameNode === undefined) break;
          const name = t.text(nameNode);
          if (knownCallerNames.has(name)) {
            const local = sem.localFunction(n);
            if (local && this.knownCallers.has(local.node)) return false;
          }
          if (calleeKind === NodeKind.Identifier) {
            if (name === 'getattr') return false;
            break;
          }
          const recv = t.field(callee, Field.Object);
          if (method !== undefined && recv !== undefined && mayNameLibvirtMember(this.db, name)) {
            const type = sem.types.typeOf(recv);
            if (type?.k === 'module' || methodSymbol(this.db, type, name, t.range(method))) return false;
          }
          break;
        }
        case NodeKind.Attribute: {
          const obj = t.field(n, Field.Object);
          const objNode = obj === undefined ? undefined : unparen(t, obj);
          if (
            objNode !== undefined &&
            t.kind(objNode) === NodeKind.Identifier &&
            sem.libvirtModules.has(t.text(objNode))
          )
            return false;
          break;
        }
        case NodeKind.Identifier:
          if (imports.size && imports.has(t.text(n))) return false;
          break;
        case NodeKind.ImportFromStatement:
          return false;
        default:
          break;
      }
    }
    for (const cond of conditions) if (sem.read(cond).k !== 'none') return false;
    return true;
  }

  private writesXmlAt(n: NodeId): boolean {
    const bits = this.writesXml;
    return bits !== undefined && (((bits[n >>> 5] ?? 0) >>> (n & 31)) & 1) === 1;
  }

  /**
   * Whether some XML a node writes is newer than the minimum on either axis. On the root path,
   * XML no newer has the root's interval and class: no LVG010 (nothing above the lower bound),
   * no LVG001 (the root is tested, or already reported untested), no gate to mark.
   */
  private newerThanRoot(n: NodeId): boolean {
    const bound = this.xml.bound(n);
    if (bound) return bound.libvirt > this.policy.minLibvirt || bound.qemu > this.policy.minQemu;
    for (const { feature } of this.xml.get(n) ?? [])
      if (feature.since > this.policy.minLibvirt || (feature.qemuSince ?? 0) > this.policy.minQemu) return true;
    return false;
  }

  /**
   * Walks a unit; with `record`, also says which gates it marked and whether it was truncated
   * (what a cached walk must replay: see flowCache.ts).
   */
  walkUnit(fn: FunctionInfo | undefined, entry: PathContext): UnitResult;
  walkUnit(
    fn: FunctionInfo | undefined,
    entry: PathContext,
    record: true,
  ): { result: UnitResult; marks: GateMark[]; truncated: boolean; xmlRead: NodeId[] };
  walkUnit(
    fn: FunctionInfo | undefined,
    entry: PathContext,
    record = false,
  ): UnitResult | { result: UnitResult; marks: GateMark[]; truncated: boolean; xmlRead: NodeId[] } {
    if (!record) return this.walkUnitBody(fn, entry);
    const truncatedBefore = this.truncated;
    this.truncated = false;
    const marks: GateMark[] = [];
    this.marks = marks;
    const xmlRead: NodeId[] = [];
    this.xmlRead = xmlRead;
    try {
      const result = this.walkUnitBody(fn, entry);
      return { result, marks, truncated: this.truncated, xmlRead };
    } finally {
      this.marks = undefined;
      this.xmlRead = undefined;
      this.truncated ||= truncatedBefore;
    }
  }

  /** What a reused walk did to the file's gates and truncation note. */
  replay(marks: readonly GateMark[], truncated: boolean): void {
    for (const m of marks) this.markGate(m.gate, m.cls, m.libvirt);
    if (truncated) this.truncated = true;
  }

  private walkUnitBody(fn: FunctionInfo | undefined, entry: PathContext): UnitResult {
    this.out = { observations: [], hovers: [], sites: new Map() };
    this.afterPending = 0;
    const body = fn ? this.t.field(fn.node, Field.Body) : this.t.root;
    if (body !== undefined) this.walkBlock(this.t.children(body), entry);
    return this.out;
  }

  // ---- statements ---------------------------------------------------------------------------

  /** Walks statements in order; returns the context after them, or null when they always exit. */
  private walkBlock(stmts: readonly NodeId[], entry: PathContext): PathContext | null {
    let ctx: PathContext | null = entry;
    for (const s of stmts) {
      if (!ctx) break;
      // The path after an early exit is entered only if some statement runs on it.
      if (this.pendingContinuations.has(ctx)) {
        this.noteContinuation(ctx, s, stmts[stmts.length - 1] ?? s);
        ctx = this.enterBranch(ctx);
      } else if (this.afterPending && this.afterSources.has(ctx)) this.noteAfter(ctx, s, stmts[stmts.length - 1] ?? s);
      ctx = this.walkStatement(s, ctx);
    }
    return ctx;
  }

  /**
   * Part of a statement's condition (through parentheses, not, and/or): the statement's
   * branches are the paths, not the operands of its condition.
   */
  private isConditionPart(n: NodeId): boolean {
    const t = this.t;
    let node = n;
    for (let parent = t.parent(node); parent !== undefined; node = parent, parent = t.parent(node)) {
      const kind = t.kind(parent);
      if (kind === NodeKind.ParenthesizedExpression || kind === NodeKind.NotOperator) continue;
      if (kind === NodeKind.BooleanOperator) continue;
      if (kind === NodeKind.ConditionalExpression) return t.children(parent)[1] === node;
      return (
        t.fieldOf(node) === Field.Condition &&
        (kind === NodeKind.IfStatement || kind === NodeKind.ElifClause || kind === NodeKind.WhileStatement)
      );
    }
    return false;
  }

  private noteContinuation(ctx: PathContext, first: NodeId, last: NodeId): void {
    const source = this.continuationSources.get(ctx);
    if (!source) return;
    this.continuationSources.delete(ctx); // once: later statements share the same path object
    this.noteBranch('after', source.cond, first, first, last, ctx, source.outer);
  }

  /**
   * Records a branch whose versions or gates differ from the path before its `if`, or whose
   * condition is a version check (an obsolete one narrows nothing).
   */
  private noteBranch(
    role: BranchObservation['role'],
    cond: NodeId,
    anchor: NodeId,
    first: NodeId,
    last: NodeId | undefined,
    ctx: PathContext,
    outer: PathContext,
    checked = false,
  ): void {
    if (last === undefined || isDead(ctx)) return;
    const narrowed =
      ctx.libvirt.lo !== outer.libvirt.lo ||
      ctx.libvirt.hi !== outer.libvirt.hi ||
      ctx.qemu.lo !== outer.qemu.lo ||
      ctx.qemu.hi !== outer.qemu.hi ||
      ctx.gates.length !== outer.gates.length;
    if (narrowed || checked) this.out.observations.push({ k: 'branch', role, cond, anchor, first, last, ctx, outer });
  }

  private block(node: NodeId | undefined, ctx: PathContext): PathContext | null {
    return node === undefined ? ctx : this.walkBlock(this.t.children(node), ctx);
  }

  private walkStatement(s: NodeId, ctx: PathContext): PathContext | null {
    if (this.depth >= MAX_NESTING) {
      this.truncated = true;
      return ctx;
    }
    this.depth++;
    try {
      return this.walkStatementAt(s, ctx);
    } finally {
      this.depth--;
    }
  }

  private walkStatementAt(s: NodeId, ctx: PathContext): PathContext | null {
    const t = this.t;
    this.stmt = s;
    switch (t.kind(s)) {
      case NodeKind.FunctionDefinition: {
        // The body is a unit of its own; decorators, defaults and type parameters run here.
        for (const c of t.children(s)) {
          const f = t.fieldOf(c);
          if (f !== Field.Body && f !== Field.Name && f !== Field.Parameters && f !== Field.ReturnType)
            this.visit(c, ctx);
        }
        this.visitDefaults(s, ctx);
        // A function defined on a narrowed path exists only there: whoever calls it later (a
        // callback, a thread), the host's versions and the options are what they were here.
        const entry = this.knownCallers.has(s) ? undefined : definitionEntry(ctx, this.policy);
        if (entry) this.out.sites.set(s, [{ ctx: entry, node: s }]);
        return ctx;
      }
      case NodeKind.DecoratedDefinition: {
        for (const d of t.children(s)) if (t.kind(d) === NodeKind.Decorator) this.visit(d, ctx);
        const def = t.field(s, Field.Definition);
        if (def !== undefined) this.walkStatement(def, ctx);
        return ctx;
      }
      case NodeKind.ClassDefinition: {
        const body = t.field(s, Field.Body);
        if (body !== undefined) this.walkBlock(t.children(body), ctx);
        return ctx;
      }
      case NodeKind.IfStatement:
        return this.walkIf(s, ctx);
      case NodeKind.WhileStatement: {
        const cond = t.field(s, Field.Condition);
        if (cond === undefined) return ctx;
        this.visit(cond, ctx);
        const { t: yes, f: no } = narrow(this.sem.read(cond), ctx);
        this.block(t.field(s, Field.Body), this.enterBranch(yes));
        const alt = t.field(s, Field.Alternative);
        if (alt !== undefined) this.block(t.field(alt, Field.Body), this.enterBranch(no));
        return ctx;
      }
      case NodeKind.ForStatement: {
        const right = t.field(s, Field.Right);
        if (right !== undefined) this.visit(right, ctx);
        this.block(t.field(s, Field.Body), ctx);
        const alt = t.field(s, Field.Alternative);
        if (alt !== undefined) this.block(t.field(alt, Field.Body), ctx);
        return ctx;
      }
      case NodeKind.TryStatement:
        return this.walkTry(s, ctx);
      case NodeKind.WithStatement: {
        for (const c of t.children(s)) if (t.kind(c) === NodeKind.WithClause) this.visit(c, ctx);
        return this.block(t.field(s, Field.Body), ctx);
      }
      case NodeKind.MatchStatement: {
        const subject = t.field(s, Field.Subject);
        if (subject !== undefined) this.visit(subject, ctx);
        const body = t.field(s, Field.Body);
        for (const c of body === undefined ? [] : t.children(body)) {
          if (t.kind(c) !== NodeKind.CaseClause) continue;
          // `case X if check():` runs its body only where the guard holds.
          const guard = t.field(c, Field.Guard);
          const cond = guard === undefined ? undefined : t.firstChild(guard);
          this.block(t.field(c, Field.Consequence), cond === undefined ? ctx : this.filtered(cond, ctx));
        }
        return ctx;
      }
      case NodeKind.ReturnStatement:
      case NodeKind.RaiseStatement:
        this.visitChildren(s, ctx);
        return null;
      case NodeKind.ContinueStatement:
      case NodeKind.BreakStatement:
        return null;
      case NodeKind.AssertStatement: {
        this.visitChildren(s, ctx);
        const cond = t.firstChild(s);
        return cond === undefined ? ctx : this.narrowedAfter(cond, this.sem.read(cond), ctx);
      }
      case NodeKind.ExpressionStatement: {
        this.visitChildren(s, ctx);
        // `self._check_x_support()`: a local function that raises unless a check holds.
        const post = this.postconditionAfter(s);
        return post === undefined ? ctx : this.narrowedAfter(post.call, post.cond, ctx);
      }
      case NodeKind.ImportFromStatement:
        this.observeImport(s, ctx);
        return ctx;
      case NodeKind.ImportStatement:
      case NodeKind.FutureImportStatement:
      case NodeKind.GlobalStatement:
      case NodeKind.NonlocalStatement:
      case NodeKind.PassStatement:
        return ctx;
      case NodeKind.Block:
        return this.walkBlock(t.children(s), ctx);
      default:
        this.visitChildren(s, ctx);
        return ctx;
    }
  }

  /** What holds after an expression statement that calls such a function (alone, or as an assignment's value). */
  private postconditionAfter(s: NodeId): { call: NodeId; cond: Cond } | undefined {
    const t = this.t;
    let e = t.firstChild(s);
    if (e !== undefined && t.kind(e) === NodeKind.Assignment) e = t.field(e, Field.Right);
    if (e === undefined) return undefined;
    const call = unparen(t, e);
    const cond = t.kind(call) === NodeKind.Call ? this.sem.callPostcondition(call) : undefined;
    return cond && { call, cond };
  }

  /**
   * The path after an assert, or after a call that raises unless a check holds: entered at
   * once, and a path of its own from the next statement on (an 'after' branch, as after an
   * early exit), which the findings at its check belong to.
   */
  private narrowedAfter(cond: NodeId, read: Cond, ctx: PathContext): PathContext {
    const after = this.enterBranch(narrow(read, ctx).t);
    if (!sameBounds(after, ctx)) {
      this.afterSources.set(after, { cond, outer: ctx });
      this.afterPending++;
    }
    return after;
  }

  /** The 'after' branch of an assert or a raising call, at the first statement on its path (once). */
  private noteAfter(ctx: PathContext, first: NodeId, last: NodeId): void {
    const source = this.afterSources.get(ctx);
    if (!source) return;
    this.afterSources.delete(ctx);
    this.afterPending--;
    this.noteBranch('after', source.cond, first, first, last, ctx, source.outer);
  }

  private visitDefaults(def: NodeId, ctx: PathContext): void {
    const params = this.t.field(def, Field.Parameters);
    for (const p of params === undefined ? [] : this.t.children(params)) {
      const value = this.t.field(p, Field.Value);
      if (value !== undefined) this.visit(value, ctx);
    }
  }

  private walkIf(s: NodeId, ctx: PathContext): PathContext | null {
    const t = this.t;
    const cond = t.field(s, Field.Condition);
    if (cond === undefined) return ctx;
    this.visit(cond, ctx);
    const read = this.sem.read(cond);
    const first = narrow(read, ctx);
    let f = first.f;
    let lastCond = cond;
    this.noteBranch('if', cond, cond, s, t.field(s, Field.Consequence), first.t, ctx, hasCheck(read));
    const exits: (PathContext | null)[] = [this.block(t.field(s, Field.Consequence), this.enterBranch(first.t))];
    let sawElse = false;
    for (const alt of t.fieldChildren(s, Field.Alternative)) {
      if (t.kind(alt) === NodeKind.ElifClause) {
        const c = t.field(alt, Field.Condition);
        const entered = this.enterBranch(f);
        if (c !== undefined) this.visit(c, entered);
        const elifRead = c !== undefined ? this.sem.read(c) : undefined;
        const b = elifRead ? narrow(elifRead, entered) : { t: entered, f: entered };
        if (c !== undefined && elifRead) {
          this.noteBranch('elif', c, c, alt, alt, b.t, ctx, hasCheck(elifRead));
          lastCond = c;
        }
        exits.push(this.block(t.field(alt, Field.Consequence), this.enterBranch(b.t)));
        f = b.f;
      } else {
        sawElse = true;
        this.noteBranch('else', lastCond, alt, alt, alt, f, ctx);
        exits.push(this.block(t.field(alt, Field.Body), this.enterBranch(f)));
      }
    }
    if (!sawElse) exits.push(f);
    let after: PathContext | null = null;
    for (const e of exits) after = joinContexts(after, e);
    if (!after) return null;
    if (!sameBounds(after, ctx)) {
      this.pendingContinuations.add(after);
      this.continuationSources.set(after, { cond: lastCond, outer: ctx });
    }
    return after;
  }

  /** The guard of a try statement whose first handler for `error` does not re-raise it. */
  private protectingHandler(s: NodeId, error: 'AttributeError' | 'ImportError'): GuardFact | undefined {
    const handler = handlerOf(this.t, s, error);
    if (handler === undefined || handlerReraises(this.sem, handler)) return undefined;
    return {
      kind: error === 'AttributeError' ? 'except-attributeerror' : 'except-importerror',
      uri: this.sem.uri,
      range: this.t.range(s),
      text: `try: ... ${handlerText(this.t, handler)}`,
    };
  }

  private walkTry(s: NodeId, ctx: PathContext): PathContext | null {
    const t = this.t;
    const clauses = t.children(s);
    const attributeGuard = this.protectingHandler(s, 'AttributeError');
    const importGuard = this.protectingHandler(s, 'ImportError');
    const bodyCtx = attributeGuard ? { ...ctx, protectAll: true, guards: [...ctx.guards, attributeGuard] } : ctx;
    if (importGuard) this.importGuards.push(importGuard);
    let bodyExit: PathContext | null;
    try {
      bodyExit = this.block(t.field(s, Field.Body), bodyCtx);
    } finally {
      if (importGuard) this.importGuards.pop();
    }
    // What runs after the body (its else clause, the code after the try) is not protected by the handler.
    const exits: (PathContext | null)[] = [
      bodyExit && attributeGuard
        ? { ...bodyExit, protectAll: ctx.protectAll, guards: bodyExit.guards.filter((g) => g !== attributeGuard) }
        : bodyExit,
    ];
    let finallyBlock: NodeId | undefined;
    for (const c of clauses) {
      const kind = t.kind(c);
      if (kind === NodeKind.ExceptClause) {
        const value = t.field(c, Field.Value);
        if (value !== undefined) this.visit(value, ctx);
        exits.push(
          this.block(
            t.children(c).find((x) => t.kind(x) === NodeKind.Block),
            ctx,
          ),
        );
      } else if (kind === NodeKind.ElseClause) {
        exits[0] = exits[0] ? this.block(t.field(c, Field.Body), exits[0]) : null;
      } else if (kind === NodeKind.FinallyClause) {
        finallyBlock = t.children(c).find((x) => t.kind(x) === NodeKind.Block);
      }
    }
    let after: PathContext | null = null;
    for (const e of exits) after = joinContexts(after, e);
    if (finallyBlock !== undefined) this.block(finallyBlock, ctx);
    return after;
  }

  /** A branch is entered: note it once at its guard when it is untested, and note gate use. */
  private enterBranch(branch: PathContext): PathContext {
    if (isDead(branch) || branch.untestedReported) return branch;
    const cls = contextClass(branch, this.policy);
    if (branch.gates.length) {
      this.markGates(branch, cls, branch.libvirt.loGuard !== undefined || branch.qemu.loGuard !== undefined);
      return isUntested(cls, this.policy) ? { ...branch, untestedReported: true } : branch;
    }
    if (!isUntested(cls, this.policy)) return branch;
    // Blame the axis that makes it untested: libvirt if libvirt alone does, else QEMU.
    const rootQemu = { lo: this.policy.minQemu, hi: Infinity };
    const libvirtAlone = supportClass(branch.libvirt, rootQemu, this.policy);
    const axis = isUntested(libvirtAlone, this.policy) ? 'libvirt' : 'qemu';
    const other = axis === 'libvirt' ? 'qemu' : 'libvirt';
    const guard = branch[axis].loGuard ?? branch[axis].hiGuard ?? branch[other].loGuard ?? branch[other].hiGuard;
    if (!guard) return branch;
    this.out.observations.push({ k: 'untested-branch', ctx: branch, guard: { ...guard, axis } });
    return { ...branch, untestedReported: true };
  }

  private markGates(ctx: PathContext, cls: SupportClass, libvirt: boolean): void {
    for (const g of ctx.gates) this.markGate(g, cls, libvirt);
  }

  /** Marks a gate, and records that the unit did (a reused walk replays its marks: `replay`). */
  private markGate(g: GateRef, cls: SupportClass, libvirt: boolean): void {
    this.marks?.push({ gate: g, cls, libvirt });
    let use = this.gateUses.get(g.id);
    if (!use) {
      use = { gate: g, hasLibvirt: false };
      this.gateUses.set(g.id, use);
    }
    if (!use.worst || classRank[cls] > classRank[use.worst]) use.worst = cls;
    if (libvirt) use.hasLibvirt = true;
  }

  // ---- expressions --------------------------------------------------------------------------

  private visitChildren(n: NodeId, ctx: PathContext): void {
    // Sibling by sibling: a children list per visited node was a large share of the walk's garbage.
    const t = this.t;
    for (let c = t.firstChild(n); c !== undefined; c = t.nextSibling(c)) this.visit(c, ctx);
  }

  private visit(n: NodeId, ctx: PathContext): void {
    if (isDead(ctx)) return;
    if (this.depth >= MAX_NESTING) {
      this.truncated = true;
      return;
    }
    this.depth++;
    try {
      this.visitAt(n, ctx);
    } finally {
      this.depth--;
    }
  }

  private visitAt(n: NodeId, ctx: PathContext): void {
    const t = this.t;
    const kind = t.kind(n);
    this.observeXmlAt(n, ctx);
    switch (kind) {
      case NodeKind.BooleanOperator: {
        // `a or b or c` nests to the left, one level per operand: the chain is walked in a
        // loop (as the recursion would, operand by operand), so that its length does not count
        // against MAX_NESTING.
        const chain = this.leftChain(n, kind, ctx);
        const known = chain.length > 1 ? new Map<Cond, Branches>() : undefined;
        // The same for every operator of the chain: above each one are only the others.
        const conditionPart = this.isConditionPart(n);
        for (let i = chain.length - 1; i >= 0; i--) {
          const op = chain[i] as NodeId;
          const left = t.field(op, Field.Left);
          const right = t.field(op, Field.Right);
          if (left === undefined || right === undefined) continue;
          if (i === chain.length - 1) this.visit(left, ctx);
          const read = this.sem.read(left);
          const b = narrow(read, ctx, known);
          known?.set(read, b);
          const isOr = operatorText(t, op) === 'or';
          if (!conditionPart)
            this.noteBranch(isOr ? 'or' : 'and', left, left, right, right, isOr ? b.f : b.t, ctx, hasCheck(read));
          this.visit(right, this.enterBranch(isOr ? b.f : b.t));
        }
        return;
      }
      case NodeKind.BinaryOperator: {
        // `'<a>' + x + '</a>'` too (a long concatenation builds an XML template).
        const chain = this.leftChain(n, kind, ctx);
        for (let i = chain.length - 1; i >= 0; i--) {
          // The bottom operator's children from its first; each one above it after its first
          // (the operator below, just walked).
          const first = t.firstChild(chain[i] as NodeId);
          const from = i === chain.length - 1 ? first : first === undefined ? undefined : t.nextSibling(first);
          for (let c = from; c !== undefined; c = t.nextSibling(c)) this.visit(c, ctx);
        }
        return;
      }
      case NodeKind.ConditionalExpression: {
        const [a, c, b] = t.children(n);
        if (a === undefined || c === undefined || b === undefined) return this.visitChildren(n, ctx);
        this.visit(c, ctx);
        const read = this.sem.read(c);
        const br = narrow(read, ctx);
        if (!this.isConditionPart(n)) {
          this.noteBranch('if', c, c, a, a, br.t, ctx, hasCheck(read));
          this.noteBranch('else', c, b, b, b, br.f, ctx);
        }
        this.visit(a, this.enterBranch(br.t));
        this.visit(b, this.enterBranch(br.f));
        return;
      }
      case NodeKind.Call:
        return this.visitCall(n, ctx);
      case NodeKind.ListComprehension:
      case NodeKind.SetComprehension:
      case NodeKind.DictionaryComprehension:
      case NodeKind.GeneratorExpression:
        return this.visitComprehension(n, ctx);
      case NodeKind.ComparisonOperator:
        // A comparison of the runtime version is a check too: its facts are for its hover only.
        if (this.comparisonHovers && versionComparisons(this.sem, n).length)
          this.out.hovers.push({ k: 'check', call: n, ctx });
        return this.visitChildren(n, ctx);
      case NodeKind.Attribute:
        return this.visitAttribute(n, ctx);
      case NodeKind.Identifier:
        return this.visitIdentifier(n, ctx);
      case NodeKind.FunctionDefinition:
      case NodeKind.ClassDefinition:
      case NodeKind.DecoratedDefinition:
        return; // nested definitions are walked as units of their own
      default:
        if (silentKinds.has(kind)) return;
        if (this.stmt !== n && statementLikeKinds.has(kind)) {
          this.walkStatement(n, ctx);
          return;
        }
        return this.visitChildren(n, ctx);
    }
  }

  /**
   * `n` and the operators of its kind down its left operands (`n`, then its left operand when
   * that is one, ...), with the XML each of them writes observed, top down, as visiting them one
   * inside the other would: what `visit` does on entering each, except counting the depth.
   */
  private leftChain(n: NodeId, kind: NodeKind, ctx: PathContext): NodeId[] {
    const t = this.t;
    const chain = [n];
    for (let op = t.firstChild(n); op !== undefined && t.kind(op) === kind; op = t.firstChild(op)) {
      // An `and`/`or` without its right operand (code being typed) is not entered.
      const above = chain[chain.length - 1] as NodeId;
      if (
        kind === NodeKind.BooleanOperator &&
        (t.field(above, Field.Left) !== op || t.field(above, Field.Right) === undefined)
      )
        break;
      chain.push(op);
      this.observeXmlAt(op, ctx);
    }
    return chain;
  }

  /**
   * `[f(x) for x in xs if check()]`: the clauses in order, each `if` narrowing what comes after
   * it, then the element, which is computed only where every `if` held.
   */
  private visitComprehension(n: NodeId, ctx: PathContext): void {
    const t = this.t;
    const body = t.field(n, Field.Body);
    let inner = ctx;
    for (let c = t.firstChild(n); c !== undefined; c = t.nextSibling(c)) {
      if (c === body) continue;
      const cond = t.kind(c) === NodeKind.IfClause ? t.firstChild(c) : undefined;
      if (cond !== undefined) inner = this.filtered(cond, inner);
      else this.visit(c, inner);
    }
    if (body !== undefined) this.visit(body, inner);
  }

  /** Visits the condition `cond` of a filter (a comprehension's `if`, a case guard): the path where it holds. */
  private filtered(cond: NodeId, ctx: PathContext): PathContext {
    this.visit(cond, ctx);
    return this.enterBranch(narrow(this.sem.read(cond), ctx).t);
  }

  private visitCall(n: NodeId, ctx: PathContext): void {
    const t = this.t;
    const fn = t.field(n, Field.Function);
    const args = t.field(n, Field.Arguments);
    const name = calleeName(t, n);
    // A check's facts are for its hover only; so are those of a helper a condition calls
    // (`if self._supports(MIN_X):`): its hover says what the helper checks, if anything.
    if (this.wantHovers && name && (this.sem.versionChecks.has(name) || conditionTester(t, n) !== undefined))
      this.out.hovers.push({ k: 'check', call: n, ctx });
    if (name === 'getattr' && fn !== undefined && t.kind(fn) === NodeKind.Identifier) {
      const [target, attr] = callArguments(t, n).positional;
      const targetType = target === undefined ? undefined : this.sem.types.typeOf(target);
      if (attr !== undefined && t.kind(attr) === NodeKind.String && targetType?.k === 'module') {
        const sym = t.text(attr).replace(/^[rbuRBU]*['"]+|['"]+$/g, '');
        const guard: GuardFact = {
          kind: 'hasattr',
          uri: this.sem.uri,
          range: t.range(n),
          text: t.text(n).replace(/\s+/g, ' '),
        };
        this.useModuleMember(attr, targetType.module, sym, {
          ...ctx,
          protectedSymbols: new Map([...ctx.protectedSymbols, [sym, guard]]),
        });
      }
    }
    const local = this.sem.localFunction(n);
    if (local && this.knownCallers.has(local.node)) {
      const list = this.out.sites.get(local.node);
      if (list) list.push({ ctx, node: n });
      else this.out.sites.set(local.node, [{ ctx, node: n }]);
    }
    if (fn !== undefined && t.kind(fn) === NodeKind.Attribute) {
      const recv = t.field(fn, Field.Object);
      const method = t.field(fn, Field.Attribute);
      if (recv !== undefined && method !== undefined) {
        // `items.append(x)`: no libvirt class or module has the name, so the receiver's type
        // (the costly part) cannot matter.
        const type = mayNameLibvirtMember(this.db, t.text(method)) ? this.sem.types.typeOf(recv) : undefined;
        if (type?.k === 'module') this.useModuleMember(method, type.module, t.text(method), ctx);
        else {
          const symbol = methodSymbol(this.db, type, t.text(method), t.range(method));
          if (symbol) this.observeUse(method, symbol, t.text(method), ctx);
          this.visit(recv, ctx);
        }
      }
    } else if (fn !== undefined) {
      this.visit(fn, ctx);
    }
    // `f(x for x in xs if c)`: the generator is the argument list.
    if (args !== undefined && t.kind(args) === NodeKind.GeneratorExpression) this.visit(args, ctx);
    else if (args !== undefined) this.visitChildren(args, ctx);
  }

  private visitAttribute(n: NodeId, ctx: PathContext): void {
    const t = this.t;
    const obj = t.field(n, Field.Object);
    const attr = t.field(n, Field.Attribute);
    if (obj === undefined || attr === undefined) return;
    const objNode = unparen(t, obj);
    if (t.kind(objNode) === NodeKind.Identifier && this.sem.libvirtModules.has(t.text(objNode))) {
      const type = this.sem.types.typeOf(objNode);
      if (type?.k === 'module') {
        this.useModuleMember(attr, type.module, t.text(attr), ctx);
        return;
      }
    }
    this.visit(obj, ctx);
  }

  private visitIdentifier(n: NodeId, ctx: PathContext): void {
    const t = this.t;
    const imported = this.sem.model.libvirtImports.get(t.text(n));
    if (!imported) return;
    const parent = t.parent(n);
    if (parent !== undefined) {
      const pk = t.kind(parent);
      if (pk === NodeKind.AliasedImport || pk === NodeKind.DottedName) return;
      if (pk === NodeKind.KeywordArgument && t.fieldOf(n) === Field.Name) return;
    }
    if (isBindingTarget(t, n)) return; // `X = None` in `except ImportError:` rebinds the name
    // Its availability was decided at the import; the use still runs on this path.
    this.useModuleMember(n, imported.module, imported.name, ctx, 'imported-name');
  }

  /** `from libvirt import X [as Y]`: importing a name the host's libvirt lacks fails, for the whole module. */
  private observeImport(s: NodeId, ctx: PathContext): void {
    const t = this.t;
    const from = t.field(s, Field.ModuleName);
    const module = from === undefined ? undefined : libvirtModuleOf(t.text(from).replace(/\s+/g, ''));
    if (!module || isDead(ctx)) return;
    const importGuard = this.importGuards[this.importGuards.length - 1];
    for (const item of t.fieldChildren(s, Field.Name)) {
      const nameNode = t.kind(item) === NodeKind.AliasedImport ? t.field(item, Field.Name) : item;
      if (nameNode === undefined) continue;
      const name = t.text(nameNode).replace(/\s+/g, '');
      const symbol = moduleMemberSymbol(this.db, module, name);
      if (!symbol) continue;
      const hasattr = ctx.protectedSymbols.get(name);
      const guards = coveringGuards(ctx, name).filter((g) => g.kind !== 'except-attributeerror');
      this.observeUse(nameNode, symbol, name, ctx, 'import', {
        protected: importGuard !== undefined || hasattr !== undefined,
        guards: importGuard ? [...guards, importGuard] : guards,
      });
    }
  }

  private useModuleMember(
    node: NodeId,
    module: Parameters<typeof moduleMemberSymbol>[1],
    name: string,
    ctx: PathContext,
    site: UseSite = 'use',
  ): void {
    const symbol = moduleMemberSymbol(this.db, module, name);
    if (symbol) return this.observeUse(node, symbol, name, ctx, site);
    if (looksLikeConstant(name) && !isDead(ctx)) this.out.observations.push({ k: 'unknown', node, module, name, ctx });
  }

  private observeUse(
    node: NodeId,
    symbol: SymbolFacts,
    pyName: string,
    ctx: PathContext,
    site: UseSite = 'use',
    protection?: { readonly protected: boolean; readonly guards: readonly GuardFact[] },
  ): void {
    if (isDead(ctx)) return;
    const isProtected = protection?.protected ?? (ctx.protectAll || ctx.protectedSymbols.has(pyName));
    const guards = protection?.guards ?? coveringGuards(ctx, pyName);
    if (ctx.gates.length) {
      // The receiver exists only where the API that produced it ran.
      const interval = useInterval(ctx, Math.max(symbol.since, producedSince(symbol)));
      this.markGates(ctx, supportClass(interval, ctx.qemu, this.policy), true);
    }
    const use: UseObservation = {
      k: 'use',
      node,
      stmt: enclosingStatement(this.t, node),
      symbol,
      pyName,
      ctx,
      protected: isProtected,
      site,
      guards,
    };
    this.out.observations.push(use);
    if (this.wantHovers) this.out.hovers.push(use);
  }

  /** The XML the node writes, if any, observed on `ctx`. */
  private observeXmlAt(n: NodeId, ctx: PathContext): void {
    if (!this.writesXmlAt(n)) return;
    // XML left pending (see XmlEmissions.bound) is found only where something could come of it;
    // elsewhere only its hovers could, built when asked.
    const bound = this.xml.bound(n);
    if (bound && !this.xmlMatters(bound, ctx)) {
      if (this.wantHovers) this.out.hovers.push({ k: 'xml-site', node: n, ctx });
      return;
    }
    if (bound) this.xmlRead?.push(n);
    const xml = this.xml.get(n);
    if (xml) this.observeXml(n, xml, ctx);
  }

  private observeXml(node: NodeId, emissions: readonly XmlEmission[], ctx: PathContext): void {
    const stmt = enclosingStatement(this.t, node);
    for (const { range, feature } of emissions) {
      const { interval, supportClass: cls } = this.xmlUse(ctx, feature.since, feature.qemuSince ?? 0);
      if (ctx.gates.length && feature.dated) this.markGates(ctx, cls, true);
      const xml: XmlObservation = { k: 'xml', node, stmt, range, feature, ctx, interval, supportClass: cls };
      this.out.observations.push(xml);
      if (this.wantHovers) this.out.hovers.push(xml);
    }
  }

  /**
   * Whether XML no newer than `bound` can lead to something on `ctx` besides hovers: a
   * finding when it is newer than the path's lower bound on an axis (LVG010), a version path
   * when it is newer than the minimum (wanted unless only findings are), anything on an
   * untested path (LVG001: its class is the path's when the XML is no newer), a gate marked
   * used. Else observing it changes nothing but the hovers.
   */
  private xmlMatters(bound: XmlBound, ctx: PathContext): boolean {
    return (
      bound.libvirt > (this.findingsOnly ? ctx.libvirt.lo : this.policy.minLibvirt) ||
      bound.qemu > (this.findingsOnly ? ctx.qemu.lo : this.policy.minQemu) ||
      ctx.gates.length > 0 ||
      isUntested(this.xmlUse(ctx, 0, 0).supportClass, this.policy)
    );
  }

  /** Where XML of these versions works on a path, and its class: once per path and versions (a path writes many). */
  private xmlUse(ctx: PathContext, since: VersionNumber, qemuSince: VersionNumber): XmlUse {
    // By since, then QEMU since (numbers: no key string built per feature written).
    let bySince = this.xmlUses.get(ctx);
    if (!bySince) this.xmlUses.set(ctx, (bySince = new Map()));
    let byQemu = bySince.get(since);
    if (!byQemu) bySince.set(since, (byQemu = new Map()));
    let use = byQemu.get(qemuSince);
    if (!use) {
      use = xmlUseOn(ctx, since, qemuSince, this.policy);
      byQemu.set(qemuSince, use);
    }
    return use;
  }
}
