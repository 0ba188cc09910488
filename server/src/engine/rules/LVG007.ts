// LVG007 untested-legacy-path (off by default): a branch that only runs on libvirt (or
// QEMU) older than every CI job, such as the fallback of a version check.
import { formatVersion } from '../../data/version';
import { suppressFix } from '../fixes';
import { oldestCi } from '../pathContext';
import type { Finding } from '../types';
import type { Rule } from './registry';
import { finding, fixes, formatInterval, type RuleEnv } from './ruleEnv';

function report(env: RuleEnv): Finding[] {
  const out: Finding[] = [];
  for (const o of env.observations) {
    if (o.k !== 'branch' || o.code !== 'LVG007') continue;
    const axis = o.ctx.libvirt.hi <= (oldestCi(env.policy, 'libvirt') ?? -1) ? 'libvirt' : 'qemu';
    const oldest = oldestCi(env.policy, axis) ?? 0;
    const word = axis === 'qemu' ? 'QEMU' : 'libvirt';
    out.push(finding(env, 'LVG007', LVG007.defaultSeverity, o.guard.range,
      `Untested legacy path: a branch here runs only on ${word} ${formatInterval(o.ctx[axis])}, older than every CI job (oldest: ${word} ${formatVersion(oldest)})`,
      o.ctx, { supportClass: 'C', fixes: fixes(suppressFix(env.fixEnv, o.guard.range.start.line, 'LVG007')) }));
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
  report,
};
