// LVG006 gate-no-longer-needed: every libvirt use and branch behind an opt-in gate is
// class A now (upstream CI runs it), so the gate only hides tested code.
import { rootContext } from '../flow/pathContext';
import { earlyExitCondition, Field, NodeKind, type NodeId, climbParens } from '../syntax/index';
import type { Finding, Fix, TextEdit } from '../types';
import { dropAndOperand, isConditionOf, replaceWithBlock, suppressFix } from './fixes';
import { describeJobs, finding, fixes, nodeAtRange, type Rule, type RuleEnv } from './rule';

const exitKinds: ReadonlySet<NodeKind> = new Set([NodeKind.ReturnStatement, NodeKind.RaiseStatement]);

/** `if not <gate>: ... return` (no else): the whole early exit goes. */
function removeEarlyExit(env: RuleEnv, not: NodeId): TextEdit[] | undefined {
  const t = env.tree;
  const cond = climbParens(t, not);
  const ifStmt = t.parent(cond);
  if (ifStmt === undefined || earlyExitCondition(t, ifStmt, exitKinds) !== cond) return undefined;
  return replaceWithBlock(env, ifStmt, undefined);
}

function removeGate(env: RuleEnv, gate: NodeId): Fix | undefined {
  const t = env.tree;
  const n = climbParens(t, gate);
  const parent = t.parent(n);
  let edits: TextEdit[] | undefined;
  if (parent !== undefined && t.kind(parent) === NodeKind.NotOperator) edits = removeEarlyExit(env, parent);
  else if (parent !== undefined && t.kind(parent) === NodeKind.BooleanOperator) edits = dropAndOperand(env, n);
  else if (parent !== undefined && isConditionOf(t, parent, n) && t.field(parent, Field.Alternative) === undefined) {
    edits = replaceWithBlock(env, parent, t.field(parent, Field.Consequence));
  }
  return edits
    ? { title: 'Remove the opt-in gate', safe: false, preferred: true, kind: 'remove-gate', edits }
    : undefined;
}

function report(env: RuleEnv): Finding[] {
  const out: Finding[] = [];
  for (const use of env.gateUses.values()) {
    if (use.worst !== 'A' || !use.hasLibvirt) continue;
    const r = use.gate.range;
    const node = nodeAtRange(env, r);
    out.push(
      finding(
        env,
        LVG006,
        'gateNotNeeded',
        { gate: use.gate.text, jobs: describeJobs(env) },
        r,
        rootContext(env.policy),
        {
          supportClass: 'A',
          fixes: () =>
            fixes(node === undefined ? undefined : removeGate(env, node), suppressFix(env, r.start.line, 'LVG006')),
        },
      ),
    );
  }
  return out;
}

export const LVG006: Rule = {
  code: 'LVG006',
  name: 'gate-no-longer-needed',
  summary: 'Code behind the opt-in gate is tested by upstream CI (class A): the gate can go.',
  defaultSeverity: 'hint',
  defaultEnabled: true,
  fixKinds: ['remove-gate', 'suppress'],
  fixAllKinds: [],
  messages: {
    gateNotNeeded:
      'Gate no longer needed: everything behind {{gate}} runs on libvirt versions upstream CI tests (class A; CI: {{jobs}})',
  },
  report,
};
