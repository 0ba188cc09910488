// Public interface of the libvirt XML feature database (implemented in this folder): which
// libvirt version introduced an element, attribute or enumerated value of domain, secret
// and snapshot XML, as libvirt's documentation states it. The generated data lives in
// libvirtXmlDb.json (scripts/build-xml-db.mjs builds it from scripts/libvirt-xml/).
import type { VersionNumber } from './featureDb';

/** The XML documents the table covers, by their root element. */
export type XmlFormat = 'domain' | 'secret' | 'domainsnapshot';

/** `interface[type=vhostuser]`: the row holds only when that element of the path has that attribute value. */
export interface XmlPredicate {
  /** Index of the element in the path (0 is the root). */
  readonly depth: number;
  readonly attribute: string;
  readonly value: string;
}

/** One row of the table: an element (no attribute), an attribute, or one value of an attribute. */
export interface XmlFeature {
  readonly format: XmlFormat;
  /** The table's spelling, predicates included: `domain/devices/interface[type=vhostuser]/driver`. */
  readonly path: string;
  /** The element path without predicates: `domain/devices/interface/driver`. */
  readonly elementPath: string;
  readonly predicates: readonly XmlPredicate[];
  readonly attribute?: string;
  readonly value?: string;
  /** The documented libvirt version; 0 when the docs give none (an undated row: always available). */
  readonly since: VersionNumber;
  readonly dated: boolean;
  /** The documented QEMU version, where the docs state one. */
  readonly qemuSince?: VersionNumber;
  /** The hypervisors the docs limit it to (`QEMU/KVM`), when they say. */
  readonly scope?: string;
  /** Where the docs say it: `formatdomain.rst:3105 ":since:`Since 1.0.6`"` (libvirt 11.3.0's docs). */
  readonly evidence: string;
  /** The reviewer's note (inheritance, CONDITIONAL, AMBIGUOUS, the version drivers guard with). */
  readonly note?: string;
  /** The docs page: https://libvirt.org/formatdomain.html. */
  readonly docsUrl: string;
}

/** The newest version on each axis (0: none dated) among some rows. */
export interface XmlBound {
  readonly libvirt: VersionNumber;
  readonly qemu: VersionNumber;
}

/** The newer of two bounds on each axis (`a` absent: `b`). */
export function newestOf(a: XmlBound | undefined, b: XmlBound): XmlBound {
  return a ? { libvirt: Math.max(a.libvirt, b.libvirt), qemu: Math.max(a.qemu, b.qemu) } : b;
}

export interface XmlFeatureDb {
  readonly rowCount: number;
  readonly datedCount: number;
  /** Element paths (no predicates) whose last element is `name`: every prefix of a table path counts. */
  pathsEndingIn(name: string): readonly string[];
  /** Rows at an element path: the element's (no attribute), an attribute's, or a value's; plain row first, then predicated ones. */
  rows(elementPath: string, attribute?: string, value?: string): readonly XmlFeature[];
  /**
   * The newest of the rows a write can resolve to, whatever the path above it (and its
   * predicates): those of an element named `element` (any element, without it), or of its
   * `attribute`, written with no known value or (given) with `value` (`*`: any value).
   */
  bound(element: string | undefined, attribute?: string, value?: string): XmlBound;
  /** Every element name of the table, for a cheap "may this text hold libvirt XML" test. */
  readonly elementNames: ReadonlySet<string>;
  /** Every row, in table order (for coverage reports). */
  all(): readonly XmlFeature[];
}
