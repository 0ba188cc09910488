// LVG004 obsolete-version-check: a check on a version at or below the minimum supported
// one is always true; its else-branch is dead. The fix keeps the live branch.
import { formatVersion } from '../../data/version';
import { rootContext } from '../flow/pathContext';
import { checkAtoms, checkCallArguments, readCheckCall } from '../semantic/conditions';
import { calleeName, Field, NodeKind, operatorText, unparen, type NodeId } from '../syntax/index';
import type { Finding, Fix, Range, TextEdit } from '../types';
import { climbParens, dropAndOperand, isConditionOf, removeStatement, replaceWithBlock, suppressFix } from './fixes';
import { finding, fixes, type Rule, type RuleEnv } from './rule';

/** The dead part, and the edits that keep only the live one. */
function deadAndFix(env: RuleEnv, call: NodeId): { dead: Range[]; edits?: TextEdit[] } {
  const t = env.tree;
  const n = climbParens(t, call);
  const parent = t.parent(n);
  if (parent !== undefined && isConditionOf(t, parent, n)) {
    const first = t.fieldChildren(parent, Field.Alternative)[0];
    const dead = first === undefined ? [] : [{ start: t.range(first).start, end: t.range(parent).end }];
    return { dead, edits: replaceWithBlock(env, parent, t.field(parent, Field.Consequence)) };
  }
  if (parent !== undefined && t.kind(parent) === NodeKind.NotOperator) {
    const outer = climbParens(t, parent);
    const ifStmt = t.parent(outer);
    if (ifStmt !== undefined && isConditionOf(t, ifStmt, outer)) {
      const consequence = t.field(ifStmt, Field.Consequence);
      const alts = t.fieldChildren(ifStmt, Field.Alternative);
      const dead = consequence === undefined ? [] : [t.range(consequence)];
      if (alts.some((a) => t.kind(a) === NodeKind.ElifClause)) return { dead };
      const elseBody = alts[0] === undefined ? undefined : t.field(alts[0], Field.Body);
      return { dead, edits: replaceWithBlock(env, ifStmt, elseBody) };
    }
    return { dead: [] };
  }
  if (parent !== undefined && t.kind(parent) === NodeKind.BooleanOperator && operatorText(t, parent) === 'and')
    return { dead: [], edits: dropAndOperand(env, n) };
  return { dead: [], edits: [{ range: t.range(n), newText: 'True' }] };
}

/** Drops the check's MIN_* constant when nothing else uses it. */
function constantRemoval(env: RuleEnv, call: NodeId): TextEdit[] {
  const t = env.tree;
  const args = checkCallArguments(t, call, env.sem.versionChecks);
  const out: TextEdit[] = [];
  for (const arg of [args?.lv, args?.hv]) {
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

function report(env: RuleEnv): Finding[] {
  const out: Finding[] = [];
  const t = env.tree;
  const root = rootContext(env.policy);
  for (const call of env.sem.model.calls) {
    const name = calleeName(t, call);
    if (!name || !env.sem.versionChecks.has(name)) continue;
    const atoms = checkAtoms(readCheckCall(call, env.sem))
      .map((a) => a.atom)
      .filter((a) => !a.exact);
    const min = (axis: 'libvirt' | 'qemu') => (axis === 'libvirt' ? env.policy.minLibvirt : env.policy.minQemu);
    const obsolete = atoms.filter((a) => a.version <= min(a.axis));
    if (!obsolete.length) continue;
    const all = obsolete.length === atoms.length;
    const { dead, edits } = all ? deadAndFix(env, call) : { dead: [] as Range[], edits: undefined };
    const what = obsolete
      .map(
        (a) =>
          `${a.axis === 'qemu' ? 'QEMU' : 'libvirt'} ${formatVersion(a.version)} ≤ the minimum supported ${formatVersion(min(a.axis))}`,
      )
      .join(' and ');
    const removal: Fix | undefined = edits
      ? {
          title: 'Remove the obsolete version check',
          safe: true,
          preferred: true,
          kind: 'remove-check',
          edits: [...edits, ...constantRemoval(env, call)],
        }
      : undefined;
    const messageId = !all ? 'partlyObsolete' : dead.length ? 'obsoleteDeadBranch' : 'obsolete';
    out.push(
      finding(env, LVG004, messageId, { what }, t.range(call), root, {
        unnecessary: dead,
        fixes: fixes(removal, suppressFix(env, t.lines.lineAt(t.start(call)), 'LVG004')),
      }),
    );
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
  messages: {
    obsolete: 'Obsolete version check: {{what}}, so it is always true',
    obsoleteDeadBranch: 'Obsolete version check: {{what}}, so it is always true and the other branch is dead code',
    partlyObsolete: 'Partly obsolete version check: {{what}}; that part can go',
  },
  report,
};
