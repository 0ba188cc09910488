// LVG001 untested-code-path: a path no upstream CI job runs (class C; B when configured)
// that is not behind the opt-in gate. Reported at the version check for a branch, at the
// symbol for a direct use (once per statement: at its newest symbol).
import { isUntested, supportClass } from '../pathContext';
import { gateCheck, suppressFix, wrapInIf } from '../fixes';
import { rangeOf } from '../syntax';
import type { Finding } from '../types';
import type { UseObservation } from '../walker';
import type { Rule } from './registry';
import { formatVersion } from '../../data/version';
import { callAt, classPhrase, finding, fixes, formatInterval, gateNote, type RuleEnv } from './ruleEnv';

function axisWord(axis: 'libvirt' | 'qemu'): string { return axis === 'qemu' ? 'QEMU' : 'libvirt'; }

function report(env: RuleEnv): Finding[] {
  const out: Finding[] = [];
  const gateText = env.gate ?? 'CONF.libvirt.enable_untested_features';
  // Branches, at their guard.
  for (const o of env.observations) {
    if (o.k !== 'branch' || o.code !== 'LVG001') continue;
    const axis = o.guard.axis ?? 'libvirt';
    const interval = o.ctx[axis];
    const cls = supportClass(o.ctx.libvirt, o.ctx.qemu, env.policy);
    const call = callAt(env, o.guard);
    const gateFix = call && env.gate && (o.guard.kind === 'version-check' || o.guard.kind === 'exact-version-check')
      ? { title: `Put this check behind ${gateText}${gateNote(env)}`, safe: false, preferred: true, kind: 'gate' as const, edits: gateCheck(call, gateText) }
      : undefined;
    out.push(finding(env, 'LVG001', LVG001.defaultSeverity, o.guard.range,
      `Untested code path: this branch runs on ${axisWord(axis)} ${formatInterval(interval)}, ${classPhrase(env, cls, axis)}; put it behind ${gateText}`,
      o.ctx, { supportClass: cls, fixes: fixes(gateFix, suppressFix(env.fixEnv, o.guard.range.start.line, 'LVG001')) }));
  }
  // Direct uses: one finding per statement, at the newest symbol.
  const perStatement = new Map<number, UseObservation>();
  for (const o of env.observations) {
    if (o.k !== 'use' || o.ctx.untestedReported || o.ctx.gates.length) continue;
    const interval = { lo: Math.max(o.ctx.libvirt.lo, o.symbol.since), hi: o.ctx.libvirt.hi };
    if (!isUntested(supportClass(interval, o.ctx.qemu, env.policy), env.policy)) continue;
    const key = o.stmt?.id ?? o.node.id;
    const seen = perStatement.get(key);
    if (!seen || o.symbol.since > seen.symbol.since) perStatement.set(key, o);
  }
  for (const o of perStatement.values()) {
    const interval = { lo: Math.max(o.ctx.libvirt.lo, o.symbol.since), hi: o.ctx.libvirt.hi };
    const cls = supportClass(interval, o.ctx.qemu, env.policy);
    const wrap = o.stmt && env.gate ? wrapInIf(env.fixEnv, o.stmt, gateText) : undefined;
    const range = rangeOf(o.node);
    out.push(finding(env, 'LVG001', LVG001.defaultSeverity, range,
      `Untested code path: ${o.symbol.python} (since libvirt ${formatVersion(o.symbol.since)}) runs only on libvirt ${formatInterval(interval)}, ${classPhrase(env, cls)}; put it behind ${gateText}`,
      o.ctx, {
        symbol: o.symbol, supportClass: cls, interval: { libvirt: interval, qemu: o.ctx.qemu },
        fixes: fixes(wrap ? { title: `Wrap in 'if ${gateText}:'${gateNote(env)}`, safe: false, preferred: true, kind: 'gate', edits: wrap } : undefined,
          suppressFix(env.fixEnv, range.start.line, 'LVG001')),
      }));
  }
  return out;
}

export const LVG001: Rule = {
  code: 'LVG001',
  name: 'untested-code-path',
  summary: 'A code path that no upstream CI job runs (class C) is not behind the opt-in gate.',
  defaultSeverity: 'warning',
  defaultEnabled: true,
  fixKinds: ['gate', 'suppress'],
  report,
};
