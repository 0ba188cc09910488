// The language status item for Python: the policy the server resolved for the active
// document ("libvirt ≥ 8.0.0 · CI 10.0.0"), with a link that opens its configuration.
import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/lsp/protocol';

export class PolicyStatus implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem('libvirt-gate.policy', { language: 'python' });
  private readonly byUri = new Map<string, StatusParams>();
  private readonly listener = vscode.window.onDidChangeActiveTextEditor(() => this.render());
  private readonly closer = vscode.workspace.onDidCloseTextDocument((d) => this.byUri.delete(d.uri.toString()));

  constructor() {
    this.item.name = 'libvirt-gate policy';
    this.item.text = 'libvirt-gate';
    this.item.detail = 'waiting for the server';
    this.render();
  }

  update(params: StatusParams): void {
    this.byUri.set(params.uri, params);
    this.render();
  }

  /** The status of the active editor's document, if the server sent one. */
  current(): StatusParams | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    return uri ? this.byUri.get(uri) : undefined;
  }

  private render(): void {
    const s = this.current();
    if (!s) return;
    this.item.text = s.text;
    this.item.detail = s.configErrors
      ? 'config has errors: defaults used'
      : s.configFile
        ? 'from config file'
        : 'defaults and settings';
    this.item.severity = s.configErrors
      ? vscode.LanguageStatusSeverity.Warning
      : vscode.LanguageStatusSeverity.Information;
    this.item.command = { title: 'Open config', command: 'libvirt-gate.openConfiguration', tooltip: s.detail };
  }

  dispose(): void {
    this.item.dispose();
    this.listener.dispose();
    this.closer.dispose();
  }
}
