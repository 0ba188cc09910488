// The support matrix as an aligned text table (a terminal) and as Markdown (a review comment,
// the project's docs). Rows are grouped under their feature.
import type { CiJob } from '../config/policy';
import { formatVersion } from '../data/version';
import type { SupportClass } from '../engine/api';
import { featureTitle, intervalText, type MatrixRow, type SupportMatrix } from './matrixData';

export interface MatrixTextStyle {
  readonly color: boolean;
}

const ansi = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33 } as const;
const classColor: Readonly<Record<SupportClass, keyof typeof ansi>> = { A: 'green', B: 'yellow', C: 'red' };

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function jobText(j: CiJob): string {
  return `${j.name} (${j.kind}: libvirt ${formatVersion(j.libvirt)}${j.qemu === undefined ? '' : `, QEMU ${formatVersion(j.qemu)}`})`;
}

function headline(m: SupportMatrix): string {
  return m.summary.paths
    ? `${plural(m.summary.paths, 'version-dependent path')} in ${plural(m.summary.features, 'feature')}, ${plural(m.files, 'file')}`
    : `no version-dependent code paths in ${plural(m.files, 'file')}`;
}

/** "minimum libvirt 8.0.0, QEMU 6.2.0", saying so when configs differ and this is the lowest. */
export function minimumText(m: SupportMatrix): string {
  const text = `minimum libvirt ${formatVersion(m.minimum.libvirt)}, QEMU ${formatVersion(m.minimum.qemu)}`;
  return m.minimums > 1 ? `${text} (the lowest of ${m.minimums} configs)` : text;
}

function policyLine(m: SupportMatrix): string {
  const min = m.files ? `${minimumText(m)}; ` : '';
  return `${min}CI: ${m.jobs.length ? m.jobs.map(jobText).join('; ') : 'none'}`;
}

function classLine(m: SupportMatrix): string {
  const s = m.summary;
  return `class A: ${s.byClass.A}, B: ${s.byClass.B}, C: ${s.byClass.C}; ${s.gated} gated; ${s.withFindings} with findings`;
}

function elsewhereLine(m: SupportMatrix): string | undefined {
  const entries = Object.entries(m.summary.findingsElsewhere);
  if (!entries.length) return undefined;
  const n = entries.reduce((sum, [, k]) => sum + k, 0);
  return `${plural(n, 'finding')} on no version-dependent path (${entries.map(([c, k]) => `${c}: ${k}`).join(', ')}): see libvirt-gate check`;
}

function cell(value: boolean | undefined, yes: string, no: string): string {
  return value === undefined ? 'n/a' : value ? yes : no;
}

const location = (r: MatrixRow): string => `${r.file}:${r.range.start.line + 1}`;

export function formatMatrixText(m: SupportMatrix, style: MatrixTextStyle): string {
  const paint = (c: keyof typeof ansi, s: string): string => (style.color ? `\u001b[${ansi[c]}m${s}\u001b[0m` : s);
  const out = [`libvirt-gate support matrix: ${headline(m)}`, policyLine(m)];
  if (m.summary.paths) out.push(classLine(m));
  if (m.summary.paths) {
    const header = [
      'location',
      'path',
      'libvirt',
      'QEMU',
      ...m.jobs.map((j) => j.name),
      ...m.distros.map((d) => d.id),
      'class',
      'gated',
      'findings',
    ];
    const body = m.features.map((f) => ({
      title: featureTitle(f),
      rows: f.rows.map((r) => [
        location(r),
        r.kind,
        intervalText(r.libvirt),
        intervalText(r.qemu),
        ...m.jobs.map((j) => cell(r.ci[j.name], 'yes', 'no')),
        ...m.distros.map((d) => cell(r.distros[d.id], 'yes', 'no')),
        r.supportClass,
        r.gated ? 'yes' : 'no',
        r.findings.join(', '),
      ]),
    }));
    const widths = header.map((h, i) => Math.max(h.length, ...body.flatMap((g) => g.rows.map((r) => r[i].length))));
    const classColumn = header.length - 3;
    const line = (cells: readonly string[], color?: (i: number, s: string) => string): string =>
      `  ${cells
        .map((c, i) => {
          const padded = i === cells.length - 1 ? c : c.padEnd(widths[i]);
          return color ? color(i, padded) : padded;
        })
        .join('  ')}`.trimEnd();
    out.push('', paint('bold', line(header)));
    for (const g of body) {
      out.push(paint('bold', g.title));
      for (const r of g.rows)
        out.push(line(r, (i, s) => (i === classColumn ? paint(classColor[r[i] as SupportClass], s) : s)).trimEnd());
    }
  }
  const tail = [
    ...(elsewhereLine(m) ? [elsewhereLine(m) as string] : []),
    ...m.skipped.map((s) => `${s.file}: note: skipped: ${s.reason}`),
    ...m.notes.map((n) => `${n.file}: note: ${n.reason}`),
  ];
  if (tail.length) out.push('', ...tail);
  return `${out.join('\n')}\n`;
}

/** A cell's text in a Markdown table: pipes escaped, no line breaks. */
function md(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Inline code, with a longer fence when the text holds a backtick. */
function mdCode(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  const pad = fence.length > 1 ? ' ' : '';
  return `${fence}${pad}${md(text)}${pad}${fence}`;
}

export function formatMatrixMarkdown(m: SupportMatrix): string {
  const out = ['## libvirt-gate support matrix', ''];
  const sentences = [`${headline(m).replace(/^no/, 'No')}.`, `${policyLine(m).replace(/^minimum/, 'Minimum')}.`];
  if (m.summary.paths) sentences.push(`${classLine(m).replace(/^class/, 'Class')}.`);
  out.push(sentences.join(' '));
  if (m.summary.paths) {
    const header = [
      'feature',
      'location',
      'path',
      'libvirt',
      'QEMU',
      ...m.jobs.map((j) => mdCode(j.name)),
      ...m.distros.map((d) => md(d.label)),
      'class',
      'gated',
      'findings',
    ];
    const align = header.map((_, i) => (i >= 5 && i < header.length - 1 ? ':-:' : '---'));
    out.push('', `| ${header.join(' | ')} |`, `|${align.join('|')}|`);
    for (const f of m.features) {
      f.rows.forEach((r, i) => {
        const feature = i === 0 ? `${mdCode(f.name)} ${md(featureTitle(f).slice(f.name.length + 1))}` : '';
        const cells = [
          feature,
          mdCode(location(r)),
          r.kind,
          md(intervalText(r.libvirt)),
          md(intervalText(r.qemu)),
          ...m.jobs.map((j) => cell(r.ci[j.name], '✓', '—')),
          ...m.distros.map((d) => cell(r.distros[d.id], '✓', '—')),
          r.supportClass,
          r.gated ? 'yes' : 'no',
          r.findings.join(', '),
        ];
        out.push(`| ${cells.join(' | ')} |`);
      });
    }
    out.push(
      '',
      '✓: the CI job (or a host on the release) runs the path; —: it does not; n/a: not a job of that file’s config. ' +
        'Class A: an upstream CI job runs it; B: only a third-party job; C: no job.',
    );
  }
  const tail = [
    ...(elsewhereLine(m) ? [`${md(elsewhereLine(m) as string)}.`] : []),
    ...m.skipped.map((s) => `${mdCode(s.file)}: skipped: ${md(s.reason)}.`),
    ...m.notes.map((n) => `${mdCode(n.file)}: ${md(n.reason)}.`),
  ];
  if (tail.length) out.push('', ...tail.map((t) => `- ${t}`));
  return `${out.join('\n')}\n`;
}
