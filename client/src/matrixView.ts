// "libvirt-gate: Show Support Matrix": a webview of the server's HTML matrix (the same page as
// `libvirt-gate matrix --format html`), with a strict CSP (the page's style and script by
// nonce, nothing remote) and the theme's colours through CSS variables. A click on a row opens
// its location; the view refreshes when the server says the matrix may have changed.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  matrixRequest,
  type MatrixOpenMessage,
  type MatrixParams,
  type MatrixResult,
} from '../../server/src/lsp/protocol';

const viewType = 'libvirt-gate.supportMatrix';

/** What the view shows: the counts of the matrix last loaded into it. */
interface MatrixShown {
  readonly files: number;
  readonly paths: number;
}

/** A message from our page that names a file location; anything else is ignored. */
function openMessage(m: unknown): MatrixOpenMessage | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const o = m as Record<string, unknown>;
  const positive = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;
  if (o['type'] !== 'open' || typeof o['uri'] !== 'string' || !o['uri'].startsWith('file:')) return undefined;
  if (!positive(o['line']) || !positive(o['column']) || !positive(o['endLine']) || !positive(o['endColumn']))
    return undefined;
  return o as unknown as MatrixOpenMessage;
}

function messagePage(text: string): string {
  const escaped = text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'"><title>libvirt-gate support matrix</title></head><body><p>${escaped}</p></body></html>`;
}

export class MatrixView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  /** The last page shown, without its nonce: an unchanged matrix does not reload (and lose scrolling). */
  private shown: string | undefined;
  private stale = false;
  private refreshing: Promise<void> | undefined;
  /** A change arrived during a refresh: load once more after it. */
  private again = false;
  /** Undefined while the view shows a message (no server, a failed request) instead of a matrix. */
  private shownCounts: MatrixShown | undefined;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** Opens (or reveals) the view and loads the matrix; resolves to what it then shows. */
  async show(): Promise<MatrixShown | undefined> {
    if (this.panel) {
      this.panel.reveal();
    } else {
      const panel = vscode.window.createWebviewPanel(
        viewType,
        'libvirt-gate: Support Matrix',
        vscode.ViewColumn.Active,
        { enableScripts: true, enableFindWidget: true, localResourceRoots: [] },
      );
      this.panel = panel;
      this.shown = undefined;
      this.shownCounts = undefined;
      panel.webview.html = messagePage('Analyzing the workspace…');
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.shown = undefined;
        this.shownCounts = undefined;
      });
      panel.onDidChangeViewState(() => {
        if (panel.visible && this.stale) void this.refresh();
      });
      panel.webview.onDidReceiveMessage((m: unknown) => this.open(m));
    }
    await this.refresh();
    return this.shownCounts;
  }

  /** The server says the matrix may have changed. */
  onChanged(): void {
    if (!this.panel) return;
    if (this.panel.visible) void this.refresh();
    else this.stale = true;
  }

  private refresh(): Promise<void> {
    // One request at a time; a change during one is loaded right after it.
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        await this.load();
      } while (this.again && this.panel?.visible);
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async load(): Promise<void> {
    const panel = this.panel;
    const client = this.client();
    if (!panel) return;
    this.stale = false;
    if (!client) {
      // A message replaces the matrix: the next matrix must load even if it is the same as before.
      this.shown = undefined;
      this.shownCounts = undefined;
      panel.webview.html = messagePage('The libvirt-gate server is not running (see the libvirt-gate output).');
      return;
    }
    const nonce = randomBytes(16).toString('base64');
    const params: MatrixParams = { format: 'html', webview: { nonce, cspSource: panel.webview.cspSource } };
    try {
      const result = await client.sendRequest<MatrixResult>(matrixRequest, params);
      const page = result.content.split(nonce).join('');
      if (this.panel !== panel) return;
      this.shownCounts = { files: result.files, paths: result.paths };
      if (page === this.shown) return;
      this.shown = page;
      panel.webview.html = result.content;
    } catch (e) {
      this.output.error(`support matrix: ${String(e)}`);
      if (this.panel !== panel) return;
      this.shown = undefined;
      this.shownCounts = undefined;
      panel.webview.html = messagePage(`The support matrix failed: ${String(e)}`);
    }
  }

  private async open(m: unknown): Promise<void> {
    const message = openMessage(m);
    if (!message) return;
    const range = new vscode.Range(message.line - 1, message.column - 1, message.endLine - 1, message.endColumn - 1);
    // Beside the matrix, so it stays in view while one row after another is opened.
    const viewColumn = this.panel?.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
    try {
      await vscode.window.showTextDocument(vscode.Uri.parse(message.uri), {
        selection: range,
        viewColumn,
        preview: true,
      });
    } catch (e) {
      void vscode.window.showErrorMessage(`libvirt-gate: cannot open ${message.uri}: ${String(e)}`);
    }
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
