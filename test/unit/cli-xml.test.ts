// LVG010 through the CLI like any rule: text, JSON (the XML path as `symbol`), SARIF,
// suppression, baselines (the path in the fingerprint), review mode and the fixes.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { run as runCli } from '../cli/harness';
import { commit, gitEnv, gitRepo, head, write } from '../cli/gitRepo';

const config = 'min-version = "1.0.0"\n[[ci]]\nname = "gate"\nlibvirt = "1.2.2"\nqemu = "2.0.0"\n';
const driver = (...bodies: string[]): string =>
  [
    'from lxml import etree',
    '',
    '',
    'class Guest(object):',
    ...bodies.flatMap((b, i) => [
      `    def disk${i}(self):`,
      "        disk = etree.Element('disk')",
      "        drv = etree.SubElement(disk, 'driver')",
      `        ${b}`,
      '        return disk',
      '',
    ]),
  ].join('\n');
const discard = "drv.set('discard', 'unmap')";

function run(argv: string[], cwd: string): ReturnType<typeof runCli> {
  return runCli(argv, { cwd, env: gitEnv });
}

interface JsonFinding {
  file: string;
  line: number;
  column: number;
  code: string;
  messageId: string;
  symbol: string | null;
  cName: string | null;
  since: string | null;
}

test('text and JSON name the XML path and its version; suppression counts', async () => {
  const root = gitRepo({
    '.libvirt-gate.toml': config,
    'g.py': driver(discard, `${discard}  # libvirt-gate: ignore[LVG010]`),
  });
  const text = await run(['check', '.', '--select', 'LVG010'], root);
  assert.equal(text.status, 1);
  assert.equal(
    text.stdout.split('\n')[0],
    "g.py:8:17: LVG010 XML domain/devices/disk/driver/@discard='unmap' needs libvirt 1.0.6 (formatdomain.rst:3497), but this runs from libvirt 1.0.0 (the minimum supported) without a version check: hosts with older libvirt reject or ignore it [since 1.0.6]",
  );
  // The marked write is suppressed: one finding.
  assert.match(text.stdout, /\n1 file checked, 1 finding \(LVG010: 1\) in /);
  const json = await run(['check', '.', '--format', 'json', '--select', 'LVG010'], root);
  const [f] = (JSON.parse(json.stdout) as { findings: JsonFinding[] }).findings;
  assert.deepEqual(
    { ...f, message: undefined },
    {
      ...f,
      file: 'g.py',
      line: 8,
      column: 17,
      code: 'LVG010',
      messageId: 'unguarded',
      symbol: "domain/devices/disk/driver/@discard='unmap'",
      cName: null,
      since: '1.0.6',
      message: undefined,
    },
  );
});

test('SARIF: the rule, the result and its fix', async () => {
  const root = gitRepo({ '.libvirt-gate.toml': config, 'g.py': driver(discard) });
  const r = await run(['check', '.', '--format', 'sarif', '--select', 'LVG010'], root);
  const log = JSON.parse(r.stdout) as Sarif.Log;
  const sarifRun = log.runs[0];
  assert.ok(sarifRun?.tool.driver.rules?.some((rule) => rule.id === 'LVG010' && rule.name === 'unguarded-xml-feature'));
  const result = sarifRun?.results?.[0];
  assert.equal(result?.ruleId, 'LVG010');
  assert.equal(result?.level, 'error');
  assert.deepEqual(result?.locations?.[0]?.physicalLocation?.region, {
    startLine: 8,
    startColumn: 17,
    endLine: 8,
    endColumn: 26,
  });
  assert.deepEqual(
    result?.fixes?.map((x) => x.description?.text),
    [
      "Add a version check: 'if self._host.has_min_version(MIN_LIBVIRT_DISK_DRIVER_DISCARD_UNMAP_VERSION):' (unsafe)",
      'Suppress LVG010 for this line',
    ],
  );
});

test('baselines keep XML findings by path; review mode shows only new lines; the fix applies', async () => {
  const root = gitRepo({ '.libvirt-gate.toml': config, 'g.py': driver(discard) });
  const base = head(root);
  assert.equal((await run(['check', '.', '--write-baseline', 'b.json', '--select', 'LVG010'], root)).status, 1);
  const baseline = JSON.parse(fs.readFileSync(path.join(root, 'b.json'), 'utf8')) as {
    findings: { symbol: string }[];
  };
  assert.deepEqual(
    baseline.findings.map((x) => x.symbol),
    ["domain/devices/disk/driver/@discard='unmap'"],
  );
  // Another write of the same XML: new; the first stays baselined, also when it moves.
  write(root, { 'g.py': `# moved\n${driver(discard, discard)}` });
  const after = await run(['check', '.', '--baseline', 'b.json', '--select', 'LVG010'], root);
  assert.deepEqual(
    after.stdout
      .split('\n')
      .filter((l) => l.includes('LVG010 XML'))
      .map((l) => l.slice(0, l.indexOf(' LVG010'))),
    ['g.py:15:17:'],
  );
  commit(root, 'second disk');
  const review = await run(['check', '.', '--diff-base', base, '--select', 'LVG010'], root);
  assert.deepEqual(
    review.stdout
      .split('\n')
      .filter((l) => l.includes('LVG010 XML'))
      .map((l) => l.slice(0, l.indexOf(' LVG010'))),
    ['g.py:15:17:'],
  );
  const fixed = await run(['check', '.', '--fix', '--unsafe-fixes', '--select', 'LVG010'], root);
  assert.equal(fixed.status, 0, fixed.stdout);
  const text = fs.readFileSync(path.join(root, 'g.py'), 'utf8');
  assert.ok(text.includes('MIN_LIBVIRT_DISK_DRIVER_DISCARD_UNMAP_VERSION = (1, 0, 6)\n'), text);
  assert.equal(text.split('\n').filter((l) => l === "            drv.set('discard', 'unmap')").length, 2, text);
});
