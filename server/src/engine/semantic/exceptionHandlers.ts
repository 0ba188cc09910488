// Which `except` clause of a try statement handles an exception, and whether it lets the
// exception go on. A handler protects the try body only if it catches the exception and does
// not re-raise it: `raise`, `raise e`, `raise X from e`, `six.reraise(...)`,
// `excutils.save_and_reraise_exception()`, or a call of a local function that does one of
// these (followed MAX_HELPER_DEPTH calls deep) all let it propagate. Raising a new exception
// (`raise NotSupported()`) handles it.
import { callArguments, calleeName, Field, NodeKind, unparen, type NodeId, type SyntaxTree } from '../syntax/index';
import type { FunctionInfo } from './fileModel';

/** What a handled exception is caught by: itself and its bases (StandardError is Python 2's). */
const catchers = {
  AttributeError: ['AttributeError', 'Exception', 'BaseException', 'StandardError'],
  ImportError: ['ImportError', 'Exception', 'BaseException', 'StandardError'],
} as const;

export type HandledError = keyof typeof catchers;

/** Local functions are followed this many calls deep from a handler. */
const MAX_HELPER_DEPTH = 3;

/** Calls whose name says they re-raise the exception being handled. */
const reraisingCalls = new Set(['reraise', 'save_and_reraise_exception']);

export interface HandlerHost {
  readonly tree: SyntaxTree;
  /** The local function a call refers to, if any. */
  localFunction(call: NodeId): FunctionInfo | undefined;
}

/** The exception type expression of an except clause (undefined: bare `except:`). */
function caughtExpression(t: SyntaxTree, clause: NodeId): NodeId | undefined {
  const value = t.field(clause, Field.Value);
  if (value === undefined) return undefined;
  return t.kind(value) === NodeKind.AsPattern ? t.firstChild(value) : value;
}

function isBare(t: SyntaxTree, clause: NodeId): boolean {
  return t.children(clause).every((c) => t.kind(c) === NodeKind.Block);
}

/** The names an except clause catches, last dotted part only: `(libvirt.libvirtError, AttributeError)` → both. */
function caughtNames(t: SyntaxTree, clause: NodeId): string[] {
  const caught = caughtExpression(t, clause);
  if (caught === undefined) return [];
  const n = unparen(t, caught);
  const parts = t.kind(n) === NodeKind.Tuple ? t.children(n) : [n];
  return parts.map((p) => t.text(p).replace(/\s+/g, '').split('.').pop() ?? '');
}

/** Whether an except clause catches `error`: bare, the error itself, or one of its bases. */
export function clauseCatches(t: SyntaxTree, clause: NodeId, error: HandledError): boolean {
  const names: readonly string[] = catchers[error];
  return isBare(t, clause) || caughtNames(t, clause).some((n) => names.includes(n));
}

/** The first except clause that catches `error` (Python tries them in order), if any. */
export function handlerOf(t: SyntaxTree, tryStatement: NodeId, error: HandledError): NodeId | undefined {
  for (const c of t.children(tryStatement)) {
    if (t.kind(c) === NodeKind.ExceptClause && clauseCatches(t, c, error)) return c;
  }
  return undefined;
}

/** `except X` / `except (X, Y)` / `except` for a guard's text. */
export function handlerText(t: SyntaxTree, clause: NodeId): string {
  const caught = caughtExpression(t, clause);
  return caught === undefined ? 'except' : `except ${t.text(caught).replace(/\s+/g, ' ')}`;
}

/** The name the handled exception is bound to: `except X as e`, Python 2's `except X, e`. */
function handlerAlias(t: SyntaxTree, clause: NodeId): string | undefined {
  const value = t.field(clause, Field.Value);
  if (value === undefined) return undefined;
  if (t.kind(value) === NodeKind.AsPattern) {
    const target = t.field(value, Field.Alias);
    const id = target === undefined ? undefined : t.firstChild(target);
    return id !== undefined && t.kind(id) === NodeKind.Identifier ? t.text(id) : undefined;
  }
  const second = t.fieldChildren(clause, Field.Value)[1];
  return second !== undefined && t.kind(second) === NodeKind.Identifier ? t.text(second) : undefined;
}

/** Whether the handler lets the exception it caught go on, on some path. */
export function handlerReraises(host: HandlerHost, clause: NodeId): boolean {
  const t = host.tree;
  const block = t.children(clause).find((c) => t.kind(c) === NodeKind.Block);
  if (block === undefined) return false;
  const alias = handlerAlias(t, clause);
  return reraisesIn(host, block, new Set(alias ? [alias] : []), 0, new Set());
}

const nestedScopes = new Set<NodeKind>([
  NodeKind.FunctionDefinition,
  NodeKind.ClassDefinition,
  NodeKind.DecoratedDefinition,
  NodeKind.Lambda,
]);

function names(t: SyntaxTree, n: NodeId | undefined, exceptionNames: ReadonlySet<string>): boolean {
  if (n === undefined) return false;
  const x = unparen(t, n);
  return t.kind(x) === NodeKind.Identifier && exceptionNames.has(t.text(x));
}

/**
 * Whether code re-raises the exception being handled. `exceptionNames` are the names bound to
 * it there. A bare `raise` inside an inner handler re-raises that handler's exception, not ours.
 */
function reraisesIn(
  host: HandlerHost,
  root: NodeId,
  exceptionNames: ReadonlySet<string>,
  depth: number,
  visiting: Set<NodeId>,
): boolean {
  const t = host.tree;
  const stack: { n: NodeId; inner: boolean }[] = [{ n: root, inner: false }];
  while (stack.length) {
    const top = stack.pop();
    if (!top) break;
    const { n, inner } = top;
    const kind = t.kind(n);
    if (nestedScopes.has(kind)) continue;
    if (kind === NodeKind.RaiseStatement) {
      const raised = t.firstChild(n);
      if (raised === undefined ? !inner : names(t, raised, exceptionNames)) return true;
      if (names(t, t.field(n, Field.Cause), exceptionNames)) return true;
    } else if (kind === NodeKind.Call && callReraises(host, n, exceptionNames, depth, visiting)) {
      return true;
    }
    const innerHere = inner || (kind === NodeKind.ExceptClause && n !== root);
    for (const c of t.children(n)) stack.push({ n: c, inner: innerHere });
  }
  return false;
}

function callReraises(
  host: HandlerHost,
  call: NodeId,
  exceptionNames: ReadonlySet<string>,
  depth: number,
  visiting: Set<NodeId>,
): boolean {
  const t = host.tree;
  const name = calleeName(t, call);
  if (name && reraisingCalls.has(name)) return true;
  const args = callArguments(t, call);
  // six.raise_from(NewError(...), e): `raise NewError(...) from e`.
  if (name === 'raise_from' && args.positional.some((a) => names(t, a, exceptionNames))) return true;
  if (depth >= MAX_HELPER_DEPTH) return false;
  const fn = host.localFunction(call);
  if (!fn || visiting.has(fn.node)) return false;
  const body = t.field(fn.node, Field.Body);
  if (body === undefined) return false;
  visiting.add(fn.node);
  try {
    return reraisesIn(host, body, receivingParameters(t, fn, call, exceptionNames), depth + 1, visiting);
  } finally {
    visiting.delete(fn.node);
  }
}

/** The helper's parameters that receive the handled exception at this call (`self._fail(e)` → `exc`). */
function receivingParameters(
  t: SyntaxTree,
  fn: FunctionInfo,
  call: NodeId,
  exceptionNames: ReadonlySet<string>,
): Set<string> {
  const params: string[] = [];
  const list = t.field(fn.node, Field.Parameters);
  for (const p of list === undefined ? [] : t.children(list)) {
    const id = t.kind(p) === NodeKind.Identifier ? p : (t.field(p, Field.Name) ?? t.firstChild(p));
    params.push(id !== undefined && t.kind(id) === NodeKind.Identifier ? t.text(id) : '');
  }
  // A method called as `self.helper(e)` receives `self` first.
  const callee = t.field(call, Field.Function);
  const shift = fn.className && callee !== undefined && t.kind(callee) === NodeKind.Attribute ? 1 : 0;
  const out = new Set<string>();
  const args = callArguments(t, call);
  args.positional.forEach((a, i) => {
    const p = params[i + shift];
    if (p && names(t, a, exceptionNames)) out.add(p);
  });
  for (const [key, value] of args.keyword) if (names(t, value, exceptionNames)) out.add(key);
  return out;
}
