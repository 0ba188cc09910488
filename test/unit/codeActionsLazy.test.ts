// The editor builds a finding's fixes when they are first read: a quick-fix request reads the
// fixes of the findings it covers only (finding the other files they edit included), so a
// request on one line does not build the fixes of the whole file; fix-all reads the fixes of
// the rules that have safe fixes only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeActionKind } from 'vscode-languageserver';
import type { Finding, Fix } from '../../server/src/engine/api';
import { codeActionsFor, fixAllEdits, otherFilesOfFixes } from '../../server/src/lsp/codeActions';
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
