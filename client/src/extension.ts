// The VS Code extension: starts the bundled language server (dist/server.js) over node IPC
// for Python documents, and adds the status item, commands and settings around it.
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { matrixChangedNotification, statusNotification, type StatusParams } from '../../server/src/lsp/protocol';
import { registerCommands } from './commands';
import { MatrixView } from './matrixView';
import { PolicyStatus } from './policyStatus';
import { unlessCancelled } from './pullDiagnostics';

export const clientId = 'libvirt-gate';

let client: LanguageClient | undefined;

function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
    ],
    outputChannel: output,
    middleware: {
      provideDiagnostics: (document, previousResultId, token, next) =>
        unlessCancelled(next(document, previousResultId, token), token, () => new vscode.CancellationError()),
    },
    // The server registers its file watchers and configuration section itself (dynamic registration).
  };
  return new LanguageClient(clientId, 'libvirt-gate', serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('libvirt-gate', { log: true });
  const status = new PolicyStatus();
  const matrix = new MatrixView(() => client, output);
  context.subscriptions.push(output, status, matrix);

  const start = async (): Promise<LanguageClient> => {
    const c = createClient(context, output);
    c.onNotification(statusNotification, (params: StatusParams) => status.update(params));
    c.onNotification(matrixChangedNotification, () => matrix.onChanged());
    await c.start();
    return c;
  };

  registerCommands(context, {
    output,
    status,
    matrix,
    client: () => client,
    restart: async () => {
      const old = client;
      client = undefined;
      await old?.stop().catch((e: unknown) => output.error(`stopping the server: ${String(e)}`));
      client = await start();
    },
  });

  try {
    client = await start();
  } catch (e) {
    output.error(`libvirt-gate server failed to start: ${String(e)}`);
    void vscode.window.showErrorMessage('libvirt-gate: the language server failed to start; see the output channel.');
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
