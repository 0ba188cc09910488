// The human format: one `path:line:col: CODE message [since X, class C]` line per finding,
// notes for skipped files, and a summary line.
import { formatVersion } from '../data/version';
import type { Severity } from '../engine/api';
import { countByCode, plural, type CheckReport } from './report';

export interface TextStyle {
  readonly color: boolean;
}

const codes = { bold: 1, red: 31, yellow: 33, blue: 34, dim: 2 } as const;
const severityColor: Readonly<Record<Severity, keyof typeof codes>> = {
  error: 'red',
  warning: 'yellow',
  info: 'blue',
  hint: 'dim',
};

export function formatText(report: CheckReport, style: TextStyle): string {
  const paint = (c: keyof typeof codes, s: string): string => (style.color ? `\u001b[${codes[c]}m${s}\u001b[0m` : s);
  const out: string[] = [];
  for (const r of report.findings) {
    const f = r.finding;
    const facts = [
      ...(f.symbol ? [`since ${formatVersion(f.symbol.since)}`] : []),
      ...(f.xml?.dated ? [`since ${formatVersion(f.xml.since)}`] : []),
      ...(f.supportClass ? [`class ${f.supportClass}`] : []),
    ];
    const where = `${r.path}:${f.range.start.line + 1}:${f.range.start.character + 1}:`;
    out.push(
      `${paint('bold', where)} ${paint(severityColor[f.severity], f.code)} ${f.message}${facts.length ? ` [${facts.join(', ')}]` : ''}`,
    );
  }
  for (const s of report.skipped) out.push(`${s.path}: note: skipped: ${s.reason}`);
  for (const n of report.notes) out.push(`${n.path}: note: ${n.reason}`);
  out.push(summaryLine(report));
  if (report.review)
    out.push(
      `only lines changed since ${report.review.description}: ${plural(report.review.hidden, 'finding')} on other lines not shown`,
    );
  if (report.baselined) out.push(`${plural(report.baselined, 'finding')} hidden by the baseline`);
  if (report.fixes)
    out.push(`${plural(report.fixes.applied, 'fix', 'fixes')} applied in ${plural(report.fixes.files, 'file')}`);
  return `${out.join('\n')}\n`;
}

function summaryLine(report: CheckReport): string {
  const counts = [...countByCode(report.findings)].map(([code, n]) => `${code}: ${n}`);
  return `${plural(report.filesChecked, 'file')} checked, ${plural(report.findings.length, 'finding')}${counts.length ? ` (${counts.join(', ')})` : ''} in ${report.seconds.toFixed(2)} s`;
}
