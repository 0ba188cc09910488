// LVG003 version-check-too-weak: inside a version-checked path, a symbol newer than the
// version the check asks for (also a `from libvirt import X` under such a check).
import { formatVersion } from '../../data/version';
import { isAmbiguous } from '../flow/symbolUses';
import type { Finding } from '../types';
import { suppressFix } from './fixes';
import { finding, fixes, type Rule, type RuleEnv } from './rule';
import { availableFrom, candidateList, methodName } from './symbolWords';
import { raiseCheckFix } from './versionCheckFixes';

function report(env: RuleEnv): Finding[] {
  const out: Finding[] = [];
  for (const o of env.observations) {
    // A use of an imported name: its availability was decided at the import.
    if (o.k !== 'use' || o.protected || o.site === 'imported-name') continue;
    if (o.symbol.since <= availableFrom(o).lo) continue;
    const guard = o.ctx.libvirt.loGuard;
    if (!guard) continue;
    const range = env.tree.range(o.node);
    const common = { since: formatVersion(o.symbol.since), lo: formatVersion(o.ctx.libvirt.lo) };
    const ambiguous = o.site === 'use' && isAmbiguous(o.symbol);
    const messageId = o.site === 'import' ? 'tooWeakImport' : ambiguous ? 'tooWeakAmbiguous' : 'tooWeak';
    const data = ambiguous
      ? { method: methodName(o.symbol), candidates: candidateList(o.symbol), ...common }
      : { symbol: o.symbol.python, ...common };
    out.push(
      finding(env, LVG003, messageId, data, range, o.ctx, {
        symbol: o.symbol,
        guards: o.guards,
        related: [
          {
            uri: guard.uri,
            range: guard.range,
            message: `the check: ${guard.text} (libvirt ${formatVersion(o.ctx.libvirt.lo)})`,
          },
        ],
        fixes: () =>
          fixes(raiseCheckFix(env, guard, o.symbol.since, o.pyName), suppressFix(env, range.start.line, 'LVG003')),
      }),
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
  fixAllKinds: [],
  messages: {
    tooWeak:
      '{{symbol}} needs libvirt {{since}}, but the version check only ensures libvirt {{lo}}: it fails on hosts in between',
    tooWeakAmbiguous:
      '{{method}} needs libvirt {{since}} or newer whichever class the receiver is ({{candidates}}), but the version check only ensures libvirt {{lo}}: it fails on hosts in between',
    tooWeakImport:
      '{{symbol}} needs libvirt {{since}}, but the version check only ensures libvirt {{lo}}: importing it fails on hosts in between',
  },
  report,
};
