// What the analysis of one file may ask about the other files of the workspace. Every
// question names the module the asking file imports (resolved through imports, `from . import`,
// package re-exports and star imports), so a file's findings depend only on the files it is
// linked to, never on what else is in the run. The workspace layer implements it; the semantic
// layer only sees this interface.
import type { Cond } from './conditions';
import type { ModuleRef } from './moduleRefs';
import type { ConfBinding } from './confBinding';
import type { ConfigOption, OptionList } from './configOptions';
import type { XmlConfigClass } from './xml/configClasses';
import type { ElementFactory } from './xml/elementBuilders';
import type { VersionNumber } from '../types';

/** A class of the workspace: the file that defines it and its name there. */
export interface ClassRef {
  readonly uri: string;
  readonly name: string;
}

export interface WorkspaceFacts {
  /** A module-level version constant: `name` of the module `module` (as `fromUri` names it), following re-exports. */
  constant(fromUri: string, module: ModuleRef, name: string): VersionNumber | undefined;
  /**
   * The condition a module-level helper function `name` of `module` returns, if it returns one;
   * with `post`, what holds once a call of it returns (it raises unless a check holds).
   */
  moduleHelperCond(fromUri: string, module: ModuleRef, name: string, post?: boolean): Cond | undefined;
  /** The condition a module-level name `name` of `module` holds (`HAS_X = <check>`, assigned once), if any. */
  moduleFlagCond(fromUri: string, module: ModuleRef, name: string): Cond | undefined;
  /** The workspace class `name` of `module` is, if it is one. */
  classOf(fromUri: string, module: ModuleRef, name: string): ClassRef | undefined;
  /** The condition a method (a property when `isProperty`) of a class returns, looking into its bases (`post`: as moduleHelperCond). */
  methodCond(cls: ClassRef, method: string, isProperty: boolean, post?: boolean): Cond | undefined;
  /** Fallback for an unknown receiver: a helper of that name in one of these modules (in their order; `post`: as moduleHelperCond). */
  helperInModules(
    fromUri: string,
    modules: readonly ModuleRef[],
    name: string,
    isCall: boolean,
    post?: boolean,
  ): Cond | undefined;
  /** Whether a file that imports `uri` mentions `name` (so a function of `uri` may be called from there). */
  mentionedByImporters(uri: string, name: string): boolean;
  /** oslo.config facts of the files other than `exceptUri` (a file reads its own from its tree). */
  configOptions(group: string, name: string, exceptUri: string): WorkspaceOptionFacts;
  /** How most other files bind `CONF` (ties: the first in text order), if any does. */
  confBinding(exceptUri: string): ConfBinding | undefined;
  /**
   * A config class (one that writes XML from its attributes): `name` of `module` as `fromUri`
   * imports it, or (no module) a class defined in `fromUri` itself; with the file that defines it.
   */
  xmlConfigClass(fromUri: string, module: ModuleRef | undefined, name: string): LocatedXmlClass | undefined;
  /**
   * Whether some config class of the workspace writes XML from an attribute named `attr`: when
   * none does, `x.attr = ...` emits nothing whatever the class of `x` (a cheap test first).
   */
  writesXmlConfigAttribute(attr: string): boolean;
  /**
   * What the config classes of the workspace write from an attribute named `attr`, as
   * `element|attribute|value`: the element's name (each class's root for a class's root
   * element), the attribute (empty for the element itself), and the value (`=text` for a
   * literal or a default some class gives the attribute it is read from, `@name` for the
   * value of the object's attribute `name`, empty for an unknown one). Sorted and distinct: a
   * bound on what `x.attr = ...` can emit without finding the class of `x` (none: nothing).
   */
  xmlConfigAttributeTargets(attr: string): readonly string[];
  /**
   * What constructing an object of the class `name` (of `module` as `fromUri` imports it; no
   * module: defined in `fromUri`) can write, as xmlConfigAttributeTargets says it: what its
   * lineage always writes, and what setting the attributes it gives defaults writes (its root
   * spelled out). Undefined when it is no config class of the workspace.
   */
  xmlConstructionTargets(fromUri: string, module: ModuleRef | undefined, name: string): readonly string[] | undefined;
  /** Whether a function or method of that name in any file raises unless a check holds (a `post` helper). */
  raisesUnlessChecked(name: string): boolean;
  /** An element factory: the module-level function `name` of `module` as `fromUri` imports it, if it is one. */
  elementFactory(fromUri: string, module: ModuleRef, name: string): ElementFactory | undefined;
  /** The names of the workspace's module-level element factories, sorted: which calls may be one (a cheap test first). */
  elementFactoryNames(): readonly string[];
}

/** A config class and the file that defines it (its bases are named as that file names them). */
export type LocatedXmlClass = XmlConfigClass & { readonly uri: string };

export interface WorkspaceOptionFacts {
  /** Some other file declares oslo.config options. */
  readonly declaresOptions: boolean;
  /** Options named `name` (any group), by file uri. */
  readonly options: readonly (ConfigOption & { readonly uri: string })[];
  /** Option lists registered for `group`, by file uri. */
  readonly lists: readonly (OptionList & { readonly uri: string })[];
}

const noOptions: WorkspaceOptionFacts = { declaresOptions: false, options: [], lists: [] };

/** No other files: a file analyzed on its own. */
export const noWorkspace: WorkspaceFacts = {
  constant: () => undefined,
  moduleHelperCond: () => undefined,
  moduleFlagCond: () => undefined,
  classOf: () => undefined,
  methodCond: () => undefined,
  helperInModules: () => undefined,
  mentionedByImporters: () => false,
  configOptions: () => noOptions,
  confBinding: () => undefined,
  xmlConfigClass: () => undefined,
  writesXmlConfigAttribute: () => false,
  xmlConfigAttributeTargets: () => [],
  xmlConstructionTargets: () => undefined,
  raisesUnlessChecked: () => false,
  elementFactory: () => undefined,
  elementFactoryNames: () => [],
};
