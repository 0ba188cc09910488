// Where each value of a resolved policy came from: the defaults, the editor settings, a config
// file (with the key's line), a command-line flag, or "auto" (a MIN_* constant in the
// workspace). Tracked generically over the validated layer's keys, so a new config key gets
// its origin without code here; `libvirt-gate config` prints them.
import { isTable } from './configError';
import { configKeys, type ConfigLayer } from './validate';

/** 1-based; `endColumn` exclusive. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
  readonly endColumn?: number;
}

export type ValueOrigin =
  | { readonly kind: 'default'; readonly note?: string }
  | { readonly kind: 'settings' }
  | ({ readonly kind: 'file'; readonly file: string; readonly table: string } & Partial<TextPosition>)
  | { readonly kind: 'flag'; readonly flag: string }
  | {
      readonly kind: 'auto';
      /** MIN_LIBVIRT_VERSION or MIN_QEMU_VERSION. */
      readonly constant: string;
      /** The file that defines it. */
      readonly uri: string;
      /** The layer that asked for "auto" explicitly; absent when the key is not set anywhere. */
      readonly requestedBy?: ValueOrigin;
    };

export interface EntryOrigin {
  readonly origin: ValueOrigin;
  /** What that layer set: a table entry's value, `false` for a removed entry. */
  readonly value: unknown;
}

export interface PolicyOrigins {
  /** ConfigLayer property → the layer whose value is in force; absent: the built-in default. */
  readonly keys: ReadonlyMap<string, ValueOrigin>;
  /** For table values (receivers, severity): ConfigLayer property → entry → the last layer to set it. */
  readonly entries: ReadonlyMap<string, ReadonlyMap<string, EntryOrigin>>;
  /** The minimums, which "auto" can take from the workspace. */
  readonly minLibvirt: ValueOrigin;
  readonly minQemu: ValueOrigin;
}

export type ConfigKeyName = (typeof configKeys)[number];

type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;

function camel<K extends string>(key: K): Camel<K> {
  return key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as Camel<K>;
}

/** The ConfigLayer property a config key sets (`min-version` → `minVersion`, `gate` → `gates`). */
export function layerKeyOf(key: ConfigKeyName): keyof ConfigLayer {
  if (key === 'gate') return 'gates';
  if (key === 'severity') return 'severities';
  // A new key whose camelCase is not its ConfigLayer property does not compile here: name it above.
  return camel(key);
}

const configKeyByLayerKey: ReadonlyMap<string, ConfigKeyName> = new Map(configKeys.map((k) => [layerKeyOf(k), k]));

/** The config key (TOML spelling) of a ConfigLayer property. */
function configKeyOf(layerKey: string): string {
  return configKeyByLayerKey.get(layerKey) ?? layerKey.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** What a layer is, to name it as the origin of its values. */
export type LayerSource =
  | { readonly kind: 'settings' }
  | {
      readonly kind: 'file';
      readonly file: string;
      readonly table: string;
      /** Where each top-level key (TOML spelling) is set. */
      readonly positions: ReadonlyMap<string, TextPosition>;
    }
  | { readonly kind: 'flags' };

/** The origin of a layer's value for one ConfigLayer property. */
export function originIn(source: LayerSource, layerKey: string): ValueOrigin {
  if (source.kind === 'settings') return { kind: 'settings' };
  const key = configKeyOf(layerKey);
  if (source.kind === 'flags') return { kind: 'flag', flag: `--${key}` };
  const at = source.positions.get(key);
  return { kind: 'file', file: source.file, table: source.table, ...(at ? { line: at.line, column: at.column } : {}) };
}

/** Accumulates origins while layers merge, lowest first. */
export class OriginRecorder {
  private readonly keys = new Map<string, ValueOrigin>();
  private readonly entries = new Map<string, Map<string, EntryOrigin>>();

  record(layer: ConfigLayer, source: LayerSource): void {
    for (const [key, value] of Object.entries(layer) as [string, unknown][]) {
      if (value === undefined) continue;
      const origin = originIn(source, key);
      this.keys.set(key, origin);
      if (!isTable(value)) continue;
      let table = this.entries.get(key);
      if (!table) this.entries.set(key, (table = new Map()));
      for (const [name, entry] of Object.entries(value)) table.set(name, { origin, value: entry });
    }
  }

  result(minLibvirt: ValueOrigin, minQemu: ValueOrigin): PolicyOrigins {
    return { keys: this.keys, entries: this.entries, minLibvirt, minQemu };
  }
}
