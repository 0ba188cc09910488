// LVG003 version-check-too-weak: inside a version-checked path, a symbol newer than the
// version the check asks for.
import { formatVersion } from '../../data/version';
import type { Finding } from '../types';
import { suppressFix } from './fixes';
import { finding, fixes, type Rule, type RuleEnv } from './rule';
import { raiseCheckFix } from './versionCheckFixes';

function report(env: RuleEnv): Finding[] {
  const out: Finding[] = [];
  for (const o of env.observations) {
    if (o.k !== 'use' || o.protected || o.symbol.since <= o.ctx.libvirt.lo) continue;
    const guard = o.ctx.libvirt.loGuard;
    if (!guard) continue;
    const range = env.tree.range(o.node);
    out.push(
      finding(
        env,
        LVG003,
        'tooWeak',
        {
          symbol: o.symbol.python,
          since: formatVersion(o.symbol.since),
          lo: formatVersion(o.ctx.libvirt.lo),
        },
        range,
        o.ctx,
        {
          symbol: o.symbol,
          related: [
            {
              uri: guard.uri,
              range: guard.range,
              message: `the check: ${guard.text} (libvirt ${formatVersion(o.ctx.libvirt.lo)})`,
            },
          ],
          fixes: fixes(
            raiseCheckFix(env, guard, o.symbol.since, o.pyName),
            suppressFix(env, range.start.line, 'LVG003'),
          ),
        },
      ),
    );
  }
  return out;
}

export const LVG003: Rule = {
  code: 'LVG003',
  name: 'version-check-too-weak',
  summary: 'A libvirt symbol inside a version-checked path is newer than the version the check asks for.',
  defaultSeverity: 'error',
  defaultEnabled: true,
  fixKinds: ['raise-check', 'suppress'],
  messages: {
    tooWeak:
      '{{symbol}} needs libvirt {{since}}, but the version check only ensures libvirt {{lo}}: it fails on hosts in between',
  },
  report,
};
