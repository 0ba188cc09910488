// LVG007 untested-legacy-path (off by default): a branch that only runs on libvirt (or
// QEMU) older than every CI job, such as the fallback of a version check.
import { formatVersion } from '../../data/version';
import { legacyAxis, oldestCi } from '../flow/pathContext';
import type { Finding } from '../types';
import { suppressFix } from './fixes';
import { finding, fixes, formatInterval, type Rule, type RuleEnv } from './rule';

function report(env: RuleEnv): Finding[] {
  const out: Finding[] = [];
  for (const o of env.observations) {
    if (o.k !== 'untested-branch') continue;
    const axis = legacyAxis(o.ctx, env.policy);
    if (!axis) continue;
    const word = axis === 'qemu' ? 'QEMU' : 'libvirt';
    out.push(
      finding(
        env,
        LVG007,
        'legacyPath',
        {
          axis: word,
          interval: formatInterval(o.ctx[axis]),
          oldest: formatVersion(oldestCi(env.policy, axis) ?? 0),
        },
        o.guard.range,
        o.ctx,
        { supportClass: 'C', fixes: () => fixes(suppressFix(env, o.guard.range.start.line, 'LVG007')) },
      ),
    );
  }
  return out;
}

export const LVG007: Rule = {
  code: 'LVG007',
  name: 'untested-legacy-path',
  summary: 'A branch runs only on libvirt older than every CI job, so no CI job runs it.',
  defaultSeverity: 'info',
  defaultEnabled: false,
  fixKinds: ['suppress'],
  fixAllKinds: [],
  messages: {
    legacyPath:
      'Untested legacy path: a branch here runs only on {{axis}} {{interval}}, older than every CI job (oldest: {{axis}} {{oldest}})',
  },
  report,
};
