'use strict';
const assert = require('assert');
const vscode = require('vscode');
const { open, ours, codeOf, expectDiagnostics, revert, closeAll } = require('./helpers');
const expected = require('./expected');

suite('quick fix', function () {
  suiteTeardown(closeAll);

  test(`LVG001 offers "${expected.wrapTitle}"; applying it gives the expected text and clears the finding`, async () => {
    const doc = await open('driver/guest.py');
    const original = doc.getText();
    await expectDiagnostics(doc.uri, expected.diagnostics['driver/guest.py'], 'diagnostics of driver/guest.py');
    const diag = ours(doc.uri).find(
      (d) => codeOf(d) === 'LVG001' && d.range.start.line === expected.guest.postcopyLine,
    );
    const actions = await vscode.commands.executeCommand(
      'vscode.executeCodeActionProvider',
      doc.uri,
      diag.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const titles = actions.map((a) => a.title);
    assert.deepStrictEqual(titles, [
      expected.wrapTitle,
      'Suppress LVG001 for this line',
      'Show documentation for LVG001',
    ]);
    const fix = actions[0];
    assert.strictEqual(fix.isPreferred, true);
    assert.ok(fix.kind && fix.kind.value === 'quickfix', `kind: ${fix.kind && fix.kind.value}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'applyEdit refused the fix');
    assert.strictEqual(doc.getText(), expected.guestAfterWrap(original));
    // The wrapped statement is gated now; the other findings stay, one line further down.
    const after = expected.diagnostics['driver/guest.py']
      .slice(1)
      .map((d) => ({ ...d, range: [d.range[0] + 1, d.range[1], d.range[2] + 1, d.range[3]] }));
    await expectDiagnostics(doc.uri, after, 'the LVG001 finding to disappear after the fix');
    await revert(doc, original);
    await expectDiagnostics(doc.uri, expected.diagnostics['driver/guest.py'], 'the finding to come back after revert');
  });

  test('LVG002 offers a version check and a gated version check', async () => {
    const doc = await open('driver/guest.py');
    await expectDiagnostics(doc.uri, expected.diagnostics['driver/guest.py'], 'diagnostics of driver/guest.py');
    const diag = ours(doc.uri).find((d) => codeOf(d) === 'LVG002');
    const actions = await vscode.commands.executeCommand(
      'vscode.executeCodeActionProvider',
      doc.uri,
      diag.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const titles = actions.map((a) => a.title);
    for (const t of [
      "Add a version check: 'if self._host.has_min_version(MIN_LIBVIRT_INTERFACE_ADDRESSES_VERSION):'",
      'Suppress LVG002 for this line',
    ])
      assert.ok(titles.includes(t), `missing "${t}" in ${JSON.stringify(titles)}`);
  });
});
