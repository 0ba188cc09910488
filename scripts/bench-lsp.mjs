// Language-server latency on a generated 15,000-line driver: cold start to first diagnostics,
// didChange → diagnostics for 200 single-character edits, hover and code actions, against a
// from-scratch parse of the same file by tree-sitter (for reference). Prints a table; no asserts. Needs `npm run build` first.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const rpc = require('vscode-languageserver-protocol/node');
const { Parser, Language } = require('web-tree-sitter');
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const serverPath = path.join(root, 'dist', 'server.js');
const targetLines = 15_000;
const edits = 200;

/** A Nova-like driver: methods with guarded, gated, unguarded and helper-checked libvirt use. */
function generateDriver() {
  const head = ['import libvirt', '', 'from nova.conf import CONF', ''];
  const out = [...head];
  const consts = [];
  let i = 0;
  while (out.length < targetLines - 40) {
    consts.push(`MIN_LIBVIRT_FEATURE_${i}_VERSION = (1, 2, ${i % 20})`);
    out.push(
      `class Driver${i}(object):`,
      '    def __init__(self, host):',
      '        self._host = host',
      '',
      `    def addresses_${i}(self, dom):`,
      '        # the comment where the benchmark types',
      '        return dom.interfaceAddresses(0)',
      '',
      `    def copy_${i}(self, dom, disk, xml, params):`,
      `        if self._host.has_min_version(MIN_LIBVIRT_FEATURE_${i}_VERSION):`,
      '            dom.blockCopy(disk, xml, params, libvirt.VIR_DOMAIN_BLOCK_COPY_SHALLOW)',
      '        else:',
      '            LOG.warning("no block copy")',
      '',
      `    def gated_${i}(self, conn):`,
      '        if (CONF.libvirt.enable_untested_features and',
      `                self._host.has_min_version(MIN_LIBVIRT_FEATURE_${i}_VERSION)):`,
      "            return conn.getCPUModelNames('x86_64')",
      '        return []',
      '',
      `    def freeze_${i}(self, dom):`,
      '        try:',
      '            dom.fsFreeze()',
      '        except AttributeError:',
      '            raise NotImplementedError()',
      '',
      `    def flags_${i}(self, flags):`,
      "        if hasattr(libvirt, 'VIR_MIGRATE_POSTCOPY'):",
      '            flags |= libvirt.VIR_MIGRATE_POSTCOPY',
      '        return flags',
      '',
    );
    i++;
  }
  const lines = [...head, ...consts, '', ...out.slice(head.length)];
  while (lines.length < targetLines) lines.push('');
  return lines.slice(0, targetLines).join('\n') + '\n';
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, median: q(0.5), p99: q(0.99), max: s[s.length - 1] };
}

async function main() {
  if (!fs.existsSync(serverPath)) throw new Error('dist/server.js is missing: run `npm run build` first');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-bench-'));
  fs.writeFileSync(
    path.join(dir, 'pyproject.toml'),
    [
      '[tool.libvirt-gate]',
      'min-version = "1.0.0"',
      'min-qemu-version = "2.0.0"',
      'gate = ["CONF.libvirt.enable_untested_features"]',
      '[[tool.libvirt-gate.ci]]',
      'name = "gate"',
      'libvirt = "1.2.2"',
      'qemu = "2.0.0"',
      'kind = "upstream"',
      '',
    ].join('\n'),
  );
  const text = generateDriver();
  const file = path.join(dir, 'driver.py');
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).toString();
  const lines = text.split('\n');

  const t0 = performance.now();
  const child = spawn(process.execPath, [serverPath, '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = rpc.createProtocolConnection(
    new rpc.StreamMessageReader(child.stdout),
    new rpc.StreamMessageWriter(child.stdin),
  );
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('workspace/diagnostic/refresh', () => null);
  conn.onNotification('window/logMessage', () => undefined);
  conn.onNotification('textDocument/publishDiagnostics', () => undefined);
  conn.onNotification('libvirt-gate/status', () => undefined);
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).toString(),
    workspaceFolders: [{ uri: pathToFileURL(dir).toString(), name: 'bench' }],
    capabilities: {
      textDocument: { diagnostic: {} },
      workspace: { configuration: true, diagnostics: { refreshSupport: true } },
    },
  });
  await conn.sendNotification('initialized', {});
  await conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'python', version: 1, text },
  });
  const first = await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
  const coldStart = performance.now() - t0;

  // didChange → diagnostics: type into a comment in the middle of the file, one character per edit.
  const commentLine = lines.findIndex((l, n) => n > targetLines / 2 && l.includes('# the comment where'));
  const editLatency = [];
  let version = 1;
  let lastReport = first;
  for (let e = 0; e < edits; e++) {
    const character = lines[commentLine].length + e;
    const start = performance.now();
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: ++version },
      contentChanges: [
        { range: { start: { line: commentLine, character }, end: { line: commentLine, character } }, text: 'x' },
      ],
    });
    lastReport = await conn.sendRequest('textDocument/diagnostic', {
      textDocument: { uri },
      previousResultId: lastReport.resultId,
    });
    editLatency.push(performance.now() - start);
  }

  // Hover and code actions on the (cached) analysis, at libvirt calls across the file.
  const callLines = lines.map((l, n) => (l.includes('dom.interfaceAddresses(0)') ? n : -1)).filter((n) => n >= 0);
  const hoverLatency = [];
  const actionLatency = [];
  for (let k = 0; k < 100; k++) {
    const line = callLines[(k * 37) % callLines.length];
    const character = lines[line].indexOf('interfaceAddresses') + 3;
    let start = performance.now();
    await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } });
    hoverLatency.push(performance.now() - start);
    start = performance.now();
    await conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line, character }, end: { line, character } },
      context: { diagnostics: [] },
    });
    actionLatency.push(performance.now() - start);
  }
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  conn.dispose();

  // For reference, the same file parsed by tree-sitter (the parser the server used before its
  // own; a dev dependency now) from scratch, and re-parsed incrementally after one edit.
  await Parser.init({ locateFile: () => require.resolve('web-tree-sitter/tree-sitter.wasm') });
  const language = await Language.load(fs.readFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm')));
  const parser = new Parser();
  parser.setLanguage(language);
  const fullParse = [];
  const incrementalParse = [];
  let tree = parser.parse(text);
  for (let k = 0; k < 20; k++) {
    let start = performance.now();
    const fresh = parser.parse(text);
    fullParse.push(performance.now() - start);
    fresh.delete();
    const offset = text.indexOf('# the comment where', text.length / 2);
    tree.edit({
      startIndex: offset,
      oldEndIndex: offset,
      newEndIndex: offset + 1,
      startPosition: { row: commentLine, column: 8 },
      oldEndPosition: { row: commentLine, column: 8 },
      newEndPosition: { row: commentLine, column: 9 },
    });
    start = performance.now();
    const next = parser.parse(`${text.slice(0, offset)}x${text.slice(offset)}`, tree);
    incrementalParse.push(performance.now() - start);
    tree.delete();
    tree = parser.parse(text);
    next.delete();
  }

  const rows = [
    ['cold start → first diagnostics', { n: 1, median: coldStart, p99: coldStart, max: coldStart }],
    ['didChange → diagnostics (1 char)', stats(editLatency)],
    ['hover', stats(hoverLatency)],
    ['code actions', stats(actionLatency)],
    ['tree-sitter full parse, in process', stats(fullParse)],
    ['tree-sitter incremental re-parse', stats(incrementalParse)],
  ];
  const fmt = (x) => x.toFixed(1).padStart(9);
  console.log(
    `libvirt-gate LSP benchmark: ${targetLines} lines, ${(text.length / 1024).toFixed(0)} KB, ${(first.items ?? []).length} diagnostics, node ${process.version}`,
  );
  console.log(
    `${'measure'.padEnd(36)}${'n'.padStart(5)}${'median ms'.padStart(10)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}`,
  );
  for (const [name, s] of rows)
    console.log(`${name.padEnd(36)}${String(s.n).padStart(5)}${fmt(s.median)}${fmt(s.p99)}${fmt(s.max)}`);
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
