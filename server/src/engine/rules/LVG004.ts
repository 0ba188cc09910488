// LVG004 obsolete-version-check: a check on a version at or below the minimum supported
// one is always true; its else-branch is dead. The fix keeps the live branch.
import { formatVersion } from '../../data/version';
import { checkAtoms, readCheckCall } from '../conditions';
import { checkCallArguments } from '../conditions';
import { dropAndOperand, rangeOfNode, removeStatement, replaceWithBlock, suppressFix } from '../fixes';
import type { Node } from '../parser';
import { rootContext } from '../pathContext';
import { calleeName, field, fieldChildren, parentOf, rangeOf, unparen } from '../syntax';
import type { Finding, Fix, Range, TextEdit } from '../types';
import type { Rule } from './registry';
import { finding, fixes, type RuleEnv } from './ruleEnv';

function climbParens(n: Node): Node {
  let x = n;
  for (let p = parentOf(x); p?.type === 'parenthesized_expression'; p = parentOf(x)) x = p;
  return x;
}

function isConditionOf(parent: Node | null, n: Node): boolean {
  return !!parent && parent.type === 'if_statement' && field(parent, 'condition')?.id === n.id;
}

/** The dead part, and the edits that keep only the live one. */
function deadAndFix(env: RuleEnv, call: Node): { dead: Range[]; edits?: TextEdit[] } {
  const n = climbParens(call);
  const parent = parentOf(n);
  if (parent && isConditionOf(parent, n)) {
    const alts = fieldChildren(parent, 'alternative');
    const first = alts[0];
    const dead = first ? [{ start: rangeOf(first).start, end: rangeOf(parent).end }] : [];
    return { dead, edits: replaceWithBlock(env.fixEnv, parent, field(parent, 'consequence')) };
  }
  if (parent?.type === 'not_operator') {
    const outer = climbParens(parent);
    const ifStmt = parentOf(outer);
    if (ifStmt && isConditionOf(ifStmt, outer)) {
      const consequence = field(ifStmt, 'consequence');
      const alts = fieldChildren(ifStmt, 'alternative');
      const dead = consequence ? [rangeOf(consequence)] : [];
      if (alts.some((a) => a.type === 'elif_clause')) return { dead };
      const elseBody = alts[0] ? field(alts[0], 'body') : null;
      return { dead, edits: replaceWithBlock(env.fixEnv, ifStmt, elseBody) };
    }
    return { dead: [] };
  }
  if (parent?.type === 'boolean_operator' && field(parent, 'operator')?.text === 'and') return { dead: [], edits: dropAndOperand(env.fixEnv, n) };
  return { dead: [], edits: [{ range: rangeOfNode(n), newText: 'True' }] };
}

/** Drops the check's MIN_* constant when nothing else uses it. */
function constantRemoval(env: RuleEnv, call: Node): TextEdit[] {
  const args = checkCallArguments(call, env.scope);
  const out: TextEdit[] = [];
  for (const arg of [args?.lv, args?.hv]) {
    const id = arg ? unparen(arg) : undefined;
    if (id?.type !== 'identifier') continue;
    const value = env.scope.model.constants.get(id.text);
    const assignment = value ? parentOf(value) : null;
    const stmt = assignment ? parentOf(assignment) : null;
    if (!stmt || parentOf(stmt)?.type !== 'module') continue;
    const uses = env.identifierCount(id.text);
    if (uses !== 2) continue;
    const edit = removeStatement(env.fixEnv, stmt);
    if (edit) out.push(edit);
  }
  return out;
}

function report(env: RuleEnv): Finding[] {
  const out: Finding[] = [];
  const root = rootContext(env.policy);
  for (const call of env.scope.model.calls) {
    const name = calleeName(call);
    if (!name || !env.scope.versionChecks.has(name)) continue;
    const atoms = checkAtoms(readCheckCall(call, env.scope)).map((a) => a.atom).filter((a) => !a.exact);
    const min = (axis: 'libvirt' | 'qemu') => (axis === 'libvirt' ? env.policy.minLibvirt : env.policy.minQemu);
    const obsolete = atoms.filter((a) => a.version <= min(a.axis));
    const first = obsolete[0];
    if (!first) continue;
    const all = obsolete.length === atoms.length;
    const { dead, edits } = all ? deadAndFix(env, call) : { dead: [] as Range[], edits: undefined };
    const what = obsolete.map((a) => `${a.axis === 'qemu' ? 'QEMU' : 'libvirt'} ${formatVersion(a.version)} ≤ the minimum supported ${formatVersion(min(a.axis))}`).join(' and ');
    const removal: Fix | undefined = edits
      ? { title: 'Remove the obsolete version check', safe: true, preferred: true, kind: 'remove-check', edits: [...edits, ...constantRemoval(env, call)] }
      : undefined;
    out.push(finding(env, 'LVG004', LVG004.defaultSeverity, rangeOf(call),
      all ? `Obsolete version check: ${what}, so it is always true${dead.length ? ' and the other branch is dead code' : ''}`
        : `Partly obsolete version check: ${what}; that part can go`,
      root, { unnecessary: dead, fixes: fixes(removal, suppressFix(env.fixEnv, call.startPosition.row, 'LVG004')) }));
  }
  return out;
}

export const LVG004: Rule = {
  code: 'LVG004',
  name: 'obsolete-version-check',
  summary: 'A version check asks for a version at or below the minimum supported one: it is always true.',
  defaultSeverity: 'hint',
  defaultEnabled: true,
  fixKinds: ['remove-check', 'suppress'],
  report,
};
