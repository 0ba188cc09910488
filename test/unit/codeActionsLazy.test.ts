// The editor builds a finding's fixes when they are first read: a quick-fix request reads the
// fixes of the findings it covers only (finding the other files they edit included), so a
// request on one line does not build the fixes of the whole file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeActionKind } from 'vscode-languageserver';
import type { Finding, Fix } from '../../server/src/engine/api';
import { codeActionsFor, otherFilesOfFixes } from '../../server/src/lsp/codeActions';
import { examplePolicy } from '../support/examplePolicy';

function lazyFinding(line: number, built: Set<number>): Finding {
  const fix: Fix = {
    title: `Fix line ${line}`,
    safe: false,
    preferred: true,
    kind: 'add-check',
    edits: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: '# x\n' }],
  };
  return {
    code: 'LVG002',
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
