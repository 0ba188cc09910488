// Deterministic synthetic driver tree for the benchmark: ~1,500 Python files, ~25 MB, a few
// 15,000-line modules dense with guarded and unguarded libvirt use, and plain-Python files;
// with `xml`, also code that writes domain XML (builders, templates, config objects).
import * as fs from 'node:fs';
import * as path from 'node:path';

/** mulberry32: small, fast, seeded. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// [receiver, method, since] and [constant, since]: real libvirt-python names.
const methods = [
  ['dom', 'interfaceAddresses', [1, 2, 14]],
  ['dom', 'fsFreeze', [1, 2, 5]],
  ['dom', 'blockCopy', [1, 2, 8]],
  ['dom', 'rename', [1, 2, 19]],
  ['conn', 'getCPUModelNames', [1, 1, 3]],
  ['dom', 'blockJobAbort', [0, 9, 4]],
  ['dom', 'migrateToURI3', [1, 1, 0]],
  ['dom', 'setMetadata', [0, 9, 10]],
  ['guest._domain', 'fsThaw', [1, 2, 5]],
  ['dom', 'getTime', [1, 2, 5]],
  ['dom', 'setTime', [1, 2, 5]],
  ['conn', 'getDomainCapabilities', [1, 2, 7]],
  ['dom', 'setPerfEvents', [1, 3, 3]],
  ['dom', 'guestInfo', [5, 7, 0]],
  ['dom', 'agentSetResponseTimeout', [5, 10, 0]],
];
const constants = [
  ['VIR_MIGRATE_POSTCOPY', [1, 3, 3]],
  ['VIR_MIGRATE_AUTO_CONVERGE', [1, 2, 3]],
  ['VIR_DOMAIN_BLOCK_REBASE_RELATIVE', [1, 2, 7]],
  ['VIR_DOMAIN_BLOCK_COPY_SHALLOW', [1, 2, 8]],
  ['VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE', [1, 2, 14]],
  ['VIR_MIGRATE_PERSIST_DEST', [0, 7, 0]],
  ['VIR_DOMAIN_UNDEFINE_NVRAM', [1, 2, 9]],
  ['VIR_MIGRATE_TLS', [3, 2, 0]],
];

function libvirtFunction(rand, i, minNames) {
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const [recv, method] = pick(methods);
  const [constant] = pick(constants);
  const min = pick(minNames);
  const name = `op_${i}`;
  switch (Math.floor(rand() * 8)) {
    case 0:
      return `    def ${name}(self, dom, guest, conn):\n        return ${recv}.${method}(libvirt.${constant})\n`;
    case 1:
      return `    def ${name}(self, dom, guest, conn):\n        if self._host.has_min_version(${min}):\n            ${recv}.${method}()\n        return None\n`;
    case 2:
      return `    def ${name}(self, dom, guest, conn):\n        if (CONF.libvirt.enable_untested_features and\n                self._host.has_min_version(${min})):\n            return ${recv}.${method}(0)\n        return []\n`;
    case 3:
      return `    def ${name}(self, dom, guest, conn):\n        flags = 0\n        if hasattr(libvirt, '${constant}'):\n            flags |= libvirt.${constant}\n        return flags\n`;
    case 4:
      return `    def ${name}(self, dom, guest, conn):\n        try:\n            ${recv}.${method}()\n        except AttributeError:\n            raise NotSupported()\n`;
    case 5:
      return `    def ${name}(self, dom, guest, conn):\n        supported = self._host.has_min_version(${min})\n        if not supported:\n            raise NotSupported('too old')\n        ${recv}.${method}(libvirt.${constant})\n`;
    case 6:
      return `    def ${name}(self, dom, guest, conn):\n        if self._host.has_min_version(${min}):\n            conf.value = ${i}\n        else:\n            LOG.warning("not supported: %s", ${i})\n`;
    default:
      return plainFunction(rand, i);
  }
}

function plainFunction(rand, i) {
  const n = 2 + Math.floor(rand() * 6);
  let body = `    def helper_${i}(self, items, options=None):\n        """Return a summary of ${n} items."""\n        result = {}\n`;
  for (let k = 0; k < n; k++) {
    body += `        for key_${k}, value in enumerate(items):\n            if value is None or key_${k} % ${k + 2} == 0:\n                continue\n            result['item-%d' % key_${k}] = str(value).strip()\n`;
  }
  return `${body}        return sorted(result.items(), key=lambda kv: kv[0])\n`;
}

/** Functions that write domain XML: an lxml builder, a string template, config objects (the `xml` option). */
function xmlFunction(rand, i, minNames) {
  const min = minNames[Math.floor(rand() * minNames.length)];
  switch (Math.floor(rand() * 3)) {
    case 0:
      return `    def xml_${i}(self, devices, size):\n        mb = etree.SubElement(devices, 'memoryBacking')\n        hp = etree.SubElement(mb, 'hugepages')\n        page = etree.SubElement(hp, 'page', size=str(size), unit='KiB')\n        if self._host.has_min_version(${min}):\n            page.set('nodeset', '0')\n        return mb\n`;
    case 1:
      return `    def xml_${i}(self, path, queues):\n        return ("<interface type='vhostuser'>"\n                "<source type='unix' path='%s' mode='client'/>"\n                "<driver queues='%d'/>"\n                "</interface>") % (path, queues)\n`;
    default:
      return `    def xml_${i}(self, discard):\n        conf = libvirt_config.LibvirtConfigGuestDisk()\n        conf.driver_discard = discard\n        if self._host.has_min_version(${min}):\n            conf.driver_io = 'native'\n        return conf\n`;
  }
}

/** The config module the XML functions use (Nova's config.py style). */
const configModule = `from lxml import etree


class LibvirtConfigObject(object):
    def __init__(self, **kwargs):
        self.root_name = kwargs.get('root_name')

    @staticmethod
    def _new_node(node_name, **kwargs):
        return etree.Element(node_name, **kwargs)

    def format_dom(self):
        return self._new_node(self.root_name)


class LibvirtConfigGuestDisk(LibvirtConfigObject):
    def __init__(self, **kwargs):
        super(LibvirtConfigGuestDisk, self).__init__(root_name='disk', **kwargs)
        self.source_type = 'file'
        self.driver_discard = None
        self.driver_io = None

    def format_dom(self):
        dev = super(LibvirtConfigGuestDisk, self).format_dom()
        dev.set('type', self.source_type)
        drv = etree.SubElement(dev, 'driver')
        if self.driver_discard is not None:
            drv.set('discard', self.driver_discard)
        if self.driver_io is not None:
            drv.set('io', self.driver_io)
        return dev
`;

function module(rand, targetLines, withLibvirt, fileIndex, xmlRand) {
  const minNames = [];
  let out = withLibvirt
    ? 'import libvirt\n\nfrom oslo_config import cfg\n\nCONF = cfg.CONF\n\n'
    : 'import collections\nimport os\n\n';
  if (withLibvirt && xmlRand) out += 'from lxml import etree\n\nfrom driver.virt import libvirt_config\n\n';
  if (withLibvirt) {
    for (const [, method, since] of methods) {
      const name = `MIN_LIBVIRT_${method.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}_VERSION`;
      minNames.push(name);
      out += `${name} = (${since.join(', ')})\n`;
    }
    out += '\n';
  }
  out += `\nclass Component${fileIndex}(object):\n    """Generated for the benchmark."""\n\n`;
  let i = 0;
  let lines = out.split('\n').length;
  const parts = [out];
  while (lines < targetLines) {
    const fn = `${withLibvirt && rand() < 0.7 ? libvirtFunction(rand, i, minNames) : plainFunction(rand, i)}\n`;
    parts.push(fn);
    lines += fn.split('\n').length - 1;
    // XML functions come from their own generator, so the tree without them is unchanged.
    if (withLibvirt && xmlRand && xmlRand() < 0.25) {
      const xml = `${xmlFunction(xmlRand, i, minNames)}\n`;
      parts.push(xml);
      lines += xml.split('\n').length - 1;
    }
    i++;
  }
  return parts.join('');
}

/**
 * Writes the tree; returns { files, bytes }. Same seed, same bytes. With `xml`, a quarter of
 * the libvirt functions are followed by one that writes domain XML, and a config module is added.
 */
export function generateTree(
  root,
  { seed = 20240601, files = 1500, bigFiles = 5, bigLines = 15000, targetBytes = 25 * 1024 * 1024, xml = false } = {},
) {
  const rand = prng(seed);
  const xmlRand = xml ? prng(seed ^ 0x5eed) : undefined;
  fs.rmSync(root, { recursive: true, force: true });
  let bytes = 0;
  const written = [];
  const write = (rel, text) => {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    bytes += Buffer.byteLength(text);
    written.push(file);
  };
  for (let b = 0; b < bigFiles; b++) write(`driver/virt/big_${b}.py`, module(rand, bigLines, true, b, xmlRand));
  if (xml) write('driver/virt/libvirt_config.py', configModule);
  const remaining = files - bigFiles;
  const perFile = Math.max(1, Math.floor((targetBytes - bytes) / remaining / 40)); // ~40 bytes a line
  for (let f = 0; f < remaining; f++) {
    const withLibvirt = rand() < 0.7;
    const lines = Math.max(20, Math.floor(perFile * (0.5 + rand())));
    write(`driver/pkg${f % 40}/mod_${f}.py`, module(rand, lines, withLibvirt, f, xmlRand));
  }
  return { files: written, bytes, big: written.slice(0, bigFiles) };
}
