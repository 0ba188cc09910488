'use strict';
const assert = require('assert');
const vscode = require('vscode');
const { open, ours, summaries, expectDiagnostics, revert, closeAll } = require('./helpers');
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
    const original = doc.getText();
    await expectDiagnostics(doc.uri, expected.diagnostics['driver/host.py'], 'diagnostics of driver/host.py');
    const editor = vscode.window.activeTextEditor;
    const line = doc.lineAt(7); // if self._host.has_min_version(MIN_LIBVIRT_IFACE_ADDR_VERSION):
    const at = line.text.indexOf('self._host');
    assert.ok(
      await editor.edit((b) => b.insert(new vscode.Position(7, at), 'CONF.libvirt.enable_untested_features and ')),
    );
    // Only the server's answer for the edited text can be empty: a pull cancelled by the edit
    // keeps the last diagnostics (see the next test), so this cannot pass on a blank.
    await expectDiagnostics(doc.uri, [], 'the gated branch to be clean');
    await revert(doc, original);
    await expectDiagnostics(doc.uri, expected.diagnostics['driver/host.py'], 'the finding to come back after revert');
  });

  test('typing keeps the diagnostics: a pull cancelled by the next edit does not blank them', async () => {
    const doc = await open('driver/guest.py');
    const original = doc.getText();
    const want = expected.diagnostics['driver/guest.py'];
    await expectDiagnostics(doc.uri, want, 'diagnostics of driver/guest.py');
    // Every change of this file's diagnostics while spaces are typed after its last line, whose
    // findings they do not move: each must still be the full set.
    const seen = [];
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === doc.uri.toString())) seen.push(summaries(doc.uri));
    });
    try {
      const end = doc.lineAt(doc.lineCount - 1).range.end;
      // Bursts of edits sent at once: each change re-pulls the file and cancels the pull before it.
      for (let burst = 0; burst < 5; burst++) {
        const edits = [];
        for (let i = 0; i < 20; i++) {
          const edit = new vscode.WorkspaceEdit();
          edit.insert(doc.uri, end, ' ');
          edits.push(vscode.workspace.applyEdit(edit));
        }
        assert.ok((await Promise.all(edits)).every(Boolean), 'an edit was refused');
      }
      assert.strictEqual(doc.lineAt(doc.lineCount - 1).text.length, end.character + 100);
      await revert(doc, original);
      await expectDiagnostics(doc.uri, want, 'diagnostics after the revert');
    } finally {
      listener.dispose();
    }
    const blanks = seen.filter((s) => JSON.stringify(s) !== JSON.stringify(want));
    assert.deepStrictEqual(blanks, [], `${blanks.length} of ${seen.length} changes were not the full set`);
  });
});
