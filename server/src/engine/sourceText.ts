// Line-level view of a document for building fixes: positions, indentation, line endings.
import type { Position } from './types';

export class SourceText {
  readonly lines: string[];
  readonly lineStarts: number[];
  /** The document's line ending (its first one; '\n' when it has none). */
  readonly eol: string;

  constructor(readonly text: string) {
    this.lines = [];
    this.lineStarts = [];
    const re = /\r\n|\n|\r/g;
    let start = 0;
    let m: RegExpExecArray | null;
    let eol: string | undefined;
    while ((m = re.exec(text))) {
      this.lineStarts.push(start);
      this.lines.push(text.slice(start, m.index));
      eol ??= m[0];
      start = m.index + m[0].length;
    }
    this.lineStarts.push(start);
    this.lines.push(text.slice(start));
    this.eol = eol ?? '\n';
  }

  line(i: number): string { return this.lines[i] ?? ''; }

  offsetAt(p: Position): number {
    const start = this.lineStarts[p.line];
    if (start === undefined) return this.text.length;
    return Math.min(start + p.character, start + this.line(p.line).length);
  }

  /** One level of indentation as the file writes it: a tab, or the smallest space step seen. */
  private unit: string | undefined;
  indentUnit(): string {
    this.unit ??= this.computeIndentUnit();
    return this.unit;
  }

  private computeIndentUnit(): string {
    let best = 0;
    for (const l of this.lines) {
      if (l.startsWith('\t')) return '\t';
      const m = /^( +)\S/.exec(l);
      const n = m?.[1]?.length ?? 0;
      if (n > 0 && (best === 0 || n < best)) best = n;
    }
    return ' '.repeat(best || 4);
  }
}

export function indentation(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}
