// LVG003 version-check-too-weak: inside a version-checked path, a symbol newer than the
// version the check asks for.
import { formatVersion } from '../../data/version';
import { checkCallArguments } from '../conditions';
import { constantNameFor, ensureConstant, rangeOfNode, suppressFix, versionTuple } from '../fixes';
import { rangeOf, unparen } from '../syntax';
import type { Finding, Fix, GuardFact } from '../types';
import type { UseObservation } from '../walker';
import type { Rule } from './registry';
import { callAt, finding, fixes, type RuleEnv } from './ruleEnv';

function raiseFix(env: RuleEnv, guard: GuardFact, o: UseObservation): Fix | undefined {
  if (guard.kind !== 'version-check' || guard.axis !== 'libvirt') return undefined;
  const call = callAt(env, guard);
  const arg = call ? checkCallArguments(call, env.scope)?.lv : undefined;
  if (!arg) return undefined;
  const target = unparen(arg);
  const version = o.symbol.since;
  const title = `Raise the check to libvirt ${formatVersion(version)}`;
  if (target.type === 'tuple' || target.type === 'integer' || target.type === 'list') {
    const newText = target.type === 'integer' ? String(version) : versionTuple(version);
    return { title, safe: false, preferred: true, kind: 'raise-check', edits: [{ range: rangeOfNode(target), newText }] };
  }
  if (target.type === 'identifier') {
    const value = env.scope.model.constants.get(target.text);
    const uses = env.identifierCount(target.text);
    if (value && uses === 2 && (value.type === 'tuple' || value.type === 'integer')) {
      const newText = value.type === 'integer' ? String(version) : versionTuple(version);
      return { title: `${title} (${target.text} = ${newText})`, safe: false, preferred: true, kind: 'raise-check', edits: [{ range: rangeOfNode(value), newText }] };
    }
    const constant = ensureConstant(env.fixEnv, env.scope.model.constants, constantNameFor(o.pyName), version, (n) => env.scope.resolveVersion(n));
    return { title: `${title} (new constant ${constant.name})`, safe: false, preferred: true, kind: 'raise-check', edits: [...constant.edits, { range: rangeOfNode(target), newText: constant.name }] };
  }
  return undefined;
}

function report(env: RuleEnv): Finding[] {
  const out: Finding[] = [];
  for (const o of env.observations) {
    if (o.k !== 'use' || o.protected || o.symbol.since <= o.ctx.libvirt.lo) continue;
    const guard = o.ctx.libvirt.loGuard;
    if (!guard) continue;
    const range = rangeOf(o.node);
    out.push(finding(env, 'LVG003', LVG003.defaultSeverity, range,
      `${o.symbol.python} needs libvirt ${formatVersion(o.symbol.since)}, but the version check only ensures libvirt ${formatVersion(o.ctx.libvirt.lo)}: it fails on hosts in between`,
      o.ctx, {
        symbol: o.symbol,
        related: [{ uri: guard.uri, range: guard.range, message: `the check: ${guard.text} (libvirt ${formatVersion(o.ctx.libvirt.lo)})` }],
        fixes: fixes(raiseFix(env, guard, o), suppressFix(env.fixEnv, range.start.line, 'LVG003')),
      }));
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
  report,
};
