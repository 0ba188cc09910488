// Settings and config files: a broken config file gets a diagnostic and defaults, the server
// keeps running and logs it once; settings and config changes trigger a diagnostics refresh.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient, fixturesDir } from './harness';

function copyWorkspace(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lvg-${name}-`));
  fs.cpSync(path.join(fixturesDir, name), dir, { recursive: true });
  return dir;
}

test('a broken config file: a diagnostic on it, defaults used, logged once, server keeps running', async () => {
  const folder = copyWorkspace('broken-ws');
  const client = new TestClient({ folder });
  await client.initialize();
  const driver = pathToFileURL(path.join(folder, 'driver.py')).toString();
  const config = pathToFileURL(path.join(folder, 'pyproject.toml')).toString();
  await client.open(driver, fs.readFileSync(path.join(folder, 'driver.py'), 'utf8'));
  assert.equal((await client.pullDiagnostics(driver)).kind, 'full');
  await client.waitFor('config diagnostics', () => (client.pushed.get(config)?.diagnostics.length ?? 0) > 0);
  const [diag] = client.pushed.get(config)?.diagnostics ?? [];
  assert.equal(diag.source, 'libvirt-gate');
  assert.equal(diag.severity, 1);
  assert.match(diag.message, /pyproject\.toml/);
  // Defaults apply: the status shows the built-in minimum (8.0.0), with the error flagged.
  await client.waitFor('status', () => client.statuses.some((s) => s.uri === driver));
  const status = client.statuses.find((s) => s.uri === driver);
  assert.equal(status?.configErrors, true);
  assert.match(status?.text ?? '', /^libvirt ≥ 8\.0\.0 · CI 10\.0\.0$/);
  // Edits and re-pulls do not log the same config error again.
  for (let v = 2; v < 6; v++) {
    await client.change(driver, v, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '#' },
    ]);
    await client.pullDiagnostics(driver);
  }
  const configLogs = client.logs.filter((l) => l.message.startsWith('Config error'));
  assert.equal(configLogs.length, 1, JSON.stringify(configLogs));

  // Fixing the file and telling the server clears the diagnostic and refreshes.
  fs.writeFileSync(path.join(folder, 'pyproject.toml'), '[tool.libvirt-gate]\nmin-version = "1.0.0"\n');
  const before = client.refreshRequests;
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: config, type: 2 }] });
  await client.waitFor('refresh after config change', () => client.refreshRequests > before);
  await client.pullDiagnostics(driver);
  await client.waitFor('config diagnostics cleared', () => client.pushed.get(config)?.diagnostics.length === 0);
  await client.waitFor('new status', () => client.statuses.at(-1)?.text.startsWith('libvirt ≥ 1.0.0') === true);
  assert.equal(client.statuses.at(-1)?.configErrors, false);
  assert.ok(client.alive);
  assert.equal(await client.shutdown(), 0);
});

test('settings are pulled per resource, merged under the config file, and refreshed on change', async () => {
  const folder = copyWorkspace('driver-ws');
  const client = new TestClient({ folder, settings: { minVersion: '7.0.0', gate: ['CONF.other'] } });
  await client.initialize();
  const driver = pathToFileURL(path.join(folder, 'nova_like', 'driver.py')).toString();
  await client.open(driver, fs.readFileSync(path.join(folder, 'nova_like', 'driver.py'), 'utf8'));
  await client.pullDiagnostics(driver);
  // The file's min-version (1.0.0) wins over the setting (7.0.0).
  await client.waitFor('status', () => client.statuses.some((s) => s.uri === driver));
  assert.equal(client.statuses.at(-1)?.text, 'libvirt ≥ 1.0.0 · CI 1.2.2');
  assert.equal(client.statuses.at(-1)?.configFile, pathToFileURL(path.join(folder, 'pyproject.toml')).toString());

  // Without the config file, the settings apply.
  fs.rmSync(path.join(folder, 'pyproject.toml'));
  let before = client.refreshRequests;
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [{ uri: pathToFileURL(path.join(folder, 'pyproject.toml')).toString(), type: 3 }],
  });
  await client.waitFor('refresh', () => client.refreshRequests > before);
  await client.pullDiagnostics(driver);
  await client.waitFor('status from settings', () => client.statuses.at(-1)?.text === 'libvirt ≥ 7.0.0 · CI 10.0.0');

  // A settings change drops the cache: the new value is pulled and a refresh requested.
  client.settings = { minVersion: '9.0.0' };
  before = client.refreshRequests;
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await client.waitFor('refresh after settings change', () => client.refreshRequests > before);
  await client.pullDiagnostics(driver);
  await client.waitFor(
    'status from new settings',
    () => client.statuses.at(-1)?.text === 'libvirt ≥ 9.0.0 · CI 10.0.0',
  );

  // A bad setting is logged (once) and ignored; the server keeps answering.
  client.settings = { minVersion: 'nine' };
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await client.pullDiagnostics(driver);
  await client.waitFor('settings warning', () =>
    client.logs.some((l) => l.message.startsWith('Settings:') && l.message.includes('nine')),
  );
  assert.equal(client.statuses.at(-1)?.text, 'libvirt ≥ 8.0.0 · CI 10.0.0');

  // enable: false silences the document.
  client.settings = { enable: false };
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  assert.deepEqual((await client.pullDiagnostics(driver)).items, []);
  assert.equal(await client.shutdown(), 0);
});

test('an exclude pattern that matches nothing: a warning on the pattern, until a file makes it match', async () => {
  const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-exclude-ws-')));
  const configText = ['[tool.libvirt-gate]', 'min-version = "1.0.0"', 'exclude = ["driver.py", "tests/**"]', ''].join(
    '\n',
  );
  fs.writeFileSync(path.join(folder, 'pyproject.toml'), configText);
  fs.writeFileSync(path.join(folder, 'driver.py'), 'import libvirt\n');
  const client = new TestClient({ folder });
  await client.initialize();
  const driver = pathToFileURL(path.join(folder, 'driver.py')).toString();
  const config = pathToFileURL(path.join(folder, 'pyproject.toml')).toString();
  await client.open(driver, 'import libvirt\n');
  await client.pullDiagnostics(driver);
  await client.waitFor('exclude warning', () => (client.pushed.get(config)?.diagnostics.length ?? 0) > 0, 60_000);
  // Only "tests/**" (driver.py exists), as a warning on its literal: line 3, columns 25-35.
  assert.deepEqual(client.pushed.get(config)?.diagnostics, [
    {
      range: { start: { line: 2, character: 24 }, end: { line: 2, character: 34 } },
      severity: 2,
      source: 'libvirt-gate',
      message: `pyproject.toml: [tool.libvirt-gate] exclude = "tests/**" matches no file or folder under ${folder} (patterns are relative to the config file's folder)`,
    },
  ]);
  // A warning is not an error: the status does not flag the config, and the driver is analyzed as usual.
  await client.waitFor('status', () => client.statuses.some((s) => s.uri === driver));
  assert.equal(client.statuses.at(-1)?.configErrors, false);
  assert.equal(client.logs.filter((l) => l.message.startsWith('Config warning: ')).length, 1);

  // A file under tests/ appears: the pattern matches something, the warning goes.
  fs.mkdirSync(path.join(folder, 'tests'));
  fs.writeFileSync(path.join(folder, 'tests', 'test_driver.py'), '');
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [{ uri: pathToFileURL(path.join(folder, 'tests', 'test_driver.py')).toString(), type: 1 }],
  });
  await client.waitFor('warning cleared', () => client.pushed.get(config)?.diagnostics.length === 0, 60_000);
  assert.equal(await client.shutdown(), 0);
  fs.rmSync(folder, { recursive: true, force: true });
});

test('a helper in another file using a configured check form guards, and follows config changes', async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-checkform-'));
  const configPath = path.join(folder, '.libvirt-gate.toml');
  const plainConfig = ['min-version = "1.0.0"', ''].join('\n');
  const withCheckForm = [
    'min-version = "1.0.0"',
    'version-checks = ["has_min_version", { name = "check_version", form = "string" }]',
    '',
  ].join('\n');
  fs.writeFileSync(configPath, withCheckForm);
  fs.writeFileSync(path.join(folder, 'helpers.py'), 'def has_freeze(host):\n    return host.check_version("1.2.5")\n');
  const driverText = [
    'import libvirt',
    'from helpers import has_freeze',
    '',
    '',
    'def freeze(host, dom):',
    '    if has_freeze(host):',
    '        dom.fsFreeze()',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(folder, 'driver.py'), driverText);
  const driver = pathToFileURL(path.join(folder, 'driver.py')).toString();
  const client = new TestClient({ folder });
  await client.initialize();
  await client.indexed();
  await client.open(driver, driverText);
  const brief = async () =>
    (await client.diagnostics(driver)).map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code}`);
  assert.deepEqual(await brief(), []);

  // Without the configured form the helper returns no condition: the use is unguarded.
  fs.writeFileSync(configPath, plainConfig);
  let before = client.refreshRequests;
  const config = pathToFileURL(configPath).toString();
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: config, type: 2 }] });
  await client.waitFor('refresh after config change', () => client.refreshRequests > before);
  assert.deepEqual(await brief(), ['6:12 LVG002']);

  // And back: the helper file is summarized again with the form.
  fs.writeFileSync(configPath, withCheckForm);
  before = client.refreshRequests;
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: config, type: 2 }] });
  await client.waitFor('refresh after config change', () => client.refreshRequests > before);
  assert.deepEqual(await brief(), []);
  assert.equal(await client.shutdown(), 0);
  fs.rmSync(folder, { recursive: true, force: true });
});
