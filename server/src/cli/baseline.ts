// Baselines: accept today's findings, report only new ones. A finding is recorded by file,
// code, symbol and its line's text (never the line number), with a count so that the same
// line written twice is two findings; moving code up or down keeps it baselined.
import * as fs from 'node:fs';
import { fingerprintKey, fingerprintOf, type Fingerprint, type ReportedFinding } from './report';

interface BaselineEntry extends Fingerprint {
  readonly count: number;
}
export interface BaselineFile {
  readonly version: 1;
  readonly findings: readonly BaselineEntry[];
}

export class BaselineError extends Error {}

export function buildBaseline(findings: readonly ReportedFinding[]): BaselineFile {
  const counts = new Map<string, { fp: Fingerprint; count: number }>();
  for (const f of findings) {
    const fp = fingerprintOf(f);
    const key = fingerprintKey(fp);
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { fp, count: 1 });
  }
  const entries = [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, e]) => ({ ...e.fp, count: e.count }));
  return { version: 1, findings: entries };
}

export function serializeBaseline(baseline: BaselineFile): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/** Reads a baseline; any problem is one line naming the file. */
export function readBaseline(file: string, shownAs: string): BaselineFile {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new BaselineError(
      `--baseline ${shownAs}: ${err.code === 'ENOENT' ? 'no such file' : `not a baseline file (${err.code ?? err.message})`}`,
    );
  }
  const ok = (v: unknown): v is BaselineFile => {
    if (typeof v !== 'object' || v === null || (v as { version?: unknown }).version !== 1) return false;
    const list = (v as { findings?: unknown }).findings;
    return (
      Array.isArray(list) &&
      list.every((e: unknown) => {
        const x = e as Partial<Record<keyof BaselineEntry, unknown>>;
        return (
          typeof e === 'object' &&
          e !== null &&
          typeof x.file === 'string' &&
          typeof x.code === 'string' &&
          typeof x.symbol === 'string' &&
          typeof x.lineText === 'string' &&
          typeof x.count === 'number'
        );
      })
    );
  };
  if (!ok(data))
    throw new BaselineError(
      `--baseline ${shownAs}: not a libvirt-gate baseline (expected {"version": 1, "findings": [...]})`,
    );
  return data;
}

/** The findings the baseline does not account for, and how many it hid. */
export function applyBaseline(
  findings: readonly ReportedFinding[],
  baseline: BaselineFile,
): { findings: ReportedFinding[]; hidden: number } {
  const remaining = new Map<string, number>();
  for (const e of baseline.findings) {
    const key = fingerprintKey(e);
    remaining.set(key, (remaining.get(key) ?? 0) + e.count);
  }
  const kept: ReportedFinding[] = [];
  let hidden = 0;
  for (const f of findings) {
    const key = fingerprintKey(fingerprintOf(f));
    const left = remaining.get(key) ?? 0;
    if (left > 0) {
      remaining.set(key, left - 1);
      hidden++;
    } else kept.push(f);
  }
  return { findings: kept, hidden };
}
