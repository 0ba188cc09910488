// Exact hover texts from HoverFacts (pure; no server).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { hoverMarkdown, factsAt } from '../../server/src/lsp/hoverText';
import { defaultPolicy } from '../../server/src/config/defaults';
import type { Policy } from '../../server/src/config/policy';
import type { GuardFact, HoverFacts } from '../../server/src/engine/api';

const uri = 'file:///nova/virt/libvirt/driver.py';
const r = (line: number, a: number, b: number) => ({ start: { line, character: a }, end: { line, character: b } });
const inf = Infinity;

// The EXAMPLES.md policy, with the upstream job given as a preset.
const policy: Policy = {
  ...defaultPolicy,
  minLibvirt: 1_000_000,
  minQemu: 2_000_000,
  minLibvirtSource: 'config',
  minQemuSource: 'config',
  ci: [
    { name: 'gate', libvirt: 1_002_002, qemu: 2_000_000, kind: 'upstream', preset: 'ubuntu-14.04' },
    { name: 'libvirt-latest', libvirt: 1_002_009, qemu: 2_001_000, kind: 'third-party' },
  ],
};

const blockCopyCheck: GuardFact = {
  kind: 'version-check',
  uri,
  range: r(41, 11, 70),
  axis: 'libvirt',
  version: 1_002_008,
  text: 'self._host.has_min_version(MIN_LIBVIRT_BLOCKCOPY_VERSION)',
};

const blockCopy: HoverFacts = {
  range: r(42, 12, 21),
  kind: 'symbol',
  symbol: {
    python: 'virDomain.blockCopy',
    cName: 'virDomainBlockCopy',
    since: 1_002_008,
    docsUrl: 'https://libvirt.org/html/libvirt-libvirt-domain.html#virDomainBlockCopy',
    receiverVia: 'name-map',
  },
  interval: { libvirt: { lo: 1_002_008, hi: inf }, qemu: { lo: 2_000_000, hi: inf } },
  supportClass: 'B',
  gated: false,
  guards: [blockCopyCheck],
};

test('symbol, class B: names the third-party job', () => {
  assert.equal(
    hoverMarkdown(blockCopy, policy, { uri }),
    [
      '`virDomain.blockCopy` → C `virDomainBlockCopy`, since libvirt 1.2.8',
      'Runs here on libvirt [1.2.8, ∞) because of `has_min_version(MIN_LIBVIRT_BLOCKCOPY_VERSION)` at line 42.',
      'Support class B: only third-party CI runs it (libvirt-latest = 1.2.9); no upstream job runs libvirt ≥ 1.2.8.',
      'Runs on: Ubuntu 24.04, Debian 13, RHEL 9.6, RHEL 10.0; not on: Ubuntu 14.04.',
      'Gated: no.',
      '[libvirt documentation](https://libvirt.org/html/libvirt-libvirt-domain.html#virDomainBlockCopy)',
    ].join('\n\n'),
  );
});

test('symbol, class C: lists every CI job with its preset', () => {
  const onlyGate: Policy = { ...policy, ci: [policy.ci[0]] };
  assert.equal(
    hoverMarkdown({ ...blockCopy, supportClass: 'C' }, onlyGate, { uri }).split('\n\n')[2],
    'Support class C: no CI job runs libvirt ≥ 1.2.8 (gate: ubuntu-14.04 = 1.2.2).',
  );
});

test('symbol, class A, gated, unguarded use from the minimum, guard in another file', () => {
  const facts: HoverFacts = {
    range: r(3, 0, 5),
    kind: 'symbol',
    symbol: {
      python: 'virConnect.getCPUModelNames',
      cName: 'virConnectGetCPUModelNames',
      since: 1_001_003,
      docsUrl: 'https://libvirt.org/x',
    },
    interval: { libvirt: { lo: 1_000_000, hi: inf }, qemu: { lo: 2_000_000, hi: inf } },
    supportClass: 'A',
    gated: true,
    guards: [
      { kind: 'gate', uri, range: r(2, 8, 45), text: 'CONF.libvirt.enable_untested_features' },
      { kind: 'caller', uri: 'file:///nova/virt/libvirt/host.py', range: r(99, 4, 30), text: 'self._cpu_models()' },
    ],
  };
  assert.equal(
    hoverMarkdown(facts, policy, { uri }),
    [
      '`virConnect.getCPUModelNames` → C `virConnectGetCPUModelNames`, since libvirt 1.1.3',
      'Runs here on libvirt [1.1.3, ∞) because of `_cpu_models()` at host.py:100.',
      'Support class A: upstream CI runs it (gate: ubuntu-14.04 = 1.2.2).',
      'Runs on: Ubuntu 14.04, Ubuntu 24.04, Debian 13, RHEL 9.6, RHEL 10.0.',
      'Gated: yes (`CONF.libvirt.enable_untested_features`).',
      '[libvirt documentation](https://libvirt.org/x)',
    ].join('\n\n'),
  );
});

test('ambiguous name with an unknown receiver lists the candidates', () => {
  const facts: HoverFacts = {
    range: r(0, 4, 15),
    kind: 'symbol',
    symbol: {
      python: 'virDomain.setMetadata',
      cName: 'virDomainSetMetadata',
      since: 9_010,
      docsUrl: 'https://libvirt.org/d',
      receiverVia: 'oldest-candidate',
      candidates: [
        { python: 'virDomain.setMetadata', since: 9_010 },
        { python: 'virNetwork.setMetadata', since: 9_007_000 },
      ],
    },
    interval: { libvirt: { lo: 1_000_000, hi: inf }, qemu: { lo: 2_000_000, hi: inf } },
    supportClass: 'A',
    gated: false,
    guards: [],
  };
  const text = hoverMarkdown(facts, policy, { uri }).split('\n\n');
  assert.equal(
    text[1],
    'Runs here on libvirt [1.0.0, ∞): no version check narrows this path (minimum 1.0.0, from config).',
  );
  assert.equal(
    text[5],
    "The receiver's class is not known; candidates (the oldest counts):\n- `virDomain.setMetadata` since 0.9.10\n- `virNetwork.setMetadata` since 9.7.0",
  );
});

test('version check: version, jobs that pass it, both branches', () => {
  const facts: HoverFacts = {
    range: r(41, 11, 70),
    kind: 'check',
    interval: { libvirt: { lo: 1_000_000, hi: inf }, qemu: { lo: 2_000_000, hi: inf } },
    supportClass: 'A',
    gated: false,
    guards: [],
    check: {
      axis: 'libvirt',
      version: 1_002_008,
      exact: false,
      thenInterval: { lo: 1_002_008, hi: inf },
      thenClass: 'B',
      elseInterval: { lo: 1_000_000, hi: 1_002_008 },
      elseClass: 'A',
    },
  };
  assert.equal(
    hoverMarkdown(facts, policy, { uri }),
    [
      'Version check: libvirt ≥ 1.2.8',
      'CI jobs that pass it: libvirt-latest = 1.2.9 (third-party).',
      'Then-branch: libvirt [1.2.8, ∞), class B.',
      'Else-branch: libvirt [1.0.0, 1.2.8), class A.',
    ].join('\n\n'),
  );
});

test('obsolete MIN_* constant on the QEMU axis: the else-branch never runs', () => {
  const facts: HoverFacts = {
    range: r(5, 0, 27),
    kind: 'constant',
    interval: { libvirt: { lo: 1_000_000, hi: inf }, qemu: { lo: 2_000_000, hi: inf } },
    supportClass: 'A',
    gated: false,
    guards: [],
    check: {
      axis: 'qemu',
      version: 1_005_003,
      exact: false,
      thenInterval: { lo: 2_000_000, hi: inf },
      thenClass: 'A',
      elseInterval: { lo: 2_000_000, hi: 1_005_003 },
      elseClass: 'A',
    },
  };
  assert.equal(
    hoverMarkdown(facts, policy, { uri, sourceText: 'MIN_QEMU_OLD_VERSION' }),
    [
      'Version constant `MIN_QEMU_OLD_VERSION`: QEMU ≥ 1.5.3',
      'CI jobs that pass it: gate: ubuntu-14.04 = 2.0.0 (upstream), libvirt-latest = 2.1.0 (third-party).',
      'Then-branch: QEMU [2.0.0, ∞), class A.',
      'Else-branch: never runs: every supported host has QEMU ≥ 2.0.0 (the minimum), so the check is obsolete.',
    ].join('\n\n'),
  );
});

test('gate expression: what it is, and whether the path still needs it', () => {
  const facts: HoverFacts = {
    range: r(10, 12, 49),
    kind: 'gate',
    interval: { libvirt: { lo: 1_001_003, hi: inf }, qemu: { lo: 2_000_000, hi: inf } },
    supportClass: 'A',
    gated: true,
    guards: [],
  };
  assert.equal(
    hoverMarkdown(facts, policy, { uri, sourceText: 'CONF.libvirt.enable_untested_features' }),
    [
      'Opt-in gate `CONF.libvirt.enable_untested_features`: the code behind it runs only when the operator enables untested features.',
      'Support class A: upstream CI runs it (gate: ubuntu-14.04 = 1.2.2).',
      'Runs on: Ubuntu 14.04, Ubuntu 24.04, Debian 13, RHEL 9.6, RHEL 10.0.',
      'The gate is no longer needed here: upstream CI tests this path.',
    ].join('\n\n'),
  );
  const qemuPath: HoverFacts = {
    ...facts,
    interval: { libvirt: { lo: 1_000_000, hi: inf }, qemu: { lo: 2_005_000, hi: inf } },
    supportClass: 'C',
  };
  assert.deepEqual(hoverMarkdown(qemuPath, policy, { uri, sourceText: 'CONF.x' }).split('\n\n').slice(1), [
    'Support class C: no CI job runs QEMU ≥ 2.5.0 (gate: ubuntu-14.04 = 2.0.0, libvirt-latest = 2.1.0).',
    'Runs on: Ubuntu 24.04, Debian 13, RHEL 9.6, RHEL 10.0; not on: Ubuntu 14.04.',
    'The gate is still needed: no upstream CI job tests this path.',
  ]);
});

test('factsAt picks the innermost range containing the position, end exclusive', () => {
  const outer: HoverFacts = { ...blockCopy, range: r(1, 0, 40), kind: 'check' };
  const inner: HoverFacts = { ...blockCopy, range: r(1, 10, 20) };
  assert.equal(factsAt([outer, inner], { line: 1, character: 12 }), inner);
  assert.equal(factsAt([outer, inner], { line: 1, character: 20 }), outer);
  assert.equal(factsAt([outer, inner], { line: 1, character: 40 }), undefined);
});

test('a symbol newer than its check, protected by hasattr: why its interval starts there', () => {
  const facts: HoverFacts = {
    range: r(19, 29, 49),
    kind: 'symbol',
    symbol: {
      python: 'libvirt.VIR_MIGRATE_POSTCOPY',
      cName: 'VIR_MIGRATE_POSTCOPY',
      since: 1_003_003,
      docsUrl: 'https://libvirt.org/p',
      receiverVia: 'module',
    },
    interval: { libvirt: { lo: 1_003_003, hi: inf }, qemu: { lo: 2_000_000, hi: inf } },
    supportClass: 'C',
    gated: false,
    guards: [{ kind: 'hasattr', uri, range: r(18, 11, 50), text: "hasattr(libvirt, 'VIR_MIGRATE_POSTCOPY')" }],
  };
  const text = hoverMarkdown(facts, policy, { uri }).split('\n\n');
  assert.equal(
    text[1],
    "Runs here on libvirt [1.3.3, ∞) because it needs libvirt ≥ 1.3.3. Protected by `hasattr(libvirt, 'VIR_MIGRATE_POSTCOPY')` at line 19: that keeps it from failing, not tested.",
  );
});

test('distributions: the CI presets and the configured distros; below the minimum apart; none for dead code', () => {
  // A Nova-like policy: minimum 8.0.0 / 6.2.0, upstream CI on Ubuntu 24.04, hovers naming RHEL too.
  const nova: Policy = {
    ...defaultPolicy,
    distros: ['rhel-9.6', 'ubuntu-22.04', 'debian-11', 'rhel-10.0', 'rhel-9.6'],
  };
  const path = (lo: number, hi: number, qemuLo = 6_002_000, qemuHi = inf): HoverFacts => ({
    range: r(10, 12, 49),
    kind: 'gate',
    interval: { libvirt: { lo, hi }, qemu: { lo: qemuLo, hi: qemuHi } },
    supportClass: 'A',
    gated: true,
    guards: [],
  });
  const line = (facts: HoverFacts, p: Policy = nova): string =>
    hoverMarkdown(facts, p, { uri, sourceText: 'CONF.x' }).split('\n\n')[2];
  // The whole supported range: every release at or above the minimum runs it; Debian 11 (7.0.0) is below it.
  assert.equal(
    line(path(8_000_000, inf)),
    'Runs on: Ubuntu 22.04, Ubuntu 24.04, RHEL 9.6, RHEL 10.0; below the minimum: Debian 11.',
  );
  // The then-branch of a 10.5.0 check, and its else-branch.
  assert.equal(
    line(path(10_005_000, inf)),
    'Runs on: RHEL 9.6, RHEL 10.0; not on: Ubuntu 22.04, Ubuntu 24.04; below the minimum: Debian 11.',
  );
  assert.equal(
    line(path(8_000_000, 10_005_000)),
    'Runs on: Ubuntu 22.04, Ubuntu 24.04; not on: RHEL 9.6, RHEL 10.0; below the minimum: Debian 11.',
  );
  // A QEMU-narrowed path: libvirt alone would not exclude Ubuntu 24.04 (QEMU 8.2.2).
  assert.equal(
    line(path(8_000_000, inf, 9_000_000)),
    'Runs on: RHEL 9.6, RHEL 10.0; not on: Ubuntu 22.04, Ubuntu 24.04; below the minimum: Debian 11.',
  );
  assert.equal(
    line(path(12_000_000, inf)),
    'Runs on none of the listed releases; not on: Ubuntu 22.04, Ubuntu 24.04, RHEL 9.6, RHEL 10.0; below the minimum: Debian 11.',
  );
  // Dead code runs nowhere: no line at all.
  assert.equal(line(path(10_000_000, 9_000_000)), 'The gate is no longer needed here: upstream CI tests this path.');
  // distros = []: only the CI jobs' presets; a job without a preset names no release.
  assert.equal(line(path(8_000_000, inf), { ...nova, distros: [] }), 'Runs on: Ubuntu 24.04.');
  const custom: Policy = { ...nova, distros: [], ci: [{ name: 'gate', libvirt: 10_000_000, kind: 'upstream' }] };
  assert.equal(line(path(8_000_000, inf), custom), 'The gate is no longer needed here: upstream CI tests this path.');
});

test('XML feature: path, versions on both axes, how it is written, the paths it may also mean, docs', () => {
  const facts: HoverFacts = {
    range: r(30, 20, 26),
    kind: 'xml',
    xml: {
      xpath: 'domain/features/kvm/hidden',
      path: 'domain/features/kvm/hidden',
      since: 1_002_008,
      dated: true,
      qemuSince: 2_001_000,
      scope: 'QEMU',
      evidence: 'formatdomain.rst:2189 ":since:`1.2.8 (QEMU 2.1.0)`"',
      docsUrl: 'https://libvirt.org/formatdomain.html',
      otherPaths: 2,
      via: 'builder',
    },
    interval: { libvirt: { lo: 1_002_008, hi: inf }, qemu: { lo: 2_001_000, hi: inf } },
    supportClass: 'B',
    gated: false,
    guards: [blockCopyCheck],
  };
  assert.equal(
    hoverMarkdown(facts, policy, { uri }),
    [
      'libvirt XML `domain/features/kvm/hidden`, since libvirt 1.2.8 and QEMU 2.1.0; documented for QEMU',
      'Runs here on libvirt [1.2.8, ∞) and QEMU [2.1.0, ∞) because of `has_min_version(MIN_LIBVIRT_BLOCKCOPY_VERSION)` at line 42.',
      'Support class B: only third-party CI runs it (libvirt-latest = 1.2.9); no upstream job runs libvirt ≥ 1.2.8.',
      'Runs on: Ubuntu 24.04, Debian 13, RHEL 9.6, RHEL 10.0; not on: Ubuntu 14.04.',
      'Gated: no.',
      'Written by an ElementTree/lxml call. The code could also mean 2 other paths (its outer elements are not in view); the oldest counts.',
      'Documented in libvirt 11.3.0: formatdomain.rst:2189 ":since:\'1.2.8 (QEMU 2.1.0)\'"',
      '[libvirt documentation](https://libvirt.org/formatdomain.html)',
    ].join('\n\n'),
  );
  const undated = hoverMarkdown(
    {
      ...facts,
      xml: { ...facts.xml!, xpath: 'domain/clock', path: 'domain/clock', since: 0, dated: false, otherPaths: 0 },
    },
    policy,
    { uri },
  ).split('\n\n');
  assert.equal(
    undated[0],
    'libvirt XML `domain/clock`, no libvirt version documented (always available) and QEMU 2.1.0; documented for QEMU',
  );
});
