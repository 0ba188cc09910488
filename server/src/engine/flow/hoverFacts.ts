// Hover facts, built when asked. The walk records what each hover is about (a use of a libvirt
// symbol, XML written, a version check) with the path it runs on; the facts are built for the
// position hovered, or for the whole file when someone reads them all. An edit's analysis then
// builds none (most are never hovered), and a hover builds those at its position only.
import type { Policy } from '../../config/policy';
import { checkAtoms } from '../semantic/conditions';
import type { FileSemantics } from '../semantic/fileSemantics';
import { failsByExiting } from '../semantic/minimumChecks';
import { calleeName, comparePos, enclosingStatement, Field, NodeKind, type NodeId } from '../syntax/index';
import type { XmlEmission } from '../semantic/xml/xmlEmissions';
import type { HoverFacts, Position, Range } from '../types';
import { narrow } from './narrow';
import type { UseObservation, XmlObservation, XmlSite } from './observations';
import { contextClass, coveringGuards, supportClass, useInterval, xmlUseOn, type PathContext } from './pathContext';
import { producedSince } from './symbolUses';

/** A version check (a call, or a comparison of the runtime version), and the path it runs on. */
interface CheckHoverSource {
  readonly k: 'check';
  /** The call or the comparison. */
  readonly call: NodeId;
  readonly ctx: PathContext;
}

/** What one or more hovers are about, in the order the walk met them. */
export type HoverSource = UseObservation | XmlObservation | CheckHoverSource | XmlSite;

/** Whether `range` holds `pos` (its end excluded). */
export const rangeHolds = (range: Range, pos: Position): boolean =>
  comparePos(range.start, pos) <= 0 && comparePos(pos, range.end) < 0;

/** The facts to show at `pos`: of the hovers whose range holds it, the one that starts last (the innermost; on a tie, the later). */
export function factsAt(hovers: readonly HoverFacts[], pos: Position): HoverFacts | undefined {
  let best: HoverFacts | undefined;
  for (const h of hovers) {
    if (!rangeHolds(h.range, pos)) continue;
    if (!best || comparePos(h.range.start, best.range.start) >= 0) best = h;
  }
  return best;
}

/** The range every hover of `source` has. */
export function sourceRange(source: HoverSource, sem: FileSemantics): Range {
  switch (source.k) {
    case 'use':
      return sem.tree.range(source.node);
    case 'xml':
      return source.range;
    case 'check':
      return sem.tree.range(source.call);
    case 'xml-site':
      return sem.tree.range(source.node);
  }
}

/**
 * Whether the hovers of `source` may hold a position on `line`, whose text spans the offsets
 * [from, to): a range that holds a position of the line meets the line (a cheap test before
 * the range itself is worked out).
 */
export function mayMeetLine(source: HoverSource, sem: FileSemantics, line: number, from: number, to: number): boolean {
  if (source.k === 'xml') return source.range.start.line <= line && source.range.end.line >= line;
  const node = source.k === 'check' ? source.call : source.node;
  return sem.tree.start(node) < to && sem.tree.end(node) >= from;
}

/**
 * The XML observations of a site, from what its node writes (found when first asked): as the
 * walk would have observed them there.
 */
function siteObservations(
  site: XmlSite,
  sem: FileSemantics,
  policy: Policy,
  written: readonly XmlEmission[] | undefined,
): XmlObservation[] {
  const stmt = enclosingStatement(sem.tree, site.node);
  return (written ?? []).map(({ range, feature }) => ({
    k: 'xml',
    node: site.node,
    stmt,
    range,
    feature,
    ctx: site.ctx,
    ...xmlUseOn(site.ctx, feature.since, feature.qemuSince ?? 0, policy),
  }));
}

/**
 * Appends the hovers of `source` to `out` (a version check: one per version it asks for; a
 * site: those of what `written` says its node writes).
 */
export function addHoverFacts(
  source: HoverSource,
  sem: FileSemantics,
  policy: Policy,
  out: HoverFacts[],
  written: (node: NodeId) => readonly XmlEmission[] | undefined = () => undefined,
): void {
  const ctx = source.ctx;
  switch (source.k) {
    case 'xml-site':
      for (const o of siteObservations(source, sem, policy, written(source.node))) addHoverFacts(o, sem, policy, out);
      return;
    case 'use': {
      const { symbol } = source;
      // The receiver exists only where the API that produced it ran.
      const interval = useInterval(ctx, Math.max(symbol.since, producedSince(symbol)));
      out.push({
        range: sem.tree.range(source.node),
        kind: 'symbol',
        symbol,
        interval: { libvirt: interval, qemu: ctx.qemu },
        supportClass: supportClass(interval, ctx.qemu, policy),
        gated: ctx.gates.length > 0,
        guards: source.guards,
      });
      return;
    }
    case 'xml':
      out.push({
        range: source.range,
        kind: 'xml',
        xml: source.feature,
        interval: source.interval,
        supportClass: source.supportClass,
        gated: ctx.gates.length > 0,
        guards: ctx.guards,
      });
      return;
    case 'check': {
      const helper = helperName(sem, source.call);
      for (const { atom, positive } of checkAtoms(sem.read(source.call))) {
        // `v < X` holds where `v >= X` does not: its then-branch is the atom's else.
        const narrowed = narrow(atom, ctx);
        const b = positive ? narrowed : { t: narrowed.f, f: narrowed.t };
        const axis = atom.axis;
        out.push({
          range: sem.tree.range(source.call),
          kind: 'check',
          interval: { libvirt: ctx.libvirt, qemu: ctx.qemu },
          supportClass: contextClass(ctx, policy),
          gated: ctx.gates.length > 0,
          guards: coveringGuards(ctx),
          check: {
            axis,
            version: atom.version,
            exact: atom.exact,
            ...(positive ? {} : { negated: true }),
            ...(helper !== undefined ? { helper } : {}),
            ...(!atom.exact &&
            atom.version === (axis === 'qemu' ? policy.minQemu : policy.minLibvirt) &&
            failsByExiting(sem.tree, source.call, positive)
              ? { enforcesMinimum: true }
              : {}),
            thenInterval: b.t[axis],
            thenClass: contextClass(b.t, policy),
            elseInterval: b.f[axis],
            elseClass: contextClass(b.f, policy),
          },
        });
      }
    }
  }
}

/** The helper a check hover's call goes through: none for a configured check or a comparison. */
function helperName(sem: FileSemantics, node: NodeId): string | undefined {
  const t = sem.tree;
  if (t.kind(node) !== NodeKind.Call) return undefined;
  const name = calleeName(t, node);
  const fn = t.field(node, Field.Function);
  if (name === undefined || fn === undefined || sem.versionChecks.has(name)) return undefined;
  return t.text(fn).replace(/\s+/g, '');
}
