// LVG004's removal fixes are safe (applied by `check --fix` and fix-all) only under a minimum
// the project chose: under libvirt-gate's default minimum, the check may be the project's own
// support for older libvirt, and the fix is offered as unsafe.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument, initParser } from '../../server/src/engine/api';
import { defaultPolicy } from '../../server/src/config/defaults';
import type { Policy } from '../../server/src/config/policy';

before(() => initParser());

const text = [
  'class Client(object):',
  '    def __init__(self, conn):',
  '        self.version = conn.getLibVersion()',
  '',
  '    def incremental(self, dom):',
  '        if self.version >= 7006000:',
  '            return True',
  '        return dom.isActive()',
  '',
].join('\n');

function lvg004Fixes(policy: Policy, source = text): string[] {
  const r = analyzeDocument({ uri: 'file:///ws/client.py', text: source }, undefined, policy);
  return r.findings
    .filter((f) => f.code === 'LVG004')
    .flatMap((f) => f.fixes.map((x) => `${f.range.start.line + 1} ${x.kind} ${x.safe ? 'safe' : 'unsafe'}`));
}

test('under the default minimum the removal is offered as unsafe; under a chosen one, safe', () => {
  // 8.0.0 is libvirt-gate's default minimum: 7.6.0 is below it.
  assert.deepEqual(lvg004Fixes(defaultPolicy), ['6 remove-check unsafe', '6 suppress safe']);
  const chosen: Policy = { ...defaultPolicy, minLibvirtSource: 'pyproject.toml', minQemuSource: 'pyproject.toml' };
  assert.deepEqual(lvg004Fixes(chosen), ['6 remove-check safe', '6 suppress safe']);
  // Per axis: the project's MIN_LIBVIRT_VERSION chose the libvirt minimum; the QEMU one is
  // still the default, so a QEMU check's removal is not safe.
  const libvirtChosen: Policy = { ...defaultPolicy, minLibvirtSource: 'MIN_LIBVIRT_VERSION in const.py' };
  assert.deepEqual(lvg004Fixes(libvirtChosen), ['6 remove-check safe', '6 suppress safe']);
  assert.deepEqual(
    lvg004Fixes(libvirtChosen, text.replace('conn.getLibVersion()', 'conn.getVersion()').replace('7006000', '5002000')),
    ['6 remove-check unsafe', '6 suppress safe'],
  );
});
