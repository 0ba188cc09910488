// A check of the minimum that refuses to run below it (`if not check(MIN): raise`, `if v <
// MIN: sys.exit(...)`, `if check(MIN): ... else: raise`, `assert check(MIN)`) is the driver
// enforcing its minimum, not an obsolete check: LVG004 leaves it, and its hover says so.
import { calleeName, climbParens, Field, NodeKind, type NodeId, type SyntaxTree } from '../syntax/index';

/** Calls that end the program: `sys.exit(...)`, `exit(...)`, `os._exit(...)`, `os.abort()`. */
const exitCalls: ReadonlySet<string> = new Set(['exit', '_exit', 'abort']);

/** Whether a block's last statement raises or ends the program (what comes before it may log). */
function endsByExiting(t: SyntaxTree, block: NodeId | undefined): boolean {
  const last = block === undefined ? undefined : t.children(block).at(-1);
  if (last === undefined) return false;
  if (t.kind(last) === NodeKind.RaiseStatement) return true;
  const expr = t.kind(last) === NodeKind.ExpressionStatement ? t.firstChild(last) : undefined;
  return expr !== undefined && t.kind(expr) === NodeKind.Call && exitCalls.has(calleeName(t, expr) ?? '');
}

/**
 * Whether a check refuses to run on a version it does not pass. `holds` says whether the
 * node being true means the version passes (a `>=` check) or fails (`v < MIN`).
 */
export function failsByExiting(t: SyntaxTree, node: NodeId, holds: boolean): boolean {
  let n = climbParens(t, node);
  let parent = t.parent(n);
  let passes = holds;
  if (parent !== undefined && t.kind(parent) === NodeKind.NotOperator) {
    n = climbParens(t, parent);
    parent = t.parent(n);
    passes = !passes;
  }
  if (parent === undefined) return false;
  const kind = t.kind(parent);
  if (kind === NodeKind.AssertStatement) return passes && t.firstChild(parent) === n;
  if ((kind !== NodeKind.IfStatement && kind !== NodeKind.ElifClause) || t.field(parent, Field.Condition) !== n)
    return false;
  if (!passes) return endsByExiting(t, t.field(parent, Field.Consequence));
  const alternative = t.fieldChildren(parent, Field.Alternative)[0];
  return (
    alternative !== undefined &&
    t.kind(alternative) === NodeKind.ElseClause &&
    endsByExiting(t, t.field(alternative, Field.Body))
  );
}
