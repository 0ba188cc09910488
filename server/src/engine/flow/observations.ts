// What the flow walk records, for the rules to judge: neutral facts about the code, each
// with the path context it runs in. No rule's policy is decided here.
import type { LibvirtModule } from '../../data/featureDb';
import type { GateRef } from '../semantic/conditions';
import type { NodeId } from '../syntax/index';
import type { GuardFact, Range, SupportClass, SymbolFacts, XmlFeatureFacts } from '../types';
import type { PathContext } from './pathContext';

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
  /** hasattr/getattr or `except AttributeError` protects it. */
  readonly protected: boolean;
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
}

export type Observation = UseObservation | UntestedBranchObservation | UnknownObservation | XmlObservation;

/** A gate occurrence and the worst class of what runs behind it. */
export interface GateUse {
  readonly gate: GateRef;
  worst?: SupportClass;
  /** Something version-dependent runs behind it (a libvirt use or a version-checked branch). */
  hasLibvirt: boolean;
}
