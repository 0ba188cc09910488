// Code actions over the wire: engine fixes as quick fixes (text after applying them), the
// suppression, the docs command, source.fixAll.libvirt-gate and the Fix All command; plus hover.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
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

test('while typing, quick fixes come from the last analysis without edits; resolving one gives the current edit', async () => {
  const client = new TestClient({ folder, codeActionResolveSupport: true });
  await client.initialize();
  await client.open(uri, text);
  await client.pullDiagnostics(uri);
  const current = await codeActions(client, line12);
  assert.ok(current.length > 4 && current.every((a) => a.command || editsOf(a).length > 0));
  // Typing on line 23 (no line added): the fixes at line 12 neither touch it nor wait for it.
  const line22End = { line: 22, character: text.split('\n')[22]?.length ?? 0 };
  await client.change(uri, 2, [{ range: { start: line22End, end: line22End }, text: '  # typing' }]);
  const listed = await codeActions(client, line12);
  assert.deepEqual(
    listed.map((a) => a.title),
    current.map((a) => a.title),
  );
  const lazy = listed.filter((a) => !a.command);
  assert.ok(lazy.length === 5 && lazy.every((a) => a.edit === undefined && a.data !== undefined));
  for (const action of lazy) {
    const resolved = (await client.connection.sendRequest('codeAction/resolve', action)) as CodeAction;
    assert.deepEqual(editsOf(resolved), editsOf(current.find((a) => a.title === action.title)), action.title);
    assert.equal(resolved.isPreferred, current.find((a) => a.title === action.title)?.isPreferred);
  }
  // Typing on the finding's own line: that request waits for the current analysis (edits included).
  const line12End = { line: 11, character: text.split('\n')[11]?.length ?? 0 };
  await client.change(uri, 3, [{ range: { start: line12End, end: line12End }, text: ' ' }]);
  const waited = await codeActions(client, line12);
  assert.ok(waited.length > 4 && waited.every((a) => a.command || editsOf(a).length > 0));
  // A line added above moves the finding: a fix listed before resolves to no edit at all.
  await client.change(uri, 4, [
    { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' },
  ]);
  const stale = lazy.find((a) => a.title.startsWith('Add a version check:'));
  assert.ok(stale);
  const gone = (await client.connection.sendRequest('codeAction/resolve', stale)) as CodeAction;
  assert.deepEqual(gone, { title: stale.title, kind: 'quickfix' });
  // (Resolving analyzed the current text.) Another line added above: asked at the finding's new
  // line, the list comes from that analysis at once, moved with the lines (its diagnostic on line
  // 14 now); the fix picked resolves to the current edit there.
  await client.change(uri, 5, [
    { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' },
  ]);
  const line14 = { start: { line: 13, character: 25 }, end: { line: 13, character: 25 } };
  const movedList = (await codeActions(client, line14)).filter((a) => !a.command);
  assert.ok(movedList.length === 5 && movedList.every((a) => a.edit === undefined && a.data !== undefined));
  assert.deepEqual(
    movedList.map((a) => a.diagnostics?.[0]?.range.start.line),
    [13, 13, 13, 13, 13],
  );
  const addCheck = movedList.find((a) => a.title.startsWith('Add a version check:'));
  const resolvedAdd = (await client.connection.sendRequest('codeAction/resolve', addCheck)) as CodeAction;
  const currentAdd = (await codeActions(client, line14)).find((a) => a.title === addCheck?.title);
  assert.ok(editsOf(resolvedAdd).length > 0);
  assert.deepEqual(editsOf(resolvedAdd), editsOf(currentAdd));
  // Data the server did not make is handed back as it came.
  const foreign = { title: 'x', kind: 'quickfix', data: { uri, code: 1 } };
  assert.deepEqual(await client.connection.sendRequest('codeAction/resolve', foreign), foreign);
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

// ---- The opt-in option: LVG008's declaration in another file, refusals, the gate's hover ----

const optionsFolder = path.join(fixturesDir, 'options-ws');
const gateRange = { start: { line: 9, character: 20 }, end: { line: 9, character: 20 } };

/** A copy of a fixture folder (tests that change files on disk must not touch the fixtures). */
function copyOf(folder: string): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-options-'));
  fs.cpSync(folder, copy, { recursive: true });
  return copy;
}

/** Runs `body` against a server on `folder` with driver.py open; the server is shut down even when it fails. */
async function withServer(
  folder: string,
  disabledSupport: boolean,
  body: (client: TestClient, driver: string) => Promise<void>,
): Promise<void> {
  const client = new TestClient({ folder, codeActionDisabledSupport: disabledSupport });
  try {
    await client.initialize();
    await client.indexed();
    const driver = pathToFileURL(path.join(folder, 'nova_like', 'driver.py')).toString();
    await client.open(driver, fs.readFileSync(path.join(folder, 'nova_like', 'driver.py'), 'utf8'));
    await body(client, driver);
  } finally {
    assert.equal(await client.shutdown(), 0);
  }
}

function actionsAt(client: TestClient, docUri: string, range: typeof gateRange): Promise<CodeAction[]> {
  return client.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri: docUri },
    range,
    context: { diagnostics: [] },
  }) as Promise<CodeAction[]>;
}

async function hoverText(client: TestClient, docUri: string, position: { line: number; character: number }) {
  const hover = (await client.connection.sendRequest('textDocument/hover', {
    textDocument: { uri: docUri },
    position,
  })) as Hover;
  return typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
}

const declareTitle =
  "Declare [libvirt] enable_untested_features: add cfg.BoolOpt('enable_untested_features', default=False) to libvirt_opts in conf.py";

test('LVG008: the quick fix declares the option in the configuration module; applied, the finding goes and the hover shows it', () =>
  withServer(optionsFolder, false, async (client, driver) => {
    const confPath = path.join(optionsFolder, 'nova_like', 'conf.py');
    const confUri = pathToFileURL(confPath).toString();
    const conf = fs.readFileSync(confPath, 'utf8');
    const lvg008 = (await client.diagnostics(driver)).filter((d) => d.code === 'LVG008');
    assert.deepEqual(
      lvg008.map((d) => [d.range, d.severity]),
      [[{ start: { line: 9, character: 12 }, end: { line: 9, character: 49 } }, 2]],
    );
    assert.match(
      await hoverText(client, driver, gateRange.start),
      /\n\nOption `\[libvirt\] enable_untested_features` is not declared: /,
    );

    const actions = await actionsAt(client, driver, gateRange);
    const declare = actions.find((a) => a.title === declareTitle);
    assert.ok(declare, actions.map((a) => a.title).join('\n'));
    assert.equal(declare.isPreferred, true);
    assert.deepEqual(Object.keys(declare.edit?.changes ?? {}), [confUri]);
    const fixed = applyEdits(conf, declare.edit?.changes?.[confUri] ?? []);
    assert.equal(
      fixed,
      [
        'from oslo_config import cfg',
        '',
        'CONF = cfg.CONF',
        '',
        'libvirt_opts = [',
        "    cfg.StrOpt('virt_type',",
        "               default='kvm',",
        "               help='Libvirt domain type.'),",
        "    cfg.BoolOpt('enable_untested_features',",
        '                default=False,',
        "                help='Enable code paths that upstream CI does not test '",
        "                     '(support class C: no CI job runs them). Off by '",
        "                     'default: enable them at your own risk.'),",
        ']',
        '',
        "CONF.register_opts(libvirt_opts, group='libvirt')",
        '',
      ].join('\n'),
    );

    // The editor applies the workspace edit: conf.py is now open with the new text.
    // Wait for the refresh that follows conf.py's index update (an earlier one, from the
    // background scan, may come first): pull again after each refresh until LVG008 is gone.
    await client.open(confUri, fixed);
    let lvg008Left = lvg008.length;
    const deadline = Date.now() + 10_000;
    while (lvg008Left > 0 && Date.now() < deadline) {
      const refreshes = client.refreshRequests;
      lvg008Left = (await client.diagnostics(driver)).filter((d) => d.code === 'LVG008').length;
      if (lvg008Left > 0) await client.waitFor('a diagnostics refresh', () => client.refreshRequests > refreshes);
    }
    assert.deepEqual(
      (await client.diagnostics(driver)).filter((d) => d.code === 'LVG008'),
      [],
    );
    assert.equal(
      (await hoverText(client, driver, gateRange.start)).split('\n\n').slice(1, 3).join('\n\n'),
      [
        `Option \`[libvirt] enable_untested_features\` (BoolOpt), default \`False\`; declared at [conf.py:9](${confUri}#L9).`,
        '> Enable code paths that upstream CI does not test (support class C: no CI job runs them). Off by default: enable them at your own risk.',
      ].join('\n\n'),
    );
  }));

test('LVG008: a declaration fix whose file changed on disk since it was analyzed is disabled, not applied', async () => {
  const folder = copyOf(optionsFolder);
  try {
    await withServer(folder, true, async (client, driver) => {
      // Changed behind the server's back (no watcher event): the index still has the old text.
      const confPath = path.join(folder, 'nova_like', 'conf.py');
      fs.writeFileSync(confPath, fs.readFileSync(confPath, 'utf8').replace("'kvm'", "'qemu'"));
      const declare = (await actionsAt(client, driver, gateRange)).find((a) => a.title === declareTitle);
      assert.deepEqual(declare && { disabled: declare.disabled, edit: declare.edit }, {
        disabled: { reason: 'conf.py changed since it was analyzed: try again' },
        edit: undefined,
      });
    });
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test('LVG008: a refused declaration fix is a disabled action with its reason, or left out for clients that cannot show one', async () => {
  const folder = path.join(fixturesDir, 'options-refused-ws');
  const title =
    "Declare [libvirt] enable_untested_features: refused, 2 option lists are registered for group 'libvirt' (libvirt_general_opts in conf.py, libvirt_migration_opts in conf.py): add it to one by hand";
  for (const disabledSupport of [true, false]) {
    await withServer(folder, disabledSupport, async (client, driver) => {
      const titles = (await actionsAt(client, driver, gateRange)).filter((a) => a.diagnostics?.[0]?.code === 'LVG008');
      assert.deepEqual(
        titles.map((a) => [a.title, a.disabled?.reason, a.edit]),
        [
          ...(disabledSupport ? [[title, title, undefined]] : []),
          ['Suppress LVG008 for this line', undefined, titles.find((a) => a.title.startsWith('Suppress'))?.edit],
          ['Show documentation for LVG008', undefined, undefined],
        ],
      );
    });
  }
});
