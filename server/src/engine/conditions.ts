// Conditions as the engine understands them: version checks, the opt-in gate, hasattr,
// combined with not/and/or. Expressions are read into a Cond once; narrowing a path by a
// Cond gives the paths of its true and false branches.
import type { Node } from './parser';
import {
  raiseLow, lowerHigh, withGate, withProtected, joinContexts, type GateRef, type PathContext,
} from './pathContext';
import { callArguments, calleeName, compactText, dottedName, field, rangeOf, unparen } from './syntax';
import type { GuardFact, VersionNumber } from './types';

export type Cond =
  | { readonly k: 'check'; readonly axis: 'libvirt' | 'qemu'; readonly exact: boolean; readonly version: VersionNumber; readonly guard: GuardFact; readonly call?: Node }
  | { readonly k: 'gate'; readonly gate: GateRef; readonly guard: GuardFact }
  | { readonly k: 'hasattr'; readonly symbol: string; readonly guard: GuardFact }
  | { readonly k: 'not'; readonly c: Cond }
  | { readonly k: 'and'; readonly a: Cond; readonly b: Cond }
  | { readonly k: 'or'; readonly a: Cond; readonly b: Cond }
  | { readonly k: 'none' };

export const noCond: Cond = { k: 'none' };

export function hasCheck(c: Cond): boolean {
  switch (c.k) {
    case 'check': return true;
    case 'not': return hasCheck(c.c);
    case 'and': case 'or': return hasCheck(c.a) || hasCheck(c.b);
    default: return false;
  }
}

export function mentionsGuard(c: Cond): boolean {
  switch (c.k) {
    case 'none': return false;
    case 'not': return mentionsGuard(c.c);
    case 'and': case 'or': return mentionsGuard(c.a) || mentionsGuard(c.b);
    default: return true;
  }
}

/** Every check atom of a Cond, with whether it counts positively. */
export function checkAtoms(c: Cond, positive = true, out: { atom: Extract<Cond, { k: 'check' }>; positive: boolean }[] = []): typeof out {
  switch (c.k) {
    case 'check': out.push({ atom: c, positive }); break;
    case 'not': checkAtoms(c.c, !positive, out); break;
    case 'and': case 'or': checkAtoms(c.a, positive, out); checkAtoms(c.b, positive, out); break;
    default: break;
  }
  return out;
}

export function negate(c: Cond): Cond {
  if (c.k === 'none') return c;
  if (c.k === 'not') return c.c;
  return { k: 'not', c };
}

export function and(a: Cond, b: Cond): Cond {
  if (a.k === 'none') return b;
  if (b.k === 'none') return a;
  return { k: 'and', a, b };
}

/** Re-homes a Cond read elsewhere (a helper, a variable) at the place that uses it. */
export function relocate(c: Cond, guard: (g: GuardFact) => GuardFact): Cond {
  switch (c.k) {
    case 'check': return { ...c, guard: guard(c.guard) };
    case 'gate': return { ...c, guard: guard(c.guard) };
    case 'hasattr': return { ...c, guard: guard(c.guard) };
    case 'not': return { k: 'not', c: relocate(c.c, guard) };
    case 'and': case 'or': return { k: c.k, a: relocate(c.a, guard), b: relocate(c.b, guard) };
    default: return c;
  }
}

export interface Branches { readonly t: PathContext; readonly f: PathContext }

export function narrow(c: Cond, ctx: PathContext): Branches {
  switch (c.k) {
    case 'check':
      if (c.exact) {
        const t = lowerHigh(raiseLow(ctx, c.axis, c.version, c.guard), c.axis, c.version + 1, c.guard);
        return { t, f: ctx };
      }
      return { t: raiseLow(ctx, c.axis, c.version, c.guard), f: lowerHigh(ctx, c.axis, c.version, c.guard) };
    case 'gate': return { t: withGate(ctx, c.gate, c.guard), f: ctx };
    case 'hasattr': return { t: withProtected(ctx, c.symbol, c.guard), f: ctx };
    case 'not': { const b = narrow(c.c, ctx); return { t: b.f, f: b.t }; }
    case 'and': {
      const a = narrow(c.a, ctx);
      const b = narrow(c.b, a.t);
      return { t: b.t, f: joinContexts(a.f, b.f) ?? a.f };
    }
    case 'or': {
      const a = narrow(c.a, ctx);
      const b = narrow(c.b, a.f);
      return { t: joinContexts(a.t, b.t) ?? a.t, f: b.f };
    }
    default: return { t: ctx, f: ctx };
  }
}

/** What a CondReader needs from its surroundings. */
export interface CondScope {
  readonly uri: string;
  readonly versionChecks: ReadonlySet<string>;
  /** Gate expressions, compacted (no whitespace). */
  readonly gates: ReadonlySet<string>;
  readonly libvirtModules: ReadonlyMap<string, unknown>;
  resolveVersion(node: Node): VersionNumber | undefined;
  /** The Cond held by a variable or attribute (`has_postcopy`, `self._supports_x`). */
  heldCond(node: Node): Cond | undefined;
  /** The Cond a helper call or property returns (`self._can_quiesce()`, `self._host.supports_x`). */
  helperCond(node: Node): Cond | undefined;
}

function shortText(node: Node): string {
  const t = node.text.replace(/\s+/g, ' ');
  return t.length > 120 ? `${t.slice(0, 117)}...` : t;
}

export function guardAt(scope: CondScope, node: Node, kind: GuardFact['kind'], extra: Partial<GuardFact> = {}): GuardFact {
  return { kind, uri: scope.uri, range: rangeOf(node), text: shortText(node), ...extra };
}

/** The version arguments of a version-check call, by axis. */
export function checkCallArguments(call: Node, scope: CondScope): { lv?: Node; hv?: Node; name: string } | undefined {
  const name = calleeName(call);
  if (!name || !scope.versionChecks.has(name)) return undefined;
  const args = callArguments(call);
  // _conn_has_min_version(conn, lv_ver, hv_ver): the connection comes first.
  const positional = name === '_conn_has_min_version' ? args.positional.slice(1) : args.positional;
  const lv = args.keyword.get('lv_ver') ?? positional[0];
  const hv = args.keyword.get('hv_ver') ?? positional[1];
  return { name, ...(lv && lv.type !== 'none' ? { lv } : {}), ...(hv && hv.type !== 'none' ? { hv } : {}) };
}

/** Reads a version-check call into a Cond (and of its axes); none when it is not one. */
export function readCheckCall(call: Node, scope: CondScope): Cond {
  const args = checkCallArguments(call, scope);
  if (!args) return noCond;
  const exact = args.name === 'has_version';
  let cond: Cond = noCond;
  for (const [axis, node] of [['libvirt', args.lv], ['qemu', args.hv]] as const) {
    if (!node) continue;
    const version = scope.resolveVersion(node);
    if (version === undefined) continue;
    const guard = guardAt(scope, call, exact ? 'exact-version-check' : 'version-check', { axis, version });
    cond = and(cond, { k: 'check', axis, exact, version, guard, call });
  }
  return cond;
}

function hasattrCond(call: Node, scope: CondScope): Cond {
  const args = callArguments(call).positional;
  const target = args[0];
  const nameArg = args[1];
  if (!target || !nameArg || nameArg.type !== 'string') return noCond;
  const symbol = nameArg.text.replace(/^[rbuRBU]*['"]+|['"]+$/g, '');
  if (!/^\w+$/.test(symbol)) return noCond;
  void scope;
  return { k: 'hasattr', symbol, guard: guardAt(scope, call, 'hasattr') };
}

/** Reads a condition expression. Unknown parts read as `none` (they narrow nothing). */
export function readCond(expr: Node, scope: CondScope): Cond {
  const n = unparen(expr);
  const compact = scope.gates.size ? compactText(n) : '';
  if (compact && scope.gates.has(compact)) {
    const gate: GateRef = { id: `${scope.uri}#${n.startIndex}`, range: rangeOf(n), text: shortText(n) };
    return { k: 'gate', gate, guard: guardAt(scope, n, 'gate') };
  }
  switch (n.type) {
    case 'not_operator': {
      const arg = field(n, 'argument');
      return arg ? negate(readCond(arg, scope)) : noCond;
    }
    case 'boolean_operator': {
      const left = field(n, 'left');
      const right = field(n, 'right');
      const op = field(n, 'operator')?.text;
      if (!left || !right) return noCond;
      const a = readCond(left, scope);
      const b = readCond(right, scope);
      if (a.k === 'none' && b.k === 'none') return noCond;
      if (op === 'and') return and(a, b);
      // `x or check`: the check says nothing when the unknown side is true.
      if (a.k === 'none' || b.k === 'none') return noCond;
      return { k: 'or', a, b };
    }
    case 'call': {
      const name = calleeName(n);
      if (name && scope.versionChecks.has(name)) return readCheckCall(n, scope);
      if (name === 'hasattr' && field(n, 'function')?.type === 'identifier') return hasattrCond(n, scope);
      return scope.helperCond(n) ?? noCond;
    }
    case 'identifier':
    case 'attribute':
      return scope.heldCond(n) ?? scope.helperCond(n) ?? noCond;
    case 'subscript': {
      // `self._can_x()[0]`: the first item of a (supported, reason) helper.
      const value = field(n, 'value');
      const index = field(n, 'subscript');
      if (value && index?.text === '0' && unparen(value).type === 'call') return scope.helperCond(unparen(value)) ?? noCond;
      return noCond;
    }
    default:
      return noCond;
  }
}

export { dottedName };
