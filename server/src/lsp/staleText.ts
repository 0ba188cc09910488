// Answering from an analysis of an earlier text: where the two texts differ (one span, between
// their common prefix and suffix), by lines, and how the lines after it moved, so that positions
// and "line N" in hover text outside the changed lines can be read in the current text.
import {
  allDefined,
  changeBetween,
  movedFinding as movedFindingBy,
  movedPlace,
  type Finding,
  type HoverFacts,
  type Position,
  type Range,
} from '../engine/api';

const newlines = (text: string, from: number, to: number): number => {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

/**
 * Where `now` differs from the analyzed `old`, by lines (0-based, inclusive): lines before
 * `first` are the same lines in both; lines `first`..`last` of `now` changed; a line after
 * `last` is line `line - delta` of `old`, unchanged. Equal texts give an empty span (first > last).
 */
export interface LineShift {
  readonly first: number;
  readonly last: number;
  readonly delta: number;
}

export function lineShift(old: string, now: string): LineShift {
  const change = changeBetween(old, now);
  const prefix = change.start;
  const suffix = old.length - change.oldEnd;
  if (prefix === old.length && prefix === now.length) return { first: 1, last: 0, delta: 0 };
  const breaks = newlines(now, prefix, now.length - suffix);
  const first = newlines(now, 0, prefix);
  return { first, last: first + breaks, delta: breaks - newlines(old, prefix, old.length - suffix) };
}

/** Where a position of the current text outside the changed lines was in the analyzed one. */
export function analyzedPosition(shift: LineShift, position: Position): Position | undefined {
  if (position.line < shift.first) return position;
  if (position.line > shift.last) return { line: position.line - shift.delta, character: position.character };
  return undefined;
}

/** A range of the analyzed text where it is in the current one; undefined when it meets the changed lines. */
export function movedRange(shift: LineShift, range: Range): Range | undefined {
  if (range.end.line < shift.first) return range;
  if (range.start.line <= shift.last - shift.delta) return undefined;
  if (shift.delta === 0) return range;
  return {
    start: { line: range.start.line + shift.delta, character: range.start.character },
    end: { line: range.end.line + shift.delta, character: range.end.character },
  };
}

/**
 * Hover facts of the analyzed text as they read in the current one, moved with the lines;
 * undefined (the hover then waits for the analysis of the current text) when their range meets
 * the changed lines or, when lines were added or removed, a line of this file they cite (a
 * guard, the receiver's evidence) does.
 */
export function movedHoverFacts(facts: HoverFacts, shift: LineShift, uri: string): HoverFacts | undefined {
  const range = movedRange(shift, facts.range);
  if (!range) return undefined;
  // Lines kept in place: every line it cites is still that line (its text may be stale, as the facts may be).
  if (shift.delta === 0) return facts;
  const guards = facts.guards.map((g) => movedPlace(g, (r) => movedRange(shift, r), uri));
  if (!allDefined(guards)) return undefined;
  const via = facts.symbol?.receiverVia;
  const viaRange = via && movedRange(shift, via.range);
  if (via && !viaRange) return undefined;
  return {
    ...facts,
    range,
    guards,
    ...(facts.symbol && via && viaRange
      ? { symbol: { ...facts.symbol, receiverVia: { ...via, range: viaRange } } }
      : {}),
  };
}

/**
 * A finding of the analyzed text as it reads in the current one (its range, dead ranges, and
 * the related places and guards in this file, moved with the lines), its fixes read from it;
 * undefined when any of them meets the changed lines.
 */
export function movedFinding(finding: Finding, shift: LineShift, uri: string): Finding | undefined {
  if (!movedRange(shift, finding.range)) return undefined;
  if (shift.delta === 0) return finding;
  return movedFindingBy(finding, (r) => movedRange(shift, r), uri);
}
