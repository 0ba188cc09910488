// Config: validation messages, discovery, precedence, "auto", caching and the JSON schema.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatConfigError, type ConfigError } from '../../server/src/config/configError';
import { defaultPolicy } from '../../server/src/config/defaults';
import {
  parseConfigFile,
  resolvePolicyForFile,
  PolicyResolver,
  readConfigFile,
  findConfigFile,
} from '../../server/src/config/loadConfig';
import { layerKeyOf } from '../../server/src/config/origins';
import { presets } from '../../server/src/config/presets';
import { featureCheckKeys, versionCheckKeys } from '../../server/src/config/checkEntries';
import { configKeys, ciKeys } from '../../server/src/config/validate';

function tempTree(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-config-')));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

/** The one-line messages of a pyproject.toml body (relative to its folder). */
function pyprojectErrors(body: string): string[] {
  const file = path.join(os.tmpdir(), 'x', 'pyproject.toml');
  const cfg = parseConfigFile(file, `[tool.libvirt-gate]\n${body}\n`);
  return (cfg?.errors ?? []).map((e: ConfigError) => formatConfigError(e, path.dirname(file)));
}

function tomlErrors(body: string): string[] {
  const file = path.join(os.tmpdir(), 'x', '.libvirt-gate.toml');
  return (parseConfigFile(file, body)?.errors ?? []).map((e) => formatConfigError(e, path.dirname(file)));
}

const V =
  'Valid keys: min-version, min-qemu-version, ci, gate, version-checks, feature-checks, probes, receivers, untested-includes-class-b, select, ignore, severity, exclude, distros';

test('version values: exactly digits.digits.digits or "auto"', () => {
  const expected = (v: string): string[] => [
    `pyproject.toml: [tool.libvirt-gate] min-version = ${v}: expected a libvirt version "major.minor.micro" such as "8.0.0", or "auto"`,
  ];
  assert.deepEqual(pyprojectErrors('min-version = "1.2"'), expected('"1.2"'));
  assert.deepEqual(pyprojectErrors('min-version = "v1.2.3"'), expected('"v1.2.3"'));
  assert.deepEqual(pyprojectErrors('min-version = "1.2.3.4"'), expected('"1.2.3.4"'));
  assert.deepEqual(pyprojectErrors('min-version = ""'), expected('""'));
  assert.deepEqual(pyprojectErrors('min-version = "-1.2.3"'), expected('"-1.2.3"'));
  assert.deepEqual(pyprojectErrors('min-version = 8.0'), expected('8'));
  assert.deepEqual(pyprojectErrors('min-qemu-version = "6.2"'), [
    'pyproject.toml: [tool.libvirt-gate] min-qemu-version = "6.2": expected a QEMU version "major.minor.micro" such as "6.2.0", or "auto"',
  ]);
  assert.deepEqual(pyprojectErrors('min-version = "1.2.3"\nmin-qemu-version = "auto"'), []);
  const cfg = parseConfigFile('/p/.libvirt-gate.toml', 'min-version = "10.2.0"\nmin-qemu-version = "auto"');
  assert.deepEqual(cfg?.layer, { minVersion: 10_002_000, minQemuVersion: 'auto' });
});

test('unknown keys name the closest valid key, or list them all', () => {
  assert.deepEqual(pyprojectErrors('mni-version = "8.0.0"'), [
    `pyproject.toml: [tool.libvirt-gate] mni-version = "8.0.0": unknown key; did you mean "min-version"? ${V}`,
  ]);
  assert.deepEqual(tomlErrors('colour = true'), [`.libvirt-gate.toml: colour = true: unknown key. ${V}`]);
});

test('wrong types and bad entries', () => {
  assert.deepEqual(tomlErrors('gate = "CONF.x"'), [
    '.libvirt-gate.toml: gate = "CONF.x": expected an array of strings',
  ]);
  assert.deepEqual(tomlErrors('gate = ["CONF.x", 3]'), ['.libvirt-gate.toml: gate[2] = 3: expected a string']);
  assert.deepEqual(tomlErrors('version-checks = ["has min"]'), [
    '.libvirt-gate.toml: version-checks[1] = "has min": expected a function name such as "has_min_version"',
  ]);
  assert.deepEqual(tomlErrors('untested-includes-class-b = "yes"'), [
    '.libvirt-gate.toml: untested-includes-class-b = "yes": expected true or false',
  ]);
  assert.deepEqual(tomlErrors('select = ["LVG1", "LVG002"]'), [
    '.libvirt-gate.toml: select[1] = "LVG1": expected a rule code such as "LVG001"',
  ]);
  assert.deepEqual(tomlErrors('ignore = "LVG001"'), [
    '.libvirt-gate.toml: ignore = "LVG001": expected an array of strings',
  ]);
  assert.deepEqual(tomlErrors('[severity]\nLVG001 = "fatal"'), [
    '.libvirt-gate.toml: severity.LVG001 = "fatal": expected one of "error", "warning", "info", "hint"',
  ]);
  assert.deepEqual(tomlErrors('[severity]\nE501 = "error"'), [
    '.libvirt-gate.toml: severity.E501 = "error": expected a rule code such as "LVG001"',
  ]);
  assert.deepEqual(tomlErrors('[receivers]\n"guest._domain" = "Domain"'), [
    '.libvirt-gate.toml: receivers."guest._domain" = "Domain": expected a libvirt-python class name such as "virDomain", or false to remove the entry',
  ]);
  assert.deepEqual(tomlErrors('[receivers]\ndev = true'), [
    '.libvirt-gate.toml: receivers.dev = true: expected a libvirt-python class name such as "virDomain", or false to remove the entry',
  ]);
  assert.deepEqual(tomlErrors('exclude = [""]'), [
    '.libvirt-gate.toml: exclude[1] = "": expected a glob such as "nova/tests/**"',
  ]);
});

test('ci: jobs, presets, and their errors', () => {
  assert.deepEqual(tomlErrors('ci = []'), ['.libvirt-gate.toml: ci = []: expected at least one CI job']);
  assert.deepEqual(tomlErrors('ci = "gate"'), [
    '.libvirt-gate.toml: ci = "gate": expected an array of tables ([[ci]] entries)',
  ]);
  assert.deepEqual(tomlErrors('[[ci]]\nname = "gate"'), ['.libvirt-gate.toml: ci[1]: missing "libvirt"']);
  assert.deepEqual(tomlErrors('[[ci]]\nlibvirt = "1.2.2"'), [
    '.libvirt-gate.toml: ci[1]: missing "name" (or use "preset")',
  ]);
  assert.deepEqual(tomlErrors('[[ci]]\nname = "gate"\nlibvirt = "1.2"\nqemu = "x"'), [
    '.libvirt-gate.toml: ci[1].libvirt = "1.2": expected a libvirt version "major.minor.micro" such as "10.0.0"',
    '.libvirt-gate.toml: ci[1].qemu = "x": expected a QEMU version "major.minor.micro" such as "8.2.2"',
  ]);
  assert.deepEqual(tomlErrors('[[ci]]\nname = "gate"\nlibvirt = "1.2.2"\nkind = "3rd"'), [
    '.libvirt-gate.toml: ci[1].kind = "3rd": expected "upstream" or "third-party"',
  ]);
  assert.deepEqual(tomlErrors('[[ci]]\npreset = "ubuntu-26.04"'), [
    '.libvirt-gate.toml: ci[1].preset = "ubuntu-26.04": unknown preset; known ubuntu presets: ubuntu-14.04, ubuntu-16.04, ubuntu-18.04, ubuntu-20.04, ubuntu-22.04, ubuntu-24.04',
  ]);
  assert.deepEqual(tomlErrors('[[ci]]\npreset = 24.04'), [
    '.libvirt-gate.toml: ci[1].preset = 24.04: expected a preset name such as "ubuntu-24.04"',
  ]);
  assert.deepEqual(tomlErrors('[[ci]]\npreset = "debian-12"\nlibvirt = "9.0.0"'), [
    '.libvirt-gate.toml: ci[1]: "preset" sets the versions; do not also set "libvirt" or "qemu"',
  ]);
  assert.deepEqual(tomlErrors('[[ci]]\nname = "a"\nlibvirt = "1.2.2"\nlabel = "x"'), [
    '.libvirt-gate.toml: ci[1].label = "x": unknown key. Valid keys: name, preset, libvirt, qemu, kind',
  ]);
  assert.deepEqual(tomlErrors('[[ci]]\nname = "a"\nlibvirt = "1.2.2"\n[[ci]]\nname = "a"\nlibvirt = "1.2.9"'), [
    '.libvirt-gate.toml: ci[2].name = "a": duplicate CI job name',
  ]);
  const cfg = parseConfigFile(
    '/p/.libvirt-gate.toml',
    '[[ci]]\nname = "gate"\nlibvirt = "1.2.2"\nqemu = "2.0.0"\n[[ci]]\npreset = "debian-13"\nkind = "third-party"\n[[ci]]\nname = "old"\nlibvirt = "1.0.0"',
  );
  assert.deepEqual(cfg?.errors, []);
  assert.deepEqual(cfg?.layer.ci, [
    { name: 'gate', libvirt: 1_002_002, qemu: 2_000_000, kind: 'upstream' },
    { name: 'debian-13', libvirt: 11_003_000, qemu: 10_000_013, kind: 'third-party', preset: 'debian-13' },
    { name: 'old', libvirt: 1_000_000, kind: 'upstream' },
  ]);
});

test('bad TOML reports the parser line and column', () => {
  assert.deepEqual(tomlErrors('min-version = "8.0.0"\nmin-version = "9.0.0"\n'), [
    '.libvirt-gate.toml:2:1: invalid TOML: trying to redefine an already defined table or value',
  ]);
  const err = parseConfigFile('/p/pyproject.toml', '[tool.libvirt-gate]\nmin-version = "1.2\n')?.errors[0];
  assert.deepEqual(err, {
    file: '/p/pyproject.toml',
    origin: 'file',
    table: 'tool.libvirt-gate',
    key: '',
    message: 'invalid TOML: control characters are not allowed in strings',
    line: 2,
    column: 19,
  });
});

test('errors carry the position of their key', () => {
  const cfg = parseConfigFile(
    '/p/pyproject.toml',
    '[project]\nname = "x"\n\n[tool.libvirt-gate]\n  min-version = "1.2"\n\n[[tool.libvirt-gate.ci]]\nname = "a"\n',
  );
  assert.deepEqual(
    cfg?.errors.map((e) => [e.key, e.line, e.column]),
    [
      ['min-version', 5, 3],
      ['ci[1]', 7, 1],
    ],
  );
});

test('the schema lists exactly the validator keys', () => {
  const schema = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', '..', 'schemas', 'libvirt-gate.schema.json'), 'utf8'),
  ) as {
    properties: Record<string, unknown>;
    additionalProperties: boolean;
    definitions: { preset: { enum: string[] } };
  };
  assert.deepEqual(Object.keys(schema.properties), [...configKeys]);
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(schema.definitions.preset.enum, Object.keys(presets));
  const ci = (schema.properties.ci as { items: { oneOf: { properties: Record<string, unknown> }[] } }).items.oneOf;
  assert.deepEqual([...new Set(ci.flatMap((o) => Object.keys(o.properties)))].sort(), [...ciKeys].sort());
  const tableKeys = (key: string): string[] =>
    Object.keys(
      (schema.properties[key] as { items: { oneOf: { properties?: Record<string, unknown> }[] } }).items.oneOf[1]
        ?.properties ?? {},
    );
  assert.deepEqual(tableKeys('version-checks'), [...versionCheckKeys]);
  assert.deepEqual(tableKeys('feature-checks'), [...featureCheckKeys]);
});

test('version-checks: plain names keep lv_ver/hv_ver; tables say argument, form, axis', () => {
  const cfg = parseConfigFile(
    '/p/.libvirt-gate.toml',
    [
      'version-checks = [',
      '  "has_min_version",',
      '  { name = "check_version", form = "string" },',
      '  { name = "qemu_at_least", axis = "qemu", arg = 1, keyword = "version", exact = true },',
      '  { name = "min_version", form = "keywords", parts = ["maj", "min"] },',
      ']',
    ].join('\n'),
  );
  assert.deepEqual(cfg?.errors, []);
  assert.deepEqual(cfg?.layer.versionChecks, ['has_min_version', 'check_version', 'qemu_at_least', 'min_version']);
  const parts = ['major', 'minor', 'micro'];
  assert.deepEqual(cfg?.layer.versionCheckSpecs, [
    { name: 'check_version', axis: 'libvirt', form: 'string', arg: 0, parts, exact: false },
    { name: 'qemu_at_least', axis: 'qemu', form: 'any', arg: 1, keyword: 'version', parts, exact: true },
    { name: 'min_version', axis: 'libvirt', form: 'keywords', arg: 0, parts: ['maj', 'min'], exact: false },
  ]);
  // The plain list of names still works, and has no specs.
  assert.deepEqual(parseConfigFile('/p/.libvirt-gate.toml', 'version-checks = ["has_min_version"]')?.layer, {
    versionChecks: ['has_min_version'],
    versionCheckSpecs: [],
  });
});

test('version-checks: each bad entry names its key and value', () => {
  const table = (entry: string): string[] => tomlErrors(`version-checks = [${entry}]`);
  assert.deepEqual(tomlErrors('version-checks = "has_min_version"'), [
    '.libvirt-gate.toml: version-checks = "has_min_version": expected an array of function names or tables',
  ]);
  assert.deepEqual(table('3'), [
    '.libvirt-gate.toml: version-checks[1] = 3: expected a function name such as "has_min_version", or a table such as { name = "check_version", form = "string" }',
  ]);
  assert.deepEqual(table('{ form = "string" }'), ['.libvirt-gate.toml: version-checks[1]: missing "name"']);
  assert.deepEqual(table('{ name = "check version" }'), [
    '.libvirt-gate.toml: version-checks[1].name = "check version": expected a function name such as "check_version"',
  ]);
  assert.deepEqual(table('{ name = "c", form = "str" }'), [
    '.libvirt-gate.toml: version-checks[1].form = "str": expected one of "any", "tuple", "integer", "string", "keywords"',
  ]);
  assert.deepEqual(table('{ name = "c", axis = "hv" }'), [
    '.libvirt-gate.toml: version-checks[1].axis = "hv": expected "libvirt" or "qemu"',
  ]);
  for (const arg of ['-1', '1.5', '"0"', '32'])
    assert.deepEqual(table(`{ name = "c", arg = ${arg} }`), [
      `.libvirt-gate.toml: version-checks[1].arg = ${arg === '1.5' ? '1.5' : arg}: expected an argument position from 0 (the first argument) to 31`,
    ]);
  assert.deepEqual(table('{ name = "c", keyword = "the version" }'), [
    '.libvirt-gate.toml: version-checks[1].keyword = "the version": expected a keyword argument name such as "version"',
  ]);
  assert.deepEqual(table('{ name = "c", form = "keywords", keyword = "v" }'), [
    '.libvirt-gate.toml: version-checks[1].keyword = "v": does not apply to form = "keywords" (name the parts with "parts")',
  ]);
  assert.deepEqual(table('{ name = "c", parts = ["major"] }'), [
    '.libvirt-gate.toml: version-checks[1].parts = ["major"]: applies only to form = "keywords"',
  ]);
  assert.deepEqual(table('{ name = "c", form = "keywords", parts = [] }'), [
    '.libvirt-gate.toml: version-checks[1].parts = []: expected one to three keyword names such as ["major", "minor", "micro"]',
  ]);
  assert.deepEqual(table('{ name = "c", exact = "yes" }'), [
    '.libvirt-gate.toml: version-checks[1].exact = "yes": expected true or false',
  ]);
  assert.deepEqual(table('{ name = "c", fomr = "string" }'), [
    '.libvirt-gate.toml: version-checks[1].fomr = "string": unknown key; did you mean "form"? Valid keys: name, axis, form, arg, keyword, parts, exact',
  ]);
  assert.deepEqual(table('"c", { name = "c", form = "string" }'), [
    '.libvirt-gate.toml: version-checks[2].name = "c": duplicate version check',
  ]);
  assert.deepEqual(table('{ name = "c", form = "string" }, "c"'), [
    '.libvirt-gate.toml: version-checks[2] = "c": duplicate version check (it also has a table entry)',
  ]);
  // Every problem of an entry is reported, and the key is located in the file.
  const cfg = parseConfigFile(
    '/p/.libvirt-gate.toml',
    'gate = ["CONF.x"]\nversion-checks = [{ name = "c", axis = 1, arg = "x" }]',
  );
  assert.deepEqual(
    cfg?.errors.map((e) => [e.key, e.line, e.column]),
    [
      ['version-checks[1].axis', 2, 1],
      ['version-checks[1].arg', 2, 1],
    ],
  );
  assert.deepEqual(cfg?.layer, { gates: ['CONF.x'] });
});

test('feature-checks and probes: valid entries and their errors', () => {
  const cfg = parseConfigFile(
    '/p/.libvirt-gate.toml',
    [
      'feature-checks = ["has_flag", { name = "supports", arg = 1 }, { name = "capable", keyword = "feature" }]',
      'probes = ["*.support.*", "self.*_supported", "self._host.supports_*()"]',
    ].join('\n'),
  );
  assert.deepEqual(cfg?.errors, []);
  assert.deepEqual(cfg?.layer, {
    featureChecks: [{ name: 'has_flag' }, { name: 'supports', arg: 1 }, { name: 'capable', keyword: 'feature' }],
    probes: ['*.support.*', 'self.*_supported', 'self._host.supports_*()'],
  });
  assert.deepEqual(
    tomlErrors('feature-checks = ["has flag", { arg = 0 }, { name = "x", arg = 40 }, { name = "x", keywrd = "f" }, 1]'),
    [
      '.libvirt-gate.toml: feature-checks[1] = "has flag": expected a function name such as "has_flag"',
      '.libvirt-gate.toml: feature-checks[2]: missing "name"',
      '.libvirt-gate.toml: feature-checks[3].arg = 40: expected an argument position from 0 (the first argument) to 31',
      '.libvirt-gate.toml: feature-checks[4].keywrd = "f": unknown key; did you mean "keyword"? Valid keys: name, arg, keyword',
      '.libvirt-gate.toml: feature-checks[5] = 1: expected a function name such as "has_flag", or a table such as { name = "supports", arg = 1 }',
    ],
  );
  const probe =
    'expected a glob over a dotted name such as "self.*_supported" or "*.support.*" (at least one name part that is not only "*")';
  assert.deepEqual(tomlErrors('probes = ["*", "*.*()", "self.x y", "a..b", 3]'), [
    `.libvirt-gate.toml: probes[1] = "*": ${probe}`,
    `.libvirt-gate.toml: probes[2] = "*.*()": ${probe}`,
    `.libvirt-gate.toml: probes[3] = "self.x y": ${probe}`,
    `.libvirt-gate.toml: probes[4] = "a..b": ${probe}`,
    '.libvirt-gate.toml: probes[5] = 3: expected a string',
  ]);
  assert.deepEqual(tomlErrors('probes = "self.*_supported"'), [
    '.libvirt-gate.toml: probes = "self.*_supported": expected an array of strings',
  ]);
});

test('check keys in the policy: defaults, a config file over settings, replaced as a whole', () => {
  const root = tempTree({
    '.libvirt-gate.toml':
      'version-checks = ["has_min_version", { name = "check_version", form = "string" }]\nprobes = ["self.*_supported"]\n',
  });
  const file = path.join(root, 'a.py');
  const settings = {
    'version-checks': [{ name: 'supports_version', form: 'string' }],
    'feature-checks': ['has_flag'],
  };
  const { policy, errors } = resolvePolicyForFile(file, { settings });
  assert.deepEqual(errors, []);
  assert.deepEqual(policy.versionChecks, ['has_min_version', 'check_version']);
  assert.deepEqual(policy.versionCheckSpecs, [
    {
      name: 'check_version',
      axis: 'libvirt',
      form: 'string',
      arg: 0,
      parts: ['major', 'minor', 'micro'],
      exact: false,
    },
  ]);
  assert.deepEqual(policy.featureChecks, [{ name: 'has_flag' }]);
  assert.deepEqual(policy.probes, ['self.*_supported']);
  const plain = resolvePolicyForFile(file, { overrides: { versionChecks: ['has_version'] } }).policy;
  assert.deepEqual([plain.versionChecks, plain.versionCheckSpecs], [['has_version'], []]);
  const none = resolvePolicyForFile(path.join(tempTree({}), 'b.py')).policy;
  assert.deepEqual([none.versionCheckSpecs, none.featureChecks, none.probes], [[], [], []]);
});

test('defaults and presets', () => {
  const { policy, configFile, errors } = resolvePolicyForFile(path.join(tempTree({}), 'a.py'));
  assert.equal(configFile, undefined);
  assert.deepEqual(errors, []);
  assert.deepEqual(policy, defaultPolicy);
  assert.equal(policy.minLibvirt, 8_000_000);
  assert.deepEqual(policy.ci, [
    { name: 'ubuntu-24.04', libvirt: 10_000_000, qemu: 8_002_002, kind: 'upstream', preset: 'ubuntu-24.04' },
  ]);
  assert.deepEqual(policy.distros, ['ubuntu-24.04', 'debian-13', 'rhel-9.6', 'rhel-10.0']);
  assert.deepEqual(presets['ubuntu-14.04'], { libvirt: 1_002_002, qemu: 2_000_000, label: 'Ubuntu 14.04' });
});

test('discovery: nearest config upward; pyproject without our table does not count', () => {
  const root = tempTree({
    '.libvirt-gate.toml': 'min-version = "1.0.0"',
    'pkg/pyproject.toml': '[project]\nname = "pkg"\n',
    'pkg/sub/a.py': '',
    'other/pyproject.toml': '[tool.libvirt-gate]\nmin-version = "2.0.0"\n',
    'other/deep/b.py': '',
    'both/.libvirt-gate.toml': 'min-version = "3.0.0"',
    'both/pyproject.toml': '[tool.libvirt-gate]\nmin-version = "4.0.0"\n',
    'both/c.py': '',
  });
  const a = resolvePolicyForFile(path.join(root, 'pkg/sub/a.py'));
  assert.equal(a.configFile, path.join(root, '.libvirt-gate.toml'));
  assert.equal(a.policy.minLibvirt, 1_000_000);
  assert.equal(a.policy.minLibvirtSource, 'config');
  assert.equal(resolvePolicyForFile(path.join(root, 'other/deep/b.py')).policy.minLibvirt, 2_000_000);
  assert.equal(
    resolvePolicyForFile(path.join(root, 'both/c.py')).configFile,
    path.join(root, 'both/.libvirt-gate.toml'),
  );
  assert.equal(findConfigFile(path.join(root, 'pkg'))?.path, path.join(root, '.libvirt-gate.toml'));
  // A broken pyproject.toml that is not ours is not our error.
  fs.writeFileSync(path.join(root, 'pkg/pyproject.toml'), '[project\n');
  assert.deepEqual(resolvePolicyForFile(path.join(root, 'pkg/sub/a.py')).errors, []);
});

test('precedence: flags > config file > settings > defaults; receivers merge', () => {
  const root = tempTree({
    'pyproject.toml':
      '[tool.libvirt-gate]\nmin-version = "1.0.0"\ngate = ["CONF.x"]\n[tool.libvirt-gate.receivers]\nvdom = "virDomain"\n',
  });
  const file = path.join(root, 'a.py');
  const settings = {
    'min-version': '2.0.0',
    'min-qemu-version': '3.0.0',
    'untested-includes-class-b': true,
    ignore: ['LVG004'],
    'trace.server': 'off',
    select: null,
  };
  const withSettings = resolvePolicyForFile(file, { settings });
  assert.equal(withSettings.policy.minLibvirt, 1_000_000);
  assert.equal(withSettings.policy.minQemu, 3_000_000);
  assert.equal(withSettings.policy.minQemuSource, 'settings');
  assert.equal(withSettings.policy.untestedIncludesClassB, true);
  assert.deepEqual(withSettings.policy.ignore, ['LVG004']);
  assert.deepEqual(withSettings.policy.gates, ['CONF.x']);
  assert.equal(withSettings.policy.receivers['vdom'], 'virDomain');
  assert.equal(withSettings.policy.receivers['dom'], 'virDomain');
  const withFlags = resolvePolicyForFile(file, { settings, overrides: { minVersion: 5_000_000, gates: ['CONF.y'] } });
  assert.equal(withFlags.policy.minLibvirt, 5_000_000);
  assert.equal(withFlags.policy.minLibvirtSource, 'command line');
  assert.deepEqual(withFlags.policy.gates, ['CONF.y']);
  const badSettings = resolvePolicyForFile(file, { settings: { 'min-version': '1.2' } });
  assert.deepEqual(
    badSettings.errors.map((e) => formatConfigError(e)),
    ['settings: min-version = "1.2": expected a libvirt version "major.minor.micro" such as "8.0.0", or "auto"'],
  );
});

test('receivers: false removes a default, in the config file and in the editor settings; a higher layer can add it back', () => {
  const root = tempTree({
    'pyproject.toml': '[tool.libvirt-gate]\nreceivers = { dev = false, conn = false, vdev = "virNodeDevice" }\n',
    'other/.libvirt-gate.toml': 'receivers = { secret = "virSecret" }\n',
  });
  const removed = resolvePolicyForFile(path.join(root, 'a.py'));
  assert.deepEqual(removed.errors, []);
  assert.equal('dev' in removed.policy.receivers, false);
  assert.equal('conn' in removed.policy.receivers, false);
  assert.equal(removed.policy.receivers['vdev'], 'virNodeDevice');
  assert.equal(removed.policy.receivers['dom'], 'virDomain');
  // Settings remove a default; the config file (a higher layer) puts it back.
  const settings = { receivers: { dev: false, secret: false } };
  const other = resolvePolicyForFile(path.join(root, 'other/b.py'), { settings });
  assert.deepEqual(other.errors, []);
  assert.equal('dev' in other.policy.receivers, false);
  assert.equal(other.policy.receivers['secret'], 'virSecret');
  assert.deepEqual(
    Object.keys(defaultPolicy.receivers).filter((k) => !(k in other.policy.receivers)),
    ['dev'],
  );
});

test('"auto" uses the workspace MIN_LIBVIRT_VERSION, else the default', () => {
  const root = tempTree({ '.libvirt-gate.toml': 'min-version = "auto"\nmin-qemu-version = "auto"\n' });
  const file = path.join(root, 'nova/virt/libvirt/driver.py');
  const index = { autoMinimum: () => ({ libvirt: { version: 7_000_000, uri: `file://${file}` } }) };
  const { policy } = resolvePolicyForFile(file, { index });
  assert.equal(policy.minLibvirt, 7_000_000);
  assert.equal(policy.minLibvirtSource, 'MIN_LIBVIRT_VERSION in nova/virt/libvirt/driver.py');
  assert.equal(policy.minQemu, 6_002_000);
  assert.equal(policy.minQemuSource, 'default');
  assert.equal(resolvePolicyForFile(file).policy.minLibvirtSource, 'default');
});

test('--config: explicit file for every path, missing file, pyproject without table', () => {
  const root = tempTree({
    'cfg/custom.toml': 'min-version = "6.0.0"',
    'cfg/pyproject.toml': '[project]\n',
    'x/.libvirt-gate.toml': 'min-version = "1.0.0"',
    'x/a.py': '',
  });
  const r = new PolicyResolver({ configFile: 'cfg/custom.toml', cwd: root });
  assert.equal(r.resolve(path.join(root, 'x/a.py')).policy.minLibvirt, 6_000_000);
  const missing = new PolicyResolver({ configFile: 'nope.toml', cwd: root }).resolve(path.join(root, 'x/a.py'));
  assert.deepEqual(
    missing.errors.map((e) => formatConfigError(e, root)),
    ['--config nope.toml: no such file'],
  );
  const noTable = new PolicyResolver({ configFile: 'cfg/pyproject.toml', cwd: root }).resolve(
    path.join(root, 'x/a.py'),
  );
  assert.deepEqual(
    noTable.errors.map((e) => formatConfigError(e, root)),
    ['cfg/pyproject.toml: no [tool.libvirt-gate] table'],
  );
});

test('parsed files are cached by path and mtime', () => {
  const root = tempTree({ '.libvirt-gate.toml': 'min-version = "1.0.0"' });
  const file = path.join(root, '.libvirt-gate.toml');
  const first = readConfigFile(file);
  assert.equal(readConfigFile(file), first);
  fs.writeFileSync(file, 'min-version = "2.0.0"');
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(file, later, later);
  const second = readConfigFile(file);
  assert.notEqual(second, first);
  assert.equal(second?.layer.minVersion, 2_000_000);
});

test('one shared Policy object per config file', () => {
  const root = tempTree({ '.libvirt-gate.toml': 'min-version = "1.0.0"', 'a/x.py': '', 'b/y.py': '' });
  const r = new PolicyResolver();
  assert.equal(r.resolve(path.join(root, 'a/x.py')).policy, r.resolve(path.join(root, 'b/y.py')).policy);
});

test('origins: each key names the layer its value came from, tables per entry, excludes per pattern', () => {
  const root = tempTree({
    'pyproject.toml': [
      '[project]',
      'name = "x"',
      '',
      '[tool.libvirt-gate]',
      'min-version = "1.0.0"',
      'gate = ["CONF.x"]',
      'exclude = ["tests/**", \'build\']',
      '',
      '[tool.libvirt-gate.receivers]',
      'vdom = "virDomain"',
      '',
    ].join('\n'),
  });
  const configFile = path.join(root, 'pyproject.toml');
  const file = (line: number, column = 1): unknown => ({
    kind: 'file',
    file: configFile,
    table: 'tool.libvirt-gate',
    line,
    column,
  });
  const settings = {
    'min-qemu-version': '3.0.0',
    'untested-includes-class-b': true,
    receivers: { sdom: 'virDomain', vdom: 'virConnect' },
    severity: { LVG001: 'error' },
  };
  const resolved = resolvePolicyForFile(path.join(root, 'a.py'), {
    settings,
    overrides: { gates: ['CONF.y'], select: ['LVG001'] },
  });
  const { origins } = resolved;
  assert.deepEqual(
    origins.keys,
    new Map<string, unknown>([
      ['minQemuVersion', { kind: 'settings' }],
      ['untestedIncludesClassB', { kind: 'settings' }],
      ['receivers', file(9)],
      ['severities', { kind: 'settings' }],
      ['minVersion', file(5)],
      ['gates', { kind: 'flag', flag: '--gate' }],
      ['exclude', file(7)],
      ['select', { kind: 'flag', flag: '--select' }],
    ]),
  );
  // Tables merge: each entry from the highest layer that set it (vdom: the file over the setting).
  assert.deepEqual(
    origins.entries,
    new Map([
      [
        'receivers',
        new Map<string, unknown>([
          ['sdom', { origin: { kind: 'settings' }, value: 'virDomain' }],
          ['vdom', { origin: file(9), value: 'virDomain' }],
        ]),
      ],
      ['severities', new Map([['LVG001', { origin: { kind: 'settings' }, value: 'error' }]])],
    ]),
  );
  assert.deepEqual([origins.minLibvirt, origins.minQemu], [file(5), { kind: 'settings' }]);
  assert.equal(resolved.configTable, 'tool.libvirt-gate');
  assert.deepEqual(resolved.excludePatterns, [
    { pattern: 'tests/**', base: root, origin: { ...(file(7, 12) as object), endColumn: 22 } },
    { pattern: 'build', base: root, origin: { ...(file(7, 24) as object), endColumn: 31 } },
  ]);
  // Nothing set anywhere: every key is the default (no entry), the minimums too.
  const bare = resolvePolicyForFile(path.join(tempTree({}), 'a.py'));
  assert.deepEqual([bare.origins.keys.size, bare.origins.entries.size], [0, 0]);
  assert.deepEqual([bare.origins.minLibvirt, bare.origins.minQemu], [{ kind: 'default' }, { kind: 'default' }]);
});

test('origins of the minimums: auto (with the file, and who asked), not found, and no QEMU minimum', () => {
  const root = tempTree({ '.libvirt-gate.toml': 'min-qemu-version = "auto"\n' });
  const file = path.join(root, 'pkg/driver.py');
  const consts = pathToFileURL(path.join(root, 'pkg/consts.py')).href;
  const index = {
    autoMinimum: () => ({ libvirt: { version: 7_000_000, uri: consts }, qemu: { version: 5_002_000, uri: consts } }),
  };
  const asked = { kind: 'file', file: path.join(root, '.libvirt-gate.toml'), table: '', line: 1, column: 1 };
  const auto = resolvePolicyForFile(file, { index });
  assert.deepEqual(auto.origins.minLibvirt, { kind: 'auto', constant: 'MIN_LIBVIRT_VERSION', uri: consts });
  assert.deepEqual(auto.origins.minQemu, {
    kind: 'auto',
    constant: 'MIN_QEMU_VERSION',
    uri: consts,
    requestedBy: asked,
  });
  const notFound = resolvePolicyForFile(file, { index: { autoMinimum: () => ({}) } });
  assert.deepEqual(notFound.origins.minQemu, { kind: 'default', note: 'auto: no MIN_QEMU_VERSION found' });
  assert.deepEqual(notFound.origins.minLibvirt, { kind: 'default' });
  const libvirtOnly = resolvePolicyForFile(file, { index, overrides: { minVersion: 9_000_000 } });
  assert.deepEqual(libvirtOnly.origins.minLibvirt, { kind: 'flag', flag: '--min-version' });
  assert.equal(libvirtOnly.origins.minQemu.kind, 'auto');
  const noQemu = resolvePolicyForFile(path.join(tempTree({}), 'a.py'), {
    overrides: { minVersion: 9_000_000 },
  });
  assert.deepEqual(
    [noQemu.policy.minQemu, noQemu.origins.minQemu],
    [0, { kind: 'default', note: 'none: min-version is set, min-qemu-version is not' }],
  );
});

test('every config key maps to its own layer property (origins are tracked by it)', () => {
  const layerKeys = configKeys.map(layerKeyOf);
  assert.equal(new Set(layerKeys).size, configKeys.length);
  assert.deepEqual(layerKeys.slice(0, 4), ['minVersion', 'minQemuVersion', 'ci', 'gates']);
  assert.equal(layerKeyOf('severity'), 'severities');
  assert.equal(layerKeyOf('untested-includes-class-b'), 'untestedIncludesClassB');
});
