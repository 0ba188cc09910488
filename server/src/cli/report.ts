// What a `check` run produced, independent of the output format, and the fingerprint that
// identifies a finding across edits (baselines, SARIF partialFingerprints).
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigWarning } from '../config/excludePatterns';
import type { ResolvedPolicy } from '../config/loadConfig';
import type { Finding, Severity } from '../engine/api';
import type { ReviewBase } from './gitDiff';

export interface ReportedFinding {
  readonly file: string;
  /** Relative to the working folder, with '/' separators. */
  readonly path: string;
  readonly finding: Finding;
  /** Text of the finding's first line (fingerprints use it instead of a line number). */
  readonly lineText: string;
}

export interface FileNote {
  readonly path: string;
  readonly reason: string;
}

export interface CheckReport {
  readonly toolVersion: string;
  readonly cwd: string;
  /** Policy of the first file's config (or of the working folder when no file was checked). */
  readonly policy: ResolvedPolicy;
  /** Sorted by path, line, column, code. */
  readonly findings: readonly ReportedFinding[];
  readonly filesChecked: number;
  readonly skipped: readonly FileNote[];
  readonly notes: readonly FileNote[];
  /** Config problems that do not stop the run (an exclude pattern that matches nothing). */
  readonly warnings: readonly ConfigWarning[];
  /** Findings hidden because the baseline records them. */
  readonly baselined: number;
  readonly fixes?: { readonly applied: number; readonly files: number };
  /** Review mode (--diff-base): only findings on lines new since the base are in `findings`. */
  readonly review?: ReviewSummary;
  readonly seconds: number;
}

interface ReviewSummary {
  /** REV as given ("auto", "origin/main"). */
  readonly rev: string;
  readonly bases: readonly ReviewBase[];
  /** "origin/main (1a2b3c4d5e6f)". */
  readonly description: string;
  /** Findings on lines that are not new, left out of the report. */
  readonly hidden: number;
}

export const severityRank: Readonly<Record<Severity, number>> = { hint: 0, info: 1, warning: 2, error: 3 };

export function displayRel(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return (rel && !path.isAbsolute(rel) ? rel : file).split(path.sep).join('/');
}

/** A guard's or related location's uri as a path relative to cwd. */
export function uriToDisplayPath(cwd: string, uri: string): string {
  return displayRel(cwd, uri.startsWith('file:') ? fileURLToPath(uri) : uri);
}

export function compareFindings(a: ReportedFinding, b: ReportedFinding): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  const ra = a.finding.range.start;
  const rb = b.finding.range.start;
  return (
    ra.line - rb.line ||
    ra.character - rb.character ||
    (a.finding.code < b.finding.code ? -1 : a.finding.code > b.finding.code ? 1 : 0)
  );
}

/** Whitespace-insensitive line text: re-indenting or shifting code keeps the fingerprint. */
function normalizeLineText(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

export interface Fingerprint {
  readonly file: string;
  readonly code: string;
  readonly symbol: string;
  readonly lineText: string;
}

export function fingerprintOf(f: ReportedFinding): Fingerprint {
  return {
    file: f.path,
    code: f.finding.code,
    symbol: f.finding.symbol?.python ?? f.finding.xml?.xpath ?? '',
    lineText: normalizeLineText(f.lineText),
  };
}

export function fingerprintKey(fp: Fingerprint): string {
  return JSON.stringify([fp.file, fp.code, fp.symbol, fp.lineText]);
}

export function fingerprintHash(fp: Fingerprint): string {
  return createHash('sha256').update(fingerprintKey(fp)).digest('hex').slice(0, 32);
}

export function countByCode(findings: readonly ReportedFinding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.finding.code, (counts.get(f.finding.code) ?? 0) + 1);
  return new Map([...counts].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Skipped files and notes together, as reports that list both alike show them: skipped ones first, said so. */
export function fileNotices(report: Pick<CheckReport, 'skipped' | 'notes'>): FileNote[] {
  return [...report.skipped.map((s) => ({ path: s.path, reason: `skipped: ${s.reason}` })), ...report.notes];
}
