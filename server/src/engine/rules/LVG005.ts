// LVG005 unknown-libvirt-symbol: `libvirt.VIR_X` that no libvirt version defines.
import { formatVersion } from '../../data/version';
import type { Finding, Fix } from '../types';
import { suppressFix } from './fixes';
import { finding, fixes, type Rule, type RuleEnv } from './rule';

/** Levenshtein distance, bounded: enough for "did you mean". */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(
        (prev[j] ?? 0) + 1,
        (cur[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      cur.push(v);
      best = Math.min(best, v);
    }
    if (best > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length] ?? limit + 1;
}

function suggestName(name: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(name.length / 8));
  let best: string | undefined;
  let bestD = limit + 1;
  const squashed = name.replace(/_/g, '');
  for (const c of candidates) {
    if (c.replace(/_/g, '') === squashed) return c;
    const d = distance(name, c, limit);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

function report(env: RuleEnv): Finding[] {
  const out: Finding[] = [];
  for (const o of env.observations) {
    if (o.k !== 'unknown') continue;
    const suggestion = suggestName(o.name, env.db.constantNames(o.module));
    const range = env.tree.range(o.node);
    const rename: Fix | undefined = suggestion
      ? {
          title: `Change to ${suggestion}`,
          safe: false,
          preferred: true,
          kind: 'rename',
          edits: [{ range, newText: suggestion }],
        }
      : undefined;
    const data = {
      module: o.module,
      name: o.name,
      dataVersion: formatVersion(env.db.dataVersion),
      suggestion: suggestion ?? '',
    };
    out.push(
      finding(env, LVG005, suggestion ? 'unknownWithSuggestion' : 'unknown', data, range, o.ctx, {
        fixes: () => fixes(rename, suppressFix(env, range.start.line, 'LVG005')),
      }),
    );
  }
  return out;
}

export const LVG005: Rule = {
  code: 'LVG005',
  name: 'unknown-libvirt-symbol',
  summary: 'No libvirt version defines this symbol (a typo, or newer than the feature database).',
  defaultSeverity: 'warning',
  defaultEnabled: true,
  fixKinds: ['rename', 'suppress'],
  fixAllKinds: [],
  messages: {
    unknown: '{{module}}.{{name}} is not defined by any libvirt version up to {{dataVersion}}',
    unknownWithSuggestion:
      '{{module}}.{{name}} is not defined by any libvirt version up to {{dataVersion}}; did you mean {{suggestion}}?',
  },
  report,
};
