// GitHub Actions workflow commands: annotations on the pull request's diff.
import { formatConfigWarning, type ConfigWarning } from '../config/excludePatterns';
import type { Severity } from '../engine/api';
import { jsonRange } from './formatJson';
import { displayRel, fileNotices, type CheckReport } from './report';

const commandFor: Readonly<Record<Severity, string>> = {
  error: 'error',
  warning: 'warning',
  info: 'notice',
  hint: 'notice',
};

/** Escaping from the runner's source (command data vs property values). */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::warning file=pyproject.toml,line=8,col=12,endColumn=22,title=libvirt-gate::...` (no file for a flag). */
function warningLine(report: CheckReport, w: ConfigWarning): string {
  const o = w.origin;
  const props: string[] = [];
  if (o.kind === 'file') {
    props.push(`file=${escapeProperty(displayRel(report.cwd, o.file))}`);
    if (o.line !== undefined) props.push(`line=${o.line}`);
    if (o.column !== undefined) props.push(`col=${o.column}`);
    if (o.endColumn !== undefined) props.push(`endColumn=${o.endColumn}`);
  }
  props.push('title=libvirt-gate');
  return `::warning ${props.join(',')}::${escapeData(formatConfigWarning(w, report.cwd))}`;
}

export function formatGithub(report: CheckReport): string {
  const lines = report.warnings.map((w) => warningLine(report, w));
  const findings = report.findings.map((r) => {
    const p = jsonRange(r.finding.range);
    const props = `file=${escapeProperty(r.path)},line=${p.line},col=${p.column},endLine=${p.endLine},endColumn=${p.endColumn},title=${escapeProperty(r.finding.code)}`;
    return `::${commandFor[r.finding.severity]} ${props}::${escapeData(r.finding.message)}`;
  });
  for (const f of findings) lines.push(f);
  for (const n of fileNotices(report))
    lines.push(`::notice file=${escapeProperty(n.path)},title=libvirt-gate::${escapeData(n.reason)}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}
