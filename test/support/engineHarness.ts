// Runs the engine on fixtures the way the editor and the CLI do, and renders findings and
// fixes as a stable text snapshot (exact ranges, messages, and the lines each fix changes).
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  analyzeDocument,
  applyTextEdits,
  initParser,
  parsePython,
  summaryOptionsFor,
  WorkspaceIndex,
  type AnalysisResult,
  type AnalyzeOptions,
  type Finding,
} from '../../server/src/engine/api';
import type { Policy } from '../../server/src/config/policy';
import { examplePolicy, v } from './examplePolicy';

export const fixturesDir = path.join(__dirname, '..', 'fixtures');

export async function ready(): Promise<void> {
  await initParser();
}

/** Optional `<name>.policy.json` beside a fixture: fields that differ from the examples' policy. */
export function fixturePolicy(file: string): Policy {
  const overrides = file.replace(/\.py$/, '.policy.json');
  if (!fs.existsSync(overrides)) return examplePolicy;
  const raw = JSON.parse(fs.readFileSync(overrides, 'utf8')) as Record<string, unknown>;
  const p: Record<string, unknown> = { ...examplePolicy, ...raw };
  if (typeof raw.minLibvirt === 'string') p.minLibvirt = v(raw.minLibvirt);
  if (typeof raw.minQemu === 'string') p.minQemu = v(raw.minQemu);
  if (Array.isArray(raw.ci)) {
    p.ci = (raw.ci as { name: string; libvirt: string; qemu?: string; kind: string }[]).map((j) => ({
      name: j.name,
      libvirt: v(j.libvirt),
      ...(j.qemu ? { qemu: v(j.qemu) } : {}),
      kind: j.kind,
    }));
  }
  return p as unknown as Policy;
}

export function uriOf(file: string): string {
  return `file://${file}`;
}

/**
 * The files of a fixture's `<name>.workspace/` folder (none when it has none), as paths
 * relative to it, packages included (`vmlib/devices/disk.py`), sorted.
 */
export function workspaceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

/**
 * Analyzes a fixture with an index of its `<name>.workspace/` files, if any; `workspace` gives
 * other texts for some of them (by uri), as a fix that edits them would leave them.
 */
export function analyzeFixture(
  file: string,
  policy = fixturePolicy(file),
  text = fs.readFileSync(file, 'utf8'),
  workspace: ReadonlyMap<string, string> = new Map(),
  options: AnalyzeOptions = {},
): AnalysisResult {
  const index = new WorkspaceIndex(summaryOptionsFor([policy]));
  index.setFile(uriOf(file), text);
  const extra = file.replace(/\.py$/, '.workspace');
  for (const f of workspaceFiles(extra)) {
    const uri = uriOf(path.join(extra, f));
    index.setFile(uri, workspace.get(uri) ?? fs.readFileSync(path.join(extra, f), 'utf8'));
  }
  return analyzeDocument({ uri: uriOf(file), text }, index, policy, options);
}

const pos = (p: { line: number; character: number }) => `${p.line + 1}:${p.character + 1}`;

export function renderFinding(f: Finding): string {
  return `${pos(f.range.start)}-${pos(f.range.end)} ${f.code} ${f.severity}: ${f.message}`;
}

/** The lines a fix changes, as `- old` / `+ new` (a whole-file diff would bury them). */
export function renderFixDiff(before: string, after: string): string[] {
  const a = before.split(/\r?\n/);
  const b = after.split(/\r?\n/);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length - 1;
  let endB = b.length - 1;
  while (endA >= start && endB >= start && a[endA] === b[endB]) {
    endA--;
    endB--;
  }
  const out = [`@@ line ${start + 1}`];
  for (let i = start; i <= endA; i++) out.push(`- ${a[i]}`);
  for (let i = start; i <= endB; i++) out.push(`+ ${b[i]}`);
  return out;
}

/**
 * A ruff-style code frame: the finding's first line with carets under its range (to the end of
 * that line when the range goes on), so a snapshot shows what is flagged, not only where.
 */
export function codeFrame(sourceLines: readonly string[], range: Finding['range']): string[] {
  const n = range.start.line;
  const line = (sourceLines[n] ?? '').replace(/\t/g, ' ');
  const gutter = String(n + 1);
  const pad = ' '.repeat(gutter.length);
  const end = range.end.line === n ? range.end.character : line.length;
  const width = Math.max(1, end - range.start.character);
  return [`  ${gutter} | ${line}`.trimEnd(), `  ${pad} | ${' '.repeat(range.start.character)}${'^'.repeat(width)}`];
}

export function renderSnapshot(text: string, result: AnalysisResult): string {
  const lines: string[] = [];
  const sourceLines = text.split(/\r\n|\n|\r/);
  for (const f of result.findings) {
    lines.push(renderFinding(f));
    lines.push(...codeFrame(sourceLines, f.range));
    for (const r of f.related) lines.push(`  related ${pos(r.range.start)}: ${r.message}`);
    for (const u of f.unnecessary) lines.push(`  unnecessary ${pos(u.start)}-${pos(u.end)}`);
    for (const fix of f.fixes) {
      lines.push(`  fix (${fix.safe ? 'safe' : 'unsafe'}${fix.preferred ? ', preferred' : ''}): ${fix.title}`);
      if (!fix.edits.length && !fix.otherFiles?.length) lines.push('    (no edits)');
      if (fix.edits.length)
        for (const l of renderFixDiff(text, applyTextEdits(text, fix.edits))) lines.push(`    ${l}`);
      for (const other of fix.otherFiles ?? []) {
        const otherFile = other.uri.replace(/^file:\/\//, '');
        const otherText = fs.readFileSync(otherFile, 'utf8');
        lines.push(`    in ${path.basename(otherFile)}:`);
        for (const l of renderFixDiff(otherText, applyTextEdits(otherText, other.edits))) lines.push(`    ${l}`);
      }
    }
  }
  if (result.suppressed) lines.push(`(${result.suppressed} suppressed)`);
  if (!result.findings.length && !result.suppressed) lines.push('(no findings)');
  return `${lines.join('\n')}\n`;
}

export function allFixtureFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && !e.name.endsWith('.workspace')) walk(p);
      else if (e.isFile() && e.name.endsWith('.py')) out.push(p);
    }
  };
  for (const d of ['examples', 'rules']) if (fs.existsSync(path.join(fixturesDir, d))) walk(path.join(fixturesDir, d));
  return out;
}

export function syntaxErrorCount(text: string): number {
  return parsePython(text).problems.length;
}
