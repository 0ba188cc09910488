// LVG001 untested-code-path: a path no upstream CI job runs (class C; B when configured)
// that is not behind the opt-in gate. Reported at the version check for a branch, at the
// symbol for a direct use, at the element or attribute name for XML it writes (once per
// statement: at its newest symbol or XML feature).
import { formatVersion } from '../../data/version';
import type { UseObservation, XmlObservation } from '../flow/observations';
import { isUntested, legacyAxis, supportClass } from '../flow/pathContext';
import { isAmbiguous, producedSince } from '../flow/symbolUses';
import { versionComparisons } from '../semantic/versionExpressions';
import type { NodeId } from '../syntax/index';
import type { Finding, Fix, GuardFact } from '../types';
import { gateCheck, inBranchCondition, suppressFix, wrapInIf } from './fixes';
import { gateImport, withGateImport, type GateImport } from './confImport';
import {
  callAt,
  classPhrase,
  finding,
  fixes,
  formatInterval,
  comparisonAt,
  writableAt,
  type Rule,
  type RuleEnv,
} from './rule';
import { candidateList, methodName } from './symbolWords';

/**
 * A use that adds nothing to its receiver's producer: the object exists only where the API that
 * made it ran, and that API's use is where an untested path is reported.
 */
function onlyWhereProduced(o: UseObservation): boolean {
  const produced = producedSince(o.symbol);
  return produced > o.ctx.libvirt.lo && o.symbol.since <= produced;
}

function axisWord(axis: 'libvirt' | 'qemu'): string {
  return axis === 'qemu' ? 'QEMU' : 'libvirt';
}

/** A comparison of the runtime version at a guard, when it is true inside the range it bounds. */
function positiveComparison(env: RuleEnv, guard: GuardFact): NodeId | undefined {
  const cmp = comparisonAt(env, guard);
  if (cmp === undefined) return undefined;
  const bounds = versionComparisons(env.sem, cmp);
  const inside = bounds.some((b) => b.relation === 'atLeast' || b.relation === 'exactly');
  return inside && !bounds.some((b) => b.relation === 'notExactly') ? cmp : undefined;
}

function report(env: RuleEnv): Finding[] {
  const out: Finding[] = [];
  const gateText = env.gate ?? 'CONF.libvirt.enable_untested_features';
  // Read by fixes only (built when read): the CONF import is worked out once, if ever.
  let known: GateImport | undefined;
  const imp = (): GateImport => (known ??= gateImport(env));
  // Branches, at their guard (those only older than every CI job are LVG007's).
  for (const o of env.observations) {
    if (o.k !== 'untested-branch' || legacyAxis(o.ctx, env.policy)) continue;
    const axis = o.guard.axis ?? 'libvirt';
    const interval = o.ctx[axis];
    const cls = supportClass(o.ctx.libvirt, o.ctx.qemu, env.policy);
    const branchFixes = (): Fix[] => {
      // The check: a call, or a comparison of the runtime version that holds inside the range
      // it states (`v >= X`, `X <= v < Y`, `v == X`; not `v != X` or `v < X`, which hold outside).
      const check = callAt(env, o.guard) ?? positiveComparison(env, o.guard);
      const gated =
        check !== undefined &&
        env.gate &&
        writableAt(env, check, env.gate) &&
        (o.guard.kind === 'version-check' ||
          o.guard.kind === 'exact-version-check' ||
          (o.guard.kind === 'helper' && inBranchCondition(env.tree, check)))
          ? withGateImport(imp(), gateCheck(env, check, gateText))
          : undefined;
      const gateFix = gated && {
        title: `Put this check behind ${gateText}${gated.note}`,
        safe: false,
        preferred: true,
        kind: 'gate' as const,
        edits: gated.edits,
      };
      return fixes(gateFix, suppressFix(env, o.guard.range.start.line, 'LVG001'));
    };
    out.push(
      finding(
        env,
        LVG001,
        'untestedBranch',
        {
          axis: axisWord(axis),
          interval: formatInterval(interval),
          classPhrase: classPhrase(env, cls, axis),
          gate: gateText,
        },
        o.guard.range,
        o.ctx,
        { supportClass: cls, fixes: branchFixes },
      ),
    );
  }
  // Direct uses: one finding per statement, at the newest symbol.
  const perStatement = new Map<number, UseObservation>();
  for (const o of env.observations) {
    // The import line runs on every host that loads the module: tested-ness is about the uses.
    if (o.k !== 'use' || o.site === 'import' || o.ctx.untestedReported || o.ctx.gates.length) continue;
    if (onlyWhereProduced(o)) continue;
    const interval = { lo: Math.max(o.ctx.libvirt.lo, o.symbol.since), hi: o.ctx.libvirt.hi };
    if (!isUntested(supportClass(interval, o.ctx.qemu, env.policy), env.policy)) continue;
    const key = o.stmt ?? o.node;
    const seen = perStatement.get(key);
    if (!seen || o.symbol.since > seen.symbol.since) perStatement.set(key, o);
  }
  for (const o of perStatement.values()) {
    const interval = { lo: Math.max(o.ctx.libvirt.lo, o.symbol.since), hi: o.ctx.libvirt.hi };
    const cls = supportClass(interval, o.ctx.qemu, env.policy);
    const range = env.tree.range(o.node);
    const common = {
      since: formatVersion(o.symbol.since),
      interval: formatInterval(interval),
      classPhrase: classPhrase(env, cls),
      gate: gateText,
    };
    const ambiguous = isAmbiguous(o.symbol);
    out.push(
      finding(
        env,
        LVG001,
        ambiguous ? 'untestedUseAmbiguous' : 'untestedUse',
        ambiguous
          ? { method: methodName(o.symbol), candidates: candidateList(o.symbol), ...common }
          : { symbol: o.symbol.python, ...common },
        range,
        o.ctx,
        {
          symbol: o.symbol,
          guards: o.guards,
          supportClass: cls,
          interval: { libvirt: interval, qemu: o.ctx.qemu },
          fixes: () => wrapOrSuppress(env, o.stmt, imp, gateText, range.start.line),
        },
      ),
    );
  }
  for (const f of untestedXml(env, gateText, imp, new Set(perStatement.keys()))) out.push(f);
  return out;
}

/** XML a path writes that only works where no CI job runs: once per statement (not one an API use reported), at the newest. */
function untestedXml(env: RuleEnv, gateText: string, imp: () => GateImport, reported: ReadonlySet<number>): Finding[] {
  const perStatement = new Map<number, XmlObservation>();
  for (const o of env.observations) {
    if (o.k !== 'xml' || o.ctx.untestedReported || o.ctx.gates.length) continue;
    if (!isUntested(o.supportClass, env.policy)) continue;
    const key = o.stmt ?? o.node;
    if (reported.has(key)) continue;
    const seen = perStatement.get(key);
    const newer =
      !seen ||
      o.feature.since > seen.feature.since ||
      (o.feature.since === seen.feature.since && (o.feature.qemuSince ?? 0) > (seen.feature.qemuSince ?? 0));
    if (newer) perStatement.set(key, o);
  }
  const out: Finding[] = [];
  for (const o of perStatement.values()) {
    const { libvirt: lv, qemu } = o.interval;
    const cls = o.supportClass;
    // Blame QEMU when libvirt alone would be tested.
    const byQemu = !isUntested(supportClass(lv, o.ctx.qemu, env.policy), env.policy);
    out.push(
      finding(
        env,
        LVG001,
        byQemu ? 'untestedXmlQemu' : 'untestedXml',
        {
          xml: o.feature.xpath,
          since: formatVersion(byQemu ? (o.feature.qemuSince ?? 0) : o.feature.since),
          interval: formatInterval(byQemu ? qemu : lv),
          classPhrase: classPhrase(env, cls, byQemu ? 'qemu' : 'libvirt'),
          gate: gateText,
        },
        o.range,
        o.ctx,
        {
          xml: o.feature,
          supportClass: cls,
          interval: { libvirt: lv, qemu },
          fixes: () => wrapOrSuppress(env, o.stmt, imp, gateText, o.range.start.line),
        },
      ),
    );
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
  fixAllKinds: [],
  messages: {
    untestedBranch:
      'Untested code path: this branch runs on {{axis}} {{interval}}, {{classPhrase}}; put it behind {{gate}}',
    untestedUse:
      'Untested code path: {{symbol}} (since libvirt {{since}}) runs only on libvirt {{interval}}, {{classPhrase}}; put it behind {{gate}}',
    untestedUseAmbiguous:
      'Untested code path: {{method}} (since libvirt {{since}} or newer whichever class the receiver is: {{candidates}}) runs only on libvirt {{interval}}, {{classPhrase}}; put it behind {{gate}}',
    untestedXml:
      'Untested code path: XML {{xml}} (since libvirt {{since}}) runs only on libvirt {{interval}}, {{classPhrase}}; put it behind {{gate}}',
    untestedXmlQemu:
      'Untested code path: XML {{xml}} (since QEMU {{since}}) runs only on QEMU {{interval}}, {{classPhrase}}; put it behind {{gate}}',
  },
  report,
};

/** The fixes of an untested path: wrap its statement in the gate (when it can), or suppress. */
function wrapOrSuppress(
  env: RuleEnv,
  stmt: NodeId | undefined,
  imp: () => GateImport,
  gateText: string,
  line: number,
): Fix[] {
  const wrapEdits =
    stmt !== undefined && env.gate && writableAt(env, stmt, env.gate) ? wrapInIf(env, stmt, gateText) : undefined;
  const wrap = wrapEdits && withGateImport(imp(), wrapEdits);
  return fixes(
    wrap
      ? {
          title: `Wrap in 'if ${gateText}:'${wrap.note}`,
          safe: false,
          preferred: true,
          kind: 'gate',
          edits: wrap.edits,
        }
      : undefined,
    suppressFix(env, line, 'LVG001'),
  );
}
