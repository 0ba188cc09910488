// Property: every fix offered on every fixture yields code that parses with no new syntax
// errors, changes only the lines its edits name, and removes the finding it targets when safe
// (or when it declares the opt-in option, or turns its default off). Edits of other files
// (the option's declaration) are applied to those files, under the same checks; a fix that
// refuses has no edits and says so in its title.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { anchorHolds, applyTextEdits, type Finding, type TextEdit } from '../../server/src/engine/api';
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
function namedLines(edits: readonly TextEdit[]): Set<number> {
  const lines = new Set<number>();
  for (const e of edits) for (let l = e.range.start.line; l <= e.range.end.line; l++) lines.add(l);
  return lines;
}

/** Every line the edits do not name survives, unchanged and in order. */
function unchangedOutsideNamedLines(before: string, after: string, edits: readonly TextEdit[]): boolean {
  const named = namedLines(edits);
  const keep = before.split('\n').filter((_, i) => !named.has(i));
  let j = 0;
  for (const line of after.split('\n')) if (j < keep.length && line === keep[j]) j++;
  return j === keep.length;
}

const key = (f: Finding) => `${f.code}@${f.range.start.line}:${f.range.start.character}`;
const count = (findings: readonly Finding[], f: Finding) =>
  findings.filter((x) => x.code === f.code && x.message === f.message).length;
const mustRemoveFinding = new Set(['suppress', 'declare-option', 'default-off']);
let otherFileFixes = 0;
let refusals = 0;

let checked = 0;
let guardedImports = 0;
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
        if (!fix.edits.length && !fix.otherFiles?.length) {
          refusals++;
          assert.match(fix.title, /: refused, .+/, `a fix without edits says why: ${fix.title}`);
          continue;
        }
        assert.ok(
          syntaxErrorCount(after) <= baseErrors,
          `${fix.title} on ${key(finding)} breaks the syntax:\n${after}`,
        );
        assert.ok(unchangedOutsideNamedLines(text, after, fix.edits), `${fix.title} changes lines it does not name`);
        const workspace = new Map<string, string>();
        for (const other of fix.otherFiles ?? []) {
          otherFileFixes++;
          const otherText = fs.readFileSync(other.uri.replace(/^file:\/\//, ''), 'utf8');
          assert.ok(anchorHolds(otherText, other.anchor), `${fix.title}: its anchor is not in ${other.uri}`);
          const otherAfter = applyTextEdits(otherText, other.edits);
          assert.ok(
            syntaxErrorCount(otherAfter) <= syntaxErrorCount(otherText),
            `${fix.title} breaks the syntax of ${other.uri}:\n${otherAfter}`,
          );
          assert.ok(
            unchangedOutsideNamedLines(otherText, otherAfter, other.edits),
            `${fix.title} changes lines of ${other.uri} it does not name`,
          );
          workspace.set(other.uri, otherAfter);
        }
        if (
          mustRemoveFinding.has(fix.kind) ||
          fix.safe ||
          fix.kind === 'gate' ||
          fix.kind === 'add-check' ||
          fix.kind === 'raise-check' ||
          fix.kind === 'guard-import'
        ) {
          const again = analyzeFixture(file, policy, after, workspace);
          const gone = count(again.findings, finding) < count(result.findings, finding);
          // An added or raised check is one the policy reads (the file's own form, or a comparison): the finding goes.
          if (
            mustRemoveFinding.has(fix.kind) ||
            fix.safe ||
            fix.kind === 'guard-import' ||
            fix.kind === 'add-check' ||
            fix.kind === 'raise-check'
          )
            assert.ok(gone, `${fix.title} leaves ${key(finding)} behind`);
          if (fix.kind === 'guard-import') guardedImports++;
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
  assert.ok(guardedImports >= 10, `only ${guardedImports} import fixes checked`);
  assert.ok(otherFileFixes >= 3, `only ${otherFileFixes} fixes that edit other files checked`);
  assert.ok(refusals >= 3, `only ${refusals} refused fixes checked`);
});
