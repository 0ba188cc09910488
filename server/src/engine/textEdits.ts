// Applying fixes' edits to a text: shared by the CLI (--fix, --diff) and the tests, so what
// they apply is what the editor applies.
import { LineIndex } from './syntax/index';
import type { TextEdit } from './types';

/** Applies non-overlapping edits (LSP semantics: all ranges refer to the original text). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const withOffsets = edits.map((e, i) => ({ start: lines.offset(e.range.start), end: lines.offset(e.range.end), text: e.newText, i }));
  // Later positions first; inserts at one position keep their array order.
  withOffsets.sort((a, b) => b.start - a.start || b.end - a.end || b.i - a.i);
  let out = text;
  let limit = Infinity;
  for (const e of withOffsets) {
    if (e.end > limit) throw new Error('overlapping edits');
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

/** Whether two sets of edits touch (overlap, or insert at one point: their order would be ambiguous). */
export function editsOverlap(a: readonly TextEdit[], b: readonly TextEdit[], lines: LineIndex): boolean {
  for (const x of a) {
    const xs = lines.offset(x.range.start);
    const xe = lines.offset(x.range.end);
    for (const y of b) {
      const ys = lines.offset(y.range.start);
      const ye = lines.offset(y.range.end);
      if (xs < ye && ys < xe) return true;
      if (xs === ys) return true;
    }
  }
  return false;
}
