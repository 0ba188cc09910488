// Name resolution for one file: function scopes (locals, parameters, held conditions),
// class attributes, module constants, local helpers and the workspace index behind them.
import type { FeatureDb, LibvirtModule } from '../data/featureDb';
import type { Policy } from '../config/policy';
import {
  and, hasCheck, mentionsGuard, negate, noCond, readCond, relocate, type Cond, type CondScope,
} from './conditions';
import { libvirtModuleOf, versionLiteral, type FileModel, type FunctionInfo } from './fileModel';
import type { Node } from './parser';
import { TypeInference, type TypeScope } from './receivers';
import { calleeName, compactText, field, namedChildren, parentOf, rangeOf, unparen } from './syntax';
import type { VersionNumber } from './types';
import type { WorkspaceIndex } from './workspaceIndex';

interface LocalBinding { readonly expr: Node; readonly kind: 'assign' | 'for' | 'except-error' | 'param' }

class FunctionScope {
  readonly locals = new Map<string, LocalBinding[]>();
  readonly annotations = new Map<string, string>();
  /** `a, b = helper()`: the first target holds the helper's condition. */
  readonly heldFromTuple = new Map<string, Node>();
}

function ownerFunction(node: Node): Node | null {
  for (let n = parentOf(node); n; n = parentOf(n)) if (n.type === 'function_definition' || n.type === 'lambda') return n;
  return null;
}

function isFailureValue(node: Node | null): boolean | undefined {
  if (!node) return undefined;
  const n = unparen(node);
  const first = n.type === 'tuple' || n.type === 'expression_list' ? n.namedChild(0) : n;
  if (first?.type === 'false') return true;
  if (first?.type === 'true') return false;
  return undefined;
}

export class FileScope implements CondScope {
  readonly versionChecks: ReadonlySet<string>;
  readonly gates: ReadonlySet<string>;
  readonly libvirtModules: ReadonlyMap<string, LibvirtModule>;
  readonly types: TypeInference;
  private current: FunctionInfo | undefined;
  private readonly scopes = new Map<number, FunctionScope>();
  private readonly helperConds = new Map<number, Cond | null>();
  private readonly selfAttrs = new Map<string, Map<string, Node[]>>();
  private readonly resolving = new Set<number>();
  private readonly functionByNode = new Map<number, FunctionInfo>();

  constructor(
    readonly uri: string,
    readonly model: FileModel,
    readonly policy: Policy,
    readonly db: FeatureDb,
    readonly index: WorkspaceIndex | undefined,
  ) {
    this.versionChecks = new Set(policy.versionChecks);
    this.gates = new Set(policy.gates.map((g) => g.replace(/[\s\\]+/g, '')));
    this.libvirtModules = model.libvirtModules;
    for (const f of model.functions) this.functionByNode.set(f.node.id, f);
    const typeScope: TypeScope = {
      db,
      receivers: policy.receivers,
      libvirtModule: (name) => this.model.libvirtModules.get(name) ?? libvirtModuleOf(name),
      localAssignments: (name) => this.scope()?.locals.get(name) ?? [],
      selfAssignments: (attr) => this.selfAssignments(attr),
      annotation: (name) => this.scope()?.annotations.get(name),
      isForeignName: (name) => this.model.foreignImports.has(name),
      isWorkspaceClass: (name) => this.model.classes.has(name) || (this.index?.isWorkspaceClass(name) ?? false),
      helperReturns: (call) => this.helperReturns(call),
      inOwnerScope: (node, fn) => this.inOwnerScope(node, fn),
    };
    this.types = new TypeInference(typeScope);
  }

  /** Sets the function whose body is being analysed (undefined: module level). */
  enter(fn: FunctionInfo | undefined): void { this.current = fn; }
  get currentFunction(): FunctionInfo | undefined { return this.current; }

  functionOf(node: Node): FunctionInfo | undefined {
    const owner = ownerFunction(node);
    return owner ? this.functionByNode.get(owner.id) : undefined;
  }

  private scope(): FunctionScope | undefined {
    const fn = this.current;
    if (!fn) return undefined;
    let s = this.scopes.get(fn.node.id);
    if (!s) { s = this.buildScope(fn); this.scopes.set(fn.node.id, s); }
    return s;
  }

  private buildScope(fn: FunctionInfo): FunctionScope {
    const s = new FunctionScope();
    const add = (name: string, b: LocalBinding) => {
      const list = s.locals.get(name);
      if (list) list.push(b); else s.locals.set(name, [b]);
    };
    const params = field(fn.node, 'parameters');
    for (const p of params ? namedChildren(params) : []) {
      const name = p.type === 'identifier' ? p : field(p, 'name') ?? p.namedChild(0);
      const type = field(p, 'type');
      if (name?.type === 'identifier') {
        add(name.text, { expr: p, kind: 'param' });
        if (type) s.annotations.set(name.text, type.text);
      }
    }
    const body = field(fn.node, 'body');
    if (!body) return s;
    for (const node of body.descendantsOfType(['assignment', 'for_statement', 'except_clause'])) {
      if (!node || ownerFunction(node)?.id !== fn.node.id) continue;
      if (node.type === 'assignment') {
        const left = field(node, 'left');
        const right = field(node, 'right');
        const type = field(node, 'type');
        if (left?.type === 'identifier') {
          if (right) add(left.text, { expr: right, kind: 'assign' });
          if (type) s.annotations.set(left.text, type.text);
        } else if (left && (left.type === 'pattern_list' || left.type === 'tuple_pattern') && right) {
          const first = left.namedChild(0);
          if (first?.type === 'identifier' && unparen(right).type === 'call') s.heldFromTuple.set(first.text, unparen(right));
          for (const t of namedChildren(left)) if (t.type === 'identifier') add(t.text, { expr: t, kind: 'param' });
        }
      } else if (node.type === 'for_statement') {
        const left = field(node, 'left');
        const right = field(node, 'right');
        if (left?.type === 'identifier' && right) add(left.text, { expr: right, kind: 'for' });
      } else {
        // except libvirt.libvirtError as e / except libvirt.libvirtError, e (Python 2)
        const value = field(node, 'value');
        const alias = value?.type === 'as_pattern' ? field(value, 'alias')?.namedChild(0) : node.childrenForFieldName('value')[1];
        const caught = value?.type === 'as_pattern' ? value.namedChild(0) : value;
        if (alias?.type === 'identifier' && caught && /libvirtError$/.test(caught.text)) add(alias.text, { expr: caught, kind: 'except-error' });
        else if (alias?.type === 'identifier') add(alias.text, { expr: alias, kind: 'param' });
      }
    }
    return s;
  }

  private selfAssignments(attr: string): Node[] {
    const cls = this.current?.className;
    if (!cls) return [];
    let attrs = this.selfAttrs.get(cls);
    if (!attrs) {
      attrs = new Map();
      const classNode = this.model.classes.get(cls);
      for (const a of classNode ? classNode.descendantsOfType('assignment') : []) {
        const left = a ? field(a, 'left') : null;
        const right = a ? field(a, 'right') : null;
        if (!left || !right || left.type !== 'attribute') continue;
        if (field(left, 'object')?.text !== 'self') continue;
        const name = field(left, 'attribute')?.text;
        if (!name) continue;
        const list = attrs.get(name);
        if (list) list.push(right); else attrs.set(name, [right]);
      }
      this.selfAttrs.set(cls, attrs);
    }
    return attrs.get(attr) ?? [];
  }

  // ---- versions -------------------------------------------------------------------------

  resolveVersion(node: Node): VersionNumber | undefined {
    const literal = versionLiteral(node);
    if (literal !== undefined) return literal;
    const n = unparen(node);
    if (n.type === 'identifier') {
      const local = this.model.constants.get(n.text);
      if (local && !this.resolving.has(local.id)) {
        this.resolving.add(local.id);
        try { return this.resolveVersion(local); } finally { this.resolving.delete(local.id); }
      }
      const imported = this.model.foreignImports.get(n.text);
      return this.index?.constant(imported?.name ?? n.text, imported?.module);
    }
    if (n.type === 'attribute') {
      const name = field(n, 'attribute')?.text;
      const obj = field(n, 'object');
      if (!name) return undefined;
      const module = obj?.type === 'identifier' ? this.model.foreignImports.get(obj.text)?.module ?? obj.text : undefined;
      return this.index?.constant(name, module);
    }
    return undefined;
  }

  // ---- conditions -----------------------------------------------------------------------

  read(expr: Node): Cond { return readCond(expr, this); }

  heldCond(node: Node): Cond | undefined {
    if (node.type === 'identifier') {
      const s = this.scope();
      const tupleCall = s?.heldFromTuple.get(node.text);
      if (tupleCall) return this.helperCond(tupleCall);
      const bindings = s?.locals.get(node.text);
      if (bindings && bindings.length === 1 && bindings[0]?.kind === 'assign') {
        const c = this.read(bindings[0].expr);
        return mentionsGuard(c) ? c : undefined;
      }
      return undefined;
    }
    if (node.type === 'attribute' && field(node, 'object')?.text === 'self') {
      const attr = field(node, 'attribute')?.text;
      const exprs = attr ? this.selfAssignments(attr) : [];
      if (exprs.length === 1 && exprs[0]) {
        const fn = this.functionOf(exprs[0]);
        const saved = this.current;
        this.enter(fn);
        try {
          const c = this.read(exprs[0]);
          return mentionsGuard(c) ? c : undefined;
        } finally { this.enter(saved); }
      }
    }
    return undefined;
  }

  /** Local function a call (or property access) refers to, by name. */
  localFunction(node: Node): FunctionInfo | undefined {
    const target = node.type === 'call' ? field(node, 'function') : node;
    if (!target) return undefined;
    const name = target.type === 'identifier' ? target.text : target.type === 'attribute' ? field(target, 'attribute')?.text : undefined;
    if (!name) return undefined;
    const candidates = this.model.functionsByName.get(name) ?? [];
    const isCall = node.type === 'call';
    const same = candidates.filter((f) => (isCall ? !f.isProperty : f.isProperty));
    return same.find((f) => f.className === this.current?.className) ?? same[0];
  }

  helperCond(node: Node): Cond | undefined {
    const fn = this.localFunction(node);
    if (fn) {
      const c = this.functionCond(fn);
      return c ?? undefined;
    }
    // A helper of another workspace file: its condition, re-homed at the call here.
    const target = node.type === 'call' ? field(node, 'function') : node;
    const name = node.type === 'call' ? calleeName(node) : target?.type === 'attribute' ? field(target, 'attribute')?.text : undefined;
    if (!name || !this.index) return undefined;
    const remote = this.index.helperCond(name, node.type === 'call', this.uri);
    if (!remote) return undefined;
    const range = rangeOf(node);
    const text = node.text.replace(/\s+/g, ' ');
    return relocate(remote, (g) => ({ ...g, kind: g.kind === 'gate' ? 'gate' : 'helper', uri: this.uri, range, text }));
  }

  /** The condition a helper's True result stands for, computed once per function. */
  functionCond(fn: FunctionInfo): Cond | null {
    const cached = this.helperConds.get(fn.node.id);
    if (cached !== undefined) return cached;
    this.helperConds.set(fn.node.id, null); // recursion guard
    const saved = this.current;
    this.enter(fn);
    let result: Cond | null = null;
    try {
      const stmts = fn.body.filter((s) => !(s.type === 'expression_statement' && s.namedChild(0)?.type === 'string'));
      const last = stmts[stmts.length - 1];
      const lastValue = last?.type === 'return_statement' ? last.namedChild(0) : null;
      if (lastValue && isFailureValue(lastValue) === false) {
        // if <c>: return False/(False, reason) ... return True/(True, None)
        let acc: Cond = noCond;
        for (const s of stmts.slice(0, -1)) {
          if (s.type !== 'if_statement' || field(s, 'alternative')) continue;
          const block = field(s, 'consequence');
          const ret = block ? namedChildren(block).find((x) => x.type === 'return_statement') : undefined;
          const cond = field(s, 'condition');
          if (cond && ret && isFailureValue(ret.namedChild(0)) === true) acc = and(acc, negate(this.read(cond)));
        }
        result = hasCheck(acc) ? acc : null;
      } else if (lastValue && stmts.filter((s) => s.type === 'return_statement').length === 1) {
        const c = this.read(lastValue);
        result = mentionsGuard(c) ? c : null;
      }
    } finally {
      this.enter(saved);
    }
    this.helperConds.set(fn.node.id, result);
    return result;
  }

  private helperReturns(call: Node): Node[] | undefined {
    const fn = this.localFunction(call);
    if (!fn) return undefined;
    const body = field(fn.node, 'body');
    if (!body) return undefined;
    const out: Node[] = [];
    for (const r of body.descendantsOfType('return_statement')) {
      if (!r || ownerFunction(r)?.id !== fn.node.id) continue;
      const v = r.namedChild(0);
      if (v) out.push(v);
    }
    return out.length ? out : undefined;
  }

  /** Runs `fn` with the scope of the function that contains `node` (helper returns, self.x assignments). */
  inOwnerScope<T>(node: Node, fn: () => T): T {
    const saved = this.current;
    this.enter(this.functionOf(node));
    try { return fn(); } finally { this.enter(saved); }
  }

  isGateText(node: Node): boolean {
    return this.gates.has(compactText(unparen(node)));
  }
}
