// CI presets: the libvirt and QEMU versions a distribution release runs, so a policy can say
// `preset = "ubuntu-24.04"` instead of repeating version numbers, and hovers can say which
// releases run a path. Where each version comes from, and when it was checked, is in
// docs/configuration.md (a test keeps that table and this one equal).
import type { VersionNumber } from '../data/featureDb';
import { closest } from './configError';
import type { CiJob, CiKind } from './policy';

export interface Preset {
  readonly libvirt: VersionNumber;
  readonly qemu: VersionNumber;
  /** How people name the release: "Ubuntu 24.04", "RHEL 9.6". */
  readonly label: string;
}

/**
 * One entry per release, grouped by family, oldest first. RHEL is named by minor release
 * (rhel-9.6, not rhel-9): a minor release fixes its versions, a major release does not.
 * Debian moves QEMU along upstream's stable branch in point releases: its entries are what a
 * fully updated host ran when checked.
 */
export const presets: Readonly<Record<string, Preset>> = {
  'ubuntu-14.04': { libvirt: 1_002_002, qemu: 2_000_000, label: 'Ubuntu 14.04' },
  'ubuntu-16.04': { libvirt: 1_003_001, qemu: 2_005_000, label: 'Ubuntu 16.04' },
  'ubuntu-18.04': { libvirt: 4_000_000, qemu: 2_011_001, label: 'Ubuntu 18.04' },
  'ubuntu-20.04': { libvirt: 6_000_000, qemu: 4_002_001, label: 'Ubuntu 20.04' },
  'ubuntu-22.04': { libvirt: 8_000_000, qemu: 6_002_000, label: 'Ubuntu 22.04' },
  'ubuntu-24.04': { libvirt: 10_000_000, qemu: 8_002_002, label: 'Ubuntu 24.04' },
  'debian-11': { libvirt: 7_000_000, qemu: 5_002_000, label: 'Debian 11' },
  'debian-12': { libvirt: 9_000_000, qemu: 7_002_022, label: 'Debian 12' },
  'debian-13': { libvirt: 11_003_000, qemu: 10_000_013, label: 'Debian 13' },
  'rhel-8.10': { libvirt: 8_000_000, qemu: 6_002_000, label: 'RHEL 8.10' },
  'rhel-9.0': { libvirt: 8_000_000, qemu: 6_002_000, label: 'RHEL 9.0' },
  'rhel-9.2': { libvirt: 9_000_000, qemu: 7_002_000, label: 'RHEL 9.2' },
  'rhel-9.4': { libvirt: 10_000_000, qemu: 8_002_000, label: 'RHEL 9.4' },
  'rhel-9.6': { libvirt: 10_010_000, qemu: 9_001_000, label: 'RHEL 9.6' },
  'rhel-10.0': { libvirt: 10_010_000, qemu: 9_001_000, label: 'RHEL 10.0' },
};

export const presetNames: readonly string[] = Object.keys(presets);

/**
 * Releases hovers name when the config has no `distros` key: the current LTS or stable
 * release of each family (the CI jobs' own presets are always named too).
 */
export const defaultDistros: readonly string[] = ['ubuntu-24.04', 'debian-13', 'rhel-9.6', 'rhel-10.0'];

export function isPreset(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(presets, name);
}

/** A CI job running a preset's versions; named after the preset unless a name is given. */
export function presetJob(preset: string, kind: CiKind = 'upstream', name: string = preset): CiJob | undefined {
  if (!isPreset(preset)) return undefined;
  const p = presets[preset];
  return { name, libvirt: p.libvirt, qemu: p.qemu, kind, preset };
}

/**
 * The one-line message for an unknown preset name, like the one for an unknown key. `rhel-9`
 * lists the minor releases of RHEL 9 (their versions differ); `ubuntu-2404` lacks only a dot;
 * another release of a known family (`ubuntu-26.04`) lists that family rather than guess a
 * neighbour; a typo gets the closest name.
 */
export function unknownPresetMessage(name: string): string {
  const lower = name.toLowerCase();
  const minors = presetNames.filter((p) => p.startsWith(`${lower}.`));
  if (minors.length) return `unknown preset; presets name a minor release: ${minors.join(', ')}`;
  const sameDigits = presetNames.find((p) => p.replace(/[-.]/g, '') === lower.replace(/[-._ ]/g, ''));
  if (sameDigits) return `unknown preset; did you mean "${sameDigits}"?`;
  const family = /^([a-z]+)-\d[\d.]*$/.exec(lower)?.[1];
  const relatives = family ? presetNames.filter((p) => p.startsWith(`${family}-`)) : [];
  if (relatives.length) return `unknown preset; known ${family} presets: ${relatives.join(', ')}`;
  const guess = closest(name, presetNames);
  return `unknown preset${guess ? `; did you mean "${guess}"?` : '.'} Known presets: ${presetNames.join(', ')}`;
}

/** [lo, hi) on one axis; hi is Infinity when unbounded (the engine's VersionInterval, structurally). */
export interface AxisInterval {
  readonly lo: VersionNumber;
  readonly hi: VersionNumber;
}

function inside(i: AxisInterval, x: VersionNumber): boolean {
  return i.lo <= x && x < i.hi;
}

/**
 * The presets among `names` whose (libvirt, QEMU) point lies in a path's intervals: the
 * releases that run that path. Every preset states its QEMU, so both axes always count
 * (as for a CI job that states its QEMU). Unknown names are ignored; order is kept.
 */
export function presetsRunning(
  libvirt: AxisInterval,
  qemu: AxisInterval,
  names: readonly string[] = presetNames,
): string[] {
  return names.filter((n) => isPreset(n) && inside(libvirt, presets[n].libvirt) && inside(qemu, presets[n].qemu));
}

export interface DistroSplit {
  /** Releases that run the path. */
  readonly runs: readonly string[];
  /** Supported releases (at or above the minimum) that do not. */
  readonly notRuns: readonly string[];
  /** Releases below the minimum supported libvirt or QEMU: the driver does not run there at all. */
  readonly unsupported: readonly string[];
}

/** Splits `names` (deduplicated, in preset-table order) for a path's hover. */
export function splitDistros(
  names: readonly string[],
  libvirt: AxisInterval,
  qemu: AxisInterval,
  minimum: { readonly libvirt: VersionNumber; readonly qemu: VersionNumber },
): DistroSplit {
  const wanted = new Set(names);
  const ordered = presetNames.filter((n) => wanted.has(n));
  const running = new Set(presetsRunning(libvirt, qemu, ordered));
  const below = (n: string): boolean => presets[n].libvirt < minimum.libvirt || presets[n].qemu < minimum.qemu;
  return {
    runs: ordered.filter((n) => running.has(n)),
    notRuns: ordered.filter((n) => !running.has(n) && !below(n)),
    unsupported: ordered.filter((n) => !running.has(n) && below(n)),
  };
}
