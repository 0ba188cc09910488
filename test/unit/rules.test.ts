// Every fixture under test/fixtures/{examples,rules} against its snapshot: exact findings
// (range, code, severity, message), related information, dead ranges, and for every fix
// the exact lines it changes. UPDATE_SNAPSHOTS=1 rewrites them (review the diff!).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allFixtureFiles, analyzeFixture, fixturesDir, ready, renderSnapshot } from '../support/engineHarness';

before(ready);

for (const file of allFixtureFiles()) {
  test(`fixture ${path.relative(fixturesDir, file)}`, () => {
    const text = fs.readFileSync(file, 'utf8');
    const actual = renderSnapshot(text, analyzeFixture(file));
    const snap = file.replace(/\.py$/, '.snap');
    if (process.env.UPDATE_SNAPSHOTS === '1') fs.writeFileSync(snap, actual);
    assert.ok(fs.existsSync(snap), `missing snapshot ${snap}: run with UPDATE_SNAPSHOTS=1 and review it`);
    assert.equal(actual, fs.readFileSync(snap, 'utf8'));
  });
}
