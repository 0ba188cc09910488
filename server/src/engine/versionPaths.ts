// The version-dependent code paths of a file, for the support matrix: every branch a version
// check or the gate narrows, every use of a symbol and every piece of libvirt XML written that
// is newer than the minimum, with what the
// flow walk knows of it (intervals, class, CI jobs, gates, guards) and the findings on it.
// Facts only: grouping and presentation are the faces' business.
import type { Policy } from '../config/policy';
import type { BranchObservation, Observation, UseObservation, XmlObservation } from './flow/observations';
import { jobsRunning, useInterval, type PathContext } from './flow/pathContext';
import { comparePos, NodeKind, type NodeId, type SyntaxTree } from './syntax/index';
import type { Finding, GuardFact, PathFacts, Range, VersionInterval } from './types';

const versionGuardKinds: ReadonlySet<GuardFact['kind']> = new Set([
  'version-check',
  'exact-version-check',
  'helper',
  'caller',
]);

const kindOrder: Readonly<Record<PathFacts['kind'], number>> = {
  if: 0,
  and: 1,
  or: 2,
  elif: 3,
  else: 4,
  after: 5,
  use: 6,
};

const contains = (outer: Range, inner: Range): boolean =>
  comparePos(outer.start, inner.start) <= 0 && comparePos(inner.end, outer.end) <= 0;
const sameInterval = (a: VersionInterval, b: VersionInterval): boolean => a.lo === b.lo && a.hi === b.hi;

/** Lines a node covers; a range ending at column 0 of a later line ends on the line before. */
function linesOf(first: Range, last: Range): { start: number; end: number } {
  const end = last.end.character === 0 && last.end.line > first.start.line ? last.end.line - 1 : last.end.line;
  return { start: first.start.line, end };
}

/** The guard that moved a bound of the branch, else the condition's own version guard, else its gate. */
function definingGuard(o: BranchObservation): GuardFact | undefined {
  const { ctx, outer } = o;
  const moved = [
    ctx.libvirt.lo !== outer.libvirt.lo ? ctx.libvirt.loGuard : undefined,
    ctx.libvirt.hi !== outer.libvirt.hi ? ctx.libvirt.hiGuard : undefined,
    ctx.qemu.lo !== outer.qemu.lo ? ctx.qemu.loGuard : undefined,
    ctx.qemu.hi !== outer.qemu.hi ? ctx.qemu.hiGuard : undefined,
  ].find((g) => g !== undefined);
  if (moved) return moved;
  const own = ownGuards(o);
  return own.find((g) => versionGuardKinds.has(g.kind)) ?? own.find((g) => g.kind === 'gate') ?? own[0];
}

function ownGuards(o: BranchObservation): GuardFact[] {
  return o.ctx.guards.filter((g) => !o.outer.guards.includes(g));
}

interface Draft {
  /** Its `findings` is `codes`, filled by attach(). */
  readonly facts: PathFacts;
  /** Where a finding reported at this branch's guard may sit. */
  readonly guardRanges: readonly Range[];
  readonly codes: string[];
}

/** The support class and the jobs behind it, from one pass over the jobs. */
function classAndJobs(
  libvirt: VersionInterval,
  qemu: VersionInterval,
  policy: Policy,
): Pick<PathFacts, 'supportClass' | 'jobs'> {
  const jobs = jobsRunning(libvirt, qemu, policy);
  return {
    supportClass: jobs.some((j) => j.kind === 'upstream') ? 'A' : jobs.length ? 'B' : 'C',
    jobs: jobs.map((j) => j.name),
  };
}

function branchDraft(t: SyntaxTree, uri: string, o: BranchObservation, policy: Policy): Draft {
  const { ctx } = o;
  const anchor = t.range(o.anchor);
  // An else clause spans its body: point at the keyword.
  const range: Range =
    t.kind(o.anchor) === NodeKind.ElseClause
      ? { start: anchor.start, end: { line: anchor.start.line, character: anchor.start.character + 'else'.length } }
      : anchor;
  const guard = definingGuard(o);
  const libvirt = { lo: ctx.libvirt.lo, hi: ctx.libvirt.hi };
  const qemu = { lo: ctx.qemu.lo, hi: ctx.qemu.hi };
  const codes: string[] = [];
  return {
    facts: {
      kind: o.role,
      range,
      lines: linesOf(t.range(o.first), t.range(o.last)),
      ...(guard ? { guard } : {}),
      interval: { libvirt, qemu },
      ...classAndJobs(libvirt, qemu, policy),
      gated: ctx.gates.length > 0,
      protected: false,
      guards: ctx.guards,
      findings: codes,
    },
    guardRanges: [
      t.range(o.cond),
      ...ownGuards(o)
        .filter((g) => g.uri === uri)
        .map((g) => g.range),
    ],
    codes,
  };
}

/** A use at `range` (a symbol, or libvirt XML written) on the path `ctx`, needing `libvirt` and `qemu`. */
function useAt(
  range: Range,
  subject: Pick<PathFacts, 'symbol' | 'xml'>,
  ctx: PathContext,
  libvirt: VersionInterval,
  qemu: VersionInterval,
  isProtected: boolean,
  policy: Policy,
): Draft {
  const codes: string[] = [];
  return {
    facts: {
      kind: 'use',
      range,
      lines: linesOf(range, range),
      ...subject,
      interval: { libvirt, qemu },
      ...classAndJobs(libvirt, qemu, policy),
      gated: ctx.gates.length > 0,
      protected: isProtected,
      guards: ctx.guards,
      findings: codes,
    },
    guardRanges: [],
    codes,
  };
}

function useDraft(t: SyntaxTree, o: UseObservation, policy: Policy): Draft {
  const libvirt = useInterval(o.ctx, o.symbol.since);
  const qemu = { lo: o.ctx.qemu.lo, hi: o.ctx.qemu.hi };
  return useAt(t.range(o.node), { symbol: o.symbol }, o.ctx, libvirt, qemu, o.protected, policy);
}

/** XML written where its documented version (libvirt, or QEMU when the docs give one) is newer than the minimum. */
function xmlDraft(o: XmlObservation, policy: Policy): Draft | undefined {
  const f = o.feature;
  const newLibvirt = f.dated && f.since > policy.minLibvirt;
  const newQemu = f.qemuSince !== undefined && f.qemuSince > policy.minQemu;
  if (!newLibvirt && !newQemu) return undefined;
  return useAt(o.range, { xml: f }, o.ctx, o.interval.libvirt, o.interval.qemu, false, policy);
}

/**
 * The branches whose condition or guards may hold a range, by line: a finding asks only the
 * branches with a guard range on its first line (a guard spanning many lines is listed on each).
 */
class BranchesByLine {
  private readonly byLine = new Map<number, number[]>();

  constructor(private readonly branches: readonly Draft[]) {
    branches.forEach((b, i) => {
      for (const g of b.guardRanges) {
        for (let line = g.start.line; line <= g.end.line; line++) {
          const list = this.byLine.get(line);
          if (!list) this.byLine.set(line, [i]);
          else if (list[list.length - 1] !== i) list.push(i);
        }
      }
    });
  }

  /** The branches (in their order) with a guard range that contains `r`. */
  holding(r: Range): Draft[] {
    const out: Draft[] = [];
    for (const i of this.byLine.get(r.start.line) ?? []) {
      const b = this.branches[i];
      if (b?.guardRanges.some((g) => contains(g, r))) out.push(b);
    }
    return out;
  }
}

/**
 * A finding belongs to the use at its exact range; else to a branch whose condition or guard
 * holds it, preferring the branch whose interval the finding describes (LVG001 reports the
 * new branch of a check at the check), else the first such branch.
 */
function attach(finding: Finding, uses: ReadonlyMap<string, Draft>, branches: BranchesByLine): void {
  const r = finding.range;
  const use = uses.get(rangeKey(r));
  if (use) {
    use.codes.push(finding.code);
    return;
  }
  const holders = branches.holding(r);
  const exact = holders.find(
    (b) =>
      sameInterval(b.facts.interval.libvirt, finding.interval.libvirt) &&
      sameInterval(b.facts.interval.qemu, finding.interval.qemu),
  );
  (exact ?? holders[0])?.codes.push(finding.code);
}

const rangeKey = (r: Range): string => `${r.start.line}:${r.start.character}:${r.end.line}:${r.end.character}`;

export function versionPaths(
  t: SyntaxTree,
  uri: string,
  observations: readonly Observation[],
  findings: readonly Finding[],
  policy: Policy,
): PathFacts[] {
  const uses = new Map<NodeId, Draft>();
  const xmlUses = new Map<string, Draft>();
  const branches: Draft[] = [];
  for (const o of observations) {
    if (o.k === 'branch') branches.push(branchDraft(t, uri, o, policy));
    else if (o.k === 'use' && o.symbol.since > policy.minLibvirt && !uses.has(o.node))
      uses.set(o.node, useDraft(t, o, policy));
    else if (o.k === 'xml' && !xmlUses.has(rangeKey(o.range))) {
      const draft = xmlDraft(o, policy);
      if (draft) xmlUses.set(rangeKey(o.range), draft);
    }
  }
  // Walk order puts an if's branches together; the matrix wants them by position.
  branches.sort((a, b) => comparePos(a.facts.range.start, b.facts.range.start));
  if (findings.length) {
    const byRange = new Map([...uses.values(), ...xmlUses.values()].map((d) => [rangeKey(d.facts.range), d]));
    const byLine = new BranchesByLine(branches);
    for (const f of findings) attach(f, byRange, byLine);
  }
  const all: PathFacts[] = [];
  for (const d of [...branches, ...uses.values(), ...xmlUses.values()]) {
    d.codes.sort();
    all.push(d.facts);
  }
  return all.sort(
    (a, b) =>
      comparePos(a.range.start, b.range.start) || kindOrder[a.kind] - kindOrder[b.kind] || a.lines.end - b.lines.end,
  );
}
