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
  readonly kind:
    | 'gate'
    | 'add-check'
    | 'raise-check'
    | 'remove-check'
    | 'remove-gate'
    | 'rename'
    | 'guard-import'
    | 'suppress'
    | 'declare-option'
    | 'default-off';
  /** Edits in the finding's file. A fix that refuses has none, and says why in its title. */
  readonly edits: readonly TextEdit[];
  /** Edits in other files of the workspace (an option added to the configuration module's list). */
  readonly otherFiles?: readonly FileEdits[];
}

export interface FileEdits {
  readonly uri: string;
  readonly edits: readonly TextEdit[];
  /**
   * Text the edits were computed against (from the workspace index, not an open editor): apply
   * them only while the file still has exactly this text at this range.
   */
  readonly anchor: { readonly range: Range; readonly text: string };
}

/** A guard that shaped the interval of a finding's path. */
export interface GuardFact {
  readonly kind:
    | 'version-check'
    | 'exact-version-check'
    | 'gate'
    | 'hasattr'
    | 'except-attributeerror'
    | 'except-importerror'
    | 'caller'
    | 'helper';
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
  /** Why the receiver was taken for a libvirt class (absent for module members: `libvirt.X`). */
  readonly receiverVia?: ReceiverVia;
}

/** The evidence for a method receiver's libvirt class, in the finding's own file. */
export interface ReceiverVia {
  /**
   * return-type: a libvirt call produced it (directly, or through a variable, attribute or loop);
   * annotation: a type annotation; name-map: the `receivers` setting matched its name;
   * unique-name / oldest-candidate: its type is unknown and the method name alone decided.
   */
  readonly kind: 'return-type' | 'annotation' | 'name-map' | 'unique-name' | 'oldest-candidate';
  /** Short source text: `dom = conn.lookupByName(...)`, `dom: libvirt.virDomain`, the map key `dom`, the method name. */
  readonly text: string;
  readonly range: Range;
  /** The libvirt API that produced the object: the object exists only where it ran (`virDomain.listAllSnapshots`). */
  readonly producer?: { readonly python: string; readonly since: VersionNumber };
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

/** A gate's oslo.config option (`CONF.<group>.<name>`), for its hover. */
export interface OptionFacts {
  readonly group: string;
  readonly name: string;
  /** Where the workspace declares it; absent when no file does (while some file declares options). */
  readonly declaration?: {
    readonly uri: string;
    readonly range: Range;
    /** 'BoolOpt', ... */
    readonly type: string;
    /** Source text of its default, when given. */
    readonly defaultText?: string;
    readonly help?: string;
  };
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
    /** The check holds below the version (`v < X`), or on every other one (`v != X`). */
    readonly negated?: boolean;
    /** A helper the check is made through (`self._supports`), as the code calls it. */
    readonly helper?: string;
    /** A check of exactly the minimum that refuses to run below it: it enforces the minimum (not obsolete). */
    readonly enforcesMinimum?: boolean;
    readonly thenInterval: VersionInterval;
    readonly thenClass: SupportClass;
    readonly elseInterval: VersionInterval;
    readonly elseClass: SupportClass;
  };
  /** For a gate: its option, when the workspace declares oslo.config options. */
  readonly option?: OptionFacts;
}

/**
 * A version-dependent code path, for the support matrix: a branch a version check or the
 * opt-in gate selects (if/elif/else, also of a ternary), the statements after an early exit
 * on such a check (after), the right operand of `and`/`or` after one, or a use of a libvirt
 * symbol newer than the minimum (use). Plain data.
 */
export interface PathFacts {
  readonly kind: 'if' | 'elif' | 'else' | 'after' | 'and' | 'or' | 'use';
  /** What to point at: the condition (if/elif/and/or), the `else` keyword or expression, the first statement after the exit, the symbol. */
  readonly range: Range;
  /** The lines the path's code covers (0-based, inclusive). */
  readonly lines: { readonly start: number; readonly end: number };
  /** For a branch: the guard that narrows it most (a version check, a helper, the gate). */
  readonly guard?: GuardFact;
  /** For a use: the symbol. */
  readonly symbol?: SymbolFacts;
  /** For libvirt XML the code writes: the feature. */
  readonly xml?: XmlFeatureFacts;
  /** Where it runs (for a use: where the symbol exists, [max(lo, since), hi)). */
  readonly interval: { readonly libvirt: VersionInterval; readonly qemu: VersionInterval };
  readonly supportClass: SupportClass;
  /** Names of the policy's CI jobs that run it. */
  readonly jobs: readonly string[];
  /** Behind the opt-in gate. */
  readonly gated: boolean;
  /** A use that hasattr/getattr or `except AttributeError` protects. */
  readonly protected: boolean;
  /** Every guard on the path (enclosing ones too). */
  readonly guards: readonly GuardFact[];
  /** Codes of the findings reported on it (at the use, or at the branch's guard), sorted; each finding is on one path at most. */
  readonly findings: readonly string[];
}

export interface AnalysisResult {
  readonly findings: readonly Finding[];
  /** Facts for every libvirt symbol use, check and gate in the file, sorted by position. */
  readonly hovers: readonly HoverFacts[];
  /**
   * The facts to show at a position: of the hovers whose range holds it, the one that starts
   * last (`hovers` read once builds them all; this builds those at the position only).
   */
  hoverAt(position: Position): HoverFacts | undefined;
  /** Version-dependent code paths (branches, uses of newer symbols, newer XML written), sorted by position. */
  readonly paths: readonly PathFacts[];
  /** Syntax errors seen (the engine still analyzes the parts that parse). */
  readonly syntaxErrors: number;
  /** The first of them in the text: its line (0-based) and Python's words for it. */
  readonly firstSyntaxError?: { readonly line: number; readonly message: string };
  /** Findings dropped by `# libvirt-gate: ignore[...]` comments. */
  readonly suppressed: number;
  /** What the engine could not do on this file, in words for the user (nesting too deep, ...). */
  readonly notes: readonly string[];
  /**
   * The words whose count in the text the findings depend on, with their counts (a comment's
   * words are not counted, unless the count reads them as a string's: see triviaEdits.ts).
   * Recorded by the editor's analyses (those with hovers) only.
   */
  readonly wordsRead?: ReadonlyMap<string, number>;
}

export { VersionNumber };
