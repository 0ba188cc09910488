// What the analysis of one file may ask about the other files of the workspace. The
// workspace layer implements it; the semantic layer only sees this interface, so the file
// summarizer (which runs the semantic layer on one file) and the index do not depend on
// each other in a circle.
import type { Cond } from './conditions';
import type { XmlConfigClass } from './xml/configClasses';
import type { VersionNumber } from '../types';

export interface WorkspaceFacts {
  /** A module constant by name; `module` (dotted, as imported) narrows which file, when given and found. */
  constant(name: string, module?: string): VersionNumber | undefined;
  /** The condition a helper of another file returns (a call, or a property when `isCall` is false). */
  helperCond(name: string, isCall: boolean, exceptUri: string): Cond | undefined;
  isWorkspaceClass(name: string): boolean;
  /**
   * A config class (one that writes XML from its attributes) defined in another file: by its
   * name, and the dotted module the name is imported from when the code says (`vconfig` from
   * `nova.virt.libvirt.config`), which picks the file when several define the name.
   */
  xmlConfigClass(name: string, module?: string): XmlConfigClass | undefined;
  /** Whether a name is used in any other file (so its callers are not all known). */
  referencedOutside(name: string, uri: string): boolean;
  fileCount(): number;
}

/** No other files: a file analyzed on its own. */
export const noWorkspace: WorkspaceFacts = {
  constant: () => undefined,
  helperCond: () => undefined,
  isWorkspaceClass: () => false,
  xmlConfigClass: () => undefined,
  referencedOutside: () => false,
  fileCount: () => 0,
};
