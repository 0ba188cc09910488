// LVG008 opt-in-option-not-declared: the gate reads `CONF.<group>.<name>`, the workspace
// declares oslo.config options, but none named <name> in <group>: reading the gate fails at
// run time. Reported once per file, at the gate's first use. Silent when no file of the
// workspace declares oslo.config options (the project may not use oslo.config).
import { rootContext } from '../flow/pathContext';
import { lookupGateOption } from '../semantic/gateOption';
import { compactText, comparePos } from '../syntax/index';
import type { Finding } from '../types';
import { suppressFix } from './fixes';
import { declareOptionFix, fileName } from './optionDeclarationFix';
import { finding, fixes, nodeAtRange, type Rule, type RuleEnv } from './rule';

function report(env: RuleEnv): Finding[] {
  const out: Finding[] = [];
  if (!env.gateUses.size) return out;
  const uses = [...env.gateUses.values()].sort((a, b) => comparePos(a.gate.range.start, b.gate.range.start));
  for (const gate of new Set(env.policy.gates.map((g) => g.replace(/[\s\\]+/g, '')))) {
    const first = uses.find((u) => {
      const node = nodeAtRange(env, u.gate.range);
      return node !== undefined && compactText(env.tree, node) === gate;
    });
    if (!first) continue;
    const lookup = lookupGateOption(env.sem, gate);
    if (!lookup || !lookup.declaresOptions || lookup.declarations.length) continue;
    const other = lookup.otherGroups[0];
    const range = first.gate.range;
    const data = { gate, group: lookup.group, name: lookup.name };
    out.push(
      other
        ? finding(
            env,
            LVG008,
            'declaredInOtherGroup',
            { ...data, otherGroup: other.group ?? '', where: `${fileName(other.uri)}:${other.range.start.line + 1}` },
            range,
            rootContext(env.policy),
            { fixes: () => fixes(declareOptionFix(env, lookup), suppressFix(env, range.start.line, 'LVG008')) },
          )
        : finding(env, LVG008, 'notDeclared', data, range, rootContext(env.policy), {
            fixes: () => fixes(declareOptionFix(env, lookup), suppressFix(env, range.start.line, 'LVG008')),
          }),
    );
  }
  return out;
}

export const LVG008: Rule = {
  code: 'LVG008',
  name: 'opt-in-option-not-declared',
  summary: 'The gate reads an oslo.config option that no file of the workspace declares in its group.',
  defaultSeverity: 'warning',
  defaultEnabled: true,
  fixKinds: ['declare-option', 'suppress'],
  fixAllKinds: [],
  messages: {
    notDeclared:
      'Opt-in option not declared: the workspace declares oslo.config options, but none named {{name}} in group [{{group}}]; reading {{gate}} fails at run time (NoSuchOptError)',
    declaredInOtherGroup:
      'Opt-in option not declared in group [{{group}}]: {{name}} is declared in group [{{otherGroup}}] ({{where}}); reading {{gate}} fails at run time (NoSuchOptError)',
  },
  report,
};
