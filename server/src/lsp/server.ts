// LSP wiring: documents, diagnostics (pull, with push as fallback), hover, code actions,
// commands, settings and the background workspace index. Analysis lives in the engine;
// state around it in AnalysisService.
import * as path from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocumentSyncKind,
  type CancellationToken,
  type ClientCapabilities,
  type Connection,
  type InitializeResult,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver';
import { initParser } from '../engine/api';
import {
  AnalysisService,
  cancelled,
  fileUriOf,
  folderFromUri,
  incrementalEnabled,
  internalError,
  type Analysis,
  type FactsRead,
} from './analysisService';
import { analyzedPosition, lineShift, movedHoverFacts, type LineShift } from './staleText';
import {
  codeActionsFor,
  fixAllEdits,
  isLazyFixData,
  lazyQuickFixes,
  otherFilesOfFixes,
  resolveLazyFix,
} from './codeActions';
import { toDiagnostics } from './diagnostics';
import { hoverMarkdown } from './hoverText';
import { Logger } from './log';
import { MatrixService } from './matrixService';
import { uriToPath } from './policyStore';
import {
  configFileNames,
  configSection,
  fixAllKind,
  matrixRequest,
  serverCommands,
  type MatrixParams,
} from './protocol';
import { findPythonFiles, readIndexable } from './workspaceScan';
import type { OpenDocument } from './documents';

const pushDebounceMs = 50;
const refreshDebounceMs = 100;
const indexFlushDebounceMs = 300;

export function startServer(connection: Connection): void {
  const log = new Logger(connection);
  let caps: ClientCapabilities = {};
  const service = new AnalysisService(
    connection,
    log,
    () => caps.workspace?.configuration === true,
    () => requestRefresh(),
  );
  const matrix = new MatrixService(service, connection, log);
  const pull = (): boolean => caps.textDocument?.diagnostic !== undefined;
  const timers = new Map<string, NodeJS.Timeout>();
  let shuttingDown = false;
  /** The last workspace-diagnostics report of each file that is not open. */
  const diskReports = new Map<string, { base: string; resultId: string; read: FactsRead }>();
  let diskReportCount = 0;

  /** Runs `fn` once after `ms` of quiet for this key. */
  function debounce(key: string, ms: number, fn: () => Promise<void> | void): void {
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        if (shuttingDown) return;
        Promise.resolve()
          .then(fn)
          .catch((e: unknown) => log.exception(key, e));
      }, ms),
    );
  }

  /** Wraps a request handler: exceptions are logged and answered with an error response. */
  function request<P, R>(name: string, handler: (params: P, token: CancellationToken) => Promise<R>) {
    return async (params: P, token: CancellationToken): Promise<R> => {
      try {
        return await handler(params, token);
      } catch (e) {
        const error = internalError(name, e);
        if (error.code !== -32800) log.exception(name, e);
        throw error;
      }
    };
  }

  /** Wraps a notification handler: exceptions are logged, never thrown into the connection. */
  function notification<P>(name: string, handler: (params: P) => Promise<void> | void) {
    return (params: P): void => {
      Promise.resolve()
        .then(() => handler(params))
        .catch((e: unknown) => log.exception(name, e));
    };
  }

  async function publish(uri: string): Promise<void> {
    const doc = service.docs.get(uri);
    if (!doc) return;
    const analysis = await service.analysisOf(uri, undefined, true);
    if (!analysis || service.docs.get(uri)?.version !== doc.version) return;
    await connection.sendDiagnostics({
      uri,
      version: doc.version,
      diagnostics: toDiagnostics(uri, analysis.result.findings, analysis.resolved.policy),
    });
  }

  /** Something every document depends on changed: pull clients re-pull, push clients get new sets. */
  function requestRefresh(): void {
    matrix.changed();
    debounce('refresh', refreshDebounceMs, async () => {
      if (pull()) {
        if (caps.workspace?.diagnostics?.refreshSupport) await connection.languages.diagnostics.refresh();
      } else {
        await Promise.all(service.docs.all().map((d) => publish(d.uri)));
      }
    });
  }

  function documentChanged(uri: string): void {
    service.markEdited(uri);
    matrix.changed();
    debounce('index-flush', indexFlushDebounceMs, () => {
      if (service.flushIndex()) requestRefresh();
    });
    if (!pull()) debounce(`push:${uri}`, pushDebounceMs, () => publish(uri));
  }

  connection.onInitialize(
    request('initialize', async (params): Promise<InitializeResult> => {
      caps = params.capabilities;
      const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
      service.folders = folders.map((f) => folderFromUri(f.uri)).filter((f) => f !== undefined);
      await initParser([__dirname]);
      return {
        capabilities: {
          textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
          ...(pull()
            ? {
                diagnosticProvider: {
                  identifier: 'libvirt-gate',
                  interFileDependencies: true,
                  workspaceDiagnostics: true,
                },
              }
            : {}),
          hoverProvider: true,
          codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, fixAllKind], resolveProvider: true },
          executeCommandProvider: { commands: [serverCommands.showDocumentation, serverCommands.applyFixAll] },
          workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        },
        serverInfo: { name: 'libvirt-gate', version: '0.1.0' },
      };
    }),
  );

  connection.onInitialized(
    notification('initialized', async () => {
      if (caps.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
        const globs = ['**/*.py', ...configFileNames.map((n) => `**/${n}`)];
        await connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: globs.map((globPattern) => ({ globPattern })),
        });
      }
      if (caps.workspace?.didChangeConfiguration?.dynamicRegistration) {
        await connection.client.register(DidChangeConfigurationNotification.type, { section: configSection });
      }
      if (caps.workspace?.workspaceFolders) {
        connection.workspace.onDidChangeWorkspaceFolders(
          notification('workspaceFolders', async (e) => {
            const removed = new Set(e.removed.map((f) => f.uri.replace(/\/$/, '')));
            service.folders = service.folders.filter((f) => !removed.has(f.uri));
            const added = e.added.map((f) => folderFromUri(f.uri)).filter((f) => f !== undefined);
            service.folders.push(...added);
            service.policies.invalidate(false);
            await buildIndex(added.map((f) => f.path));
          }),
        );
      }
      await buildIndex(service.folders.map((f) => f.path));
    }),
  );

  /** Indexes every .py file of `roots` in the background, reporting progress when the client can show it. */
  async function buildIndex(roots: readonly string[]): Promise<void> {
    if (!roots.length) return;
    const started = Date.now();
    const progress = caps.window?.workDoneProgress ? await connection.window.createWorkDoneProgress() : undefined;
    progress?.begin('libvirt-gate: indexing', 0, 'finding Python files', true);
    const isCancelled = (): boolean => shuttingDown || progress?.token.isCancellationRequested === true;
    try {
      const files = await findPythonFiles(roots, isCancelled);
      // Summaries follow the check forms configured for these files (before they are made).
      await service.syncIndexOptions(files.map(fileUriOf));
      let done = 0;
      for (const file of files) {
        if (isCancelled()) break;
        const uri = fileUriOf(file);
        service.diskFiles.set(uri, (service.diskFiles.get(uri) ?? 0) + 1);
        const text = service.docs.get(uri) ? undefined : await readIndexable(file);
        if (text !== undefined) service.setIndexed(uri, text);
        if (++done % 100 === 0)
          progress?.report(Math.round((done / files.length) * 100), `${done}/${files.length} files`);
      }
      log.info(`Indexed ${done} Python files in ${Date.now() - started} ms`);
    } finally {
      progress?.done();
    }
    requestRefresh();
  }

  connection.onDidOpenTextDocument(
    notification('didOpen', (p) => {
      service.docs.open(p.textDocument.uri, p.textDocument.languageId, p.textDocument.version, p.textDocument.text);
      documentChanged(p.textDocument.uri);
    }),
  );

  connection.onDidChangeTextDocument(
    notification('didChange', (p) => {
      const doc = service.docs.get(p.textDocument.uri);
      if (!doc) return log.warn(`didChange for a document that is not open: ${p.textDocument.uri}`);
      doc.applyChanges(p.contentChanges, p.textDocument.version);
      documentChanged(p.textDocument.uri);
    }),
  );

  connection.onDidCloseTextDocument(
    notification('didClose', async (p) => {
      const uri = p.textDocument.uri;
      service.docs.close(uri);
      service.forget(uri);
      matrix.changed();
      if (!pull()) await connection.sendDiagnostics({ uri, diagnostics: [] });
      // Unsaved edits are gone: the index goes back to what is on disk.
      const file = uriToPath(uri);
      const text = file && path.extname(file) === '.py' ? await readIndexable(file) : undefined;
      if (text !== undefined ? service.setIndexed(uri, text) : service.removeIndexed(uri)) requestRefresh();
    }),
  );

  connection.onDidChangeConfiguration(
    notification('didChangeConfiguration', (p) => {
      service.settings.invalidate(p.settings);
      service.policies.invalidate(false);
      log.resetOnce();
      requestRefresh();
    }),
  );

  connection.onDidChangeWatchedFiles(
    notification('didChangeWatchedFiles', async (p) => {
      let configChanged = false;
      let indexChanged = false;
      let filesCameOrWent = false;
      for (const change of p.changes) {
        const file = uriToPath(change.uri);
        if (!file) continue;
        // What exclude patterns can match changes only when files come or go.
        if (change.type !== FileChangeType.Changed) filesCameOrWent = true;
        if (configFileNames.includes(path.basename(file))) {
          configChanged = true;
          continue;
        }
        if (path.extname(file) !== '.py' || service.docs.get(change.uri)) continue;
        service.diskFiles.set(change.uri, (service.diskFiles.get(change.uri) ?? 0) + 1);
        if (change.type === FileChangeType.Deleted) {
          service.diskFiles.delete(change.uri);
          indexChanged = service.removeIndexed(change.uri) || indexChanged;
        } else {
          const text = await readIndexable(file);
          if (text !== undefined) indexChanged = service.setIndexed(change.uri, text) || indexChanged;
        }
      }
      if (filesCameOrWent) service.excludeWarnings.filesChanged();
      if (configChanged) {
        service.policies.invalidate(true);
        log.resetOnce();
      }
      if (configChanged || indexChanged) requestRefresh();
    }),
  );

  connection.languages.diagnostics.on(
    request('textDocument/diagnostic', async (p, token) => {
      const analysis = await service.analysisOf(p.textDocument.uri, token, true);
      if (!analysis) return { kind: 'full', items: [] };
      if (p.previousResultId === analysis.diagnosticsKey)
        return { kind: 'unchanged', resultId: analysis.diagnosticsKey };
      return {
        kind: 'full',
        resultId: analysis.diagnosticsKey,
        items: toDiagnostics(p.textDocument.uri, analysis.result.findings, analysis.resolved.policy),
      };
    }),
  );

  connection.languages.diagnostics.onWorkspace(
    request('workspace/diagnostic', async (p, token) => {
      const previous = new Map(p.previousResultIds.map((r) => [r.uri, r.value]));
      const items: WorkspaceDocumentDiagnosticReport[] = [];
      for (const [uri, fileVersion] of [...service.diskFiles]) {
        if (service.docs.get(uri)) continue;
        if (token.isCancellationRequested) throw cancelled();
        // Unchanged while the file, the policies and the facts it read of other files are.
        const base = `disk.${fileVersion}.${service.policies.generation}`;
        const known = diskReports.get(uri);
        if (known?.base === base && previous.get(uri) === known.resultId && service.stillValid(known.read)) {
          items.push({ kind: 'unchanged', uri, version: null, resultId: known.resultId });
          continue;
        }
        const resultId = `${base}.${++diskReportCount}`;
        const file = uriToPath(uri);
        const text = file ? await readIndexable(file) : undefined;
        let diagnostics: ReturnType<typeof toDiagnostics> = [];
        let read: FactsRead = { facts: [], checkedAt: service.indexGeneration };
        if (text !== undefined) {
          try {
            const analysis = await service.analyzeDiskFile(uri, text, false);
            diagnostics = toDiagnostics(uri, analysis.result.findings, analysis.resolved.policy);
            read = analysis.read;
          } catch (e) {
            log.exception(`analyzing ${uri}`, e);
          }
        }
        diskReports.set(uri, { base, resultId, read });
        items.push({ kind: 'full', uri, version: null, resultId, items: diagnostics });
        // Yield after each file: requests for open documents must not wait for the whole workspace.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      return { items };
    }),
  );

  connection.onRequest(
    matrixRequest,
    request(matrixRequest, (p: MatrixParams | null, token) => matrix.render(p ?? {}, token)),
  );

  /**
   * A document's last analysis and how its text changed since, by lines: hover and code actions
   * while typing ask it for the same edit, so the last answer is kept per analysis and document
   * state.
   */
  let lastChange: { key: string; state: string; shift: LineShift } | undefined;
  function sinceLastAnalysis(uri: string, doc: OpenDocument): { last: Analysis; shift: LineShift } | undefined {
    const last = service.lastAnalysis(uri);
    if (!last) return undefined;
    const state = `${doc.version}.${doc.changes}`;
    if (lastChange?.key !== last.key || lastChange.state !== state)
      lastChange = { key: last.key, state, shift: lineShift(last.text, doc.text) };
    return { last, shift: lastChange.shift };
  }

  connection.onHover(
    request('textDocument/hover', async (p, token) => {
      const uri = p.textDocument.uri;
      const doc = service.docs.get(uri);
      if (!doc) return null;
      // While typing, the last analysis answers (never waiting for a new one) when the position
      // and the facts lie outside the lines the edits since changed; lines after them are read
      // where they moved to.
      const since = incrementalEnabled() ? sinceLastAnalysis(uri, doc) : undefined;
      const before = since && analyzedPosition(since.shift, p.position);
      const stale = before && since.last.result.hoverAt(before);
      // Nothing there in the last analysis, on a line the edits left alone: no hover yet (most
      // names are no libvirt feature; the next analysis may find one, like any stale answer).
      if (before && !stale) return null;
      const moved = stale && movedHoverFacts(stale, since.shift, uri);
      const analysis = moved ? since.last : await service.analysisOf(uri, token);
      const facts = moved || analysis?.result.hoverAt(p.position);
      if (!analysis || !facts) return null;
      const td = doc.textDocument;
      const sourceText = td.getText(facts.range);
      const value = hoverMarkdown(facts, analysis.resolved.policy, { uri, sourceText });
      return { contents: { kind: 'markdown', value }, range: facts.range };
    }),
  );

  /** Current texts of other files that fixes edit (open, else on disk): fixes are checked against them. */
  async function otherFileTexts(uris: readonly string[]): Promise<Map<string, string>> {
    const texts = new Map<string, string>();
    for (const uri of uris) {
      const open = service.docs.get(uri)?.textDocument.getText();
      const file = open === undefined ? uriToPath(uri) : undefined;
      const text = open ?? (file ? await readIndexable(file) : undefined);
      if (text !== undefined) texts.set(uri, text);
    }
    return texts;
  }

  /** Clients that resolve a code action's edit later (VS Code does) get quick fixes while typing without waiting. */
  const lazyFixes = (): boolean =>
    incrementalEnabled() && caps.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true;

  connection.onCodeAction(
    request('textDocument/codeAction', async (p, token) => {
      const uri = p.textDocument.uri;
      const req = { uri, range: p.range, only: p.context.only, diagnostics: p.context.diagnostics };
      // While typing, the last analysis lists the quick fixes when the edits since touch neither
      // the request nor the findings it covers and their fixes (lines after the edits read where
      // they moved to); their edits come from the current analysis when one is picked
      // (codeAction/resolve).
      const doc = service.docs.get(uri);
      const since = doc && lazyFixes() ? sinceLastAnalysis(uri, doc) : undefined;
      if (since && since.last.text !== doc?.text) {
        const actions = lazyQuickFixes(req, since.last.result.findings, since.last.resolved.policy, since.shift);
        if (actions) return actions;
      }
      const analysis = await service.analysisOf(uri, token);
      if (!analysis) return [];
      const others = await otherFileTexts(otherFilesOfFixes(req, analysis.result.findings));
      return codeActionsFor(
        { ...req, otherFileTexts: others, disabledSupport: caps.textDocument?.codeAction?.disabledSupport === true },
        analysis.result.findings,
        analysis.resolved.policy,
      );
    }),
  );

  connection.onCodeActionResolve(
    request('codeAction/resolve', async (action, token) => {
      const data: unknown = action.data;
      if (!isLazyFixData(data)) return action;
      const analysis = await service.analysisOf(data.uri, token);
      if (!analysis) return { title: action.title, kind: action.kind ?? CodeActionKind.QuickFix };
      const req = { uri: data.uri, range: data.range, diagnostics: [] };
      const others = await otherFileTexts(otherFilesOfFixes(req, analysis.result.findings));
      return resolveLazyFix(
        action,
        data,
        { otherFileTexts: others, disabledSupport: caps.textDocument?.codeAction?.disabledSupport === true },
        analysis.result.findings,
        analysis.resolved.policy,
      );
    }),
  );

  connection.onExecuteCommand(
    request('workspace/executeCommand', async (p) => {
      const arg = typeof p.arguments?.[0] === 'string' ? p.arguments[0] : undefined;
      if (p.command === serverCommands.showDocumentation && arg) {
        if (caps.window?.showDocument?.support) await connection.window.showDocument({ uri: arg, external: true });
        else log.info(`Documentation: ${arg}`);
        return null;
      }
      if (p.command === serverCommands.applyFixAll && arg) {
        const doc = service.docs.get(arg);
        const analysis = await service.analysisOf(arg);
        if (!doc || !analysis) return null;
        const edits = fixAllEdits(analysis.result.findings);
        if (!edits.length) return { applied: false };
        return connection.workspace.applyEdit({
          label: 'libvirt-gate: fix all',
          edit: { documentChanges: [{ textDocument: { uri: arg, version: doc.version }, edits }] },
        });
      }
      log.warn(`Unknown command or missing argument: ${p.command}`);
      return null;
    }),
  );

  connection.onShutdown(() => {
    shuttingDown = true;
    matrix.dispose();
    for (const t of timers.values()) clearTimeout(t);
    service.excludeWarnings.dispose();
  });
}
