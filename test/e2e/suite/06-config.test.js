'use strict';
const assert = require('assert');
const vscode = require('vscode');
const { open, workspaceUri, expectDiagnostics, hoverAt, waitFor, closeAll } = require('./helpers');
const expected = require('./expected');

// With the upstream gate job on libvirt 1.4.0 instead of 1.2.2, every path of the fixtures is
// class A: the LVG001 findings go; the others (availability, obsolete checks) stay.
const classA = {
  'driver/guest.py': expected.diagnostics['driver/guest.py'].filter((d) => d.code !== 'LVG001'),
  'driver/host.py': [],
  'driver/unopened.py': [],
};

// What the hover on dom.blockCopy (libvirt 1.2.8) says under each config: it shows which CI
// jobs the server applies, so the checks below wait for the config just written, not for a
// set of diagnostics that a half-written file (or the old config) could also produce.
const blockCopyClass = {
  original: 'Support class B: only third-party CI runs it (libvirt-latest = 1.2.9)',
  changed: 'Support class A: upstream CI runs it (gate = 1.4.0).',
};

async function waitForHover(doc, want, what) {
  return waitFor(
    async () => (await hoverAt(doc, expected.guest.blockCopyLine, 17)).includes(want),
    `${what}: the hover on dom.blockCopy to say "${want}"`,
  );
}

suite('config file changes apply without a reload', function () {
  const config = workspaceUri('pyproject.toml');
  let original;
  suiteSetup(async () => {
    original = new TextDecoder().decode(await vscode.workspace.fs.readFile(config));
  });
  suiteTeardown(async () => {
    await vscode.workspace.fs.writeFile(config, new TextEncoder().encode(original));
    await closeAll();
  });

  test("raising the CI job's libvirt clears LVG001; restoring it brings it back", async () => {
    const guest = await open('driver/guest.py');
    const host = await open('driver/host.py');
    await expectDiagnostics(guest.uri, expected.diagnostics['driver/guest.py'], 'diagnostics of driver/guest.py');
    await expectDiagnostics(host.uri, expected.diagnostics['driver/host.py'], 'diagnostics of driver/host.py');
    assert.ok(
      (await hoverAt(guest, expected.guest.blockCopyLine, 17)).includes(blockCopyClass.original),
      'the hover on dom.blockCopy before the change',
    );

    const changed = original.replace('libvirt = "1.2.2"', 'libvirt = "1.4.0"');
    assert.notStrictEqual(changed, original, 'fixture pyproject.toml changed: update 06-config.test.js');
    await vscode.workspace.fs.writeFile(config, new TextEncoder().encode(changed));
    await waitForHover(guest, blockCopyClass.changed, 'after the CI change');
    await expectDiagnostics(host.uri, classA['driver/host.py'], 'host.py after the CI change');
    await expectDiagnostics(guest.uri, classA['driver/guest.py'], 'guest.py after the CI change');
    // A file that is not open follows too (workspace diagnostics).
    await expectDiagnostics(
      workspaceUri('driver/unopened.py'),
      classA['driver/unopened.py'],
      'unopened.py after the CI change',
    );

    await vscode.workspace.fs.writeFile(config, new TextEncoder().encode(original));
    await waitForHover(guest, blockCopyClass.original, 'after restoring the config');
    await expectDiagnostics(host.uri, expected.diagnostics['driver/host.py'], 'host.py after restoring the config');
    await expectDiagnostics(guest.uri, expected.diagnostics['driver/guest.py'], 'guest.py after restoring the config');
    await expectDiagnostics(
      workspaceUri('driver/unopened.py'),
      expected.diagnostics['driver/unopened.py'],
      'unopened.py after restoring the config',
    );
  });
});
