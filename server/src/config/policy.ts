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

/** How a configured version-check function takes its version (see docs/configuration.md). */
export type VersionArgumentForm = 'any' | 'tuple' | 'integer' | 'string' | 'keywords';

/**
 * A version-check function with its own argument convention (a `version-checks` table
 * entry): `check_version("1.2.3")`, `min_version(major=1, minor=2)`. Plain names keep the
 * lv_ver/hv_ver convention and have no spec.
 */
export interface VersionCheckSpec {
  readonly name: string;
  readonly axis: 'libvirt' | 'qemu';
  /** 'any': a tuple, an integer or a "x.y.z" string, whichever is written. */
  readonly form: VersionArgumentForm;
  /** The positional argument that holds the version, from 0 (for 'keywords': the major part). */
  readonly arg: number;
  /** A keyword argument that may hold it instead (`version=`). */
  readonly keyword?: string;
  /** For 'keywords': the names of the major, minor and micro arguments. */
  readonly parts: readonly string[];
  /** True: the check asks for exactly this version (like has_version). */
  readonly exact: boolean;
}

/** A call whose string argument names a libvirt symbol it tests for (`has_flag("VIR_X")`). */
export interface FeatureCheckSpec {
  readonly name: string;
  /** The positional argument that names the symbol, from 0; absent: the first string argument. */
  readonly arg?: number;
  /** A keyword argument that may name it instead. */
  readonly keyword?: string;
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
  /** Names of version-check functions (matched on the called name, any receiver), with or without a spec. */
  readonly versionChecks: readonly string[];
  /**
   * Version checks with their own argument convention (their names are in versionChecks too).
   * Optional, like the two below, so that policies built elsewhere stay valid; absent means none.
   */
  readonly versionCheckSpecs?: readonly VersionCheckSpec[];
  /** Calls that test for a libvirt symbol by name: availability, like hasattr. */
  readonly featureChecks?: readonly FeatureCheckSpec[];
  /** Globs over dotted names (`*.support.*`, `self.*_supported`) of availability probes. */
  readonly probes?: readonly string[];
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
