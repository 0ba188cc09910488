// The CLI and the editor's workspace scan skip the same folders (one list), so they see one tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { skippedFolders } from '../../server/src/config/skippedFolders';
import { discoverFiles } from '../../server/src/cli/discover';
import { PolicyResolver } from '../../server/src/config/loadConfig';
import { findPythonFiles } from '../../server/src/lsp/workspaceScan';

test('the CLI and the editor find the same files; every skipped folder is skipped by both', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-skip-'));
  try {
    const write = (rel: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), 'x = 1\n');
    };
    write('pkg/a.py');
    write('pkg/sub/b.py');
    for (const folder of skippedFolders) write(`pkg/${folder}/skipped.py`);
    const cli = discoverFiles([root], {
      cwd: root,
      exclude: [],
      resolver: new PolicyResolver({ overrides: {}, cwd: root }),
    });
    const editor = await findPythonFiles([root], () => false);
    const rel = (files: readonly string[]) => files.map((f) => path.relative(root, f)).sort();
    assert.deepEqual(rel(cli), ['pkg/a.py', 'pkg/sub/b.py']);
    assert.deepEqual(rel(editor), rel(cli));
    assert.ok(skippedFolders.has('venv') && skippedFolders.has('.git'));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
