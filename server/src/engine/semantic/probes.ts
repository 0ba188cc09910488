// Inferred availability probes: a helper that tries a libvirt call and returns False/None
// when it fails on a missing attribute. Where its result is tested true, what the try used
// exists; like hasattr, that protects availability and says nothing about versions.
import type { FeatureDb } from '../../data/featureDb';
import { Field, NodeKind, unparen, type NodeId, type SyntaxTree } from '../syntax/index';
import type { GuardFact } from '../types';
import type { Cond } from './conditions';
import { clauseCatches } from './exceptionHandlers';
import { isDistinctiveMethodName, type ValueType } from './receivers';

export interface ProbeInferenceHost {
  readonly uri: string;
  readonly tree: SyntaxTree;
  readonly db: FeatureDb;
  typeOf(node: NodeId): ValueType | undefined;
  /** Whether `node` belongs to the function `fn` itself (not to a def or class nested in it). */
  inFunction(node: NodeId, fn: NodeId): boolean;
}

/** `False`, `None`, or a tuple that starts with one (`(False, reason)`). */
function isFailureExpression(t: SyntaxTree, node: NodeId): boolean {
  const n = unparen(t, node);
  const kind = t.kind(n);
  const first = kind === NodeKind.Tuple || kind === NodeKind.ExpressionList ? t.firstChild(n) : n;
  return first !== undefined && (t.kind(first) === NodeKind.False || t.kind(first) === NodeKind.None);
}

/** `return`, `return False`, `return None`, `return (False, reason)`. */
export function returnsFailure(t: SyntaxTree, stmt: NodeId | undefined): boolean {
  if (stmt === undefined || t.kind(stmt) !== NodeKind.ReturnStatement) return false;
  const value = t.firstChild(stmt);
  return value === undefined || isFailureExpression(t, value);
}

function returnsSuccess(t: SyntaxTree, stmt: NodeId | undefined): boolean {
  if (stmt === undefined || t.kind(stmt) !== NodeKind.ReturnStatement) return false;
  const value = t.firstChild(stmt);
  return value !== undefined && !isFailureExpression(t, value);
}

const exitKinds = new Set([
  NodeKind.ReturnStatement,
  NodeKind.RaiseStatement,
  NodeKind.ContinueStatement,
  NodeKind.BreakStatement,
]);

function blockOf(t: SyntaxTree, clause: NodeId): NodeId | undefined {
  return t.field(clause, Field.Body) ?? t.children(clause).find((c) => t.kind(c) === NodeKind.Block);
}

function lastStatement(t: SyntaxTree, block: NodeId | undefined): NodeId | undefined {
  const stmts = block === undefined ? [] : t.children(block);
  return stmts[stmts.length - 1];
}

/** The libvirt names a block uses (methods of a typed or distinctive receiver, module members), first use first. */
function libvirtNamesIn(host: ProbeInferenceHost, block: NodeId, fn: NodeId): { names: string[]; first?: NodeId } {
  const t = host.tree;
  const names: string[] = [];
  let first: NodeId | undefined;
  for (const a of t.descendantsOfKind(block, NodeKind.Attribute)) {
    if (!host.inFunction(a, fn)) continue;
    const obj = t.field(a, Field.Object);
    const attr = t.field(a, Field.Attribute);
    if (obj === undefined || attr === undefined) continue;
    const name = t.text(attr);
    const type = host.typeOf(obj);
    const known =
      type?.k === 'module'
        ? host.db.moduleFunction(type.module, name) !== undefined || host.db.constant(type.module, name) !== undefined
        : type?.k === 'object'
          ? host.db.method(type.cls, name) !== undefined
          : type === undefined && isDistinctiveMethodName(host.db, name);
    if (!known) continue;
    if (!names.includes(name)) names.push(name);
    first ??= t.kind(t.parent(a) ?? a) === NodeKind.Call ? t.parent(a) : a;
  }
  return { names, ...(first === undefined ? {} : { first }) };
}

/** Returns in the try body (this function's own), split by what they return. */
function bodyReturns(t: SyntaxTree, body: NodeId, host: ProbeInferenceHost, fn: NodeId): NodeId[] {
  return t.descendantsOfKind(body, NodeKind.ReturnStatement).filter((r) => host.inFunction(r, fn));
}

/**
 * The probe Cond of a try statement of function `fn`, or undefined when it is no probe.
 * Every handler must fail: catch a missing attribute (at least one does) and return a
 * failure, or fall through to `next` when `next` returns one. With `successInside`, the try
 * body (or its else clause) ends in the function's success return; without, the success
 * return comes after the statement and the body returns nothing but failures.
 */
export function tryProbeCond(
  host: ProbeInferenceHost,
  tryStmt: NodeId,
  fn: NodeId,
  next: NodeId | undefined,
  successInside: boolean,
): Cond | undefined {
  const t = host.tree;
  const body = t.field(tryStmt, Field.Body);
  if (body === undefined) return undefined;
  const clauses = t.children(tryStmt);
  const handlers = clauses.filter((c) => t.kind(c) === NodeKind.ExceptClause);
  if (!handlers.length || !handlers.some((h) => clauseCatches(t, h, 'AttributeError'))) return undefined;
  if (clauses.some((c) => t.kind(c) === NodeKind.FinallyClause)) return undefined;
  const nextFails = returnsFailure(t, next);
  for (const h of handlers) {
    const last = lastStatement(t, blockOf(t, h));
    if (returnsFailure(t, last)) continue;
    if (last !== undefined && !exitKinds.has(t.kind(last)) && nextFails) continue;
    return undefined;
  }
  const elseClause = clauses.find((c) => t.kind(c) === NodeKind.ElseClause);
  const successes = [body, ...(elseClause === undefined ? [] : [elseClause])]
    .flatMap((b) => bodyReturns(t, b, host, fn))
    .filter((r) => returnsSuccess(t, r));
  if (successInside) {
    const end = lastStatement(t, elseClause === undefined ? body : blockOf(t, elseClause));
    if (successes.length !== 1 || successes[0] !== end) return undefined;
  } else if (successes.length) return undefined;
  const { names, first } = libvirtNamesIn(host, body, fn);
  if (!names.length || first === undefined) return undefined;
  const text = t.text(first).replace(/\s+/g, ' ');
  const guard: GuardFact = {
    kind: 'hasattr',
    uri: host.uri,
    range: t.range(first),
    text: text.length > 120 ? `${text.slice(0, 117)}...` : text,
  };
  return { k: 'probe', symbols: names, guard };
}
