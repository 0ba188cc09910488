// --fix / --diff: applies fixes in rounds. Each round takes the fixes whose edits do not
// touch an edit already taken, applies them, and re-analyzes; a skipped fix gets its turn
// in the next round (up to maxRounds). Suppressions are never applied automatically.
import { applyTextEdits, editsTouch, type Finding, type Fix, type TextEdit } from '../engine/api';

const maxRounds = 5;

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

/**
 * The fix `--fix` would apply for a finding: the preferred eligible one, else the first. A fix
 * that also edits other files is left to the editor: fixing works one file at a time.
 */
export function chooseFix(finding: Finding, unsafe: boolean): Fix | undefined {
  const eligible = finding.fixes.filter(
    (f) => f.kind !== 'suppress' && (f.safe || unsafe) && f.edits.length > 0 && !f.otherFiles?.length,
  );
  return eligible.find((f) => f.preferred) ?? eligible[0];
}

/** One round: applies every chosen fix that touches no fix taken before it. */
export function applyRound(
  text: string,
  findings: readonly Finding[],
  options: FixOptions,
): { text: string; applied: number } {
  const taken: TextEdit[] = [];
  let applied = 0;
  for (const finding of findings) {
    const fix = chooseFix(finding, options.unsafe);
    if (!fix) continue;
    if (fix.edits.some((e) => taken.some((t) => editsTouch(e, t)))) continue;
    taken.push(
      ...fix.edits.map((e) => (options.eol === '\r\n' ? { ...e, newText: e.newText.replace(/\r?\n/g, '\r\n') } : e)),
    );
    applied++;
  }
  return { text: applyTextEdits(text, taken), applied };
}

/**
 * Fixes one document. `analyze` re-runs the engine on a new text (and refreshes the index);
 * `initial` are the findings of `text` already computed.
 */
export function fixDocument(
  text: string,
  initial: readonly Finding[],
  analyze: (text: string) => readonly Finding[],
  options: FixOptions,
): FixResult {
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
