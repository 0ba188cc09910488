// The SVG chart of the HTML report: versions on the x axis, one lane per feature with a bar
// over each interval its paths run on (coloured by support class, dashed when gated), and a
// vertical line per CI job and chosen release. The x axis is ordinal: one slot per version
// that bounds a bar or marks a job, so distant versions do not crush nearby ones. Colours are
// CSS classes (the page maps them to theme variables); no inline styles (the CSP forbids them).
import { formatVersion } from '../data/version';
import type { SupportClass, VersionInterval, VersionNumber } from '../engine/api';
import type { MatrixFeature, SupportMatrix } from './matrixData';

/** More lanes than this make an unreadable picture: the chart shows the first ones and says so. */
export const maxChartLanes = 150;

type Axis = 'libvirt' | 'qemu';

interface Segment {
  readonly lo: VersionNumber;
  readonly hi: VersionNumber;
  readonly cls: SupportClass;
  readonly gated: boolean;
  readonly paths: number;
}

interface Lane {
  readonly feature: MatrixFeature;
  /** Sub-lanes of segments that do not overlap. */
  readonly tracks: Segment[][];
}

interface Marker {
  readonly label: string;
  readonly version: VersionNumber;
  readonly kind: 'job' | 'distro';
  readonly detail: string;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const interval = (r: { readonly libvirt: VersionInterval; readonly qemu: VersionInterval }, axis: Axis) =>
  axis === 'libvirt' ? r.libvirt : r.qemu;

function lanesFor(features: readonly MatrixFeature[], axis: Axis): Lane[] {
  return features.map((feature) => {
    const segments = new Map<string, Segment>();
    for (const r of feature.rows) {
      const i = interval(r, axis);
      const key = `${i.lo}:${i.hi}:${r.supportClass}:${r.gated}`;
      const seen = segments.get(key);
      segments.set(key, { lo: i.lo, hi: i.hi, cls: r.supportClass, gated: r.gated, paths: (seen?.paths ?? 0) + 1 });
    }
    // Greedy packing, widest first: overlapping intervals get their own track.
    const sorted = [...segments.values()].sort((a, b) => a.lo - b.lo || b.hi - a.hi);
    const tracks: Segment[][] = [];
    for (const s of sorted) {
      const free = tracks.find((t) => t.every((o) => s.lo >= o.hi || s.hi <= o.lo));
      if (free) free.push(s);
      else tracks.push([s]);
    }
    return { feature, tracks };
  });
}

const labelWidth = 250;
const plotLeft = labelWidth + 10;
const plotRight = 950;
const width = 960;
const trackHeight = 14;
const laneGap = 6;
const markerRow = 13;
const charWidth = 6.2;

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One chart: features whose paths matter on `axis`, with the jobs and releases as markers. */
function chart(m: SupportMatrix, axis: Axis, features: readonly MatrixFeature[], total: number): string {
  const lanes = lanesFor(features, axis);
  const markers: Marker[] = [
    ...m.jobs.flatMap((j): Marker[] => {
      const v = axis === 'libvirt' ? j.libvirt : j.qemu;
      return v === undefined
        ? []
        : [{ label: j.name, version: v, kind: 'job', detail: `CI job ${j.name} (${j.kind})` }];
    }),
    ...m.distros.map((d): Marker => ({
      label: d.label,
      version: axis === 'libvirt' ? d.libvirt : d.qemu,
      kind: 'distro',
      detail: `${d.label}${d.belowMinimum ? ' (below the minimum)' : ''}`,
    })),
  ];
  const minimum = axis === 'libvirt' ? m.minimum.libvirt : m.minimum.qemu;
  const points = new Set<number>([minimum, ...markers.map((k) => k.version)]);
  for (const l of lanes)
    for (const t of l.tracks)
      for (const s of t) {
        points.add(s.lo);
        if (s.hi !== Infinity) points.add(s.hi);
      }
  const versions = [...points].sort((a, b) => a - b);
  // One slot per version, and one more for "newer" (an unbounded bar runs into it).
  const step = (plotRight - plotLeft) / (versions.length + 1);
  const slot = new Map(versions.map((v, i) => [v, i]));
  const x = (v: VersionNumber): number => (v === Infinity ? plotRight : plotLeft + (slot.get(v) ?? 0) * step);
  const fmt = (n: number): string => (Math.round(n * 10) / 10).toString();

  // Marker labels on rows at the top, a new row when a label would run into the one before.
  const sortedMarkers = [...markers].sort((a, b) => a.version - b.version || a.label.localeCompare(b.label));
  const rowEnds: number[] = [];
  const placed = sortedMarkers.map((k) => {
    const cx = x(k.version) + step / 2;
    const w = k.label.length * charWidth;
    let row = rowEnds.findIndex((end) => cx - 2 > end);
    if (row === -1) row = rowEnds.push(0) - 1;
    rowEnds[row] = cx + w;
    return { ...k, cx, row };
  });
  const top = 8 + Math.max(1, rowEnds.length) * markerRow + 4;
  const laneHeights = lanes.map((l) => l.tracks.length * trackHeight + laneGap);
  const plotBottom = top + laneHeights.reduce((a, b) => a + b, 0);
  const height = plotBottom + 48;

  const out: string[] = [];
  const title = axis === 'libvirt' ? 'libvirt' : 'QEMU';
  out.push(
    `<svg class="chart" viewBox="0 0 ${width} ${fmt(height)}" width="${width}" height="${fmt(height)}" role="img" aria-label="${title} versions each feature's paths run on, with CI jobs and releases" xmlns="http://www.w3.org/2000/svg">`,
  );
  // Alternate slot shading, so a bar's ends can be read against the axis.
  versions.forEach((v, i) => {
    if (i % 2)
      out.push(
        `<rect class="slot" x="${fmt(x(v))}" y="${top}" width="${fmt(step)}" height="${fmt(plotBottom - top)}"/>`,
      );
  });
  let y = top;
  lanes.forEach((lane, i) => {
    const f = lane.feature;
    const name = escapeXml(shorten(f.name, 38));
    out.push(
      `<g class="lane" data-feature="${escapeXml(f.name)}"><title>${escapeXml(f.name)}: ${f.rows.length} path${f.rows.length === 1 ? '' : 's'}</title>`,
      `<text class="lane-label" x="${labelWidth}" y="${fmt(y + trackHeight - 3)}" text-anchor="end">${name}</text>`,
    );
    lane.tracks.forEach((track, t) => {
      for (const s of track) {
        const x1 = x(s.lo);
        const x2 = x(s.hi);
        const range =
          s.hi === Infinity ? `≥ ${formatVersion(s.lo)}` : `[${formatVersion(s.lo)}, ${formatVersion(s.hi)})`;
        out.push(
          `<rect class="bar cls-${s.cls}${s.gated ? ' gated' : ''}${s.hi === Infinity ? ' open' : ''}" x="${fmt(x1)}" y="${fmt(y + t * trackHeight + 2)}" width="${fmt(Math.max(2, x2 - x1))}" height="${trackHeight - 4}" rx="2"><title>${escapeXml(f.name)}: ${title} ${range}, class ${s.cls}${s.gated ? ', gated' : ''} (${s.paths} path${s.paths === 1 ? '' : 's'})</title></rect>`,
        );
      }
    });
    out.push('</g>');
    y += laneHeights[i];
    if (i < lanes.length - 1)
      out.push(
        `<line class="lane-sep" x1="0" x2="${width}" y1="${fmt(y - laneGap / 2)}" y2="${fmt(y - laneGap / 2)}"/>`,
      );
  });
  // Axis: a tick and label per version (every n-th when they would crowd), "newer" at the end.
  out.push(`<line class="axis" x1="${plotLeft}" x2="${plotRight}" y1="${fmt(plotBottom)}" y2="${fmt(plotBottom)}"/>`);
  const every = Math.max(1, Math.ceil(12 / step));
  versions.forEach((v, i) => {
    const tx = x(v);
    out.push(
      `<line class="tick" x1="${fmt(tx)}" x2="${fmt(tx)}" y1="${fmt(plotBottom)}" y2="${fmt(plotBottom + 4)}"/>`,
    );
    if (i % every === 0)
      out.push(
        `<text class="tick-label" transform="translate(${fmt(tx + 3)} ${fmt(plotBottom + 8)}) rotate(45)">${formatVersion(v)}</text>`,
      );
  });
  out.push(
    `<text class="tick-label" x="${fmt(plotRight - 2)}" y="${fmt(plotBottom + 14)}" text-anchor="end">newer →</text>`,
  );
  for (const k of placed) {
    out.push(
      `<g class="marker ${k.kind}"><title>${escapeXml(k.detail)}: ${title} ${formatVersion(k.version)}</title>`,
      `<line x1="${fmt(k.cx)}" x2="${fmt(k.cx)}" y1="${fmt(8 + k.row * markerRow + 3)}" y2="${fmt(plotBottom)}"/>`,
      `<text x="${fmt(k.cx + 3)}" y="${fmt(8 + k.row * markerRow + 9)}">${escapeXml(k.label)}</text></g>`,
    );
  }
  out.push('</svg>');
  const shown =
    features.length < total
      ? `<p class="note">The chart shows the first ${features.length} of ${total} features (in table order); the table lists every path.</p>`
      : '';
  return `<h2>${title} versions</h2>\n${out.join('\n')}\n${shown}`;
}

/** The charts: libvirt for every feature, and QEMU for features whose paths depend on QEMU. */
export function matrixCharts(m: SupportMatrix): string {
  if (!m.features.length) return '';
  const libvirt = chart(m, 'libvirt', m.features.slice(0, maxChartLanes), m.features.length);
  const qemuFeatures = m.features.filter((f) => f.rows.some((r) => r.dependsOnQemu));
  const qemu = qemuFeatures.length ? chart(m, 'qemu', qemuFeatures.slice(0, maxChartLanes), qemuFeatures.length) : '';
  return [libvirt, qemu].filter(Boolean).join('\n');
}
