// What the engine knows about the files of a workspace: each file's summary, and inverted
// maps over them (constant name → files, helper name → files, class name → files, word →
// files), so that no question loops over every file.
import type { AutoMinimum } from '../../config/policy';
import type { Cond } from '../semantic/conditions';
import type { WorkspaceFacts } from '../semantic/workspaceFacts';
import type { XmlConfigClass } from '../semantic/xml/configClasses';
import type { SyntaxTree } from '../syntax/index';
import type { VersionNumber } from '../types';
import { summarizeFile, type FileSummary, type HelperSummary, type SummaryOptions } from './summarize';

export type { FileSummary, SummaryOptions };

const defaultSummaryOptions: SummaryOptions = {
  versionChecks: ['has_min_version', '_has_min_version', '_conn_has_min_version', 'has_version'],
  gates: ['CONF.libvirt.enable_untested_features'],
};

/**
 * The facts a worker thread needs, as plain data: no per-file word lists, only which files
 * mention each function name defined somewhere (up to two: enough to answer "used outside
 * this file?" for any file).
 */
export interface IndexSnapshot {
  readonly fileCount: number;
  readonly constants: readonly (readonly [string, readonly (readonly [string, readonly string[], VersionNumber])[]])[];
  readonly helpers: readonly (readonly [string, readonly (readonly [string, HelperSummary])[]])[];
  readonly classes: readonly string[];
  readonly xmlClasses: readonly (readonly [
    string,
    readonly (readonly [string, readonly string[], XmlConfigClass])[],
  ])[];
  readonly mentions: readonly (readonly [string, readonly string[]])[];
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

function removeFrom<K, V>(map: Map<K, Set<V> | Map<V, unknown>>, key: K, value: V): void {
  const inner = map.get(key);
  if (!inner) return;
  inner.delete(value);
  if (inner.size === 0) map.delete(key);
}

/** Facts answered from inverted maps; filled from summaries (the index) or a snapshot (a worker). */
class WorkspaceMaps implements WorkspaceFacts {
  /** name → (uri → [module names of that file, value]) in insertion order of files. */
  protected readonly constantFiles = new Map<
    string,
    Map<string, { readonly modules: readonly string[]; readonly value: VersionNumber }>
  >();
  protected readonly helperFiles = new Map<string, Map<string, HelperSummary>>();
  protected readonly classFiles = new Map<string, Set<string>>();
  /** class name → (uri → [module names of that file, the config class]). */
  protected readonly xmlClassFiles = new Map<
    string,
    Map<string, { readonly modules: readonly string[]; readonly cls: XmlConfigClass }>
  >();
  protected readonly wordFiles = new Map<string, Set<string>>();
  protected files = 0;

  constant(name: string, module?: string): VersionNumber | undefined {
    const byFile = this.constantFiles.get(name);
    if (!byFile) return undefined;
    const wanted = module?.replace(/^\.+/, '');
    let any: VersionNumber | undefined;
    for (const { modules, value } of byFile.values()) {
      if (wanted && modules.includes(wanted)) return value;
      any = value;
    }
    return any;
  }

  helperCond(name: string, isCall: boolean, exceptUri: string): Cond | undefined {
    for (const [uri, h] of this.helperFiles.get(name) ?? []) {
      if (uri !== exceptUri && h.isProperty === !isCall) return h.cond;
    }
    return undefined;
  }

  isWorkspaceClass(name: string): boolean {
    return this.classFiles.has(name);
  }

  // By name and module, as constant() does; import resolution can replace this lookup alone.
  xmlConfigClass(name: string, module?: string): XmlConfigClass | undefined {
    const byFile = this.xmlClassFiles.get(name);
    if (!byFile) return undefined;
    const wanted = module?.replace(/^\.+/, '');
    let any: XmlConfigClass | undefined;
    for (const { modules, cls } of byFile.values()) {
      if (wanted && modules.includes(wanted)) return cls;
      any ??= cls;
    }
    return any;
  }

  referencedOutside(name: string, uri: string): boolean {
    for (const f of this.wordFiles.get(name) ?? []) if (f !== uri) return true;
    return false;
  }

  fileCount(): number {
    return this.files;
  }
}

export class WorkspaceIndex extends WorkspaceMaps {
  private readonly summariesByUri = new Map<string, FileSummary>();
  readonly options: SummaryOptions;

  constructor(options: Partial<SummaryOptions> = {}) {
    super();
    this.options = { ...defaultSummaryOptions, ...options };
  }

  /** Adds or refreshes a file. `tree` is used when given (no second parse). Returns true if its summary changed. */
  setFile(uri: string, text: string, tree?: SyntaxTree): boolean {
    return this.setSummary(summarizeFile(uri, text, this.options, tree));
  }

  /** The summary of a file, without adding it (a worker computes, the coordinator adds). */
  summaryFor(uri: string, text: string): FileSummary {
    return summarizeFile(uri, text, this.options);
  }

  /** Adds a summary made by summaryFor (possibly in another thread). */
  setSummary(summary: FileSummary): boolean {
    const uri = summary.uri;
    const old = this.summariesByUri.get(uri);
    if (old) this.unmap(old);
    this.summariesByUri.set(uri, summary);
    this.map(summary);
    this.files = this.summariesByUri.size;
    return !old || old.fingerprint !== summary.fingerprint;
  }

  removeFile(uri: string): boolean {
    const old = this.summariesByUri.get(uri);
    if (!old) return false;
    this.unmap(old);
    this.summariesByUri.delete(uri);
    this.files = this.summariesByUri.size;
    return true;
  }

  has(uri: string): boolean {
    return this.summariesByUri.has(uri);
  }

  uris(): string[] {
    return [...this.summariesByUri.keys()];
  }

  private map(s: FileSummary): void {
    for (const [name, value] of s.constants) {
      let byFile = this.constantFiles.get(name);
      if (!byFile) this.constantFiles.set(name, (byFile = new Map()));
      byFile.set(s.uri, { modules: s.moduleNames, value });
    }
    for (const [name, h] of s.helpers) {
      let byFile = this.helperFiles.get(name);
      if (!byFile) this.helperFiles.set(name, (byFile = new Map()));
      byFile.set(s.uri, h);
    }
    for (const name of s.classes) addTo(this.classFiles, name, s.uri);
    for (const cls of s.xmlClasses) {
      let byFile = this.xmlClassFiles.get(cls.name);
      if (!byFile) this.xmlClassFiles.set(cls.name, (byFile = new Map()));
      byFile.set(s.uri, { modules: s.moduleNames, cls });
    }
    for (const word of s.identifiers) addTo(this.wordFiles, word, s.uri);
  }

  private unmap(s: FileSummary): void {
    for (const name of s.constants.keys()) removeFrom(this.constantFiles, name, s.uri);
    for (const name of s.helpers.keys()) removeFrom(this.helperFiles, name, s.uri);
    for (const name of s.classes) removeFrom(this.classFiles, name, s.uri);
    for (const cls of s.xmlClasses) removeFrom(this.xmlClassFiles, cls.name, s.uri);
    for (const word of s.identifiers) removeFrom(this.wordFiles, word, s.uri);
  }

  /** Names of the config classes of the workspace (the CLI's prefilter analyzes files that name one). */
  xmlConfigClassNames(): string[] {
    return [...this.xmlClassFiles.keys()];
  }

  /** `MIN_LIBVIRT_VERSION` / `MIN_QEMU_VERSION` found at module level in the workspace (policy min-version "auto"). */
  autoMinimum(): { libvirt?: AutoMinimum; qemu?: AutoMinimum } {
    const first = (name: string): AutoMinimum | undefined => {
      const byFile = this.constantFiles.get(name);
      if (!byFile) return undefined;
      const uri = [...byFile.keys()].sort((a, b) => a.localeCompare(b))[0];
      const found = uri === undefined ? undefined : byFile.get(uri);
      return uri === undefined || !found ? undefined : { version: found.value, uri };
    };
    const libvirt = first('MIN_LIBVIRT_VERSION');
    const qemu = first('MIN_QEMU_VERSION');
    return { ...(libvirt ? { libvirt } : {}), ...(qemu ? { qemu } : {}) };
  }

  /** The facts worker threads need (see IndexSnapshot). */
  snapshot(): IndexSnapshot {
    const mentions: (readonly [string, readonly string[]])[] = [];
    const functionNames = new Set<string>();
    for (const s of this.summariesByUri.values()) for (const name of s.functions) functionNames.add(name);
    for (const name of functionNames) {
      const files = this.wordFiles.get(name);
      if (files) mentions.push([name, [...files].slice(0, 2)]);
    }
    return {
      fileCount: this.files,
      constants: [...this.constantFiles].map(
        ([name, byFile]) => [name, [...byFile].map(([uri, c]) => [uri, c.modules, c.value] as const)] as const,
      ),
      helpers: [...this.helperFiles].map(([name, byFile]) => [name, [...byFile]] as const),
      classes: [...this.classFiles.keys()],
      xmlClasses: [...this.xmlClassFiles].map(
        ([name, byFile]) => [name, [...byFile].map(([uri, c]) => [uri, c.modules, c.cls] as const)] as const,
      ),
      mentions,
    };
  }
}

/** The read-only facts of a snapshot (in a worker thread). */
export class SnapshotFacts extends WorkspaceMaps {
  constructor(s: IndexSnapshot) {
    super();
    this.files = s.fileCount;
    for (const [name, byFile] of s.constants)
      this.constantFiles.set(name, new Map(byFile.map(([uri, modules, value]) => [uri, { modules, value }])));
    for (const [name, byFile] of s.helpers) this.helperFiles.set(name, new Map(byFile));
    for (const name of s.classes) this.classFiles.set(name, new Set(['']));
    for (const [name, byFile] of s.xmlClasses)
      this.xmlClassFiles.set(name, new Map(byFile.map(([uri, modules, cls]) => [uri, { modules, cls }])));
    for (const [name, files] of s.mentions) this.wordFiles.set(name, new Set(files));
  }
}
