// XML features in the editor: a config attribute set in one file, written by a class in
// another (the workspace index carries the class); LVG010 diagnostics, the hover on the
// attribute and on a name inside an XML string, and the add-check quick fix.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { CodeAction, Hover } from 'vscode-languageserver-protocol';
import { TestClient, applyEdits, fixtureUri, fixturesDir, readFixture } from './harness';

const folder = path.join(fixturesDir, 'xml-ws');
const uri = fixtureUri('xml-ws', 'nova_like', 'designer.py');
const text = readFixture('xml-ws', 'nova_like', 'designer.py');

async function started(): Promise<TestClient> {
  const client = new TestClient({ folder });
  await client.initialize();
  await client.indexed();
  await client.open(uri, text);
  return client;
}

async function hoverAt(client: TestClient, line: number, character: number): Promise<string> {
  const hover = (await client.connection.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: { line, character },
  })) as Hover | null;
  return hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
}

test('LVG010 on a config attribute whose class is in another file, and on an XML string', async (t) => {
  const client = await started();
  t.after(() => client.shutdown());
  const diags = await client.diagnostics(uri);
  assert.deepEqual(
    diags.map((d) => [d.range.start.line + 1, d.range.start.character + 1, d.code, d.message]),
    [
      [
        7,
        14,
        'LVG010',
        "XML domain/devices/disk/driver/@discard='unmap' needs libvirt 1.0.6 (formatdomain.rst:3497), but this runs from libvirt 1.0.0 (the minimum supported) without a version check: hosts with older libvirt reject or ignore it",
      ],
      [
        11,
        44,
        'LVG010',
        'XML domain/memoryBacking/hugepages/page needs libvirt 1.2.5 (formatdomain.rst:1137), but this runs from libvirt 1.0.0 (the minimum supported) without a version check: hosts with older libvirt reject or ignore it',
      ],
    ],
  );
  const actions = (await client.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: diags[0]?.range,
    context: { diagnostics: [diags[0]] },
  })) as CodeAction[];
  const add = actions.find((a) => a.title.startsWith('Add a version check'));
  assert.equal(
    add?.title,
    "Add a version check: 'if self._host.has_min_version(MIN_LIBVIRT_DISK_DRIVER_DISCARD_UNMAP_VERSION):'",
  );
  const fixed = applyEdits(text, add?.edit?.changes?.[uri] ?? []);
  assert.ok(fixed.includes('MIN_LIBVIRT_DISK_DRIVER_DISCARD_UNMAP_VERSION = (1, 0, 6)\n'), fixed);
  assert.ok(
    fixed.includes(
      "        if self._host.has_min_version(MIN_LIBVIRT_DISK_DRIVER_DISCARD_UNMAP_VERSION):\n            conf.driver_discard = 'unmap'\n",
    ),
    fixed,
  );
});

test('hover on a config attribute and on an element name in a string', async (t) => {
  const client = await started();
  t.after(() => client.shutdown());
  assert.equal(
    await hoverAt(client, 6, 16),
    [
      "libvirt XML `domain/devices/disk/driver/@discard='unmap'`, since libvirt 1.0.6; documented for QEMU/KVM",
      'Runs here on libvirt [1.0.6, ∞) because it needs libvirt ≥ 1.0.6.',
      'Support class A: upstream CI runs it (gate = 1.2.2).',
      'Runs on: Ubuntu 24.04, Debian 13, RHEL 9.6, RHEL 10.0.',
      'Gated: no.',
      'Written through `LibvirtConfigGuestDisk.driver_discard`: its class writes this XML when the attribute is set.',
      'Documented in libvirt 11.3.0: formatdomain.rst:3497 ":since:\'Since 1.0.6 (QEMU and KVM only)\'"',
      '[libvirt documentation](https://libvirt.org/formatdomain.html)',
    ].join('\n\n'),
  );
  const page = (await hoverAt(client, 10, 46)).split('\n\n');
  assert.equal(page[0], 'libvirt XML `domain/memoryBacking/hugepages/page`, since libvirt 1.2.5');
  assert.equal(page[5], 'Written by an XML string.');
});
