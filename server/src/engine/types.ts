// Types shared by the engine and its faces (LSP, CLI). Positions are 0-based lines and
// UTF-16 columns, like LSP and like web-tree-sitter on a JS string.
import type { VersionNumber } from '../data/featureDb';

export interface Position {
  readonly line: number;
  readonly character: number;
}
export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** [lo, hi): hi is Infinity when unbounded. Empty when lo >= hi (dead code). */
export interface VersionInterval {
  readonly lo: VersionNumber;
  readonly hi: VersionNumber;
}

export type SupportClass = 'A' | 'B' | 'C';
export type { Severity } from '../config/policy';
import type { Severity } from '../config/policy';

export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  /** Safe fixes keep behaviour on every supported host; `--fix` and fix-all apply only those. */
  readonly safe: boolean;
  readonly preferred: boolean;
  readonly kind: 'gate' | 'add-check' | 'raise-check' | 'remove-check' | 'remove-gate' | 'rename' | 'suppress';
  readonly edits: readonly TextEdit[];
}

/** A guard that shaped the interval of a finding's path. */
export interface GuardFact {
  readonly kind:
    'version-check' | 'exact-version-check' | 'gate' | 'hasattr' | 'except-attributeerror' | 'caller' | 'helper';
  /** Where it is: the file's own uri, or another workspace file's. */
  readonly uri: string;
  readonly range: Range;
  readonly axis?: 'libvirt' | 'qemu';
  readonly version?: VersionNumber;
  /** Source text of the guard, shortened: `self._host.has_min_version(MIN_LIBVIRT_BLOCKCOPY_VERSION)`. */
  readonly text: string;
}

export interface RelatedInformation {
  readonly uri: string;
  readonly range: Range;
  readonly message: string;
}

export interface SymbolFacts {
  /** Python spelling: 'virDomain.blockCopy', 'libvirt.VIR_MIGRATE_POSTCOPY', 'libvirt.openAuth'. */
  readonly python: string;
  readonly cName: string;
  readonly since: VersionNumber;
  readonly docsUrl: string;
  /** Other classes defining the same method name, when the receiver was not known. */
  readonly candidates?: readonly { readonly python: string; readonly since: VersionNumber }[];
  /** How the receiver's class was found. */
  readonly receiverVia?: 'return-type' | 'annotation' | 'name-map' | 'unique-name' | 'oldest-candidate' | 'module';
}

/** An element, attribute or value of libvirt XML the code writes, as the XML feature table dates it. */
export interface XmlFeatureFacts {
  /** `domain/devices/disk/driver/@discard`, `domain/devices/interface/@type='vhostuser'`. */
  readonly xpath: string;
  /** The table's path (predicates included), attribute and value. */
  readonly path: string;
  readonly attribute?: string;
  readonly value?: string;
  /** The documented libvirt version; 0 for an undated row (always available). */
  readonly since: VersionNumber;
  readonly dated: boolean;
  readonly qemuSince?: VersionNumber;
  /** The hypervisors the docs limit it to, when they say (`QEMU/KVM`). */
  readonly scope?: string;
  /** `formatdomain.rst:3105 ":since:`Since 1.0.6`"`: where libvirt's docs say it. */
  readonly evidence: string;
  readonly docsUrl: string;
  /** How many other table paths the code could mean (its outermost element was not in view); the oldest counts. */
  readonly otherPaths: number;
  /** How the code writes it: an ElementTree/lxml call, an XML string, or an attribute of a config object. */
  readonly via: 'builder' | 'template' | 'config-attribute';
  /** For a config attribute: `LibvirtConfigGuestDisk.driver_discard`. */
  readonly configAttribute?: string;
}

export interface Finding {
  readonly code: string; // 'LVG001'
  readonly severity: Severity;
  readonly range: Range;
  readonly message: string;
  /** Which of the rule's messages (its `messages` table) worded this finding, and the values it was filled with. */
  readonly messageId: string;
  readonly data: Readonly<Record<string, string>>;
  readonly symbol?: SymbolFacts;
  /** The XML feature a finding is about (LVG010, and LVG001 on XML). */
  readonly xml?: XmlFeatureFacts;
  readonly interval: { readonly libvirt: VersionInterval; readonly qemu: VersionInterval };
  readonly supportClass?: SupportClass;
  readonly guards: readonly GuardFact[];
  readonly related: readonly RelatedInformation[];
  /** Ranges to show as unnecessary (dead else-branch of an obsolete check). */
  readonly unnecessary: readonly Range[];
  readonly fixes: readonly Fix[];
}

/** What the engine knows at a position, for hovers. */
export interface HoverFacts {
  readonly range: Range;
  readonly kind: 'symbol' | 'check' | 'gate' | 'constant' | 'xml';
  readonly symbol?: SymbolFacts;
  readonly xml?: XmlFeatureFacts;
  readonly interval: { readonly libvirt: VersionInterval; readonly qemu: VersionInterval };
  /** Class of the path at that point (for a symbol or XML feature: of [max(lo, since), hi)). */
  readonly supportClass: SupportClass;
  readonly gated: boolean;
  readonly guards: readonly GuardFact[];
  /** For a version check or MIN_* constant: the version and the branches' classes. */
  readonly check?: {
    readonly axis: 'libvirt' | 'qemu';
    readonly version: VersionNumber;
    readonly exact: boolean;
    readonly thenInterval: VersionInterval;
    readonly thenClass: SupportClass;
    readonly elseInterval: VersionInterval;
    readonly elseClass: SupportClass;
  };
}

export interface AnalysisResult {
  readonly findings: readonly Finding[];
  /** Facts for every libvirt symbol use, check and gate in the file, sorted by position. */
  readonly hovers: readonly HoverFacts[];
  /** Syntax errors seen (the engine still analyzes the parts that parse). */
  readonly syntaxErrors: number;
  /** Findings dropped by `# libvirt-gate: ignore[...]` comments. */
  readonly suppressed: number;
  /** What the engine could not do on this file, in words for the user (nesting too deep, ...). */
  readonly notes: readonly string[];
}

export { VersionNumber };
