// The hover of a check of exactly the minimum that refuses to run below it says it enforces
// the minimum (LVG004 leaves it), in each form; a check of the minimum with a fallback does
// not (the policy of the rule fixtures: min libvirt 1.0.0).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../support/engineHarness';
import { checkHoverAt } from '../support/checkHover';

before(ready);

const text = [
  'import sys',
  '',
  'import libvirt',
  '',
  'MIN_LIBVIRT_VERSION = (1, 0, 0)',
  '',
  '',
  'class Driver(object):',
  '    def init_host(self):',
  '        if not self._host.has_min_version(MIN_LIBVIRT_VERSION):',
  "            raise RuntimeError('libvirt is too old')",
  '',
  '    def fallback(self, dom):',
  '        if self._host.has_min_version(MIN_LIBVIRT_VERSION):',
  '            dom.create()',
  '        else:',
  '            dom.destroy()',
  '',
  '',
  'def main(conn):',
  '    if conn.getLibVersion() < 1000000:',
  "        sys.exit('libvirt 1.0.0 or later is required')",
  '',
].join('\n');

test('`if not check(MIN): raise`: enforces the minimum; its else-branch runs on no supported host', () => {
  assert.deepEqual(checkHoverAt(text, 9, 20), {
    kind: 'check',
    range: '9:15-9:62',
    enforcesMinimum: true,
    relation: 'libvirt at least 1000000',
    then: [1_000_000, Infinity, 'A'],
    else: [1_000_000, 1_000_000, 'C'],
  });
});

test('`if v < MIN: sys.exit(...)`: enforces the minimum too', () => {
  assert.equal(checkHoverAt(text, 20, 10).enforcesMinimum, true);
});

test('a check of the minimum with a fallback does not enforce it', () => {
  assert.equal(checkHoverAt(text, 13, 20).enforcesMinimum, undefined);
});
