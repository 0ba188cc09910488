// `libvirt-gate config`: the resolved policy as one entry per config key, each with its value
// and origin (and per item for tables and exclude), rendered as aligned text or JSON. Keys
// come from the validator's list, so a key added there shows up here; the few whose policy
// value is not the layer's (the minimums, ci, exclude, select) are described by hand.
import { displayPath, isTable, renderValue } from '../config/configError';
import { defaultPolicy } from '../config/defaults';
import type { ExcludePattern, ResolvedPolicy } from '../config/loadConfig';
import { layerKeyOf, type ValueOrigin } from '../config/origins';
import type { CiJob, VersionCheckSpec } from '../config/policy';
import { defaultDistros } from '../config/presets';
import { configKeys } from '../config/validate';
import { formatVersion } from '../data/version';
import { rules } from '../engine/api';
import { displayRel, uriToDisplayPath } from './report';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

interface Row {
  readonly text: string;
  readonly origin: ValueOrigin;
}

/** One config key as `config` shows it. */
interface KeyView {
  readonly key: string;
  readonly value: Json;
  readonly origin: ValueOrigin;
  /** Per entry of a table, or per exclude pattern, when they can come from different places. */
  readonly items?: readonly Json[];
  readonly rows: readonly Row[];
}

export interface PolicyView {
  /** The file the policy is for, as given (or `__probe__.py` in the working folder). */
  readonly file: string;
  /** When the file stands for any file of a folder: that folder, for the text header. */
  readonly folder?: string;
  readonly resolved: ResolvedPolicy;
  /** `--exclude` patterns, relative to the working folder. */
  readonly cliExclude: readonly ExcludePattern[];
  readonly cwd: string;
}

const none = '(none)';

function jsonOrigin(o: ValueOrigin, cwd: string): Json {
  switch (o.kind) {
    case 'default':
      return { kind: 'default', ...(o.note ? { note: o.note } : {}) };
    case 'settings':
      return { kind: 'settings' };
    case 'flag':
      return { kind: 'flag', flag: o.flag };
    case 'file':
      return { kind: 'file', file: displayRel(cwd, o.file), table: o.table, line: o.line ?? null };
    case 'auto':
      return {
        kind: 'auto',
        constant: o.constant,
        file: uriToDisplayPath(cwd, o.uri),
        requestedBy: o.requestedBy ? jsonOrigin(o.requestedBy, cwd) : null,
      };
  }
}

/** `default`, `settings`, `pyproject.toml:5 [tool.libvirt-gate]`, `--min-version`, `auto: MIN_LIBVIRT_VERSION in a.py`. */
function originText(o: ValueOrigin, cwd: string): string {
  switch (o.kind) {
    case 'default':
      return o.note ? `default (${o.note})` : 'default';
    case 'settings':
      return 'settings';
    case 'flag':
      return o.flag;
    case 'file':
      return `${displayPath(o.file, cwd)}${o.line === undefined ? '' : `:${o.line}`}${o.table ? ` [${o.table}]` : ''}`;
    case 'auto':
      return `auto: ${o.constant} in ${uriToDisplayPath(cwd, o.uri)}${o.requestedBy ? `; "auto" set at ${originText(o.requestedBy, cwd)}` : ''}`;
  }
}

/** `gate: libvirt 10.0.0, QEMU 8.2.2, upstream`; `ubuntu-24.04 (preset): ...`; `gate (preset rhel-9.6): ...`. */
function ciText(j: CiJob): string {
  const qemu = j.qemu === undefined ? 'QEMU not stated' : `QEMU ${formatVersion(j.qemu)}`;
  const preset = j.preset === undefined ? '' : j.preset === j.name ? ' (preset)' : ` (preset ${j.preset})`;
  return `${j.name}${preset}: libvirt ${formatVersion(j.libvirt)}, ${qemu}, ${j.kind}`;
}

function ciJson(j: CiJob): Json {
  return {
    name: j.name,
    libvirt: formatVersion(j.libvirt),
    qemu: j.qemu === undefined ? null : formatVersion(j.qemu),
    kind: j.kind,
    ...(j.preset ? { preset: j.preset } : {}),
  };
}

/** A value as JSON (plain data from the validator: strings, numbers, booleans, arrays, tables). */
function toJson(value: unknown): Json {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toJson);
  if (isTable(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return String(value);
}

function itemText(value: unknown): string {
  return typeof value === 'string' ? value : renderValue(value);
}

/** A list: one row per item, all from the key's origin. */
function listRows(values: readonly unknown[], origin: ValueOrigin, empty = none): Row[] {
  return values.length ? values.map((v) => ({ text: itemText(v), origin })) : [{ text: empty, origin }];
}

/**
 * A table merged over lower layers (receivers, severity): each entry with the layer that set
 * it, and entries a layer removed (`name = false`) shown with the value they had by default.
 */
function tableView(
  view: PolicyView,
  key: string,
  layerKey: string,
  value: Record<string, unknown>,
  origin: ValueOrigin,
  empty: string,
): KeyView {
  const entryOrigins = view.resolved.origins.entries.get(layerKey);
  const defaults = (defaultPolicy as unknown as Record<string, unknown>)[layerKey];
  const defaultTable = isTable(defaults) ? defaults : {};
  // The defaults' order first (a removed default stays where it was), then the layers' own entries.
  const removedNames = [...(entryOrigins ?? [])].filter(([, e]) => e.value === false).map(([name]) => name);
  const shown = new Set([...Object.keys(value), ...removedNames]);
  const names = new Set([...Object.keys(defaultTable), ...shown].filter((name) => shown.has(name)));
  const rows: Row[] = [];
  const items: Json[] = [];
  for (const name of names) {
    const entryOrigin = entryOrigins?.get(name)?.origin ?? { kind: 'default' };
    // Own properties only: a user's entry may be named like an Object.prototype member.
    const current = Object.hasOwn(value, name) ? value[name] : undefined;
    const removed = current === undefined || current === false;
    const was = Object.hasOwn(defaultTable, name) ? defaultTable[name] : undefined;
    rows.push({
      text: removed
        ? `${name} = ${was === undefined ? 'false' : itemText(was)} (removed)`
        : `${name} = ${itemText(current)}`,
      origin: entryOrigin,
    });
    items.push({
      name,
      value: removed ? null : toJson(current),
      ...(removed ? { removed: toJson(was ?? false) } : {}),
      origin: jsonOrigin(entryOrigin, view.cwd),
    });
  }
  const live = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== false));
  return { key, value: toJson(live), origin, items, rows: rows.length ? rows : [{ text: empty, origin }] };
}

function excludeView(view: PolicyView, origin: ValueOrigin): KeyView {
  const patterns = [...view.resolved.excludePatterns, ...view.cliExclude];
  const rows = patterns.map((p) => ({ text: `${p.pattern} (under ${p.base})`, origin: p.origin }));
  return {
    key: 'exclude',
    value: patterns.map((p) => p.pattern),
    origin: patterns.at(-1)?.origin ?? origin,
    items: patterns.map((p) => ({ pattern: p.pattern, base: p.base, origin: jsonOrigin(p.origin, view.cwd) })),
    rows: rows.length ? rows : [{ text: none, origin }],
  };
}

/** Every config key, in the validator's order, with its value in force and where it came from. */
function policyView(view: PolicyView): KeyView[] {
  const { policy, origins } = view.resolved;
  const fields = policy as unknown as Record<string, unknown>;
  return configKeys.map((key): KeyView => {
    const layerKey = layerKeyOf(key);
    const origin = origins.keys.get(layerKey) ?? { kind: 'default' };
    switch (key) {
      case 'min-version':
        return one(key, formatVersion(policy.minLibvirt), origins.minLibvirt);
      case 'min-qemu-version':
        return one(key, formatVersion(policy.minQemu), origins.minQemu);
      case 'ci':
        return { key, value: policy.ci.map(ciJson), origin, rows: listRows(policy.ci.map(ciText), origin) };
      case 'select': {
        if (policy.select) return { key, value: [...policy.select], origin, rows: listRows(policy.select, origin) };
        const defaults = rules.filter((r) => r.defaultEnabled).map((r) => r.code);
        return { key, value: null, origin, rows: [{ text: `(the rules' defaults: ${defaults.join(', ')})`, origin }] };
      }
      case 'version-checks': {
        // A name, with its own argument convention when it has one (a table entry).
        const specs = new Map((policy.versionCheckSpecs ?? []).map((spec) => [spec.name, spec]));
        const texts = policy.versionChecks.map((name) => {
          const spec = specs.get(name);
          return spec ? `${name} (${checkSpecText(spec)})` : name;
        });
        const value = policy.versionChecks.map((name) => toJson(specs.get(name) ?? name));
        return { key, value, origin, rows: listRows(texts, origin) };
      }
      case 'feature-checks': {
        const checks = policy.featureChecks ?? [];
        const texts = checks.map((f) =>
          f.arg === undefined && f.keyword === undefined
            ? f.name
            : `${f.name} (${[f.arg === undefined ? '' : `argument ${f.arg}`, f.keyword ? `keyword ${f.keyword}` : ''].filter(Boolean).join(', ')})`,
        );
        return { key, value: toJson(checks), origin, rows: listRows(texts, origin) };
      }
      case 'exclude':
        return excludeView(view, origin);
      case 'distros': {
        const distros = policy.distros ?? defaultDistros;
        return { key, value: [...distros], origin, rows: listRows(distros, origin) };
      }
      default: {
        // Any other key: the policy field of the same name (the layer's, merged), else the default's.
        const value =
          layerKey in fields ? fields[layerKey] : (defaultPolicy as unknown as Record<string, unknown>)[layerKey];
        if (isTable(value))
          return tableView(view, key, layerKey, value, origin, key === 'severity' ? "(none: each rule's own)" : none);
        if (Array.isArray(value)) return { key, value: toJson(value), origin, rows: listRows(value, origin) };
        return one(key, value === undefined ? '(not set)' : itemText(value), origin, toJson(value));
      }
    }
  });
}

/** A configured version check's convention in words: `form string, argument 0, libvirt`. */
function checkSpecText(spec: VersionCheckSpec): string {
  const where =
    spec.form === 'keywords'
      ? `keywords ${spec.parts.join(', ')}`
      : `argument ${spec.arg}${spec.keyword ? ` or ${spec.keyword}=` : ''}`;
  return [`form ${spec.form}`, where, spec.axis, ...(spec.exact ? ['exact'] : [])].join(', ');
}

function one(key: string, text: string, origin: ValueOrigin, value: Json = text): KeyView {
  return { key, value, origin, rows: [{ text, origin }] };
}

/** Aligned columns: key, value, origin (shown again only where it changes within a key). */
export function formatPolicyText(view: PolicyView): string {
  const keys = policyView(view);
  const target = view.file;
  const config = view.resolved.configFile;
  const table = config && view.resolved.configTable ? ` [${view.resolved.configTable}]` : '';
  const header = [
    view.folder ? `Policy for files in ${view.folder}` : `Policy for ${target}`,
    `Config file: ${config ? `${displayPath(config, view.cwd)}${table}` : 'none (defaults and command-line flags)'}`,
    '',
  ];
  const keyWidth = Math.max(...keys.map((k) => k.key.length)) + 2;
  const valueWidth = Math.min(44, Math.max(...keys.flatMap((k) => k.rows.map((r) => r.text.length)))) + 2;
  const lines: string[] = [];
  for (const k of keys) {
    let previous: string | undefined;
    k.rows.forEach((row, i) => {
      const origin = originText(row.origin, view.cwd);
      const shown = origin === previous ? '' : origin;
      previous = origin;
      const name = i === 0 ? k.key : '';
      const cell = row.text.length + 2 > valueWidth ? `${row.text}  ` : row.text.padEnd(valueWidth);
      lines.push(`${name.padEnd(keyWidth)}${shown ? `${cell}${shown}` : row.text}`.trimEnd());
    });
  }
  return `${[...header, ...lines].join('\n')}\n`;
}

export function formatPolicyJson(view: PolicyView, version: string, warnings: readonly Json[]): string {
  const config = view.resolved.configFile;
  const policy: Record<string, Json> = {};
  for (const k of policyView(view)) {
    policy[k.key] = {
      value: k.value,
      origin: jsonOrigin(k.origin, view.cwd),
      ...(k.items ? { items: [...k.items] } : {}),
    };
  }
  const doc: Json = {
    version,
    file: view.file,
    configFile: config ? displayRel(view.cwd, config) : null,
    configTable: config ? (view.resolved.configTable ?? '') : null,
    policy,
    warnings: [...warnings],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
