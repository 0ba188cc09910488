// What the analysis of one file may ask about the other files of the workspace. The
// workspace layer implements it; the semantic layer only sees this interface, so the file
// summarizer (which runs the semantic layer on one file) and the index do not depend on
// each other in a circle.
import type { Cond } from './conditions';
import type { ConfBinding } from './confBinding';
import type { ConfigOption, OptionList } from './configOptions';
import type { VersionNumber } from '../types';

export interface WorkspaceFacts {
  /** A module constant by name; `module` (dotted, as imported) narrows which file, when given and found. */
  constant(name: string, module?: string): VersionNumber | undefined;
  /** The condition a helper of another file returns (a call, or a property when `isCall` is false). */
  helperCond(name: string, isCall: boolean, exceptUri: string): Cond | undefined;
  isWorkspaceClass(name: string): boolean;
  /** Whether a name is used in any other file (so its callers are not all known). */
  referencedOutside(name: string, uri: string): boolean;
  fileCount(): number;
  /** oslo.config facts of the files other than `exceptUri` (a file reads its own from its tree). */
  configOptions(group: string, name: string, exceptUri: string): WorkspaceOptionFacts;
  /** How most other files bind `CONF` (ties: the first in text order), if any does. */
  confBinding(exceptUri: string): ConfBinding | undefined;
}

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
  helperCond: () => undefined,
  isWorkspaceClass: () => false,
  referencedOutside: () => false,
  fileCount: () => 0,
  configOptions: () => noOptions,
  confBinding: () => undefined,
};
