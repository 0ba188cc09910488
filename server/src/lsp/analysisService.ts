// The server's state around the engine: open documents, the workspace index, settings and
// policies, and one cached AnalysisResult per document keyed by everything it depends on.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CancellationToken, Connection } from 'vscode-languageserver';
import { ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import {
  analyzeDocument,
  factsStillHold,
  findingsAfterBlankLines,
  findingsStandAfterEdit,
  noAnalysis,
  parsePython,
  recordingFacts,
  summaryOptionsFor,
  WorkspaceIndex,
  type AnalysisResult,
  type FactQuery,
} from '../engine/api';
import type { Policy } from '../config/policy';
import type { ConfigError } from '../config/configError';
import { formatConfigWarning } from '../config/excludePatterns';
import type { ResolvedPolicy } from '../config/loadConfig';
import type { ValueOrigin } from '../config/origins';
import { DocumentStore, type OpenDocument } from './documents';
import { ExcludeWarningStore } from './excludeWarnings';
import { SettingsCache } from './settings';
import { PolicyStore, configErrorsByFile, describeConfigError, statusFor, uriToPath } from './policyStore';
import { configErrorDiagnostic, configWarningDiagnostic, sameDiagnostics } from './diagnostics';
import { statusNotification, type StatusParams } from './protocol';
import type { Logger } from './log';
import { readIndexable } from './workspaceScan';

/**
 * What an analysis read of other files, and the index generation at which that was last
 * checked: it stays valid while replaying those questions gets the same answers.
 */
export interface FactsRead {
  readonly facts: readonly FactQuery[];
  checkedAt: number;
}

export interface Analysis {
  /** Changes whenever the analysis could (what a cached analysis is checked by). */
  readonly key: string;
  /**
   * The pull-diagnostics resultId: the key of the first analysis in a row of analyses whose
   * findings give the same diagnostics (a client that has them is told "unchanged").
   */
  readonly diagnosticsKey: string;
  readonly result: AnalysisResult;
  readonly resolved: ResolvedPolicy;
  readonly text: string;
  /** The document version analyzed. */
  readonly version: number;
  readonly read: FactsRead;
  /** The policy generation and setting it was analyzed under. */
  readonly policyGeneration: number;
  readonly enabled: boolean;
}

/**
 * `LIBVIRT_GATE_INCREMENTAL=off` in the server's environment turns off what this file adds to
 * a plain cache (the benchmark measures both in one run): any change of another file's summary
 * then invalidates every analysis, hover waits for the current analysis, and every function is
 * walked again after each edit.
 */
export const incrementalEnabled = (): boolean => process.env.LIBVIRT_GATE_INCREMENTAL !== 'off';

/** `LIBVIRT_GATE_FLOW_CACHE=off`: every function is walked again after each edit (to measure what the cache saves). */
const flowCacheEnabled = (): boolean => incrementalEnabled() && process.env.LIBVIRT_GATE_FLOW_CACHE !== 'off';

export interface Folder {
  readonly uri: string;
  readonly path: string;
}

const emptyResult: AnalysisResult = noAnalysis();

export function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
}

export class AnalysisService {
  readonly docs = new DocumentStore();
  readonly index = new WorkspaceIndex();
  readonly policies = new PolicyStore(this.index);
  readonly settings: SettingsCache;
  folders: Folder[] = [];
  /** Bumped when the index summary of any file changes (other files' analyses may change). */
  indexGeneration = 0;
  /** Files on disk known to the index, with a counter bumped on each watched change. */
  readonly diskFiles = new Map<string, number>();

  private readonly cache = new Map<string, Analysis>();
  /**
   * What the last diagnostics of each document were made from: its analysis, or a view of it
   * moved past blank lines (see withoutAnalysis). A new analysis keeps its resultId when it
   * gives the same diagnostics.
   */
  private readonly served = new Map<string, Analysis>();
  /** Counts fresh analyses: part of the key, so a re-analysis never reuses an old resultId. */
  private analyses = 0;
  /** Open documents edited since their last index update. */
  private readonly staleInIndex = new Set<string>();
  private readonly lastStatus = new Map<string, string>();
  private readonly configDiagnostics = new Map<string, string>();
  /** The latest errors of each config file (by uri), published with its warnings. */
  private readonly configErrors = new Map<string, readonly ConfigError[]>();
  private autoMinimumText = '{}';
  /** The policy generation the index's summary options follow, and the sync in flight. */
  private indexOptionsSync: { generation: number; done: Promise<boolean> } | undefined;
  /** Exclude patterns that match nothing, per config file. */
  readonly excludeWarnings: ExcludeWarningStore;

  constructor(
    private readonly connection: Connection,
    private readonly log: Logger,
    configurationPull: () => boolean,
    /** An analysis brought the index up to date, and it changed: other documents may change too. */
    private readonly onIndexFlushed: () => void = () => undefined,
  ) {
    this.settings = new SettingsCache(connection, configurationPull);
    this.excludeWarnings = new ExcludeWarningStore(
      (configFile) => this.sendConfigDiagnostics(pathToFileURL(configFile).toString()),
      (configFile, e) => this.log.exception(`looking for what the excludes of ${configFile} match`, e),
    );
  }

  folderOf(uri: string): { key: string; path: string | undefined } {
    let best: Folder | undefined;
    for (const f of this.folders) {
      const prefix = f.uri.endsWith('/') ? f.uri : `${f.uri}/`;
      if ((uri.startsWith(prefix) || uri === f.uri) && (!best || f.uri.length > best.uri.length)) best = f;
    }
    return best ? { key: best.uri, path: best.path } : { key: '', path: this.folders[0]?.path };
  }

  markEdited(uri: string): void {
    this.staleInIndex.add(uri);
  }

  /** Brings the index up to date with edited open documents (those `which` takes); true when its summary changed. */
  flushIndex(which: (uri: string) => boolean = () => true): boolean {
    let changed = false;
    for (const uri of [...this.staleInIndex]) {
      if (!which(uri)) continue;
      this.staleInIndex.delete(uri);
      const doc = this.docs.get(uri);
      if (doc?.parsedDocument) changed = this.setIndexed(uri, doc.text, doc) || changed;
    }
    return changed;
  }

  /** Adds a file to the index; returns true (and bumps generations) when its summary changed. */
  setIndexed(uri: string, text: string, doc?: OpenDocument): boolean {
    let changed: boolean;
    try {
      changed = this.index.setFile(uri, text, doc?.tree);
    } catch (e) {
      this.log.exception(`indexing ${uri}`, e);
      return false;
    }
    if (changed) this.indexChanged();
    return changed;
  }

  removeIndexed(uri: string): boolean {
    const changed = this.index.removeFile(uri);
    if (changed) this.indexChanged();
    return changed;
  }

  /** The index moved: every analysis is stale, and the "auto" minimum may have moved too. */
  indexChanged(): void {
    this.indexGeneration++;
    const auto = JSON.stringify(this.index.autoMinimum());
    if (auto !== this.autoMinimumText) {
      this.autoMinimumText = auto;
      this.policies.invalidate(false);
    }
  }

  /**
   * Makes the index summarize helpers with the check forms of the policies in force (like the
   * CLI: every policy's checks together), once per policy generation. The policies are those of
   * every folder holding an indexed file or an open document, plus `extra` (files about to be
   * indexed). When the options change, every indexed file is summarized again. True when they did.
   */
  syncIndexOptions(extra: readonly string[] = []): Promise<boolean> {
    const generation = this.policies.generation;
    if (this.indexOptionsSync?.generation !== generation || extra.length) {
      this.indexOptionsSync = { generation, done: this.resummarizeFor(generation, extra) };
    }
    return this.indexOptionsSync.done;
  }

  private async resummarizeFor(generation: number, extra: readonly string[]): Promise<boolean> {
    const oneUriPerFolder = new Map<string, string>();
    for (const uri of [...this.index.uris(), ...this.docs.all().map((d) => d.uri), ...extra])
      if (!oneUriPerFolder.has(path.posix.dirname(uri))) oneUriPerFolder.set(path.posix.dirname(uri), uri);
    const policies = new Set<Policy>();
    for (const uri of oneUriPerFolder.values()) policies.add((await this.resolvePolicy(uri)).resolved.policy);
    // Settings or a config file changed meanwhile: the next call starts over.
    if (generation !== this.policies.generation || !this.index.setOptions(summaryOptionsFor([...policies])))
      return false;
    for (const uri of this.index.uris()) {
      const doc = this.docs.get(uri);
      const file = doc ? undefined : uriToPath(uri);
      const text = doc?.text ?? (file ? await readIndexable(file) : undefined);
      if (text === undefined) this.index.removeFile(uri);
      else this.setIndexed(uri, text, doc);
    }
    this.indexChanged();
    return true;
  }

  /** The document's policy, and the policy generation it was resolved at. */
  async resolvePolicy(uri: string): Promise<{ resolved: ResolvedPolicy; enabled: boolean; generation: number }> {
    const folder = this.folderOf(uri);
    const settings = await this.settings.get(uri, folder.key);
    const resolved = this.policies.resolve(uri, folder.path, folder.key, settings);
    this.publishConfigErrors(resolved);
    return { resolved, enabled: settings.enable, generation: this.policies.generation };
  }

  /**
   * The analysis of an open document, from cache when nothing it depends on changed. With
   * `findingsOnly` (the diagnostics), also without analyzing when the edits since the last
   * analysis were inside a comment or added or removed blank lines (see withoutAnalysis): then
   * only its findings may be read, as those of the current text.
   */
  async analysisOf(uri: string, token?: CancellationToken, findingsOnly = false): Promise<Analysis | undefined> {
    if (!this.docs.get(uri)) return undefined;
    await this.syncIndexOptions();
    let { resolved, enabled, generation } = await this.resolvePolicy(uri);
    if (token?.isCancellationRequested) throw cancelled();
    let doc = this.docs.get(uri);
    if (!doc) return undefined;
    // Edited documents' index entries are brought up to date first, except the document's own:
    // its analysis reads its own facts from its tree, and its entry only through imports that
    // lead back to it, or the "auto" minimum. That one waits for the debounced flush
    // (`documentChanged`), so a keystroke (or opening a file, unless the minimum may come from
    // it) does not pay for it; when it changes what an analysis read, the refresh that follows
    // analyzes again.
    const ownFirst = !incrementalEnabled() || (!this.index.has(uri) && minimumFromWorkspace(resolved));
    if (this.flushIndex((u) => u !== uri || ownFirst)) this.onIndexFlushed();
    // The entries made may have moved the "auto" minimum (this document's own MIN_* constants,
    // when it is opened before the scan reads it), and with it the policies: the policy is
    // resolved again, and the analysis is keyed by the generation of the policy it ran under
    // (not a later one: it would pass for that generation's).
    for (let tries = 0; generation !== this.policies.generation && tries < 3; tries++) {
      ({ resolved, enabled, generation } = await this.resolvePolicy(uri));
      if (token?.isCancellationRequested) throw cancelled();
      doc = this.docs.get(uri);
      if (!doc) return undefined;
    }
    this.sendStatus(uri, resolved);
    const base = `${doc.version}.${doc.changes}.${generation}.${enabled ? 1 : 0}`;
    const cached = this.cache.get(uri);
    if (cached?.key.startsWith(`${base}.`) && this.stillValid(cached.read)) return cached;
    const unanalyzed = findingsOnly && cached ? this.withoutAnalysis(uri, cached, doc, enabled, base) : undefined;
    if (unanalyzed) return unanalyzed;
    let result = emptyResult;
    const parsed = doc.parsedDocument;
    const recorder = recordingFacts(this.index);
    if (!parsed) {
      this.log.once('warn', `${uri}: too large to analyze (${doc.text.length} characters)`);
    } else if (enabled) {
      // Paths only when the matrix view asks, fixes only when a code action does: most edits
      // never need them.
      // The last analysis' walks stand only while what it read of other files still holds.
      const flowCache = doc.flowCacheRead && this.stillValid(doc.flowCacheRead) ? doc.flowCache : undefined;
      if (!flowCache) doc.flowCache.clear();
      result = analyzeDocument({ uri, text: parsed.text, tree: doc.tree }, recorder.facts, resolved.policy, {
        paths: 'lazy',
        fixes: 'lazy',
        ...(flowCacheEnabled() ? { flowCache: doc.flowCache } : {}),
      });
      // Reused walks read what the earlier analyses read: the answers must keep holding.
      if (flowCache?.reused && doc.flowCacheRead) mergeFacts(recorder.log, doc.flowCacheRead.facts);
      doc.flowCacheRead = { facts: recorder.log, checkedAt: this.indexGeneration };
    }
    if (token?.isCancellationRequested) throw cancelled();
    const key = `${base}.${++this.analyses}`;
    const served = this.served.get(uri) ?? cached;
    const analysis: Analysis = {
      key,
      diagnosticsKey:
        served && served.resolved.policy === resolved.policy && sameDiagnostics(served.result.findings, result.findings)
          ? served.diagnosticsKey
          : key,
      result,
      resolved,
      text: doc.text,
      version: doc.version,
      read: { facts: recorder.log, checkedAt: this.indexGeneration },
      policyGeneration: generation,
      enabled,
    };
    this.cache.set(uri, analysis);
    this.served.set(uri, analysis);
    return analysis;
  }

  /**
   * The findings of the document as it is now without analyzing it, when the edits since the
   * last analysis (`cached`) were inside a comment (that analysis: its findings stand) or added
   * or removed blank lines (a view of its findings moved with the lines, the same for the same
   * document state; not cached as the document's analysis, so hover and code actions go on
   * reading `cached` where the lines moved). Undefined when the document must be analyzed.
   */
  private withoutAnalysis(
    uri: string,
    cached: Analysis,
    doc: OpenDocument,
    enabled: boolean,
    base: string,
  ): Analysis | undefined {
    const view = this.served.get(uri);
    if (view && view !== cached && view.key.startsWith(`${base}.`) && this.stillValid(view.read)) return view;
    if (!incrementalEnabled() || !cached.result.wordsRead) return undefined;
    if (cached.policyGeneration !== this.policies.generation || cached.enabled !== enabled) return undefined;
    if (!this.stillValid(cached.read)) return undefined;
    const tree = doc.tree;
    if (!tree) return undefined;
    if (findingsStandAfterEdit(cached.text, cached.result.wordsRead, cached.result.findings, tree)) {
      this.served.set(uri, cached);
      return cached;
    }
    const findings = findingsAfterBlankLines(cached.text, cached.result.findings, tree, uri);
    if (!findings) return undefined;
    const key = `${base}.${++this.analyses}`;
    const served = view ?? cached;
    const moved: Analysis = {
      ...cached,
      key,
      diagnosticsKey: sameDiagnostics(served.result.findings, findings) ? served.diagnosticsKey : key,
      result: {
        ...noAnalysis(cached.result.notes),
        findings,
        syntaxErrors: cached.result.syntaxErrors,
        suppressed: cached.result.suppressed,
      },
      text: doc.text,
      version: doc.version,
    };
    this.served.set(uri, moved);
    return moved;
  }

  /** The last analysis of an open document, whatever changed since (hover answers from it). */
  lastAnalysis(uri: string): Analysis | undefined {
    return this.cache.get(uri);
  }

  /**
   * Whether a result that read `read` still holds after index changes: every question it asked
   * of other files gets the same answer (so an edit re-analyzes only the files that read what
   * changed). With the incremental path off, any index change invalidates it.
   */
  stillValid(read: FactsRead): boolean {
    if (read.checkedAt === this.indexGeneration) return true;
    if (!incrementalEnabled() || !factsStillHold(this.index, read.facts)) return false;
    read.checkedAt = this.indexGeneration;
    return true;
  }

  /**
   * Analysis of a file that is not open (its tree is not kept), with what it read of other
   * files: its findings, and its paths when `paths` (the matrix view). No fixes and no hovers:
   * nothing asks for them until the file is opened, and then it is analyzed again.
   */
  async analyzeDiskFile(
    uri: string,
    text: string,
    paths: boolean,
  ): Promise<{ result: AnalysisResult; resolved: ResolvedPolicy; read: FactsRead }> {
    await this.syncIndexOptions();
    const { resolved, enabled } = await this.resolvePolicy(uri);
    const recorder = recordingFacts(this.index);
    const read: FactsRead = { facts: recorder.log, checkedAt: this.indexGeneration };
    if (!enabled) return { result: emptyResult, resolved, read };
    const result = analyzeDocument({ uri, text, tree: parsePython(text) }, recorder.facts, resolved.policy, {
      hovers: false,
      paths,
      fixes: 'none',
    });
    return { result, resolved, read };
  }

  forget(uri: string): void {
    this.cache.delete(uri);
    this.served.delete(uri);
    this.staleInIndex.delete(uri);
    this.lastStatus.delete(uri);
  }

  private sendStatus(uri: string, resolved: ResolvedPolicy): void {
    const status: StatusParams = statusFor(uri, resolved);
    const text = JSON.stringify(status);
    if (this.lastStatus.get(uri) === text) return;
    this.lastStatus.set(uri, text);
    void this.connection.sendNotification(statusNotification, status);
  }

  /**
   * A broken config file gets diagnostics of its own (defaults apply to the broken keys), and
   * one log line per distinct error; fixed files get their diagnostics cleared. Exclude
   * patterns that match nothing are warnings there too, once their folder has been walked.
   */
  private publishConfigErrors(resolved: ResolvedPolicy): void {
    const { files, other } = configErrorsByFile(resolved.errors);
    for (const e of other) this.log.once('warn', `Settings: ${describeConfigError(e)} (ignored)`);
    if (resolved.configFile) {
      const uri = pathToFileURL(resolved.configFile).toString();
      if (!files.has(uri)) files.set(uri, []);
      this.excludeWarnings.track(resolved.configFile, resolved.excludePatterns);
    }
    for (const [uri, errors] of files) {
      this.configErrors.set(uri, errors);
      this.sendConfigDiagnostics(uri);
    }
  }

  private sendConfigDiagnostics(uri: string): void {
    const errors = this.configErrors.get(uri) ?? [];
    const file = uriToPath(uri);
    const warnings = file ? this.excludeWarnings.current(file) : [];
    const diagnostics = [
      ...errors.map((e) => configErrorDiagnostic(e, describeConfigError(e))),
      ...warnings.map((w) => configWarningDiagnostic(w, formatConfigWarning(w))),
    ];
    const text = JSON.stringify(diagnostics);
    if ((this.configDiagnostics.get(uri) ?? '[]') === text) return;
    this.configDiagnostics.set(uri, text);
    for (const e of errors) this.log.once('error', `Config error, defaults used for it: ${describeConfigError(e)}`);
    for (const w of warnings) this.log.once('warn', `Config warning: ${formatConfigWarning(w)}`);
    void this.connection.sendDiagnostics({ uri, diagnostics });
  }
}

/** Adds to `log` the questions of `earlier` it does not ask. */
function mergeFacts(log: FactQuery[], earlier: readonly FactQuery[]): void {
  // By method, then by the arguments' JSON as it is: no key is built per question (an argument
  // list can be kilobytes long, and a string keeps its hash once computed, a new one does not).
  const asked = new Map<string, Set<string>>();
  for (const [method, args] of log) {
    const set = asked.get(method);
    if (set) set.add(args);
    else asked.set(method, new Set([args]));
  }
  for (const q of earlier) if (!asked.get(q[0])?.has(q[1])) log.push(q);
}

/** Whether a minimum is "auto" (explicitly or unset): the workspace's MIN_* constants may decide it. */
function minimumFromWorkspace(resolved: ResolvedPolicy): boolean {
  const fromWorkspace = (o: ValueOrigin): boolean => o.kind === 'auto' || o.kind === 'default';
  return fromWorkspace(resolved.origins.minLibvirt) || fromWorkspace(resolved.origins.minQemu);
}

export function internalError(where: string, e: unknown): ResponseError<void> {
  if (e instanceof ResponseError) return e as ResponseError<void>;
  const message = e instanceof Error ? e.message : String(e);
  return new ResponseError(ErrorCodes.InternalError, `libvirt-gate: ${where} failed: ${message}`);
}

export function fileUriOf(file: string): string {
  return pathToFileURL(file).toString();
}

export function folderFromUri(uri: string): Folder | undefined {
  const p = uriToPath(uri);
  return p ? { uri: uri.replace(/\/$/, ''), path: path.resolve(p) } : undefined;
}
