// Findings and places of one file moved with its text: the language server reads an earlier
// analysis where the lines moved to (lsp/staleText.ts), and shifts findings past blank lines
// without analyzing (triviaEdits.ts). `move` maps a range of the earlier text to the current
// one, or says (undefined) that it cannot.
import type { Finding, Fix, Range } from './types';

export type RangeMove = (range: Range) => Range | undefined;

export const allDefined = <T>(list: readonly (T | undefined)[]): list is T[] => list.every((x) => x !== undefined);

/** A place (a guard, a related location) moved when it is in this file (`uri`); the same object when it did not move. */
export function movedPlace<T extends { readonly uri: string; readonly range: Range }>(
  place: T,
  move: RangeMove,
  uri: string,
): T | undefined {
  if (place.uri !== uri) return place;
  const range = move(place.range);
  return range && (range === place.range ? place : { ...place, range });
}

/**
 * A finding with its range, dead ranges and places in this file moved, and `fixes` (its own by
 * default: reading them builds a lazy finding's); undefined when one of them cannot move.
 * Fields are named one by one (a finding whose fixes are built when read keeps them on its
 * class), in the order an analysis gives them.
 */
export function movedFinding(
  finding: Finding,
  move: RangeMove,
  uri: string,
  fixes: readonly Fix[] = finding.fixes,
): Finding | undefined {
  const range = move(finding.range);
  const unnecessary = finding.unnecessary.map(move);
  const related = finding.related.map((r) => movedPlace(r, move, uri));
  const guards = finding.guards.map((g) => movedPlace(g, move, uri));
  if (!range || !allDefined(unnecessary) || !allDefined(related) || !allDefined(guards)) return undefined;
  return {
    code: finding.code,
    severity: finding.severity,
    range,
    message: finding.message,
    messageId: finding.messageId,
    data: finding.data,
    interval: finding.interval,
    guards,
    related,
    unnecessary,
    ...(finding.symbol ? { symbol: finding.symbol } : {}),
    ...(finding.xml ? { xml: finding.xml } : {}),
    ...(finding.supportClass ? { supportClass: finding.supportClass } : {}),
    fixes,
  };
}
