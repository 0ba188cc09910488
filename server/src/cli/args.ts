// Command-line parsing for `libvirt-gate check`, `libvirt-gate matrix` and `libvirt-gate
// config`. Hand-written (not util.parseArgs) so every error is one line naming the option and
// the value, with a suggestion for typos.
import { closest } from '../config/configError';
import type { CiJob, CiKind } from '../config/policy';
import { isPreset, presetJob, presetNames, unknownPresetMessage } from '../config/presets';
import { ruleCodePattern, versionExpectation, type ConfigLayer } from '../config/validate';
import { parseVersion } from '../data/version';
import { defaultCacheDir } from './resultCache';

type OutputFormat = 'text' | 'json' | 'sarif' | 'github';
type MatrixFormat = 'text' | 'markdown' | 'json' | 'html';
export type FailOn = 'error' | 'warning' | 'info' | 'never';

export interface CheckOptions {
  readonly paths: readonly string[];
  readonly configFile?: string;
  /** Flags that override config files (min versions, ci, gate, select, ignore). */
  readonly overrides: ConfigLayer;
  readonly exclude: readonly string[];
  readonly format: OutputFormat;
  readonly output?: string;
  readonly failOn: FailOn;
  readonly baseline?: string;
  readonly writeBaseline?: string;
  /** Review mode: report only findings on lines new since this revision ('auto' allowed). */
  readonly diffBase?: string;
  readonly fix: boolean;
  readonly unsafeFixes: boolean;
  readonly diff: boolean;
  readonly stats: boolean;
  /** The result cache's folder (relative to the working folder), when the cache is on. */
  readonly cacheDir?: string;
}

/** `libvirt-gate config`: the policy for one path, with the flags of `check` that change it. */
export interface ConfigOptions {
  /** A file, or a folder (for a file in it); absent: the working folder. */
  readonly path?: string;
  readonly configFile?: string;
  readonly overrides: ConfigLayer;
  readonly exclude: readonly string[];
  readonly format: 'text' | 'json';
}

/** `libvirt-gate matrix`: the files and policy options of `check`, its own formats, no fixes. */
export interface MatrixOptions {
  readonly paths: readonly string[];
  readonly configFile?: string;
  readonly overrides: ConfigLayer;
  readonly exclude: readonly string[];
  readonly format: MatrixFormat;
  readonly output?: string;
  /** Default `never`: the matrix is a report. */
  readonly failOn: FailOn;
  /** Presets to add as columns (default: the config's `distros`, if it sets them). */
  readonly distros?: readonly string[];
  readonly stats: boolean;
}

export type ParsedArgs =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version' }
  | { readonly kind: 'check'; readonly options: CheckOptions }
  | { readonly kind: 'matrix'; readonly options: MatrixOptions }
  | { readonly kind: 'config'; readonly options: ConfigOptions };

export class UsageError extends Error {}

const valueOptions = [
  '--config',
  '--min-version',
  '--min-qemu-version',
  '--ci',
  '--gate',
  '--select',
  '--ignore',
  '--exclude',
  '--format',
  '--output',
  '--fail-on',
  '--baseline',
  '--write-baseline',
  '--diff-base',
  '--cache-dir',
  '--distros',
] as const;
const flagOptions = [
  '--fix',
  '--unsafe-fixes',
  '--diff',
  '--stats',
  '--cache',
  '--no-cache',
  '--version',
  '--help',
] as const;
/** The options `config` takes: those that choose or change the policy, and the output format. */
const configCommandOptions: readonly string[] = [
  '--config',
  '--min-version',
  '--min-qemu-version',
  '--ci',
  '--gate',
  '--select',
  '--ignore',
  '--exclude',
  '--format',
  '--help',
];
const formats: readonly OutputFormat[] = ['text', 'json', 'sarif', 'github'];
const matrixFormats: readonly MatrixFormat[] = ['text', 'markdown', 'json', 'html'];
const commands = ['check', 'matrix', 'config'] as const;
/** Options of one command only (config has its own list). */
const checkOnly = [
  '--baseline',
  '--write-baseline',
  '--diff-base',
  '--fix',
  '--unsafe-fixes',
  '--diff',
  '--cache',
  '--no-cache',
  '--cache-dir',
];
const matrixOnly = ['--distros'];
const failOns: readonly FailOn[] = ['error', 'warning', 'info', 'never'];

const usage = `Usage: libvirt-gate check [PATH...] [OPTIONS]
       libvirt-gate matrix [PATH...] [OPTIONS]   (the support matrix; see matrix --help)
       libvirt-gate config [PATH] [OPTIONS]      (the policy and its origins; see config --help)

Checks Python files (directories are searched for *.py, honouring .gitignore) for libvirt
API use newer than the minimum supported libvirt, or not tested by CI.

Options:
  --config FILE             use this config file for every path (default: nearest
                            .libvirt-gate.toml or pyproject.toml [tool.libvirt-gate])
  --min-version V|auto      minimum supported libvirt, "x.y.z"
  --min-qemu-version V|auto minimum supported QEMU, "x.y.z"
  --ci NAME=LIBVIRT[,QEMU][:third-party]
                            a CI job (repeatable; replaces the config's jobs); NAME alone
                            may be a preset: ubuntu-24.04, ubuntu-24.04:third-party,
                            gate=rhel-9.6. Presets:
${wrap(presetNames.join(', '), 28, 90)}
  --gate EXPR               opt-in gate expression (repeatable)
  --select CODES            comma-separated rule codes to run
  --ignore CODES            comma-separated rule codes not to run
  --exclude GLOB            skip matching files and folders (repeatable)
  --format FORMAT           text (default), json, sarif or github
  --output FILE             write the report to FILE instead of stdout
  --fail-on LEVEL           exit 1 on findings at or above error, warning (default),
                            info; never: always exit 0
  --baseline FILE           report only findings not recorded in FILE
  --write-baseline FILE     record the current findings in FILE
  --diff-base REV|auto      review mode: report only findings on lines added or changed
                            since REV (git diff REV, uncommitted changes and untracked
                            files included); auto: the merge base with the upstream
                            branch, else HEAD~1
  --fix                     apply safe fixes
  --unsafe-fixes            with --fix or --diff: apply unsafe fixes too
  --diff                    print the fixes as a unified diff; write nothing
  --stats                   print timings and counts to stderr
  --cache                   keep a result cache in ./.libvirt-gate-cache for repeated runs
  --cache-dir DIR           keep the result cache in DIR (also LIBVIRT_GATE_CACHE_DIR)
  --no-cache                no result cache, whatever the environment says
  --version                 print the version
  --help                    print this help

Exit status: 0 no finding at or above --fail-on, 1 findings, 2 usage or config error.
An exclude pattern that matches nothing is a warning on stderr (the status stays).

libvirt-gate config [PATH] prints the policy a file at PATH gets and where each value
comes from; see libvirt-gate config --help.
`;

const configUsage = `Usage: libvirt-gate config [PATH] [OPTIONS]

Prints the policy that applies to a Python file at PATH, and where each value comes from:
default, the config file and line that sets it, a command-line flag, or auto (the file
whose MIN_LIBVIRT_VERSION or MIN_QEMU_VERSION was taken). PATH is a file, or a folder for
a file in it; it need not exist. Default: a file in the working folder. "auto" reads the
Python files under the config file's folder (without one: under PATH), as check would.

Options (those of check that choose or change the policy):
  --config FILE             use this config file (default: nearest .libvirt-gate.toml
                            or pyproject.toml [tool.libvirt-gate])
  --min-version V|auto      minimum supported libvirt, "x.y.z"
  --min-qemu-version V|auto minimum supported QEMU, "x.y.z"
  --ci NAME=LIBVIRT[,QEMU][:third-party]
                            a CI job (repeatable; replaces the config's jobs), or a preset
  --gate EXPR               opt-in gate expression (repeatable)
  --select CODES            comma-separated rule codes to run
  --ignore CODES            comma-separated rule codes not to run
  --exclude GLOB            an exclude pattern, relative to the working folder (repeatable)
  --format FORMAT           text (default) or json
  --help                    print this help

Exit status: 0, or 2 on a usage or config error. An exclude pattern that matches nothing
is a warning on stderr.
`;

const matrixUsage = `Usage: libvirt-gate matrix [PATH...] [OPTIONS]

The support matrix: one row per version-dependent code path (each version-checked branch,
each gated block, each use of a libvirt symbol newer than the minimum), grouped by feature,
with its libvirt and QEMU interval, the CI jobs that run it, its support class, whether it
is gated, and its findings. Reads files; never runs them.

Options:
  --format FORMAT           text (default), markdown, json or html (one self-contained
                            file with a chart and a sortable, filterable table)
  --output FILE             write the matrix to FILE instead of stdout
  --distros LIST            comma-separated presets to add as columns (default: the
                            config's distros key, if set):
${wrap(presetNames.join(', '), 28, 90)}
  --fail-on LEVEL           exit 1 on findings at or above error, warning, info;
                            never (default): always exit 0
  --config, --min-version, --min-qemu-version, --ci, --gate, --select, --ignore,
  --exclude, --stats        as for check (see libvirt-gate check --help)
  --version                 print the version
  --help                    print this help

Exit status: 0 done (or no finding at or above --fail-on), 1 findings, 2 usage or config error.
`;

/** Wraps a comma-separated list at `width`, each line indented by `indent` spaces. */
function wrap(text: string, indent: number, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => `${' '.repeat(indent)}${l}`).join('\n');
}

function fail(option: string, value: string, message: string): never {
  throw new UsageError(`${option} ${JSON.stringify(value)}: ${message}`);
}

/** `NAME=LIBVIRT[,QEMU][:third-party]`, `PRESET[:third-party]` or `NAME=PRESET[:kind]`. */
export function parseCiSpec(spec: string): CiJob {
  const form = 'NAME=LIBVIRT[,QEMU][:third-party]';
  const m = /^([^=:]+?)(?:=([^:]*))?(?::(upstream|third-party))?$/.exec(spec);
  if (!m) fail('--ci', spec, `expected ${form} or a preset (${presetNames.join(', ')})`);
  const [, name, versions, kindText] = m;
  const kind: CiKind = kindText === 'third-party' ? 'third-party' : 'upstream';
  // A name alone, or a value that is not a version, is meant as a preset.
  if (versions === undefined || /^[A-Za-z]/.test(versions)) {
    const preset = versions ?? name;
    const job = presetJob(preset, kind, name);
    if (!job)
      fail(
        '--ci',
        spec,
        `${preset === spec ? '' : `${JSON.stringify(preset)}: `}${unknownPresetMessage(preset)}; or give versions: ${form}`,
      );
    return job;
  }
  const [libvirtText, qemuText, ...rest] = versions.split(',');
  const libvirt = parseVersion(libvirtText);
  if (libvirt === undefined) fail('--ci', spec, `${versionExpectation('libvirt', '10.0.0', false)} after "="`);
  const qemu = qemuText === undefined ? undefined : parseVersion(qemuText);
  if (rest.length > 0 || (qemuText !== undefined && qemu === undefined))
    fail('--ci', spec, `${versionExpectation('QEMU', '8.2.2', false)} after ","`);
  return { name, libvirt, ...(qemu === undefined ? {} : { qemu }), kind };
}

function parseCodes(option: string, value: string): string[] {
  const codes = value
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c);
  if (codes.length === 0 || codes.some((c) => !ruleCodePattern.test(c)))
    fail(option, value, 'expected comma-separated rule codes such as "LVG001,LVG002"');
  return codes;
}

/** The flags that override config files (the policy layer of the command line). */
function parseOverrides(values: ReadonlyMap<string, readonly string[]>): ConfigLayer {
  const last = (name: string): string | undefined => values.get(name)?.at(-1);
  const all = (name: string): readonly string[] => values.get(name) ?? [];
  const overrides: { -readonly [K in keyof ConfigLayer]: ConfigLayer[K] } = {};
  for (const [option, axis, example] of [
    ['--min-version', 'libvirt', '8.0.0'],
    ['--min-qemu-version', 'QEMU', '6.2.0'],
  ] as const) {
    const text = last(option);
    if (text === undefined) continue;
    const v = text === 'auto' ? 'auto' : parseVersion(text);
    if (v === undefined) fail(option, text, versionExpectation(axis, example, true));
    if (axis === 'libvirt') overrides.minVersion = v;
    else overrides.minQemuVersion = v;
  }
  if (values.has('--ci')) {
    const jobs = all('--ci').map(parseCiSpec);
    const names = new Set<string>();
    for (const job of jobs) {
      if (names.has(job.name)) fail('--ci', job.name, 'duplicate CI job name');
      names.add(job.name);
    }
    overrides.ci = jobs;
  }
  if (values.has('--gate')) {
    for (const g of all('--gate'))
      if (!g.trim()) fail('--gate', g, 'expected a Python expression such as "CONF.libvirt.enable_untested_features"');
    overrides.gates = [...all('--gate')];
  }
  if (values.has('--select')) overrides.select = all('--select').flatMap((v) => parseCodes('--select', v));
  if (values.has('--ignore')) overrides.ignore = all('--ignore').flatMap((v) => parseCodes('--ignore', v));
  return overrides;
}

/** `--distros ubuntu-22.04,debian-12`: known presets, in order, once each. */
function parseDistros(values: readonly string[]): string[] {
  const names: string[] = [];
  for (const value of values) {
    const parts = value
      .split(',')
      .map((d) => d.trim())
      .filter((d) => d);
    if (!parts.length) fail('--distros', value, `expected comma-separated presets such as "ubuntu-24.04,debian-12"`);
    for (const d of parts) {
      if (!isPreset(d)) fail('--distros', d, unknownPresetMessage(d));
      if (!names.includes(d)) names.push(d);
    }
  }
  return names;
}

export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ParsedArgs {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positional: string[] = [];
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h') {
      flags.add('--help');
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg : arg.slice(0, eq);
      if ((valueOptions as readonly string[]).includes(name)) {
        const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
        if (value === undefined) throw new UsageError(`${name} needs a value`);
        values.set(name, [...(values.get(name) ?? []), value]);
      } else if ((flagOptions as readonly string[]).includes(name) && eq === -1) {
        flags.add(name);
      } else {
        const guess = closest(name, [...valueOptions, ...flagOptions]);
        throw new UsageError(`unknown option ${name}${guess ? `; did you mean ${guess}?` : ''} (see --help)`);
      }
    } else if (command === undefined) {
      command = arg;
    } else {
      positional.push(arg);
    }
  }
  if (command !== undefined && !(commands as readonly string[]).includes(command)) {
    const guess = closest(command, commands);
    throw new UsageError(
      `unknown command ${JSON.stringify(command)}; ${guess ? `did you mean "${guess}"? ` : ''}the commands are "check", "matrix" and "config" (see --help)`,
    );
  }
  const isMatrix = command === 'matrix';
  if (flags.has('--help'))
    return { kind: 'help', text: command === 'config' ? configUsage : isMatrix ? matrixUsage : usage };
  if (flags.has('--version')) return { kind: 'version' };
  if (command === undefined)
    throw new UsageError(
      'missing command; usage: libvirt-gate check|matrix [PATH...] [OPTIONS] or libvirt-gate config [PATH] [OPTIONS] (see --help)',
    );
  if (command !== 'config') {
    for (const option of isMatrix ? checkOnly : matrixOnly) {
      if (values.has(option) || flags.has(option))
        throw new UsageError(`${option} is not an option of "${command}" (see libvirt-gate ${command} --help)`);
    }
  }

  const last = (name: string): string | undefined => values.get(name)?.at(-1);
  const all = (name: string): string[] => values.get(name) ?? [];
  const overrides = parseOverrides(values);
  for (const name of ['--config', '--output', '--baseline', '--write-baseline', '--exclude']) {
    for (const v of all(name)) if (!v) fail(name, v, 'expected a non-empty path');
  }
  const configFile = last('--config');
  if (command === 'config') {
    const other = [...values.keys(), ...flags].find((o) => !configCommandOptions.includes(o));
    if (other) throw new UsageError(`${other} is not an option of config (see libvirt-gate config --help)`);
    if (positional.length > 1)
      throw new UsageError(`config takes one PATH, not ${positional.length} (see libvirt-gate config --help)`);
    const format = last('--format') ?? 'text';
    if (format !== 'text' && format !== 'json') fail('--format', format, 'expected text or json');
    return {
      kind: 'config',
      options: {
        ...(positional.length ? { path: positional[0] } : {}),
        ...(configFile === undefined ? {} : { configFile }),
        overrides,
        exclude: all('--exclude'),
        format,
      },
    };
  }

  const format = last('--format') ?? 'text';
  const allowed: readonly string[] = isMatrix ? matrixFormats : formats;
  if (!allowed.includes(format)) fail('--format', format, `expected one of ${allowed.join(', ')}`);
  const failOn = last('--fail-on') ?? (isMatrix ? 'never' : 'warning');
  if (!(failOns as readonly string[]).includes(failOn))
    fail('--fail-on', failOn, `expected one of ${failOns.join(', ')}`);
  const output = last('--output');
  const files = {
    paths: positional.length ? positional : ['.'],
    ...(configFile === undefined ? {} : { configFile }),
    overrides,
    exclude: all('--exclude'),
    ...(output === undefined ? {} : { output }),
    failOn: failOn as FailOn,
    stats: flags.has('--stats'),
  };
  if (isMatrix) {
    const distros = values.has('--distros') ? parseDistros(all('--distros')) : undefined;
    return {
      kind: 'matrix',
      options: { ...files, format: format as MatrixFormat, ...(distros ? { distros } : {}) },
    };
  }

  const fix = flags.has('--fix');
  const diff = flags.has('--diff');
  const unsafeFixes = flags.has('--unsafe-fixes');
  if (unsafeFixes && !fix && !diff) throw new UsageError('--unsafe-fixes needs --fix or --diff');
  const baseline = last('--baseline');
  const writeBaseline = last('--write-baseline');
  const diffBase = last('--diff-base');
  // The cache is opt-in: the CLI writes nothing the user did not ask for.
  const cacheDir = flags.has('--no-cache')
    ? undefined
    : (last('--cache-dir') ?? (flags.has('--cache') ? defaultCacheDir : env['LIBVIRT_GATE_CACHE_DIR'] || undefined));
  if (cacheDir !== undefined && !cacheDir.trim()) fail('--cache-dir', cacheDir, 'expected a non-empty path');
  if (diffBase !== undefined && !diffBase.trim())
    fail('--diff-base', diffBase, 'expected a revision such as "origin/main", "HEAD~1" or "auto"');
  return {
    kind: 'check',
    options: {
      ...files,
      format: format as OutputFormat,
      ...(baseline === undefined ? {} : { baseline }),
      ...(writeBaseline === undefined ? {} : { writeBaseline }),
      ...(diffBase === undefined ? {} : { diffBase }),
      fix,
      unsafeFixes,
      diff,
      ...(cacheDir === undefined ? {} : { cacheDir }),
    },
  };
}
