// Entry of the language server (dist/server.js, `libvirt-gate-lsp`): `--stdio`, `--node-ipc`
// or `--socket=N`, as vscode-languageserver detects them from the command line.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

const transports = ['--stdio', '--node-ipc', '--socket=', '--pipe='];
const args = process.argv.slice(2);

if (args.includes('--help') || args.includes('-h') || !args.some((a) => transports.some((t) => a.startsWith(t)))) {
  process.stderr.write('usage: libvirt-gate-lsp --stdio | --node-ipc | --socket=PORT\n');
  process.exit(args.includes('--help') || args.includes('-h') ? 0 : 2);
}

const connection = createConnection(ProposedFeatures.all);

// Never die on a stray exception: log it and keep serving (the client would restart us otherwise,
// losing the index). stdout is the protocol channel under --stdio, so log through the connection.
process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) =>
  connection.console.error(`unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
);

startServer(connection);
connection.listen();
