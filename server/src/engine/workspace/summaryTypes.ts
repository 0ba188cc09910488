// What the workspace index keeps of one file (see summarize.ts, and textSummary.ts for files
// summarized from their tokens).
import type { FeatureCheckSpec, VersionCheckSpec } from '../../config/policy';
import type { Cond } from '../semantic/conditions';
import type { ConfBinding } from '../semantic/confBinding';
import type { ConfigOptionsOfFile } from '../semantic/configOptions';
import type { ImportBinding, ModuleRef, NameRef } from '../semantic/moduleRefs';
import type { XmlConfigClass } from '../semantic/xml/configClasses';
import type { ElementFactory } from '../semantic/xml/elementBuilders';
import type { VersionNumber } from '../types';

export interface HelperSummary {
  /** The condition its true result stands for (none: it returns none). */
  readonly cond?: Cond;
  /** What holds once a call returns, when it raises unless a check holds (FileSemantics.callPostcondition). */
  readonly post?: Cond;
  readonly isProperty: boolean;
}

export interface ClassSummary {
  /** Base classes as the file names them (resolved by the index). */
  readonly bases: readonly NameRef[];
  /** Methods and properties that return a version condition. */
  readonly helpers: ReadonlyMap<string, HelperSummary>;
}

export interface FileSummary {
  readonly uri: string;
  /** The file's path (what relative imports of other files resolve to). */
  readonly path: string;
  readonly imports: readonly ImportBinding[];
  /** Modules imported with `from m import *`. */
  readonly stars: readonly ModuleRef[];
  /** Names bound at module level (classes, functions, assignments): what `from this import x` can take. */
  readonly definitions: readonly string[];
  readonly constants: ReadonlyMap<string, VersionNumber>;
  /** Module-level functions that return a version condition. */
  readonly moduleHelpers: ReadonlyMap<string, HelperSummary>;
  /**
   * Module-level names assigned once whose value holds a version check or a gate
   * (`HAS_NEW_LIBVIRT = libvirt.getVersion() >= 1002005`): what `if HAS_NEW_LIBVIRT:` reads
   * in a file that imports it.
   */
  readonly moduleFlags: ReadonlyMap<string, Cond>;
  readonly classes: ReadonlyMap<string, ClassSummary>;
  /** Config classes: the XML each attribute writes (classes with a `format_dom`, their bases). */
  readonly xmlClasses: readonly XmlConfigClass[];
  /** Module-level functions that create and return an XML element (`def sub(parent, name): ...`). */
  readonly elementFactories: ReadonlyMap<string, ElementFactory>;
  /** Names of the functions and methods it defines. */
  readonly functions: readonly string[];
  /**
   * The words of the file that start with `_` (comments excluded), with how often they occur:
   * an importer's mention of a private function makes its callers unknown (the only question
   * asked of other files' words; keeping every word was a ninth of a whole-tree check's memory).
   */
  readonly identifiers: ReadonlyMap<string, number>;
  /** For change detection: what other files' analyses can read of this one (not its words). */
  readonly fingerprint: string;
  /** The oslo.config options it declares and its option lists (where a new option would go). */
  readonly configOptions?: ConfigOptionsOfFile;
  /** How it binds CONF at module level, for gate fixes in files that do not. */
  readonly confBinding?: ConfBinding;
}

export interface SummaryOptions {
  /** Version-check function names and gate expressions: a function naming none returns no condition. */
  readonly versionChecks: readonly string[];
  readonly gates: readonly string[];
  /** Configured check forms, feature checks and probes, so helpers that use them are summarized too. */
  readonly versionCheckSpecs?: readonly VersionCheckSpec[];
  readonly featureChecks?: readonly FeatureCheckSpec[];
  readonly probes?: readonly string[];
}
