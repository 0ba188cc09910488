// Review mode's pure parts: reading git's patch, unquoting its paths, carrying new lines through edits.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { newToOldLines } from '../../server/src/cli/diff';
import { parseUnifiedDiff, ReviewError, unquoteGitPath } from '../../server/src/cli/gitDiff';
import { isNewFinding, ReviewScope } from '../../server/src/cli/review';
import type { Finding } from '../../server/src/engine/api';

test('parseUnifiedDiff: new-side lines per file; deletions, binaries, pure renames and mode changes have none', () => {
  const patch = [
    'diff --git a/a.py b/a.py',
    'index 1..2 100644',
    '--- a/a.py',
    '+++ b/a.py',
    '@@ -3,0 +4,2 @@ def f():',
    '+x',
    '+y',
    '@@ -10 +12 @@',
    '-old',
    '+new',
    '@@ -20,2 +21,0 @@',
    '-gone',
    '-gone too',
    '@@ -30,3 +30,3 @@',
    '-a',
    ' context (diff.interHunkContext)',
    '-b',
    '+A',
    '+B',
    '\\ No newline at end of file',
    'diff --git a/gone.py b/gone.py',
    'deleted file mode 100644',
    '--- a/gone.py',
    '+++ /dev/null',
    '@@ -1 +0,0 @@',
    '-x',
    'diff --git a/bin.py b/bin.py',
    'index 1..2 100644',
    'Binary files a/bin.py and b/bin.py differ',
    'diff --git a/old.py b/new.py',
    'similarity index 100%',
    'rename from old.py',
    'rename to new.py',
    'diff --git a/x.py b/x.py',
    'old mode 100644',
    'new mode 100755',
    'diff --git a/sp ace.py b/sp ace.py',
    '--- a/sp ace.py\t',
    '+++ b/sp ace.py\t',
    '@@ -0,0 +1 @@',
    '++++ b/evil.py',
    'diff --git "a/t\\tq\\"\\303\\251.py" "b/t\\tq\\"\\303\\251.py"',
    '--- "a/t\\tq\\"\\303\\251.py"',
    '+++ "b/t\\tq\\"\\303\\251.py"',
    '@@ -1 +1 @@',
    '--- a/y.py',
    '+@@ -1 +1 @@',
    '',
  ].join('\n');
  assert.deepEqual(
    [...parseUnifiedDiff(patch)],
    [
      ['a.py', [4, 5, 12, 31, 32]],
      ['sp ace.py', [1]],
      ['t\tq"é.py', [1]],
    ],
  );
  assert.throws(() => parseUnifiedDiff('+++ b/a.py\n@@ -1 +1 @@\n-x\nbogus\n'), ReviewError);
});

test('unquoteGitPath: C escapes and octal UTF-8 bytes; raw non-ASCII kept', () => {
  assert.equal(unquoteGitPath('"b/a\\tb\\n\\\\\\"c"'), 'b/a\tb\n\\"c');
  assert.equal(unquoteGitPath('"b/\\345\\220\\215\\345\\211\\215.py"'), 'b/名前.py');
  assert.equal(unquoteGitPath('"b/名前 \\"x\\".py"'), 'b/名前 "x".py');
  assert.equal(unquoteGitPath('"b/😀\\001.py"'), 'b/😀\u0001.py');
});

test('newToOldLines: kept lines map to their old index, written lines to undefined', () => {
  assert.deepEqual(newToOldLines('a\nb\nc\n', 'a\nb\nc\n'), [0, 1, 2, 3]);
  assert.deepEqual(newToOldLines('a\nb\nc\nd\n', 'X\na\nc\nY\nd\n'), [undefined, 0, 2, undefined, 3, 4]);
  assert.deepEqual(newToOldLines('a\nb\n', 'c\n'), [undefined, 2]);
});

test('ReviewScope.newLines follows fixes; isNewFinding looks at every line of the range', () => {
  const scope = new ReviewScope(
    'HEAD',
    [],
    new Map<string, readonly number[] | 'all'>([
      ['/r/a.py', [2, 4]],
      ['/r/u.py', 'all'],
    ]),
  );
  const original = 'l1\nl2\nl3\nl4\n';
  assert.deepEqual([...(scope.newLines('/r/a.py', original) as Set<number>)], [1, 3]);
  // A fix inserts a line at the top and rewrites l3: l2 and l4 stay new, the written lines are new.
  assert.deepEqual(
    [...(scope.newLines('/r/a.py', original, 'new\nl1\nl2\nL3\nl4\n') as Set<number>)].sort(),
    [0, 2, 3, 4],
  );
  assert.equal(scope.newLines('/r/u.py', 'x\n'), 'all');
  assert.deepEqual([...(scope.newLines('/r/other.py', 'x\n') as Set<number>)], []);
  assert.deepEqual(
    [scope.touches('/r/a.py'), scope.touches('/r/u.py'), scope.touches('/r/other.py')],
    [true, true, false],
  );
  const at = (l1: number, c1: number, l2: number, c2: number): Finding => ({
    code: 'LVG002',
    severity: 'error',
    message: '',
    messageId: 'unguarded',
    data: {},
    range: { start: { line: l1, character: c1 }, end: { line: l2, character: c2 } },
    interval: { libvirt: { lo: 0, hi: Infinity }, qemu: { lo: 0, hi: Infinity } },
    guards: [],
    related: [],
    unnecessary: [],
    fixes: [],
  });
  const lines = new Set([3]);
  assert.equal(isNewFinding(at(3, 4, 3, 9), lines), true);
  assert.equal(isNewFinding(at(1, 4, 3, 2), lines), true, 'a multi-line range with a new last line');
  assert.equal(isNewFinding(at(1, 4, 3, 0), lines), false, 'an end at column 0 ends the line before');
  assert.equal(isNewFinding(at(0, 0, 0, 5), 'all'), true);
});
