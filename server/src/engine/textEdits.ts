// Applying fixes' edits to a text: shared by the CLI (--fix, --diff) and the tests, so what
// they apply is what the editor applies.
import { LineIndex } from './syntax/index';
import type { FileEdits, Position, TextEdit } from './types';

/** Applies non-overlapping edits (LSP semantics: all ranges refer to the original text). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const withOffsets = edits.map((e, i) => ({
    start: lines.offset(e.range.start),
    end: lines.offset(e.range.end),
    text: e.newText,
    i,
  }));
  // Later positions first; inserts at one position keep their array order.
  withOffsets.sort((a, b) => b.start - a.start || b.end - a.end || b.i - a.i);
  let limit = Infinity;
  for (const e of withOffsets) {
    if (e.end > limit) throw new Error('overlapping edits');
    limit = e.start;
  }
  // The result in pieces, joined once: slicing the whole text at every edit was quadratic
  // (8,000 fixes of a 300 KB file took 10 s).
  const pieces: string[] = [];
  let at = 0;
  for (let k = withOffsets.length - 1; k >= 0; k--) {
    const e = withOffsets[k] as (typeof withOffsets)[number];
    pieces.push(text.slice(at, e.start), e.text);
    at = e.end;
  }
  pieces.push(text.slice(at));
  return pieces.join('');
}

const before = (a: Position, b: Position): boolean =>
  a.line < b.line || (a.line === b.line && a.character < b.character);

/**
 * Whether two edits touch: they share text, or one ends where the other starts (two edits at
 * one point have no defined order). Every place that combines fixes (fix-all in the editor,
 * `--fix` rounds in the CLI) uses this one test.
 */
export function editsTouch(a: TextEdit, b: TextEdit): boolean {
  return !before(a.range.end, b.range.start) && !before(b.range.end, a.range.start);
}

/** Whether a file's current text still has what another file's edits were computed against. */
export function anchorHolds(text: string, anchor: FileEdits['anchor']): boolean {
  const lines = new LineIndex(text);
  const start = lines.offset(anchor.range.start);
  const end = lines.offset(anchor.range.end);
  // offset() clamps to the line: a position past a line's end must not pass for a shorter line.
  const back = lines.position(start);
  const backEnd = lines.position(end);
  const same = (a: Position, b: Position) => a.line === b.line && a.character === b.character;
  return same(back, anchor.range.start) && same(backEnd, anchor.range.end) && text.slice(start, end) === anchor.text;
}
