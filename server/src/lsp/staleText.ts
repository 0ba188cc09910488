// Answering from an analysis of an earlier text: where the two texts differ (one span, between
// their common prefix and suffix), and whether every other line kept its number, so positions
// and "line N" in hover text outside the changed lines still mean what they meant.
import { changeBetween } from '../engine/api';

/** The lines (0-based, inclusive) of the current text that differ from the analyzed one. */
export interface ChangedLines {
  readonly first: number;
  readonly last: number;
}

const newlines = (text: string, from: number, to: number): number => {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

/**
 * The changed lines when `now` differs from `old` only within lines (as many line breaks in the
 * changed span before and after); undefined when lines were added or removed. Equal texts give
 * an empty span (first > last).
 */
export function changedLinesKeepingOthers(old: string, now: string): ChangedLines | undefined {
  const change = changeBetween(old, now);
  const prefix = change.start;
  const suffix = old.length - change.oldEnd;
  if (prefix === old.length && prefix === now.length) return { first: 1, last: 0 };
  const breaks = newlines(now, prefix, now.length - suffix);
  if (breaks !== newlines(old, prefix, old.length - suffix)) return undefined;
  const first = newlines(now, 0, prefix);
  return { first, last: first + breaks };
}

/** Whether lines `from`..`to` lie outside the changed ones. */
export function outsideChanged(changed: ChangedLines, from: number, to: number): boolean {
  return to < changed.first || from > changed.last;
}
