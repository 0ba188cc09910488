// The support matrix as one self-contained HTML page: a summary, the charts (matrixChart.ts)
// and a sortable, filterable table. No network: no external scripts, styles, fonts or images;
// a Content-Security-Policy allows only the page's own style and script (by hash in a file,
// by nonce in the VS Code webview). Colours are CSS variables that fall back to light or dark
// defaults (prefers-color-scheme) and that VS Code's theme variables override in the webview.
import { createHash } from 'node:crypto';
import type { CiJob } from '../config/policy';
import { formatVersion } from '../data/version';
import { escapeXml, matrixCharts } from './matrixChart';
import { featureTitle, intervalText, type MatrixFeature, type MatrixRow, type SupportMatrix } from './matrixData';
import { matrixScript } from './matrixScript';
import { minimumText } from './matrixText';

export interface MatrixHtmlOptions {
  readonly toolVersion: string;
  /** In a VS Code webview: its CSP source and a fresh nonce; rows then carry their file's URI for opening. */
  readonly webview?: { readonly nonce: string; readonly cspSource: string };
}

const style = `:root {
  color-scheme: light dark;
  --lvg-fg: var(--vscode-foreground, #1f2328);
  --lvg-bg: var(--vscode-editor-background, #ffffff);
  --lvg-muted: var(--vscode-descriptionForeground, #59636e);
  --lvg-border: var(--vscode-panel-border, #d1d9e0);
  --lvg-stripe: var(--vscode-editorWidget-background, #f6f8fa);
  --lvg-hover: var(--vscode-list-hoverBackground, #eaeef2);
  --lvg-focus: var(--vscode-focusBorder, #0969da);
  --lvg-input-bg: var(--vscode-input-background, #ffffff);
  --lvg-input-fg: var(--vscode-input-foreground, #1f2328);
  --lvg-input-border: var(--vscode-input-border, #d1d9e0);
  --lvg-class-a: var(--vscode-charts-green, #1a7f37);
  --lvg-class-b: var(--vscode-charts-yellow, #bf8700);
  --lvg-class-c: var(--vscode-charts-red, #cf222e);
  --lvg-job: var(--vscode-charts-blue, #0969da);
  --lvg-distro: var(--vscode-charts-purple, #8250df);
  --lvg-font: var(--vscode-font-family, system-ui, -apple-system, "Segoe UI", sans-serif);
  --lvg-mono: var(--vscode-editor-font-family, ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace);
}
@media (prefers-color-scheme: dark) {
  :root {
    --lvg-fg: var(--vscode-foreground, #e6edf3);
    --lvg-bg: var(--vscode-editor-background, #0d1117);
    --lvg-muted: var(--vscode-descriptionForeground, #9198a1);
    --lvg-border: var(--vscode-panel-border, #3d444d);
    --lvg-stripe: var(--vscode-editorWidget-background, #151b23);
    --lvg-hover: var(--vscode-list-hoverBackground, #262c36);
    --lvg-focus: var(--vscode-focusBorder, #4493f8);
    --lvg-input-bg: var(--vscode-input-background, #0d1117);
    --lvg-input-fg: var(--vscode-input-foreground, #e6edf3);
    --lvg-input-border: var(--vscode-input-border, #3d444d);
    --lvg-class-a: var(--vscode-charts-green, #3fb950);
    --lvg-class-b: var(--vscode-charts-yellow, #d29922);
    --lvg-class-c: var(--vscode-charts-red, #f85149);
    --lvg-job: var(--vscode-charts-blue, #4493f8);
    --lvg-distro: var(--vscode-charts-purple, #ab7df8);
  }
}
body { margin: 0; padding: 16px 24px; background: var(--lvg-bg); color: var(--lvg-fg); font: 13px/1.45 var(--lvg-font); }
h1 { font-size: 18px; margin: 0 0 4px; }
h2 { font-size: 14px; margin: 20px 0 6px; }
p { margin: 4px 0; }
code, .mono { font-family: var(--lvg-mono); font-size: 12px; }
.muted, .note { color: var(--lvg-muted); }
details.charts > summary { cursor: pointer; color: var(--lvg-muted); margin-top: 12px; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; list-style: none; padding: 0; margin: 8px 0; }
.chip { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.chip.cls-A, .badge.cls-A { background: var(--lvg-class-a); }
.chip.cls-B, .badge.cls-B { background: var(--lvg-class-b); }
.chip.cls-C, .badge.cls-C { background: var(--lvg-class-c); }
.chip.gated { background: transparent; border: 1px dashed var(--lvg-fg); width: 8px; height: 8px; }
.chip.job { background: var(--lvg-job); width: 3px; }
.chip.distro { background: var(--lvg-distro); width: 3px; }
svg.chart { display: block; width: 100%; max-width: 960px; height: auto; font: 11px var(--lvg-font); }
svg.chart text { fill: var(--lvg-fg); }
svg.chart .lane-label { font-family: var(--lvg-mono); }
svg.chart .lane { cursor: pointer; }
svg.chart .lane:hover .lane-label { fill: var(--lvg-focus); }
svg.chart .slot { fill: var(--lvg-stripe); }
svg.chart .lane-sep { stroke: var(--lvg-border); stroke-width: 0.5; }
svg.chart .axis, svg.chart .tick { stroke: var(--lvg-muted); }
svg.chart .tick-label { fill: var(--lvg-muted); font-size: 10px; }
svg.chart .bar.cls-A { fill: var(--lvg-class-a); }
svg.chart .bar.cls-B { fill: var(--lvg-class-b); }
svg.chart .bar.cls-C { fill: var(--lvg-class-c); }
svg.chart .bar.gated { fill-opacity: 0.45; stroke: var(--lvg-fg); stroke-dasharray: 3 2; stroke-width: 1; }
svg.chart .marker line { stroke-width: 1.5; }
svg.chart .marker.job line { stroke: var(--lvg-job); }
svg.chart .marker.job text { fill: var(--lvg-job); }
svg.chart .marker.distro line { stroke: var(--lvg-distro); stroke-dasharray: 4 3; }
svg.chart .marker.distro text { fill: var(--lvg-distro); }
.controls { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 12px; margin: 8px 0; position: sticky; top: 0; background: var(--lvg-bg); padding: 6px 0; z-index: 1; }
input[type=search], select { background: var(--lvg-input-bg); color: var(--lvg-input-fg); border: 1px solid var(--lvg-input-border); border-radius: 2px; padding: 3px 6px; font: inherit; }
input[type=search] { min-width: 260px; }
input:focus, select:focus, button:focus-visible, tr:focus { outline: 1px solid var(--lvg-focus); outline-offset: -1px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--lvg-border); white-space: nowrap; vertical-align: top; }
th { position: sticky; top: 40px; background: var(--lvg-bg); z-index: 1; }
th button { all: unset; cursor: pointer; font-weight: 600; }
th[aria-sort=ascending] button::after { content: " ▲"; font-size: 9px; }
th[aria-sort=descending] button::after { content: " ▼"; font-size: 9px; }
td.code { max-width: 28em; overflow: hidden; text-overflow: ellipsis; color: var(--lvg-muted); }
td.yes { color: var(--lvg-class-a); }
td.no, td.na { color: var(--lvg-muted); }
tbody tr:nth-child(even) { background: var(--lvg-stripe); }
tbody tr:hover { background: var(--lvg-hover); }
tr[data-uri] { cursor: pointer; }
.badge { display: inline-block; min-width: 16px; text-align: center; border-radius: 3px; color: var(--lvg-bg); font-weight: 600; }
.findings { font-family: var(--lvg-mono); font-size: 12px; }
`;

const esc = escapeXml;
const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

function jobSummary(j: CiJob): string {
  return `${j.name} (${j.kind}): libvirt ${formatVersion(j.libvirt)}${j.qemu === undefined ? '' : `, QEMU ${formatVersion(j.qemu)}`}`;
}

function csp(options: MatrixHtmlOptions, script: string): string {
  if (options.webview) {
    const { nonce, cspSource } = options.webview;
    return `default-src 'none'; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'`;
  }
  const hash = (s: string): string => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
  return `default-src 'none'; style-src ${hash(style)}; script-src ${hash(script)}; base-uri 'none'; form-action 'none'`;
}

function cell(value: boolean | undefined, title: string): string {
  if (value === undefined) return `<td class="na" title="${esc(title)}: not a job of this file's config">n/a</td>`;
  return value
    ? `<td class="yes" title="${esc(title)} runs it">✓</td>`
    : `<td class="no" title="${esc(title)} does not run it">—</td>`;
}

function rowHtml(m: SupportMatrix, feature: MatrixFeature, r: MatrixRow, index: number, links: boolean): string {
  const line = r.range.start.line + 1;
  const attrs = [
    `data-file="${esc(r.file)}"`,
    `data-line="${line}"`,
    `data-column="${r.range.start.character + 1}"`,
    `data-end-line="${r.range.end.line + 1}"`,
    `data-end-column="${r.range.end.character + 1}"`,
    `data-class="${r.supportClass}"`,
    `data-gated="${r.gated ? 'yes' : 'no'}"`,
    `data-findings="${r.findings.join(' ')}"`,
    ...(links ? [`data-uri="${esc(r.uri)}"`, 'tabindex="0"'] : []),
  ];
  const cells = [
    `<td data-v="${index}" title="${esc(featureTitle(feature))}"><code>${esc(feature.name)}</code></td>`,
    `<td data-v="${esc(r.file)}\t${String(line).padStart(9, '0')}"><code>${esc(r.file)}:${line}</code></td>`,
    `<td${guardTitle(r)}>${r.kind}</td>`,
    `<td data-v="${r.libvirt.lo}" class="mono">${esc(intervalText(r.libvirt))}</td>`,
    `<td data-v="${r.qemu.lo}" class="mono">${esc(intervalText(r.qemu))}</td>`,
    ...m.jobs.map((j) => cell(r.ci[j.name], `CI job ${j.name}`)),
    ...m.distros.map((d) => cell(r.distros[d.id], d.label)),
    `<td><span class="badge cls-${r.supportClass}">${r.supportClass}</span></td>`,
    `<td>${r.gated ? 'yes' : 'no'}</td>`,
    `<td class="findings">${r.findings.join(' ')}</td>`,
    `<td class="code" title="${esc(r.code)}"><code>${esc(r.code)}</code></td>`,
  ];
  return `<tr ${attrs.join(' ')}>${cells.join('')}</tr>`;
}

/** The guards on a path, as the Path cell's tooltip. */
function guardTitle(r: MatrixRow): string {
  if (!r.guards.length) return '';
  const list = r.guards.map((g) => `${g.text} (${g.kind}, ${g.file}:${g.line + 1})`).join('; ');
  return ` title="${esc(`guards: ${list}`)}"`;
}

function sortable(label: string, type: 'text' | 'number' = 'text'): string {
  return `<th aria-sort="none" data-type="${type}"><button type="button">${label}</button></th>`;
}

export function formatMatrixHtml(m: SupportMatrix, options: MatrixHtmlOptions): string {
  const script = matrixScript;
  const nonce = options.webview ? ` nonce="${esc(options.webview.nonce)}"` : '';
  const s = m.summary;
  const summary = s.paths
    ? `${plural(s.paths, 'version-dependent path')} in ${plural(s.features, 'feature')}, ${plural(m.files, 'file')}: class A ${s.byClass.A}, B ${s.byClass.B}, C ${s.byClass.C}; ${s.gated} gated; ${s.withFindings} with findings.`
    : `No version-dependent code paths in ${plural(m.files, 'file')}.`;
  const elsewhere = Object.entries(s.findingsElsewhere);
  const legend = [
    '<li><span class="chip cls-A"></span>A: an upstream CI job runs it</li>',
    '<li><span class="chip cls-B"></span>B: only a third-party job</li>',
    '<li><span class="chip cls-C"></span>C: no CI job (must be gated)</li>',
    '<li><span class="chip gated"></span>gated (behind the opt-in gate)</li>',
    ...m.jobs.map((j) => `<li><span class="chip job"></span>${esc(jobSummary(j))}</li>`),
    ...m.distros.map(
      (d) =>
        `<li><span class="chip distro"></span>${esc(d.label)}: libvirt ${formatVersion(d.libvirt)}, QEMU ${formatVersion(d.qemu)}${d.belowMinimum ? ' (below the minimum)' : ''}</li>`,
    ),
  ];
  const header = [
    sortable('Feature', 'number'),
    sortable('Location'),
    sortable('Path'),
    sortable('libvirt', 'number'),
    sortable('QEMU', 'number'),
    ...m.jobs.map((j) => sortable(esc(j.name))),
    ...m.distros.map((d) => sortable(esc(d.label))),
    sortable('Class'),
    sortable('Gated'),
    sortable('Findings'),
    '<th>Code</th>',
  ];
  const charts = matrixCharts(m);
  let index = 0;
  const body = m.features.flatMap((f) => f.rows.map((r) => rowHtml(m, f, r, index++, Boolean(options.webview))));
  const notes = [
    ...(elsewhere.length
      ? [`${elsewhere.map(([c, n]) => `${c}: ${n}`).join(', ')} on no version-dependent path (see libvirt-gate check).`]
      : []),
    ...m.skipped.map((x) => `${x.file}: skipped: ${x.reason}`),
    ...m.notes.map((x) => `${x.file}: ${x.reason}`),
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp(options, script)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="libvirt-gate ${esc(options.toolVersion)}">
<title>libvirt-gate support matrix</title>
<style${nonce}>${style}</style>
</head>
<body>
<h1>libvirt-gate support matrix</h1>
<p>${esc(summary)}${m.files ? ` ${esc(minimumText(m).replace(/^m/, 'M'))}.` : ''}</p>
<ul class="legend">${legend.join('')}</ul>
${charts ? `<details class="charts" open><summary>Chart</summary>\n${charts}\n</details>` : ''}
${notes.map((n) => `<p class="note">${esc(n)}</p>`).join('\n')}
${
  s.paths
    ? `<h2>Paths</h2>
<div class="controls">
<input type="search" id="filter" placeholder="Filter: file, feature, code, LVG001…" aria-label="Filter rows">
<select id="class-filter" aria-label="Support class"><option value="">All classes</option><option value="A">Class A</option><option value="B">Class B</option><option value="C">Class C</option></select>
<select id="gated-filter" aria-label="Gated"><option value="">Gated or not</option><option value="yes">Gated</option><option value="no">Not gated</option></select>
<label><input type="checkbox" id="findings-only"> With findings</label>
<span id="count" class="muted">${plural(s.paths, 'path')}</span>
</div>
<table id="matrix">
<thead><tr>${header.join('')}</tr></thead>
<tbody>
${body.join('\n')}
</tbody>
</table>`
    : ''
}
<script${nonce}>${script}</script>
</body>
</html>
`;
}
