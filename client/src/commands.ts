// Commands as a table (id → handler), registered in one place; ids match package.json.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { serverCommands } from '../../server/src/lsp/protocol';
import type { MatrixView } from './matrixView';
import type { PolicyStatus } from './policyStatus';

export interface CommandContext {
  readonly output: vscode.LogOutputChannel;
  readonly status: PolicyStatus;
  readonly matrix: MatrixView;
  readonly client: () => LanguageClient | undefined;
  readonly restart: () => Promise<void>;
}

/** A handler's value is the command's result (`executeCommand` resolves to it). */
type Handler = (ctx: CommandContext) => unknown;

const commands: Readonly<Record<string, Handler>> = {
  'libvirt-gate.restartServer': async (ctx) => {
    await ctx.restart();
    ctx.output.info('libvirt-gate server restarted');
  },
  'libvirt-gate.showOutput': (ctx) => ctx.output.show(true),
  'libvirt-gate.openConfiguration': async (ctx) => {
    const configFile = ctx.status.current()?.configFile;
    if (configFile) {
      await vscode.window.showTextDocument(vscode.Uri.parse(configFile));
    } else {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'libvirt-gate');
    }
  },
  // Resolves to { files, paths } of the matrix shown: what the end-to-end suite (or another extension) can check.
  'libvirt-gate.showSupportMatrix': (ctx) => ctx.matrix.show(),
  'libvirt-gate.fixAll': async (ctx) => {
    const editor = vscode.window.activeTextEditor;
    const client = ctx.client();
    if (!editor || editor.document.languageId !== 'python' || !client) return;
    await client.sendRequest(ExecuteCommandRequest.type, {
      command: serverCommands.applyFixAll,
      arguments: [editor.document.uri.toString()],
    });
  },
};

export function registerCommands(context: vscode.ExtensionContext, ctx: CommandContext): void {
  for (const [id, handler] of Object.entries(commands)) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (): Promise<unknown> => {
        try {
          return await handler(ctx);
        } catch (e) {
          ctx.output.error(`${id}: ${String(e)}`);
          void vscode.window.showErrorMessage(`libvirt-gate: ${id} failed: ${String(e)}`);
          return undefined;
        }
      }),
    );
  }
}
