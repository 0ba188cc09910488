import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { loadFeatureDb } from '../../server/src/data/loadFeatureDb';
import { formatVersion, parseVersion } from '../../server/src/data/version';
import { mayNameLibvirtMember } from '../../server/src/engine/flow/symbolUses';

// Run from the repository root (as `npm test` does); __dirname is used when available.
const REPO_ROOT = typeof __dirname === 'string' ? join(__dirname, '..', '..') : process.cwd();
const v = (text: string): number => {
  const n = parseVersion(text);
  assert.ok(n !== undefined, `bad version ${text}`);
  return n;
};

test('loadFeatureDb is a memoized singleton with data up to 12.3.0', () => {
  const db = loadFeatureDb();
  assert.equal(loadFeatureDb(), db);
  assert.equal(db.dataVersion, v('12.3.0'));
  assert.ok(db.classNames.has('virDomain'));
  assert.ok(db.classNames.has('virConnect'));
  assert.ok(db.classNames.has('virNetworkPort'));
  assert.ok(!db.classNames.has('libvirtError'));
  assert.ok(!db.classNames.has(''));
});

test('virDomain.blockCopy', () => {
  const m = loadFeatureDb().method('virDomain', 'blockCopy');
  assert.ok(m);
  assert.equal(m.pyModule, 'libvirt');
  assert.equal(m.pyClass, 'virDomain');
  assert.equal(m.name, 'blockCopy');
  assert.equal(m.cName, 'virDomainBlockCopy');
  assert.equal(m.since, 1002008);
  assert.equal(formatVersion(m.since), '1.2.8');
  assert.equal(m.docsUrl, 'https://libvirt.org/html/libvirt-libvirt-domain.html#virDomainBlockCopy');
  assert.equal(m.returns, undefined);
});

test('virDomain.interfaceAddresses since 1.2.14', () => {
  const m = loadFeatureDb().method('virDomain', 'interfaceAddresses');
  assert.equal(m?.since, v('1.2.14'));
  assert.equal(m?.cName, 'virDomainInterfaceAddresses');
  // Fills virDomainInterfacePtr structs, which are not python classes.
  assert.equal(m?.returns, undefined);
});

test('return types', () => {
  const db = loadFeatureDb();
  assert.deepEqual(db.method('virConnect', 'lookupByName')?.returns, { pyClass: 'virDomain', list: false });
  assert.deepEqual(db.method('virConnect', 'listAllDomains')?.returns, { pyClass: 'virDomain', list: true });
  assert.deepEqual(db.method('virStoragePool', 'listAllVolumes')?.returns, { pyClass: 'virStorageVol', list: true });
  assert.deepEqual(db.method('virDomain', 'snapshotCreateXML')?.returns, { pyClass: 'virDomainSnapshot', list: false });
  assert.equal(db.method('virConnect', 'getAllDomainStats')?.returns, undefined);
  assert.equal(db.method('virDomain', 'XMLDesc')?.returns, undefined);
  for (const name of ['open', 'openReadOnly', 'openAuth']) {
    assert.deepEqual(db.moduleFunction('libvirt', name)?.returns, { pyClass: 'virConnect', list: false }, name);
  }
});

test('module functions', () => {
  const db = loadFeatureDb();
  const open = db.moduleFunction('libvirt', 'open');
  assert.equal(open?.pyClass, '');
  assert.equal(open?.cName, 'virConnectOpen');
  assert.equal(open?.docsUrl, 'https://libvirt.org/html/libvirt-libvirt-host.html#virConnectOpen');

  const qmc = db.moduleFunction('libvirt_qemu', 'qemuMonitorCommand');
  assert.ok(qmc);
  assert.equal(qmc.pyModule, 'libvirt_qemu');
  assert.equal(qmc.cName, 'virDomainQemuMonitorCommand');
  assert.equal(qmc.since, v('0.8.3'));
  assert.equal(qmc.docsUrl, 'https://libvirt.org/html/libvirt-libvirt-qemu.html#virDomainQemuMonitorCommand');

  assert.equal(db.moduleFunction('libvirt_lxc', 'lxcOpenNamespace')?.since, v('1.0.2'));
  assert.equal(db.moduleFunction('libvirt', 'qemuMonitorCommand'), undefined);
  assert.equal(db.moduleFunction('libvirt', '__init__'), undefined);
  assert.equal(db.method('virDomain', '__del__'), undefined);
});

test('constants', () => {
  const db = loadFeatureDb();
  const postcopy = db.constant('libvirt', 'VIR_MIGRATE_POSTCOPY');
  assert.ok(postcopy);
  assert.equal(postcopy.since, v('1.3.3'));
  assert.equal(postcopy.kind, 'enum');
  assert.equal(postcopy.enumType, 'virDomainMigrateFlags');
  assert.equal(postcopy.docsUrl, 'https://libvirt.org/html/libvirt-libvirt-domain.html#VIR_MIGRATE_POSTCOPY');

  const relative = db.constant('libvirt', 'VIR_DOMAIN_BLOCK_REBASE_RELATIVE');
  assert.equal(relative?.since, v('1.2.7'));
  assert.equal(relative?.enumType, 'virDomainBlockRebaseFlags');
  assert.equal(relative?.value, '(1 << 4)');

  const macro = db.constant('libvirt', 'VIR_MIGRATE_PARAM_URI');
  assert.equal(macro?.kind, 'macro');
  assert.equal(macro?.enumType, undefined);

  assert.equal(
    db.constant('libvirt', 'VIR_ERR_NO_DOMAIN')?.docsUrl,
    'https://libvirt.org/html/libvirt-virterror.html#VIR_ERR_NO_DOMAIN',
  );
  assert.equal(
    db.constant('libvirt', 'VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE')?.docsUrl,
    'https://libvirt.org/html/libvirt-libvirt-domain-snapshot.html#VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE',
  );
  assert.equal(db.constant('libvirt', 'VIR_MIGRATE_POST_COPY'), undefined);
  assert.equal(db.constant('libvirt', 'VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP'), undefined);
  assert.equal(db.constant('libvirt_qemu', 'VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP')?.since, v('0.8.8'));
  assert.equal(db.constant('libvirt', 'VIR_MIGRATE_POSTCOPY'), postcopy, 'constants are cached');
});

test('constantNames', () => {
  const db = loadFeatureDb();
  const names = db.constantNames('libvirt');
  assert.ok(names.includes('VIR_MIGRATE_POSTCOPY'));
  assert.ok(names.every((n) => n.startsWith('VIR_')));
  assert.ok(!names.some((n) => n.startsWith('VIR_DOMAIN_QEMU_')));
  assert.ok(db.constantNames('libvirt_qemu').includes('VIR_DOMAIN_QEMU_AGENT_COMMAND_BLOCK'));
});

test('methodsNamed', () => {
  const db = loadFeatureDb();
  const setMetadata = db.methodsNamed('setMetadata').map((m) => [m.pyClass, formatVersion(m.since)]);
  assert.deepEqual(setMetadata, [
    ['virDomain', '0.9.10'],
    ['virNetwork', '9.7.0'],
  ]);

  const rename = db.methodsNamed('rename');
  assert.ok(rename.some((m) => m.pyClass === 'virDomain' && m.since === v('1.2.19')));

  const xmlDesc = db.methodsNamed('XMLDesc');
  assert.ok(xmlDesc.length > 5);
  const sinces = xmlDesc.map((m) => m.since);
  assert.deepEqual(
    sinces,
    [...sinces].sort((a, b) => a - b),
    'oldest first',
  );
  assert.deepEqual(db.methodsNamed('noSuchMethod'), []);
});

test('parseVersion / formatVersion', () => {
  assert.equal(parseVersion('1.2.14'), 1002014);
  assert.equal(parseVersion('0.0.1'), 1);
  assert.equal(parseVersion('12.3.0'), 12003000);
  for (const s of ['0.0.0', '1.2.14', '0.9.10', '9.7.0', '12.3.0', '1.999.999']) {
    const n = parseVersion(s);
    assert.ok(n !== undefined, s);
    assert.equal(formatVersion(n), s);
  }
  for (const n of [0, 1, 1002014, 9007000, 12003000]) assert.equal(parseVersion(formatVersion(n)), n);
  for (const bad of ['1.2', 'v1.2.3', '1.2.3.4', '', '-1.0.0', '1.2.x', ' 1.2.3', '1.2.3 ', '1.1000.0', '1..2']) {
    assert.equal(parseVersion(bad), undefined, JSON.stringify(bad));
  }
  assert.equal(formatVersion(Infinity), '∞');
});

test('scripts/build-db.mjs --check: libvirtDb.json matches scripts/libvirt-api', () => {
  const r = spawnSync(process.execPath, ['scripts/build-db.mjs', '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `exit ${r.status}\n${r.stdout}\n${r.stderr}`);
});

test('a method name can be a libvirt use when some class or module has it, or it looks like a constant', () => {
  const db = loadFeatureDb();
  for (const name of [
    'fsFreeze',
    'openReadOnly',
    'getVersion',
    'qemuMonitorCommand',
    'VIR_DOMAIN_BLOCK_COPY_SHALLOW',
    'VIR_NOT_A_REAL_ONE',
  ])
    assert.equal(mayNameLibvirtMember(db, name), true, name);
  for (const name of ['append', 'strip', 'items', 'format', 'vir_lowercase'])
    assert.equal(mayNameLibvirtMember(db, name), false, name);
});
