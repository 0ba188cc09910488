'use strict';
// libvirt-gate: Show Support Matrix. The API cannot look into a webview, so the suite checks
// what it can: the command's result (the counts of the matrix the server answered and the view
// loaded, libvirt-gate/matrix), and the editor tab of the panel. The UI checks
// (scripts/e2e/ui-checks.js) read the rows inside the webview and click one.
const assert = require('assert');
const vscode = require('vscode');
const { workspaceUri, expectDiagnostics, waitFor, closeAll } = require('./helpers');
const expected = require('./expected');
const deadlines = require('../deadlines');

const command = 'libvirt-gate.showSupportMatrix';

/** The editor tabs of webview panels of our view type (VS Code prefixes the type with its own name). */
function matrixTabs() {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(expected.matrix.viewType));
}

function describeTabs() {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .map((t) => `${t.label} (${t.input && t.input.viewType ? t.input.viewType : typeof t.input})`)
    .join(', ');
}

/**
 * Waits until there are `count` matrix tabs and the first is (or is not) the active one: the
 * extension host learns of tab changes by events from the workbench, which may come after a
 * command has resolved.
 */
async function expectMatrixTabs(count, active, what) {
  const want = `${count} tab(s) "${expected.matrix.title}"${count ? (active ? ', active' : ', not active') : ''}`;
  try {
    return await waitFor(() => {
      const tabs = matrixTabs();
      const ok =
        tabs.length === count &&
        (count === 0 || (tabs[0].isActive === active && tabs[0].label === expected.matrix.title));
      return ok && tabs;
    }, `${what}: ${want}`);
  } catch (e) {
    throw new Error(`${e.message}; tabs now: ${describeTabs()}`, { cause: e });
  }
}

suite('support matrix', function () {
  suiteSetup(async () => {
    // The workspace index is built once a file that is not open has its workspace diagnostics.
    await expectDiagnostics(
      workspaceUri('driver/unopened.py'),
      expected.diagnostics['driver/unopened.py'],
      'workspace diagnostics of driver/unopened.py',
      deadlines.firstDiagnosticsMs,
    );
  });
  suiteTeardown(closeAll);

  test('the command opens one panel with the matrix of the whole workspace', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes(command), `command ${command} is not registered`);
    const want = { files: expected.matrix.files, paths: expected.matrix.paths };
    const shown = await vscode.commands.executeCommand(command);
    await expectMatrixTabs(1, true, 'after the command');
    // Files not open are read from the index: if it still grew after the diagnostics above, the
    // view reloads when the server says so; the command then answers the current counts.
    let last = shown;
    if (JSON.stringify(shown) !== JSON.stringify(want)) {
      await waitFor(
        async () => {
          last = await vscode.commands.executeCommand(command);
          return JSON.stringify(last) === JSON.stringify(want);
        },
        `the matrix to count ${want.files} files and ${want.paths} paths; first answer ${JSON.stringify(shown)}`,
      );
    }
    assert.deepStrictEqual(last, want);
  });

  test('running it again reveals the same panel; closing it and running it opens a new one', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const host = await vscode.window.showTextDocument(workspaceUri('driver/host.py'), { preview: false });
    await vscode.commands.executeCommand(command);
    await expectMatrixTabs(1, true, 'opened over host.py');
    // Back to the Python file, then the command again: no second tab, the matrix comes to the front.
    await vscode.window.showTextDocument(host.document, { preview: false });
    await expectMatrixTabs(1, false, 'host.py shown again');
    const want = { files: expected.matrix.files, paths: expected.matrix.paths };
    assert.deepStrictEqual(await vscode.commands.executeCommand(command), want);
    const [tab] = await expectMatrixTabs(1, true, 'the command run again');
    await vscode.window.tabGroups.close(tab);
    await expectMatrixTabs(0, false, 'the tab closed');
    assert.deepStrictEqual(await vscode.commands.executeCommand(command), want);
    await expectMatrixTabs(1, true, 'the command run after closing');
  });
});
