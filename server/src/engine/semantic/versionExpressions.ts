// Versions as drivers write them outside Nova's has_min_version(): the runtime version read
// from libvirt (`conn.getLibVersion()`, `libvirt.getVersion()`, `conn.getVersion()`, or a
// name assigned once from one), integer versions (`1002008`, `MIN_X`, `1 * 1000000 + 2 *
// 1000 + 8`), strings (`"1.2.8"`), keyword parts (`major=1, minor=2`), and comparisons of
// the one with the other. Pure reading: the caller turns the results into Conds.
import type { VersionArgumentForm, VersionCheckSpec } from '../../config/policy';
import { versionFromParts } from '../../data/version';
import { callArguments, Field, NodeKind, textIs, unparen, type NodeId, type SyntaxTree } from '../syntax/index';
import type { VersionNumber } from '../types';
import type { ValueType } from './receivers';
import { integerArithmetic, integerLiteral, versionLiteral } from './versions';

type VersionAxis = 'libvirt' | 'qemu';

/** Deeper version expressions (or chains of names) than this are not versions anyone writes. */
const maxDepth = 32;

/** What reading versions needs from the file's semantics. */
export interface VersionExpressionHost {
  readonly tree: SyntaxTree;
  /** A version literal or a (module, workspace) constant holding one. */
  resolveVersion(node: NodeId): VersionNumber | undefined;
  /** The one expression a name or `self.<attr>` is assigned (none: unassigned, several, or a parameter). */
  singleAssignment(node: NodeId): NodeId | undefined;
  /** The receiver inference's type of an expression. */
  typeOf(node: NodeId): ValueType | undefined;
}

/**
 * The axis of a runtime version: `getLibVersion()` on any receiver (libvirt's own name, which
 * wrappers keep) and `libvirt.getVersion()` are the library's version; `getVersion()` on a
 * receiver typed virConnect (by inference or the receivers name map) is the hypervisor's,
 * QEMU's for the QEMU driver. `getVersion()` on anything else is not a libvirt version:
 * many objects have such a method. Names and `self.<attr>` assigned once from one count too.
 */
function runtimeVersionAxis(host: VersionExpressionHost, node: NodeId, depth = 0): VersionAxis | undefined {
  // Asked for both operands of every comparison: names and calls of no version leave early,
  // and a chain of assignments ends at the depth bound (a cycle reaches no call either).
  if (depth > maxDepth) return undefined;
  const t = host.tree;
  const n = unparen(t, node);
  const kind = t.kind(n);
  if (kind === NodeKind.Identifier || kind === NodeKind.Attribute) {
    const assigned = host.singleAssignment(n);
    return assigned === undefined ? undefined : runtimeVersionAxis(host, assigned, depth + 1);
  }
  if (kind !== NodeKind.Call) return undefined;
  const fn = t.field(n, Field.Function);
  if (fn === undefined || t.kind(fn) !== NodeKind.Attribute) return undefined;
  const method = t.field(fn, Field.Attribute);
  const receiver = t.field(fn, Field.Object);
  if (method === undefined || receiver === undefined) return undefined;
  const libVersion = textIs(t, method, 'getLibVersion');
  if (!libVersion && !textIs(t, method, 'getVersion')) return undefined;
  const args = callArguments(t, n);
  if (args.positional.length || args.keyword.size) return undefined;
  if (libVersion) return 'libvirt';
  const type = host.typeOf(receiver);
  if (type?.k === 'module' && type.module === 'libvirt') return 'libvirt';
  if (type?.k === 'object' && type.cls === 'virConnect') return 'qemu';
  return undefined;
}

/**
 * An integer version: a literal, a constant, or arithmetic over them (`major * 1000000 +
 * minor * 1000 + micro`, with parentheses and constants inside).
 */
function integerVersion(host: VersionExpressionHost, node: NodeId, depth = 0): VersionNumber | undefined {
  const t = host.tree;
  const n = unparen(t, node);
  if (depth > maxDepth) return undefined;
  switch (t.kind(n)) {
    case NodeKind.Integer:
      return integerLiteral(t, n);
    case NodeKind.Identifier:
    case NodeKind.Attribute:
      return host.resolveVersion(n);
    case NodeKind.BinaryOperator:
      return integerArithmetic(t, n, (operand, d) => integerVersion(host, operand, d), depth);
    default:
      return undefined;
  }
}

/** The text of a plain string literal (no f-string, no concatenation), without its quotes. */
export function stringValue(t: SyntaxTree, node: NodeId | undefined): string | undefined {
  if (node === undefined) return undefined;
  const n = unparen(t, node);
  if (t.kind(n) !== NodeKind.String) return undefined;
  const m = /^[rRuU]?("""|'''|"|')([^]*)\1$/.exec(t.text(n));
  return m ? m[2] : undefined;
}

/** `"1.2.8"`, `"1.2"`, `"1"`, or a constant holding one. */
function stringVersion(host: VersionExpressionHost, node: NodeId): VersionNumber | undefined {
  const t = host.tree;
  const n = unparen(t, node);
  const kind = t.kind(n);
  const source = kind === NodeKind.Identifier ? host.singleAssignment(n) : n;
  const text = source === undefined ? undefined : stringValue(t, source);
  const m = text === undefined ? null : /^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text.trim());
  return m ? versionFromParts(Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)) : undefined;
}

/** A version argument in the form a configured check takes it. */
function versionInForm(
  host: VersionExpressionHost,
  node: NodeId,
  form: Exclude<VersionArgumentForm, 'keywords'>,
): VersionNumber | undefined {
  const t = host.tree;
  const n = unparen(t, node);
  const kind = t.kind(n);
  const isName = kind === NodeKind.Identifier || kind === NodeKind.Attribute;
  switch (form) {
    case 'tuple':
      return kind === NodeKind.Tuple || kind === NodeKind.List || isName ? host.resolveVersion(n) : undefined;
    case 'integer':
      return integerVersion(host, n);
    case 'string':
      return stringVersion(host, n);
    default:
      return (
        versionLiteral(t, n) ??
        (isName ? host.resolveVersion(n) : undefined) ??
        stringVersion(host, n) ??
        integerVersion(host, n)
      );
  }
}

/** The version a call of a configured check asks for, read by its spec. */
export function specVersion(
  host: VersionExpressionHost,
  call: NodeId,
  spec: VersionCheckSpec,
): VersionNumber | undefined {
  const t = host.tree;
  const args = callArguments(t, call);
  const present = (n: NodeId | undefined): NodeId | undefined =>
    n === undefined || t.kind(n) === NodeKind.None ? undefined : n;
  if (spec.form === 'keywords') {
    const parts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const name = spec.parts[i];
      const node = present((name === undefined ? undefined : args.keyword.get(name)) ?? args.positional[spec.arg + i]);
      const value = node === undefined ? undefined : integerVersion(host, node);
      if (value === undefined && i === 0) return undefined;
      parts.push(value ?? 0);
    }
    return versionFromParts(parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0);
  }
  const node = present((spec.keyword ? args.keyword.get(spec.keyword) : undefined) ?? args.positional[spec.arg]);
  return node === undefined ? undefined : versionInForm(host, node, spec.form);
}

/** How a comparison bounds the runtime version: at least v, below v, exactly v, or not v. */
type VersionRelation = 'atLeast' | 'below' | 'exactly' | 'notExactly';

export interface VersionComparison {
  readonly axis: VersionAxis;
  readonly relation: VersionRelation;
  readonly version: VersionNumber;
}

/** `runtime OP v`, with the runtime version on the left. */
function relationOf(op: string, v: VersionNumber): { relation: VersionRelation; version: VersionNumber } | undefined {
  switch (op) {
    case '>=':
      return { relation: 'atLeast', version: v };
    case '>':
      return { relation: 'atLeast', version: v + 1 };
    case '<':
      return { relation: 'below', version: v };
    case '<=':
      return { relation: 'below', version: v + 1 };
    case '==':
      return { relation: 'exactly', version: v };
    case '!=':
      return { relation: 'notExactly', version: v };
    default:
      return undefined;
  }
}

const mirrored: Readonly<Record<string, string>> = {
  '<': '>',
  '>': '<',
  '<=': '>=',
  '>=': '<=',
  '==': '==',
  '!=': '!=',
};

/** A comparison operator that can bound a version, read from the text in place (none: `is`, `in`, `<>`). */
function boundingOperator(t: SyntaxTree, op: NodeId): string | undefined {
  const start = t.start(op);
  const length = t.end(op) - start;
  const a = t.source.charCodeAt(start);
  if (length === 1) return a === 60 ? '<' : a === 62 ? '>' : undefined;
  if (length !== 2 || t.source.charCodeAt(start + 1) !== 61) return undefined; // `?=`
  return a === 60 ? '<=' : a === 62 ? '>=' : a === 61 ? '==' : a === 33 ? '!=' : undefined;
}

const noComparisons: readonly VersionComparison[] = Object.freeze([]);

/**
 * The version bounds a comparison states, one per operator of a chain (`A <= v < B` gives
 * two). Pairs that compare anything else give nothing. Asked for every comparison a condition
 * holds: the operands are walked as siblings, nothing is allocated for a comparison of no version.
 */
export function versionComparisons(host: VersionExpressionHost, node: NodeId): readonly VersionComparison[] {
  const t = host.tree;
  let out: VersionComparison[] | undefined;
  // Operands and operators alternate: `left op right`, then `right` is the next pair's left.
  for (let left = t.firstChild(node); left !== undefined;) {
    const op = t.nextSibling(left);
    const right = op === undefined ? undefined : t.nextSibling(op);
    if (op === undefined || right === undefined) break;
    // `is`, `in` and the like state no bound: no need to read the operands.
    const opText = t.kind(op) === NodeKind.Operator ? boundingOperator(t, op) : undefined;
    const leftAxis = opText === undefined ? undefined : runtimeVersionAxis(host, left);
    const axis = leftAxis ?? (opText === undefined ? undefined : runtimeVersionAxis(host, right));
    const value = axis === undefined ? undefined : integerVersion(host, leftAxis !== undefined ? right : left);
    const sourceOp = opText !== undefined && leftAxis === undefined ? mirrored[opText] : opText;
    const r = value === undefined || sourceOp === undefined ? undefined : relationOf(sourceOp, value);
    if (r && axis !== undefined) (out ??= []).push({ axis, ...r });
    left = right;
  }
  return out ?? noComparisons;
}

/** Whether a file can compare the runtime version at all: it names getLibVersion or getVersion. */
export function mayReadRuntimeVersion(words: { mentions(word: string): boolean }): boolean {
  return words.mentions('getLibVersion') || words.mentions('getVersion');
}

/**
 * The comparisons of the runtime version under `root`, in document order, each with its bounds
 * (none in a file that never names getLibVersion or getVersion).
 */
export function runtimeVersionComparisons(
  host: VersionExpressionHost,
  words: { mentions(word: string): boolean },
  root: NodeId,
): { readonly node: NodeId; readonly bounds: readonly VersionComparison[] }[] {
  if (!mayReadRuntimeVersion(words)) return [];
  const out: { node: NodeId; bounds: readonly VersionComparison[] }[] = [];
  for (const node of host.tree.descendantsOfKind(root, NodeKind.ComparisonOperator)) {
    const bounds = versionComparisons(host, node);
    if (bounds.length) out.push({ node, bounds });
  }
  return out;
}
