// Version numbers written in source: tuples, lists and integers (`(1, 2, 8)`, `1002008`,
// `1_002_008`), and integer arithmetic over them (`1 * 1000000 + 2 * 1000 + 8`).
import { versionFromParts } from '../../data/version';
import { Field, NodeKind, unparen, type NodeId, type SyntaxTree } from '../syntax/index';
import type { VersionNumber } from '../types';

/** Deeper arithmetic than this is not a version anyone writes. */
const maxArithmeticDepth = 32;

/** A decimal integer literal, with or without `_` separators (`1002008`, `1_002_008`). */
export function integerLiteral(t: SyntaxTree, n: NodeId): number | undefined {
  if (t.kind(n) !== NodeKind.Integer) return undefined;
  const text = t.text(n);
  if (!/^\d+(?:_\d+)*$/.test(text)) return undefined;
  const v = Number(text.replace(/_/g, ''));
  return Number.isSafeInteger(v) ? v : undefined;
}

/**
 * `a + b`, `a - b`, `a * b` over integer versions (`major * 1000000 + minor * 1000 + micro`);
 * `operand` reads each side (a literal, a constant, or arithmetic again). Not arithmetic: undefined.
 */
export function integerArithmetic(
  t: SyntaxTree,
  node: NodeId,
  operand: (n: NodeId, depth: number) => VersionNumber | undefined,
  depth = 0,
): VersionNumber | undefined {
  const n = unparen(t, node);
  if (depth > maxArithmeticDepth || t.kind(n) !== NodeKind.BinaryOperator) return undefined;
  const left = t.field(n, Field.Left);
  const right = t.field(n, Field.Right);
  const op = t.field(n, Field.Operator);
  if (left === undefined || right === undefined || op === undefined) return undefined;
  const a = operand(left, depth + 1);
  const b = a === undefined ? undefined : operand(right, depth + 1);
  if (a === undefined || b === undefined) return undefined;
  const opText = t.text(op);
  const value = opText === '+' ? a + b : opText === '*' ? a * b : opText === '-' ? a - b : undefined;
  return value !== undefined && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** A version literal: `(1, 2, 8)`, `[1, 2]`, `1002008`. */
export function versionLiteral(t: SyntaxTree, node: NodeId): VersionNumber | undefined {
  const n = unparen(t, node);
  const kind = t.kind(n);
  if (kind === NodeKind.Tuple || kind === NodeKind.List) {
    const parts = t.children(n);
    if (parts.length < 1 || parts.length > 3 || parts.some((p) => t.kind(p) !== NodeKind.Integer)) return undefined;
    const nums = parts.map((p) => Number(t.text(p)));
    return versionFromParts(nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 0);
  }
  return integerLiteral(t, n);
}
