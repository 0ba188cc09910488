// LVG006 gate-no-longer-needed: every libvirt use and branch behind an opt-in gate is
// class A now (upstream CI runs it), so the gate only hides tested code.
import { dropAndOperand, replaceWithBlock, suppressFix } from '../fixes';
import type { Node } from '../parser';
import { rootContext } from '../pathContext';
import { field, parentOf } from '../syntax';
import type { Finding, Fix } from '../types';
import type { Rule } from './registry';
import { describeJobs, finding, fixes, type RuleEnv } from './ruleEnv';

function gateNode(env: RuleEnv, line: number, character: number, endLine: number, endCharacter: number): Node | undefined {
  let n: Node | null = env.fixEnv.tree.rootNode.descendantForPosition({ row: line, column: character }, { row: endLine, column: endCharacter });
  while (n && !(n.startPosition.row === line && n.startPosition.column === character && n.endPosition.row === endLine && n.endPosition.column === endCharacter)) n = parentOf(n);
  return n ?? undefined;
}

function removeGate(env: RuleEnv, gate: Node): Fix | undefined {
  let n = gate;
  for (let p = parentOf(n); p?.type === 'parenthesized_expression'; p = parentOf(n)) n = p;
  const parent = parentOf(n);
  let edits;
  if (parent?.type === 'boolean_operator') edits = dropAndOperand(env.fixEnv, n);
  else if (parent?.type === 'if_statement' && field(parent, 'condition')?.id === n.id && !field(parent, 'alternative')) {
    edits = replaceWithBlock(env.fixEnv, parent, field(parent, 'consequence'));
  }
  return edits ? { title: 'Remove the opt-in gate', safe: false, preferred: true, kind: 'remove-gate', edits } : undefined;
}

function report(env: RuleEnv): Finding[] {
  const out: Finding[] = [];
  for (const use of env.gateUses.values()) {
    if (use.worst !== 'A' || !use.hasLibvirt) continue;
    const r = use.gate.range;
    const node = gateNode(env, r.start.line, r.start.character, r.end.line, r.end.character);
    out.push(finding(env, 'LVG006', LVG006.defaultSeverity, r,
      `Gate no longer needed: everything behind ${use.gate.text} runs on libvirt versions upstream CI tests (class A; CI: ${describeJobs(env)})`,
      rootContext(env.policy), { supportClass: 'A', fixes: fixes(node ? removeGate(env, node) : undefined, suppressFix(env.fixEnv, r.start.line, 'LVG006')) }));
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
  report,
};
