'use strict';
const assert = require('assert');
const vscode = require('vscode');
const { open, ours, expectDiagnostics, closeAll } = require('./helpers');
const expected = require('./expected');

suite('diagnostics', function () {
  suiteTeardown(closeAll);

  for (const file of ['driver/guest.py', 'driver/blockio.py', 'driver/host.py']) {
    test(`${file}: codes, ranges and severities`, async () => {
      const doc = await open(file);
      await expectDiagnostics(doc.uri, expected.diagnostics[file], `diagnostics of ${file}`);
    });
  }

  test('messages, rule links and related information', async () => {
    const doc = await open('driver/guest.py');
    await expectDiagnostics(doc.uri, expected.diagnostics['driver/guest.py'], 'diagnostics of driver/guest.py');
    const [postcopy] = ours(doc.uri);
    assert.strictEqual(postcopy.message, expected.messages.postcopy);
    assert.strictEqual(doc.getText(postcopy.range), 'VIR_MIGRATE_POSTCOPY');
    assert.ok(
      typeof postcopy.code === 'object' && /LVG001/.test(String(postcopy.code.target)),
      `LVG001 should link to its rule docs; code: ${JSON.stringify(postcopy.code)}`,
    );
    const guard = (postcopy.relatedInformation || []).find((r) => /hasattr/.test(r.message));
    assert.ok(
      guard,
      `the hasattr guard should be related information; got ${JSON.stringify(postcopy.relatedInformation)}`,
    );
    assert.strictEqual(guard.location.range.start.line, expected.guest.hasattrLine);

    const host = await open('driver/host.py');
    await expectDiagnostics(host.uri, expected.diagnostics['driver/host.py'], 'diagnostics of driver/host.py');
    assert.strictEqual(ours(host.uri)[0].message, expected.messages.hostBranch);
  });

  test('edits update the diagnostics as you type', async () => {
    const doc = await open('driver/host.py');
    await expectDiagnostics(doc.uri, expected.diagnostics['driver/host.py'], 'diagnostics of driver/host.py');
    const editor = vscode.window.activeTextEditor;
    const line = doc.lineAt(7); // if self._host.has_min_version(MIN_LIBVIRT_IFACE_ADDR_VERSION):
    const at = line.text.indexOf('self._host');
    assert.ok(
      await editor.edit((b) => b.insert(new vscode.Position(7, at), 'CONF.libvirt.enable_untested_features and ')),
    );
    await expectDiagnostics(doc.uri, [], 'the gated branch to be clean');
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await expectDiagnostics(doc.uri, expected.diagnostics['driver/host.py'], 'the finding to come back after revert');
  });
});
