// The workspace index: each file's summary, and the answers other files' analyses ask of them,
// resolved through imports (resolver.ts). Worker threads get a snapshot: the summaries without
// their word lists, plus the few word facts they can ask about.
import type { AutoMinimum } from '../../config/policy';
import type { Cond } from '../semantic/conditions';
import type { ConfBinding } from '../semantic/confBinding';
import type { ModuleRef } from '../semantic/moduleRefs';
import type { ClassRef, LocatedXmlClass, WorkspaceFacts, WorkspaceOptionFacts } from '../semantic/workspaceFacts';
import { maxLineage, type XmlConfigClass } from '../semantic/xml/configClasses';
import type { ElementFactory } from '../semantic/xml/elementBuilders';
import type { SyntaxTree } from '../syntax/index';
import type { VersionNumber } from '../types';
import { OptionMaps, type OptionSnapshot } from './optionIndex';
import { ModuleResolver, type ResolvableSummary } from './resolver';
import { summarizeFile, type FileSummary, type SummaryOptions } from './summarize';

export type { FileSummary, SummaryOptions };

const defaultSummaryOptions: SummaryOptions = {
  versionChecks: ['has_min_version', '_has_min_version', '_conn_has_min_version', 'has_version'],
  gates: ['CONF.libvirt.enable_untested_features'],
};

/**
 * What worker threads need: summaries without word lists, and for each file the private
 * function names that a file importing it mentions (the only word question they ask).
 */
export interface IndexSnapshot {
  readonly summaries: readonly ResolvableSummary[];
  readonly mentioned: readonly (readonly [string, readonly string[]])[];
  /** oslo.config option declarations and CONF bindings, per file that has any. */
  readonly options: OptionSnapshot;
}

/** Answers from a resolver; subclasses say where it and the word facts come from. */
abstract class ResolvedFacts implements WorkspaceFacts {
  protected abstract resolver(): ModuleResolver;
  abstract mentionedByImporters(uri: string, name: string): boolean;

  /** oslo.config facts: options are registered process-wide, so every file of the workspace counts. */
  protected abstract optionMaps(): OptionMaps;

  constant(fromUri: string, module: ModuleRef, name: string): VersionNumber | undefined {
    return this.resolver().constant(fromUri, module, name);
  }

  moduleHelperCond(fromUri: string, module: ModuleRef, name: string, post = false): Cond | undefined {
    return this.resolver().moduleHelperCond(fromUri, module, name, post);
  }

  moduleFlagCond(fromUri: string, module: ModuleRef, name: string): Cond | undefined {
    return this.resolver().moduleFlagCond(fromUri, module, name);
  }

  classOf(fromUri: string, module: ModuleRef, name: string): ClassRef | undefined {
    return this.resolver().classOf(fromUri, module, name);
  }

  methodCond(cls: ClassRef, method: string, isProperty: boolean, post = false): Cond | undefined {
    return this.resolver().methodCond(cls, method, isProperty, post);
  }

  xmlConfigClass(fromUri: string, module: ModuleRef | undefined, name: string): LocatedXmlClass | undefined {
    return this.resolver().xmlConfigClass(fromUri, module, name);
  }

  writesXmlConfigAttribute(attr: string): boolean {
    return this.resolver().writesXmlConfigAttribute(attr);
  }

  xmlConfigAttributeTargets(attr: string): readonly string[] {
    return this.resolver().xmlConfigAttributeTargets(attr);
  }

  xmlConstructionTargets(fromUri: string, module: ModuleRef | undefined, name: string): readonly string[] | undefined {
    return this.resolver().xmlConstructionTargets(fromUri, module, name);
  }

  raisesUnlessChecked(name: string): boolean {
    return this.resolver().raisesUnlessChecked(name);
  }

  elementFactory(fromUri: string, module: ModuleRef, name: string): ElementFactory | undefined {
    return this.resolver().elementFactory(fromUri, module, name);
  }

  elementFactoryNames(): readonly string[] {
    return this.resolver().elementFactoryNames();
  }

  helperInModules(
    fromUri: string,
    modules: readonly ModuleRef[],
    name: string,
    isCall: boolean,
    post = false,
  ): Cond | undefined {
    return this.resolver().helperInModules(fromUri, modules, name, isCall, post);
  }

  configOptions(group: string, name: string, exceptUri: string): WorkspaceOptionFacts {
    return this.optionMaps().facts(group, name, exceptUri);
  }

  confBinding(exceptUri: string): ConfBinding | undefined {
    return this.optionMaps().confBinding(exceptUri);
  }
}

export class WorkspaceIndex extends ResolvedFacts {
  private readonly summaries = new Map<string, FileSummary>();
  private current: ModuleResolver | undefined;
  private readonly optionFacts = new OptionMaps();
  private summaryOptions: SummaryOptions;

  constructor(options: Partial<SummaryOptions> = {}) {
    super();
    this.summaryOptions = { ...defaultSummaryOptions, ...options };
  }

  get options(): SummaryOptions {
    return this.summaryOptions;
  }

  /**
   * New summary options (the editor's policies changed). Returns true when they differ: the
   * summaries made with the old ones are stale, and the caller re-adds every file (the index
   * keeps no text).
   */
  setOptions(options: Partial<SummaryOptions>): boolean {
    const next = { ...defaultSummaryOptions, ...options };
    if (JSON.stringify(next) === JSON.stringify(this.summaryOptions)) return false;
    this.summaryOptions = next;
    return true;
  }

  protected resolver(): ModuleResolver {
    this.current ??= new ModuleResolver(this.summaries.values());
    return this.current;
  }

  protected optionMaps(): OptionMaps {
    return this.optionFacts;
  }

  mentionedByImporters(uri: string, name: string): boolean {
    for (const importer of this.resolver().importersOf(uri)) {
      if (this.summaries.get(importer)?.identifiers.has(name)) return true;
    }
    return false;
  }

  /** Adds or refreshes a file. `tree` is used when given (no second parse). Returns true if other files' analyses may change. */
  setFile(uri: string, text: string, tree?: SyntaxTree): boolean {
    return this.setSummary(summarizeFile(uri, text, this.options, tree));
  }

  /** The summary of a file, without adding it (a worker computes, the coordinator adds); `tree` when already parsed. */
  summaryFor(uri: string, text: string, tree?: SyntaxTree): FileSummary {
    return summarizeFile(uri, text, this.options, tree);
  }

  /** Adds a summary made by summaryFor (possibly in another thread). */
  setSummary(summary: FileSummary): boolean {
    const old = this.summaries.get(summary.uri);
    this.summaries.set(summary.uri, summary);
    // Words feed the importers' answers, so any change rebuilds; only the fingerprint re-analyzes others.
    this.current = undefined;
    this.optionFacts.set(summary.uri, summary);
    return !old || old.fingerprint !== summary.fingerprint;
  }

  removeFile(uri: string): boolean {
    const removed = this.summaries.delete(uri);
    if (removed) this.current = undefined;
    this.optionFacts.remove(uri);
    return removed;
  }

  has(uri: string): boolean {
    return this.summaries.has(uri);
  }

  fileCount(): number {
    return this.summaries.size;
  }

  uris(): string[] {
    return [...this.summaries.keys()];
  }

  /**
   * Names of the config classes of the workspace (the CLI's prefilter analyzes files that name
   * one): those whose lineage, as a use resolves it, has a root or a `format_dom`. A summary
   * keeps every class with a capitalized base as a possible subclass of one (`class
   * InstanceNotFound(exception.NotFound)` too): in Nova's tree, such names admitted nearly
   * every file.
   */
  xmlConfigClassNames(): string[] {
    const resolver = this.resolver();
    const known = new Map<string, boolean>();
    const writesXml = (uri: string, c: XmlConfigClass, depth: number): boolean => {
      const key = `${uri}#${c.name}`;
      const seen = known.get(key);
      if (seen !== undefined) return seen;
      known.set(key, false); // a cycle of bases writes nothing
      const found =
        c.root !== undefined ||
        c.formatsXml ||
        (depth < maxLineage &&
          c.bases.some((b) => {
            const base = resolver.xmlConfigClass(uri, b.module, b.name);
            return base !== undefined && writesXml(base.uri, base, depth + 1);
          }));
      known.set(key, found);
      return found;
    };
    const names = new Set<string>();
    for (const s of this.summaries.values())
      for (const c of s.xmlClasses) if (!names.has(c.name) && writesXml(s.uri, c, 0)) names.add(c.name);
    return [...names];
  }

  /** `MIN_LIBVIRT_VERSION` / `MIN_QEMU_VERSION` found at module level in the workspace (policy min-version "auto"). */
  autoMinimum(): { libvirt?: AutoMinimum; qemu?: AutoMinimum } {
    const first = (name: string): AutoMinimum | undefined => {
      const found = [...this.summaries.values()]
        .filter((s) => s.constants.has(name))
        .sort((a, b) => a.uri.localeCompare(b.uri))[0];
      const version = found?.constants.get(name);
      return found && version !== undefined ? { version, uri: found.uri } : undefined;
    };
    const libvirt = first('MIN_LIBVIRT_VERSION');
    const qemu = first('MIN_QEMU_VERSION');
    return { ...(libvirt ? { libvirt } : {}), ...(qemu ? { qemu } : {}) };
  }

  /** The facts worker threads need (see IndexSnapshot). */
  snapshot(): IndexSnapshot {
    const summaries: ResolvableSummary[] = [];
    const mentioned: (readonly [string, readonly string[]])[] = [];
    for (const s of this.summaries.values()) {
      const { identifiers: _words, ...rest } = s;
      summaries.push(rest);
      // Only private functions' callers can be known (see flowAnalysis.ts), so only they are asked about.
      const names = s.functions.filter((f) => f.startsWith('_') && this.mentionedByImporters(s.uri, f));
      if (names.length) mentioned.push([s.uri, names]);
    }
    return { summaries, mentioned, options: this.optionFacts.snapshot() };
  }
}

/** The read-only facts of a snapshot (in a worker thread). */
export class SnapshotFacts extends ResolvedFacts {
  private readonly modules: ModuleResolver;
  private readonly mentioned: Map<string, Set<string>>;
  private readonly optionFacts: OptionMaps;

  constructor(s: IndexSnapshot) {
    super();
    this.modules = new ModuleResolver(s.summaries);
    this.mentioned = new Map(s.mentioned.map(([uri, names]) => [uri, new Set(names)]));
    this.optionFacts = OptionMaps.fromSnapshot(s.options);
  }

  protected resolver(): ModuleResolver {
    return this.modules;
  }

  protected optionMaps(): OptionMaps {
    return this.optionFacts;
  }

  mentionedByImporters(uri: string, name: string): boolean {
    return this.mentioned.get(uri)?.has(name) ?? false;
  }
}
