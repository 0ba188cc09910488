// A real LSP client for protocol tests: starts `node dist/server.js --stdio` as a child process
// and talks to it with vscode-languageserver-protocol, answering the server's own requests.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import { after } from 'node:test';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type ClientCapabilities,
  type Diagnostic,
  type PublishDiagnosticsParams,
  type InitializeResult,
  type TextEdit,
  type WorkspaceEdit,
  type LogMessageParams,
} from 'vscode-languageserver-protocol/node';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const serverPath = path.join(repoRoot, 'dist', 'server.js');
export const fixturesDir = path.join(__dirname, 'fixtures');

export function fixtureUri(...parts: string[]): string {
  return pathToFileURL(path.join(fixturesDir, ...parts)).toString();
}

export function readFixture(...parts: string[]): string {
  return fs.readFileSync(path.join(fixturesDir, ...parts), 'utf8');
}

export interface StartOptions {
  /** Workspace folder (absolute path); none when absent. */
  readonly folder?: string;
  /** Advertise pull diagnostics (textDocument/diagnostic + refresh). Default true. */
  readonly pull?: boolean;
  /** Answer for workspace/configuration ('libvirt-gate' section). */
  readonly settings?: Record<string, unknown>;
  /** Extra node options before the server script (e.g. `--import` a preload). */
  readonly nodeArgs?: readonly string[];
  /** Extra environment variables for the server process. */
  readonly env?: Readonly<Record<string, string>>;
  /** Advertise that disabled code actions can be shown (codeAction.disabledSupport). */
  readonly codeActionDisabledSupport?: boolean;
  /** Advertise that a code action's edit may be resolved later (codeAction.resolveSupport), as VS Code does. */
  readonly codeActionResolveSupport?: boolean;
}

/** Servers not shut down yet: a test that fails midway must not leave its server running (the file would never end). */
const liveServers = new Set<ChildProcessWithoutNullStreams>();
after(() => {
  for (const child of liveServers) child.kill();
});

export class TestClient {
  readonly connection: ProtocolConnection;
  readonly logs: LogMessageParams[] = [];
  readonly pushed = new Map<string, PublishDiagnosticsParams>();
  readonly statuses: { uri: string; text: string; configFile?: string; configErrors: boolean }[] = [];
  readonly appliedEdits: WorkspaceEdit[] = [];
  readonly shownDocuments: string[] = [];
  refreshRequests = 0;
  /** `libvirt-gate/matrixChanged` notifications received. */
  matrixChanged = 0;
  settings: Record<string, unknown>;
  stderr = '';
  initializeResult: InitializeResult | undefined;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiters: (() => void)[] = [];
  private exitCode: Promise<number | null>;

  constructor(private readonly options: StartOptions = {}) {
    this.settings = options.settings ?? {};
    this.child = spawn(process.execPath, [...(options.nodeArgs ?? []), serverPath, '--stdio'], {
      cwd: options.folder ?? repoRoot,
      ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
    });
    liveServers.add(this.child);
    this.child.on('exit', () => liveServers.delete(this.child));
    this.child.stderr.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.exitCode = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.child.stdout),
      new StreamMessageWriter(this.child.stdin),
    );
    const c = this.connection;
    c.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map(() => this.settings));
    c.onRequest('client/registerCapability', () => null);
    c.onRequest('window/workDoneProgress/create', () => null);
    c.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshRequests++;
      this.notify();
      return null;
    });
    c.onRequest('workspace/applyEdit', (p: { edit: WorkspaceEdit }) => {
      this.appliedEdits.push(p.edit);
      this.notify();
      return { applied: true };
    });
    c.onRequest('window/showDocument', (p: { uri: string }) => {
      this.shownDocuments.push(p.uri);
      return { success: true };
    });
    c.onNotification('window/logMessage', (p: LogMessageParams) => {
      this.logs.push(p);
      this.notify();
    });
    c.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.pushed.set(p.uri, p);
      this.notify();
    });
    c.onNotification('libvirt-gate/status', (p: TestClient['statuses'][number]) => {
      this.statuses.push(p);
      this.notify();
    });
    c.onNotification('libvirt-gate/matrixChanged', () => {
      this.matrixChanged++;
      this.notify();
    });
    c.onNotification('$/progress', () => undefined);
    c.listen();
  }

  async initialize(): Promise<InitializeResult> {
    const pull = this.options.pull !== false;
    const capabilities: ClientCapabilities = {
      textDocument: {
        synchronization: { dynamicRegistration: false },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        codeAction: {
          codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } },
          isPreferredSupport: true,
          ...(this.options.codeActionDisabledSupport ? { disabledSupport: true } : {}),
          ...(this.options.codeActionResolveSupport
            ? { resolveSupport: { properties: ['edit'] }, dataSupport: true }
            : {}),
        },
        publishDiagnostics: {
          relatedInformation: true,
          tagSupport: { valueSet: [1, 2] },
          codeDescriptionSupport: true,
        },
        ...(pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
      },
      workspace: {
        configuration: true,
        workspaceFolders: true,
        didChangeConfiguration: { dynamicRegistration: true },
        didChangeWatchedFiles: { dynamicRegistration: true },
        applyEdit: true,
        ...(pull ? { diagnostics: { refreshSupport: true } } : {}),
      },
      window: { workDoneProgress: true, showDocument: { support: true } },
    };
    const folder = this.options.folder;
    const workspaceFolders = folder ? [{ uri: pathToFileURL(folder).toString(), name: path.basename(folder) }] : null;
    this.initializeResult = (await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: workspaceFolders?.[0].uri ?? null,
      capabilities,
      workspaceFolders,
    })) as InitializeResult;
    await this.connection.sendNotification('initialized', {});
    return this.initializeResult;
  }

  /** Resolves once `predicate` holds, re-checked on every message from the server. */
  async waitFor(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits until the server logged that the background index is built. */
  indexed(): Promise<void> {
    return this.waitFor('the workspace index', () => this.logs.some((l) => l.message.startsWith('Indexed ')));
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'python', version, text },
    });
  }

  change(
    uri: string,
    version: number,
    changes: ({ range: { start: Pos; end: Pos }; text: string } | { text: string })[],
  ): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: changes,
    });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  async pullDiagnostics(
    uri: string,
    previousResultId?: string,
  ): Promise<{ kind: string; resultId?: string; items?: Diagnostic[] }> {
    return this.connection.sendRequest('textDocument/diagnostic', {
      textDocument: { uri },
      ...(previousResultId ? { previousResultId } : {}),
    });
  }

  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const report = await this.pullDiagnostics(uri);
    return report.items ?? [];
  }

  async shutdown(): Promise<number | null> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      this.child.kill();
    }
    const timer = setTimeout(() => this.child.kill(), 5000);
    const code = await this.exitCode;
    clearTimeout(timer);
    this.connection.dispose();
    return code;
  }

  get alive(): boolean {
    return this.child.exitCode === null;
  }

  /** The server's process id (for /proc/<pid>/status). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

export interface Pos {
  line: number;
  character: number;
}

/** Applies LSP text edits to a string (edits must not overlap). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: Pos): number => Math.min(text.length, (lineStarts[p.line] ?? text.length) + p.character);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

/** A stable, comparable summary of diagnostics. */
export function summarize(diags: readonly Diagnostic[]): string[] {
  return diags
    .map(
      (d) =>
        `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${String(d.code)}${d.tags?.length ? ' [unnecessary]' : ''} ${d.message}`,
    )
    .sort();
}
