// CI presets: the libvirt and QEMU versions a distribution release ships, so a policy can say
// `preset = "ubuntu-24.04"` instead of repeating version numbers.
import type { VersionNumber } from '../data/featureDb';
import type { CiJob, CiKind } from './policy';

export interface Preset { readonly libvirt: VersionNumber; readonly qemu: VersionNumber }

export const presets: Readonly<Record<string, Preset>> = {
  'ubuntu-14.04': { libvirt: 1_002_002, qemu: 2_000_000 },
  'ubuntu-16.04': { libvirt: 1_003_001, qemu: 2_005_000 },
  'ubuntu-18.04': { libvirt: 4_000_000, qemu: 2_011_001 },
  'ubuntu-20.04': { libvirt: 6_000_000, qemu: 4_002_001 },
  'ubuntu-22.04': { libvirt: 8_000_000, qemu: 6_002_000 },
  'ubuntu-24.04': { libvirt: 10_000_000, qemu: 8_002_002 },
  'debian-12': { libvirt: 9_000_000, qemu: 7_002_000 },
  'debian-13': { libvirt: 11_003_000, qemu: 10_000_000 },
};

export const presetNames: readonly string[] = Object.keys(presets);

/** A CI job running a preset's versions; named after the preset unless a name is given. */
export function presetJob(preset: string, kind: CiKind = 'upstream', name: string = preset): CiJob | undefined {
  const p = Object.prototype.hasOwnProperty.call(presets, preset) ? presets[preset] : undefined;
  if (!p) return undefined;
  return { name, libvirt: p.libvirt, qemu: p.qemu, kind, preset };
}
