// Small, named questions about nodes that every layer above asks: the dotted name of an
// expression, a call's callee and arguments, a statement around a node, a string's value.
import { isSimpleStatementKind } from './statementKinds';
import { Field, NodeKind } from './nodeKind';
import type { NodeId, SyntaxTree } from './tree';

export const compoundStatementKinds: ReadonlySet<NodeKind> = new Set([
  NodeKind.IfStatement,
  NodeKind.ForStatement,
  NodeKind.WhileStatement,
  NodeKind.TryStatement,
  NodeKind.WithStatement,
  NodeKind.FunctionDefinition,
  NodeKind.ClassDefinition,
  NodeKind.DecoratedDefinition,
  NodeKind.MatchStatement,
]);

function isStatementKind(kind: NodeKind): boolean {
  return isSimpleStatementKind(kind) || compoundStatementKinds.has(kind);
}

/** Strips parentheses: `((x))` → `x`. */
export function unparen(t: SyntaxTree, id: NodeId): NodeId {
  let n = id;
  while (t.kind(n) === NodeKind.ParenthesizedExpression) {
    const inner = t.firstChild(n);
    if (inner === undefined || t.nextSibling(inner) !== undefined) break;
    n = inner;
  }
  return n;
}

/** The outermost node reached from `n` (itself included) up through parents of these kinds only. */
export function climbThrough(t: SyntaxTree, n: NodeId, kinds: ReadonlySet<NodeKind>): NodeId {
  let x = n;
  for (let p = t.parent(x); p !== undefined && kinds.has(t.kind(p)); p = t.parent(x)) x = p;
  return x;
}

const parentheses: ReadonlySet<NodeKind> = new Set([NodeKind.ParenthesizedExpression]);

/** The outermost parenthesized expression around a node (the node itself without parentheses). */
export function climbParens(t: SyntaxTree, n: NodeId): NodeId {
  return climbThrough(t, n, parentheses);
}

/** Kinds a condition's own expression passes through down to an operand it tests. */
const conditionOperators: ReadonlySet<NodeKind> = new Set([
  NodeKind.ParenthesizedExpression,
  NodeKind.NotOperator,
  NodeKind.BooleanOperator,
]);

/**
 * What tests a node as its condition, alone or as an operand of `not`, `and` and `or` (through
 * parentheses): an `if`, `elif` or `while` (its condition), an `assert` (its test) or a
 * conditional expression (its test); undefined when nothing does.
 */
export function conditionTester(t: SyntaxTree, node: NodeId): NodeId | undefined {
  const child = climbThrough(t, node, conditionOperators);
  const p = t.parent(child);
  if (p === undefined) return undefined;
  switch (t.kind(p)) {
    case NodeKind.IfStatement:
    case NodeKind.ElifClause:
    case NodeKind.WhileStatement:
      return t.fieldOf(child) === Field.Condition ? p : undefined;
    case NodeKind.AssertStatement:
      return t.firstChild(p) === child ? p : undefined;
    case NodeKind.ConditionalExpression:
      return t.children(p)[1] === child ? p : undefined;
    default:
      return undefined;
  }
}

/** Source text without whitespace, comments and line continuations: for matching gate expressions. */
export function compactText(t: SyntaxTree, id: NodeId): string {
  return t
    .text(id)
    .replace(/#[^\n]*/g, '')
    .replace(/[\s\\]+/g, '');
}

/** `a.b.c` for identifiers and attribute chains, undefined for anything else. */
export function dottedName(t: SyntaxTree, id: NodeId): string | undefined {
  // Down the objects in a loop (a chain of 50,000 attributes overflowed the stack).
  const attrs: string[] = [];
  for (let n = unparen(t, id); ;) {
    const kind = t.kind(n);
    if (kind === NodeKind.Identifier) {
      let name = t.text(n);
      for (let i = attrs.length - 1; i >= 0; i--) name += `.${attrs[i]}`;
      return name;
    }
    if (kind !== NodeKind.Attribute) return undefined;
    const obj = t.field(n, Field.Object);
    const attr = t.field(n, Field.Attribute);
    if (obj === undefined || attr === undefined) return undefined;
    attrs.push(t.text(attr));
    n = unparen(t, obj);
  }
}

/** The called name of a call: `has_min_version` for `self._host.has_min_version(...)`. */
export function calleeName(t: SyntaxTree, call: NodeId): string | undefined {
  const node = calleeNameNode(t, call);
  return node === undefined ? undefined : t.text(node);
}

/** The node of `calleeName` (no text sliced). */
export function calleeNameNode(t: SyntaxTree, call: NodeId): NodeId | undefined {
  const fn = t.field(call, Field.Function);
  return fn === undefined ? undefined : simpleNameNode(t, fn);
}

/** Whether a node's text is `text`, read in place (no slice): for the hot paths that test a name. */
export function textIs(t: SyntaxTree, id: NodeId, text: string): boolean {
  const start = t.start(id);
  return t.end(id) - start === text.length && t.source.startsWith(text, start);
}

/** The attribute name of `x.name`, or the identifier itself. */
export function simpleName(t: SyntaxTree, id: NodeId): string | undefined {
  const node = simpleNameNode(t, id);
  return node === undefined ? undefined : t.text(node);
}

/** The node of `simpleName`: the attribute of `x.name`, or the identifier itself (no text sliced). */
function simpleNameNode(t: SyntaxTree, id: NodeId): NodeId | undefined {
  const kind = t.kind(id);
  if (kind === NodeKind.Identifier) return id;
  return kind === NodeKind.Attribute ? t.field(id, Field.Attribute) : undefined;
}

export interface CallArguments {
  readonly positional: NodeId[];
  readonly keyword: Map<string, NodeId>;
}

export function callArguments(t: SyntaxTree, call: NodeId): CallArguments {
  const positional: NodeId[] = [];
  const keyword = new Map<string, NodeId>();
  const args = t.field(call, Field.Arguments);
  if (args !== undefined && t.kind(args) === NodeKind.ArgumentList) {
    for (const a of t.children(args)) {
      if (t.kind(a) === NodeKind.KeywordArgument) {
        const name = t.field(a, Field.Name);
        const value = t.field(a, Field.Value);
        if (name !== undefined && value !== undefined) keyword.set(t.text(name), value);
      } else {
        positional.push(a);
      }
    }
  }
  return { positional, keyword };
}

/** The innermost statement that contains the node. */
export function enclosingStatement(t: SyntaxTree, id: NodeId): NodeId | undefined {
  for (let n: NodeId | undefined = id; n !== undefined; n = t.parent(n)) if (isStatementKind(t.kind(n))) return n;
  return undefined;
}

/**
 * The condition of an early exit: `if <c>: ... <exit>` with no `elif` or `else`, whose block
 * ends with a statement of one of `exits` (a return, a raise, ...).
 */
export function earlyExitCondition(t: SyntaxTree, stmt: NodeId, exits: ReadonlySet<NodeKind>): NodeId | undefined {
  if (t.kind(stmt) !== NodeKind.IfStatement || t.field(stmt, Field.Alternative) !== undefined) return undefined;
  const block = t.field(stmt, Field.Consequence);
  const last = block === undefined ? undefined : t.children(block).at(-1);
  return last !== undefined && exits.has(t.kind(last)) ? t.field(stmt, Field.Condition) : undefined;
}

/** The operator token of an operator expression (`and`, `>=`), if any. */
export function operatorText(t: SyntaxTree, id: NodeId): string | undefined {
  const op = t.field(id, Field.Operator);
  return op === undefined ? undefined : t.text(op);
}
