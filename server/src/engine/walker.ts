// The flow walk: every statement and expression of a file with the path context it runs
// in, narrowed by guards. It records observations; the rules turn them into findings.
import type { FeatureDb, LibvirtModule } from '../data/featureDb';
import type { Policy } from '../config/policy';
import { checkAtoms, narrow, readCheckCall, type Cond } from './conditions';
import type { FunctionInfo } from './fileModel';
import type { FileScope } from './fileScope';
import type { Node, Tree } from './parser';
import {
  contextClass, isDead, isUntested, joinContexts, oldestCi, rootContext, sameBounds, supportClass,
  useInterval, type GateRef, type PathContext,
} from './pathContext';
import { isDistinctiveMethodName } from './receivers';
import { callArguments, calleeName, enclosingStatement, field, fieldChildren, namedChildren, parentOf, rangeOf, unparen } from './syntax';
import type { GuardFact, HoverFacts, SupportClass, SymbolFacts } from './types';

export interface UseObservation {
  readonly k: 'use'; readonly node: Node; readonly stmt: Node | null; readonly symbol: SymbolFacts;
  readonly pyName: string; readonly ctx: PathContext; readonly protected: boolean;
}
export interface BranchObservation {
  readonly k: 'branch'; readonly code: 'LVG001' | 'LVG007'; readonly ctx: PathContext; readonly guard: GuardFact;
}
export interface UnknownObservation { readonly k: 'unknown'; readonly node: Node; readonly module: LibvirtModule; readonly name: string; readonly ctx: PathContext }
export type Observation = UseObservation | BranchObservation | UnknownObservation;

export interface GateUse { readonly gate: GateRef; worst?: SupportClass; hasLibvirt: boolean }

const classRank: Record<SupportClass, number> = { A: 0, B: 1, C: 2 };
const MAX_WALKS_PER_FUNCTION = 4;
/** Statements and expressions nested deeper than this are not analysed (the stack is finite). */
export const MAX_NESTING = 120;

interface CallSite { readonly ctx: PathContext; readonly node: Node }

export class FlowWalker {
  private observations: Observation[] = [];
  private hovers: HoverFacts[] = [];
  private readonly byFunction = new Map<number, { observations: Observation[]; hovers: HoverFacts[]; sites: Map<number, CallSite[]> }>();
  private sites = new Map<number, CallSite[]>();
  /** Which units (function ids, -1 for the module) call a function: to re-join its entry fast. */
  private readonly callersOf = new Map<number, Set<number>>();
  readonly gateUses = new Map<string, GateUse>();
  private readonly root: PathContext;
  private stmt: Node | null = null;
  private readonly knownCallers = new Set<number>();
  private depth = 0;
  /** Paths after an `if` that narrowed them, not yet entered (see walkBlock). */
  private readonly pendingContinuations = new WeakSet<PathContext>();
  /** Set when some code nested deeper than MAX_NESTING was skipped. */
  truncated = false;

  constructor(private readonly scope: FileScope, private readonly policy: Policy, private readonly db: FeatureDb, private readonly tree: Tree) {
    this.root = rootContext(policy);
  }

  run(): { observations: Observation[]; hovers: HoverFacts[] } {
    this.findKnownCallers();
    const moduleKey = -1;
    this.walkUnit(moduleKey, undefined, this.root);
    const entries = new Map<number, PathContext>();
    const walks = new Map<number, number>();
    const queue: FunctionInfo[] = this.scope.model.functions.filter((f) => !this.knownCallers.has(f.node.id));
    const queued = new Set(queue.map((f) => f.node.id));
    const byId = new Map(this.scope.model.functions.map((f) => [f.node.id, f]));
    for (const f of queue) entries.set(f.node.id, this.root);
    const enqueueCallees = (unitKey: number) => {
      for (const cid of this.byFunction.get(unitKey)?.sites.keys() ?? []) {
        const callee = byId.get(cid);
        if (!callee || (walks.get(cid) ?? 0) >= MAX_WALKS_PER_FUNCTION || queued.has(cid)) continue;
        const entry = this.entryFromSites(cid);
        if (!entry) continue;
        const old = entries.get(cid);
        if (old && sameBounds(old, entry)) continue;
        entries.set(cid, entry);
        queue.push(callee);
        queued.add(cid);
      }
    };
    enqueueCallees(moduleKey);
    for (let head = 0; head < queue.length; head++) {
      const fn = queue[head]!;
      const id = fn.node.id;
      queued.delete(id);
      walks.set(id, (walks.get(id) ?? 0) + 1);
      // Sites may have changed since it was queued: join them now.
      const entry = this.knownCallers.has(id) ? this.entryFromSites(id) ?? entries.get(id) : entries.get(id);
      if (entry) entries.set(id, entry);
      this.walkUnit(id, fn, entry ?? this.root);
      enqueueCallees(id);
    }
    // Known-caller functions whose calls are never reached run as if called from anywhere.
    for (const f of this.scope.model.functions) if (!walks.has(f.node.id)) this.walkUnit(f.node.id, f, this.root);
    const observations: Observation[] = [];
    const hovers: HoverFacts[] = [];
    for (const unit of this.byFunction.values()) { observations.push(...unit.observations); hovers.push(...unit.hovers); }
    return { observations, hovers };
  }

  private entryFromSites(calleeId: number): PathContext | null {
    let entry: PathContext | null = null;
    const callers = [];
    for (const unitKey of this.callersOf.get(calleeId) ?? []) {
      for (const site of this.byFunction.get(unitKey)?.sites.get(calleeId) ?? []) {
        if (isDead(site.ctx)) continue;
        entry = joinContexts(entry, site.ctx);
        callers.push({ range: rangeOf(site.node), lvLo: site.ctx.libvirt.lo, text: site.node.text.replace(/\s+/g, ' ').slice(0, 80) });
      }
    }
    return entry ? { ...entry, callers } : null;
  }

  /** Functions whose every use is a call in this file (private, or used nowhere else). */
  private findKnownCallers(): void {
    const calls = new Map<string, number>();
    for (const c of this.scope.model.calls) {
      const name = calleeName(c);
      if (name) calls.set(name, (calls.get(name) ?? 0) + 1);
    }
    const index = this.scope.index;
    for (const f of this.scope.model.functions) {
      const name = f.name;
      if (f.isProperty || /^__.*__$/.test(name)) continue;
      if ((this.scope.model.functionsByName.get(name)?.length ?? 0) !== 1) continue;
      const isPrivate = name.startsWith('_');
      const unusedElsewhere = index !== undefined && index.fileCount() > 1 && index.referencedOutside(name, this.scope.uri) === false;
      if (!isPrivate && !unusedElsewhere) continue;
      if (isPrivate && index?.referencedOutside(name, this.scope.uri)) continue;
      const callCount = calls.get(name) ?? 0;
      // Every other mention of the name (a callback, a string, a comment) makes the callers unknown.
      if (callCount > 0 && this.scope.model.wordCount(name) === callCount + 1) this.knownCallers.add(f.node.id);
    }
  }

  private walkUnit(key: number, fn: FunctionInfo | undefined, entry: PathContext): void {
    this.observations = [];
    this.hovers = [];
    this.sites = new Map();
    this.scope.enter(fn);
    const body = fn ? field(fn.node, 'body') : this.tree.rootNode;
    if (body) this.walkBlock(namedChildren(body), entry);
    this.byFunction.set(key, { observations: this.observations, hovers: this.hovers, sites: this.sites });
    for (const calleeId of this.sites.keys()) {
      const set = this.callersOf.get(calleeId);
      if (set) set.add(key); else this.callersOf.set(calleeId, new Set([key]));
    }
    this.scope.enter(undefined);
  }

  // ---- statements ---------------------------------------------------------------------------

  /** Walks statements in order; returns the context after them, or null when they always exit. */
  private walkBlock(stmts: readonly Node[], entry: PathContext): PathContext | null {
    let ctx: PathContext | null = entry;
    for (const s of stmts) {
      if (!ctx) break;
      if (s.type === 'comment') continue;
      // The path after an early exit is entered only if some statement runs on it.
      if (this.pendingContinuations.has(ctx)) ctx = this.enterBranch(ctx);
      ctx = this.walkStatement(s, ctx);
    }
    return ctx;
  }

  private block(node: Node | null, ctx: PathContext): PathContext | null {
    return node ? this.walkBlock(namedChildren(node), ctx) : ctx;
  }

  private walkStatement(s: Node, ctx: PathContext): PathContext | null {
    if (this.depth >= MAX_NESTING) { this.truncated = true; return ctx; }
    this.depth++;
    try {
      return this.walkStatementAt(s, ctx);
    } finally {
      this.depth--;
    }
  }

  private walkStatementAt(s: Node, ctx: PathContext): PathContext | null {
    this.stmt = s;
    switch (s.type) {
      case 'function_definition':
        this.visitChildrenExcept(s, ctx, ['body', 'name', 'parameters', 'return_type']);
        this.visitDefaults(s, ctx);
        return ctx;
      case 'decorated_definition':
        for (const d of namedChildren(s)) if (d.type === 'decorator') this.visit(d, ctx);
        { const def = field(s, 'definition'); if (def) this.walkStatement(def, ctx); }
        return ctx;
      case 'class_definition': {
        const body = field(s, 'body');
        if (body) this.walkBlock(namedChildren(body), ctx);
        return ctx;
      }
      case 'if_statement': return this.walkIf(s, ctx);
      case 'while_statement': {
        const cond = field(s, 'condition');
        if (!cond) return ctx;
        this.visit(cond, ctx);
        const { t, f } = narrow(this.scope.read(cond), ctx);
        this.block(field(s, 'body'), this.enterBranch(t));
        const alt = field(s, 'alternative');
        if (alt) this.block(field(alt, 'body'), this.enterBranch(f));
        return ctx;
      }
      case 'for_statement': {
        const right = field(s, 'right');
        if (right) this.visit(right, ctx);
        this.block(field(s, 'body'), ctx);
        const alt = field(s, 'alternative');
        if (alt) this.block(field(alt, 'body'), ctx);
        return ctx;
      }
      case 'try_statement': return this.walkTry(s, ctx);
      case 'with_statement': {
        for (const c of namedChildren(s)) if (c.type === 'with_clause') this.visit(c, ctx);
        return this.block(field(s, 'body'), ctx);
      }
      case 'match_statement': {
        const subject = field(s, 'subject');
        if (subject) this.visit(subject, ctx);
        const body = field(s, 'body');
        for (const c of body ? namedChildren(body) : []) if (c.type === 'case_clause') this.block(field(c, 'consequence'), ctx);
        return ctx;
      }
      case 'return_statement':
      case 'raise_statement':
        this.visitChildren(s, ctx);
        return null;
      case 'continue_statement':
      case 'break_statement':
        return null;
      case 'assert_statement': {
        this.visitChildren(s, ctx);
        const cond = s.namedChild(0);
        return cond ? this.enterBranch(narrow(this.scope.read(cond), ctx).t) : ctx;
      }
      case 'import_statement':
      case 'import_from_statement':
      case 'global_statement':
      case 'nonlocal_statement':
      case 'pass_statement':
      case 'comment':
        return ctx;
      case 'block':
        return this.walkBlock(namedChildren(s), ctx);
      default:
        this.visitChildren(s, ctx);
        return ctx;
    }
  }

  private visitDefaults(def: Node, ctx: PathContext): void {
    const params = field(def, 'parameters');
    for (const p of params ? namedChildren(params) : []) {
      const value = field(p, 'value');
      if (value) this.visit(value, ctx);
    }
  }

  private walkIf(s: Node, ctx: PathContext): PathContext | null {
    const cond = field(s, 'condition');
    if (!cond) return ctx;
    this.visit(cond, ctx);
    let { t, f } = narrow(this.scope.read(cond), ctx);
    const exits: (PathContext | null)[] = [this.block(field(s, 'consequence'), this.enterBranch(t))];
    let sawElse = false;
    for (const alt of fieldChildren(s, 'alternative')) {
      if (alt.type === 'elif_clause') {
        const c = field(alt, 'condition');
        const entered = this.enterBranch(f);
        if (c) this.visit(c, entered);
        const b = c ? narrow(this.scope.read(c), entered) : { t: entered, f: entered };
        exits.push(this.block(field(alt, 'consequence'), this.enterBranch(b.t)));
        f = b.f;
      } else {
        sawElse = true;
        exits.push(this.block(field(alt, 'body'), this.enterBranch(f)));
      }
    }
    if (!sawElse) exits.push(f);
    let after: PathContext | null = null;
    for (const e of exits) after = joinContexts(after, e);
    if (!after) return null;
    if (!sameBounds(after, ctx)) this.pendingContinuations.add(after);
    return after;
  }

  private catchesAttributeError(clause: Node): boolean {
    const value = field(clause, 'value');
    if (!value) return namedChildren(clause).every((c) => c.type === 'block' || c.type === 'comment'); // bare except
    const caught = value.type === 'as_pattern' ? value.namedChild(0) : value;
    const names = caught?.type === 'tuple' ? namedChildren(caught).map((c) => c.text) : [caught?.text ?? ''];
    return names.some((n) => /(^|\.)(AttributeError|Exception|BaseException)$/.test(n));
  }

  private walkTry(s: Node, ctx: PathContext): PathContext | null {
    const clauses = namedChildren(s);
    const protects = clauses.some((c) => c.type === 'except_clause' && this.catchesAttributeError(c));
    let bodyCtx = ctx;
    if (protects) {
      const guard: GuardFact = { kind: 'except-attributeerror', uri: this.scope.uri, range: rangeOf(s), text: 'try: ... except AttributeError' };
      bodyCtx = { ...ctx, protectAll: true, guards: [...ctx.guards, guard] };
    }
    const exits: (PathContext | null)[] = [this.block(field(s, 'body'), bodyCtx)];
    let finallyBlock: Node | null = null;
    for (const c of clauses) {
      if (c.type === 'except_clause' || c.type === 'except_group_clause') {
        const value = field(c, 'value');
        if (value) this.visit(value, ctx);
        const block = namedChildren(c).find((x) => x.type === 'block') ?? null;
        exits.push(this.block(block, ctx));
      } else if (c.type === 'else_clause') {
        exits[0] = exits[0] ? this.block(field(c, 'body'), exits[0]) : null;
      } else if (c.type === 'finally_clause') {
        finallyBlock = namedChildren(c).find((x) => x.type === 'block') ?? null;
      }
    }
    let after: PathContext | null = null;
    for (const e of exits) after = joinContexts(after, e);
    if (finallyBlock) this.block(finallyBlock, ctx);
    return after;
  }

  /** A branch is entered: report it at its guard when it is untested (once), and note gate use. */
  private enterBranch(branch: PathContext): PathContext {
    if (isDead(branch) || branch.untestedReported) return branch;
    const cls = contextClass(branch, this.policy);
    if (branch.gates.length) {
      this.markGates(branch, cls, branch.libvirt.loGuard !== undefined || branch.qemu.loGuard !== undefined);
      return isUntested(cls, this.policy) ? { ...branch, untestedReported: true } : branch;
    }
    if (!isUntested(cls, this.policy)) return branch;
    // Blame the axis that makes it untested: libvirt if libvirt alone does, else QEMU.
    const libvirtAlone = supportClass(branch.libvirt, this.root.qemu, this.policy);
    const axis = isUntested(libvirtAlone, this.policy) ? 'libvirt' : 'qemu';
    const other = axis === 'libvirt' ? 'qemu' : 'libvirt';
    const guard = branch[axis].loGuard ?? branch[axis].hiGuard ?? branch[other].loGuard ?? branch[other].hiGuard;
    if (!guard) return branch;
    const oldLv = oldestCi(this.policy, 'libvirt');
    const oldQemu = oldestCi(this.policy, 'qemu');
    const legacy = (oldLv !== undefined && branch.libvirt.hi <= oldLv) || (oldQemu !== undefined && branch.qemu.hi <= oldQemu);
    this.observations.push({ k: 'branch', code: legacy ? 'LVG007' : 'LVG001', ctx: branch, guard: { ...guard, axis } });
    return { ...branch, untestedReported: true };
  }

  private markGates(ctx: PathContext, cls: SupportClass, libvirt: boolean): void {
    for (const g of ctx.gates) {
      let use = this.gateUses.get(g.id);
      if (!use) { use = { gate: g, hasLibvirt: false }; this.gateUses.set(g.id, use); }
      if (!use.worst || classRank[cls] > classRank[use.worst]) use.worst = cls;
      if (libvirt) use.hasLibvirt = true;
    }
  }

  // ---- expressions --------------------------------------------------------------------------

  private visitChildren(n: Node, ctx: PathContext): void {
    for (const c of namedChildren(n)) this.visit(c, ctx);
  }

  private visitChildrenExcept(n: Node, ctx: PathContext, fields: readonly string[]): void {
    const skip = new Set(fields.map((f) => field(n, f)?.id).filter((x) => x !== undefined));
    for (const c of namedChildren(n)) if (!skip.has(c.id)) this.visit(c, ctx);
  }

  private visit(n: Node, ctx: PathContext): void {
    if (isDead(ctx)) return;
    if (this.depth >= MAX_NESTING) { this.truncated = true; return; }
    this.depth++;
    try {
      this.visitAt(n, ctx);
    } finally {
      this.depth--;
    }
  }

  private visitAt(n: Node, ctx: PathContext): void {
    switch (n.type) {
      case 'boolean_operator': {
        const left = field(n, 'left');
        const right = field(n, 'right');
        if (!left || !right) return;
        this.visit(left, ctx);
        const b = narrow(this.scope.read(left), ctx);
        this.visit(right, this.enterBranch(field(n, 'operator')?.text === 'or' ? b.f : b.t));
        return;
      }
      case 'conditional_expression': {
        const [a, c, b] = namedChildren(n);
        if (!a || !c || !b) return this.visitChildren(n, ctx);
        this.visit(c, ctx);
        const br = narrow(this.scope.read(c), ctx);
        this.visit(a, this.enterBranch(br.t));
        this.visit(b, this.enterBranch(br.f));
        return;
      }
      case 'call': return this.visitCall(n, ctx);
      case 'attribute': return this.visitAttribute(n, ctx);
      case 'identifier': return this.visitIdentifier(n, ctx);
      case 'string': case 'integer': case 'float': case 'comment': case 'true': case 'false': case 'none':
        return;
      case 'function_definition': case 'class_definition': case 'decorated_definition':
        return; // nested definitions are walked as units of their own
      default:
        if (n.isNamed && this.stmt !== n && isStatementLike(n.type)) { this.walkStatement(n, ctx); return; }
        return this.visitChildren(n, ctx);
    }
  }

  private visitCall(n: Node, ctx: PathContext): void {
    const fn = field(n, 'function');
    const args = field(n, 'arguments');
    const name = calleeName(n);
    if (name && this.scope.versionChecks.has(name)) this.recordCheck(n, ctx);
    if (name === 'getattr' && fn?.type === 'identifier') {
      const [target, attr] = callArguments(n).positional;
      if (target && attr?.type === 'string' && this.scope.types.typeOf(target)?.k === 'module') {
        const module = (this.scope.types.typeOf(target) as { module: LibvirtModule }).module;
        const sym = attr.text.replace(/^[rbuRBU]*['"]+|['"]+$/g, '');
        this.useModuleMember(attr, module, sym, { ...ctx, protectedSymbols: new Set([...ctx.protectedSymbols, sym]) });
      }
    }
    const local = this.scope.localFunction(n);
    if (local && this.knownCallers.has(local.node.id)) {
      const list = this.sites.get(local.node.id);
      if (list) list.push({ ctx, node: n }); else this.sites.set(local.node.id, [{ ctx, node: n }]);
    }
    if (fn?.type === 'attribute') {
      const recv = field(fn, 'object');
      const method = field(fn, 'attribute');
      if (recv && method) {
        const t = this.scope.types.typeOf(recv);
        if (t?.k === 'module') this.useModuleMember(method, t.module, method.text, ctx);
        else {
          this.useMethod(method, t, ctx);
          this.visit(recv, ctx);
        }
      }
    } else if (fn) {
      this.visit(fn, ctx);
    }
    if (args) this.visitChildren(args, ctx);
  }

  private visitAttribute(n: Node, ctx: PathContext): void {
    const obj = field(n, 'object');
    const attr = field(n, 'attribute');
    if (!obj || !attr) return;
    const objNode = unparen(obj);
    if (objNode.type === 'identifier' && this.scope.libvirtModules.has(objNode.text)) {
      const t = this.scope.types.typeOf(objNode);
      if (t?.k === 'module') { this.useModuleMember(attr, t.module, attr.text, ctx); return; }
    }
    this.visit(obj, ctx);
  }

  private visitIdentifier(n: Node, ctx: PathContext): void {
    const imported = this.scope.model.libvirtImports.get(n.text);
    if (!imported) return;
    const parent = parentOf(n);
    if (parent && (parent.type === 'aliased_import' || parent.type === 'dotted_name' || parent.type === 'keyword_argument' && field(parent, 'name')?.id === n.id)) return;
    this.useModuleMember(n, imported.module, imported.name, ctx);
  }

  private useModuleMember(node: Node, module: LibvirtModule, name: string, ctx: PathContext): void {
    const constant = this.db.constant(module, name);
    if (constant) {
      const symbol: SymbolFacts = { python: `${module}.${name}`, cName: name, since: constant.since, docsUrl: constant.docsUrl, receiverVia: 'module' };
      return this.observeUse(node, symbol, name, ctx);
    }
    const fn = this.db.moduleFunction(module, name);
    if (fn) {
      const symbol: SymbolFacts = { python: `${module}.${name}`, cName: fn.cName, since: fn.since, docsUrl: fn.docsUrl, receiverVia: 'module' };
      return this.observeUse(node, symbol, name, ctx);
    }
    if (/^VIR_[A-Z0-9_]+$/.test(name) && !isDead(ctx)) this.observations.push({ k: 'unknown', node, module, name, ctx });
  }

  private useMethod(node: Node, t: ReturnType<FileScope['types']['typeOf']>, ctx: PathContext): void {
    const name = node.text;
    if (t?.k === 'object') {
      const f = this.db.method(t.cls, name);
      if (f) this.observeUse(node, { python: `${t.cls}.${name}`, cName: f.cName, since: f.since, docsUrl: f.docsUrl, receiverVia: t.via }, name, ctx);
      return;
    }
    if (t || !isDistinctiveMethodName(name)) return;
    const candidates = this.db.methodsNamed(name);
    const oldest = candidates[0];
    if (!oldest) return;
    const symbol: SymbolFacts = {
      python: `${oldest.pyClass}.${name}`, cName: oldest.cName, since: oldest.since, docsUrl: oldest.docsUrl,
      receiverVia: candidates.length > 1 ? 'oldest-candidate' : 'unique-name',
      ...(candidates.length > 1 ? { candidates: candidates.map((c) => ({ python: `${c.pyClass}.${name}`, since: c.since })) } : {}),
    };
    this.observeUse(node, symbol, name, ctx);
  }

  private observeUse(node: Node, symbol: SymbolFacts, pyName: string, ctx: PathContext): void {
    if (isDead(ctx)) return;
    const isProtected = ctx.protectAll || ctx.protectedSymbols.has(pyName);
    const interval = useInterval(ctx, symbol.since);
    const cls = supportClass(interval, ctx.qemu, this.policy);
    this.hovers.push({
      range: rangeOf(node), kind: 'symbol', symbol, interval: { libvirt: interval, qemu: ctx.qemu },
      supportClass: cls, gated: ctx.gates.length > 0, guards: ctx.guards,
    });
    if (ctx.gates.length) this.markGates(ctx, cls, true);
    this.observations.push({ k: 'use', node, stmt: enclosingStatement(node), symbol, pyName, ctx, protected: isProtected });
  }

  private recordCheck(call: Node, ctx: PathContext): void {
    const cond: Cond = readCheckCall(call, this.scope);
    for (const { atom } of checkAtoms(cond)) {
      const b = narrow(atom, ctx);
      const axis = atom.axis;
      this.hovers.push({
        range: rangeOf(call), kind: 'check', interval: { libvirt: ctx.libvirt, qemu: ctx.qemu },
        supportClass: contextClass(ctx, this.policy), gated: ctx.gates.length > 0, guards: ctx.guards,
        check: {
          axis, version: atom.version, exact: atom.exact,
          thenInterval: b.t[axis], thenClass: contextClass(b.t, this.policy),
          elseInterval: b.f[axis], elseClass: contextClass(b.f, this.policy),
        },
      });
    }
  }
}

function isStatementLike(type: string): boolean {
  return type.endsWith('_statement');
}

export { unparen };
