// The policy the spec examples are written against (min libvirt 1.0.0; CI gate 1.2.2 upstream,
// libvirt-latest 1.2.9 third-party), as the rule fixtures use it.
import { defaultPolicy } from '../../server/src/config/defaults';
import type { Policy } from '../../server/src/config/policy';
import { parseVersion } from '../../server/src/data/version';

export const v = (s: string): number => {
  const n = parseVersion(s);
  if (n === undefined) throw new Error(`bad version ${s}`);
  return n;
};

export const examplePolicy: Policy = {
  ...defaultPolicy,
  minLibvirt: v('1.0.0'),
  minQemu: v('0.0.0'),
  minLibvirtSource: 'config',
  minQemuSource: 'default',
  gates: ['CONF.libvirt.enable_untested_features'],
  ci: [
    { name: 'gate', libvirt: v('1.2.2'), qemu: v('2.0.0'), kind: 'upstream' },
    { name: 'libvirt-latest', libvirt: v('1.2.9'), qemu: v('2.1.0'), kind: 'third-party' },
  ],
};
