// Loads the generated libvirt feature database (libvirtDb.json, built by
// scripts/build-db.mjs; see the format description at the top of that script)
// and indexes it behind the FeatureDb interface.

import data from './libvirtDb.json';
import type { ConstantFeature, FeatureDb, LibvirtModule, MethodFeature, VersionNumber } from './featureDb';

/** [name, cName, since, pageIndex, returns?]; returns is 'virDomain' or 'virDomain[]' (a list). */
type RawMethod = readonly [string, string, number, number, string?];
/** [name, since, kind (0 enum, 1 macro), enumTypeIndex (-1: none), value, pageIndex] */
type RawConstant = readonly [string, number, number, number, string, number];

interface RawDb {
  readonly format: number;
  readonly dataVersion: number;
  readonly pages: readonly string[];
  readonly enumTypes: readonly string[];
  readonly classes: Readonly<Record<string, readonly RawMethod[]>>;
  readonly functions: Readonly<Partial<Record<LibvirtModule, readonly RawMethod[]>>>;
  readonly constants: Readonly<Partial<Record<LibvirtModule, readonly RawConstant[]>>>;
}

const DOCS_BASE = 'https://libvirt.org/html/';
const MODULES: readonly LibvirtModule[] = ['libvirt', 'libvirt_qemu', 'libvirt_lxc'];
const EMPTY: readonly never[] = Object.freeze([]);

class IndexedFeatureDb implements FeatureDb {
  readonly dataVersion: VersionNumber;
  readonly classNames: ReadonlySet<string>;

  private readonly methods = new Map<string, Map<string, MethodFeature>>();
  private readonly byName = new Map<string, MethodFeature[]>();
  private readonly functions = new Map<LibvirtModule, Map<string, MethodFeature>>();
  /** Raw constant rows per module; ConstantFeature objects are made on first lookup. */
  private readonly rawConstants = new Map<LibvirtModule, Map<string, RawConstant>>();
  private readonly constants = new Map<LibvirtModule, Map<string, ConstantFeature>>();
  private readonly names = new Map<LibvirtModule, readonly string[]>();

  constructor(private readonly raw: RawDb) {
    if (raw.format !== 1) throw new Error(`libvirtDb.json: unsupported format ${raw.format}`);
    this.dataVersion = raw.dataVersion;
    this.classNames = new Set(Object.keys(raw.classes));

    for (const [pyClass, rows] of Object.entries(raw.classes)) {
      const table = new Map<string, MethodFeature>();
      for (const row of rows) {
        const m = this.method_('libvirt', pyClass, row);
        table.set(m.name, m);
        const list = this.byName.get(m.name);
        if (list) list.push(m);
        else this.byName.set(m.name, [m]);
      }
      this.methods.set(pyClass, table);
    }
    for (const list of this.byName.values()) {
      if (list.length > 1) {
        list.sort((a, b) => a.since - b.since || (a.pyClass < b.pyClass ? -1 : a.pyClass > b.pyClass ? 1 : 0));
      }
    }

    for (const mod of MODULES) {
      const table = new Map<string, MethodFeature>();
      for (const row of raw.functions[mod] ?? EMPTY) {
        const f = this.method_(mod, '', row);
        table.set(f.name, f);
      }
      this.functions.set(mod, table);

      const rows = raw.constants[mod] ?? EMPTY;
      this.rawConstants.set(mod, new Map(rows.map((r) => [r[0], r])));
      this.names.set(mod, Object.freeze(rows.map((r) => r[0])));
    }
  }

  method(pyClass: string, name: string): MethodFeature | undefined {
    return this.methods.get(pyClass)?.get(name);
  }

  methodsNamed(name: string): readonly MethodFeature[] {
    return this.byName.get(name) ?? EMPTY;
  }

  moduleFunction(pyModule: LibvirtModule, name: string): MethodFeature | undefined {
    return this.functions.get(pyModule)?.get(name);
  }

  constant(pyModule: LibvirtModule, name: string): ConstantFeature | undefined {
    let cache = this.constants.get(pyModule);
    const hit = cache?.get(name);
    if (hit) return hit;
    const row = this.rawConstants.get(pyModule)?.get(name);
    if (!row) return undefined;
    const [, since, kind, enumIndex, value, page] = row;
    const enumType = enumIndex >= 0 ? this.raw.enumTypes[enumIndex] : undefined;
    const feature: ConstantFeature = {
      pyModule,
      name,
      since,
      kind: kind === 0 ? 'enum' : 'macro',
      ...(enumType !== undefined ? { enumType } : {}),
      ...(value !== '' ? { value } : {}),
      docsUrl: `${DOCS_BASE}${this.raw.pages[page]}.html#${name}`,
    };
    if (!cache) {
      cache = new Map();
      this.constants.set(pyModule, cache);
    }
    cache.set(name, feature);
    return feature;
  }

  constantNames(pyModule: LibvirtModule): readonly string[] {
    return this.names.get(pyModule) ?? EMPTY;
  }

  private method_(pyModule: LibvirtModule, pyClass: string, row: RawMethod): MethodFeature {
    const [name, cName, since, page, ret] = row;
    const base = {
      pyModule,
      pyClass,
      name,
      cName,
      since,
      docsUrl: `${DOCS_BASE}${this.raw.pages[page]}.html#${cName}`,
    };
    if (ret === undefined) return base;
    const list = ret.endsWith('[]');
    return { ...base, returns: { pyClass: list ? ret.slice(0, -2) : ret, list } };
  }
}

let instance: FeatureDb | undefined;

/** The libvirt feature database (built once, then shared). */
export function loadFeatureDb(): FeatureDb {
  instance ??= new IndexedFeatureDb(data as unknown as RawDb);
  return instance;
}
