// Conditions as the engine understands them: version checks (calls, and comparisons of the
// runtime version), the opt-in gate, hasattr and feature checks, availability probes,
// combined with not/and/or. An expression is read into a Cond once; a Cond is plain data
// (no tree nodes), so it can be kept in the workspace index and cross worker threads.
import type { FeatureCheckSpec, VersionCheckSpec } from '../../config/policy';
import {
  callArguments,
  calleeName,
  compactText,
  dottedName,
  Field,
  NodeKind,
  unparen,
  type NodeId,
  type SyntaxTree,
} from '../syntax/index';
import type { GuardFact, Range, VersionNumber } from '../types';
import { specVersion, stringValue, versionComparisons, type VersionExpressionHost } from './versionExpressions';

/** A gate occurrence (`CONF.libvirt.enable_untested_features` at some range). */
export interface GateRef {
  readonly id: string;
  readonly range: Range;
  readonly text: string;
}

export type CheckCond = {
  readonly k: 'check';
  readonly axis: 'libvirt' | 'qemu';
  readonly exact: boolean;
  readonly version: VersionNumber;
  readonly guard: GuardFact;
  /**
   * In a helper's summary only (see FileSemantics.parametricTemplate): the version is what the
   * call gives for this parameter, plus `offset`. Replaced at each call (`instantiate`).
   */
  readonly param?: ParamRef;
};

/** A helper's parameter a template's check takes its version from. */
export interface ParamRef {
  readonly index: number;
  readonly name: string;
  /** The function's first parameter is `self` or `cls`: a call on an object passes one fewer. */
  readonly bound: boolean;
  readonly offset: number;
  /**
   * The version of the parameter's default (`version=MIN_X`), read in the helper's file: what a
   * call that gives no argument for it checks.
   */
  readonly defaultVersion?: VersionNumber;
}

export type Cond =
  | CheckCond
  | { readonly k: 'gate'; readonly gate: GateRef; readonly guard: GuardFact }
  | { readonly k: 'hasattr'; readonly symbol: string; readonly guard: GuardFact }
  /**
   * An availability probe: its true branch may use `symbols` (all it uses, when absent)
   * without failing. Like hasattr, it does not change which versions the branch runs on.
   */
  | { readonly k: 'probe'; readonly symbols?: readonly string[]; readonly guard: GuardFact }
  | { readonly k: 'not'; readonly c: Cond }
  | { readonly k: 'and'; readonly a: Cond; readonly b: Cond }
  | { readonly k: 'or'; readonly a: Cond; readonly b: Cond }
  | { readonly k: 'none' };

export const noCond: Cond = { k: 'none' };

export function hasCheck(c: Cond): boolean {
  switch (c.k) {
    case 'check':
      return true;
    case 'not':
      return hasCheck(c.c);
    case 'and':
    case 'or':
      return hasCheck(c.a) || hasCheck(c.b);
    default:
      return false;
  }
}

export function mentionsGuard(c: Cond): boolean {
  switch (c.k) {
    case 'none':
      return false;
    case 'not':
      return mentionsGuard(c.c);
    case 'and':
    case 'or':
      return mentionsGuard(c.a) || mentionsGuard(c.b);
    default:
      return true;
  }
}

/** Whether a Cond protects availability somewhere (hasattr, a feature check, a probe). */
export function hasAvailabilityGuard(c: Cond): boolean {
  switch (c.k) {
    case 'hasattr':
    case 'probe':
      return true;
    case 'not':
      return hasAvailabilityGuard(c.c);
    case 'and':
    case 'or':
      return hasAvailabilityGuard(c.a) || hasAvailabilityGuard(c.b);
    default:
      return false;
  }
}

/** Every check atom of a Cond, with whether it counts positively. */
export function checkAtoms(c: Cond, positive = true, out: { atom: CheckCond; positive: boolean }[] = []): typeof out {
  switch (c.k) {
    case 'check':
      out.push({ atom: c, positive });
      break;
    case 'not':
      checkAtoms(c.c, !positive, out);
      break;
    case 'and':
    case 'or':
      checkAtoms(c.a, positive, out);
      checkAtoms(c.b, positive, out);
      break;
    default:
      break;
  }
  return out;
}

export function negate(c: Cond): Cond {
  if (c.k === 'none') return c;
  if (c.k === 'not') return c.c;
  return { k: 'not', c };
}

export function and(a: Cond, b: Cond): Cond {
  if (a.k === 'none' || a === b) return b;
  if (b.k === 'none') return a;
  return { k: 'and', a, b };
}

/** Re-homes a Cond read elsewhere (a helper, a variable) at the place that uses it. */
export function relocate(c: Cond, guard: (g: GuardFact) => GuardFact): Cond {
  switch (c.k) {
    case 'check':
      return { ...c, guard: guard(c.guard) };
    case 'gate':
      return { ...c, guard: guard(c.guard) };
    case 'hasattr':
      return { ...c, guard: guard(c.guard) };
    case 'probe':
      return { ...c, guard: guard(c.guard) };
    case 'not':
      return { k: 'not', c: relocate(c.c, guard) };
    case 'and':
    case 'or':
      return { k: c.k, a: relocate(c.a, guard), b: relocate(c.b, guard) };
    default:
      return c;
  }
}

/** Whether some check atom of a Cond satisfies `test` (wherever it sits: negated or not). */
function anyCheck(c: Cond, test: (atom: CheckCond) => boolean): boolean {
  switch (c.k) {
    case 'check':
      return test(c);
    case 'not':
      return anyCheck(c.c, test);
    case 'and':
    case 'or':
      return anyCheck(c.a, test) || anyCheck(c.b, test);
    default:
      return false;
  }
}

/** A Cond with each check atom replaced by what `f` makes of it (the rest kept). */
export function mapChecks(c: Cond, f: (atom: CheckCond) => Cond): Cond {
  switch (c.k) {
    case 'check':
      return f(c);
    case 'not':
      return negate(mapChecks(c.c, f));
    case 'and':
    case 'or':
      return { k: c.k, a: mapChecks(c.a, f), b: mapChecks(c.b, f) };
    default:
      return c;
  }
}

/** Whether a Cond holds a template's check (one with a `param`). */
export function hasParam(c: Cond): boolean {
  return anyCheck(c, (atom) => atom.param !== undefined);
}

/**
 * A template with each check's version given (`version(param)`, plus the param's offset); a
 * check whose argument gives none reads as no check, as an unreadable version does.
 */
export function instantiate(c: Cond, version: (param: ParamRef) => VersionNumber | undefined): Cond {
  return mapChecks(c, (atom) => {
    if (atom.param === undefined) return atom;
    const given = version(atom.param);
    if (given === undefined) return noCond;
    const v = given + atom.param.offset;
    const { param: _param, ...plain } = atom;
    return { ...plain, version: v, guard: { ...atom.guard, version: v } };
  });
}

/** Version-check names, and the argument convention of those configured with one. */
export class VersionCheckNames extends Set<string> {
  private readonly specs: ReadonlyMap<string, VersionCheckSpec>;

  constructor(names: readonly string[], specs: readonly VersionCheckSpec[] = []) {
    super([...names, ...specs.map((s) => s.name)]);
    this.specs = new Map(specs.map((s) => [s.name, s]));
  }

  /** The configured convention (absent: lv_ver/hv_ver positional or keyword). */
  spec(name: string): VersionCheckSpec | undefined {
    return this.specs.get(name);
  }

  /** Checks a fix may copy with a tuple constant: the plain lv_ver/hv_ver ones. */
  plain(): ReadonlySet<string> {
    return new Set([...this].filter((n) => !this.specs.has(n)));
  }
}

/** A configured probe glob (`self.*_supported`), compiled; `callOnly` for a trailing `()`. */
export interface ProbePattern {
  readonly glob: string;
  readonly regex: RegExp;
  readonly callOnly: boolean;
}

/** Compiles probe globs: `*` matches any run of characters, dots included. */
export function compileProbePatterns(globs: readonly string[]): ProbePattern[] {
  return globs.map((glob) => {
    const callOnly = glob.endsWith('()');
    const body = callOnly ? glob.slice(0, -2) : glob;
    const source = body
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    return { glob, regex: new RegExp(`^${source}$`), callOnly };
  });
}

/** What reading a condition needs from its surroundings (implemented by FileSemantics). */
export interface CondReaderHost extends VersionExpressionHost {
  readonly uri: string;
  readonly tree: SyntaxTree;
  readonly versionChecks: VersionCheckNames;
  readonly featureChecks: ReadonlyMap<string, FeatureCheckSpec>;
  readonly probes: readonly ProbePattern[];
  /** Gate expressions, compacted (no whitespace). */
  readonly gates: ReadonlySet<string>;
  resolveVersion(node: NodeId): VersionNumber | undefined;
  /** The Cond held by a variable or attribute (`has_postcopy`, `self._supports_x`). */
  heldCond(node: NodeId): Cond | undefined;
  /** The Cond a helper call or property returns (`self._can_quiesce()`, `self._host.supports_x`). */
  helperCond(node: NodeId): Cond | undefined;
  /** What `readCond(node)` gave when it was read before, if the host keeps that. */
  readBefore?(node: NodeId): Cond | undefined;
}

/** Source text on one line, shortened to `max` characters, for messages. */
export function shortText(t: SyntaxTree, node: NodeId, max = 120): string {
  const text = t.text(node).replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

function guardAt(
  scope: CondReaderHost,
  node: NodeId,
  kind: GuardFact['kind'],
  extra: Partial<GuardFact> = {},
): GuardFact {
  return { kind, uri: scope.uri, range: scope.tree.range(node), text: shortText(scope.tree, node), ...extra };
}

/**
 * The version arguments of a version-check call, by axis, for fixes that rewrite them (raise
 * the version, drop an unused constant). A configured check in another form than a tuple
 * gives none: a fix would write a tuple where the function takes a string or parts.
 */
export function checkCallArguments(
  t: SyntaxTree,
  call: NodeId,
  versionChecks: VersionCheckNames,
): { lv?: NodeId; hv?: NodeId; name: string } | undefined {
  const name = calleeName(t, call);
  if (!name || !versionChecks.has(name)) return undefined;
  const args = callArguments(t, call);
  const spec = versionChecks.spec(name);
  if (spec) {
    const node = (spec.keyword ? args.keyword.get(spec.keyword) : undefined) ?? args.positional[spec.arg];
    // A version in keyword parts (major=, minor=) is in no one argument.
    const usable = spec.form !== 'keywords' && node !== undefined && t.kind(node) !== NodeKind.None;
    return usable ? { name, ...(spec.axis === 'qemu' ? { hv: node } : { lv: node }) } : { name };
  }
  // _conn_has_min_version(conn, lv_ver, hv_ver): the connection comes first.
  const positional = name === '_conn_has_min_version' ? args.positional.slice(1) : args.positional;
  const lv = args.keyword.get('lv_ver') ?? positional[0];
  const hv = args.keyword.get('hv_ver') ?? positional[1];
  return {
    name,
    ...(lv !== undefined && t.kind(lv) !== NodeKind.None ? { lv } : {}),
    ...(hv !== undefined && t.kind(hv) !== NodeKind.None ? { hv } : {}),
  };
}

/** Reads a version-check call into a Cond (and of its axes); none when it is not one. */
export function readCheckCall(call: NodeId, scope: CondReaderHost): Cond {
  const name = calleeName(scope.tree, call);
  const spec = name === undefined ? undefined : scope.versionChecks.spec(name);
  if (spec) {
    const version = specVersion(scope, call, spec);
    if (version === undefined) return noCond;
    const guard = guardAt(scope, call, spec.exact ? 'exact-version-check' : 'version-check', {
      axis: spec.axis,
      version,
    });
    return { k: 'check', axis: spec.axis, exact: spec.exact, version, guard };
  }
  const args = checkCallArguments(scope.tree, call, scope.versionChecks);
  if (!args) return noCond;
  const exact = args.name === 'has_version';
  let cond: Cond = noCond;
  for (const [axis, node] of [
    ['libvirt', args.lv],
    ['qemu', args.hv],
  ] as const) {
    if (node === undefined) continue;
    const version = scope.resolveVersion(node);
    if (version === undefined) continue;
    const guard = guardAt(scope, call, exact ? 'exact-version-check' : 'version-check', { axis, version });
    cond = and(cond, { k: 'check', axis, exact, version, guard });
  }
  return cond;
}

function hasattrCond(call: NodeId, scope: CondReaderHost): Cond {
  const t = scope.tree;
  const args = callArguments(t, call).positional;
  const target = args[0];
  const nameArg = args[1];
  if (target === undefined || nameArg === undefined || t.kind(nameArg) !== NodeKind.String) return noCond;
  const symbol = t.text(nameArg).replace(/^[rbuRBU]*['"]+|['"]+$/g, '');
  if (!/^\w+$/.test(symbol)) return noCond;
  return { k: 'hasattr', symbol, guard: guardAt(scope, call, 'hasattr') };
}

/** `has_flag("VIR_X")`, `supports("blockCopy")`: availability of the named symbol, like hasattr. */
function featureCheckCond(call: NodeId, spec: FeatureCheckSpec, scope: CondReaderHost): Cond {
  const t = scope.tree;
  const args = callArguments(t, call);
  const byKeyword = spec.keyword === undefined ? undefined : args.keyword.get(spec.keyword);
  const node =
    byKeyword ??
    (spec.arg !== undefined ? args.positional[spec.arg] : args.positional.find((a) => stringValue(t, a) !== undefined));
  const text = stringValue(t, node);
  // 'VIR_MIGRATE_POSTCOPY', 'blockCopy', 'libvirt.VIR_X', 'virDomain.blockCopy': the last part.
  if (text === undefined || !/^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/.test(text)) return noCond;
  const symbol = text.slice(text.lastIndexOf('.') + 1);
  return { k: 'hasattr', symbol, guard: guardAt(scope, call, 'hasattr') };
}

/** A configured probe: a call or attribute whose dotted name matches one of the globs. */
function probeCond(node: NodeId, scope: CondReaderHost): Cond | undefined {
  if (!scope.probes.length) return undefined;
  const t = scope.tree;
  const isCall = t.kind(node) === NodeKind.Call;
  const target = isCall ? t.field(node, Field.Function) : node;
  const name = target === undefined ? undefined : dottedName(t, target);
  if (name === undefined) return undefined;
  const hit = scope.probes.some((p) => (isCall || !p.callOnly) && p.regex.test(name));
  return hit ? { k: 'probe', guard: guardAt(scope, node, 'hasattr') } : undefined;
}

/** `conn.getLibVersion() >= 1002008`, `A <= libver < B`: one check per bound. */
function comparisonCond(n: NodeId, scope: CondReaderHost): Cond {
  let cond: Cond = noCond;
  for (const c of versionComparisons(scope, n)) {
    const exact = c.relation === 'exactly' || c.relation === 'notExactly';
    const guard = guardAt(scope, n, exact ? 'exact-version-check' : 'version-check', {
      axis: c.axis,
      version: c.version,
    });
    const atom: CheckCond = { k: 'check', axis: c.axis, exact, version: c.version, guard };
    cond = and(cond, c.relation === 'below' || c.relation === 'notExactly' ? negate(atom) : atom);
  }
  return cond.k === 'none' ? (comparedToBool(n, scope) ?? cond) : cond;
}

/** `check() is False`, `ok == True`, `x is not True`: the condition compared, or its negation. */
function comparedToBool(n: NodeId, scope: CondReaderHost): Cond | undefined {
  const t = scope.tree;
  const [left, op, right, extra] = t.children(n);
  if (left === undefined || op === undefined || right === undefined || extra !== undefined) return undefined;
  const isBool = (x: NodeId): boolean => {
    const k = t.kind(unparen(t, x));
    return k === NodeKind.True || k === NodeKind.False;
  };
  const literal = isBool(right) ? right : isBool(left) ? left : undefined;
  const other = literal === right ? left : right;
  const operator = t.text(op).replace(/\s+/g, ' ');
  if (literal === undefined || isBool(other) || !['is', 'is not', '==', '!='].includes(operator)) return undefined;
  const truthy = t.kind(unparen(t, literal)) === NodeKind.True;
  const c = readCond(other, scope);
  return truthy === (operator === 'is' || operator === '==') ? c : negate(c);
}

/** The first and last characters of each gate, as one number: a node whose text does not start and end alike is no gate. */
const gateEndsMemo = new WeakMap<ReadonlySet<string>, Set<number>>();

function mayBeGate(t: SyntaxTree, n: NodeId, gates: ReadonlySet<string>): boolean {
  let ends = gateEndsMemo.get(gates);
  if (!ends) {
    ends = new Set([...gates].map((g) => g.charCodeAt(0) * 65536 + g.charCodeAt(g.length - 1)));
    gateEndsMemo.set(gates, ends);
  }
  // A node starts and ends with a token, so its compact text does too (it drops only
  // whitespace, backslashes and comments between them).
  return ends.has(t.source.charCodeAt(t.start(n)) * 65536 + t.source.charCodeAt(t.end(n) - 1));
}

/** Whether `n` is written as one of the configured gates. */
function isGate(t: SyntaxTree, n: NodeId, scope: CondReaderHost): boolean {
  return scope.gates.size > 0 && mayBeGate(t, n, scope.gates) && scope.gates.has(compactText(t, n));
}

/**
 * `a and b or c ...`, which nests to the left one level per operand: read in a loop, from the
 * innermost operator out, as reading each operator's left operand first would (a chain of
 * thousands overflowed the stack and took the file's index entry down with it).
 */
function readBooleanChain(top: NodeId, scope: CondReaderHost): Cond {
  const t = scope.tree;
  const chain = [top];
  // The innermost left operand's read, when known from before: the walk reads a chain from
  // the inside out, each operator's left operand first, so each read takes one step.
  let before: Cond | undefined;
  for (;;) {
    const op = chain[chain.length - 1] as NodeId;
    const left = t.field(op, Field.Left);
    if (left === undefined || t.field(op, Field.Right) === undefined) break;
    before = scope.readBefore?.(left);
    const inner = unparen(t, left);
    if (before || t.kind(inner) !== NodeKind.BooleanOperator || isGate(t, inner, scope)) break;
    chain.push(inner);
  }
  let read: Cond = noCond;
  for (let i = chain.length - 1; i >= 0; i--) {
    const op = chain[i] as NodeId;
    const left = t.field(op, Field.Left);
    const right = t.field(op, Field.Right);
    if (left === undefined || right === undefined) {
      read = noCond;
      continue;
    }
    const a = i < chain.length - 1 ? read : (before ?? readCond(left, scope));
    const b = readCond(right, scope);
    const opNode = t.field(op, Field.Operator);
    if (a.k === 'none' && b.k === 'none') read = noCond;
    // `c and c` is c: a condition held by a name, read twice, is one object (a chain of them
    // each used twice, `c2 = c1 and c1`, made a condition whose walk doubled per link).
    else if (a === b) read = a;
    else if (opNode !== undefined && t.text(opNode) === 'and') read = and(a, b);
    // `x or check`: the check says nothing when the unknown side is true, but it holds when
    // the whole is false (`if not enabled or not check(): return`), so the unknown side stays
    // in (narrowing reads it as neither true nor false).
    else read = { k: 'or', a, b };
  }
  return read;
}

/** A literal's truth: `True`, a non-zero number, a non-empty string are true; `False`, `None`, `0`, `''` false. */
function literalTruth(t: SyntaxTree, expr: NodeId): boolean | undefined {
  const n = unparen(t, expr);
  switch (t.kind(n)) {
    case NodeKind.True:
      return true;
    case NodeKind.False:
    case NodeKind.None:
      return false;
    case NodeKind.Integer:
      return !/^0+$|^0[xXoObB]0+$/.test(t.text(n).replace(/_/g, ''));
    case NodeKind.String: {
      const v = stringValue(t, n);
      return v === undefined ? undefined : v.length > 0;
    }
    default:
      return undefined;
  }
}

/**
 * `A if c else B` as a truth value: c when A is true and B false (`True if check() else
 * False`), its negation the other way round. When one side is false and the other unknown,
 * where the whole is true the other side was taken: true side only (see heldFrom).
 */
function conditionalCond(n: NodeId, scope: CondReaderHost): Cond {
  const t = scope.tree;
  const [a, c, b] = t.children(n);
  if (a === undefined || c === undefined || b === undefined) return noCond;
  const ta = literalTruth(t, a);
  const tb = literalTruth(t, b);
  if (ta === tb || (ta !== false && tb !== false)) return noCond;
  const cond = scope.readBefore?.(c) ?? readCond(c, scope);
  if (ta === true) return cond;
  if (tb === true) return negate(cond);
  const taken = ta === false ? and(negate(cond), readCond(b, scope)) : and(cond, readCond(a, scope));
  return taken.k === 'none' ? noCond : { k: 'and', a: taken, b: noCond };
}

/** Reads a condition expression. Unknown parts read as `none` (they narrow nothing). */
export function readCond(expr: NodeId, scope: CondReaderHost): Cond {
  const t = scope.tree;
  const n = unparen(t, expr);
  if (isGate(t, n, scope)) {
    const range = t.range(n);
    // Its file and start position (the flow cache moves it with its range: flowCache.ts).
    const gate: GateRef = {
      id: `${scope.uri}#${range.start.line}:${range.start.character}`,
      range,
      text: shortText(t, n),
    };
    return { k: 'gate', gate, guard: guardAt(scope, n, 'gate') };
  }
  switch (t.kind(n)) {
    case NodeKind.NotOperator: {
      const arg = t.field(n, Field.Argument);
      return arg === undefined ? noCond : negate(readCond(arg, scope));
    }
    case NodeKind.BooleanOperator:
      return readBooleanChain(n, scope);
    case NodeKind.NamedExpression: {
      // `if (ok := check()):` tests the value it binds.
      const value = t.field(n, Field.Value);
      return value === undefined ? noCond : readCond(value, scope);
    }
    case NodeKind.Call: {
      const name = calleeName(t, n);
      if (name && scope.versionChecks.has(name)) return readCheckCall(n, scope);
      const fn = t.field(n, Field.Function);
      if (name === 'hasattr' && fn !== undefined && t.kind(fn) === NodeKind.Identifier) return hasattrCond(n, scope);
      if (name === 'bool' && fn !== undefined && t.kind(fn) === NodeKind.Identifier) {
        // `bool(check())` is the check.
        const args = callArguments(t, n);
        const only = args.positional.length === 1 && args.keyword.size === 0 ? args.positional[0] : undefined;
        if (only !== undefined) return readCond(only, scope);
      }
      const feature = name === undefined ? undefined : scope.featureChecks.get(name);
      if (feature) return featureCheckCond(n, feature, scope);
      return scope.helperCond(n) ?? probeCond(n, scope) ?? noCond;
    }
    case NodeKind.Identifier:
    case NodeKind.Attribute:
      return scope.heldCond(n) ?? scope.helperCond(n) ?? probeCond(n, scope) ?? noCond;
    case NodeKind.ComparisonOperator:
      return comparisonCond(n, scope);
    case NodeKind.ConditionalExpression:
      return conditionalCond(n, scope);
    case NodeKind.Subscript: {
      // `self._can_x()[0]`: the first item of a (supported, reason) helper.
      const value = t.field(n, Field.Value);
      const index = t.field(n, Field.Subscript);
      if (
        value !== undefined &&
        index !== undefined &&
        t.text(index) === '0' &&
        t.kind(unparen(t, value)) === NodeKind.Call
      ) {
        return scope.helperCond(unparen(t, value)) ?? noCond;
      }
      return noCond;
    }
    default:
      return noCond;
  }
}
