'use strict';
const assert = require('assert');
const vscode = require('vscode');
const { open, workspaceUri, expectDiagnostics, waitFor, revert, closeAll } = require('./helpers');
const expected = require('./expected');

const fixAllKind = 'source.fixAll.libvirt-gate';
const file = 'driver/blockio.py';

suite('fix all (LVG004 obsolete check, a safe fix)', function () {
  let original;
  suiteSetup(async () => {
    original = new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceUri(file)));
  });
  teardown(async () => {
    // Put the fixture back for the next test, whatever this one did to it.
    const doc = await open(file);
    if (doc.isDirty) await revert(doc); // then the file on disk, below, if a test saved it
    if (doc.getText() !== original) {
      await vscode.workspace.fs.writeFile(doc.uri, new TextEncoder().encode(original));
      await waitFor(() => doc.getText() === original, 'the fixture to reload from disk');
    }
    await expectDiagnostics(doc.uri, expected.diagnostics[file], "the fixture's diagnostics to come back");
  });
  suiteTeardown(async () => {
    await vscode.workspace
      .getConfiguration('editor', { languageId: 'python' })
      .update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace, true);
    await closeAll();
  });

  test(`${fixAllKind} is offered for the file and yields the expected text`, async () => {
    const doc = await open(file);
    await expectDiagnostics(doc.uri, expected.diagnostics[file], `diagnostics of ${file}`);
    const whole = new vscode.Range(0, 0, doc.lineCount, 0);
    const actions = await vscode.commands.executeCommand(
      'vscode.executeCodeActionProvider',
      doc.uri,
      whole,
      fixAllKind,
    );
    const fixAll = actions.filter((a) => a.kind && a.kind.value === fixAllKind);
    assert.strictEqual(
      fixAll.length,
      1,
      `expected one ${fixAllKind} action; got ${JSON.stringify(actions.map((a) => [a.title, a.kind && a.kind.value]))}`,
    );
    assert.ok(await vscode.workspace.applyEdit(fixAll[0].edit));
    assert.strictEqual(doc.getText(), expected.blockioAfterFixAll);
    await expectDiagnostics(doc.uri, [], 'no diagnostics after fix-all');
  });

  test('editor.codeActionsOnSave runs it on save', async () => {
    await vscode.workspace
      .getConfiguration('editor', { languageId: 'python' })
      .update('codeActionsOnSave', { [fixAllKind]: 'explicit' }, vscode.ConfigurationTarget.Workspace, true);
    const doc = await open(file);
    await expectDiagnostics(doc.uri, expected.diagnostics[file], `diagnostics of ${file}`);
    await vscode.window.activeTextEditor.edit((b) =>
      b.insert(new vscode.Position(doc.lineCount - 1, doc.lineAt(doc.lineCount - 1).text.length), ''),
    );
    // An explicit save (not an auto save) runs the 'explicit' code actions.
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => !doc.isDirty && doc.getText() === expected.blockioAfterFixAll, 'the fix-all to run on save');
    const onDisk = new TextDecoder().decode(await vscode.workspace.fs.readFile(doc.uri));
    assert.strictEqual(onDisk, expected.blockioAfterFixAll);
  });

  test('the "libvirt-gate: Fix All" command applies it', async () => {
    const doc = await open(file);
    await expectDiagnostics(doc.uri, expected.diagnostics[file], `diagnostics of ${file}`);
    await vscode.commands.executeCommand('libvirt-gate.fixAll');
    await waitFor(() => doc.getText() === expected.blockioAfterFixAll, "the command's edit");
  });
});
