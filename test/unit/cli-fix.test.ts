// libvirt-gate check --fix / --diff / --baseline / --write-baseline.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { applyRound, fixDocument } from '../../server/src/cli/fix';
import type { Finding, Fix } from '../../server/src/engine/api';
import { assertGolden, copyTree, projectDir, readTree, run, tempDir } from '../cli/harness';

function changedFiles(copy: string): Record<string, string> {
  const before = readTree(projectDir);
  const after = readTree(copy);
  return Object.fromEntries(Object.entries(after).filter(([rel, text]) => before[rel] !== text));
}

test('--fix applies safe fixes only and reports what remains', async () => {
  const copy = copyTree(projectDir);
  const r = await run(['check', '--fix', '--select', 'LVG003,LVG004,LVG005'], { cwd: copy });
  assert.equal(r.status, 1);
  assert.equal(
    r.stdout,
    [
      'driver/blockjob.py:10:29: LVG003 libvirt.VIR_DOMAIN_BLOCK_REBASE_RELATIVE needs libvirt 1.2.7, but the version check only ensures libvirt 1.1.1: it fails on hosts in between [since 1.2.7]',
      'driver/migration.py:5:11: LVG005 libvirt.VIR_MIGRATE_POST_COPY is not defined by any libvirt version up to 12.3.0; did you mean VIR_MIGRATE_POSTCOPY?',
      '6 files checked, 2 findings (LVG003: 1, LVG005: 1) in 0.00 s',
      '1 fix applied in 1 file',
      '',
    ].join('\n'),
  );
  const changed = changedFiles(copy);
  assert.deepEqual(Object.keys(changed), ['driver/blockjob.py']);
  assertGolden('fix-safe/driver/blockjob.py', changed['driver/blockjob.py']);
  // Nothing left to fix: a second run changes nothing.
  const again = await run(['check', '--fix', '--select', 'LVG003,LVG004,LVG005'], { cwd: copy });
  assert.match(again.stdout, /\n0 fixes applied in 0 files\n$/);
  assert.deepEqual(
    fs.readdirSync(path.join(copy, 'driver')).filter((n) => n.endsWith('.tmp')),
    [],
  );
});

test('--fix --unsafe-fixes: rounds until nothing changes', async () => {
  const copy = copyTree(projectDir);
  const r = await run(['check', '--fix', '--unsafe-fixes'], { cwd: copy });
  const changed = changedFiles(copy);
  assert.deepEqual(Object.keys(changed), ['driver/addresses.py', 'driver/blockjob.py', 'driver/migration.py']);
  for (const [rel, text] of Object.entries(changed)) assertGolden(`fix-unsafe/${rel}`, text);
  assertGolden('fix-unsafe/report.txt', r.stdout);
});

test('--diff prints a patch and writes nothing', async () => {
  const copy = copyTree(projectDir);
  const r = await run(['check', '--diff', '--unsafe-fixes'], { cwd: copy });
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'would apply 9 fixes in 3 files\n');
  assertGolden('project.diff', r.stdout);
  assert.deepEqual(changedFiles(copy), {});
  const clean = await run(['check', '--diff', 'driver/clean.py'], { cwd: copy });
  assert.deepEqual(clean, { status: 0, stdout: '', stderr: 'would apply 0 fixes in 0 files\n' });
});

test('--fix keeps the BOM and CRLF line endings', async () => {
  const source =
    'import libvirt\r\n\r\nMIN_LIBVIRT_BLOCKIO_VERSION = (0, 10, 2)\r\n\r\n\r\ndef set_block_size(host, conf, size):\r\n    if host.has_min_version(MIN_LIBVIRT_BLOCKIO_VERSION):\r\n        conf.logical_block_size = size\r\n    else:\r\n        LOG.warning("no")\r\n';
  const root = tempDir({
    'a.py': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(source)]),
    '.libvirt-gate.toml': 'min-version = "1.0.0"\n',
  });
  const r = await run(['check', '--fix'], { cwd: root });
  assert.match(r.stdout, /1 fix applied in 1 file\n$/);
  const bytes = fs.readFileSync(path.join(root, 'a.py'));
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.equal(
    bytes.subarray(3).toString(),
    'import libvirt\r\n\r\n\r\ndef set_block_size(host, conf, size):\r\n    conf.logical_block_size = size\r\n',
  );
});

const at = (line: number, character: number) => ({ line, character });
function finding(code: string, fixes: Fix[]): Finding {
  const interval = { lo: 0, hi: Infinity };
  return {
    code,
    severity: 'warning',
    range: { start: at(0, 0), end: at(0, 1) },
    message: code,
    messageId: 'test',
    data: {},
    interval: { libvirt: interval, qemu: interval },
    guards: [],
    related: [],
    unnecessary: [],
    fixes,
  };
}
function fix(
  title: string,
  safe: boolean,
  edits: [number, number, number, number, string][],
  kind: Fix['kind'] = 'rename',
  preferred = false,
): Fix {
  return {
    title,
    safe,
    preferred,
    kind,
    edits: edits.map(([l1, c1, l2, c2, newText]) => ({ range: { start: at(l1, c1), end: at(l2, c2) }, newText })),
  };
}

test('one round: non-overlapping fixes only; suppressions and unsafe fixes skipped', () => {
  const text = 'aaa bbb ccc\nddd\n';
  const findings = [
    finding('LVG005', [
      fix('suppress', true, [[0, 11, 0, 11, '  # no']], 'suppress'),
      fix('A', true, [[0, 0, 0, 3, 'AAA']]),
    ]),
    finding('LVG005', [fix('overlaps A', true, [[0, 2, 0, 5, 'X']])]),
    finding('LVG005', [fix('touches A', true, [[0, 3, 0, 3, '!']])]),
    finding('LVG005', [fix('unsafe', false, [[0, 8, 0, 11, 'CCC']])]),
    finding('LVG005', [
      fix('first', true, [[1, 0, 1, 3, 'D1']]),
      fix('preferred', true, [[1, 0, 1, 3, 'D2\nD3']], 'rename', true),
    ]),
  ];
  assert.deepEqual(applyRound(text, findings, { unsafe: false, eol: '\n' }), {
    text: 'AAA bbb ccc\nD2\nD3\n',
    applied: 2,
  });
  assert.deepEqual(applyRound(text, findings, { unsafe: true, eol: '\r\n' }), {
    text: 'AAA bbb CCC\nD2\r\nD3\n',
    applied: 3,
  });
});

test('rounds: a skipped fix is retried after re-analysis, at most 5 rounds', () => {
  let analyses = 0;
  const endless = (t: string): Finding[] => {
    analyses++;
    return [
      finding('LVG005', [fix('grow', true, [[0, 0, 0, 0, 'x']])]),
      finding('LVG005', [fix('clash', true, [[0, 0, 0, 1, 'y']])]),
    ].slice(0, t.length > 0 ? 2 : 0);
  };
  const result = fixDocument('a', endless('a'), endless, { unsafe: false, eol: '\n' });
  assert.deepEqual([result.text, result.applied, analyses], ['xxxxxa', 5, 6]);
});

test('baseline: shifted code stays baselined, new findings and extra duplicates are reported', async () => {
  const line = 'flags = libvirt.VIR_MIGRATE_POST_COPY\n';
  const root = tempDir({ 'a.py': `import libvirt\n${line}${line}`, 'b.py': `import libvirt\n${line}` });
  const written = await run(['check', '--write-baseline', 'baseline.json', '--select', 'LVG005'], { cwd: root });
  assert.equal(written.status, 1);
  assert.equal(
    fs.readFileSync(path.join(root, 'baseline.json'), 'utf8'),
    `${JSON.stringify(
      {
        version: 1,
        findings: [
          { file: 'a.py', code: 'LVG005', symbol: '', lineText: 'flags = libvirt.VIR_MIGRATE_POST_COPY', count: 2 },
          { file: 'b.py', code: 'LVG005', symbol: '', lineText: 'flags = libvirt.VIR_MIGRATE_POST_COPY', count: 1 },
        ],
      },
      null,
      2,
    )}\n`,
  );
  // Move everything down and re-indent: still baselined.
  fs.writeFileSync(path.join(root, 'a.py'), `import libvirt\n\n\n# moved\nif True:\n    ${line}\n\n${line}`);
  const shifted = await run(['check', '--baseline', 'baseline.json', '--select', 'LVG005'], { cwd: root });
  assert.deepEqual(shifted, {
    status: 0,
    stdout: '2 files checked, 0 findings in 0.00 s\n3 findings hidden by the baseline\n',
    stderr: '',
  });
  // A third copy of the line is one more than recorded: reported.
  fs.appendFileSync(path.join(root, 'a.py'), line);
  const more = await run(['check', '--baseline', 'baseline.json', '--select', 'LVG005'], { cwd: root });
  assert.equal(more.status, 1);
  assert.match(
    more.stdout,
    /^a\.py:10:17: LVG005 .*\n2 files checked, 1 finding \(LVG005: 1\) in 0\.00 s\n3 findings hidden by the baseline\n$/,
  );
  fs.writeFileSync(path.join(root, 'bad.json'), '{"version": 2}');
  const bad = await run(['check', '--baseline', 'bad.json'], { cwd: root });
  assert.deepEqual(bad, {
    status: 2,
    stdout: '',
    stderr:
      'libvirt-gate: --baseline bad.json: not a libvirt-gate baseline (expected {"version": 1, "findings": [...]})\n',
  });
});

test('SARIF fingerprints survive line shifts', async () => {
  const root = tempDir({ 'a.py': 'import libvirt\nflags = libvirt.VIR_MIGRATE_POST_COPY\n' });
  const fingerprints = async (): Promise<string[]> => {
    const log = JSON.parse((await run(['check', '--format', 'sarif'], { cwd: root })).stdout) as {
      runs: { results: { partialFingerprints: Record<string, string> }[] }[];
    };
    return log.runs[0].results.map((r) => r.partialFingerprints['libvirtGate/v1']);
  };
  const before = await fingerprints();
  fs.writeFileSync(path.join(root, 'a.py'), 'import libvirt\n\n\n\nflags  =  libvirt.VIR_MIGRATE_POST_COPY\n');
  assert.deepEqual(await fingerprints(), before);
  assert.equal(before.length, 1);
});

test('the opt-in option: JSON and SARIF carry the declaration in the other file; --fix never applies it', async () => {
  const conf = [
    'from oslo_config import cfg',
    '',
    "opts = [cfg.StrOpt('virt_type', default='kvm')]",
    '',
    "cfg.CONF.register_opts(opts, group='libvirt')",
    '',
  ].join('\n');
  const driver = [
    'from nova.conf import CONF',
    '',
    '',
    'def rename(dom, name):',
    '    if CONF.libvirt.enable_untested_features:',
    '        dom.do_rename(name)',
    '',
  ].join('\n');
  const root = tempDir({ 'conf.py': conf, 'driver.py': driver });
  const json = await run(['check', '--format', 'json', '--select', 'LVG008'], { cwd: root });
  const doc = JSON.parse(json.stdout) as { findings: { file: string; line: number; fixes: unknown[] }[] };
  assert.deepEqual(
    doc.findings.map((f) => [f.file, f.line, f.fixes[0]]),
    [
      [
        'driver.py',
        5,
        {
          title:
            "Declare [libvirt] enable_untested_features: add cfg.BoolOpt('enable_untested_features', default=False) to opts in conf.py",
          safe: false,
          edits: [],
          otherFiles: [
            {
              file: 'conf.py',
              edits: [
                {
                  line: 3,
                  column: 47,
                  endLine: 3,
                  endColumn: 47,
                  newText:
                    ", cfg.BoolOpt('enable_untested_features', default=False, help='Enable code paths that upstream CI does not test (support class C: no CI job runs them). Off by default: enable them at your own risk.')",
                },
              ],
            },
          ],
        },
      ],
    ],
  );
  const sarif = await run(['check', '--format', 'sarif', '--select', 'LVG008'], { cwd: root });
  const result = (JSON.parse(sarif.stdout) as Sarif.Log).runs[0]?.results?.[0];
  assert.deepEqual(
    result?.fixes?.map((f) => f.artifactChanges.map((c) => c.artifactLocation.uri)),
    [['conf.py'], ['driver.py']],
  );
  const fixed = await run(['check', '--fix', '--unsafe-fixes', '--select', 'LVG008'], { cwd: root });
  assert.match(fixed.stdout, /\n0 fixes applied in 0 files\n$/);
  assert.equal(fs.readFileSync(path.join(root, 'conf.py'), 'utf8'), conf);
  assert.equal(fs.readFileSync(path.join(root, 'driver.py'), 'utf8'), driver);
});
