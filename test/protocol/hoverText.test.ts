// Exact hover texts from HoverFacts (pure; no server).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { hoverMarkdown } from '../../server/src/lsp/hoverText';
import { factsAt } from '../../server/src/engine/api';
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
    receiverVia: { kind: 'name-map', text: 'dom', range: r(42, 8, 11) },
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
      'Typed as `virDomain` by the receiver name map (setting `receivers`: `dom` → `virDomain`).',
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
    hoverMarkdown({ ...blockCopy, supportClass: 'C' }, onlyGate, { uri }).split('\n\n')[3],
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
      receiverVia: { kind: 'oldest-candidate', text: 'setMetadata', range: r(0, 4, 15) },
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

/** The hover facts of a version check (or a constant that holds one) at `range`, on a path of the policy's minimums. */
const checkFacts = (range: HoverFacts['range'], check: NonNullable<HoverFacts['check']>): HoverFacts => ({
  range,
  kind: 'check',
  interval: { libvirt: { lo: 1_000_000, hi: inf }, qemu: { lo: 2_000_000, hi: inf } },
  supportClass: 'A',
  gated: false,
  guards: [],
  check,
});

test('version check: version, jobs that pass it, both branches', () => {
  const facts = checkFacts(r(41, 11, 70), {
    axis: 'libvirt',
    version: 1_002_008,
    exact: false,
    thenInterval: { lo: 1_002_008, hi: inf },
    thenClass: 'B',
    elseInterval: { lo: 1_000_000, hi: 1_002_008 },
    elseClass: 'A',
  });
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

test('version check through a helper: named as the code calls it', () => {
  const facts = checkFacts(r(20, 7, 54), {
    axis: 'libvirt',
    version: 1_002_005,
    exact: false,
    helper: 'self._supports',
    thenInterval: { lo: 1_002_005, hi: inf },
    thenClass: 'B',
    elseInterval: { lo: 1_000_000, hi: 1_002_005 },
    elseClass: 'A',
  });
  assert.equal(
    hoverMarkdown(facts, policy, { uri }),
    [
      'Version check through `self._supports`: libvirt ≥ 1.2.5',
      'CI jobs that pass it: libvirt-latest = 1.2.9 (third-party).',
      'Then-branch: libvirt [1.2.5, ∞), class B.',
      'Else-branch: libvirt [1.0.0, 1.2.5), class A.',
    ].join('\n\n'),
  );
});

test('a check that enforces the minimum: its failing branch runs on no supported host, and it is not called obsolete', () => {
  const facts = checkFacts(r(9, 15, 62), {
    axis: 'libvirt',
    version: 1_000_000,
    exact: false,
    enforcesMinimum: true,
    thenInterval: { lo: 1_000_000, hi: inf },
    thenClass: 'A',
    elseInterval: { lo: 1_000_000, hi: 1_000_000 },
    elseClass: 'C',
  });
  assert.equal(
    hoverMarkdown(facts, policy, { uri }),
    [
      'Version check: libvirt ≥ 1.0.0',
      'CI jobs that pass it: gate: ubuntu-14.04 = 1.2.2 (upstream), libvirt-latest = 1.2.9 (third-party).',
      'Then-branch: libvirt [1.0.0, ∞), class A.',
      'Else-branch: runs on no supported host: libvirt 1.0.0 is the minimum, and this check enforces it: the code refuses to run below it.',
    ].join('\n\n'),
  );
});

test('runtime comparison `v < X`: negated; below the minimum its then-branch never runs', () => {
  const base = checkFacts(r(9, 11, 41), {
    axis: 'libvirt',
    version: 1_002_005,
    exact: false,
    negated: true,
    thenInterval: { lo: 1_000_000, hi: 1_002_005 },
    thenClass: 'A',
    elseInterval: { lo: 1_002_005, hi: inf },
    elseClass: 'B',
  });
  assert.equal(
    hoverMarkdown(base, policy, { uri }),
    [
      'Version check: libvirt < 1.2.5',
      'CI jobs that pass it: gate: ubuntu-14.04 = 1.2.2 (upstream).',
      'Then-branch: libvirt [1.0.0, 1.2.5), class A.',
      'Else-branch: libvirt [1.2.5, ∞), class B.',
    ].join('\n\n'),
  );
  const never: HoverFacts = {
    ...base,
    check: {
      ...base.check!,
      version: 9000,
      thenInterval: { lo: 1_000_000, hi: 9000 },
      elseInterval: { lo: 1_000_000, hi: inf },
    },
  };
  assert.equal(
    hoverMarkdown(never, policy, { uri }),
    [
      'Version check: libvirt < 0.9.0',
      'No CI job passes it.',
      'Then-branch: never runs: no supported host (libvirt ≥ 1.0.0, the minimum) passes the check.',
      'Else-branch: libvirt [1.0.0, ∞), class B.',
    ].join('\n\n'),
  );
  const notExactly: HoverFacts = { ...base, check: { ...base.check!, exact: true } };
  assert.match(hoverMarkdown(notExactly, policy, { uri }), /^Version check: libvirt ≠ 1\.2\.5\n/);
});

test('obsolete MIN_* constant on the QEMU axis: the else-branch never runs', () => {
  const facts: HoverFacts = {
    ...checkFacts(r(5, 0, 27), {
      axis: 'qemu',
      version: 1_005_003,
      exact: false,
      thenInterval: { lo: 2_000_000, hi: inf },
      thenClass: 'A',
      elseInterval: { lo: 2_000_000, hi: 1_005_003 },
      elseClass: 'A',
    }),
    kind: 'constant',
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

test("gate expression: its option's declaration, default and help; or that it is not declared", () => {
  const base: HoverFacts = {
    range: r(10, 12, 49),
    kind: 'gate',
    interval: { libvirt: { lo: 1_000_000, hi: inf }, qemu: { lo: 2_000_000, hi: inf } },
    supportClass: 'C',
    gated: true,
    guards: [],
  };
  const conf = 'file:///nova/conf/libvirt%20(opts).py';
  const declared: HoverFacts = {
    ...base,
    option: {
      group: 'libvirt',
      name: 'enable_untested_features',
      declaration: {
        uri: conf,
        range: r(41, 16, 42),
        type: 'BoolOpt',
        defaultText: 'False',
        help: '\nEnable code paths that upstream CI\ndoes not test (*class C*).\n\nUse at your own <risk>.\n',
      },
    },
  };
  const lines = (facts: HoverFacts, at = uri) =>
    hoverMarkdown(facts, policy, { uri: at, sourceText: 'CONF.libvirt.enable_untested_features' }).split('\n\n');
  assert.deepEqual(lines(declared).slice(0, 3), [
    'Opt-in gate `CONF.libvirt.enable_untested_features`: the code behind it runs only when the operator enables untested features.',
    'Option `[libvirt] enable_untested_features` (BoolOpt), default `False`; declared at [libvirt (opts).py:42](file:///nova/conf/libvirt%20%28opts%29.py#L42).',
    '> Enable code paths that upstream CI does not test (\\*class C\\*).\n>\n> Use at your own \\<risk\\>.',
  ]);
  assert.equal(lines(declared).length, 6);
  // Declared in the hovered file, on by default, no help.
  const here: HoverFacts = {
    ...base,
    option: {
      group: 'libvirt',
      name: 'x',
      declaration: { uri, range: r(3, 4, 7), type: 'BoolOpt', defaultText: 'True' },
    },
  };
  assert.equal(
    lines(here)[1],
    'Option `[libvirt] x` (BoolOpt), default `True`: the code behind it runs unless operators opt out (LVG009); declared at [line 4](file:///nova/virt/libvirt/driver.py#L4).',
  );
  assert.equal(
    lines(here)[2],
    'Support class C: no CI job runs libvirt ≥ 1.0.0 (gate: ubuntu-14.04 = 1.2.2, libvirt-latest = 1.2.9).',
  );
  const noDefault: HoverFacts = {
    ...base,
    option: { group: 'g', name: 'x', declaration: { uri, range: r(3, 4, 7), type: 'BoolOpt' } },
  };
  assert.match(lines(noDefault)[1] ?? '', /^Option `\[g\] x` \(BoolOpt\), no default \(None: off\); declared at /);
  const missing: HoverFacts = { ...base, option: { group: 'libvirt', name: 'enable_untested_features' } };
  assert.equal(
    lines(missing)[1],
    'Option `[libvirt] enable_untested_features` is not declared: no oslo.config option of the workspace has that name in that group (LVG008).',
  );
  // Long help is cut at a word, with an ellipsis.
  const long: HoverFacts = {
    ...base,
    option: {
      group: 'g',
      name: 'x',
      declaration: { uri, range: r(3, 4, 7), type: 'BoolOpt', defaultText: 'False', help: 'word '.repeat(200) },
    },
  };
  const quote = lines(long)[2] ?? '';
  assert.ok(quote.endsWith('word …') && quote.length < 620, quote);
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

// ---- why a receiver has its class (receiverVia) -------------------------------------------

const snapshotName = (receiverVia: NonNullable<HoverFacts['symbol']>['receiverVia']): HoverFacts => ({
  range: r(5, 10, 17),
  kind: 'symbol',
  symbol: {
    python: 'virDomainSnapshot.getName',
    cName: 'virDomainSnapshotGetName',
    since: 9_005,
    docsUrl: 'https://libvirt.org/s',
    ...(receiverVia ? { receiverVia } : {}),
  },
  interval: { libvirt: { lo: 1_000_000, hi: inf }, qemu: { lo: 2_000_000, hi: inf } },
  supportClass: 'A',
  gated: false,
  guards: [],
});

test('typed by a libvirt call: the assignment and its line', () => {
  const facts: HoverFacts = {
    ...snapshotName(undefined),
    symbol: {
      python: 'virDomain.fsFreeze',
      cName: 'virDomainFSFreeze',
      since: 1_002_005,
      docsUrl: 'https://libvirt.org/f',
      receiverVia: { kind: 'return-type', text: 'dom = conn.lookupByName(...)', range: r(11, 4, 39) },
    },
    interval: { libvirt: { lo: 1_002_005, hi: inf }, qemu: { lo: 2_000_000, hi: inf } },
  };
  assert.equal(
    hoverMarkdown(facts, policy, { uri }).split('\n\n')[1],
    'Typed as `virDomain` because `dom = conn.lookupByName(...)` at line 12.',
  );
});

test('typed by an annotation, by a unique method name; module members and ambiguous names have no typed line', () => {
  const annotated = snapshotName({ kind: 'annotation', text: 'snap: libvirt.virDomainSnapshot', range: r(2, 14, 44) });
  assert.equal(
    hoverMarkdown(annotated, policy, { uri }).split('\n\n')[1],
    'Typed as `virDomainSnapshot` because of the annotation `snap: libvirt.virDomainSnapshot` at line 3.',
  );
  const unique: HoverFacts = {
    ...snapshotName(undefined),
    symbol: {
      python: 'virDomain.migrate3',
      cName: 'virDomainMigrate3',
      since: 1_001_000,
      docsUrl: 'https://libvirt.org/m',
      receiverVia: { kind: 'unique-name', text: 'migrate3', range: r(5, 21, 29) },
    },
  };
  assert.equal(
    hoverMarkdown(unique, policy, { uri }).split('\n\n')[1],
    "Typed as `virDomain` because no other libvirt class defines `migrate3` (the receiver's type is not known).",
  );
  assert.match(hoverMarkdown(snapshotName(undefined), policy, { uri }).split('\n\n')[1], /^Runs here on libvirt/);
});

test('provenance: an object from a newer API runs only where that API ran, and the hover says why', () => {
  const facts: HoverFacts = {
    ...snapshotName({
      kind: 'return-type',
      text: 'for s in dom.listAllSnapshots()',
      range: r(4, 4, 35),
      producer: { python: 'virDomain.listAllSnapshots', since: 9_013 },
    }),
    interval: { libvirt: { lo: 9_013, hi: inf }, qemu: { lo: 2_000_000, hi: inf } },
  };
  const old: Policy = { ...policy, minLibvirt: 9_000 };
  const text = hoverMarkdown(facts, old, { uri }).split('\n\n');
  assert.equal(
    text[1],
    'Typed as `virDomainSnapshot` because `for s in dom.listAllSnapshots()` at line 5. It exists only where `virDomain.listAllSnapshots` (libvirt ≥ 0.9.13) ran.',
  );
  assert.equal(
    text[2],
    'Runs here on libvirt [0.9.13, ∞) because its object comes from `virDomain.listAllSnapshots` (libvirt ≥ 0.9.13).',
  );
  // Above the minimum anyway: nothing to say about the producer.
  assert.equal(
    hoverMarkdown(facts, policy, { uri }).split('\n\n')[1],
    'Typed as `virDomainSnapshot` because `for s in dom.listAllSnapshots()` at line 5.',
  );
});

test('an import guarded by try/except ImportError: protected, not tested', () => {
  const facts: HoverFacts = {
    range: r(1, 24, 44),
    kind: 'symbol',
    symbol: {
      python: 'libvirt.VIR_MIGRATE_POSTCOPY',
      cName: 'VIR_MIGRATE_POSTCOPY',
      since: 1_003_003,
      docsUrl: 'https://libvirt.org/p',
    },
    interval: { libvirt: { lo: 1_003_003, hi: inf }, qemu: { lo: 2_000_000, hi: inf } },
    supportClass: 'C',
    gated: false,
    guards: [{ kind: 'except-importerror', uri, range: r(0, 0, 30), text: 'try: ... except ImportError' }],
  };
  assert.equal(
    hoverMarkdown(facts, policy, { uri }).split('\n\n')[1],
    'Runs here on libvirt [1.3.3, ∞) because it needs libvirt ≥ 1.3.3. Protected by `try: ... except ImportError` at line 1: that keeps it from failing, not tested.',
  );
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
