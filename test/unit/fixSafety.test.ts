// Property: every fix offered on every fixture yields code that parses with no new syntax
// errors, changes only the lines its edits name, and removes the finding it targets when safe.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyTextEdits, type Finding, type Fix } from '../../server/src/engine/api';
import {
  allFixtureFiles,
  analyzeFixture,
  fixturePolicy,
  fixturesDir,
  ready,
  syntaxErrorCount,
} from '../support/engineHarness';

before(ready);

/** Lines of the original text an edit may touch (inserts add lines after them). */
function namedLines(fix: Fix): Set<number> {
  const lines = new Set<number>();
  for (const e of fix.edits) for (let l = e.range.start.line; l <= e.range.end.line; l++) lines.add(l);
  return lines;
}

/** Every line the fix does not name survives, unchanged and in order. */
function unchangedOutsideNamedLines(before: string, after: string, fix: Fix): boolean {
  const named = namedLines(fix);
  const keep = before.split('\n').filter((_, i) => !named.has(i));
  let j = 0;
  for (const line of after.split('\n')) if (j < keep.length && line === keep[j]) j++;
  return j === keep.length;
}

const key = (f: Finding) => `${f.code}@${f.range.start.line}:${f.range.start.character}`;

let checked = 0;
for (const file of allFixtureFiles()) {
  test(`fixes are safe: ${path.relative(fixturesDir, file)}`, () => {
    const text = fs.readFileSync(file, 'utf8');
    const policy = fixturePolicy(file);
    const result = analyzeFixture(file, policy, text);
    const baseErrors = syntaxErrorCount(text);
    for (const finding of result.findings) {
      for (const fix of finding.fixes) {
        const after = applyTextEdits(text, fix.edits);
        checked++;
        assert.ok(
          syntaxErrorCount(after) <= baseErrors,
          `${fix.title} on ${key(finding)} breaks the syntax:\n${after}`,
        );
        assert.ok(unchangedOutsideNamedLines(text, after, fix), `${fix.title} changes lines it does not name`);
        if (
          fix.kind === 'suppress' ||
          fix.safe ||
          fix.kind === 'gate' ||
          fix.kind === 'add-check' ||
          fix.kind === 'raise-check'
        ) {
          const again = analyzeFixture(file, policy, after);
          // The same message may stand at several places (one XML feature written twice): one fewer is gone.
          const like = (list: readonly Finding[]): number =>
            list.filter((f) => f.code === finding.code && f.message === finding.message).length;
          const gone = like(again.findings) < like(result.findings);
          if (fix.kind === 'suppress' || fix.safe) assert.ok(gone, `${fix.title} leaves ${key(finding)} behind`);
          const newErrors = again.findings.filter(
            (f) => f.severity === 'error' && !result.findings.some((o) => o.message === f.message),
          );
          assert.deepEqual(
            newErrors.map((f) => f.message),
            [],
            `${fix.title} introduces errors`,
          );
        }
      }
    }
  });
}

test('the property test checked fixes', () => {
  assert.ok(checked > 20, `only ${checked} fixes checked`);
});
