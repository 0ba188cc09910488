// The support matrix module on hand-made paths: grouping by feature, order, CI and release
// columns across configs, findings on no path, and what each format makes of it (escaping,
// n/a cells, the HTML's CSP, its offline-ness, webview mode, the chart's cap and QEMU chart).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { defaultPolicy } from '../../server/src/config/defaults';
import type { Policy } from '../../server/src/config/policy';
import type { GuardFact, PathFacts, SymbolFacts } from '../../server/src/engine/api';
import { maxChartLanes } from '../../server/src/matrix/matrixChart';
import { buildMatrix, configuredDistros, linesOf, type MatrixFileInput } from '../../server/src/matrix/matrixData';
import { formatMatrixHtml } from '../../server/src/matrix/matrixHtml';
import { formatMatrixJson } from '../../server/src/matrix/matrixJson';
import { formatMatrixMarkdown, formatMatrixText } from '../../server/src/matrix/matrixText';
import { v } from '../support/examplePolicy';

const policyA: Policy = {
  ...defaultPolicy,
  minLibvirt: v('8.0.0'),
  minQemu: v('6.2.0'),
  ci: [{ name: 'gate', libvirt: v('10.0.0'), qemu: v('8.2.2'), kind: 'upstream' }],
};
const policyB: Policy = {
  ...policyA,
  minLibvirt: v('9.0.0'),
  ci: [{ name: 'nightly', libvirt: v('11.3.0'), qemu: v('10.0.13'), kind: 'third-party' }],
};

const range = (line: number, from: number, to: number) => ({
  start: { line, character: from },
  end: { line, character: to },
});

function guard(text: string, kind: GuardFact['kind'] = 'version-check', version?: string): GuardFact {
  return {
    kind,
    uri: 'file:///w/a.py',
    range: range(0, 0, text.length),
    text,
    ...(version ? { version: v(version), axis: 'libvirt' as const } : {}),
  };
}

function symbol(python: string, since: string): SymbolFacts {
  return { python, cName: python, since: v(since), docsUrl: '' };
}

function path(p: Partial<PathFacts> & Pick<PathFacts, 'kind'>, line: number): PathFacts {
  return {
    range: range(line, 4, 10),
    lines: { start: line, end: line },
    interval: { libvirt: { lo: v('8.0.0'), hi: Infinity }, qemu: { lo: v('6.2.0'), hi: Infinity } },
    supportClass: 'A',
    jobs: [],
    gated: false,
    protected: false,
    guards: [],
    findings: [],
    ...p,
  };
}

function file(name: string, policy: Policy, paths: PathFacts[], findingCodes: string[] = []): MatrixFileInput {
  const text = Array.from({ length: 20 }, (_, i) => `    line ${i + 1} of ${name}`).join('\n');
  return { file: name, uri: `file:///w/${name}`, lineText: linesOf(text), policy, paths, findingCodes };
}

const newer = { libvirt: { lo: v('10.2.0'), hi: Infinity }, qemu: { lo: v('6.2.0'), hi: Infinity } };

test('buildMatrix: features by MIN_* constant, check expression, gate and symbol, in a stable order', () => {
  const m = buildMatrix([
    file('b.py', policyA, [
      path(
        { kind: 'use', symbol: symbol('virDomain.graphicsReload', '10.2.0'), interval: newer, supportClass: 'C' },
        9,
      ),
      path({ kind: 'if', guard: guard('CONF.libvirt.enable_untested_features', 'gate'), gated: true }, 3),
      path(
        { kind: 'if', guard: guard('self._host.has_min_version(MIN_LIBVIRT_X_VERSION)', 'version-check', '10.2.0') },
        5,
      ),
    ]),
    file('a.py', policyA, [
      path(
        { kind: 'else', guard: guard('self._host.has_min_version(MIN_LIBVIRT_X_VERSION)', 'version-check', '10.2.0') },
        7,
      ),
      path({ kind: 'if', guard: guard('self._host.has_min_version((9, 1, 0))', 'version-check', '9.1.0') }, 2),
      path(
        {
          kind: 'if',
          guard: { ...guard('has_min_version(MIN_LV_Q, MIN_QEMU_Q)', 'version-check', '7.0.0'), axis: 'qemu' },
        },
        4,
      ),
      path({ kind: 'use', symbol: symbol('libvirt.VIR_DOMAIN_SAVE_PARAM_FILE', '8.4.0') }, 11),
    ]),
  ]);
  assert.deepEqual(
    m.features.map((f) => [f.id, f.kind, f.axis, f.rows.map((r) => `${r.file}:${r.range.start.line + 1} ${r.kind}`)]),
    [
      ['check:has_min_version((9, 1, 0))', 'check', 'libvirt', ['a.py:3 if']],
      ['check:MIN_LIBVIRT_X_VERSION', 'check', 'libvirt', ['a.py:8 else', 'b.py:6 if']],
      ['check:MIN_LV_Q, MIN_QEMU_Q', 'check', 'qemu', ['a.py:5 if']],
      ['gate:CONF.libvirt.enable_untested_features', 'gate', null, ['b.py:4 if']],
      ['symbol:libvirt.VIR_DOMAIN_SAVE_PARAM_FILE', 'symbol', 'libvirt', ['a.py:12 use']],
      ['symbol:virDomain.graphicsReload', 'symbol', 'libvirt', ['b.py:10 use']],
    ],
  );
  assert.equal(m.features[1].rows[0].code, 'line 8 of a.py');
  // Guards: the file of the matrix's input when known, else as the caller shows URIs.
  const guarded = buildMatrix(
    [
      file('a.py', policyA, [
        path(
          {
            kind: 'use',
            symbol: symbol('x.y', '10.2.0'),
            guards: [
              guard('self._host.has_min_version(MIN_X)', 'version-check', '10.2.0'),
              { ...guard('self._supports_x()', 'helper', '10.2.0'), uri: 'file:///w/helpers.py' },
            ],
          },
          3,
        ),
      ]),
    ],
    { displayUri: (uri) => `shown:${uri.slice('file:///w/'.length)}` },
  );
  assert.deepEqual(
    (JSON.parse(formatMatrixJson(guarded, '9.9.9')) as { features: { paths: { guards: unknown }[] }[] }).features[0]
      .paths[0].guards,
    [
      { file: 'a.py', line: 1, kind: 'version-check', version: '10.2.0', text: 'self._host.has_min_version(MIN_X)' },
      { file: 'shown:helpers.py', line: 1, kind: 'helper', version: '10.2.0', text: 'self._supports_x()' },
    ],
  );
  assert.ok(
    formatMatrixHtml(guarded, { toolVersion: '9.9.9' }).includes(
      '<td title="guards: self._host.has_min_version(MIN_X) (version-check, a.py:1); self._supports_x() (helper, shown:helpers.py:1)">use</td>',
    ),
  );
  assert.deepEqual(m.summary, {
    paths: 7,
    features: 6,
    byClass: { A: 6, B: 0, C: 1 },
    gated: 1,
    withFindings: 0,
    findingsElsewhere: {},
  });
});

test('buildMatrix: CI columns of every config (a job of another config is n/a), releases, findings elsewhere', () => {
  const m = buildMatrix(
    [
      file(
        'a.py',
        policyA,
        [
          path(
            {
              kind: 'use',
              symbol: symbol('x.y', '10.2.0'),
              interval: newer,
              jobs: [],
              findings: ['LVG001'],
              supportClass: 'C',
            },
            1,
          ),
        ],
        ['LVG001', 'LVG005', 'LVG004'],
      ),
      file(
        'b.py',
        policyB,
        [
          path(
            { kind: 'use', symbol: symbol('x.y', '10.2.0'), interval: newer, jobs: ['nightly'], supportClass: 'B' },
            1,
          ),
        ],
        ['LVG005'],
      ),
    ],
    { distros: ['ubuntu-24.04', 'debian-13', 'ubuntu-20.04', 'debian-13', 'no-such-release'] },
  );
  assert.deepEqual(
    m.jobs.map((j) => j.name),
    ['gate', 'nightly'],
  );
  assert.deepEqual(
    m.distros.map((d) => [d.id, d.belowMinimum]),
    [
      ['ubuntu-24.04', false],
      ['debian-13', false],
      ['ubuntu-20.04', true],
    ],
  );
  assert.deepEqual(
    m.features[0].rows.map((r) => [r.file, r.ci, r.distros]),
    [
      ['a.py', { gate: false }, { 'ubuntu-24.04': false, 'debian-13': true, 'ubuntu-20.04': false }],
      ['b.py', { nightly: true }, { 'ubuntu-24.04': false, 'debian-13': true, 'ubuntu-20.04': false }],
    ],
  );
  assert.deepEqual(m.minimum, { libvirt: v('8.0.0'), qemu: v('6.2.0') });
  assert.equal(m.minimums, 2);
  assert.deepEqual(m.summary.findingsElsewhere, { LVG004: 1, LVG005: 2 });

  const text = formatMatrixText(m, { color: false });
  assert.equal(
    text,
    [
      'libvirt-gate support matrix: 2 version-dependent paths in 1 feature, 2 files',
      'minimum libvirt 8.0.0, QEMU 6.2.0 (the lowest of 2 configs); CI: gate (upstream: libvirt 10.0.0, QEMU 8.2.2); nightly (third-party: libvirt 11.3.0, QEMU 10.0.13)',
      'class A: 0, B: 1, C: 1; 0 gated; 1 with findings',
      '',
      '  location  path  libvirt   QEMU     gate  nightly  ubuntu-24.04  debian-13  ubuntu-20.04  class  gated  findings',
      'x.y (symbol, since libvirt 10.2.0)',
      '  a.py:2    use   ≥ 10.2.0  ≥ 6.2.0  no    n/a      no            yes        no            C      no     LVG001',
      '  b.py:2    use   ≥ 10.2.0  ≥ 6.2.0  n/a   yes      no            yes        no            B      no',
      '',
      '3 findings on no version-dependent path (LVG004: 1, LVG005: 2): see libvirt-gate check',
      '',
    ].join('\n'),
  );
  const doc = JSON.parse(formatMatrixJson(m, '9.9.9')) as { features: { paths: { ci: unknown }[] }[] };
  assert.deepEqual(
    doc.features[0].paths.map((p) => p.ci),
    [{ gate: false }, { nightly: true }],
  );
  assert.ok(
    formatMatrixMarkdown(m).includes('| `b.py:2` | use | ≥ 10.2.0 | ≥ 6.2.0 | n/a | ✓ | — | ✓ | — | B | no |  |'),
  );
});

test('configuredDistros: only releases a config names; the built-in list is the hovers, not columns', () => {
  assert.deepEqual(configuredDistros([defaultPolicy, policyA]), []);
  assert.deepEqual(
    configuredDistros([
      { ...policyA, distros: ['debian-12', 'rhel-9.6'] },
      { ...policyB, distros: ['rhel-9.6', 'ubuntu-22.04'] },
    ]),
    ['debian-12', 'rhel-9.6', 'ubuntu-22.04'],
  );
});

test('markdown and HTML escape what the workspace wrote: pipes, markup, quotes', () => {
  const hostile = 'we|ird<script>".py';
  const input = file(hostile, policyA, [
    path({ kind: 'use', symbol: symbol('virDomain.a|b', '10.2.0'), interval: newer }, 0),
  ]);
  const m = buildMatrix([{ ...input, lineText: () => 'x = "</script><img src=x onerror=alert(1)>" | y' }]);
  const md = formatMatrixMarkdown(m);
  assert.ok(md.includes('| `virDomain.a\\|b` (symbol, since libvirt 10.2.0) | `we\\|ird<script>".py:1` | use |'), md);
  const html = formatMatrixHtml(m, { toolVersion: '9.9.9' });
  assert.ok(!html.includes('<img'));
  assert.ok(!html.includes('we|ird<script>'));
  assert.ok(html.includes('data-file="we|ird&#60;script&#62;&#34;.py" data-line="1"'));
  assert.ok(html.includes('<code>x = &#34;&#60;/script&#62;&#60;img src=x onerror=alert(1)&#62;&#34; | y</code>'));
  assert.equal((html.match(/<\/script>/g) ?? []).length, 1);
});

test('HTML: self-contained, a CSP that allows only its own style and script, light and dark, theme variables', () => {
  const m = buildMatrix([
    file('a.py', policyA, [path({ kind: 'use', symbol: symbol('x.y', '10.2.0'), interval: newer }, 0)]),
  ]);
  const html = formatMatrixHtml(m, { toolVersion: '9.9.9' });
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
  const sha = (s: string): string => createHash('sha256').update(s, 'utf8').digest('base64');
  assert.ok(
    html.includes(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-${sha(style)}'; script-src 'sha256-${sha(script)}'; base-uri 'none'; form-action 'none'">`,
    ),
  );
  // Nothing loads from anywhere: no src/href attributes, no CSS url() or @import, no URL but the SVG namespace.
  assert.deepEqual(html.match(/\s(src|href)=/g), null);
  assert.ok(!/url\(|@import|@font-face/.test(html));
  assert.deepEqual([...new Set(html.match(/https?:\/\/[^\s"')<]+/g))], ['http://www.w3.org/2000/svg']);
  assert.ok(style.includes('@media (prefers-color-scheme: dark)'));
  assert.ok(style.includes('--lvg-class-c: var(--vscode-charts-red, #cf222e);'));
  assert.ok(!/ style=/.test(html), 'no inline style attributes (the CSP forbids them)');
  assert.ok(!html.includes('data-uri='), 'a file report does not carry absolute URIs');
  // The script parses (it runs in the browser; matrixScript.test.ts runs it on a fake page).
  assert.doesNotThrow(() => new Function(script));

  const web = formatMatrixHtml(m, {
    toolVersion: '9.9.9',
    webview: { nonce: 'N0nce', cspSource: 'vscode-webview://abc' },
  });
  assert.ok(
    web.includes(
      `content="default-src 'none'; style-src vscode-webview://abc 'nonce-N0nce'; script-src 'nonce-N0nce'; base-uri 'none'; form-action 'none'"`,
    ),
  );
  assert.ok(web.includes('<style nonce="N0nce">') && web.includes('<script nonce="N0nce">'));
  assert.ok(
    web.includes(
      '<tr data-file="a.py" data-line="1" data-column="5" data-end-line="1" data-end-column="11" data-class="A" data-gated="no" data-findings="" data-uri="file:///w/a.py" tabindex="0">',
    ),
  );
});

test('HTML chart: one lane per feature up to the cap, with a note; a QEMU chart only for QEMU-dependent paths', () => {
  const many = Array.from({ length: maxChartLanes + 1 }, (_, i) =>
    path(
      { kind: 'use', symbol: symbol(`virDomain.m${String(i).padStart(3, '0')}`, '10.2.0'), interval: newer },
      i % 20,
    ),
  );
  const html = formatMatrixHtml(buildMatrix([file('a.py', policyA, many)]), { toolVersion: '9.9.9' });
  assert.equal((html.match(/<g class="lane"/g) ?? []).length, maxChartLanes);
  assert.ok(html.includes(`The chart shows the first ${maxChartLanes} of ${maxChartLanes + 1} features`));
  assert.ok(!html.includes('<h2>QEMU versions</h2>'));
  assert.equal((html.match(/<tr data-file=/g) ?? []).length, maxChartLanes + 1);

  const qemu = path(
    {
      kind: 'if',
      guard: { ...guard('has_min_version(hv_ver=MIN_QEMU_X_VERSION)', 'version-check', '7.0.0'), axis: 'qemu' },
      interval: { libvirt: { lo: v('8.0.0'), hi: Infinity }, qemu: { lo: v('7.0.0'), hi: Infinity } },
    },
    3,
  );
  const both = formatMatrixHtml(buildMatrix([file('a.py', policyA, [qemu])]), { toolVersion: '9.9.9' });
  assert.ok(both.includes('<h2>libvirt versions</h2>') && both.includes('<h2>QEMU versions</h2>'));
  // The job's line sits in the middle of its version's slot, labelled with its name.
  assert.match(both, /<g class="marker job"><title>CI job gate \(upstream\): QEMU 8\.2\.2<\/title>/);
});
