// LVG002 unguarded-libvirt-feature: a symbol whose since-version is above the lower bound of
// its path, where that bound is the minimum supported version (no guard raised it; when one
// did, the guard is too weak: LVG003). A `from libvirt import X` is reported at the import,
// where a missing name fails the whole module, not at each use of X.
import { formatVersion } from '../../data/version';
import type { UseObservation } from '../flow/observations';
import { isAmbiguous } from '../flow/symbolUses';
import { readCheckCall } from '../semantic/conditions';
import { libvirtModuleOf } from '../semantic/fileModel';
import { calleeName, earlyExitCondition, Field, NodeKind, type NodeId } from '../syntax/index';
import type { Finding, Fix, RelatedInformation } from '../types';
import { suppressFix } from './fixes';
import { importFixes } from './importFixes';
import { finding, fixes, type Rule, type RuleEnv } from './rule';
import { availableFrom, candidateList, methodName } from './symbolWords';
import { addCheckFixes } from './versionCheckFixes';

/**
 * The newest unguarded symbol inside a statement (its own uses, and for a compound statement
 * such as a `for`, the uses in its body): a check added around it must cover them too.
 */
const unguardedUses = new WeakMap<readonly unknown[], UseObservation[]>();

function isUnguarded(o: UseObservation): boolean {
  return !o.protected && o.site === 'use' && !o.ctx.libvirt.loGuard && o.symbol.since > availableFrom(o).lo;
}

function newestInStatement(env: RuleEnv, o: UseObservation): UseObservation {
  let uses = unguardedUses.get(env.observations);
  if (!uses) {
    uses = env.observations.filter((x): x is UseObservation => x.k === 'use' && isUnguarded(x));
    unguardedUses.set(env.observations, uses);
  }
  if (o.stmt === undefined) return o;
  const t = env.tree;
  const start = t.start(o.stmt);
  const end = t.end(o.stmt);
  let newest = o;
  for (const x of uses) {
    if (x.symbol.since > newest.symbol.since && t.start(x.node) >= start && t.end(x.node) <= end) newest = x;
  }
  return newest;
}

function callerRelated(env: RuleEnv, o: UseObservation): RelatedInformation[] {
  return (o.ctx.callers ?? [])
    .filter((c) => c.lvLo < o.symbol.since)
    .map((c) => ({
      uri: env.uri,
      range: c.range,
      message: `called here on libvirt ≥ ${formatVersion(c.lvLo)}`,
    }));
}

function fixesFor(env: RuleEnv, o: UseObservation): Fix[] {
  if (o.stmt === undefined) return [];
  if (o.site === 'import') {
    const from = env.tree.field(o.stmt, Field.ModuleName);
    const module = from === undefined ? undefined : libvirtModuleOf(env.tree.text(from).replace(/\s+/g, ''));
    return module ? importFixes(env, o.stmt, o.node, module) : [];
  }
  const newest = newestInStatement(env, o);
  return addCheckFixes(env, {
    stmt: o.stmt,
    node: o.node,
    constantBase: newest.pyName,
    since: newest.symbol.since,
    ctx: newest.ctx,
  });
}

/**
 * A version check around a use (the condition of an `if` or `elif` it is in, or of an early
 * exit or assert before it, up to its function) whose version cannot be read (a parameter, a loop variable, a name given two
 * versions, a value not in the check's form): the check counts as none, and the message says
 * so rather than "without a version check".
 */
function unreadCheckAround(env: RuleEnv, node: NodeId): NodeId | undefined {
  const t = env.tree;
  const unit = env.sem.functionOf(node)?.node;
  let child = node;
  for (let p = t.parent(node); p !== undefined && p !== unit; child = p, p = t.parent(p)) {
    const kind = t.kind(p);
    if ((kind === NodeKind.IfStatement || kind === NodeKind.ElifClause) && t.fieldOf(child) === Field.Consequence) {
      const found = unreadCheckIn(env, t.field(p, Field.Condition));
      if (found !== undefined) return found;
    }
    // Statements before it in its block that exit unless a check holds: `if not <check>:
    // return` (or raise, continue, break) with no else, and `assert <check>`.
    if (kind !== NodeKind.Block) continue;
    for (const s of t.children(p)) {
      if (s >= child) break;
      const cond = t.kind(s) === NodeKind.AssertStatement ? t.firstChild(s) : earlyExitCondition(t, s, exits);
      const found = unreadCheckIn(env, cond);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

const exits = new Set([
  NodeKind.ReturnStatement,
  NodeKind.RaiseStatement,
  NodeKind.ContinueStatement,
  NodeKind.BreakStatement,
]);

/** A version-check call in a condition (the condition itself, or a call inside it) whose version reads as none. */
function unreadCheckIn(env: RuleEnv, cond: NodeId | undefined): NodeId | undefined {
  if (cond === undefined) return undefined;
  const t = env.tree;
  // descendantsOfKind leaves out its root: the condition itself may be the call.
  for (const call of [cond, ...t.descendantsOfKind(cond, NodeKind.Call)]) {
    if (t.kind(call) !== NodeKind.Call) continue;
    const name = calleeName(t, call);
    if (name !== undefined && env.sem.versionChecks.has(name) && readCheckCall(call, env.sem).k === 'none') return call;
  }
  return undefined;
}

function report(env: RuleEnv): Finding[] {
  const out: Finding[] = [];
  for (const o of env.observations) {
    // A use of an imported name: its availability was reported at the import.
    if (o.k !== 'use' || o.protected || o.site === 'imported-name') continue;
    const start = availableFrom(o);
    if (o.symbol.since <= start.lo) continue;
    if (o.ctx.libvirt.loGuard) continue; // LVG003's
    const range = env.tree.range(o.node);
    const from = start.from ?? (o.ctx.callers?.length ? 'where its callers run it' : 'the minimum supported');
    const common = { since: formatVersion(o.symbol.since), lo: formatVersion(start.lo), from };
    const ambiguous = o.site === 'use' && isAmbiguous(o.symbol);
    // An import in a function fails when the function runs; anywhere else, when the module loads.
    const importId = env.sem.functionOf(o.node) ? 'unguardedLocalImport' : 'unguardedImport';
    const unread = o.site === 'use' && !ambiguous ? unreadCheckAround(env, o.node) : undefined;
    const messageId =
      o.site === 'import'
        ? importId
        : ambiguous
          ? 'unguardedAmbiguous'
          : unread !== undefined
            ? 'unguardedUnreadCheck'
            : 'unguarded';
    const data = ambiguous
      ? { method: methodName(o.symbol), candidates: candidateList(o.symbol), ...common }
      : {
          symbol: o.symbol.python,
          ...common,
          ...(unread !== undefined ? { check: env.tree.text(unread).replace(/\s+/g, ' ') } : {}),
        };
    const checkRelated: RelatedInformation[] =
      unread === undefined
        ? []
        : [{ uri: env.uri, range: env.tree.range(unread), message: 'the check whose version is not read' }];
    out.push(
      finding(env, LVG002, messageId, data, range, o.ctx, {
        symbol: o.symbol,
        guards: o.guards,
        related: [...checkRelated, ...callerRelated(env, o)],
        fixes: () => fixes(...fixesFor(env, o), suppressFix(env, range.start.line, 'LVG002')),
      }),
    );
  }
  return out;
}

export const LVG002: Rule = {
  code: 'LVG002',
  name: 'unguarded-libvirt-feature',
  summary: 'A libvirt symbol newer than the minimum supported libvirt is used without a version check.',
  defaultSeverity: 'error',
  defaultEnabled: true,
  fixKinds: ['add-check', 'guard-import', 'suppress'],
  fixAllKinds: [],
  messages: {
    unguarded:
      '{{symbol}} needs libvirt {{since}}, but this runs from libvirt {{lo}} ({{from}}) without a version check: it fails on older hosts',
    unguardedUnreadCheck:
      '{{symbol}} needs libvirt {{since}}, but this runs from libvirt {{lo}} ({{from}}): the version check on its path, {{check}}, gives no version libvirt-gate can read, so it does not count: it fails on older hosts',
    unguardedAmbiguous:
      '{{method}} needs libvirt {{since}} or newer whichever class the receiver is ({{candidates}}), but this runs from libvirt {{lo}} ({{from}}) without a version check: it fails on older hosts',
    unguardedImport:
      '{{symbol}} needs libvirt {{since}}, but this module imports it from libvirt {{lo}} ({{from}}) without a guard: the module fails to import on older hosts',
    unguardedLocalImport:
      '{{symbol}} needs libvirt {{since}}, but this imports it from libvirt {{lo}} ({{from}}) without a guard: the import fails on older hosts',
  },
  report,
};
