// Code actions over the wire: engine fixes as quick fixes (text after applying them), the
// suppression, the docs command, source.fixAll.libvirt-gate and the Fix All command; plus hover.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { CodeAction, Hover, TextEdit } from 'vscode-languageserver-protocol';
import { TestClient, applyEdits, fixtureUri, fixturesDir, readFixture } from './harness';

const folder = path.join(fixturesDir, 'driver-ws');
const uri = fixtureUri('driver-ws', 'nova_like', 'driver.py');
const text = readFixture('driver-ws', 'nova_like', 'driver.py');
const line12 = { start: { line: 11, character: 25 }, end: { line: 11, character: 25 } };

async function started(): Promise<TestClient> {
  const client = new TestClient({ folder });
  await client.initialize();
  await client.open(uri, text);
  return client;
}

function codeActions(client: TestClient, range: typeof line12, only?: string[]): Promise<CodeAction[]> {
  return client.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range,
    context: { diagnostics: [], ...(only ? { only } : {}) },
  }) as Promise<CodeAction[]>;
}

function editsOf(action: CodeAction | undefined): TextEdit[] {
  return action?.edit?.changes?.[uri] ?? [];
}

test('quick fixes at an unguarded call: engine fixes, suppression, docs; preferred and linked', async () => {
  const client = await started();
  const actions = await codeActions(client, line12);
  // Titles come from the engine (still being worded): check the shape, in finding order.
  const expected: [RegExp, boolean, string][] = [
    [/^Wrap in 'if CONF\.libvirt\.enable_untested_features:'/, true, 'LVG001'],
    [/^Suppress LVG001 for this line$/, false, 'LVG001'],
    [/^Show documentation for LVG001$/, false, 'LVG001'],
    [/^Add a version check: 'if self\._host\.has_min_version\(MIN_LIBVIRT_\w+_VERSION\):'/, true, 'LVG002'],
    [/^Add a version check behind the opt-in gate: /, false, 'LVG002'],
    [/^Suppress LVG002 for this line$/, false, 'LVG002'],
    [/^Show documentation for LVG002$/, false, 'LVG002'],
  ];
  assert.equal(actions.length, expected.length, actions.map((a) => a.title).join('\n'));
  expected.forEach(([title, preferred, code], i) => {
    assert.match(actions[i].title, title);
    assert.equal(actions[i].kind, 'quickfix');
    assert.equal(actions[i].isPreferred === true, preferred, actions[i].title);
    assert.equal(actions[i].diagnostics?.[0].code, code);
  });
  for (const a of actions) assert.equal(a.diagnostics?.length, 1);
  assert.deepEqual(actions.find((a) => a.title === 'Show documentation for LVG002')?.command, {
    title: 'Show documentation for LVG002',
    command: 'libvirt-gate.server.showDocumentation',
    arguments: ['https://github.com/libvirt-gate/libvirt-gate/blob/main/docs/rules/LVG002.md'],
  });

  // The preferred LVG002 fix, applied, guards the call; the LVG002 is gone.
  const addCheck = actions.find((a) => a.isPreferred && a.title.startsWith('Add a version check'));
  const fixed = applyEdits(text, editsOf(addCheck));
  assert.match(
    fixed,
    /\n {8}if self\._host\.has_min_version\(MIN_LIBVIRT_\w+_VERSION\):\n {12}return dom\.interfaceAddresses\(0\)\n/,
  );
  await client.change(uri, 2, [{ text: fixed }]);
  const codes = (await client.diagnostics(uri)).map((d) => d.code);
  assert.equal(codes.filter((c) => c === 'LVG002').length, 0, codes.join());
  assert.equal(await client.shutdown(), 0);
});

test('the suppression quick fix adds the comment and silences only that code', async () => {
  const client = await started();
  const suppress = (await codeActions(client, line12)).find((a) => a.title === 'Suppress LVG002 for this line');
  const fixed = applyEdits(text, editsOf(suppress));
  assert.equal(fixed.split('\n')[11], '        return dom.interfaceAddresses(0)  # libvirt-gate: ignore[LVG002]');
  await client.change(uri, 2, [{ text: fixed }]);
  const codes = (await client.diagnostics(uri)).filter((d) => d.range.start.line === 11).map((d) => d.code);
  assert.deepEqual(codes, ['LVG001']);
  assert.equal(await client.shutdown(), 0);
});

test('source.fixAll.libvirt-gate applies only safe fixes; the docs and Fix All commands work', async () => {
  const client = await started();
  const whole = { start: { line: 0, character: 0 }, end: { line: 26, character: 0 } };
  const [fixAll, ...rest] = await codeActions(client, whole, ['source.fixAll']);
  assert.equal(rest.length, 0);
  assert.equal(fixAll.kind, 'source.fixAll.libvirt-gate');
  const fixed = applyEdits(text, editsOf(fixAll));
  // The obsolete check (LVG004) is gone with its constant; unsafe fixes (add-check, gate) are not applied.
  assert.ok(!fixed.includes('MIN_LIBVIRT_BLOCKIO_VERSION'));
  assert.ok(fixed.includes('    def block_size(self, conf, size):\n        conf.logical_block_size = size\n'));
  assert.ok(fixed.includes('        return dom.interfaceAddresses(0)\n'));
  // Fix-all never suppresses: the fixture's own suppression stays the only one.
  assert.equal(fixed.split('libvirt-gate: ignore[').length, 2);
  // Only-quickfix requests do not include it.
  assert.ok((await codeActions(client, whole, ['quickfix'])).every((a) => a.kind === 'quickfix'));

  await client.connection.sendRequest('workspace/executeCommand', {
    command: 'libvirt-gate.server.showDocumentation',
    arguments: ['https://example.invalid/LVG004.md'],
  });
  assert.deepEqual(client.shownDocuments, ['https://example.invalid/LVG004.md']);
  await client.connection.sendRequest('workspace/executeCommand', {
    command: 'libvirt-gate.server.applyFixAll',
    arguments: [uri],
  });
  await client.waitFor('applyEdit', () => client.appliedEdits.length === 1);
  const change = client.appliedEdits[0].documentChanges?.[0];
  assert.ok(change && 'textDocument' in change);
  assert.deepEqual(change.textDocument, { uri, version: 1 });
  assert.equal(
    applyEdits(
      text,
      change.edits.filter((e): e is TextEdit => 'range' in e),
    ),
    fixed,
  );
  assert.equal(await client.shutdown(), 0);
});

test('hover on a libvirt call: symbol, interval, class, gate, docs', async () => {
  const client = await started();
  const hover = (await client.connection.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: { line: 15, character: 30 },
  })) as Hover;
  const value = typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
  assert.equal(
    value,
    [
      '`virDomain.interfaceAddresses` → C `virDomainInterfaceAddresses`, since libvirt 1.2.14',
      'Typed as `virDomain` by the receiver name map (setting `receivers`: `dom` → `virDomain`).',
      'Runs here on libvirt [1.2.14, ∞) because of `has_min_version(MIN_LIBVIRT_IFACE_ADDR_VERSION)` at line 15.',
      'Support class C: no CI job runs libvirt ≥ 1.2.14 (gate = 1.2.2, libvirt-latest = 1.2.9).',
      'Runs on: Ubuntu 24.04, Debian 13, RHEL 9.6, RHEL 10.0.',
      'Gated: no.',
      '[libvirt documentation](https://libvirt.org/html/libvirt-libvirt-domain.html#virDomainInterfaceAddresses)',
    ].join('\n\n'),
  );
  assert.deepEqual(hover.range, { start: { line: 15, character: 23 }, end: { line: 15, character: 41 } });
  assert.equal(await client.shutdown(), 0);
});

test('hover: why the receiver is a virDomain, and where its object comes from', async () => {
  const client = new TestClient({ folder });
  await client.initialize();
  const typedUri = fixtureUri('driver-ws', 'nova_like', 'typed.py');
  const typedText = [
    'import libvirt',
    '',
    '',
    'class Snapshots(object):',
    '    def names(self, conn, name):',
    '        vm = conn.lookupByName(name)',
    '        for snap in vm.listAllCheckpoints():',
    '            snap.getName()',
    '        return vm.fsFreeze()',
    '',
  ].join('\n');
  await client.open(typedUri, typedText);
  const hoverAt = async (line: number, character: number): Promise<string[]> => {
    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: typedUri },
      position: { line, character },
    })) as Hover;
    const value = typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    return value.split('\n\n');
  };
  const freeze = await hoverAt(8, 20);
  assert.equal(freeze[0], '`virDomain.fsFreeze` → C `virDomainFSFreeze`, since libvirt 1.2.5');
  assert.equal(freeze[1], 'Typed as `virDomain` because `vm = conn.lookupByName(...)` at line 6.');
  const name = await hoverAt(7, 18);
  assert.equal(name[0], '`virDomainCheckpoint.getName` → C `virDomainCheckpointGetName`, since libvirt 5.6.0');
  assert.equal(
    name[1],
    'Typed as `virDomainCheckpoint` because `for snap in vm.listAllCheckpoints()` at line 7. It exists only where `virDomain.listAllCheckpoints` (libvirt ≥ 5.6.0) ran.',
  );
  assert.equal(name[2], 'Runs here on libvirt [5.6.0, ∞) because it needs libvirt ≥ 5.6.0.');
  assert.equal(await client.shutdown(), 0);
});
