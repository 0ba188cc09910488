// The editor builds a finding's fixes when they are first read: a quick-fix request reads the
// fixes of the findings it covers only (finding the other files they edit included), so a
// request on one line does not build the fixes of the whole file; fix-all reads the fixes of
// the rules that have safe fixes only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeActionKind } from 'vscode-languageserver';
import type { Finding, Fix, Range } from '../../server/src/engine/api';
import { codeActionsFor, fixAllEdits, lazyQuickFixes, otherFilesOfFixes } from '../../server/src/lsp/codeActions';
import { examplePolicy } from '../support/examplePolicy';

function lazyFinding(line: number, built: Set<number>, code = 'LVG002'): Finding {
  const fix: Fix = {
    title: `Fix line ${line}`,
    safe: code === 'LVG004',
    preferred: true,
    kind: code === 'LVG004' ? 'remove-check' : 'add-check',
    edits: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: '# x\n' }],
  };
  return {
    code,
    severity: 'error',
    range: { start: { line, character: 4 }, end: { line, character: 10 } },
    message: `finding on line ${line}`,
    messageId: 'unguarded',
    data: {},
    interval: { libvirt: { lo: 0, hi: Infinity }, qemu: { lo: 0, hi: Infinity } },
    guards: [],
    related: [],
    unnecessary: [],
    get fixes(): readonly Fix[] {
      built.add(line);
      return [fix];
    },
  };
}

test('a quick-fix request builds the fixes of the findings it covers, not the others', () => {
  const built = new Set<number>();
  const findings = Array.from({ length: 50 }, (_, line) => lazyFinding(line, built));
  const req = {
    uri: 'file:///d.py',
    range: { start: { line: 7, character: 5 }, end: { line: 7, character: 5 } },
    only: [CodeActionKind.QuickFix],
    diagnostics: [],
  };
  assert.deepEqual(otherFilesOfFixes(req, findings), []);
  const actions = codeActionsFor(req, findings, examplePolicy);
  assert.deepEqual(
    actions.map((a) => a.title),
    ['Fix line 7', 'Show documentation for LVG002'],
  );
  assert.deepEqual([...built], [7]);
});

test('fix-all builds the fixes of the rules with safe fixes only (LVG004 here), and applies those', () => {
  const built = new Set<number>();
  const findings = Array.from({ length: 50 }, (_, line) => lazyFinding(line, built, line % 10 ? 'LVG002' : 'LVG004'));
  const req = {
    uri: 'file:///d.py',
    range: { start: { line: 3, character: 5 }, end: { line: 3, character: 5 } },
    only: [CodeActionKind.QuickFix, 'source.fixAll'],
    diagnostics: [],
  };
  const actions = codeActionsFor(req, findings, examplePolicy);
  assert.deepEqual(
    actions.map((a) => a.title),
    ['Fix line 3', 'Show documentation for LVG002', 'Fix all safe libvirt-gate problems'],
  );
  assert.deepEqual(
    [...built].sort((a, b) => a - b),
    [0, 3, 10, 20, 30, 40],
  );
  assert.deepEqual(
    fixAllEdits(findings).map((e) => e.range.start.line),
    [0, 10, 20, 30, 40],
  );
});

test('quick fixes while typing: from the last analysis below added lines, moved with them; undefined when a covered finding meets the changed lines', () => {
  const built = new Set<number>();
  // The last analysis: findings on lines 0..19; since then a line was added at line 5 (lines 5-6 changed).
  const findings = Array.from({ length: 20 }, (_, line) => lazyFinding(line, built));
  const shift = { first: 5, last: 6, delta: 1 };
  const request = (line: number) => ({
    uri: 'file:///d.py',
    range: { start: { line, character: 5 }, end: { line, character: 5 } },
    only: [CodeActionKind.QuickFix],
    diagnostics: [],
  });
  // Line 12 now is line 11 of the analyzed text: its finding, moved down one line.
  const below = lazyQuickFixes(request(12), findings, examplePolicy, shift);
  assert.deepEqual(
    below?.map((a) => [
      a.title,
      a.diagnostics?.[0]?.range.start.line,
      (a.data as { range?: Range } | undefined)?.range?.start.line,
    ]),
    [
      ['Fix line 11', 12, 12],
      ['Show documentation for LVG002', 12, undefined],
    ],
  );
  assert.deepEqual([...built], [11]);
  // Above the change nothing moved.
  assert.deepEqual(
    lazyQuickFixes(request(2), findings, examplePolicy, shift)?.map((a) => a.diagnostics?.[0]?.range.start.line),
    [2, 2],
  );
  // On the changed lines: wait for the current analysis.
  assert.equal(lazyQuickFixes(request(6), findings, examplePolicy, shift), undefined);
  // A finding reaching from above into the changed lines: where it ends now is not known.
  const long = {
    ...lazyFinding(3, built),
    range: { start: { line: 3, character: 0 }, end: { line: 5, character: 2 } },
  };
  assert.equal(lazyQuickFixes(request(2), [long], examplePolicy, shift), undefined);
});
