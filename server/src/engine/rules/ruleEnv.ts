// What a rule's report function gets: the observations of the walk and everything needed
// to word a finding and build its fixes.
import type { FeatureDb } from '../../data/featureDb';
import { formatVersion } from '../../data/version';
import type { Policy } from '../../config/policy';
import type { FileScope } from '../fileScope';
import type { FixEnv } from '../fixes';
import type { Node } from '../parser';
import type { PathContext } from '../pathContext';
import { parentOf, rangeOf } from '../syntax';
import type { Finding, Fix, GuardFact, Range, RelatedInformation, Severity, SupportClass, VersionInterval } from '../types';
import type { GateUse, Observation } from '../walker';

export interface RuleEnv {
  readonly uri: string;
  readonly policy: Policy;
  readonly db: FeatureDb;
  readonly scope: FileScope;
  readonly fixEnv: FixEnv;
  readonly observations: readonly Observation[];
  readonly gateUses: ReadonlyMap<string, GateUse>;
  /** The gate expression fixes insert: the first configured one. */
  readonly gate: string | undefined;
  /** How often each identifier occurs in the file (is a constant used elsewhere?). */
  identifierCount(name: string): number;
  /** The version-check callee the file already uses, computed once. */
  readonly existingCheckCallee: string | undefined;
}

export interface RuleReport {
  readonly code: string;
  readonly defaultSeverity: Severity;
  report(env: RuleEnv): Finding[];
}

export function formatInterval(i: VersionInterval): string {
  return `[${formatVersion(i.lo)}, ${formatVersion(i.hi)})`;
}

export function severityOf(env: RuleEnv, code: string, fallback: Severity): Severity {
  return env.policy.severities[code] ?? fallback;
}

/** The CI jobs as "gate 1.2.2, libvirt-latest 1.2.9" (QEMU versions on the QEMU axis). */
export function describeJobs(env: RuleEnv, axis: 'libvirt' | 'qemu' = 'libvirt'): string {
  return env.policy.ci.map((j) => {
    const v = axis === 'qemu' ? (j.qemu !== undefined ? `QEMU ${formatVersion(j.qemu)}` : 'QEMU unknown') : formatVersion(j.libvirt);
    return `${j.name} ${v}`;
  }).join(', ');
}

/** "which no CI job runs (class C; CI: gate 1.2.2)". */
export function classPhrase(env: RuleEnv, cls: SupportClass, axis: 'libvirt' | 'qemu' = 'libvirt'): string {
  const who = cls === 'A' ? 'which upstream CI runs' : cls === 'B' ? 'which only third-party CI runs' : 'which no CI job runs';
  return `${who} (class ${cls}; CI: ${describeJobs(env, axis)})`;
}

export function guardRelated(guards: readonly GuardFact[], message: (g: GuardFact) => string): RelatedInformation[] {
  return guards.map((g) => ({ uri: g.uri, range: g.range, message: message(g) }));
}

export function finding(
  env: RuleEnv, code: string, fallback: Severity, range: Range, message: string, ctx: PathContext,
  extra: Partial<Pick<Finding, 'symbol' | 'supportClass' | 'related' | 'unnecessary' | 'fixes' | 'interval'>> = {},
): Finding {
  return {
    code, severity: severityOf(env, code, fallback), range, message,
    interval: extra.interval ?? { libvirt: { lo: ctx.libvirt.lo, hi: ctx.libvirt.hi }, qemu: { lo: ctx.qemu.lo, hi: ctx.qemu.hi } },
    guards: ctx.guards, related: extra.related ?? [], unnecessary: extra.unnecessary ?? [], fixes: extra.fixes ?? [],
    ...(extra.symbol ? { symbol: extra.symbol } : {}),
    ...(extra.supportClass ? { supportClass: extra.supportClass } : {}),
  };
}

/** A gate fix in a file that never names the gate's root (`CONF`) would raise NameError: say so. */
export function gateNote(env: RuleEnv): string {
  const root = env.gate?.split('.')[0];
  return root && env.identifierCount(root) === 0 ? ` (${root} is not imported in this file)` : '';
}

export function fixes(...list: (Fix | undefined)[]): Fix[] {
  return list.filter((f): f is Fix => f !== undefined);
}

/** The call node a guard fact points at, when it is a call in this file. */
export function callAt(env: RuleEnv, g: GuardFact): Node | undefined {
  if (g.uri !== env.uri) return undefined;
  let n: Node | null = env.fixEnv.tree.rootNode.descendantForPosition({ row: g.range.start.line, column: g.range.start.character });
  for (; n; n = parentOf(n)) {
    const r = rangeOf(n);
    if (n.type === 'call' && r.start.line === g.range.start.line && r.start.character === g.range.start.character &&
      r.end.line === g.range.end.line && r.end.character === g.range.end.character) return n;
  }
  return undefined;
}
