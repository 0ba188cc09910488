// Generated Python driver files for load tests: seeded, 100-300 lines each, with libvirt use
// that gives findings under the "old driver" policy below (min libvirt 1.0.0 / QEMU 2.0.0, one
// upstream job on libvirt 1.2.2 / QEMU 2.0.0): unguarded and class-C calls, weak and obsolete
// checks, gated code, an unknown constant, and plain filler code between them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const oldDriverPyproject = [
  '[project]',
  'name = "load-driver"',
  '',
  '[tool.libvirt-gate]',
  'min-version = "1.0.0"',
  'min-qemu-version = "2.0.0"',
  '',
  '[[tool.libvirt-gate.ci]]',
  'name = "gate"',
  'libvirt = "1.2.2"',
  'qemu = "2.0.0"',
  'kind = "upstream"',
  '',
].join('\n');

/** mulberry32: a small seeded PRNG, so a failing run can be replayed. */
export function prng(seed: number): { next(): number; int(n: number): number; pick<T>(items: readonly T[]): T } {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(items.length)] };
}

const methods: readonly ((n: number) => string[])[] = [
  (n) => [
    // LVG002 + LVG001: unguarded, and no CI job runs libvirt >= 1.2.14
    `    def addresses_${n}(self, dom):`,
    '        return dom.interfaceAddresses(0)',
  ],
  (n) => [
    // LVG001: checked, but the branch is class C
    `    def checked_addresses_${n}(self, dom):`,
    '        if self._host.has_min_version((1, 2, 14)):',
    '            return dom.interfaceAddresses(0)',
    '        return []',
  ],
  (n) => [
    // clean: checked and gated
    `    def gated_addresses_${n}(self, dom):`,
    '        if CONF.libvirt.enable_untested_features and self._host.has_min_version((1, 2, 14)):',
    '            return dom.interfaceAddresses(0)',
    '        return None',
  ],
  (n) => [
    // LVG003: the check is too weak for the call
    `    def weak_${n}(self, dom):`,
    '        if self._host.has_min_version((1, 0, 5)):',
    '            return dom.interfaceAddresses(0)',
    '        return []',
  ],
  (n) => [
    // LVG004: obsolete check, dead else branch
    `    def block_size_${n}(self, conf, size):`,
    '        if self._host.has_min_version((0, 10, 2)):',
    '            conf.logical_block_size = size',
    '        else:',
    '            LOG.warning("block size not supported")',
  ],
  (n) => [
    // LVG005: unknown constant
    `    def migrate_flags_${n}(self):`,
    '        return libvirt.VIR_MIGRATE_POST_COPY',
  ],
  (n) => [
    // fsFreeze: newer than the minimum
    `    def freeze_${n}(self, dom):`,
    '        dom.fsFreeze()',
  ],
];

function filler(n: number, rand: ReturnType<typeof prng>): string[] {
  const lines = [`    def helper_${n}(self, items):`, '        total = 0'];
  const body = 3 + rand.int(12);
  for (let i = 0; i < body; i++) {
    lines.push(
      rand.pick([
        '        total += len(items)',
        `        items = [x for x in items if x != ${i}]`,
        '        if not items:',
        '            return total',
        `        LOG.debug("step %d of ${n}", ${i})`,
        '        total = max(total, 1)',
      ]),
    );
  }
  lines.push('        return total');
  return lines;
}

/** One driver module of 100-300 lines; the same seed gives the same text. */
export function driverModule(seed: number): string {
  const rand = prng(seed);
  const target = 100 + rand.int(200);
  const lines = [
    '"""Generated libvirt driver module."""',
    'import libvirt',
    '',
    'from oslo_config import cfg',
    'from oslo_log import log as logging',
    '',
    'CONF = cfg.CONF',
    'LOG = logging.getLogger(__name__)',
    '',
    '',
    `class Driver${seed}(object):`,
    '    def __init__(self, host):',
    '        self._host = host',
  ];
  let n = 0;
  while (lines.length < target - 6) {
    lines.push('');
    n++;
    if (rand.int(3) === 0) lines.push(...filler(n, rand));
    else lines.push(...rand.pick(methods)(n));
  }
  lines.push('');
  return lines.join('\n');
}

/** A realpath'd temp workspace with the old-driver pyproject and `count` modules in drv/. */
export function generatedWorkspace(
  count: number,
  seed: number,
  prefix = 'lvg-load-',
): { root: string; files: { path: string; text: string }[] } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  fs.writeFileSync(path.join(root, 'pyproject.toml'), oldDriverPyproject);
  fs.mkdirSync(path.join(root, 'drv'));
  const files = Array.from({ length: count }, (_, i) => {
    const file = path.join(root, 'drv', `mod${String(i).padStart(2, '0')}.py`);
    const text = driverModule(seed * 1000 + i);
    fs.writeFileSync(file, text);
    return { path: file, text };
  });
  return { root, files };
}
