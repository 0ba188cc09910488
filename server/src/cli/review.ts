// Review mode (--diff-base REV): the run analyzes the whole tree as always (cross-file facts
// stay complete); only the report, the exit status and --fix keep to findings on lines that
// are new since REV. A finding is new when a line of its range is new.
import * as path from 'node:path';
import type { Finding } from '../engine/api';
import { applyBaseline, type BaselineFile } from './baseline';
import type { CheckedFile } from './check';
import { newToOldLines } from './diff';
import { gitChanges, type GitRun, type ReviewBase } from './gitDiff';
import type { CheckReport, FileNote, ReportedFinding } from './report';

/** 0-based lines that are new in some text of a file, or all of them. */
export type NewLines = ReadonlySet<number> | 'all';

const noLines: ReadonlySet<number> = new Set();

export class ReviewScope {
  constructor(
    /** REV as given ("auto", "origin/main"). */
    readonly rev: string,
    readonly bases: readonly ReviewBase[],
    /** By absolute path: 1-based new lines of the file as git saw it, or 'all'. */
    private readonly files: ReadonlyMap<string, readonly number[] | 'all'>,
  ) {}

  static fromGit(rev: string, paths: readonly string[], cwd: string, run: GitRun): ReviewScope {
    const changes = gitChanges(rev, paths, cwd, run);
    return new ReviewScope(rev, changes.bases, changes.files);
  }

  /** Whether the file has any new line (its notes and skipped-file reports are shown). */
  touches(file: string): boolean {
    const change = this.files.get(file);
    return change === 'all' || (change !== undefined && change.length > 0);
  }

  /**
   * The new lines of `text`, a version of `file` whose on-disk text (what git compared) is
   * `original`. After --fix, a line the fix kept is new when it was; a line it wrote is new
   * (the base does not have it either).
   */
  newLines(file: string, original: string, text: string = original): NewLines {
    const change = this.files.get(file);
    if (change === 'all') return 'all';
    const onDisk = change ? new Set(change.map((line) => line - 1)) : noLines;
    if (text === original) return onDisk;
    const out = new Set<number>();
    newToOldLines(original, text).forEach((old, i) => {
      if (old === undefined || onDisk.has(old)) out.add(i);
    });
    return out;
  }
}

/** A finding is new when any line of its range is (an end at column 0 is the line before's end). */
export function isNewFinding(finding: Finding, lines: NewLines): boolean {
  if (lines === 'all') return true;
  const { start, end } = finding.range;
  const last = end.line > start.line && end.character === 0 ? end.line - 1 : end.line;
  for (let line = start.line; line <= last; line++) if (lines.has(line)) return true;
  return false;
}

/** "1a2b3c4d5e6f" for the report; git's own abbreviation would need another call. */
function short(commit: string): string {
  return commit.slice(0, 12);
}

/** "origin/main (1a2b3c4d5e6f)", per repository when there are several. */
function describeBases(scope: ReviewScope, cwd: string): string {
  return scope.bases
    .map((b) => {
      const where = scope.bases.length > 1 ? ` in ${path.relative(cwd, b.top) || '.'}` : '';
      return `${b.how} (${short(b.commit)})${where}`;
    })
    .join(', ');
}

/**
 * The report of a review run: findings on new lines, minus what the baseline accounts for.
 * The baseline is matched against findings on unchanged lines first, so that a recorded
 * finding is not "used up" by a new copy of the same line.
 */
export function reviewReport(
  report: CheckReport,
  files: readonly CheckedFile[],
  scope: ReviewScope,
  baseline: BaselineFile | undefined,
): CheckReport {
  const byFile = new Map(files.map((c) => [c.file, c]));
  const linesOf = new Map<string, NewLines>();
  const fresh: ReportedFinding[] = [];
  const old: ReportedFinding[] = [];
  for (const f of report.findings) {
    let lines = linesOf.get(f.file);
    if (!lines) {
      const c = byFile.get(f.file);
      lines = c ? scope.newLines(c.file, c.source.text, c.text) : noLines;
      linesOf.set(f.file, lines);
    }
    (isNewFinding(f.finding, lines) ? fresh : old).push(f);
  }
  let findings = fresh;
  if (baseline) {
    const kept = new Set(applyBaseline([...old, ...fresh], baseline).findings);
    findings = fresh.filter((f) => kept.has(f));
  }
  const shown = (n: FileNote): boolean => scope.touches(path.resolve(report.cwd, n.path));
  return {
    ...report,
    findings,
    baselined: fresh.length - findings.length,
    skipped: report.skipped.filter(shown),
    notes: report.notes.filter(shown),
    review: { rev: scope.rev, bases: scope.bases, description: describeBases(scope, report.cwd), hidden: old.length },
  };
}
