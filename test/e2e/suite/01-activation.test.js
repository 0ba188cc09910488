'use strict';
const assert = require('assert');
const vscode = require('vscode');
const { extensionId, open, waitFor, closeAll } = require('./helpers');
const deadlines = require('../deadlines');

suite('activation', function () {
  suiteTeardown(closeAll);

  test('the extension is installed and activates on a Python file', async () => {
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(
      ext,
      `${extensionId} is not installed; have: ${vscode.extensions.all
        .map((e) => e.id)
        .filter((id) => !id.startsWith('vscode.'))
        .join(', ')}`,
    );
    await open('driver/host.py');
    await waitFor(() => ext.isActive, 'the extension to activate', deadlines.firstDiagnosticsMs);
  });

  test('its commands are registered', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of [
      'libvirt-gate.restartServer',
      'libvirt-gate.showOutput',
      'libvirt-gate.openConfiguration',
      'libvirt-gate.showSupportMatrix',
      'libvirt-gate.fixAll',
    ]) {
      assert.ok(all.includes(id), `command ${id} is not registered`);
    }
  });
});
