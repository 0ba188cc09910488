'use strict';
// Runs first: before any test opens a document, so the server has only its workspace index.
const assert = require('assert');
const vscode = require('vscode');
const { extensionId, workspaceUri, expectDiagnostics, waitFor } = require('./helpers');
const expected = require('./expected');
const deadlines = require('../deadlines');

suite('workspace diagnostics', function () {
  test('a Python file that is not open gets its diagnostics (workspace/diagnostic pull)', async () => {
    // Activation needs a Python document; opening one (not showing it) is enough.
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext, `${extensionId} is not installed`);
    await vscode.workspace.openTextDocument(workspaceUri('driver/__init__.py'));
    await waitFor(() => ext.isActive, 'the extension to activate', deadlines.firstDiagnosticsMs);
    const uri = workspaceUri('driver/unopened.py');
    await expectDiagnostics(
      uri,
      expected.diagnostics['driver/unopened.py'],
      'workspace diagnostics of driver/unopened.py',
      deadlines.firstDiagnosticsMs,
    );
    assert.ok(
      !vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()),
      'unopened.py was opened by someone',
    );
  });
});
