// The XML feature database (scripts/build-xml-db.mjs → libvirtXmlDb.json): it is current with
// the TSV, its rows read as the table says, and the build refuses malformed input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadXmlFeatureDb } from '../../server/src/data/loadXmlFeatureDb';
// @ts-expect-error plain JavaScript module without types
import { buildXmlDb } from '../../scripts/build-xml-db.mjs';

const REPO_ROOT = join(__dirname, '..', '..');
const header = 'format\tpath\tattribute\tvalue\tsince\tqemu_since\tscope\tevidence\tnote\tgroups';
const row = (...cells: string[]): string => cells.join('\t');

test('scripts/build-xml-db.mjs --check: libvirtXmlDb.json matches scripts/libvirt-xml', () => {
  const r = spawnSync(process.execPath, ['scripts/build-xml-db.mjs', '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `exit ${r.status}\n${r.stdout}\n${r.stderr}`);
});

test('678 rows, 537 dated; undated rows count as always available', () => {
  const db = loadXmlFeatureDb();
  assert.equal(loadXmlFeatureDb(), db);
  assert.equal(db.rowCount, 678);
  assert.equal(db.datedCount, 537);
  const clock = db.rows('domain/clock')[0];
  assert.equal(clock?.dated, false);
  assert.equal(clock?.since, 0);
});

test('an attribute row: version, scope, evidence, docs page', () => {
  const [discard] = loadXmlFeatureDb().rows('domain/devices/disk/driver', 'discard');
  assert.deepEqual(discard, {
    format: 'domain',
    path: 'domain/devices/disk/driver',
    elementPath: 'domain/devices/disk/driver',
    predicates: [],
    attribute: 'discard',
    since: 1_000_006,
    dated: true,
    scope: 'QEMU/KVM',
    evidence: discard?.evidence,
    note: 'values unmap/ignore; Nova also required QEMU 1.6 (not in libvirt doc)',
    docsUrl: 'https://libvirt.org/formatdomain.html',
  });
  assert.match(discard?.evidence ?? '', /^formatdomain\.rst:\d+ ".*"$/);
});

test('values, QEMU versions written "2.0", other documents', () => {
  const db = loadXmlFeatureDb();
  assert.equal(db.rows('domain/devices/interface', 'type', 'vhostuser')[0]?.since, 1_002_007);
  const relaxed = db.rows('domain/features/hyperv/relaxed')[0];
  assert.equal(relaxed?.since, 1_000_000);
  assert.equal(relaxed?.qemuSince, 2_000_000);
  assert.equal(db.rows('domain/features/kvm/hidden')[0]?.qemuSince, 2_001_000);
  const vtpm = db.rows('secret/usage', 'type', 'vtpm')[0];
  assert.equal(vtpm?.format, 'secret');
  assert.equal(vtpm?.docsUrl, 'https://libvirt.org/formatsecret.html');
});

test('a predicated row follows the plain row of its path', () => {
  const rows = loadXmlFeatureDb().rows('domain/devices/interface/driver', 'queues');
  assert.deepEqual(
    rows.map((r) => [r.path, r.since, r.predicates]),
    [
      ['domain/devices/interface/driver', 1_000_006, []],
      [
        'domain/devices/interface[type=vhostuser]/driver',
        1_002_017,
        [{ depth: 2, attribute: 'type', value: 'vhostuser' }],
      ],
    ],
  );
});

test('paths by their last element include prefixes of table paths', () => {
  const db = loadXmlFeatureDb();
  const drivers = db.pathsEndingIn('driver');
  for (const p of ['domain/devices/disk/driver', 'domain/devices/interface/driver', 'domain/devices/iommu/driver'])
    assert.ok(drivers.includes(p), p);
  assert.deepEqual(db.pathsEndingIn('domain'), ['domain']);
  assert.deepEqual(db.pathsEndingIn('frobnicator'), []);
  assert.ok(db.elementNames.has('memoryBacking'));
  assert.ok(!db.elementNames.has('html'));
});

test('the build refuses malformed rows, naming the line', () => {
  const build =
    (...rows: string[]) =>
    () =>
      buildXmlDb([header, ...rows].join('\n'));
  const good = row('domain', 'domain/name', '', '', '0.0.1', '', '', 'formatdomain.rst:48 "x"', '', 'P1');
  assert.doesNotThrow(build(good));
  assert.throws(build(good, good), /domain-xml-since\.tsv:3: duplicate row/);
  assert.throws(
    build(row('domain', 'secret/uuid', '', '', '', '', '', 'formatsecret.rst:1 "x"', '', '')),
    /:2: bad path 'secret\/uuid'/,
  );
  assert.throws(
    build(row('domain', 'domain/name', '', '', '1.2', '', '', 'formatdomain.rst:1 "x"', '', '')),
    /:2: bad version '1\.2'/,
  );
  assert.throws(
    build(row('domain', 'domain/name', '', 'x', '', '', '', 'formatdomain.rst:1 "x"', '', '')),
    /:2: a value without an attribute/,
  );
  assert.throws(
    build(row('domain', 'domain/name', '', '', '', '', '', 'somewhere', '', '')),
    /:2: bad evidence 'somewhere'/,
  );
  assert.throws(
    build(row('network', 'network', '', '', '', '', '', 'formatnetwork.rst:1 "x"', '', '')),
    /unknown format/,
  );
  const db = buildXmlDb(
    [
      header,
      row(
        'domain',
        'domain/features/kvm/hidden',
        '',
        '',
        '1.2.8',
        '2.1',
        'QEMU',
        'formatdomain.rst:2189 "x"',
        'n',
        'P1',
      ),
    ].join('\n'),
  ) as { docs: string[]; rows: unknown[][] };
  assert.deepEqual(db.docs, ['formatdomain']);
  assert.deepEqual(db.rows, [
    ['domain', 'domain/features/kvm/hidden', '', '', 1_002_008, 2_001_000, 'QEMU', 0, 2189, 'x', 'n'],
  ]);
});
