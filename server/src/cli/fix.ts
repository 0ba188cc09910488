// --fix / --diff: applies fixes in rounds. Each round takes the fixes whose edits do not
// touch an edit already taken, applies them, and re-analyses; a skipped fix gets its turn
// in the next round (up to maxRounds). Suppressions are never applied automatically.
import type { Finding, Fix, Position } from '../engine/api';

export const maxRounds = 5;

export interface FixOptions {
  readonly unsafe: boolean;
  /** Line ending to write inserted line breaks with (the file's own). */
  readonly eol: '\n' | '\r\n';
  /** Review mode: which findings of a text may be fixed (those on lines new since the base). */
  readonly only?: (text: string) => (finding: Finding) => boolean;
}

export interface FixResult {
  readonly text: string;
  readonly applied: number;
  /** Findings of the final text. */
  readonly findings: readonly Finding[];
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function offsetAt(starts: readonly number[], text: string, p: Position): number {
  if (p.line >= starts.length) return text.length;
  return Math.min(starts[p.line] + p.character, p.line + 1 < starts.length ? starts[p.line + 1] : text.length);
}

/** The fix `--fix` would apply for a finding: the preferred eligible one, else the first. */
export function chooseFix(finding: Finding, unsafe: boolean): Fix | undefined {
  const eligible = finding.fixes.filter((f) => f.kind !== 'suppress' && (f.safe || unsafe) && f.edits.length > 0);
  return eligible.find((f) => f.preferred) ?? eligible[0];
}

interface Span { readonly start: number; readonly end: number; readonly newText: string }

/** One round: applies every chosen, non-overlapping fix to `text`. */
export function applyRound(text: string, findings: readonly Finding[], options: FixOptions): { text: string; applied: number } {
  const starts = lineStarts(text);
  const taken: Span[] = [];
  let applied = 0;
  for (const finding of findings) {
    const fix = chooseFix(finding, options.unsafe);
    if (!fix) continue;
    const spans = fix.edits.map((e) => ({
      start: offsetAt(starts, text, e.range.start),
      end: offsetAt(starts, text, e.range.end),
      newText: options.eol === '\r\n' ? e.newText.replace(/\r?\n/g, '\r\n') : e.newText,
    }));
    // Touching counts as overlapping: two insertions at one point have no defined order.
    const clashes = spans.some((s) => taken.some((t) => s.start <= t.end && t.start <= s.end));
    if (clashes) continue;
    taken.push(...spans);
    applied++;
  }
  taken.sort((a, b) => b.start - a.start);
  let out = text;
  for (const s of taken) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
  return { text: out, applied };
}

/**
 * Fixes one document. `analyze` re-runs the engine on a new text (and refreshes the index);
 * `initial` are the findings of `text` already computed.
 */
export function fixDocument(text: string, initial: readonly Finding[], analyze: (text: string) => readonly Finding[], options: FixOptions): FixResult {
  let current = text;
  let findings = initial;
  let applied = 0;
  for (let round = 0; round < maxRounds; round++) {
    const eligible = options.only?.(current);
    const next = applyRound(current, eligible ? findings.filter(eligible) : findings, options);
    if (next.applied === 0 || next.text === current) break;
    applied += next.applied;
    current = next.text;
    findings = analyze(current);
  }
  return { text: current, applied, findings };
}
