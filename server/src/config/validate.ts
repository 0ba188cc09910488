// Validation of one config table (a `.libvirt-gate.toml`, `[tool.libvirt-gate]`, or the editor
// settings) into a typed layer. Every problem becomes a ConfigError; valid keys still apply.
import type { VersionNumber } from '../data/featureDb';
import { parseVersion } from '../data/version';
import { validateFeatureChecks, validateProbes, validateVersionChecks } from './checkEntries';
import { closest, isTable, keyText, renderValue, type ConfigError, type ConfigOrigin } from './configError';
import type { CiJob, CiKind, FeatureCheckSpec, ReceiverClass, Severity, VersionCheckSpec } from './policy';
import { isPreset, presetJob, unknownPresetMessage } from './presets';

/** One source of settings; absent keys defer to the layer below. */
export interface ConfigLayer {
  readonly minVersion?: VersionNumber | 'auto';
  readonly minQemuVersion?: VersionNumber | 'auto';
  readonly ci?: readonly CiJob[];
  readonly gates?: readonly string[];
  /** Every version-check name; those with their own argument convention also in versionCheckSpecs. */
  readonly versionChecks?: readonly string[];
  readonly versionCheckSpecs?: readonly VersionCheckSpec[];
  readonly featureChecks?: readonly FeatureCheckSpec[];
  readonly probes?: readonly string[];
  /** Merged over the defaults, not replacing them; `false` removes an entry of a lower layer. */
  readonly receivers?: Readonly<Record<string, ReceiverClass | false>>;
  readonly untestedIncludesClassB?: boolean;
  readonly select?: readonly string[];
  readonly ignore?: readonly string[];
  readonly severities?: Readonly<Record<string, Severity>>;
  /** Globs relative to the config file's folder; the CLI skips matching files. */
  readonly exclude?: readonly string[];
  /** Presets hovers name besides the CI jobs' (replaces the default set). */
  readonly distros?: readonly string[];
}

/** Every key a config table may hold, in the order the docs list them. */
export const configKeys = [
  'min-version',
  'min-qemu-version',
  'ci',
  'gate',
  'version-checks',
  'feature-checks',
  'probes',
  'receivers',
  'untested-includes-class-b',
  'select',
  'ignore',
  'severity',
  'exclude',
  'distros',
] as const;
type ConfigKey = (typeof configKeys)[number];

export const ciKeys = ['name', 'preset', 'libvirt', 'qemu', 'kind'] as const;
const severityNames: readonly Severity[] = ['error', 'warning', 'info', 'hint'];
export const ruleCodePattern = /^LVG\d{3}$/;

export interface ValidationContext {
  readonly file: string;
  readonly origin: ConfigOrigin;
  readonly table: string;
  /** Editor settings carry client-only keys too; those are not errors there. */
  readonly allowUnknownKeys?: boolean;
  /** 1-based position of a key in the file, for diagnostics in the config file. */
  readonly locate?: (key: string) => { line: number; column: number } | undefined;
}

export const versionExpectation = (axis: 'libvirt' | 'QEMU', example: string, auto: boolean): string =>
  `expected a ${axis} version "major.minor.micro" such as "${example}"${auto ? ', or "auto"' : ''}`;

const rulesExpectation = 'expected a rule code such as "LVG001"';
const kindExpectation = 'expected "upstream" or "third-party"';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function validateConfigTable(
  raw: Record<string, unknown>,
  ctx: ValidationContext,
): { layer: ConfigLayer; errors: ConfigError[] } {
  const errors: ConfigError[] = [];
  const layer: Mutable<ConfigLayer> = {};
  const fail = (key: string, value: unknown, message: string): void => {
    const pos = ctx.locate?.(key.replace(/[[.].*$/, ''));
    errors.push({
      file: ctx.file,
      origin: ctx.origin,
      table: ctx.table,
      key,
      ...(value === undefined ? {} : { value: renderValue(value) }),
      message,
      ...(pos ?? {}),
    });
  };
  const strings = (key: string, value: unknown, check: (s: string) => string | undefined): string[] | undefined => {
    if (!Array.isArray(value)) return void fail(key, value, 'expected an array of strings');
    const out: string[] = [];
    let ok = true;
    value.forEach((item: unknown, i) => {
      const problem = typeof item !== 'string' ? 'expected a string' : check(item);
      if (problem) {
        ok = false;
        fail(`${key}[${i + 1}]`, item, problem);
      } else if (typeof item === 'string') out.push(item);
    });
    return ok ? out : undefined;
  };
  const codes = (key: string, value: unknown): string[] | undefined =>
    strings(key, value, (s) => (ruleCodePattern.test(s) ? undefined : rulesExpectation));

  for (const [key, value] of Object.entries(raw)) {
    if (ctx.origin === 'settings' && value === null) continue;
    switch (key as ConfigKey) {
      case 'min-version':
      case 'min-qemu-version': {
        const libvirt = key === 'min-version';
        const v = value === 'auto' ? 'auto' : typeof value === 'string' ? parseVersion(value) : undefined;
        if (v === undefined)
          fail(key, value, versionExpectation(libvirt ? 'libvirt' : 'QEMU', libvirt ? '8.0.0' : '6.2.0', true));
        else if (libvirt) layer.minVersion = v;
        else layer.minQemuVersion = v;
        break;
      }
      case 'ci': {
        const jobs = validateCi(value, fail);
        if (jobs) layer.ci = jobs;
        break;
      }
      case 'gate': {
        const gates = strings(key, value, (s) =>
          s.trim() ? undefined : 'expected a Python expression such as "CONF.libvirt.enable_untested_features"',
        );
        if (gates) layer.gates = gates;
        break;
      }
      case 'version-checks': {
        const checks = validateVersionChecks(value, fail);
        if (checks) {
          layer.versionChecks = checks.names;
          layer.versionCheckSpecs = checks.specs;
        }
        break;
      }
      case 'feature-checks': {
        const checks = validateFeatureChecks(value, fail);
        if (checks) layer.featureChecks = checks;
        break;
      }
      case 'probes': {
        const globs = validateProbes(value, fail);
        if (globs) layer.probes = globs;
        break;
      }
      case 'receivers': {
        if (!isTable(value)) {
          fail(key, value, 'expected a table of receiver name = "virClass"');
          break;
        }
        const receivers: Record<string, ReceiverClass | false> = {};
        let ok = true;
        for (const [name, cls] of Object.entries(value)) {
          if (cls === false) receivers[name] = false;
          else if (typeof cls !== 'string' || !/^vir[A-Z]\w*$/.test(cls)) {
            ok = false;
            fail(
              `receivers.${keyText(name)}`,
              cls,
              'expected a libvirt-python class name such as "virDomain", or false to remove the entry',
            );
          } else receivers[name] = cls;
        }
        if (ok) layer.receivers = receivers;
        break;
      }
      case 'untested-includes-class-b':
        if (typeof value === 'boolean') layer.untestedIncludesClassB = value;
        else fail(key, value, 'expected true or false');
        break;
      case 'select': {
        const list = codes(key, value);
        if (list) layer.select = list;
        break;
      }
      case 'ignore': {
        const list = codes(key, value);
        if (list) layer.ignore = list;
        break;
      }
      case 'severity': {
        if (!isTable(value)) {
          fail(key, value, 'expected a table of rule code = "error" | "warning" | "info" | "hint"');
          break;
        }
        const severities: Record<string, Severity> = {};
        let ok = true;
        for (const [code, level] of Object.entries(value)) {
          if (!ruleCodePattern.test(code)) {
            ok = false;
            fail(`severity.${keyText(code)}`, level, rulesExpectation);
          } else if (typeof level !== 'string' || !(severityNames as readonly string[]).includes(level)) {
            ok = false;
            fail(`severity.${code}`, level, 'expected one of "error", "warning", "info", "hint"');
          } else severities[code] = level as Severity;
        }
        if (ok) layer.severities = severities;
        break;
      }
      case 'exclude': {
        const globs = strings(key, value, (s) => (s ? undefined : 'expected a glob such as "nova/tests/**"'));
        if (globs) layer.exclude = globs;
        break;
      }
      case 'distros': {
        const names = strings(key, value, (s) => (isPreset(s) ? undefined : unknownPresetMessage(s)));
        if (names) layer.distros = names;
        break;
      }
      default: {
        if (ctx.allowUnknownKeys) break;
        const guess = closest(key, configKeys);
        fail(
          keyText(key),
          value,
          `unknown key${guess ? `; did you mean "${guess}"?` : '.'} Valid keys: ${configKeys.join(', ')}`,
        );
      }
    }
  }
  return { layer, errors };
}

type Fail = (key: string, value: unknown, message: string) => void;

function validateCi(value: unknown, fail: Fail): CiJob[] | undefined {
  if (!Array.isArray(value)) return void fail('ci', value, 'expected an array of tables ([[ci]] entries)');
  if (value.length === 0) return void fail('ci', value, 'expected at least one CI job');
  const jobs: CiJob[] = [];
  const names = new Set<string>();
  let ok = true;
  value.forEach((entry: unknown, i) => {
    const at = `ci[${i + 1}]`;
    const job = validateCiJob(entry, at, fail);
    if (!job) ok = false;
    else if (names.has(job.name)) {
      ok = false;
      fail(`${at}.name`, job.name, 'duplicate CI job name');
    } else {
      names.add(job.name);
      jobs.push(job);
    }
  });
  return ok ? jobs : undefined;
}

function validateCiJob(entry: unknown, at: string, fail: Fail): CiJob | undefined {
  if (!isTable(entry)) return void fail(at, entry, 'expected a table with name, libvirt, qemu and kind, or preset');
  let ok = true;
  const bad = (key: string, value: unknown, message: string): undefined => {
    ok = false;
    fail(key, value, message);
    return undefined;
  };
  for (const key of Object.keys(entry)) {
    if (!(ciKeys as readonly string[]).includes(key)) {
      const guess = closest(key, ciKeys);
      bad(
        `${at}.${keyText(key)}`,
        entry[key],
        `unknown key${guess ? `; did you mean "${guess}"?` : '.'} Valid keys: ${ciKeys.join(', ')}`,
      );
    }
  }
  const { name, preset, libvirt, qemu, kind } = entry;
  if (name !== undefined && (typeof name !== 'string' || !name.trim()))
    bad(`${at}.name`, name, 'expected a non-empty string');
  let jobKind: CiKind = 'upstream';
  if (kind !== undefined) {
    if (kind === 'upstream' || kind === 'third-party') jobKind = kind;
    else bad(`${at}.kind`, kind, kindExpectation);
  }
  if (preset !== undefined) {
    if (libvirt !== undefined || qemu !== undefined)
      return bad(at, undefined, '"preset" sets the versions; do not also set "libvirt" or "qemu"');
    const job =
      typeof preset === 'string' ? presetJob(preset, jobKind, typeof name === 'string' ? name : preset) : undefined;
    if (!job)
      return bad(
        `${at}.preset`,
        preset,
        typeof preset === 'string' ? unknownPresetMessage(preset) : 'expected a preset name such as "ubuntu-24.04"',
      );
    return ok ? job : undefined;
  }
  if (name === undefined) return bad(at, undefined, 'missing "name" (or use "preset")');
  if (libvirt === undefined) return bad(at, undefined, 'missing "libvirt"');
  const libvirtVersion = typeof libvirt === 'string' ? parseVersion(libvirt) : undefined;
  if (libvirtVersion === undefined) bad(`${at}.libvirt`, libvirt, versionExpectation('libvirt', '10.0.0', false));
  const qemuVersion = qemu === undefined ? undefined : typeof qemu === 'string' ? parseVersion(qemu) : undefined;
  if (qemu !== undefined && qemuVersion === undefined)
    bad(`${at}.qemu`, qemu, versionExpectation('QEMU', '8.2.2', false));
  if (!ok || typeof name !== 'string' || libvirtVersion === undefined) return undefined;
  return { name, libvirt: libvirtVersion, ...(qemuVersion === undefined ? {} : { qemu: qemuVersion }), kind: jobKind };
}
