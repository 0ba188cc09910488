// LVG009 opt-in-option-enabled-by-default: the gate's option is declared with default=True,
// so the code paths behind it, which no upstream CI job tests, run unless operators opt out.
// Reported at the declaration's `True` (in the file that declares it; gate uses elsewhere are
// not reported again).
import { rootContext } from '../flow/pathContext';
import { gateOption } from '../semantic/configOptions';
import { ownConfigOptions } from '../semantic/gateOption';
import type { Finding } from '../types';
import { suppressFix } from './fixes';
import { finding, fixes, type Rule, type RuleEnv } from './rule';

function report(env: RuleEnv): Finding[] {
  const out: Finding[] = [];
  const own = ownConfigOptions(env.sem);
  if (!own) return out;
  const seen = new Set<string>();
  for (const gate of env.policy.gates) {
    const wanted = gateOption(gate);
    if (!wanted) continue;
    for (const o of own.options) {
      if (o.name !== wanted.name || (o.group !== undefined && o.group !== wanted.group)) continue;
      const range = o.defaultRange;
      if (range === undefined || o.defaultText !== 'True') continue;
      const key = `${range.start.line}:${range.start.character}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(
        finding(
          env,
          LVG009,
          'enabledByDefault',
          { group: wanted.group, name: wanted.name, default: o.defaultText },
          range,
          rootContext(env.policy),
          {
            fixes: () =>
              fixes(
                {
                  title: 'Make the option off by default (default=False)',
                  safe: false,
                  preferred: true,
                  kind: 'default-off',
                  edits: [{ range, newText: 'False' }],
                },
                suppressFix(env, range.start.line, 'LVG009'),
              ),
          },
        ),
      );
    }
  }
  return out;
}

export const LVG009: Rule = {
  code: 'LVG009',
  name: 'opt-in-option-enabled-by-default',
  summary: 'The opt-in option is declared with default=True: untested code runs unless operators opt out.',
  defaultSeverity: 'error',
  defaultEnabled: true,
  fixKinds: ['default-off', 'suppress'],
  fixAllKinds: [],
  messages: {
    enabledByDefault:
      'Opt-in option enabled by default: [{{group}}] {{name}} is declared with default={{default}}, so code paths no upstream CI job tests run unless operators opt out; make it default=False',
  },
  report,
};
