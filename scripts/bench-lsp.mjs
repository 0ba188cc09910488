// Language-server latency on a generated 15,000-line driver (or, with `--file PATH`, a real
// one: Nova's driver.py, say; the edit places are then found by the parser): cold start to first diagnostics,
// didChange → diagnostics for 200 single-character edits in a comment, 100 in a string of a
// function body, 50 new lines of code and 50 blank ones; hover and code actions (on a current
// analysis, and while typing), each against the issue's targets, run three times: as shipped, with
// LIBVIRT_GATE_INCREMENTAL=off (the plain cache), and with LIBVIRT_GATE_FLOW_CACHE=off (every
// function walked again after each edit), with the ratios. For reference, a
// from-scratch parse of the same file by tree-sitter and by the server's own parser, and the
// round trip of the first full report from a stub server (what moving every diagnostic costs
// before any analysis). Prints tables; no asserts. Needs `npm run build` first.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const require = createRequire(import.meta.url);
const rpc = require('vscode-languageserver-protocol/node');
const { Parser, Language } = require('web-tree-sitter');
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const serverPath = path.join(root, 'dist', 'server.js');
const targetLines = 15_000;
/** `--edits N` for a quicker run on a busy machine (the targets are for 200). */
const edits = process.argv.includes('--edits') ? Number(process.argv[process.argv.indexOf('--edits') + 1]) : 200;
/** `--cpu-prof DIR`: the servers write V8 CPU profiles there (to see where an edit's time goes). */
const profileArgs = process.argv.includes('--cpu-prof')
  ? ['--cpu-prof', `--cpu-prof-dir=${process.argv[process.argv.indexOf('--cpu-prof') + 1]}`]
  : [];

/** `--file PATH`: a real driver instead of the generated one. */
const realFile = process.argv.includes('--file') ? process.argv[process.argv.indexOf('--file') + 1] : undefined;

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

/**
 * Where the benchmark types, and where it hovers, in the generated driver: the places its
 * generator writes (a comment, a string, a statement in a method, the libvirt calls).
 */
function generatedSites(text) {
  const lines = text.split('\n');
  const commentLine = lines.findIndex((l, n) => n > targetLines / 2 && l.includes('# the comment where'));
  const stringLine = lines.findIndex((l, n) => n > targetLines / 2 && l.includes('LOG.warning("no block copy'));
  const codeLine = lines.findIndex((l, n) => n > targetLines / 2 && l === '        self._host = host');
  const callLines = lines.map((l, n) => (l.includes('dom.interfaceAddresses(0)') ? n : -1)).filter((n) => n >= 0);
  return {
    comment: { line: commentLine, character: lines[commentLine].length },
    string: { line: stringLine, character: lines[stringLine].indexOf('no block copy') + 'no block copy'.length },
    code: { line: codeLine, character: lines[codeLine].length },
    indent: '        ',
    hovers: callLines.map((line) => ({ line, character: lines[line].indexOf('interfaceAddresses') + 3 })),
  };
}

/**
 * The same places in a real driver, found by the server's own parser past the middle of the
 * file: the end of a comment on a line of its own in a function, the inside of a one-line plain
 * string passed to a call, the end of a one-line assignment statement in a function body, and
 * the method names of attribute calls across the file (where hovers and code actions are asked).
 */
function realSites(text, { parsePython, NodeKind, Field }) {
  const tree = parsePython(text);
  const lines = text.split('\n');
  const middle = text.length / 2;
  const pos = (offset) => tree.lines.position(offset);
  const inFunction = (node) => {
    for (let p = tree.parent(node); p !== undefined; p = tree.parent(p))
      if (tree.kind(p) === NodeKind.FunctionDefinition) return true;
    return false;
  };
  const comment = tree.comments.find((c) => {
    if (c.start < middle) return false;
    const { line, character } = pos(c.start);
    return character >= 8 && lines[line].trim().startsWith('#') && inFunction(tree.nodeAt(c.start));
  });
  const string = tree.descendantsOfKind(tree.root, NodeKind.String).find((n) => {
    const body = tree.text(n);
    return (
      tree.start(n) > middle &&
      tree.kind(tree.parent(n)) === NodeKind.ArgumentList &&
      /^(['"])[A-Za-z ]{3,}\1$/.test(body) &&
      inFunction(n)
    );
  });
  const statement = tree.descendantsOfKind(tree.root, NodeKind.Assignment).find((n) => {
    const stmt = tree.parent(n);
    return (
      tree.start(n) > middle &&
      tree.kind(stmt) === NodeKind.ExpressionStatement &&
      tree.kind(tree.parent(stmt)) === NodeKind.Block &&
      !tree.text(stmt).includes('\n') &&
      inFunction(n) &&
      pos(tree.end(stmt)).character === lines[pos(tree.end(stmt)).line].length
    );
  });
  if (!comment || string === undefined || statement === undefined)
    throw new Error(`${realFile}: no comment, string or assignment statement in a function past the middle`);
  const code = pos(tree.end(statement));
  const hovers = tree
    .descendantsOfKind(tree.root, NodeKind.Call)
    .map((c) => tree.field(c, Field.Function))
    .filter((f) => f !== undefined && tree.kind(f) === NodeKind.Attribute)
    .map((f) => {
      const at = pos(tree.end(f));
      return { line: at.line, character: at.character - 1 };
    });
  return {
    comment: pos(comment.end),
    string: pos(tree.end(string) - 1),
    code,
    indent: lines[code.line].match(/^\s*/)[0],
    hovers,
  };
}

/** One server run; `env` is added to the server's environment. */
async function runServer(env, text, sites) {
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
  const file = path.join(dir, 'driver.py');
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).toString();
  const lines = text.split('\n');

  const t0 = performance.now();
  const child = spawn(process.execPath, [...profileArgs, serverPath, '--stdio'], {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
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
      // As VS Code: pull diagnostics, and code actions whose edit is resolved when picked.
      textDocument: {
        diagnostic: {},
        codeAction: {
          codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } },
          dataSupport: true,
          resolveSupport: { properties: ['edit'] },
        },
      },
      workspace: { configuration: true, diagnostics: { refreshSupport: true } },
    },
  });
  await conn.sendNotification('initialized', {});
  await conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'python', version: 1, text },
  });
  const first = await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
  const coldStart = performance.now() - t0;

  let version = 1;
  let lastReport = first;
  /**
   * `count` edits, each `change(e)` (a position and the text inserted there), pulling
   * diagnostics after each: their latencies. With `full`, each pull must give a full report.
   */
  async function editAndPull(count, change, full = false) {
    const latency = [];
    for (let e = 0; e < count; e++) {
      const { at, text } = change(e);
      const start = performance.now();
      await conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: ++version },
        contentChanges: [{ range: { start: at, end: at }, text }],
      });
      lastReport = await conn.sendRequest('textDocument/diagnostic', {
        textDocument: { uri },
        previousResultId: lastReport.resultId,
      });
      if (full && lastReport.kind !== 'full') throw new Error('an edit above findings must give a full report');
      latency.push(performance.now() - start);
    }
    return latency;
  }
  /** Takes out what was inserted at the end of `line`, up to `end` on the line `count` below. */
  async function takeOut(line, count, end) {
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: ++version },
      contentChanges: [
        {
          range: { start: { line, character: lines[line].length }, end: { line: line + count, character: end } },
          text: '',
        },
      ],
    });
    lastReport = await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
  }
  // didChange → diagnostics: type into a comment in the middle of the file, one character per edit.
  const editLatency = await editAndPull(edits, (e) => ({
    at: { line: sites.comment.line, character: sites.comment.character + e },
    text: 'x',
  }));
  // Typing in code: into a string in a function body (the function is walked again, the
  // findings stay as they were).
  const codeLatency = await editAndPull(Math.max(20, Math.round(edits / 2)), (e) => ({
    at: { line: sites.string.line, character: sites.string.character + e },
    text: 'x',
  }));

  // The same for a new line of code above half of the findings: every finding below it moves,
  // so the server cannot answer "unchanged" (typing into a comment leaves the diagnostics as
  // they were, and the server then sends none). Then taken out again: the positions below are
  // those of the generated text.
  const codeLine = sites.code.line;
  const lineEnd = sites.code;
  const indent = sites.indent;
  const added = Math.max(20, Math.round(edits / 4));
  const lineLatency = await editAndPull(added, (e) => ({ at: lineEnd, text: `\n${indent}self._n${e} = ${e}` }), true);
  await takeOut(codeLine, added, `${indent}self._n${added - 1} = ${added - 1}`.length);
  // Enter at the end of that line, as many times: blank lines above half of the findings (they
  // move, and no code changed), then taken out again.
  const enterLatency = await editAndPull(added, () => ({ at: lineEnd, text: `\n${indent}` }), true);
  await takeOut(codeLine, added, indent.length);
  // (The pull moved the last findings without analyzing: a code action brings the analysis up to date, untimed.)
  await conn.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: codeLine, character: 0 }, end: { line: codeLine, character: 0 } },
    context: { diagnostics: [] },
  });

  // Hover and code actions on the (cached) analysis, at libvirt calls across the file.
  const hoverAt = (k) => sites.hovers[(k * 37) % sites.hovers.length];
  const hoverLatency = [];
  const actionLatency = [];
  for (let k = 0; k < 100; k++) {
    const { line, character } = hoverAt(k);
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
  // While typing: an edit, then at once a hover (or code actions) elsewhere, with no pull between.
  const typingHover = [];
  const typingAction = [];
  for (let k = 0; k < 40; k++) {
    const at = { line: sites.comment.line, character: sites.comment.character + edits + k };
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: ++version },
      contentChanges: [{ range: { start: at, end: at }, text: 'y' }],
    });
    const position = hoverAt(k);
    const start = performance.now();
    if (k % 2 === 0) {
      await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position });
      typingHover.push(performance.now() - start);
    } else {
      await conn.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: position, end: position },
        context: { diagnostics: [] },
      });
      typingAction.push(performance.now() - start);
    }
  }
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  conn.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    diagnostics: (first.items ?? []).length,
    report: first.items ?? [],
    rows: [
      ['cold start → first diagnostics', { n: 1, median: coldStart, p99: coldStart, max: coldStart }, 500],
      ['didChange → diagnostics (1 char, comment)', stats(editLatency), 15, 50],
      ['didChange → diagnostics (1 char, code)', stats(codeLatency), 15, 50],
      ['didChange → diagnostics (new line of code)', stats(lineLatency), 15, 50],
      ['didChange → diagnostics (Enter: blank line)', stats(enterLatency), 15, 50],
      ['hover (analysis current)', stats(hoverLatency)],
      ['code actions (analysis current)', stats(actionLatency)],
      ['hover while typing', stats(typingHover), undefined, 10],
      ['code actions while typing', stats(typingAction), undefined, 10],
    ],
  };
}

/**
 * What sending a full report costs alone: a stub server that answers each pull with the
 * given diagnostics through vscode-jsonrpc, and nothing else (a floor for an edit that moves
 * them all: a new line above them).
 */
async function stubRoundTrips(items) {
  const file = path.join(os.tmpdir(), `lvg-bench-report-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(items));
  const stub = [
    `const rpc = require(${JSON.stringify(require.resolve('vscode-languageserver-protocol/node'))});`,
    `const items = JSON.parse(require('fs').readFileSync(${JSON.stringify(file)}, 'utf8'));`,
    'const c = rpc.createProtocolConnection(new rpc.StreamMessageReader(process.stdin), new rpc.StreamMessageWriter(process.stdout));',
    "let n = 0; c.onRequest('textDocument/diagnostic', () => ({ kind: 'full', resultId: String(++n), items }));",
    'c.listen();',
  ].join('\n');
  const child = spawn(process.execPath, ['-e', stub], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = rpc.createProtocolConnection(
    new rpc.StreamMessageReader(child.stdout),
    new rpc.StreamMessageWriter(child.stdin),
  );
  conn.listen();
  const latency = [];
  for (let k = 0; k < 25; k++) {
    const start = performance.now();
    await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: 'file:///stub.py' } });
    if (k >= 5) latency.push(performance.now() - start);
  }
  conn.dispose();
  child.kill();
  fs.rmSync(file, { force: true });
  return latency;
}

async function main() {
  if (!fs.existsSync(serverPath)) throw new Error('dist/server.js is missing: run `npm run build` first');
  // The server's own parser, bundled here from the source: it finds the edit places in a real
  // driver, and shows what a full re-parse on each edit costs.
  const parserBundle = path.join(os.tmpdir(), `lvg-bench-parser-${process.pid}.cjs`);
  await esbuild.build({
    entryPoints: [path.join(root, 'server/src/engine/syntax/index.ts')],
    outfile: parserBundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  const syntax = require(parserBundle);
  fs.rmSync(parserBundle, { force: true });
  const text = realFile ? fs.readFileSync(realFile, 'utf8') : generateDriver();
  const sites = realFile ? realSites(text, syntax) : generatedSites(text);
  const incremental = await runServer({}, text, sites);
  const plain = await runServer({ LIBVIRT_GATE_INCREMENTAL: 'off' }, text, sites);
  const noFlowCache = await runServer({ LIBVIRT_GATE_FLOW_CACHE: 'off' }, text, sites);
  const commentOffset = text.split('\n').slice(0, sites.comment.line).join('\n').length + 1 + sites.comment.character;

  // For reference, the same file parsed by tree-sitter (the parser the server used before its
  // own; a dev dependency now) from scratch, and re-parsed incrementally after one edit.
  await Parser.init({ locateFile: () => require.resolve('web-tree-sitter/tree-sitter.wasm') });
  const language = await Language.load(fs.readFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm')));
  const parser = new Parser();
  parser.setLanguage(language);
  const ownParse = [];
  for (let k = 0; k < 20; k++) {
    const start = performance.now();
    syntax.parsePython(text);
    ownParse.push(performance.now() - start);
  }
  const fullParse = [];
  const incrementalParse = [];
  let tree = parser.parse(text);
  for (let k = 0; k < 20; k++) {
    let start = performance.now();
    const fresh = parser.parse(text);
    fullParse.push(performance.now() - start);
    fresh.delete();
    const offset = commentOffset;
    const row = sites.comment.line;
    const column = sites.comment.character;
    tree.edit({
      startIndex: offset,
      oldEndIndex: offset,
      newEndIndex: offset + 1,
      startPosition: { row, column },
      oldEndPosition: { row, column },
      newEndPosition: { row, column: column + 1 },
    });
    start = performance.now();
    const next = parser.parse(`${text.slice(0, offset)}x${text.slice(offset)}`, tree);
    incrementalParse.push(performance.now() - start);
    tree.delete();
    tree = parser.parse(text);
    next.delete();
  }

  const transport = await stubRoundTrips(incremental.report);

  const fmt = (x) => x.toFixed(1).padStart(9);
  const target = (median, p99) =>
    [median === undefined ? '' : `median ≤ ${median}`, p99 === undefined ? '' : `p99 ≤ ${p99}`]
      .filter(Boolean)
      .join(', ');
  console.log(
    `libvirt-gate LSP benchmark: ${realFile ?? 'generated driver'}, ${text.split('\n').length - 1} lines, ${(text.length / 1024).toFixed(0)} KB, ${incremental.diagnostics} diagnostics, node ${process.version}`,
  );
  console.log(
    `typing at ${[sites.comment, sites.string, sites.code].map((p) => `${p.line + 1}:${p.character + 1}`).join(', ')} (comment, string, code), hovers at ${sites.hovers.length} calls`,
  );
  const header = `${'measure'.padEnd(42)}${'n'.padStart(5)}${'median ms'.padStart(10)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}`;
  for (const [title, run] of [
    ['incremental (default)', incremental],
    ['LIBVIRT_GATE_INCREMENTAL=off', plain],
    ['LIBVIRT_GATE_FLOW_CACHE=off', noFlowCache],
  ]) {
    console.log(`\n${title}\n${header}${'  target ms'}`);
    for (const [name, s, median, p99] of run.rows)
      console.log(
        `${name.padEnd(42)}${String(s.n).padStart(5)}${fmt(s.median)}${fmt(s.p99)}${fmt(s.max)}  ${target(median, p99)}`,
      );
  }
  for (const [title, off] of [
    ['incremental off', plain],
    ['flow cache off', noFlowCache],
  ]) {
    console.log(`\nratios, ${title} / default (median, p99)`);
    for (const [i, [name, s]] of incremental.rows.entries()) {
      const o = off.rows[i][1];
      console.log(`${name.padEnd(42)}${fmt(o.median / s.median)}${fmt(o.p99 / s.p99)}`);
    }
  }
  console.log(`\nreference\n${header}`);
  for (const [name, s] of [
    ['tree-sitter full parse, in process', stats(fullParse)],
    ['tree-sitter incremental re-parse', stats(incrementalParse)],
    ['own parser, full parse, in process', stats(ownParse)],
    [`full report of ${incremental.report.length}, stub server`, stats(transport)],
  ])
    console.log(`${name.padEnd(42)}${String(s.n).padStart(5)}${fmt(s.median)}${fmt(s.p99)}${fmt(s.max)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
