// The JSON format (contract in docs/cli.md): 1-based lines and columns (end column exclusive),
// versions as "x.y.z", an unbounded interval end as null. No timings, so output is reproducible.
import { formatConfigWarning, type ConfigWarning } from '../config/excludePatterns';
import type { Policy } from '../config/policy';
import { formatVersion } from '../data/version';
import type { Finding, Range, SymbolFacts, VersionInterval } from '../engine/api';
import { lazyMap, prettyJsonChunks } from './jsonChunks';
import { countByCode, displayRel, uriToDisplayPath, type CheckReport, type ReportedFinding } from './report';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export function jsonRange(range: Range): { line: number; column: number; endLine: number; endColumn: number } {
  return {
    line: range.start.line + 1,
    column: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

function jsonInterval(i: VersionInterval): Json {
  return [formatVersion(i.lo), i.hi === Infinity ? null : formatVersion(i.hi)];
}

function jsonPolicy(policy: Policy, configFile: string | null): Json {
  return {
    configFile,
    minVersion: formatVersion(policy.minLibvirt),
    minVersionSource: policy.minLibvirtSource,
    minQemuVersion: formatVersion(policy.minQemu),
    minQemuVersionSource: policy.minQemuSource,
    ci: policy.ci.map((j) => ({
      name: j.name,
      libvirt: formatVersion(j.libvirt),
      qemu: j.qemu === undefined ? null : formatVersion(j.qemu),
      kind: j.kind,
      ...(j.preset ? { preset: j.preset } : {}),
    })),
    gate: [...policy.gates],
    versionChecks: [...policy.versionChecks],
    receivers: { ...policy.receivers },
    untestedIncludesClassB: policy.untestedIncludesClassB,
    select: policy.select ? [...policy.select] : null,
    ignore: [...policy.ignore],
    severity: { ...policy.severities },
  };
}

/** Why the receiver was taken for its class; null for module members (`libvirt.X`) and findings without a symbol. */
function jsonReceiverVia(symbol: SymbolFacts | undefined): Json {
  const via = symbol?.receiverVia;
  if (!symbol || !via) return null;
  return {
    kind: via.kind,
    text: via.text,
    line: via.range.start.line + 1,
    producer: via.producer ? { symbol: via.producer.python, since: formatVersion(via.producer.since) } : null,
    candidates: symbol.candidates
      ? symbol.candidates.map((c) => ({ symbol: c.python, since: formatVersion(c.since) }))
      : null,
  };
}

function jsonFinding(cwd: string, r: ReportedFinding): Json {
  const f: Finding = r.finding;
  return {
    file: r.path,
    ...jsonRange(f.range),
    code: f.code,
    severity: f.severity,
    message: f.message,
    messageId: f.messageId,
    symbol: f.symbol?.python ?? f.xml?.xpath ?? null,
    cName: f.symbol?.cName ?? null,
    since: f.symbol ? formatVersion(f.symbol.since) : f.xml?.dated ? formatVersion(f.xml.since) : null,
    receiverVia: jsonReceiverVia(f.symbol),
    interval: { libvirt: jsonInterval(f.interval.libvirt), qemu: jsonInterval(f.interval.qemu) },
    supportClass: f.supportClass ?? null,
    guards: f.guards.map((g) => ({
      file: uriToDisplayPath(cwd, g.uri),
      line: g.range.start.line + 1,
      kind: g.kind,
      version: g.version === undefined ? null : formatVersion(g.version),
    })),
    fixes: f.fixes.map((x) => ({
      title: x.title,
      safe: x.safe,
      edits: x.edits.map((e) => ({ ...jsonRange(e.range), newText: e.newText })),
      // Only on fixes that also edit other files (the opt-in option's declaration).
      ...(x.otherFiles?.length
        ? {
            otherFiles: x.otherFiles.map((o) => ({
              file: uriToDisplayPath(cwd, o.uri),
              edits: o.edits.map((e) => ({ ...jsonRange(e.range), newText: e.newText })),
            })),
          }
        : {}),
    })),
  };
}

/** A config warning: where it is (a config file, or null for a command-line flag) and what. */
export function jsonWarning(cwd: string, w: ConfigWarning): Json {
  const o = w.origin;
  return {
    id: w.id,
    message: formatConfigWarning(w, cwd),
    file: o.kind === 'file' ? displayRel(cwd, o.file) : null,
    line: o.kind === 'file' ? (o.line ?? null) : null,
    column: o.kind === 'file' ? (o.column ?? null) : null,
    pattern: w.pattern,
    base: w.base,
  };
}

/** The JSON report in pieces, each finding converted as it is written (see jsonChunks.ts). */
export function formatJsonChunks(report: CheckReport): Iterable<string> {
  const doc: Json = {
    version: report.toolVersion,
    policy: jsonPolicy(
      report.policy.policy,
      report.policy.configFile ? displayRel(report.cwd, report.policy.configFile) : null,
    ),
    diffBase: report.review
      ? {
          rev: report.review.rev,
          bases: report.review.bases.map((b) => ({
            repository: b.top === report.cwd ? '.' : displayRel(report.cwd, b.top),
            commit: b.commit,
            how: b.how,
          })),
        }
      : null,
    findings: [], // written an item at a time
    skipped: report.skipped.map((s) => ({ file: s.path, reason: s.reason })),
    notes: report.notes.map((s) => ({ file: s.path, reason: s.reason })),
    warnings: report.warnings.map((w) => jsonWarning(report.cwd, w)),
    summary: {
      files: report.filesChecked,
      findings: report.findings.length,
      byCode: Object.fromEntries(countByCode(report.findings)),
      baselined: report.baselined,
      outsideDiff: report.review?.hidden ?? 0,
      fixesApplied: report.fixes?.applied ?? 0,
    },
  };
  return prettyJsonChunks(
    doc,
    ['findings'],
    lazyMap(report.findings, (f) => jsonFinding(report.cwd, f)),
  );
}
