// Which libvirt feature a name refers to: a module member (`libvirt.VIR_X`, `libvirt.open`)
// or a method on a typed (or, for distinctive names, untyped) receiver.
import type { FeatureDb, LibvirtModule } from '../../data/featureDb';
import { isDistinctiveMethodName, type ValueType } from '../semantic/receivers';
import { climbThrough, Field, NodeKind, type NodeId, type SyntaxTree } from '../syntax/index';
import type { Range, SymbolFacts, VersionNumber } from '../types';

/** The feature `module.name` names, if the database knows it. */
export function moduleMemberSymbol(db: FeatureDb, module: LibvirtModule, name: string): SymbolFacts | undefined {
  const constant = db.constant(module, name);
  if (constant)
    return {
      python: `${module}.${name}`,
      cName: name,
      since: constant.since,
      docsUrl: constant.docsUrl,
    };
  const fn = db.moduleFunction(module, name);
  if (fn)
    return {
      python: `${module}.${name}`,
      cName: fn.cName,
      since: fn.since,
      docsUrl: fn.docsUrl,
    };
  return undefined;
}

/** Whether an unknown module member looks like a libvirt constant (LVG005 territory). */
export function looksLikeConstant(name: string): boolean {
  return /^VIR_[A-Z0-9_]+$/.test(name);
}

const libvirtModules: readonly LibvirtModule[] = ['libvirt', 'libvirt_qemu', 'libvirt_lxc'];
const memberNameMemo = new WeakMap<FeatureDb, Map<string, boolean>>();

/**
 * Whether `x.name(...)` can be a libvirt use whatever `x` is: `name` is a method of some libvirt
 * class, a function or constant of a libvirt module, or looks like a constant (an unknown one is
 * reported). When it is none of these, neither the receiver's type nor the call can say more.
 */
export function mayNameLibvirtMember(db: FeatureDb, name: string): boolean {
  let memo = memberNameMemo.get(db);
  if (!memo) memberNameMemo.set(db, (memo = new Map()));
  let known = memo.get(name);
  if (known === undefined) {
    known =
      looksLikeConstant(name) ||
      db.methodsNamed(name).length > 0 ||
      libvirtModules.some((m) => db.moduleFunction(m, name) !== undefined || db.constant(m, name) !== undefined);
    memo.set(name, known);
  }
  return known;
}

/**
 * The feature a method call names, given what is known of its receiver: the method of a
 * typed receiver, or for a receiver of unknown type a distinctive name (see
 * isDistinctiveMethodName; the oldest of its candidate classes counts, and all are kept for
 * the message and the hover). `at` is the method name's range.
 */
export function methodSymbol(
  db: FeatureDb,
  receiver: ValueType | undefined,
  name: string,
  at: Range,
): SymbolFacts | undefined {
  if (receiver?.k === 'object') {
    const f = db.method(receiver.cls, name);
    return f
      ? {
          python: `${receiver.cls}.${name}`,
          cName: f.cName,
          since: f.since,
          docsUrl: f.docsUrl,
          receiverVia: receiver.via,
        }
      : undefined;
  }
  if ((receiver && receiver.k !== 'opaque') || !isDistinctiveMethodName(db, name)) return undefined;
  const candidates = db.methodsNamed(name);
  const oldest = candidates[0];
  if (!oldest) return undefined;
  return {
    python: `${oldest.pyClass}.${name}`,
    cName: oldest.cName,
    since: oldest.since,
    docsUrl: oldest.docsUrl,
    receiverVia: { kind: candidates.length > 1 ? 'oldest-candidate' : 'unique-name', text: name, range: at },
    ...(candidates.length > 1
      ? { candidates: candidates.map((c) => ({ python: `${c.pyClass}.${name}`, since: c.since })) }
      : {}),
  };
}

/** The version the receiver's producer needs (0 when none): the object exists only where it ran. */
export function producedSince(symbol: SymbolFacts): VersionNumber {
  return symbol.receiverVia?.producer?.since ?? 0;
}

/** The receiver's class was not known: several classes define the method, the oldest counts. */
export function isAmbiguous(symbol: SymbolFacts): boolean {
  return symbol.receiverVia?.kind === 'oldest-candidate' && (symbol.candidates?.length ?? 0) > 1;
}

/** Kinds between a name and the statement that binds it: `a, (b, c) = ...`. */
const targetListKinds = new Set<NodeKind>([
  NodeKind.PatternList,
  NodeKind.TuplePattern,
  NodeKind.ListPattern,
  NodeKind.Tuple,
  NodeKind.List,
  NodeKind.ParenthesizedExpression,
]);

/** Where a name is (re)bound rather than read: `X = None`, `for X in ...`, `as X`. */
export function isBindingTarget(t: SyntaxTree, n: NodeId): boolean {
  const child = climbThrough(t, n, targetListKinds);
  const p = t.parent(child);
  if (p === undefined) return false;
  const kind = t.kind(p);
  if (kind === NodeKind.Assignment || kind === NodeKind.ForStatement || kind === NodeKind.ForInClause)
    return t.fieldOf(child) === Field.Left;
  return kind === NodeKind.AsPatternTarget || kind === NodeKind.GlobalStatement || kind === NodeKind.NonlocalStatement;
}
