// Version numbers written in source: tuples, lists and integers (`(1, 2, 8)`, `1002008`).
import { versionFromParts } from '../../data/version';
import { NodeKind, unparen, type NodeId, type SyntaxTree } from '../syntax/index';
import type { VersionNumber } from '../types';

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
  if (kind === NodeKind.Integer && /^\d+$/.test(t.text(n))) {
    const v = Number(t.text(n));
    return Number.isSafeInteger(v) ? v : undefined;
  }
  return undefined;
}
