// Loads the generated libvirt XML feature database (libvirtXmlDb.json, built by
// scripts/build-xml-db.mjs; see the format at the top of that script) and indexes it
// behind the XmlFeatureDb interface: rows by element path, paths by their last element.
import data from './libvirtXmlDb.json';
import {
  newestOf,
  type XmlBound,
  type XmlFeature,
  type XmlFeatureDb,
  type XmlFormat,
  type XmlPredicate,
} from './xmlFeatureDb';

/** [format, path, attribute, value, since, qemuSince, scope, docIndex, line, phrase, note] */
type RawRow = readonly [
  string,
  string,
  string,
  string,
  number | null,
  number | null,
  string,
  number,
  number,
  string,
  string,
];

interface RawXmlDb {
  readonly format: number;
  readonly docs: readonly string[];
  readonly rows: readonly RawRow[];
}

const DOCS_BASE = 'https://libvirt.org/';
const EMPTY: readonly never[] = Object.freeze([]);

function splitPath(path: string): { elementPath: string; predicates: XmlPredicate[] } {
  const predicates: XmlPredicate[] = [];
  const names = path.split('/').map((step, depth) => {
    const m = /^([^[]+)\[([^=\]]+)=([^\]]+)\]$/.exec(step);
    if (!m) return step;
    predicates.push({ depth, attribute: m[2] ?? '', value: m[3] ?? '' });
    return m[1] ?? step;
  });
  return { elementPath: names.join('/'), predicates };
}

const rowKey = (elementPath: string, attribute = '', value = ''): string => `${elementPath}|${attribute}|${value}`;
const noBound: XmlBound = Object.freeze({ libvirt: 0, qemu: 0 });

class IndexedXmlFeatureDb implements XmlFeatureDb {
  readonly rowCount: number;
  readonly datedCount: number;
  readonly elementNames: ReadonlySet<string>;
  private readonly features: XmlFeature[] = [];
  private readonly byKey = new Map<string, XmlFeature[]>();
  private readonly byLastName = new Map<string, string[]>();
  /** By `element|attribute|value` (an empty part: any element, the element itself, no value). */
  private readonly bounds = new Map<string, XmlBound>();

  constructor(raw: RawXmlDb) {
    if (raw.format !== 1) throw new Error(`libvirtXmlDb.json: unsupported format ${raw.format}`);
    const paths = new Set<string>();
    for (const [format, path, attribute, value, since, qemuSince, scope, doc, line, phrase, note] of raw.rows) {
      const page = raw.docs[doc] ?? 'formatdomain';
      const { elementPath, predicates } = splitPath(path);
      const feature: XmlFeature = {
        format: format as XmlFormat,
        path,
        elementPath,
        predicates,
        ...(attribute ? { attribute } : {}),
        ...(value ? { value } : {}),
        since: since ?? 0,
        dated: since !== null,
        ...(qemuSince !== null ? { qemuSince } : {}),
        ...(scope ? { scope } : {}),
        evidence: `${page}.rst:${line} "${phrase}"`,
        ...(note ? { note } : {}),
        docsUrl: `${DOCS_BASE}${page}.html`,
      };
      this.features.push(feature);
      const key = rowKey(elementPath, attribute, value);
      const list = this.byKey.get(key);
      // The plain row first: predicated variants refine it.
      if (!list) this.byKey.set(key, [feature]);
      else if (predicates.length) list.push(feature);
      else list.unshift(feature);
      const steps = elementPath.split('/');
      for (let i = 1; i <= steps.length; i++) paths.add(steps.slice(0, i).join('/'));
    }
    const names = new Set<string>();
    for (const p of [...paths].sort()) {
      const last = p.slice(p.lastIndexOf('/') + 1);
      names.add(last);
      const list = this.byLastName.get(last);
      if (list) list.push(p);
      else this.byLastName.set(last, [p]);
    }
    this.elementNames = names;
    for (const f of this.features) {
      const element = f.elementPath.slice(f.elementPath.lastIndexOf('/') + 1);
      const tail = f.attribute === undefined ? '|' : `${f.attribute}|${f.value ?? ''}`;
      // An attribute's rows also count under `*`: written with any value.
      const keys =
        f.attribute === undefined
          ? [`${element}|${tail}`]
          : [`${element}|${tail}`, `|${tail}`, `${element}|${f.attribute}|*`, `|${f.attribute}|*`];
      for (const key of keys) {
        const b = this.bounds.get(key) ?? noBound;
        const qemu = f.qemuSince ?? 0;
        if (f.since > b.libvirt || qemu > b.qemu)
          this.bounds.set(key, { libvirt: Math.max(b.libvirt, f.since), qemu: Math.max(b.qemu, qemu) });
      }
    }
    this.rowCount = this.features.length;
    this.datedCount = this.features.filter((f) => f.dated).length;
  }

  pathsEndingIn(name: string): readonly string[] {
    return this.byLastName.get(name) ?? EMPTY;
  }

  rows(elementPath: string, attribute?: string, value?: string): readonly XmlFeature[] {
    return this.byKey.get(rowKey(elementPath, attribute, value)) ?? EMPTY;
  }

  bound(element: string | undefined, attribute?: string, value?: string): XmlBound {
    const key = `${element ?? ''}|${attribute ?? ''}|`;
    const plain = this.bounds.get(key) ?? noBound;
    if (attribute === undefined || value === undefined) return plain;
    const valued = this.bounds.get(key + value);
    return valued ? newestOf(plain, valued) : plain;
  }

  all(): readonly XmlFeature[] {
    return this.features;
  }
}

let instance: XmlFeatureDb | undefined;

/** The libvirt XML feature database (built once, then shared). */
export function loadXmlFeatureDb(): XmlFeatureDb {
  instance ??= new IndexedXmlFeatureDb(data as unknown as RawXmlDb);
  return instance;
}
