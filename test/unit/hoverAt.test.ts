// Hover facts are built when asked: `hoverAt(position)` on an analysis whose hovers were never
// read gives what the full, sorted list gives at that position (factsAt), on every fixture, at
// the start, inside and at the end of every hover's range, at positions between them, past a
// line's end and outside the file; and building the full list later gives the same facts.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { factsAt, type Position } from '../../server/src/engine/api';
import { allFixtureFiles, analyzeFixture, fixturesDir, ready } from '../support/engineHarness';

before(ready);

test('hoverAt builds the facts the full hover list has at a position', () => {
  let asked = 0;
  let found = 0;
  const kinds = new Set<string>();
  for (const file of allFixtureFiles()) {
    const name = path.relative(fixturesDir, file);
    const text = fs.readFileSync(file, 'utf8');
    const full = analyzeFixture(file).hovers;
    const lazy = analyzeFixture(file);
    const positions: Position[] = [];
    for (const h of full) {
      const { start, end } = h.range;
      positions.push(start, end, { line: start.line, character: start.character + 1 });
      if (end.character > 0) positions.push({ line: end.line, character: end.character - 1 });
    }
    const lines = text.split('\n');
    for (let line = 0; line < lines.length; line += 3) positions.push({ line, character: (line * 7) % 40 });
    // Past a line's end (LSP clamps it), and past the last line.
    for (const h of full.slice(0, 40)) positions.push({ line: h.range.start.line, character: 10_000 });
    positions.push({ line: lines.length + 2, character: 0 }, { line: -1, character: 3 });
    for (const pos of positions) {
      const want = factsAt(full, pos);
      // The same facts (built twice, so equal, not identical).
      assert.deepEqual(lazy.hoverAt(pos), want, `${name} ${pos.line}:${pos.character}`);
      asked++;
      if (want) {
        found++;
        kinds.add(want.kind);
      }
    }
    // Read after: the list, then the answers from it.
    assert.deepEqual(lazy.hovers, full, name);
    for (const pos of positions.slice(0, 20)) assert.equal(lazy.hoverAt(pos), factsAt(lazy.hovers, pos), name);
  }
  assert.ok(asked >= 4000, `${asked} positions asked`);
  assert.ok(found >= 1500, `${found} positions with facts`);
  assert.deepEqual([...kinds].sort(), ['check', 'gate', 'symbol', 'xml']);
});

test('hoverAt on CRLF text: the same facts as the full list', () => {
  let found = 0;
  for (const file of allFixtureFiles().slice(0, 80)) {
    const text = fs.readFileSync(file, 'utf8').replace(/\r?\n/g, '\r\n');
    const full = analyzeFixture(file, undefined, text).hovers;
    const lazy = analyzeFixture(file, undefined, text);
    for (const h of full) {
      for (const pos of [h.range.start, h.range.end, { line: h.range.end.line, character: 10_000 }]) {
        const want = factsAt(full, pos);
        assert.deepEqual(lazy.hoverAt(pos), want, `${path.relative(fixturesDir, file)} ${pos.line}:${pos.character}`);
        if (want) found++;
      }
    }
  }
  assert.ok(found >= 100, `${found} positions with facts`);
});
