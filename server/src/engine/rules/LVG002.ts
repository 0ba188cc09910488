// LVG002 unguarded-libvirt-feature: a symbol whose since-version is above the lower bound of
// its path, where that bound is the minimum supported version (no guard raised it; when one
// did, the guard is too weak: LVG003).
import { formatVersion } from '../../data/version';
import type { UseObservation } from '../flow/observations';
import type { Finding, RelatedInformation } from '../types';
import { suppressFix } from './fixes';
import { finding, fixes, type Rule, type RuleEnv } from './rule';
import { addCheckFixes } from './versionCheckFixes';

/** The newest unguarded symbol of a statement: a check added there must cover it too. */
const newestByStatement = new WeakMap<readonly unknown[], Map<number, UseObservation>>();

function newestInStatement(env: RuleEnv, o: UseObservation): UseObservation {
  let byStmt = newestByStatement.get(env.observations);
  if (!byStmt) {
    byStmt = new Map();
    for (const x of env.observations) {
      if (x.k !== 'use' || x.protected || x.stmt === undefined) continue;
      const seen = byStmt.get(x.stmt);
      if (!seen || x.symbol.since > seen.symbol.since) byStmt.set(x.stmt, x);
    }
    newestByStatement.set(env.observations, byStmt);
  }
  const newest = o.stmt === undefined ? undefined : byStmt.get(o.stmt);
  return newest && newest.symbol.since > o.symbol.since ? newest : o;
}

function callerRelated(env: RuleEnv, o: UseObservation): RelatedInformation[] {
  return (o.ctx.callers ?? [])
    .filter((c) => c.lvLo < o.symbol.since)
    .map((c) => ({
      uri: env.uri,
      range: c.range,
      message: `called here on libvirt ≥ ${formatVersion(c.lvLo)}`,
    }));
}

function report(env: RuleEnv): Finding[] {
  const out: Finding[] = [];
  for (const o of env.observations) {
    if (o.k !== 'use' || o.protected || o.symbol.since <= o.ctx.libvirt.lo) continue;
    if (o.ctx.libvirt.loGuard) continue; // LVG003's
    const range = env.tree.range(o.node);
    const newest = newestInStatement(env, o);
    const checkFixes =
      o.stmt === undefined
        ? []
        : addCheckFixes(env, {
            stmt: o.stmt,
            node: o.node,
            constantBase: newest.pyName,
            since: newest.symbol.since,
            ctx: newest.ctx,
          });
    out.push(
      finding(
        env,
        LVG002,
        'unguarded',
        {
          symbol: o.symbol.python,
          since: formatVersion(o.symbol.since),
          lo: formatVersion(o.ctx.libvirt.lo),
          from: o.ctx.callers?.length ? 'where its callers run it' : 'the minimum supported',
        },
        range,
        o.ctx,
        {
          symbol: o.symbol,
          related: callerRelated(env, o),
          fixes: fixes(...checkFixes, suppressFix(env, range.start.line, 'LVG002')),
        },
      ),
    );
  }
  return out;
}

export const LVG002: Rule = {
  code: 'LVG002',
  name: 'unguarded-libvirt-feature',
  summary: 'A libvirt symbol newer than the minimum supported libvirt is used without a version check.',
  defaultSeverity: 'error',
  defaultEnabled: true,
  fixKinds: ['add-check', 'suppress'],
  messages: {
    unguarded:
      '{{symbol}} needs libvirt {{since}}, but this runs from libvirt {{lo}} ({{from}}) without a version check: it fails on older hosts',
  },
  report,
};
