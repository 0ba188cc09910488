// The editor and `check` agree: every Python file of the bundled examples, opened in the
// language server, gets exactly the findings `check --format json` reports for it. Twice: the
// files opened once the workspace scan has indexed them, and opened one by one on start, each
// pulled at once, before the scan reads them (as VS Code does when it restores its editors),
// then pulled again after the scan's refresh. Each finding is its primary diagnostic (the "Unnecessary" ones that mark
// dead code come with it).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticTag } from 'vscode-languageserver-protocol/node';
import { repoRoot, TestClient } from './harness';

const cliPath = path.join(repoRoot, 'dist', 'cli.js');

function pythonFiles(dir: string, rel = ''): string[] {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? pythonFiles(dir, path.join(rel, e.name))
        : e.name.endsWith('.py')
          ? [path.join(rel, e.name).split(path.sep).join('/')]
          : [],
    )
    .sort();
}

/** `file:line:column code message` for every finding `check` reports in `folder`. */
function checkFindings(folder: string): string[] {
  const r = spawnSync(process.execPath, [cliPath, 'check', '.', '--format', 'json', '--fail-on', 'never'], {
    cwd: folder,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as {
    findings: { file: string; line: number; column: number; code: string; message: string }[];
  };
  return report.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.code} ${f.message}`).sort();
}

/** The same from the language server, for the open files. */
async function editorFindings(client: TestClient, folder: string, files: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const file of files) {
    const uri = pathToFileURL(path.join(folder, file)).toString();
    for (const d of await client.diagnostics(uri)) {
      if (d.tags?.includes(DiagnosticTag.Unnecessary) && d.message.startsWith('Unnecessary: ')) continue;
      out.push(`${file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${String(d.code)} ${d.message}`);
    }
  }
  return out.sort();
}

for (const example of ['driver', 'vm-manager']) {
  for (const when of ['after the scan', 'at start'] as const) {
    test(`examples/${example}: the editor reports what check reports, every file opened ${when}`, async () => {
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-agreement-'));
      fs.cpSync(path.join(repoRoot, 'examples', example), folder, { recursive: true });
      const files = pythonFiles(folder);
      const expected = checkFindings(folder);
      assert.ok(expected.length > 0, 'the example has findings');
      const client = new TestClient({ folder });
      await client.initialize();
      const open = (file: string) =>
        client.open(
          pathToFileURL(path.join(folder, file)).toString(),
          fs.readFileSync(path.join(folder, file), 'utf8'),
        );
      if (when === 'after the scan') {
        await client.indexed();
        for (const file of files) await open(file);
      } else {
        // One by one, each pulled as it opens, before or while the scan reads the files (a
        // document's first analysis may read only what is indexed by then); the refresh that
        // ends the scan is when every document may read every other file. First the file whose
        // MIN_LIBVIRT_VERSION is the "auto" minimum, as when VS Code restores a driver.
        const setsMinimum = (file: string) =>
          fs.readFileSync(path.join(folder, file), 'utf8').includes('MIN_LIBVIRT_VERSION =');
        for (const file of [...files].sort((a, b) => Number(setsMinimum(b)) - Number(setsMinimum(a)))) {
          await open(file);
          await editorFindings(client, folder, [file]);
        }
        await client.indexed();
        await client.waitFor('the refresh after the scan', () => client.refreshRequests >= 1);
      }
      assert.deepEqual(await editorFindings(client, folder, files), expected);
      assert.equal(await client.shutdown(), 0);
      fs.rmSync(folder, { recursive: true, force: true });
    });
  }
}
