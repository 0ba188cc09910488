// The support matrix as JSON (a stable contract, documented in docs/cli.md): 1-based lines and
// columns (end column exclusive), versions as "x.y.z", an unbounded interval end as null. No
// timings or absolute paths, so output is reproducible.
import type { CiJob } from '../config/policy';
import { formatVersion } from '../data/version';
import type { VersionInterval } from '../engine/api';
import type { MatrixDistro, MatrixFeature, MatrixRow, SupportMatrix } from './matrixData';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Version of this JSON's shape; bumped when a field changes meaning or goes away. */
const matrixFormatVersion = 1;

const jsonInterval = (i: VersionInterval): Json => [
  formatVersion(i.lo),
  i.hi === Infinity ? null : formatVersion(i.hi),
];

function jsonJob(j: CiJob): Json {
  return {
    name: j.name,
    libvirt: formatVersion(j.libvirt),
    qemu: j.qemu === undefined ? null : formatVersion(j.qemu),
    kind: j.kind,
    preset: j.preset ?? null,
  };
}

function jsonDistro(d: MatrixDistro): Json {
  return {
    id: d.id,
    name: d.label,
    libvirt: formatVersion(d.libvirt),
    qemu: formatVersion(d.qemu),
    belowMinimum: d.belowMinimum,
  };
}

function jsonRow(r: MatrixRow): Json {
  return {
    file: r.file,
    line: r.range.start.line + 1,
    column: r.range.start.character + 1,
    endLine: r.range.end.line + 1,
    endColumn: r.range.end.character + 1,
    lines: [r.lines.start + 1, r.lines.end + 1],
    kind: r.kind,
    code: r.code,
    libvirt: jsonInterval(r.libvirt),
    qemu: jsonInterval(r.qemu),
    supportClass: r.supportClass,
    ci: { ...r.ci },
    distros: { ...r.distros },
    gated: r.gated,
    protected: r.protected,
    findings: [...r.findings],
    guards: r.guards.map((g) => ({
      file: g.file,
      line: g.line + 1,
      kind: g.kind,
      version: g.version === undefined ? null : formatVersion(g.version),
      text: g.text,
    })),
  };
}

function jsonFeature(f: MatrixFeature): Json {
  return {
    id: f.id,
    kind: f.kind,
    name: f.name,
    axis: f.axis,
    version: f.version === undefined ? null : formatVersion(f.version),
    paths: f.rows.map(jsonRow),
  };
}

/** The document, as a value. */
function matrixJson(m: SupportMatrix, toolVersion: string): Json {
  return {
    version: toolVersion,
    format: matrixFormatVersion,
    minimum: m.files ? { libvirt: formatVersion(m.minimum.libvirt), qemu: formatVersion(m.minimum.qemu) } : null,
    ci: m.jobs.map(jsonJob),
    distros: m.distros.map(jsonDistro),
    features: m.features.map(jsonFeature),
    skipped: m.skipped.map((s) => ({ file: s.file, reason: s.reason })),
    notes: m.notes.map((n) => ({ file: n.file, reason: n.reason })),
    summary: {
      files: m.files,
      paths: m.summary.paths,
      features: m.summary.features,
      byClass: { ...m.summary.byClass },
      gated: m.summary.gated,
      withFindings: m.summary.withFindings,
      findingsElsewhere: { ...m.summary.findingsElsewhere },
    },
  };
}

export function formatMatrixJson(m: SupportMatrix, toolVersion: string): string {
  return `${JSON.stringify(matrixJson(m, toolVersion), null, 2)}\n`;
}
