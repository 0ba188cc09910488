// Finding, reading and merging config: defaults < editor settings < config file < command-line
// flags. The nearest `.libvirt-gate.toml`, or `pyproject.toml` with a [tool.libvirt-gate]
// table, above a file is its config. Parsed files are cached by path, mtime and size.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, TomlError } from 'smol-toml';
import type { VersionNumber } from '../data/featureDb';
import { isTable, type ConfigError } from './configError';
import { defaultPolicy } from './defaults';
import {
  OriginRecorder,
  originIn,
  type LayerSource,
  type PolicyOrigins,
  type TextPosition,
  type ValueOrigin,
} from './origins';
import type { AutoMinimum, Policy, ReceiverClass } from './policy';
import { validateConfigTable, type ConfigLayer } from './validate';

export type { ConfigLayer } from './validate';
const configFileName = '.libvirt-gate.toml';
const pyprojectFileName = 'pyproject.toml';
const pyprojectTable = 'tool.libvirt-gate';

export interface ConfigFile {
  readonly path: string;
  /** '' for `.libvirt-gate.toml` (top-level keys), 'tool.libvirt-gate' for pyproject.toml. */
  readonly table: string;
  readonly layer: ConfigLayer;
  readonly errors: readonly ConfigError[];
  /** Where each top-level key (TOML spelling) is set, for origins and diagnostics. */
  readonly positions: ReadonlyMap<string, TextPosition>;
  /** Where each of `layer.exclude`'s patterns is written (same order). */
  readonly excludePositions: readonly (TextPosition | undefined)[];
}

/** The part of the engine's WorkspaceIndex that resolves min-version "auto". */
interface AutoMinimumSource {
  autoMinimum(): { libvirt?: AutoMinimum; qemu?: AutoMinimum };
}

interface CacheEntry {
  readonly mtimeMs: number;
  readonly size: number;
  readonly result: ConfigFile | undefined;
}
const fileCache = new Map<string, CacheEntry>();

/** Drops cached config files (the language server calls this when a config file changes). */
export function clearConfigCache(): void {
  fileCache.clear();
}

/**
 * Reads one config file. A pyproject.toml without a [tool.libvirt-gate] table is not a config
 * (undefined) unless `explicit` (named by --config), where that is an error.
 */
export function readConfigFile(file: string, explicit = false): ConfigFile | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return undefined;
  }
  if (!stat.isFile()) return undefined;
  const cached = fileCache.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size && (cached.result || !explicit))
    return cached.result;
  const result = parseConfigFile(file, fs.readFileSync(file, 'utf8'), explicit);
  fileCache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, result });
  return result;
}

/** Parses config text (exported for tests and for unsaved config buffers in the editor). */
export function parseConfigFile(file: string, text: string, explicit = false): ConfigFile | undefined {
  const isPyproject = path.basename(file) === pyprojectFileName;
  const table = isPyproject ? pyprojectTable : '';
  // Most pyproject.toml files are not ours: skip the TOML parse (and its errors) for them.
  if (isPyproject && !explicit && !text.includes('libvirt-gate')) return undefined;
  const fileError = (message: string, line?: number, column?: number): ConfigFile => ({
    path: file,
    table,
    layer: {},
    positions: new Map(),
    excludePositions: [],
    errors: [{ file, origin: 'file', table, key: '', message, ...(line === undefined ? {} : { line, column }) }],
  });
  let doc: Record<string, unknown>;
  try {
    doc = parse(text);
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    const reason = e.message.split('\n')[0].replace(/^Invalid TOML document: /, '');
    return fileError(`invalid TOML: ${reason}`, e.line, e.column);
  }
  let raw: unknown = doc;
  if (isPyproject) {
    const tool = doc['tool'];
    raw = isTable(tool) ? tool['libvirt-gate'] : undefined;
    if (raw === undefined) return explicit ? fileError(`no [${pyprojectTable}] table`) : undefined;
  }
  if (!isTable(raw)) return fileError(`[${pyprojectTable}] must be a table`);
  const locate = locator(text, isPyproject);
  const { layer, errors } = validateConfigTable(raw, { file, origin: 'file', table, locate });
  const positions = new Map<string, TextPosition>();
  for (const key of Object.keys(raw)) {
    const at = locate(key);
    if (at) positions.set(key, at);
  }
  const excludeAt = positions.get('exclude');
  const excludePositions = (layer.exclude ?? []).map((p) => (excludeAt ? locateItem(text, excludeAt, p) : undefined));
  return { path: file, table, layer, errors, positions, excludePositions };
}

/**
 * Where a string item of an array value is written: its first literal ("x" or 'x') after the
 * key, before the next table header; the key's own position when it is not found there.
 */
function locateItem(text: string, key: TextPosition, item: string): TextPosition {
  const lines = text.split('\n');
  const literals = [JSON.stringify(item), `'${item}'`];
  for (let i = key.line - 1; i < lines.length; i++) {
    if (i > key.line - 1 && /^\s*\[/.test(lines[i])) break;
    const from = i === key.line - 1 ? key.column - 1 : 0;
    const hits = literals.map((l) => lines[i].indexOf(l, from)).filter((c) => c !== -1);
    if (hits.length) {
      const column = Math.min(...hits);
      const literal = literals.find((l) => lines[i].startsWith(l, column)) ?? literals[0];
      return { line: i + 1, column: column + 1, endColumn: column + 1 + literal.length };
    }
  }
  return key;
}

/** Finds where a key is set, for diagnostics in the config file: the first `key =` in our table. */
function locator(text: string, inPyproject: boolean): (key: string) => { line: number; column: number } | undefined {
  return (key) => {
    const lines = text.split('\n');
    let inTable = !inPyproject;
    let tableLine: number | undefined;
    const keyPattern = new RegExp(`^(\\s*)(?:"${escape(key)}"|${escape(key)})\\s*=`);
    for (let i = 0; i < lines.length; i++) {
      const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?/.exec(lines[i]);
      if (header) {
        const name = header[1];
        inTable = inPyproject ? name === pyprojectTable : false;
        if (inTable) tableLine = i;
        // [[ci]] / [[tool.libvirt-gate.ci]]: point at the first one for ci errors.
        if (name === (inPyproject ? `${pyprojectTable}.${key}` : key)) return { line: i + 1, column: 1 };
        continue;
      }
      const m = inTable ? keyPattern.exec(lines[i]) : null;
      if (m) return { line: i + 1, column: m[1].length + 1 };
    }
    return tableLine === undefined ? undefined : { line: tableLine + 1, column: 1 };
  };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The nearest config above `dir` (inclusive); `.libvirt-gate.toml` wins over pyproject.toml in one folder. */
export function findConfigFile(dir: string, memo?: Map<string, ConfigFile | null>): ConfigFile | undefined {
  const visited: string[] = [];
  let found: ConfigFile | undefined;
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const known = memo?.get(current);
    if (known !== undefined) {
      found = known ?? undefined;
      break;
    }
    visited.push(current);
    found = readConfigFile(path.join(current, configFileName)) ?? readConfigFile(path.join(current, pyprojectFileName));
    if (found || path.dirname(current) === current) break;
  }
  for (const d of visited) memo?.set(d, found ?? null);
  return found;
}

export interface PolicyOptions {
  /** Command-line flags: win over everything. */
  readonly overrides?: ConfigLayer;
  /** Editor settings, with the TOML's kebab-case keys; the config file wins over them. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Resolves min-version "auto" from MIN_LIBVIRT_VERSION / MIN_QEMU_VERSION in the workspace. */
  readonly index?: AutoMinimumSource;
  /** `--config FILE`: use this file for every path instead of searching. */
  readonly configFile?: string;
  /** Base for relative paths in "auto" sources and --config; default process.cwd(). */
  readonly cwd?: string;
}

export interface ResolvedPolicy {
  readonly policy: Policy;
  readonly configFile?: string;
  /** The config file's table: 'tool.libvirt-gate' in pyproject.toml, '' in .libvirt-gate.toml. */
  readonly configTable?: string;
  readonly errors: readonly ConfigError[];
  /** The config file's exclude globs, relative to its folder. */
  readonly exclude: readonly string[];
  /** Where each value of `policy` came from. */
  readonly origins: PolicyOrigins;
  /** `exclude` with its folder and where each pattern is written. */
  readonly excludePatterns: readonly ExcludePattern[];
}

/** An exclude glob, the folder it is relative to, and where it was given. */
export interface ExcludePattern {
  readonly pattern: string;
  readonly base: string;
  readonly origin: ValueOrigin;
}

interface Layer {
  readonly layer: ConfigLayer;
  readonly source: string;
  readonly baseDir: string;
  readonly from: LayerSource;
}

/** A layer's receiver map over the one below: a class sets an entry, `false` removes it. */
function mergeReceivers(
  below: Policy['receivers'],
  layer: NonNullable<ConfigLayer['receivers']>,
): Record<string, ReceiverClass> {
  const out: Record<string, ReceiverClass> = { ...below };
  for (const [name, cls] of Object.entries(layer)) {
    if (cls === false) delete out[name];
    else out[name] = cls;
  }
  return out;
}

/** Merges layers (lowest first) over the defaults and resolves "auto". */
function buildPolicy(layers: readonly Layer[], index?: AutoMinimumSource): { policy: Policy; origins: PolicyOrigins } {
  const p = { ...defaultPolicy };
  const recorder = new OriginRecorder();
  let minVersion: { value: VersionNumber | 'auto'; layer: Layer } | undefined;
  let minQemu: { value: VersionNumber | 'auto'; layer: Layer } | undefined;
  for (const l of layers) {
    const c = l.layer;
    recorder.record(c, l.from);
    if (c.minVersion !== undefined) minVersion = { value: c.minVersion, layer: l };
    if (c.minQemuVersion !== undefined) minQemu = { value: c.minQemuVersion, layer: l };
    if (c.ci) p.ci = c.ci;
    if (c.gates) p.gates = c.gates;
    if (c.versionChecks) {
      p.versionChecks = c.versionChecks;
      p.versionCheckSpecs = c.versionCheckSpecs ?? [];
    }
    if (c.featureChecks) p.featureChecks = c.featureChecks;
    if (c.probes) p.probes = c.probes;
    if (c.receivers) p.receivers = mergeReceivers(p.receivers, c.receivers);
    if (c.untestedIncludesClassB !== undefined) p.untestedIncludesClassB = c.untestedIncludesClassB;
    if (c.select) p.select = c.select;
    if (c.ignore) p.ignore = c.ignore;
    if (c.severities) p.severities = { ...p.severities, ...c.severities };
    if (c.distros) p.distros = c.distros;
  }
  const auto = index?.autoMinimum() ?? {};
  const baseDir = layers[layers.length - 1]?.baseDir ?? process.cwd();
  // Unset means "auto": the workspace's MIN_LIBVIRT_VERSION / MIN_QEMU_VERSION, else the default.
  const resolve = (
    chosen: typeof minVersion,
    found: AutoMinimum | undefined,
    constant: string,
    layerKey: 'minVersion' | 'minQemuVersion',
  ): { v?: VersionNumber; source?: string; origin: ValueOrigin } => {
    const requestedBy = chosen ? originIn(chosen.layer.from, layerKey) : undefined;
    if (chosen && chosen.value !== 'auto')
      return { v: chosen.value, source: chosen.layer.source, origin: requestedBy ?? { kind: 'default' } };
    if (!found) return { origin: { kind: 'default', ...(chosen ? { note: `auto: no ${constant} found` } : {}) } };
    return {
      v: found.version,
      source: `${constant} in ${relativeFromUri(found.uri, chosen?.layer.baseDir ?? baseDir)}`,
      origin: { kind: 'auto', constant, uri: found.uri, ...(requestedBy ? { requestedBy } : {}) },
    };
  };
  const lib = resolve(minVersion, auto.libvirt, 'MIN_LIBVIRT_VERSION', 'minVersion');
  if (lib.v !== undefined) Object.assign(p, { minLibvirt: lib.v, minLibvirtSource: lib.source });
  const qemu = resolve(minQemu, auto.qemu, 'MIN_QEMU_VERSION', 'minQemuVersion');
  let qemuOrigin = qemu.origin;
  if (qemu.v !== undefined) Object.assign(p, { minQemu: qemu.v, minQemuSource: qemu.source });
  else if (lib.v !== undefined && !minQemu) {
    // A libvirt minimum without a QEMU one: the default QEMU minimum belongs to the default
    // libvirt minimum, so assume none rather than call older QEMU checks obsolete.
    Object.assign(p, { minQemu: 0, minQemuSource: 'not set (min-qemu-version)' });
    qemuOrigin = { kind: 'default', note: 'none: min-version is set, min-qemu-version is not' };
  }
  return { policy: p, origins: recorder.result(lib.origin, qemuOrigin) };
}

function relativeFromUri(uri: string, baseDir: string): string {
  const file = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  const rel = path.relative(baseDir, file);
  return (rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file).split(path.sep).join('/');
}

/**
 * Resolves policies for many files, sharing one Policy object per config file (the CLI
 * groups files by it). The language server can keep one per settings change.
 */
export class PolicyResolver {
  private readonly dirMemo = new Map<string, ConfigFile | null>();
  private readonly byConfig = new Map<string, ResolvedPolicy>();
  private readonly settingsLayer: { layer: ConfigLayer; errors: ConfigError[] } | undefined;
  private readonly explicit: { file?: ConfigFile; errors: ConfigError[] } | undefined;
  private readonly cwd: string;

  constructor(private readonly options: PolicyOptions = {}) {
    this.cwd = options.cwd ?? process.cwd();
    if (options.settings) {
      this.settingsLayer = validateConfigTable(
        { ...options.settings },
        { file: '<settings>', origin: 'settings', table: '', allowUnknownKeys: true },
      );
    }
    if (options.configFile !== undefined) {
      const file = path.resolve(this.cwd, options.configFile);
      const read = readConfigFile(file, true);
      this.explicit = read
        ? { file: read, errors: [] }
        : {
            errors: [
              {
                file: '<command line>',
                origin: 'flag',
                table: '',
                key: '--config',
                value: options.configFile,
                message: 'no such file',
              },
            ],
          };
    }
  }

  resolve(filePath: string): ResolvedPolicy {
    const config = this.explicit
      ? this.explicit.file
      : findConfigFile(path.dirname(path.resolve(this.cwd, filePath)), this.dirMemo);
    const key = config?.path ?? '';
    let resolved = this.byConfig.get(key);
    if (!resolved) {
      resolved = this.build(config);
      this.byConfig.set(key, resolved);
    }
    return resolved;
  }

  private build(config: ConfigFile | undefined): ResolvedPolicy {
    const layers: Layer[] = [];
    const errors: ConfigError[] = [...(this.explicit?.errors ?? [])];
    if (this.settingsLayer) {
      layers.push({
        layer: this.settingsLayer.layer,
        source: 'settings',
        baseDir: this.cwd,
        from: { kind: 'settings' },
      });
      errors.push(...this.settingsLayer.errors);
    }
    let excludePatterns: ExcludePattern[] = [];
    if (config) {
      const from: LayerSource = { kind: 'file', file: config.path, table: config.table, positions: config.positions };
      layers.push({ layer: config.layer, source: 'config', baseDir: path.dirname(config.path), from });
      errors.push(...config.errors);
      excludePatterns = (config.layer.exclude ?? []).map((pattern, i) => ({
        pattern,
        base: path.dirname(config.path),
        origin: { kind: 'file', file: config.path, table: config.table, ...(config.excludePositions[i] ?? {}) },
      }));
    }
    if (this.options.overrides)
      layers.push({
        layer: this.options.overrides,
        source: 'command line',
        baseDir: this.cwd,
        from: { kind: 'flags' },
      });
    const { policy, origins } = buildPolicy(layers, this.options.index);
    return {
      policy,
      ...(config ? { configFile: config.path, configTable: config.table } : {}),
      errors,
      exclude: config?.layer.exclude ?? [],
      origins,
      excludePatterns,
    };
  }
}

/** The policy for one file: nearest config, merged with settings and overrides. */
export function resolvePolicyForFile(filePath: string, options: PolicyOptions = {}): ResolvedPolicy {
  return new PolicyResolver(options).resolve(filePath);
}
