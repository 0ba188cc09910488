// What the flow walk records, for the rules to judge: neutral facts about the code, each
// with the path context it runs in. No rule's policy is decided here.
import type { LibvirtModule } from '../../data/featureDb';
import type { GateRef } from '../semantic/conditions';
import type { NodeId } from '../syntax/index';
import type { GuardFact, Range, SupportClass, SymbolFacts, VersionInterval, XmlFeatureFacts } from '../types';
import type { PathContext } from './pathContext';

/**
 * Where a libvirt symbol is named: a use; `from libvirt import X` (a missing name fails the
 * import, so availability is decided there); or a use of a name so imported (its availability
 * was decided at the import; the path it runs on still matters for tested-ness).
 */
export type UseSite = 'use' | 'import' | 'imported-name';

/** A libvirt symbol used at a node. */
export interface UseObservation {
  readonly k: 'use';
  readonly node: NodeId;
  /** The innermost statement around the use (fixes wrap or guard it). */
  readonly stmt: NodeId | undefined;
  readonly symbol: SymbolFacts;
  /** The Python name as written: 'fsFreeze', 'VIR_MIGRATE_POSTCOPY'. */
  readonly pyName: string;
  readonly ctx: PathContext;
  /** hasattr/getattr or `except AttributeError` (for an import: `except ImportError`) protects it. */
  readonly protected: boolean;
  readonly site: UseSite;
  /** The guards that cover this use (see coveringGuards). */
  readonly guards: readonly GuardFact[];
}

/**
 * A branch entered that no CI job runs (and that no gate covers), at the guard that makes it
 * so. Uses inside it are not observed as untested again.
 */
interface UntestedBranchObservation {
  readonly k: 'untested-branch';
  readonly ctx: PathContext;
  /** The guard to report at, with the axis that makes the branch untested. */
  readonly guard: GuardFact;
}

/** `libvirt.VIR_X` that the feature database does not know. */
interface UnknownObservation {
  readonly k: 'unknown';
  readonly node: NodeId;
  readonly module: LibvirtModule;
  readonly name: string;
  readonly ctx: PathContext;
}

/**
 * Code that runs on a path a condition narrowed (a version check or the opt-in gate; not a
 * bare hasattr), or whose condition is a version check: an if/elif/else branch, the
 * statements after an early exit (after), a ternary's branches (if/else), the right operand
 * of and/or. For the support matrix; no rule judges it.
 */
export interface BranchObservation {
  readonly k: 'branch';
  readonly role: 'if' | 'elif' | 'else' | 'after' | 'and' | 'or';
  /** The condition that narrows it (for else and after: the last condition of the chain). */
  readonly cond: NodeId;
  /** What to point at: the condition, the else clause or expression, the first statement after the exit. */
  readonly anchor: NodeId;
  /** The first and last node of the code on the path. */
  readonly first: NodeId;
  readonly last: NodeId;
  readonly ctx: PathContext;
  /** The path before the condition: what it narrowed. */
  readonly outer: PathContext;
}

/** A libvirt XML element, attribute or value the code writes at a node (a string, a builder call, a config attribute). */
export interface XmlObservation {
  readonly k: 'xml';
  /** The node the walk met: the string literal, the call or the assignment. */
  readonly node: NodeId;
  /** The innermost statement around it (fixes wrap or guard it). */
  readonly stmt: NodeId | undefined;
  /** The element or attribute name as written. */
  readonly range: Range;
  readonly feature: XmlFeatureFacts;
  readonly ctx: PathContext;
  /** Where it works on this path (the path's interval from the feature's versions), and that interval's class. */
  readonly interval: XmlUse['interval'];
  readonly supportClass: SupportClass;
}

/**
 * A node whose XML was left pending (see XmlEmissions.bound) and could lead to no finding nor
 * version path here: its hovers, built when asked (the XML is found then).
 */
export interface XmlSite {
  readonly k: 'xml-site';
  readonly node: NodeId;
  readonly ctx: PathContext;
}

/** Where XML of some versions works on a path, and the class of that interval. */
export interface XmlUse {
  readonly interval: { readonly libvirt: VersionInterval; readonly qemu: VersionInterval };
  readonly supportClass: SupportClass;
}

export type Observation =
  UseObservation | UntestedBranchObservation | UnknownObservation | BranchObservation | XmlObservation;

/** A gate occurrence and the worst class of what runs behind it. */
export interface GateUse {
  readonly gate: GateRef;
  worst?: SupportClass;
  /** Something version-dependent runs behind it (a libvirt use or a version-checked branch). */
  hasLibvirt: boolean;
}
