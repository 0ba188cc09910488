// Built-in policy: what applies when no config file, setting or flag says otherwise.
// Values mirror a current Nova: libvirt 8.0.0 / QEMU 6.2.0 minimum, gate CI on Ubuntu 24.04.
import type { Policy, ReceiverClass } from './policy';
import { defaultDistros, presetJob } from './presets';

const ubuntu2404 = presetJob('ubuntu-24.04', 'upstream');
if (!ubuntu2404) throw new Error('preset ubuntu-24.04 missing');

const defaultReceivers: Readonly<Record<string, ReceiverClass>> = {
  _domain: 'virDomain',
  dom: 'virDomain',
  domain: 'virDomain',
  virt_dom: 'virDomain',
  'guest._domain': 'virDomain',
  conn: 'virConnect',
  _conn: 'virConnect',
  'get_connection()': 'virConnect',
  '_get_connection()': 'virConnect',
  secret: 'virSecret',
  dev: 'virNodeDevice',
};

export const defaultPolicy: Policy = {
  minLibvirt: 8_000_000,
  minQemu: 6_002_000,
  minLibvirtSource: 'default',
  minQemuSource: 'default',
  ci: [ubuntu2404],
  gates: ['CONF.libvirt.enable_untested_features'],
  versionChecks: ['has_min_version', '_has_min_version', '_conn_has_min_version', 'has_version'],
  versionCheckSpecs: [],
  featureChecks: [],
  probes: [],
  receivers: defaultReceivers,
  untestedIncludesClassB: false,
  select: null,
  ignore: [],
  severities: {},
  distros: defaultDistros,
};
