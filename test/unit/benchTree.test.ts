// The engine's findings and fixes on a generated benchmark tree (the generator the bench
// uses, smaller), against a snapshot. It pins behaviour across restructurings of the
// engine: any change here must be intended. UPDATE_SNAPSHOTS=1 rewrites it (review the diff).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultPolicy } from '../../server/src/config/defaults';
import { analyzeDocument, WorkspaceIndex } from '../../server/src/engine/api';
import { examplePolicy } from '../support/examplePolicy';
import { ready } from '../support/engineHarness';
// @ts-expect-error plain JavaScript module without types
import { generateTree } from '../../scripts/bench/generate.mjs';

before(ready);

const snapshot = path.join(__dirname, '..', 'fixtures', 'bench', 'generated-tree.snap');

test('findings and fixes on a generated driver tree equal the snapshot', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-benchtree-'));
  try {
    const generated = generateTree(root, { files: 24, bigFiles: 1, bigLines: 600, targetBytes: 200_000 }) as {
      files: string[];
    };
    const files = [...generated.files].sort();
    const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
    const index = new WorkspaceIndex();
    for (const f of files) index.setFile(pathToFileURL(f).href, texts.get(f) ?? '');
    const out: string[] = [];
    for (const [name, policy] of [
      ['default', defaultPolicy],
      ['example', examplePolicy],
    ] as const) {
      for (const f of files) {
        const text = texts.get(f) ?? '';
        const result = analyzeDocument({ uri: pathToFileURL(f).href, text }, index, policy);
        const rel = path.relative(root, f);
        for (const d of result.findings) {
          const r = d.range;
          out.push(
            `${name} ${rel}:${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1} ${d.code} ${d.severity} ${d.supportClass ?? '-'} ${d.message}`,
          );
          for (const fix of d.fixes)
            out.push(
              `  fix ${fix.kind}${fix.safe ? ' safe' : ''}${fix.preferred ? ' preferred' : ''} ${fix.title} ${JSON.stringify(fix.edits)}`,
            );
        }
      }
    }
    const actual = `${out.join('\n')}\n`;
    if (process.env.UPDATE_SNAPSHOTS === '1') fs.writeFileSync(snapshot, actual);
    assert.ok(fs.existsSync(snapshot), 'missing snapshot: run with UPDATE_SNAPSHOTS=1 and review it');
    const expected = fs.readFileSync(snapshot, 'utf8');
    if (actual !== expected) {
      const a = actual.split('\n');
      const e = expected.split('\n');
      const i = a.findIndex((line, k) => line !== e[k]);
      assert.fail(
        `first difference at snapshot line ${i + 1}:\n  expected: ${e[i]}\n  actual:   ${a[i]}\n(${a.length} vs ${e.length} lines)`,
      );
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
