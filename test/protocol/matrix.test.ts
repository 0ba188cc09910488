// libvirt-gate/matrix: the support matrix from the language server. The same matrix as the CLI
// for the same folder (the same module builds and renders both), open documents as edited,
// a libvirt-gate/matrixChanged notification after a change once a client asked for a matrix,
// the webview's CSP and row attributes, a broken config, an empty workspace.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { copyTree, projectDir, run, tempDir } from '../cli/harness';
import { TestClient, fixturesDir } from './harness';

interface MatrixResult {
  format: string;
  content: string;
  files: number;
  paths: number;
}

function matrix(client: TestClient, params: Record<string, unknown>): Promise<MatrixResult> {
  return client.connection.sendRequest('libvirt-gate/matrix', params);
}

test('the server matrix equals the CLI matrix for the same folder, in every format', async () => {
  const folder = copyTree(projectDir);
  const client = new TestClient({ folder });
  await client.initialize();
  await client.indexed();
  for (const format of ['json', 'text', 'markdown']) {
    const cli = await run(['matrix', '--format', format, '--distros', 'debian-12'], { cwd: folder });
    const server = await matrix(client, { format, distros: ['debian-12'] });
    assert.equal(server.content, cli.stdout, format);
    assert.deepEqual([server.format, server.files, server.paths], [format, 6, 12]);
  }
  // HTML for a file report: the CLI's page exactly; without a format, HTML is the default.
  const html = await matrix(client, {});
  assert.equal(html.format, 'html');
  assert.equal(html.content, (await run(['matrix', '--format', 'html'], { cwd: folder })).stdout);
  assert.equal(await client.shutdown(), 0);
});

test('webview HTML: nonce CSP, rows with file, line and URI; edits show up and are announced', async () => {
  const folder = copyTree(projectDir);
  const client = new TestClient({ folder });
  await client.initialize();
  await client.indexed();
  const uri = pathToFileURL(path.join(folder, 'driver', 'migration.py')).toString();
  const text = fs.readFileSync(path.join(folder, 'driver', 'migration.py'), 'utf8');
  await client.open(uri, text);
  await client.change(uri, 2, [{ text: `${text}    dom.rename('x')\n` }]);
  assert.equal(client.matrixChanged, 0, 'nothing is announced before a client asks for a matrix');

  const web = { nonce: 'bm9uY2U=', cspSource: 'vscode-webview://abc' };
  const first = await matrix(client, { webview: web });
  assert.ok(
    first.content.includes(
      `content="default-src 'none'; style-src vscode-webview://abc 'nonce-bm9uY2U='; script-src 'nonce-bm9uY2U='; base-uri 'none'; form-action 'none'"`,
    ),
  );
  assert.ok(first.content.includes('<script nonce="bm9uY2U=">'));
  // The unsaved edit counts: dom.rename on line 10 (since 1.2.19, no CI job runs it).
  assert.ok(
    first.content.includes(
      `<tr data-file="driver/migration.py" data-line="10" data-column="9" data-end-line="10" data-end-column="15" data-class="C" data-gated="no" data-findings="LVG001 LVG002" data-uri="${uri}" tabindex="0">`,
    ),
  );
  assert.equal(first.paths, 13);

  await client.change(uri, 3, [{ text }]);
  await client.waitFor('libvirt-gate/matrixChanged', () => client.matrixChanged > 0);
  const second = await matrix(client, { format: 'json' });
  assert.equal(second.paths, 12);
  assert.ok(!second.content.includes('virDomain.rename'));
  const announced = client.matrixChanged;
  await client.close(uri);
  await client.waitFor('libvirt-gate/matrixChanged after close', () => client.matrixChanged > announced);
  assert.equal(await client.shutdown(), 0);
});

test('a broken config: the matrix still comes, with the defaults for the broken keys', async () => {
  const folder = tempDir();
  fs.cpSync(path.join(fixturesDir, 'broken-ws'), folder, { recursive: true });
  fs.writeFileSync(
    path.join(folder, 'throttle.py'),
    "import libvirt\n\n\ndef f(dom):\n    dom.setThrottleGroup('g', {})\n",
  );
  const client = new TestClient({ folder });
  await client.initialize();
  await client.indexed();
  const doc = JSON.parse((await matrix(client, { format: 'json' })).content) as {
    minimum: unknown;
    features: { name: string; paths: { file: string; line: number; supportClass: string; ci: unknown }[] }[];
  };
  assert.deepEqual(doc.minimum, { libvirt: '8.0.0', qemu: '6.2.0' });
  assert.deepEqual(
    doc.features.map((f) => [f.name, f.paths.map((p) => [p.file, p.line, p.supportClass, p.ci])]),
    [['virDomain.setThrottleGroup', [['throttle.py', 5, 'C', { 'ubuntu-24.04': false }]]]],
  );
  assert.ok(client.alive);
  assert.equal(await client.shutdown(), 0);
});

test('an empty workspace, and no workspace folder: an empty matrix', async () => {
  for (const folder of [tempDir(), undefined]) {
    const client = new TestClient(folder ? { folder } : {});
    await client.initialize();
    if (folder) await client.indexed();
    const json = await matrix(client, { format: 'json' });
    assert.deepEqual([json.files, json.paths], [0, 0]);
    const html = await matrix(client, { format: 'html' });
    assert.ok(html.content.includes('<p>No version-dependent code paths in 0 files.'));
    assert.equal(await client.shutdown(), 0);
  }
});
