// Version intervals of code paths, the support class of a path, and how guards narrow them.
import type { CiJob, Policy } from '../../config/policy';
import type { GateRef } from '../semantic/conditions';
import type { GuardFact, Range, SupportClass, VersionInterval, VersionNumber } from '../types';

interface AxisBounds extends VersionInterval {
  /** The guard that set lo (absent: lo is the minimum supported version). */
  readonly loGuard?: GuardFact;
  readonly hiGuard?: GuardFact;
}

export interface CallerSite {
  readonly range: Range;
  readonly lvLo: VersionNumber;
}

/** Everything known about the versions a statement can run on. Immutable. */
export interface PathContext {
  readonly libvirt: AxisBounds;
  readonly qemu: AxisBounds;
  readonly gates: readonly GateRef[];
  /** Symbols protected by hasattr/getattr (python names: 'VIR_X', 'rename'), with the guard that does it. */
  readonly protectedSymbols: ReadonlyMap<string, GuardFact>;
  /** Inside `try: ... except AttributeError`. */
  readonly protectAll: boolean;
  /** An untested path already reported (or accepted) at its guard: uses inside are not reported again. */
  readonly untestedReported: boolean;
  readonly guards: readonly GuardFact[];
  /** For a function entered only from known call sites: those sites. */
  readonly callers?: readonly CallerSite[];
}

export function rootContext(policy: Policy): PathContext {
  const ctx: PathContext = {
    libvirt: { lo: policy.minLibvirt, hi: Infinity },
    qemu: { lo: policy.minQemu, hi: Infinity },
    gates: [],
    protectedSymbols: new Map(),
    protectAll: false,
    untestedReported: false,
    guards: [],
  };
  // When no CI job runs the minimum itself, every line is untested: that is a policy matter,
  // said once by the CLI/status, not on every line.
  return { ...ctx, untestedReported: isUntested(supportClass(ctx.libvirt, ctx.qemu, policy), policy) };
}

export function isDead(ctx: PathContext): boolean {
  return ctx.libvirt.lo >= ctx.libvirt.hi || ctx.qemu.lo >= ctx.qemu.hi;
}

function jobIn(job: CiJob, lv: VersionInterval, qemu: VersionInterval, qemuNarrowed: boolean): boolean {
  if (job.libvirt < lv.lo || job.libvirt >= lv.hi) return false;
  // A job that does not say its QEMU runs a path only while the path does not depend on QEMU.
  if (job.qemu === undefined) return !qemuNarrowed;
  return job.qemu >= qemu.lo && job.qemu < qemu.hi;
}

export function jobsRunning(lv: VersionInterval, qemu: VersionInterval, policy: Policy): CiJob[] {
  const qemuNarrowed = qemu.lo > policy.minQemu || qemu.hi !== Infinity;
  return policy.ci.filter((job) => jobIn(job, lv, qemu, qemuNarrowed));
}

export function supportClass(lv: VersionInterval, qemu: VersionInterval, policy: Policy): SupportClass {
  const jobs = jobsRunning(lv, qemu, policy);
  if (jobs.some((j) => j.kind === 'upstream')) return 'A';
  if (jobs.length > 0) return 'B';
  return 'C';
}

export function isUntested(cls: SupportClass, policy: Policy): boolean {
  return cls === 'C' || (cls === 'B' && policy.untestedIncludesClassB);
}

export function contextClass(ctx: PathContext, policy: Policy): SupportClass {
  return supportClass(ctx.libvirt, ctx.qemu, policy);
}

/** The interval a symbol use succeeds on: [max(lo, since), hi). */
export function useInterval(ctx: PathContext, since: VersionNumber): VersionInterval {
  return { lo: Math.max(ctx.libvirt.lo, since), hi: ctx.libvirt.hi };
}

/** Where XML of these versions works on a path (its interval from the versions), and that interval's class. */
export function xmlUseOn(
  ctx: PathContext,
  since: VersionNumber,
  qemuSince: VersionNumber,
  policy: Policy,
): { interval: { libvirt: VersionInterval; qemu: VersionInterval }; supportClass: SupportClass } {
  const libvirt = useInterval(ctx, since);
  const qemu = { lo: Math.max(ctx.qemu.lo, qemuSince), hi: ctx.qemu.hi };
  return { interval: { libvirt, qemu }, supportClass: supportClass(libvirt, qemu, policy) };
}

/** The path a branch takes when `version <= v` on an axis (then-branch of a min-version check). */
export function raiseLow(ctx: PathContext, axis: 'libvirt' | 'qemu', v: VersionNumber, guard: GuardFact): PathContext {
  const b = ctx[axis];
  if (v <= b.lo) return withGuard(ctx, guard);
  return { ...withGuard(ctx, guard), [axis]: { ...b, lo: v, loGuard: guard } };
}

export function lowerHigh(ctx: PathContext, axis: 'libvirt' | 'qemu', v: VersionNumber, guard: GuardFact): PathContext {
  const b = ctx[axis];
  if (v >= b.hi) return withGuard(ctx, guard);
  return { ...withGuard(ctx, guard), [axis]: { ...b, hi: v, hiGuard: guard } };
}

function withGuard(ctx: PathContext, guard: GuardFact): PathContext {
  return ctx.guards.includes(guard) ? ctx : { ...ctx, guards: [...ctx.guards, guard] };
}

export function withGate(ctx: PathContext, gate: GateRef, guard: GuardFact): PathContext {
  if (ctx.gates.some((g) => g.id === gate.id)) return ctx;
  return { ...withGuard(ctx, guard), gates: [...ctx.gates, gate] };
}

export function withProtected(ctx: PathContext, symbol: string, guard: GuardFact): PathContext {
  if (ctx.protectedSymbols.has(symbol)) return ctx;
  return { ...withGuard(ctx, guard), protectedSymbols: new Map([...ctx.protectedSymbols, [symbol, guard]]) };
}

/** Everything the path uses is protected (a configured availability probe held true). */
export function withProtectAll(ctx: PathContext, guard: GuardFact): PathContext {
  if (ctx.protectAll) return ctx;
  return { ...withGuard(ctx, guard), protectAll: true };
}

function joinAxis(a: AxisBounds, b: AxisBounds): AxisBounds {
  const lo = Math.min(a.lo, b.lo);
  const hi = Math.max(a.hi, b.hi);
  const loFrom = a.lo <= b.lo ? a : b;
  const hiFrom = a.hi >= b.hi ? a : b;
  // A bound survives a join only if both sides had it from a guard.
  const loGuard = a.loGuard && b.loGuard ? loFrom.loGuard : undefined;
  const hiGuard = a.hiGuard && b.hiGuard ? hiFrom.hiGuard : undefined;
  return { lo, hi, ...(loGuard ? { loGuard } : {}), ...(hiGuard ? { hiGuard } : {}) };
}

/** The path after two paths meet again (after an if/else, or the union of a function's callers). */
export function joinContexts(a: PathContext | null, b: PathContext | null): PathContext | null {
  if (!a || isDead(a)) return b && !isDead(b) ? b : (a ?? b);
  if (!b || isDead(b)) return a;
  if (a === b) return a;
  return {
    libvirt: joinAxis(a.libvirt, b.libvirt),
    qemu: joinAxis(a.qemu, b.qemu),
    gates: commonGates(a.gates, b.gates),
    protectedSymbols: commonSymbols(a.protectedSymbols, b.protectedSymbols),
    protectAll: a.protectAll && b.protectAll,
    untestedReported: a.untestedReported && b.untestedReported,
    guards: allGuards(a.guards, b.guards),
    ...(a.callers || b.callers ? { callers: [...(a.callers ?? []), ...(b.callers ?? [])] } : {}),
  };
}

// The parts of a join, sharing a side's list or map when the join equals it (most paths meet
// with nothing protected and no gate: no new objects then).

function commonGates(a: readonly GateRef[], b: readonly GateRef[]): readonly GateRef[] {
  if (a.length === 0 || a === b) return a;
  if (b.length === 0) return b;
  const bGates = new Set(b.map((g) => g.id));
  const out = a.filter((g) => bGates.has(g.id));
  return out.length === a.length ? a : out;
}

function commonSymbols(
  a: ReadonlyMap<string, GuardFact>,
  b: ReadonlyMap<string, GuardFact>,
): ReadonlyMap<string, GuardFact> {
  if (a.size === 0 || a === b) return a;
  if (b.size === 0) return b;
  const out = new Map([...a].filter(([s]) => b.has(s)));
  return out.size === a.size ? a : out;
}

function allGuards(a: readonly GuardFact[], b: readonly GuardFact[]): readonly GuardFact[] {
  if (a === b || b.length === 0) return a;
  if (a.length === 0) return b;
  // A path's guards grow with every check it passes (a join keeps both sides'): with long lists,
  // membership by a set, else a function of thousands of checks joins in cubic time.
  let extra: GuardFact[];
  if (a.length * b.length <= 64) extra = b.filter((g) => !a.includes(g));
  else {
    const inA = new Set(a);
    extra = b.filter((g) => !inA.has(g));
  }
  return extra.length ? [...a, ...extra] : a;
}

/**
 * The guards that cover a point of this path (a use of `pyName`, when given): a path's guard
 * list also keeps guards of branches that joined it, but a hasattr/getattr covers only the
 * symbol it names while it protects it, an `except` only the body it protects, a gate only a
 * gated path.
 */
export function coveringGuards(ctx: PathContext, pyName?: string): readonly GuardFact[] {
  const own = pyName === undefined ? undefined : ctx.protectedSymbols.get(pyName);
  const out = ctx.guards.filter((g) => {
    if (g.kind === 'hasattr') return g === own;
    if (g.kind === 'except-attributeerror') return ctx.protectAll;
    if (g.kind === 'gate') return ctx.gates.length > 0;
    return true;
  });
  return own && !out.includes(own) ? [...out, own] : out;
}

export function sameBounds(a: PathContext, b: PathContext): boolean {
  return (
    a.libvirt.lo === b.libvirt.lo &&
    a.libvirt.hi === b.libvirt.hi &&
    a.qemu.lo === b.qemu.lo &&
    a.qemu.hi === b.qemu.hi &&
    a.protectAll === b.protectAll &&
    a.gates.length === b.gates.length &&
    a.protectedSymbols.size === b.protectedSymbols.size &&
    a.untestedReported === b.untestedReported
  );
}

/** Lowest CI version on an axis, for "older than every CI job" (LVG007). */
export function oldestCi(policy: Policy, axis: 'libvirt' | 'qemu'): VersionNumber | undefined {
  const versions = policy.ci
    .map((j) => (axis === 'libvirt' ? j.libvirt : j.qemu))
    .filter((v): v is number => v !== undefined);
  return versions.length ? Math.min(...versions) : undefined;
}

/** The axis on which a path runs only below every CI job (LVG007's "legacy" path), if any. */
export function legacyAxis(ctx: PathContext, policy: Policy): 'libvirt' | 'qemu' | undefined {
  const oldLv = oldestCi(policy, 'libvirt');
  const oldQemu = oldestCi(policy, 'qemu');
  if (oldLv !== undefined && ctx.libvirt.hi <= oldLv) return 'libvirt';
  if (oldQemu !== undefined && ctx.qemu.hi <= oldQemu) return 'qemu';
  return undefined;
}
