'use strict';
const assert = require('assert');
const { open, hoverAt, expectDiagnostics, closeAll } = require('./helpers');
const expected = require('./expected');

suite('hover', function () {
  let doc;
  suiteSetup(async () => {
    doc = await open('driver/guest.py');
    await expectDiagnostics(doc.uri, expected.diagnostics['driver/guest.py'], 'diagnostics of driver/guest.py');
  });
  suiteTeardown(closeAll);

  test('a class C constant: since-version, interval, support class, not gated', async () => {
    const text = await hoverAt(doc, expected.guest.postcopyLine, 35); // libvirt.VIR_MIGRATE_POSTCOPY
    assert.match(text, /`libvirt\.VIR_MIGRATE_POSTCOPY` → C `VIR_MIGRATE_POSTCOPY`, since libvirt 1\.3\.3/);
    const because = `Runs here on libvirt [1.3.3, ∞) because it needs libvirt ≥ 1.3.3. Protected by \`hasattr(libvirt, 'VIR_MIGRATE_POSTCOPY')\` at line ${expected.guest.hasattrLine + 1}: that keeps it from failing, not tested.`;
    assert.ok(text.includes(because), `hover lacks "${because}":\n${text}`);
    assert.match(
      text,
      /Support class C: no CI job runs libvirt ≥ 1\.3\.3 \(gate = 1\.2\.2, libvirt-latest = 1\.2\.9\)/,
    );
    assert.match(text, /Gated: no/);
  });

  test('a class B method (third-party CI only): no diagnostic, the hover says so', async () => {
    const text = await hoverAt(doc, expected.guest.blockCopyLine, 17); // dom.blockCopy
    assert.match(text, /`virDomain\.blockCopy` → C `virDomainBlockCopy`, since libvirt 1\.2\.8/);
    assert.match(text, /Support class B: only third-party CI runs it \(libvirt-latest = 1\.2\.9\)/);
    assert.match(text, /libvirt\.org\/html\/libvirt-libvirt-domain\.html#virDomainBlockCopy/);
  });

  test('no hover on plain Python', async () => {
    const text = await hoverAt(doc, expected.guest.plainLine, 9); // flags = 0
    assert.doesNotMatch(text, /since libvirt/);
  });
});
