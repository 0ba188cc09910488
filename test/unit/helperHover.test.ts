// A call of a helper that a condition tests gets the hover of a version check when the helper
// checks a version (`if self._supports(MIN_X):`, `if not self._can_freeze():`, an operand of
// `and`), named as the code calls it; a call a condition tests that checks nothing has none,
// and a configured check's hover names no helper (the policy of the rule fixtures: min 1.0.0;
// CI gate 1.2.2 upstream, libvirt-latest 1.2.9 third-party).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument, WorkspaceIndex } from '../../server/src/engine/api';
import { examplePolicy } from '../support/examplePolicy';
import { ready } from '../support/engineHarness';
import { checkHoverAt } from '../support/checkHover';

before(ready);

const text = [
  'import libvirt',
  '',
  'MIN_FREEZE = (1, 2, 5)',
  '',
  '',
  'class Driver(object):',
  '    def _supports(self, version):',
  '        return self._host.has_min_version(version)',
  '',
  '    def _can_freeze(self):',
  '        return self._host.has_min_version(MIN_FREEZE)',
  '',
  '    def parametric(self, dom):',
  '        if self._supports(MIN_FREEZE):',
  '            dom.fsFreeze()',
  '',
  '    def negated(self, dom):',
  '        if not self._can_freeze():',
  '            return',
  '',
  '    def operand(self, dom, wanted):',
  '        while wanted and self._can_freeze():',
  '            dom.fsFreeze()',
  '',
  '    def no_check(self, dom):',
  '        if dom.isActive():',
  '            dom.fsFreeze()',
  '',
  '    def configured(self, dom):',
  '        if self._host.has_min_version(MIN_FREEZE):',
  '            dom.fsFreeze()',
  '',
].join('\n');

function hoverAt(line: number, character: number) {
  const r = analyzeDocument({ uri: 'file:///d.py', text }, new WorkspaceIndex(), examplePolicy);
  return r.hoverAt({ line, character });
}

const checkAt = (line: number, character: number) => checkHoverAt(text, line, character);

test('a helper whose check takes its parameter: the version the call gives', () => {
  assert.deepEqual(checkAt(13, 14), {
    kind: 'check',
    range: '13:11-13:37',
    helper: 'self._supports',
    relation: 'libvirt at least 1002005',
    then: [1_002_005, Infinity, 'B'],
    else: [1_000_000, 1_002_005, 'A'],
  });
});

test('`not helper()`: the helper itself, at least its version', () => {
  assert.deepEqual(checkAt(17, 20), {
    kind: 'check',
    range: '17:15-17:33',
    helper: 'self._can_freeze',
    relation: 'libvirt at least 1002005',
    then: [1_002_005, Infinity, 'B'],
    else: [1_000_000, 1_002_005, 'A'],
  });
});

test('an operand of `and` in a `while`', () => {
  assert.equal(checkAt(21, 30).range, '21:25-21:43');
});

test('a call a condition tests that checks no version: no hover', () => {
  assert.equal(hoverAt(25, 14), undefined);
});

test('a configured check names no helper', () => {
  const c = checkAt(29, 20);
  assert.equal(c.helper, undefined);
  assert.equal(c.range, '29:11-29:49');
});
