// The server's lifecycle and robustness: capabilities with and without pull diagnostics, bad
// input that must not crash it, errors answered as errors, a clean shutdown.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import { TestClient, fixtureUri, fixturesDir, readFixture, serverPath } from './harness';

const folder = path.join(fixturesDir, 'driver-ws');
const driverUri = fixtureUri('driver-ws', 'nova_like', 'driver.py');

test('initialize with pull diagnostics: diagnosticProvider, incremental sync, hover, code actions', async () => {
  const client = new TestClient({ folder });
  const result = await client.initialize();
  const caps = result.capabilities;
  assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
  assert.deepEqual(caps.diagnosticProvider, {
    identifier: 'libvirt-gate',
    interFileDependencies: true,
    workspaceDiagnostics: true,
  });
  assert.equal(caps.hoverProvider, true);
  assert.deepEqual(caps.codeActionProvider, {
    codeActionKinds: ['quickfix', 'source.fixAll.libvirt-gate'],
    resolveProvider: true,
  });
  assert.deepEqual(caps.executeCommandProvider?.commands, [
    'libvirt-gate.server.showDocumentation',
    'libvirt-gate.server.applyFixAll',
  ]);
  await client.indexed();
  assert.equal(await client.shutdown(), 0);
});

test('initialize without pull support: no diagnosticProvider, diagnostics are pushed', async () => {
  const client = new TestClient({ folder, pull: false });
  const result = await client.initialize();
  assert.equal(result.capabilities.diagnosticProvider, undefined);
  await client.open(driverUri, readFixture('driver-ws', 'nova_like', 'driver.py'));
  await client.waitFor('pushed diagnostics', () => client.pushed.has(driverUri));
  assert.equal(client.pushed.get(driverUri)?.version, 1);
  await client.close(driverUri);
  await client.waitFor(
    'cleared diagnostics',
    () => client.pushed.get(driverUri)?.diagnostics.length === 0 && client.pushed.get(driverUri)?.version === undefined,
  );
  assert.equal(await client.shutdown(), 0);
});

test('binary garbage, NUL bytes and a huge document do not crash the server', async () => {
  const client = new TestClient({ folder });
  await client.initialize();
  const garbage = Buffer.from(Array.from({ length: 20_000 }, (_, i) => (i * 7919 + 13) % 256)).toString('latin1');
  const uris = ['garbage.py', 'nul.py', 'huge.py'].map((n) => fixtureUri('driver-ws', 'scratch', n));
  await client.open(uris[0], garbage);
  await client.open(uris[1], 'import libvirt\0\0\0\ndom.fsFreeze(\0)\n\udc00\ud800 unpaired surrogates\n');
  await client.open(uris[2], 'x = 1\n'.repeat(1_500_000));
  for (const uri of uris) {
    const report = await client.pullDiagnostics(uri);
    assert.equal(report.kind, 'full');
    assert.equal(
      await client.connection.sendRequest('textDocument/hover', {
        textDocument: { uri },
        position: { line: 0, character: 3 },
      }),
      null,
    );
  }
  // Edits with out-of-range positions are clamped, not fatal.
  await client.change(uris[1], 2, [
    { range: { start: { line: 99, character: 5 }, end: { line: 120, character: 0 } }, text: 'tail\n' },
  ]);
  await client.change(uris[1], 3, [
    { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 9999 } }, text: '' },
  ]);
  assert.equal((await client.pullDiagnostics(uris[1])).kind, 'full');
  assert.ok(client.alive);
  assert.equal(await client.shutdown(), 0);
});

test('hover on nothing is null; requests for unknown documents answer empty', async () => {
  const client = new TestClient({ folder });
  await client.initialize();
  await client.open(driverUri, readFixture('driver-ws', 'nova_like', 'driver.py'));
  const blank = await client.connection.sendRequest('textDocument/hover', {
    textDocument: { uri: driverUri },
    position: { line: 5, character: 0 },
  });
  assert.equal(blank, null);
  const unknown = fixtureUri('driver-ws', 'not-open.py');
  assert.equal(
    await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: unknown },
      position: { line: 0, character: 0 },
    }),
    null,
  );
  assert.deepEqual(
    await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: unknown },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [] },
    }),
    [],
  );
  assert.deepEqual(await client.pullDiagnostics(unknown), { kind: 'full', items: [] });
  assert.equal(await client.shutdown(), 0);
});

test('a failing handler answers with an error response and the server keeps running', async () => {
  const client = new TestClient({ folder });
  await client.initialize();
  // Malformed params: no textDocument. The handler throws; the client gets an error, not a crash.
  await assert.rejects(
    client.connection.sendRequest('textDocument/hover', { position: { line: 0, character: 0 } }),
    (e: { code?: number }) => e.code === -32603,
  );
  await assert.rejects(
    client.connection.sendRequest('libvirt-gate/noSuchMethod', {}),
    (e: { code?: number }) => e.code === -32601,
  );
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri: 'file:///never-opened.py', version: 2 },
    contentChanges: [{ text: 'x' }],
  });
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: null });
  await client.waitFor('the handler error in the log', () =>
    client.logs.some((l) => l.type === 1 && l.message.includes('textDocument/hover failed')),
  );
  await client.open(driverUri, readFixture('driver-ws', 'nova_like', 'driver.py'));
  assert.equal((await client.pullDiagnostics(driverUri)).kind, 'full');
  assert.ok(client.alive);
  assert.equal(await client.shutdown(), 0);
});

test('cancelled diagnostic pull answers RequestCancelled or a result, never hangs', async () => {
  const client = new TestClient({ folder });
  await client.initialize();
  await client.open(driverUri, readFixture('driver-ws', 'nova_like', 'driver.py'));
  const source = new CancellationTokenSource();
  const pending = client.connection.sendRequest(
    'textDocument/diagnostic',
    { textDocument: { uri: driverUri } },
    source.token,
  );
  source.cancel();
  await pending.then(
    () => undefined,
    (e: { code?: number }) => assert.equal(e.code, -32800),
  );
  assert.equal((await client.pullDiagnostics(driverUri)).kind, 'full');
  assert.equal(await client.shutdown(), 0);
});

test('standalone: libvirt-gate-lsp without a transport prints usage and exits 2', () => {
  const run = spawnSync(process.execPath, [serverPath], { encoding: 'utf8' });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /usage: libvirt-gate-lsp --stdio/);
  const help = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'libvirt-gate-lsp.js'), '--help'], {
    encoding: 'utf8',
  });
  assert.equal(help.status, 0);
});
