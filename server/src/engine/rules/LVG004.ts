// LVG004 obsolete-version-check: a check on a version at or below the minimum supported
// one is always true; its else-branch is dead. The fix keeps the live branch.
import { formatVersion } from '../../data/version';
import { rootContext } from '../flow/pathContext';
import { checkAtoms, checkCallArguments, readCheckCall, shortText, type CheckCond } from '../semantic/conditions';
import { failsByExiting } from '../semantic/minimumChecks';
import { isTestCode } from '../semantic/testCode';
import { runtimeVersionComparisons, type VersionComparison } from '../semantic/versionExpressions';
import { Field, NodeKind, operatorText, unparen, type NodeId, climbParens } from '../syntax/index';
import type { Finding, Fix, Range, TextEdit, VersionNumber } from '../types';
import { dropAndOperand, isConditionOf, removeStatement, replaceWithBlock, suppressFix } from './fixes';
import { finding, fixes, type Rule, type RuleEnv } from './rule';

const none = (): undefined => undefined;

/** The dead part, and the edits that keep only the live one (worked out when asked: fixes are built when read). */
function deadAndFix(env: RuleEnv, call: NodeId): { dead: Range[]; edits: () => TextEdit[] | undefined } {
  const t = env.tree;
  const n = climbParens(t, call);
  const parent = t.parent(n);
  if (parent !== undefined && isConditionOf(t, parent, n)) {
    const first = t.fieldChildren(parent, Field.Alternative)[0];
    const dead = first === undefined ? [] : [{ start: t.range(first).start, end: t.range(parent).end }];
    return { dead, edits: () => replaceWithBlock(env, parent, t.field(parent, Field.Consequence)) };
  }
  if (parent !== undefined && t.kind(parent) === NodeKind.NotOperator) {
    const outer = climbParens(t, parent);
    const ifStmt = t.parent(outer);
    if (ifStmt !== undefined && isConditionOf(t, ifStmt, outer)) {
      const consequence = t.field(ifStmt, Field.Consequence);
      const alts = t.fieldChildren(ifStmt, Field.Alternative);
      const dead = consequence === undefined ? [] : [t.range(consequence)];
      if (alts.some((a) => t.kind(a) === NodeKind.ElifClause)) return { dead, edits: none };
      const elseBody = alts[0] === undefined ? undefined : t.field(alts[0], Field.Body);
      return { dead, edits: () => replaceWithBlock(env, ifStmt, elseBody) };
    }
    return { dead: [], edits: none };
  }
  if (parent !== undefined && t.kind(parent) === NodeKind.BooleanOperator && operatorText(t, parent) === 'and')
    return { dead: [], edits: () => dropAndOperand(env, n) };
  return { dead: [], edits: () => [{ range: t.range(n), newText: 'True' }] };
}

/** Drops the MIN_* constants of these check arguments when nothing else uses them. */
function constantRemoval(env: RuleEnv, versionArgs: readonly (NodeId | undefined)[]): TextEdit[] {
  const t = env.tree;
  const out: TextEdit[] = [];
  for (const arg of versionArgs) {
    const id = arg === undefined ? undefined : unparen(t, arg);
    if (id === undefined || t.kind(id) !== NodeKind.Identifier) continue;
    const value = env.sem.model.constants.get(t.text(id));
    const assignment = value === undefined ? undefined : t.parent(value);
    const stmt = assignment === undefined ? undefined : t.parent(assignment);
    if (stmt === undefined || t.parent(stmt) !== t.root) continue;
    if (env.identifierCount(t.text(id)) !== 2) continue;
    const edit = removeStatement(env, stmt);
    if (edit) out.push(edit);
  }
  return out;
}

/**
 * Whether removing a check may be applied unreviewed (`check --fix`, fix-all): only under a
 * minimum the project chose (a config file, a flag, its own MIN_ constants), on every axis the
 * removal relies on. Under
 * libvirt-gate's default minimum, "obsolete" is the tool's assumption, not the project's: a
 * project that supports older libvirt (virtnbdbackup's `if self.libvirtVersion >= 7006000:`)
 * would lose that branch. The fix is still offered, as unsafe.
 */
function removalIsSafe(env: RuleEnv, reliedOn: readonly Bound[]): boolean {
  const p = env.policy;
  return reliedOn.every((b) => (b.axis === 'qemu' ? p.minQemuSource : p.minLibvirtSource) !== 'default');
}

/** The fix that drops an always-true check: `edits` keep the live branch; unused constants go too. */
function obsoleteRemoval(
  env: RuleEnv,
  edits: readonly TextEdit[],
  versionArgs: readonly (NodeId | undefined)[],
  /** The bounds the minimum makes obsolete (their axes' minimums decide whether it is safe). */
  reliedOn: readonly Bound[],
): Fix {
  return {
    title: 'Remove the obsolete version check',
    safe: removalIsSafe(env, reliedOn),
    preferred: true,
    kind: 'remove-check',
    edits: [...edits, ...constantRemoval(env, versionArgs)],
  };
}

function checkArgs(env: RuleEnv, call: NodeId): (NodeId | undefined)[] {
  const args = checkCallArguments(env.tree, call, env.sem.versionChecks);
  return [args?.lv, args?.hv];
}

/**
 * Drops one axis's argument from a check on both (`lv_ver=OLD, hv_ver=NEW` → `hv_ver=NEW`).
 * A positional one followed by the other becomes `hv_ver=` on the one kept, or `None` when
 * more positional arguments follow (their positions must not move).
 */
function dropAxisArgument(env: RuleEnv, call: NodeId, value: NodeId, kept: NodeId | undefined): TextEdit[] | undefined {
  const t = env.tree;
  const list = t.field(call, Field.Arguments);
  const parent = t.parent(value);
  const arg = parent !== undefined && t.kind(parent) === NodeKind.KeywordArgument ? parent : value;
  if (list === undefined || t.parent(arg) !== list) return undefined;
  const items = t.children(list);
  const i = items.indexOf(arg);
  const isPositional = (n: NodeId) => t.kind(n) !== NodeKind.KeywordArgument && t.kind(n) !== NodeKind.DictionarySplat;
  const positionalAfter = items.slice(i + 1).filter(isPositional);
  const next = items[i + 1];
  const previous = items[i - 1];
  let start: number;
  let end: number;
  let newText = '';
  if (arg === value && positionalAfter.length) {
    if (positionalAfter.length === 1 && next !== undefined && next === kept) {
      [start, end, newText] = [t.start(arg), t.start(next), 'hv_ver='];
    } else return [{ range: t.range(arg), newText: 'None' }];
  } else if (next !== undefined) [start, end] = [t.start(arg), t.start(next)];
  else if (previous !== undefined) [start, end] = [t.end(previous), t.end(arg)];
  else return undefined;
  // Comments between arguments would go with the text: leave such a call to the user.
  if (t.comments.some((c) => c.start < end && c.end > start)) return undefined;
  return [{ range: t.lines.range(start, end), newText }];
}

function partlyObsoleteFix(env: RuleEnv, call: NodeId, obsolete: readonly CheckCond[]): Fix | undefined {
  const only = obsolete.length === 1 ? obsolete[0] : undefined;
  const args = checkCallArguments(env.tree, call, env.sem.versionChecks);
  if (!only || !args) return undefined;
  const [value, kept] = only.axis === 'libvirt' ? [args.lv, args.hv] : [args.hv, args.lv];
  if (value === undefined) return undefined;
  // `hv_ver=` is right only when the libvirt argument goes and the QEMU one moves up.
  const edits = dropAxisArgument(env, call, value, only.axis === 'libvirt' ? kept : undefined);
  if (!edits) return undefined;
  return {
    title: `Drop the obsolete ${only.axis === 'qemu' ? 'QEMU' : 'libvirt'} part of the check`,
    safe: removalIsSafe(env, [only]),
    preferred: true,
    kind: 'remove-check',
    edits: [...edits, ...constantRemoval(env, [value])],
  };
}

/** `has_version(OLD)` is never true: drop the check and keep what runs (the else-branch, or the `not` branch). */
function neverTrueFix(
  env: RuleEnv,
  call: NodeId,
  /** The bounds the minimum makes never true. */
  reliedOn: readonly Bound[],
  versionArgs: readonly (NodeId | undefined)[] = checkArgs(env, call),
): { dead: Range[]; fix?: Fix } {
  const t = env.tree;
  const n = climbParens(t, call);
  const parent = t.parent(n);
  let dead: Range[] = [];
  let edits: TextEdit[] | undefined;
  if (parent !== undefined && isConditionOf(t, parent, n)) {
    const consequence = t.field(parent, Field.Consequence);
    const alts = t.fieldChildren(parent, Field.Alternative);
    dead = consequence === undefined ? [] : [t.range(consequence)];
    const first = alts[0];
    if (first === undefined) edits = replaceWithBlock(env, parent, undefined);
    else if (t.kind(first) === NodeKind.ElseClause) edits = replaceWithBlock(env, parent, t.field(first, Field.Body));
  } else if (parent !== undefined && t.kind(parent) === NodeKind.NotOperator) {
    const outer = climbParens(t, parent);
    const ifStmt = t.parent(outer);
    if (ifStmt !== undefined && isConditionOf(t, ifStmt, outer)) {
      const first = t.fieldChildren(ifStmt, Field.Alternative)[0];
      dead = first === undefined ? [] : [{ start: t.range(first).start, end: t.range(ifStmt).end }];
      edits = replaceWithBlock(env, ifStmt, t.field(ifStmt, Field.Consequence));
    }
  }
  if (!edits) return { dead };
  return {
    dead,
    fix: {
      title: 'Remove the never-true version check',
      safe: removalIsSafe(env, reliedOn),
      preferred: true,
      kind: 'remove-check',
      edits: [...edits, ...constantRemoval(env, versionArgs)],
    },
  };
}

type Bound = { readonly axis: 'libvirt' | 'qemu'; readonly version: VersionNumber };

/**
 * A check of exactly the minimum that refuses to run below it is the driver enforcing its
 * minimum (Nova's `if not self._host.has_min_version(MIN_LIBVIRT_VERSION): raise` in
 * init_host), not an obsolete check: it is what makes the minimum hold. Below the minimum,
 * or with a fallback instead of an exit, it is reported.
 */
function enforcesMinimum(env: RuleEnv, node: NodeId, parts: readonly Bound[], holds: boolean): boolean {
  const min = (axis: 'libvirt' | 'qemu') => (axis === 'libvirt' ? env.policy.minLibvirt : env.policy.minQemu);
  return parts.length > 0 && parts.every((p) => p.version === min(p.axis)) && failsByExiting(env.tree, node, holds);
}

function report(env: RuleEnv): Finding[] {
  const out: Finding[] = [];
  const t = env.tree;
  const root = rootContext(env.policy);
  const min = (axis: 'libvirt' | 'qemu') => (axis === 'libvirt' ? env.policy.minLibvirt : env.policy.minQemu);
  const describe = (list: readonly Bound[], relation: string) =>
    list
      .map(
        (a) =>
          `${a.axis === 'qemu' ? 'QEMU' : 'libvirt'} ${formatVersion(a.version)} ${relation} the minimum supported ${formatVersion(min(a.axis))}`,
      )
      .join(' and ');
  // The calls of the configured checks, by name from the file's callee index (not every
  // call's name sliced and looked up), in document order.
  const checkCalls: { call: NodeId; name: string }[] = [];
  for (const name of env.sem.versionChecks)
    for (const call of env.sem.model.callsNamed(name)) checkCalls.push({ call, name });
  checkCalls.sort((a, b) => a.call - b.call);
  for (const { call, name } of checkCalls) {
    if (isTestCode(env.sem, call)) continue;
    const allAtoms = checkAtoms(readCheckCall(call, env.sem)).map((a) => a.atom);
    // Fixes are built when read (the editor asks for few, a text report for none).
    const suppress = () => suppressFix(env, t.lines.lineAt(t.start(call)), 'LVG004');
    // An exact check (has_version) below the minimum: no supported host has that version.
    const below = allAtoms.filter((a) => a.exact && a.version < min(a.axis));
    if (below.length) {
      const { dead, fix } = neverTrueFix(env, call, below);
      out.push(
        finding(env, LVG004, 'exactBelowMinimum', { callee: name, what: describe(below, '<') }, t.range(call), root, {
          unnecessary: dead,
          fixes: () => fixes(fix, suppress()),
        }),
      );
      continue;
    }
    const atoms = allAtoms.filter((a) => !a.exact);
    const obsolete = atoms.filter((a) => a.version <= min(a.axis));
    if (!obsolete.length || enforcesMinimum(env, call, obsolete, true)) continue;
    const all = obsolete.length === atoms.length;
    const { dead, edits: deadEdits } = all ? deadAndFix(env, call) : { dead: [] as Range[], edits: none };
    const removal = (): Fix | undefined => {
      const edits = deadEdits();
      return edits
        ? obsoleteRemoval(env, edits, checkArgs(env, call), obsolete)
        : all
          ? undefined
          : partlyObsoleteFix(env, call, obsolete);
    };
    const messageId = !all ? 'partlyObsolete' : dead.length ? 'obsoleteDeadBranch' : 'obsolete';
    out.push(
      finding(env, LVG004, messageId, { what: describe(obsolete, '≤') }, t.range(call), root, {
        unnecessary: dead,
        fixes: () => fixes(removal(), suppress()),
      }),
    );
  }
  for (const { node: n, bounds } of runtimeVersionComparisons(env.sem, env.sem.model, t.root)) {
    if (isTestCode(env.sem, n)) continue;
    const suppress = () => suppressFix(env, t.lines.lineAt(t.start(n)), 'LVG004');
    const text = shortText(t, n, 80);
    // Below a version no supported host is older than, or exactly one older than the minimum: never true.
    const under = bounds.filter((b) => b.relation === 'below' && b.version <= min(b.axis));
    const exact = bounds.filter((b) => b.relation === 'exactly' && b.version < min(b.axis));
    if (!exact.length && enforcesMinimum(env, n, under, false)) continue;
    if (under.length || exact.length) {
      const { dead, fix } = neverTrueFix(env, n, [...under, ...exact], comparedConstants(env, n));
      const [messageId, what] = under.length
        ? (['belowMinimum', describe(under, '≤')] as const)
        : (['exactBelowMinimum', describe(exact, '<')] as const);
      out.push(
        finding(env, LVG004, messageId, { callee: text, what }, t.range(n), root, {
          unnecessary: dead,
          fixes: () => fixes(fix, suppress()),
        }),
      );
      continue;
    }
    const obsolete = bounds.filter((b) => alwaysTrue(b, min(b.axis)));
    if (!obsolete.length || enforcesMinimum(env, n, obsolete, true)) continue;
    const all = obsolete.length === bounds.length;
    const { dead, edits } = all ? deadAndFix(env, n) : { dead: [] as Range[], edits: none };
    const removal = (): Fix | undefined => {
      if (!all) return obsoleteChainBound(env, n, obsolete);
      const e = edits();
      return e ? obsoleteRemoval(env, e, comparedConstants(env, n), obsolete) : undefined;
    };
    const messageId = !all ? 'partlyObsolete' : dead.length ? 'obsoleteDeadBranch' : 'obsolete';
    out.push(
      finding(
        env,
        LVG004,
        messageId,
        { what: obsolete.map((b) => describe([b], relationText(b))).join(' and ') },
        t.range(n),
        root,
        {
          unnecessary: dead,
          fixes: () => fixes(removal(), suppress()),
        },
      ),
    );
  }
  return out;
}

/**
 * `OLD <= v < NEW` → `v < NEW` (and `NEW > v >= OLD` → `NEW > v`): drops the lower bound of a
 * range when it is the obsolete one, with its constant when nothing else uses it. Only a
 * chain of two comparisons around the runtime version, with no comment inside the part.
 */
function obsoleteChainBound(env: RuleEnv, cmp: NodeId, obsolete: readonly VersionComparison[]): Fix | undefined {
  const t = env.tree;
  const [a, op1, v, op2, c, ...rest] = t.children(cmp);
  if (rest.length || a === undefined || op1 === undefined || v === undefined || op2 === undefined || c === undefined)
    return undefined;
  if (obsolete.length !== 1 || obsolete[0]?.relation !== 'atLeast') return undefined;
  // Which pair is the lower bound: `a <= v` / `a < v` on the left, `v >= c` / `v > c` on the right.
  const lowLeft = t.text(op1).startsWith('<');
  const lowRight = t.text(op2).startsWith('>');
  if (lowLeft === lowRight) return undefined;
  const [start, end, operand] = lowLeft ? [t.start(a), t.start(v), a] : [t.end(v), t.end(c), c];
  if (t.comments.some((k) => k.start < end && k.end > start)) return undefined;
  // The part dropped is a version (a literal, a constant), never the runtime version itself.
  if (t.kind(unparen(t, operand)) !== NodeKind.Integer && env.sem.resolveVersion(operand) === undefined)
    return undefined;
  return {
    title: 'Drop the obsolete bound of the check',
    safe: removalIsSafe(env, obsolete),
    preferred: true,
    kind: 'remove-check',
    edits: [{ range: t.lines.range(start, end), newText: '' }, ...constantRemoval(env, [operand])],
  };
}

/** `!= v` holds everywhere only when v is below the minimum; `>= v` when v is at or below it. */
const relationText = (b: VersionComparison): string => (b.relation === 'notExactly' ? '<' : '≤');

/** `>= v` with v at or below the minimum holds on every supported host; so does `!= v` with v below it. */
function alwaysTrue(b: VersionComparison, min: VersionNumber): boolean {
  return b.relation === 'atLeast' ? b.version <= min : b.relation === 'notExactly' && b.version < min;
}

/** The operands of a comparison that name a version constant (`MIN_LIBVIRT_X`), for `constantRemoval`. */
function comparedConstants(env: RuleEnv, comparison: NodeId): NodeId[] {
  const t = env.tree;
  return t
    .children(comparison)
    .filter((c) => t.kind(c) === NodeKind.Identifier && env.sem.resolveVersion(c) !== undefined);
}

export const LVG004: Rule = {
  code: 'LVG004',
  name: 'obsolete-version-check',
  summary:
    'A version check made pointless by the minimum supported version: always true (an exact check below it: never true).',
  defaultSeverity: 'hint',
  defaultEnabled: true,
  fixKinds: ['remove-check', 'suppress'],
  fixAllKinds: ['remove-check'],
  messages: {
    obsolete: 'Obsolete version check: {{what}}, so it is always true',
    obsoleteDeadBranch: 'Obsolete version check: {{what}}, so it is always true and the other branch is dead code',
    partlyObsolete: 'Partly obsolete version check: {{what}}; that part can go',
    exactBelowMinimum:
      'Version check never true: {{callee}} asks for exactly {{what}}, so no supported host runs its branch (dead code)',
    belowMinimum:
      'Version check never true: {{callee}} asks for a version below {{what}}, so no supported host runs its branch (dead code)',
  },
  report,
};
