// Applying fixes' edits to a text: shared by the CLI (--fix, --diff) and the tests, so what
// they apply is what the editor applies.
import { SourceText } from './sourceText';
import type { Fix, TextEdit } from './types';

/** Applies non-overlapping edits (LSP semantics: all ranges refer to the original text). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const src = new SourceText(text);
  const withOffsets = edits.map((e, i) => ({ start: src.offsetAt(e.range.start), end: src.offsetAt(e.range.end), text: e.newText, i }));
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

function overlaps(a: readonly TextEdit[], b: readonly TextEdit[], src: SourceText): boolean {
  for (const x of a) {
    const xs = src.offsetAt(x.range.start);
    const xe = src.offsetAt(x.range.end);
    for (const y of b) {
      const ys = src.offsetAt(y.range.start);
      const ye = src.offsetAt(y.range.end);
      if (xs < ye && ys < xe) return true;
      if (xs === ys) return true; // two edits at one point: order would be ambiguous across fixes
    }
  }
  return false;
}

/** Picks fixes whose edits do not overlap any picked before (in the given order). */
export function compatibleFixes(text: string, fixes: readonly Fix[]): Fix[] {
  const src = new SourceText(text);
  const picked: Fix[] = [];
  for (const f of fixes) if (!picked.some((p) => overlaps(p.edits, f.edits, src))) picked.push(f);
  return picked;
}
