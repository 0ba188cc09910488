// A report written in chunks is JSON.stringify(doc, null, 2) and a newline, byte for byte,
// whatever the items, the array's depth and where the chunks break; and a report whose
// writing fails leaves the file it was to replace as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../../server/src/cli/atomicWrite';
import { lazyMap, prettyJsonChunks } from '../../server/src/cli/jsonChunks';
import { mulberry32 } from '../support/mutate';

function randomValue(rand: () => number, depth: number): unknown {
  const r = rand();
  if (depth > 3 || r < 0.3) {
    const scalars = [null, true, 0, -1.5, 1e21, '', 'a "quoted"\nline\ttab \\ \u2028 é 🎉', '\u0000libvirt-gate'];
    return scalars[Math.floor(rand() * scalars.length)];
  }
  if (r < 0.6) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 4); i > 0; i--) o[`k${Math.floor(rand() * 9)}`] = randomValue(rand, depth + 1);
  if (rand() < 0.2) o.skipped = undefined;
  return o;
}

/**
 * The chunks of `items` at `at` in `written` join to `doc` as JSON.stringify prints it; every
 * chunk but the last is at least `chunkSize` long, and chunks of 1 hold one item each.
 */
function assertChunks(
  doc: unknown,
  written: object,
  at: readonly (string | number)[],
  items: readonly unknown[],
  chunkSize: number,
): void {
  const chunks = [
    ...prettyJsonChunks(
      written,
      at,
      lazyMap(items, (x) => x),
      chunkSize,
    ),
  ];
  const where = `${items.length} items at ${at.join('.')}, chunks of ${chunkSize}`;
  assert.equal(chunks.join(''), `${JSON.stringify(doc, null, 2)}\n`, where);
  for (const c of chunks.slice(0, -1)) assert.ok(c.length >= chunkSize, where);
  if (chunkSize === 1) assert.equal(chunks.length, items.length + 1, where);
}

test('chunks join to JSON.stringify(doc, null, 2) + newline: random items, depths, chunk sizes', () => {
  const rand = mulberry32(20261202);
  let compared = 0;
  for (let i = 0; i < 400; i++) {
    const items = Array.from({ length: Math.floor(rand() * 5) }, () =>
      rand() < 0.05 ? undefined : randomValue(rand, 1),
    );
    const depth = Math.floor(rand() * 3);
    const doc: Record<string, unknown> = { before: randomValue(rand, 2), after: randomValue(rand, 2) };
    let at: (string | number)[];
    if (depth === 0) {
      doc.items = items;
      at = ['items'];
    } else if (depth === 1) {
      doc.runs = [{ tool: 'x', results: items, tail: [1] }];
      at = ['runs', 0, 'results'];
    } else {
      doc.a = { b: { c: items } };
      at = ['a', 'b', 'c'];
    }
    const placeholderDoc = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
    for (const chunkSize of [1, 7, 1 << 16]) {
      assertChunks(doc, placeholderDoc, at, items, chunkSize);
      compared++;
    }
  }
  assert.equal(compared, 1200);
});

test('many items, stringified in growing batches: still JSON.stringify(doc, null, 2) byte for byte, chunks about chunkSize', () => {
  const rand = mulberry32(20261203);
  for (const count of [1, 2, 15, 16, 17, 33, 1000]) {
    const items = Array.from({ length: count }, (_, i) => (i % 97 === 5 ? undefined : randomValue(rand, 1)));
    for (const at of [['items'], ['a', 'b', 'c', 'd']]) {
      const doc: Record<string, unknown> = { head: 'h' };
      if (at.length === 1) doc.items = items;
      else doc.a = { b: [{ c: { d: items } }] };
      const path = at.length === 1 ? at : ['a', 'b', 0, 'c', 'd'];
      for (const chunkSize of [1, 500, 1 << 16]) assertChunks(doc, doc, path, items, chunkSize);
    }
  }
});

test('an array path that is not in the document is an error, not a wrong report', () => {
  assert.throws(() => [...prettyJsonChunks({ a: 1 }, ['b'], [])], /no array at b/);
  assert.throws(() => [...prettyJsonChunks({ a: [1] }, ['a', 3, 'x'], [])], /no array|no single array/);
});

test('a report written in chunks: the file holds them all; a failure midway leaves the old file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-chunks-'));
  const file = path.join(dir, 'report.json');
  writeFileAtomic(file, ['{"a": ', '1', '}\n']);
  assert.equal(fs.readFileSync(file, 'utf8'), '{"a": 1}\n');
  function* failing(): Generator<string> {
    yield '{"partial": ';
    throw new Error('the report could not be built');
  }
  assert.throws(() => writeFileAtomic(file, failing()), /could not be built/);
  assert.equal(fs.readFileSync(file, 'utf8'), '{"a": 1}\n');
  assert.deepEqual(fs.readdirSync(dir), ['report.json']);
  fs.rmSync(dir, { recursive: true, force: true });
});
