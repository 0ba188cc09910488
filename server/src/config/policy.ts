// The resolved policy the engine works with: a plain, validated, typed object.
// Loading it from files and flags lives in this folder too (see loadConfig.ts);
// the engine only ever sees a Policy.
import type { VersionNumber } from '../data/featureDb';

/** A minimum version found in the workspace (`MIN_LIBVIRT_VERSION = (x, y, z)`), for min-version "auto". */
export interface AutoMinimum {
  readonly version: VersionNumber;
  readonly uri: string;
}

export type CiKind = 'upstream' | 'third-party';

export interface CiJob {
  readonly name: string;
  readonly libvirt: VersionNumber;
  /** Absent when the job does not say which QEMU it runs. */
  readonly qemu?: VersionNumber;
  readonly kind: CiKind;
  /** Preset the job came from, for messages ("ubuntu-24.04"). */
  readonly preset?: string;
}

export type ReceiverClass = string; // a libvirt-python class name: 'virDomain', 'virConnect', ...

/** How loudly a finding is reported (LSP severities; 'info' is LSP's Information). */
export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface Policy {
  /** Minimum supported libvirt version: every file starts at [minLibvirt, ∞). */
  readonly minLibvirt: VersionNumber;
  readonly minQemu: VersionNumber;
  /** Where the minimum came from, for hovers: 'config', 'default', or 'MIN_LIBVIRT_VERSION in nova/virt/libvirt/driver.py'. */
  readonly minLibvirtSource: string;
  readonly minQemuSource: string;
  readonly ci: readonly CiJob[];
  /** Gate expressions, whitespace-insensitive Python source text: 'CONF.libvirt.enable_untested_features'. */
  readonly gates: readonly string[];
  /** Names of version-check functions (matched on the called name, any receiver). */
  readonly versionChecks: readonly string[];
  /** Receiver name map: 'dom' → 'virDomain', 'guest._domain' → 'virDomain', '_get_connection()' → 'virConnect'. */
  readonly receivers: Readonly<Record<string, ReceiverClass>>;
  /** LVG001 also reports class B paths (only third-party CI tests them). */
  readonly untestedIncludesClassB: boolean;
  /** Rule codes switched on (null: the registry's defaults) and off. */
  readonly select: readonly string[] | null;
  readonly ignore: readonly string[];
  /** Per-rule severity overrides. */
  readonly severities: Readonly<Record<string, Severity>>;
  /**
   * Presets that hovers name besides the CI jobs' own ("runs on: Ubuntu 24.04; not on: RHEL
   * 9.6"). Optional so that policies built elsewhere stay valid; absent means defaultDistros.
   */
  readonly distros?: readonly string[];
}
