// The second bundled example (examples/vm-manager: a host agent in no Nova style, with its own
// .libvirt-gate.toml) gives exactly the findings its README lists: code, place and message id
// from the JSON report, and the text report line for line as the README prints it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from '../cli/harness';
import { printedByCli, printedInReadme } from '../support/exampleReadme';

const root = path.join(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(root, 'examples', 'vm-manager', 'README.md'), 'utf8');

const agent = 'examples/vm-manager/vmagent/agent.py';
const checkpoints = 'examples/vm-manager/vmagent/checkpoints.py';

/** Each finding as `CODE file:line:column messageId`. */
const expected = [
  `LVG003 ${agent}:38:30 tooWeak`, // a stored getLibVersion() >= 8_000_000, KEEP_TPM needs 8.9.0
  `LVG001 ${agent}:46:12 untestedBranch`, // >= LIBVIRT_11_2_0 (arithmetic constant), not gated
  `LVG002 ${agent}:54:30 unguarded`, // a QEMU check does not guard VIR_MIGRATE_PARALLEL
  `LVG001 ${agent}:59:12 untestedBranch`, // QEMU [10.0.0, ∞), through the receivers map's `peer`
  `LVG002 ${agent}:81:24 unguarded`, // the probe used getStoragePoolCapabilities, not setIdentity
  `LVG002 ${agent}:93:16 unguarded`, // the AttributeError handler re-raises
  `LVG002 ${agent}:104:38 unguarded`, // has_flag names KEEP_TPM, the branch uses UNDEFINE_TPM
  `LVG001 ${agent}:108:16 untestedUse`, // the configured probe protects, it does not test
  `LVG003 ${agent}:118:16 tooWeak`, // require_libvirt("10.0.0"), graphicsReload needs 10.2.0
  `LVG004 ${agent}:121:12 obsolete`, // require_libvirt("1.2.8") ≤ the minimum 5.0.0
  `LVG002 ${checkpoints}:4:21 unguardedImport`, // from libvirt import VIR_DOMAIN_SAVE_PARAM_FILE
  `LVG002 ${checkpoints}:19:30 unguarded`, // listAllCheckpoints, not its checkpoints' getName
];

interface JsonFinding {
  readonly code: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly messageId: string;
}

test('libvirt-gate check examples/vm-manager: exactly the findings the README lists (code, place, message id)', async () => {
  const r = await run(['check', 'examples/vm-manager', '--format', 'json'], { cwd: root });
  assert.equal(r.status, 1);
  assert.equal(r.stderr, '');
  const report = JSON.parse(r.stdout) as { findings: JsonFinding[] };
  assert.deepEqual(
    report.findings.map((f) => `${f.code} ${f.file}:${f.line}:${f.column} ${f.messageId}`),
    expected,
  );
  // The README's table names the same places, codes and ids, in the same order.
  const rows = [...readme.matchAll(/^\| `([\w.]+):(\d+):(\d+)` \| (LVG\d{3}) \| `(\w+)` \|/gm)].map(
    (m) => `${m[4]} examples/vm-manager/vmagent/${m[1]}:${m[2]}:${m[3]} ${m[5]}`,
  );
  assert.deepEqual(rows, expected);
});

test('libvirt-gate check examples/vm-manager prints what the README says', async () => {
  const r = await run(['check', 'examples/vm-manager'], { cwd: root });
  assert.equal(r.status, 1);
  assert.deepEqual(printedByCli(r.stdout), printedInReadme(readme));
});

/** The first ```toml block after `from` in `text`. */
function tomlBlockAfter(text: string, from: string): string {
  const start = text.indexOf('```toml', text.indexOf(from));
  return text.slice(start + '```toml'.length, text.indexOf('```', start + 7));
}

/** The key lines of a TOML text, without comments and blank lines. */
function keyLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '');
}

test("the example's README and the top-level README show its config file as it is (comments aside)", () => {
  const config = keyLines(fs.readFileSync(path.join(root, 'examples', 'vm-manager', '.libvirt-gate.toml'), 'utf8'));
  assert.ok(config.includes('gate = ["self.settings.allow_untested"]'));
  assert.deepEqual(keyLines(tomlBlockAfter(readme, '## The policy')), config);
  const topReadme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  assert.deepEqual(keyLines(tomlBlockAfter(topReadme, 'Configuring for a project that is not Nova')), config);
});

test('examples/vm-manager: the check fixes the README shows are written in the agent’s style', async () => {
  const r = await run(['check', 'examples/vm-manager', '--format', 'json'], { cwd: root });
  type Fix = { title: string; edits: { line: number; newText: string }[] };
  const report = JSON.parse(r.stdout) as { findings: (JsonFinding & { fixes: Fix[] })[] };
  const fixesAt = (code: string, line: number): Fix[] =>
    report.findings.find((f) => f.code === code && f.file === agent && f.line === line)?.fixes ?? [];
  const add = fixesAt('LVG002', 54)[0];
  assert.equal(
    add?.title,
    "Add a version check: 'if self.caps.require_libvirt(MIN_LIBVIRT_MIGRATE_PARALLEL_VERSION):'",
  );
  assert.deepEqual(
    add.edits.map((e) => e.newText.trim()),
    [
      'MIN_LIBVIRT_MIGRATE_PARALLEL_VERSION = "5.2.0"',
      'if self.caps.require_libvirt(MIN_LIBVIRT_MIGRATE_PARALLEL_VERSION):',
    ],
  );
  const raise = (line: number) => fixesAt('LVG003', line)[0];
  assert.equal(raise(38)?.title, 'Raise the check to libvirt 8.9.0');
  assert.deepEqual(
    raise(38)?.edits.map((e) => [e.line, e.newText]),
    [[37, '8_009_000']],
  );
  assert.deepEqual(
    raise(118)?.edits.map((e) => [e.line, e.newText]),
    [[117, '"10.2.0"']],
  );
  assert.deepEqual(
    fixesAt('LVG001', 46)[0]?.edits.map((e) => e.newText),
    ['self.settings.allow_untested and self._libver >= LIBVIRT_11_2_0'],
  );
  // The README says so.
  for (const text of [
    'MIN_LIBVIRT_MIGRATE_PARALLEL_VERSION = "5.2.0"',
    '`8_009_000`',
    '`"10.2.0"`',
    '`self.settings.allow_untested and self._libver >= LIBVIRT_11_2_0`',
  ])
    assert.ok(readme.includes(text), text);
});
