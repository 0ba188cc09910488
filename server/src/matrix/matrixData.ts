// The support matrix as data: the engine's version-dependent paths of every file, grouped by
// feature (a MIN_* constant or check expression, the gate, a libvirt symbol), with one column
// per CI job and per chosen distribution release. Pure: the CLI and the language server build
// it from their analyses, and every output format renders it.
import type { CiJob, Policy } from '../config/policy';
import { defaultDistros, isPreset, presets, presetsRunning } from '../config/presets';
import { formatVersion } from '../data/version';
import type { GuardFact, PathFacts, Range, SupportClass, VersionInterval, VersionNumber } from '../engine/api';

/** One analyzed file. */
export interface MatrixFileInput {
  /** Shown to the user: relative to the working or workspace folder, '/'-separated. */
  readonly file: string;
  /** Where the editor opens it. */
  readonly uri: string;
  /** The text of a 0-based line (each row shows the line its path starts on). */
  readonly lineText: (line: number) => string;
  readonly policy: Policy;
  readonly paths: readonly PathFacts[];
  /** Codes of every finding in the file, to count those on no path. */
  readonly findingCodes: readonly string[];
}

/** A file not analyzed (binary, too large) or analyzed with a caveat. */
export interface MatrixFileNote {
  readonly file: string;
  readonly reason: string;
}

type FeatureKind = 'check' | 'gate' | 'symbol' | 'xml';
type PathKind = PathFacts['kind'];

export interface MatrixRow {
  readonly file: string;
  readonly uri: string;
  /** 0-based, like the engine's. */
  readonly range: Range;
  readonly lines: { readonly start: number; readonly end: number };
  readonly kind: PathKind;
  /** The source line the path starts on, trimmed and shortened. */
  readonly code: string;
  readonly libvirt: VersionInterval;
  readonly qemu: VersionInterval;
  /** Its QEMU interval is narrower than the file's minimum allows (a QEMU check guards it). */
  readonly dependsOnQemu: boolean;
  readonly supportClass: SupportClass;
  /** Each CI job of the file's policy: does it run the path? Jobs of other configs are absent. */
  readonly ci: Readonly<Record<string, boolean>>;
  /** Each chosen release: would a host on it run the path? */
  readonly distros: Readonly<Record<string, boolean>>;
  readonly gated: boolean;
  readonly protected: boolean;
  readonly findings: readonly string[];
  /** The guards on the path, outermost first (version checks, helpers, callers, the gate, hasattr). */
  readonly guards: readonly MatrixGuard[];
}

interface MatrixGuard {
  readonly kind: GuardFact['kind'];
  readonly file: string;
  /** 0-based. */
  readonly line: number;
  readonly version: VersionNumber | undefined;
  readonly text: string;
}

export interface MatrixFeature {
  /** Stable: `check:MIN_LIBVIRT_X_VERSION`, `gate:CONF.libvirt.enable_untested_features`, `symbol:virDomain.rename`. */
  readonly id: string;
  readonly kind: FeatureKind;
  readonly name: string;
  /** The axis a check tests (symbols: libvirt); null when unknown. */
  readonly axis: 'libvirt' | 'qemu' | null;
  /** The version a check asks for, or the symbol's; undefined for the gate. */
  readonly version: VersionNumber | undefined;
  readonly rows: readonly MatrixRow[];
}

export interface MatrixDistro {
  readonly id: string;
  readonly label: string;
  readonly libvirt: VersionNumber;
  readonly qemu: VersionNumber;
  /** Below the lowest minimum supported libvirt or QEMU: the driver does not run there at all. */
  readonly belowMinimum: boolean;
}

export interface SupportMatrix {
  /** The lowest minimum over the files' policies. */
  readonly minimum: { readonly libvirt: VersionNumber; readonly qemu: VersionNumber };
  /** How many different minimums the files' configs set (more than one: `minimum` is the lowest). */
  readonly minimums: number;
  /** CI jobs of every policy, by name, in order of first appearance. */
  readonly jobs: readonly CiJob[];
  readonly distros: readonly MatrixDistro[];
  readonly features: readonly MatrixFeature[];
  readonly files: number;
  readonly skipped: readonly MatrixFileNote[];
  readonly notes: readonly MatrixFileNote[];
  readonly summary: MatrixSummary;
}

interface MatrixSummary {
  readonly paths: number;
  readonly features: number;
  readonly byClass: Readonly<Record<SupportClass, number>>;
  readonly gated: number;
  readonly withFindings: number;
  /** Findings on no version-dependent path (unknown symbols, checks whose result is stored), by code. */
  readonly findingsElsewhere: Readonly<Record<string, number>>;
}

export interface MatrixOptions {
  /** Presets to add as columns (unknown names are the caller's to reject). */
  readonly distros?: readonly string[];
  readonly skipped?: readonly MatrixFileNote[];
  readonly notes?: readonly MatrixFileNote[];
  /** How to show a guard's file (a helper may sit in a file not in the matrix); default: its URI. */
  readonly displayUri?: (uri: string) => string;
}

const featureKindOrder: Readonly<Record<FeatureKind, number>> = { check: 0, gate: 1, symbol: 2, xml: 3 };
const pathKindOrder: Readonly<Record<PathKind, number>> = {
  if: 0,
  and: 1,
  or: 2,
  elif: 3,
  else: 4,
  after: 5,
  use: 6,
};

const minConstant = /\bMIN_[A-Z0-9_]+\b/g;

/** `self._host.has_min_version((1, 2, 14))` → `has_min_version((1, 2, 14))`: the receiver is noise. */
function withoutReceiver(text: string): string {
  const m = /^(not\s+)?[A-Za-z_][\w.]*\.([A-Za-z_]\w*\(.*)$/s.exec(text);
  return m ? `${m[1] ?? ''}${m[2]}` : text;
}

/** What a path depends on: its symbol, the MIN_* constants (or expression) of its check, or the gate. */
function featureOf(p: PathFacts, code: string): Omit<MatrixFeature, 'rows'> {
  if (p.kind === 'use' && p.symbol) {
    const name = p.symbol.python;
    return { id: `symbol:${name}`, kind: 'symbol', name, axis: 'libvirt', version: p.symbol.since };
  }
  if (p.kind === 'use' && p.xml) {
    // Dated on libvirt, else (documented for QEMU only) on QEMU.
    const name = p.xml.xpath;
    const onLibvirt = p.xml.dated && p.xml.since > 0;
    const version = onLibvirt ? p.xml.since : (p.xml.qemuSince ?? 0);
    return { id: `xml:${name}`, kind: 'xml', name, axis: onLibvirt ? 'libvirt' : 'qemu', version };
  }
  const guard = p.guard;
  const text = (guard?.text ?? code).replace(/\s+/g, ' ').trim();
  if (guard?.kind === 'gate') return { id: `gate:${text}`, kind: 'gate', name: text, axis: null, version: undefined };
  const constants = [...new Set(text.match(minConstant) ?? [])];
  const name = constants.length ? constants.join(', ') : withoutReceiver(text);
  return { id: `check:${name}`, kind: 'check', name, axis: guard?.axis ?? null, version: guard?.version };
}

function shortLine(text: string): string {
  const line = text.trim().replace(/\s+/g, ' ');
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

/** A file's lines, split once and only when asked for. */
export function linesOf(text: string): (line: number) => string {
  let lines: string[] | undefined;
  return (line) => (lines ??= text.split(/\r\n|\n|\r/))[line] ?? '';
}

function compareRows(a: MatrixRow, b: MatrixRow): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    pathKindOrder[a.kind] - pathKindOrder[b.kind]
  );
}

function compareFeatures(a: MatrixFeature, b: MatrixFeature): number {
  const axis = (f: MatrixFeature): number => (f.axis === 'qemu' ? 1 : 0);
  return (
    featureKindOrder[a.kind] - featureKindOrder[b.kind] ||
    axis(a) - axis(b) ||
    (a.version ?? 0) - (b.version ?? 0) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

export function buildMatrix(files: readonly MatrixFileInput[], options: MatrixOptions = {}): SupportMatrix {
  const jobs = new Map<string, CiJob>();
  for (const f of files) for (const j of f.policy.ci) if (!jobs.has(j.name)) jobs.set(j.name, j);
  const minimum = files.length
    ? {
        libvirt: Math.min(...new Set(files.map((f) => f.policy.minLibvirt))),
        qemu: Math.min(...new Set(files.map((f) => f.policy.minQemu))),
      }
    : { libvirt: 0, qemu: 0 };
  const distros: MatrixDistro[] = [...new Set(options.distros ?? [])].filter(isPreset).map((id) => ({
    id,
    label: presets[id].label,
    libvirt: presets[id].libvirt,
    qemu: presets[id].qemu,
    belowMinimum: files.length > 0 && (presets[id].libvirt < minimum.libvirt || presets[id].qemu < minimum.qemu),
  }));

  const features = new Map<string, { head: Omit<MatrixFeature, 'rows'>; rows: MatrixRow[] }>();
  const shown = new Map(files.map((f) => [f.uri, f.file]));
  const display = options.displayUri ?? ((uri: string) => uri);
  const elsewhere = new Map<string, number>();
  for (const f of files) {
    const onPaths = new Map<string, number>();
    for (const p of f.paths) {
      const code = shortLine(f.lineText(p.range.start.line));
      const head = featureOf(p, code);
      let group = features.get(head.id);
      if (!group) features.set(head.id, (group = { head, rows: [] }));
      const libvirt = p.interval.libvirt;
      const qemu = p.interval.qemu;
      group.rows.push({
        file: f.file,
        uri: f.uri,
        range: p.range,
        lines: p.lines,
        kind: p.kind,
        code,
        libvirt,
        qemu,
        dependsOnQemu: qemu.lo > f.policy.minQemu || qemu.hi !== Infinity,
        supportClass: p.supportClass,
        ci: Object.fromEntries(f.policy.ci.map((j) => [j.name, p.jobs.includes(j.name)])),
        distros: Object.fromEntries(distros.map((d) => [d.id, presetsRunning(libvirt, qemu, [d.id]).length > 0])),
        gated: p.gated,
        protected: p.protected,
        findings: p.findings,
        guards: p.guards.map((g) => ({
          kind: g.kind,
          file: shown.get(g.uri) ?? display(g.uri),
          line: g.range.start.line,
          version: g.version,
          text: g.text,
        })),
      });
      for (const c of p.findings) onPaths.set(c, (onPaths.get(c) ?? 0) + 1);
    }
    for (const c of f.findingCodes) {
      const left = onPaths.get(c) ?? 0;
      if (left > 0) onPaths.set(c, left - 1);
      else elsewhere.set(c, (elsewhere.get(c) ?? 0) + 1);
    }
  }

  const list: MatrixFeature[] = [...features.values()]
    .map(({ head, rows }) => ({ ...head, rows: rows.sort(compareRows) }))
    .sort(compareFeatures);
  const rows = list.flatMap((f) => f.rows);
  const byClass: Record<SupportClass, number> = { A: 0, B: 0, C: 0 };
  for (const r of rows) byClass[r.supportClass]++;
  return {
    minimum,
    minimums: new Set(files.map((f) => `${f.policy.minLibvirt}/${f.policy.minQemu}`)).size,
    jobs: [...jobs.values()],
    distros,
    features: list,
    files: files.length,
    skipped: options.skipped ?? [],
    notes: options.notes ?? [],
    summary: {
      paths: rows.length,
      features: list.length,
      byClass,
      gated: rows.filter((r) => r.gated).length,
      withFindings: rows.filter((r) => r.findings.length > 0).length,
      findingsElsewhere: Object.fromEntries([...elsewhere].sort(([a], [b]) => (a < b ? -1 : 1))),
    },
  };
}

/**
 * The releases the policies' `distros` keys name, in order, once each. A policy that does not
 * set the key holds the defaults themselves (the hovers' list): those are not columns unless asked for.
 */
export function configuredDistros(policies: Iterable<Policy>): string[] {
  const names: string[] = [];
  for (const p of policies) {
    if (!p.distros || p.distros === defaultDistros) continue;
    for (const d of p.distros) if (!names.includes(d)) names.push(d);
  }
  return names;
}

/** "≥ 1.2.14", "[1.0.0, 1.2.14)". */
export function intervalText(i: VersionInterval): string {
  return i.hi === Infinity ? `≥ ${formatVersion(i.lo)}` : `[${formatVersion(i.lo)}, ${formatVersion(i.hi)})`;
}

/** The feature as a heading: "MIN_LIBVIRT_X_VERSION (check, libvirt ≥ 1.2.14)". */
export function featureTitle(f: MatrixFeature): string {
  const axis = f.axis === 'qemu' ? 'QEMU' : 'libvirt';
  const detail =
    f.kind === 'symbol'
      ? `symbol, since libvirt ${formatVersion(f.version ?? 0)}`
      : f.kind === 'xml'
        ? `XML, since ${axis} ${formatVersion(f.version ?? 0)}`
        : f.kind === 'gate'
          ? 'opt-in gate'
          : f.version === undefined
            ? 'check'
            : `check, ${axis} ≥ ${formatVersion(f.version)}`;
  return `${f.name} (${detail})`;
}
