// A comparison of the runtime version gets the hover of a version check: the version it
// bounds, and where its then- and else-branches run (the policy of the rule fixtures: min
// 1.0.0; CI gate 1.2.2 upstream, libvirt-latest 1.2.9 third-party). `v < X` holds below X,
// so its then-branch is what `v >= X` leaves out.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument, WorkspaceIndex } from '../../server/src/engine/api';
import { checkHoverAt } from '../support/checkHover';
import { examplePolicy } from '../support/examplePolicy';
import { ready } from '../support/engineHarness';

before(ready);

const text = [
  'import libvirt',
  '',
  '',
  'class Driver(object):',
  '    def at_least(self, conn):',
  '        if conn.getLibVersion() >= 1002005:',
  '            return 1',
  '',
  '    def below(self):',
  '        if libvirt.getVersion() < 1002005:',
  '            return 2',
  '',
  '    def below_minimum(self, conn):',
  '        if conn.getLibVersion() < 9000:',
  '            return 3',
  '',
  '    def not_a_connection(self, thing):',
  '        if thing.getVersion() >= 1002005:',
  '            return 4',
  '',
].join('\n');

/** The check facts at a position, intervals as [lo, hi]. */
const checkAt = (line: number, character: number) => checkHoverAt(text, line, character);

test('`v >= X`: a check on [X, ∞)', () => {
  assert.deepEqual(checkAt(5, 36), {
    kind: 'check',
    range: '5:11-5:42',
    relation: 'libvirt at least 1002005',
    then: [1_002_005, Infinity, 'B'],
    else: [1_000_000, 1_002_005, 'A'],
  });
});

test('`v < X`: negated, its then-branch below X', () => {
  assert.deepEqual(checkAt(9, 36), {
    kind: 'check',
    range: '9:11-9:41',
    relation: 'libvirt below 1002005',
    then: [1_000_000, 1_002_005, 'A'],
    else: [1_002_005, Infinity, 'B'],
  });
});

test('`v < X` below the minimum: the then-branch is empty', () => {
  const c = checkAt(13, 36);
  assert.equal(c.relation, 'libvirt below 9000');
  assert.ok(c.then[0]! >= c.then[1]!, JSON.stringify(c.then));
});

test('getVersion() on an object that is no connection is no check: the hover is its call, not a check', () => {
  const r = analyzeDocument({ uri: 'file:///d.py', text }, new WorkspaceIndex(), examplePolicy);
  assert.equal(r.hoverAt({ line: 17, character: 34 })?.kind, undefined);
});
