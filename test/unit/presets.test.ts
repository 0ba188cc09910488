// CI presets: exact versions, the lists that must name the same presets (schema, VS Code
// settings, docs), the "did you mean" for unknown names, the `distros` key, and which
// releases run a path.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatConfigError } from '../../server/src/config/configError';
import { parseConfigFile } from '../../server/src/config/loadConfig';
import {
  defaultDistros,
  presetJob,
  presetNames,
  presets,
  presetsRunning,
  splitDistros,
  unknownPresetMessage,
} from '../../server/src/config/presets';
import { parseCiSpec } from '../../server/src/cli/args';
import { formatVersion, parseVersion } from '../../server/src/data/version';

const root = path.join(__dirname, '..', '..');

// The table of docs/configuration.md, by hand: a change to a preset must be deliberate here too.
const expected: readonly [string, string, string, string][] = [
  ['ubuntu-14.04', 'Ubuntu 14.04', '1.2.2', '2.0.0'],
  ['ubuntu-16.04', 'Ubuntu 16.04', '1.3.1', '2.5.0'],
  ['ubuntu-18.04', 'Ubuntu 18.04', '4.0.0', '2.11.1'],
  ['ubuntu-20.04', 'Ubuntu 20.04', '6.0.0', '4.2.1'],
  ['ubuntu-22.04', 'Ubuntu 22.04', '8.0.0', '6.2.0'],
  ['ubuntu-24.04', 'Ubuntu 24.04', '10.0.0', '8.2.2'],
  ['debian-11', 'Debian 11', '7.0.0', '5.2.0'],
  ['debian-12', 'Debian 12', '9.0.0', '7.2.22'],
  ['debian-13', 'Debian 13', '11.3.0', '10.0.13'],
  ['rhel-8.10', 'RHEL 8.10', '8.0.0', '6.2.0'],
  ['rhel-9.0', 'RHEL 9.0', '8.0.0', '6.2.0'],
  ['rhel-9.2', 'RHEL 9.2', '9.0.0', '7.2.0'],
  ['rhel-9.4', 'RHEL 9.4', '10.0.0', '8.2.0'],
  ['rhel-9.6', 'RHEL 9.6', '10.10.0', '9.1.0'],
  ['rhel-10.0', 'RHEL 10.0', '10.10.0', '9.1.0'],
];

test('every preset resolves to its exact versions, from the config file and from --ci', () => {
  assert.deepEqual(
    presetNames,
    expected.map(([name]) => name),
  );
  for (const [name, label, libvirt, qemu] of expected) {
    const job = { name, libvirt: parseVersion(libvirt), qemu: parseVersion(qemu), kind: 'upstream', preset: name };
    assert.deepEqual(presetJob(name), job, name);
    assert.equal(presets[name].label, label);
    const cfg = parseConfigFile('/p/.libvirt-gate.toml', `[[ci]]\npreset = "${name}"\nkind = "third-party"\n`);
    assert.deepEqual([cfg?.errors, cfg?.layer.ci], [[], [{ ...job, kind: 'third-party' }]], name);
    assert.deepEqual(parseCiSpec(`gate=${name}`), { ...job, name: 'gate' }, name);
    assert.deepEqual(parseCiSpec(name), job, name);
  }
});

test('the JSON schema, the VS Code setting and the docs name exactly the presets', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(root, 'schemas', 'libvirt-gate.schema.json'), 'utf8')) as {
    definitions: { preset: { enum: string[] } };
    properties: { distros: { items: { $ref: string }; default: string[] } };
  };
  assert.deepEqual(schema.definitions.preset.enum, presetNames);
  assert.equal(schema.properties.distros.items.$ref, '#/definitions/preset');
  assert.deepEqual(schema.properties.distros.default, defaultDistros);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    contributes: {
      configuration: { properties: Record<string, { items?: { properties?: { preset?: { enum: string[] } } } }> };
    };
  };
  assert.deepEqual(
    pkg.contributes.configuration.properties['libvirt-gate.ci'].items?.properties?.preset?.enum,
    presetNames,
  );
  // docs/configuration.md: `| `name` | release | libvirt | QEMU | source |`, one row per preset.
  const docs = fs.readFileSync(path.join(root, 'docs', 'configuration.md'), 'utf8');
  const rows = [...docs.matchAll(/^\| `([a-z]+-[\d.]+)` \| ([^|]+?) \| ([\d.]+) \| ([\d.]+) \|/gm)].map((m) => [
    m[1],
    m[3],
    m[4],
  ]);
  assert.deepEqual(
    rows,
    presetNames.map((n) => [n, formatVersion(presets[n].libvirt), formatVersion(presets[n].qemu)]),
  );
  for (const n of presetNames)
    assert.match(
      docs,
      new RegExp(
        `^\\| \`${n.replace(/\./g, '\\.')}\` \\| [^|]+ \\| [\\d.]+ \\| [\\d.]+ \\| [^|]*(https://|checked)`,
        'm',
      ),
      `${n}: no source`,
    );
});

test('unknown presets: minor releases, the family, the closest name, or the list', () => {
  const all = presetNames.join(', ');
  assert.equal(
    unknownPresetMessage('rhel-9'),
    'unknown preset; presets name a minor release: rhel-9.0, rhel-9.2, rhel-9.4, rhel-9.6',
  );
  assert.equal(unknownPresetMessage('RHEL-10'), 'unknown preset; presets name a minor release: rhel-10.0');
  assert.equal(
    unknownPresetMessage('rhel-9.8'),
    'unknown preset; known rhel presets: rhel-8.10, rhel-9.0, rhel-9.2, rhel-9.4, rhel-9.6, rhel-10.0',
  );
  assert.equal(
    unknownPresetMessage('debian-14'),
    'unknown preset; known debian presets: debian-11, debian-12, debian-13',
  );
  assert.equal(unknownPresetMessage('debain-12'), `unknown preset; did you mean "debian-12"? Known presets: ${all}`);
  assert.equal(unknownPresetMessage('fedora-43'), `unknown preset. Known presets: ${all}`);
  const cfg = (body: string): string[] =>
    (parseConfigFile('/p/.libvirt-gate.toml', body)?.errors ?? []).map((e) => formatConfigError(e, '/p'));
  assert.deepEqual(cfg('[[ci]]\nname = "gate"\npreset = "ubuntu-2404"\n'), [
    '.libvirt-gate.toml: ci[1].preset = "ubuntu-2404": unknown preset; did you mean "ubuntu-24.04"?',
  ]);
  assert.equal(unknownPresetMessage('RHEL_9.6'), 'unknown preset; did you mean "rhel-9.6"?');
});

test('distros: a list of presets for hovers; errors name the entry', () => {
  const cfg = (body: string): ReturnType<typeof parseConfigFile> => parseConfigFile('/p/.libvirt-gate.toml', body);
  assert.deepEqual(cfg('distros = ["rhel-9.6", "debian-12"]\n')?.layer, { distros: ['rhel-9.6', 'debian-12'] });
  assert.deepEqual(cfg('distros = []\n')?.layer, { distros: [] });
  const errors = (body: string): string[] => (cfg(body)?.errors ?? []).map((e) => formatConfigError(e, '/p'));
  assert.deepEqual(errors('distros = ["rhel-9.6", "rhel-9"]\n'), [
    '.libvirt-gate.toml: distros[2] = "rhel-9": unknown preset; presets name a minor release: rhel-9.0, rhel-9.2, rhel-9.4, rhel-9.6',
  ]);
  assert.deepEqual(errors('distros = "ubuntu-24.04"\n'), [
    '.libvirt-gate.toml: distros = "ubuntu-24.04": expected an array of strings',
  ]);
  assert.deepEqual(errors('distros = [24]\n'), ['.libvirt-gate.toml: distros[1] = 24: expected a string']);
  assert.deepEqual(cfg('distros = ["nope"]\n')?.layer, {}, 'an invalid list is not applied');
});

test('presetsRunning: the releases whose (libvirt, QEMU) point lies in a path', () => {
  const all = { lo: 0, hi: Infinity };
  assert.deepEqual(presetsRunning(all, all), presetNames);
  // libvirt [10.0.0, 10.10.0): Ubuntu 24.04 and RHEL 9.4 (both 10.0.0); 10.10.0 itself is outside.
  assert.deepEqual(presetsRunning({ lo: 10_000_000, hi: 10_010_000 }, all), ['ubuntu-24.04', 'rhel-9.4']);
  // The QEMU axis counts too: RHEL 9.4 has QEMU 8.2.0, Ubuntu 24.04 8.2.2.
  assert.deepEqual(presetsRunning({ lo: 10_000_000, hi: 10_010_000 }, { lo: 8_002_001, hi: Infinity }), [
    'ubuntu-24.04',
  ]);
  assert.deepEqual(presetsRunning({ lo: 11_003_000, hi: Infinity }, all), ['debian-13']);
  assert.deepEqual(presetsRunning({ lo: 12_000_000, hi: Infinity }, all), []);
  assert.deepEqual(presetsRunning({ lo: 5_000_000, hi: 4_000_000 }, all), [], 'an empty interval runs nowhere');
  assert.deepEqual(
    presetsRunning(all, all, ['rhel-10.0', 'nope', 'debian-11']),
    ['rhel-10.0', 'debian-11'],
    'unknown names ignored, order kept',
  );
});

test('splitDistros: runs, supported but not running, below the minimum; table order, no duplicates', () => {
  const split = splitDistros(
    ['rhel-10.0', 'ubuntu-20.04', 'debian-13', 'ubuntu-24.04', 'debian-13'],
    { lo: 10_005_000, hi: Infinity },
    { lo: 6_002_000, hi: Infinity },
    { libvirt: 8_000_000, qemu: 6_002_000 },
  );
  assert.deepEqual(split, {
    runs: ['debian-13', 'rhel-10.0'],
    notRuns: ['ubuntu-24.04'],
    unsupported: ['ubuntu-20.04'],
  });
});
