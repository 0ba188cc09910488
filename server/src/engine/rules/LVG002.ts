// LVG002 unguarded-libvirt-feature and LVG003 version-check-too-weak share one check: a
// symbol whose since-version is above the lower bound of its path. LVG003 when a guard set
// that bound (the guard is too weak), LVG002 when the bound is the minimum supported version.
import { formatVersion } from '../../data/version';
import { constantNameFor, ensureConstant, suppressFix, wrapInIf } from '../fixes';
import type { Node } from '../parser';
import { isUntested, supportClass } from '../pathContext';
import { calleeName, dottedName, field, namedChildren, rangeOf } from '../syntax';
import type { Finding, Fix, RelatedInformation } from '../types';
import type { UseObservation } from '../walker';
import type { Rule } from './registry';
import { finding, fixes, gateNote, type RuleEnv } from './ruleEnv';

/** The version-check callee the file already uses (`self._host.has_min_version`), if any. */
export function firstCheckCallee(calls: readonly Node[], versionChecks: ReadonlySet<string>): string | undefined {
  for (const c of calls) {
    const name = calleeName(c);
    if (name && versionChecks.has(name) && name !== 'has_version' && name !== '_conn_has_min_version') {
      // Only a plain dotted name is copied into new code (never text with comments in it).
      const fn = field(c, 'function');
      const callee = fn ? dottedName(fn) : undefined;
      if (callee) return callee;
    }
  }
  return undefined;
}

/** The callee for a new check at `at`: the file's own, if `self` is there to call it on. */
export function checkCallee(env: RuleEnv, at: Node): string | undefined {
  const callee = env.existingCheckCallee ?? 'self._host.has_min_version';
  if (callee.startsWith('self.')) {
    const fn = env.scope.functionOf(at);
    const params = fn ? field(fn.node, 'parameters') : null;
    const first = params ? namedChildren(params)[0] : undefined;
    if (first?.text !== 'self') return undefined;
  }
  return callee;
}

/** The newest unguarded symbol of a statement: a check added there must cover it too. */
const newestByStatement = new WeakMap<readonly unknown[], Map<number, UseObservation>>();

function newestInStatement(env: RuleEnv, o: UseObservation): UseObservation {
  let byStmt = newestByStatement.get(env.observations);
  if (!byStmt) {
    byStmt = new Map();
    for (const x of env.observations) {
      if (x.k !== 'use' || x.protected || !x.stmt) continue;
      const seen = byStmt.get(x.stmt.id);
      if (!seen || x.symbol.since > seen.symbol.since) byStmt.set(x.stmt.id, x);
    }
    newestByStatement.set(env.observations, byStmt);
  }
  const newest = o.stmt ? byStmt.get(o.stmt.id) : undefined;
  return newest && newest.symbol.since > o.symbol.since ? newest : o;
}

function addCheckFixes(env: RuleEnv, use: UseObservation): Fix[] {
  const stmt = use.stmt;
  if (!stmt) return [];
  const callee = checkCallee(env, use.node);
  if (!callee) return [];
  const o = newestInStatement(env, use);
  const constant = ensureConstant(env.fixEnv, env.scope.model.constants, constantNameFor(o.pyName), o.symbol.since, (n) => env.scope.resolveVersion(n));
  if (constant.edits.some((e) => e.range.start.line === stmt.startPosition.row)) return [];
  const out: Fix[] = [];
  const check = `${callee}(${constant.name})`;
  const wrap = wrapInIf(env.fixEnv, stmt, check);
  if (wrap) out.push({ title: `Add a version check: 'if ${check}:'`, safe: false, preferred: true, kind: 'add-check', edits: [...constant.edits, ...wrap] });
  const interval = { lo: o.symbol.since, hi: o.ctx.libvirt.hi };
  if (env.gate && !o.ctx.gates.length && isUntested(supportClass(interval, o.ctx.qemu, env.policy), env.policy)) {
    const gated = wrapInIf(env.fixEnv, stmt, `${env.gate} and ${check}`);
    if (gated) out.push({ title: `Add a version check behind the opt-in gate: 'if ${env.gate} and ${check}:'${gateNote(env)}`, safe: false, preferred: false, kind: 'add-check', edits: [...constant.edits, ...gated] });
  }
  return out;
}

function callerRelated(o: UseObservation): RelatedInformation[] {
  return (o.ctx.callers ?? []).filter((c) => c.lvLo < o.symbol.since).map((c) => ({
    uri: '', range: c.range, message: `called here on libvirt ≥ ${formatVersion(c.lvLo)}`,
  }));
}

function report(env: RuleEnv): Finding[] {
  const out: Finding[] = [];
  for (const o of env.observations) {
    if (o.k !== 'use' || o.protected || o.symbol.since <= o.ctx.libvirt.lo) continue;
    if (o.ctx.libvirt.loGuard) continue; // LVG003's
    const range = rangeOf(o.node);
    const from = o.ctx.callers?.length ? 'where its callers run it' : 'the minimum supported';
    out.push(finding(env, 'LVG002', LVG002.defaultSeverity, range,
      `${o.symbol.python} needs libvirt ${formatVersion(o.symbol.since)}, but this runs from libvirt ${formatVersion(o.ctx.libvirt.lo)} (${from}) without a version check: it fails on older hosts`,
      o.ctx, {
        symbol: o.symbol,
        related: callerRelated(o).map((r) => ({ ...r, uri: env.uri })),
        fixes: fixes(...addCheckFixes(env, o), suppressFix(env.fixEnv, range.start.line, 'LVG002')),
      }));
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
  report,
};
