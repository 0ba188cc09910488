// What the analysis of one file may ask about the other files of the workspace. The
// workspace layer implements it; the semantic layer only sees this interface, so the file
// summarizer (which runs the semantic layer on one file) and the index do not depend on
// each other in a circle.
import type { Cond } from './conditions';
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
}

/** No other files: a file analyzed on its own. */
export const noWorkspace: WorkspaceFacts = {
  constant: () => undefined,
  helperCond: () => undefined,
  isWorkspaceClass: () => false,
  referencedOutside: () => false,
  fileCount: () => 0,
};
