// Benchmark (not a test): how the analysis of one file grows with the size of one dimension of
// it (functions, calls, checks, names, XML builder calls, ...). Each shape is analyzed at N and
// 4N (as the editor analyzes: hovers and lazy fixes); a ratio near 4 is linear, near 16
// quadratic. Shapes that grew worse than linear before a fix keep a row here, so that the
// regression shows as a ratio (see CHANGELOG: 50,000-element literals, 3,000-name chains).
//   npm run bench:scaling [-- --size N] [-- --only name]
import { analyzeDocument, initParser, WorkspaceIndex } from '../server/src/engine/api';
import { defaultPolicy } from '../server/src/config/defaults';
import { parseVersion } from '../server/src/data/version';

const argv = process.argv.slice(2);
const size = argv.includes('--size') ? Number(argv[argv.indexOf('--size') + 1]) : 1000;
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
const policy = { ...defaultPolicy, minLibvirt: parseVersion('1.0.0') ?? 0 };

const lines = (n: number, line: (i: number) => string): string => Array.from({ length: n }, (_, i) => line(i)).join('');
const disk = `<disk type='file' device='disk'><driver name='qemu' discard='unmap'/></disk>`;

const shapes: Record<string, (n: number) => string> = {
  'functions (each one call)': (n) => 'import libvirt\n' + lines(n, (i) => `def f${i}(dom):\n    dom.fsFreeze()\n`),
  'calls in one function': (n) => 'import libvirt\ndef f(dom):\n' + lines(n, () => '    dom.fsFreeze()\n'),
  'methods of one class': (n) =>
    'import libvirt\nclass C:\n    def __init__(self, conn):\n        self._conn = conn\n' +
    lines(n, (i) => `    def m${i}(self):\n        return self._conn.getCPUModelNames('x86')\n`),
  'version checks in one function': (n) =>
    'import libvirt\nMIN_LIBVIRT_X = (1, 2, 9)\ndef f(host, dom):\n' +
    lines(n, () => '    if host.has_min_version(MIN_LIBVIRT_X):\n        dom.fsFreeze()\n'),
  'obsolete checks in one function': (n) =>
    'import libvirt\nMIN_LIBVIRT_OLD = (0, 9, 0)\ndef f(host, dom):\n' +
    lines(n, () => '    if host.has_min_version(MIN_LIBVIRT_OLD):\n        dom.suspend()\n'),
  'gate uses in one function': (n) =>
    'import libvirt\nfrom nova.conf import CONF\ndef f(dom):\n' +
    lines(n, () => '    if CONF.libvirt.enable_untested_features:\n        dom.fsFreeze()\n'),
  'hasattr probes in one function': (n) =>
    'import libvirt\ndef f(dom):\n' +
    lines(n, () => "    if hasattr(libvirt, 'VIR_DOMAIN_AFFECT_LIVE'):\n        dom.fsFreeze()\n"),
  'version checks and-ed in one condition': (n) =>
    'import libvirt\ndef f(host, dom):\n    if (' +
    Array(n).fill('host.has_min_version((1, 2, 5))').join(' and\n            ') +
    '):\n        dom.fsFreeze()\n',
  'unknown operands or-ed with a check': (n) =>
    'import libvirt\ndef f(host, dom, x):\n    if (' +
    Array(n).fill('x').join(' or\n            ') +
    ' or not host.has_min_version((1, 2, 5))):\n        return\n    dom.fsFreeze()\n',
  'elif branches': (n) =>
    'import libvirt\ndef f(dom, x):\n    if x == 0:\n        pass\n' +
    lines(n, (i) => `    elif x == ${i + 1}:\n        dom.fsFreeze()\n`),
  'call sites of a local function': (n) =>
    'import libvirt\ndef g(dom):\n    dom.fsFreeze()\ndef f(dom):\n' + lines(n, () => '    g(dom)\n'),
  'names passed along (a1 = a0, ...)': (n) =>
    `import libvirt\ndef f(conn):\n    a0 = conn\n${lines(n, (i) => `    a${i + 1} = a${i}\n`)}    a${n}.getCPUModelNames('x')\n`,
  'imports from libvirt': (n) =>
    lines(n, (i) => `from libvirt import VIR_DOMAIN_AFFECT_LIVE as X${i}\n`) +
    'def f(dom):\n' +
    lines(n, (i) => `    dom.setMemoryFlags(1, X${i})\n`),
  'XML literal elements': (n) =>
    `def f():\n    return """<domain><devices>\n${Array(n).fill(disk).join('\n')}\n</devices></domain>"""\n`,
  'XML builder elements, one function': (n) =>
    'from lxml import etree\ndef f():\n    root = etree.Element("domain")\n    dev = etree.SubElement(root, "devices")\n' +
    lines(n, (i) => `    d${i} = etree.SubElement(dev, "disk", type="file")\n    d${i}.set("device", "disk")\n`),
  'XML builder, one name reassigned': (n) =>
    'from lxml import etree\ndef f():\n    root = etree.Element("domain")\n' +
    lines(n, () => '    el = etree.SubElement(root, "devices")\n    el.set("x", "y")\n'),
  'classes, each its own check style': (n) =>
    'import libvirt\n' +
    lines(
      n,
      (i) =>
        `class C${i}(object):\n    def ok(self):\n        return self._h${i}.has_min_version((1, 2, 5))\n` +
        '    def f(self, dom):\n        dom.fsFreeze()\n',
    ),
  'config objects set': (n) =>
    'class Disk(object):\n    root_name = "disk"\n    def format_dom(self):\n        from lxml import etree\n' +
    '        d = etree.Element(self.root_name)\n        if self.driver_discard:\n' +
    '            drv = etree.SubElement(d, "driver")\n            drv.set("discard", self.driver_discard)\n        return d\n' +
    'def f():\n' +
    lines(n, (i) => `    c${i} = Disk()\n    c${i}.driver_discard = "unmap"\n`),
  'config classes': (n) =>
    'from lxml import etree\n' +
    lines(
      n,
      (i) =>
        `class C${i}(object):\n    root_name = "disk"\n    def format_dom(self):\n        d = etree.Element(self.root_name)\n` +
        '        if self.discard:\n            d.set("discard", self.discard)\n        return d\n',
    ) +
    'def f():\n' +
    lines(n, (i) => `    c = C${i}()\n    c.discard = "unmap"\n`),
};

function time(text: string): { ms: number; hovers: number; fixes: number; notes: readonly string[] } {
  const uri = 'file:///scaling/driver.py';
  const index = new WorkspaceIndex();
  index.setFile(uri, text);
  const start = performance.now();
  const r = analyzeDocument({ uri, text }, index, policy, { paths: 'lazy', fixes: 'lazy' });
  // Hover facts are built when first read: the editor reads them, so they count.
  const hovers = r.hovers.length;
  // So are the fixes, which `check` builds for every finding (its JSON and SARIF list them).
  let fixes = 0;
  for (const f of r.findings) fixes += f.fixes.length;
  return { ms: performance.now() - start, hovers, fixes, notes: r.notes };
}

async function main(): Promise<void> {
  await initParser();
  time(shapes['functions (each one call)']?.(200) ?? ''); // warm the JIT up
  console.log(`libvirt-gate scaling: one file, each shape at N = ${size} and 4N (node ${process.version})\n`);
  console.log(`${'shape'.padEnd(36)}${'N ms'.padStart(9)}${'4N ms'.padStart(9)}${'ratio'.padStart(7)}  verdict`);
  for (const [name, shape] of Object.entries(shapes)) {
    if (only && !name.includes(only)) continue;
    const small = time(shape(size));
    const large = time(shape(size * 4));
    const ratio = large.ms / Math.max(small.ms, 0.1);
    const verdict = ratio < 6 ? 'linear' : ratio < 12 ? 'worse than linear' : 'quadratic or worse';
    const note = large.notes.length ? `  (note: ${large.notes.join('; ')})` : '';
    console.log(
      `${name.padEnd(36)}${small.ms.toFixed(0).padStart(9)}${large.ms.toFixed(0).padStart(9)}${ratio.toFixed(1).padStart(7)}  ${verdict}${note}`,
    );
  }
}

void main();
