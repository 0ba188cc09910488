// Offsets ⇄ positions for one text, computed once. Lines end at \r\n, \n or a lone \r, as in
// Python and LSP; columns are UTF-16 code units (JavaScript string offsets), as in LSP.
// Every position conversion in the project goes through this module.
import type { Position, Range } from '../types';

/** Orders positions: by line, then by character. */
export const comparePos = (a: Position, b: Position): number => a.line - b.line || a.character - b.character;

export class LineIndex {
  /** Offset of the first character of each line; one more entry than line breaks. */
  private readonly starts: Uint32Array;
  /** The text's line ending (its first one; '\n' when it has none). */
  readonly eol: string;

  constructor(readonly text: string) {
    const starts: number[] = [0];
    let eol: string | undefined;
    if (!text.includes('\r')) {
      // The common case, by the string search built into the engine.
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = Uint32Array.from(starts);
      this.eol = '\n';
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13) {
        const crlf = text.charCodeAt(i + 1) === 10;
        eol ??= crlf ? '\r\n' : '\r';
        if (crlf) i++;
        starts.push(i + 1);
      } else if (c === 10) {
        eol ??= '\n';
        starts.push(i + 1);
      }
    }
    this.starts = Uint32Array.from(starts);
    this.eol = eol ?? '\n';
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))] ?? 0;
  }

  /** Offset just past the line's text, before its line ending. */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    let end = this.starts[line + 1] ?? this.text.length;
    if (end > 0 && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > 0 && this.text.charCodeAt(end - 1) === 13) end--;
    return Math.max(end, this.lineStart(line));
  }

  /** A line's text without its line ending ('' past the last line). */
  lineText(line: number): string {
    if (line < 0 || line >= this.starts.length) return '';
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  /** The line an offset is on (an offset inside a \r\n pair is on the line it ends). */
  lineAt(offset: number): number {
    return lastAtOrBelow(this.starts, offset);
  }

  position(offset: number): Position {
    const line = this.lineAt(offset);
    return { line, character: offset - this.lineStart(line) };
  }

  range(start: number, end: number): Range {
    const line = this.lineAt(start);
    const from = { line, character: start - this.lineStart(line) };
    // Most ranges end on the line they start on: one search, not two.
    const next = this.starts[line + 1];
    if (start <= end && (next === undefined || end < next))
      return { start: from, end: { line, character: end - this.lineStart(line) } };
    return { start: from, end: this.position(end) };
  }

  /** The offset of a position, clamped to its line (LSP: a character past the end means the end). */
  offset(p: Position): number {
    if (p.line >= this.starts.length) return this.text.length;
    if (p.line < 0) return 0;
    const start = this.lineStart(p.line);
    return Math.min(start + Math.max(0, p.character), this.lineEnd(p.line));
  }

  /** One level of indentation as the lines suggest: a tab, or the smallest space step seen. */
  indentUnitFromLines(): string {
    let best = 0;
    for (let line = 0; line < this.starts.length; line++) {
      const text = this.lineText(line);
      if (text.startsWith('\t')) return '\t';
      const m = /^( +)\S/.exec(text);
      const n = m?.[1]?.length ?? 0;
      if (n > 0 && (best === 0 || n < best)) best = n;
    }
    return ' '.repeat(best || 4);
  }
}

/** Leading whitespace of a line. */
export function indentation(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

/** The last index of a sorted array whose value is at most `value` (0 when none is). */
export function lastAtOrBelow(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((sorted[mid] ?? 0) <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
