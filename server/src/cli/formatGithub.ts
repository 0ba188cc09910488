// GitHub Actions workflow commands: annotations on the pull request's diff.
import type { Severity } from '../engine/api';
import { jsonRange } from './formatJson';
import type { CheckReport } from './report';

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

export function formatGithub(report: CheckReport): string {
  const lines = report.findings.map((r) => {
    const p = jsonRange(r.finding.range);
    const props = `file=${escapeProperty(r.path)},line=${p.line},col=${p.column},endLine=${p.endLine},endColumn=${p.endColumn},title=${escapeProperty(r.finding.code)}`;
    return `::${commandFor[r.finding.severity]} ${props}::${escapeData(r.finding.message)}`;
  });
  for (const s of report.skipped)
    lines.push(`::notice file=${escapeProperty(s.path)},title=libvirt-gate::${escapeData(`skipped: ${s.reason}`)}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}
