// libvirt-gate check --diff-base: review mode on real, temporary git repositories.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { run as runCli, tempDir } from '../cli/harness';
import { commit, git, gitEnv, gitRepo, head, write } from '../cli/gitRepo';

const config =
  'min-version = "1.0.0"\nmin-qemu-version = "2.0.0"\n[[ci]]\nname = "gate"\nlibvirt = "1.2.2"\nqemu = "2.0.0"\n';
/** A use of libvirt 1.2.14 without a check: one LVG002 at column 16 of its line (with --select LVG002). */
const use = '    return dom.interfaceAddresses(0)\n';
const fn = (name: string): string => `\n\ndef ${name}(dom):\n${use}`;
const driver = (...names: string[]): string => `import libvirt\n${names.map(fn).join('')}`;

function run(argv: string[], cwd: string, env: Record<string, string> = gitEnv): ReturnType<typeof runCli> {
  return runCli(argv, { cwd, env });
}

interface JsonReport {
  diffBase: { rev: string; bases: { repository: string; commit: string; how: string }[] } | null;
  findings: { file: string; line: number; column: number; code: string }[];
  skipped: { file: string }[];
  summary: { findings: number; baselined: number; outsideDiff: number; fixesApplied: number };
}

async function json(argv: string[], cwd: string): Promise<{ status: number; doc: JsonReport; stderr: string }> {
  const r = await run([...argv, '--format', 'json', '--select', 'LVG002'], cwd);
  return { status: r.status, doc: JSON.parse(r.stdout || 'null') as JsonReport, stderr: r.stderr };
}

const where = (doc: JsonReport): string[] => doc.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.code}`);

test('only findings on lines added or changed since REV: commits after it, uncommitted edits, untracked files', async () => {
  const root = gitRepo({ '.libvirt-gate.toml': config, 'a.py': driver('old'), 'c.py': 'import libvirt\n' });
  const base = head(root);
  write(root, { 'c.py': driver('committed') });
  commit(root, 'c');
  write(root, { 'a.py': driver('old', 'edited'), 'u.py': driver('untracked') });
  const full = await json(['check'], root);
  assert.deepEqual(where(full.doc), ['a.py:5:16 LVG002', 'a.py:9:16 LVG002', 'c.py:5:16 LVG002', 'u.py:5:16 LVG002']);
  assert.equal(full.doc.diffBase, null);
  assert.equal(full.doc.summary.outsideDiff, 0);

  const review = await json(['check', '--diff-base', base], root);
  assert.equal(review.status, 1);
  assert.deepEqual(where(review.doc), ['a.py:9:16 LVG002', 'c.py:5:16 LVG002', 'u.py:5:16 LVG002']);
  assert.deepEqual(review.doc.diffBase, { rev: base, bases: [{ repository: '.', commit: base, how: base }] });
  assert.deepEqual([review.doc.summary.findings, review.doc.summary.outsideDiff], [3, 1]);

  const text = await run(['check', '--diff-base', 'HEAD~1', '--select', 'LVG002'], root);
  assert.equal(text.status, 1);
  assert.deepEqual(
    text.stdout.split('\n').map((l) => l.replace(/ LVG002 .*/, ' LVG002')),
    [
      'a.py:9:16: LVG002',
      'c.py:5:16: LVG002',
      'u.py:5:16: LVG002',
      '3 files checked, 3 findings (LVG002: 3) in 0.00 s',
      `only lines changed since HEAD~1 (${base.slice(0, 12)}): 1 finding on other lines not shown`,
      '',
    ],
  );
  // HEAD: only the working tree's changes.
  assert.deepEqual(where((await json(['check', '--diff-base', 'HEAD'], root)).doc), [
    'a.py:9:16 LVG002',
    'u.py:5:16 LVG002',
  ]);
});

test('the exit status, SARIF and GitHub outputs carry only the new findings', async () => {
  const root = gitRepo({ '.libvirt-gate.toml': config, 'a.py': driver('old') });
  // Nothing changed: the old finding fails a full run, not a review.
  assert.equal((await run(['check', '--select', 'LVG002'], root)).status, 1);
  assert.deepEqual(await run(['check', '--select', 'LVG002', '--diff-base', 'HEAD'], root), {
    status: 0,
    stderr: '',
    stdout: `1 file checked, 0 findings in 0.00 s\nonly lines changed since HEAD (${head(root).slice(0, 12)}): 1 finding on other lines not shown\n`,
  });
  write(root, { 'a.py': driver('old', 'new') });
  const sarif = await run(['check', '--select', 'LVG002', '--diff-base', 'HEAD', '--format', 'sarif'], root);
  assert.equal(sarif.status, 1);
  const results = (JSON.parse(sarif.stdout) as Sarif.Log).runs[0].results ?? [];
  assert.deepEqual(
    results.map((r) => [r.ruleId, r.locations?.[0].physicalLocation?.region?.startLine]),
    [['LVG002', 9]],
  );
  const github = await run(['check', '--select', 'LVG002', '--diff-base', 'HEAD', '--format', 'github'], root);
  assert.equal(github.status, 1);
  assert.match(github.stdout, /^::error file=a\.py,line=9,col=16,endLine=9,endColumn=\d+,title=LVG002::[^\n]*\n$/);
  // --fail-on still applies to what is reported.
  assert.equal(
    (await run(['check', '--select', 'LVG002', '--diff-base', 'HEAD', '--fail-on', 'never'], root)).status,
    0,
  );
});

test('a renamed file: only its changed lines are new, committed or only staged; a plain mv makes it untracked, so new', async () => {
  const root = gitRepo({ '.libvirt-gate.toml': config, 'old.py': driver('one', 'two', 'three', 'four') });
  git(root, 'mv', 'old.py', 'moved é.py');
  // Change the third function's name: its def line is new, its use line is not.
  write(root, {
    'moved é.py': driver('one', 'two', 'three', 'four')
      .replace('def three', 'def third')
      .replace(/(def four\(dom\):\n).*\n/, '$1    return dom.interfaceAddresses(1)\n'),
  });
  git(root, 'add', '-A');
  const staged = await json(['check', '--diff-base', 'HEAD'], root);
  assert.deepEqual(where(staged.doc), ['moved é.py:17:16 LVG002']);
  assert.equal(staged.doc.summary.outsideDiff, 3);
  commit(root, 'rename');
  assert.deepEqual(where((await json(['check', '--diff-base', 'HEAD~1'], root)).doc), ['moved é.py:17:16 LVG002']);
  // A rename git has not been told about: the new name is untracked, so all of it is new.
  fs.renameSync(path.join(root, 'moved é.py'), path.join(root, 'again.py'));
  assert.deepEqual(where((await json(['check', '--diff-base', 'HEAD'], root)).doc), [
    'again.py:5:16 LVG002',
    'again.py:9:16 LVG002',
    'again.py:13:16 LVG002',
    'again.py:17:16 LVG002',
  ]);
});

test('deleted files, binary files and hunk lines that look like headers', async () => {
  const root = gitRepo({
    '.libvirt-gate.toml': config,
    'a.py': driver('old'),
    'gone.py': driver('gone'),
    'blob.py': Buffer.from('import libvirt\n\0\0\0\n'),
  });
  write(root, {
    'gone.py': null,
    'blob.py': Buffer.from(`import libvirt\n\0\0\0\n${use}`),
    // Inside a hunk these lines read "+++ b/other.py" and "--- a/x.py": content, not file headers.
    'a.py': `${driver('old')}\n\nNOTE = """\n++ b/other.py\n-- a/x.py\n@@ -1 +1 @@\n"""\n${fn('new').slice(2)}`,
  });
  const r = await json(['check', '--diff-base', 'HEAD'], root);
  assert.equal(r.stderr, '');
  assert.deepEqual(where(r.doc), ['a.py:14:16 LVG002']);
  // The binary file is skipped as in any run; a changed binary file has no new line, so its note is not shown.
  assert.deepEqual(r.doc.skipped, []);
  const full = await json(['check'], root);
  assert.deepEqual(
    full.doc.skipped.map((s) => s.file),
    ['blob.py'],
  );
});

test('file names with spaces, quotes, tabs, glob characters and non-ASCII letters', async () => {
  const names = ['sp ace.py', 'quo"te.py', 'tab\there.py', 'st*r[1].py', 'ünïcödé/名前.py'];
  const root = gitRepo({ '.libvirt-gate.toml': config, ...Object.fromEntries(names.map((n) => [n, driver('old')])) });
  write(root, Object.fromEntries(names.map((n) => [n, driver('old', 'new')])));
  const r = await json(['check', '--diff-base', 'HEAD'], root);
  assert.deepEqual(where(r.doc), [
    'quo"te.py:9:16 LVG002',
    'sp ace.py:9:16 LVG002',
    'st*r[1].py:9:16 LVG002',
    'tab\there.py:9:16 LVG002',
    'ünïcödé/名前.py:9:16 LVG002',
  ]);
  assert.equal(r.doc.summary.outsideDiff, 5);
  // A name with glob characters named on the command line is that file only, not a pattern.
  write(root, { 'str1.py': driver('x') });
  assert.deepEqual(where((await json(['check', 'st*r[1].py', '--diff-base', 'HEAD'], root)).doc), [
    'st*r[1].py:9:16 LVG002',
  ]);
});

test('paths: a subfolder, a working folder inside the repository, two repositories', async () => {
  const root = gitRepo({ '.libvirt-gate.toml': config, 'pkg/a.py': driver('old'), 'other/b.py': driver('old') });
  write(root, { 'pkg/a.py': driver('old', 'new'), 'other/b.py': driver('old', 'new') });
  assert.deepEqual(where((await json(['check', 'pkg', '--diff-base', 'HEAD'], root)).doc), ['pkg/a.py:9:16 LVG002']);
  assert.deepEqual(where((await json(['check', '.', '--diff-base', 'HEAD'], path.join(root, 'pkg'))).doc), [
    'a.py:9:16 LVG002',
  ]);
  const second = gitRepo({ '.libvirt-gate.toml': config, 'c.py': driver('old') });
  write(second, { 'c.py': driver('new', 'old') });
  const both = await json(['check', path.join(root, 'pkg'), second, '--diff-base', 'HEAD'], root);
  // Sorted by path: the other repository is "../…/c.py".
  assert.deepEqual(
    both.doc.findings.map((f) => [path.basename(f.file), f.line]),
    [
      ['c.py', 5],
      ['a.py', 9],
    ],
  );
  assert.deepEqual(
    both.doc.diffBase?.bases.map((b) => b.commit),
    [head(root), head(second)],
  );
});

test('--diff-base auto: the merge base with the upstream branch, else HEAD~1', async () => {
  const origin = gitRepo({ '.libvirt-gate.toml': config, 'a.py': driver('old') });
  write(origin, { 'a.py': driver('old', 'second') });
  const originHead = commit(origin, 'second');
  const clone = tempDir();
  git(clone, 'clone', '-q', `file://${origin}`, 'work');
  const work = path.join(clone, 'work');
  // Two local commits on top of origin/main: both are new; origin's own commits are not.
  write(work, { 'a.py': driver('old', 'second', 'third') });
  commit(work, 'third');
  write(work, { 'a.py': driver('old', 'second', 'third', 'fourth') });
  commit(work, 'fourth');
  const r = await json(['check', '--diff-base', 'auto'], work);
  assert.deepEqual(where(r.doc), ['a.py:13:16 LVG002', 'a.py:17:16 LVG002']);
  assert.deepEqual(r.doc.diffBase, {
    rev: 'auto',
    bases: [{ repository: '.', commit: originHead, how: 'merge base of HEAD and origin/main' }],
  });
  // Without an upstream (a detached HEAD, as CI checks out): HEAD~1.
  git(work, 'checkout', '-q', '--detach');
  const detached = await json(['check', '--diff-base', 'auto'], work);
  assert.deepEqual(where(detached.doc), ['a.py:17:16 LVG002']);
  assert.equal(detached.doc.diffBase?.bases[0].how, 'HEAD~1');
});

test('a shallow clone: HEAD~1 is missing, a clear message says to fetch more history', async () => {
  const origin = gitRepo({ '.libvirt-gate.toml': config, 'a.py': driver('old') });
  write(origin, { 'a.py': driver('old', 'second') });
  commit(origin, 'second');
  const parent = tempDir();
  git(parent, 'clone', '-q', '--depth', '1', `file://${origin}`, 'shallow');
  const shallow = path.join(parent, 'shallow');
  git(shallow, 'checkout', '-q', '--detach');
  const fetch = 'fetch more history (git fetch --deepen=N, or git fetch --unshallow; actions/checkout: fetch-depth: 0)';
  assert.deepEqual(await run(['check', '--diff-base', 'auto'], shallow), {
    status: 2,
    stdout: '',
    stderr: `libvirt-gate: --diff-base "auto": no upstream branch, and HEAD~1 is not available: ${shallow} is a shallow clone; ${fetch}, or name a base: --diff-base REV\n`,
  });
  assert.deepEqual(await run(['check', '--diff-base', 'HEAD~1'], shallow), {
    status: 2,
    stdout: '',
    stderr: `libvirt-gate: --diff-base "HEAD~1": unknown revision (not a commit) in ${shallow}; ${shallow} is a shallow clone: ${fetch}\n`,
  });
  // What the clone has works: the working tree against HEAD.
  write(shallow, { 'a.py': driver('old', 'second', 'mine') });
  assert.deepEqual(where((await json(['check', '--diff-base', 'HEAD'], shallow)).doc), ['a.py:13:16 LVG002']);
  // Deepened by one commit, auto finds HEAD~1.
  git(shallow, 'fetch', '-q', '--deepen=1');
  assert.deepEqual(where((await json(['check', '--diff-base', 'auto'], shallow)).doc), [
    'a.py:9:16 LVG002',
    'a.py:13:16 LVG002',
  ]);
});

test('errors: one line, exit 2 (no git, not a repository, unknown revision, first commit, bad value)', async () => {
  const root = gitRepo({ '.libvirt-gate.toml': config, 'a.py': driver('old') });
  const plain = tempDir({ 'a.py': driver('old') });
  const cases: [string[], string, Record<string, string>, string][] = [
    [
      ['check', '--diff-base', 'HEAD'],
      root,
      { PATH: '/nonexistent' },
      '--diff-base "HEAD": git is not installed (or not on PATH); review mode needs it',
    ],
    [['check', '--diff-base', 'HEAD'], plain, gitEnv, '--diff-base "HEAD": . is not in a git repository'],
    [['check', 'a.py', '--diff-base', 'HEAD'], plain, gitEnv, '--diff-base "HEAD": a.py is not in a git repository'],
    [['check', '--diff-base', 'nope'], root, gitEnv, `--diff-base "nope": unknown revision (not a commit) in ${root}`],
    [
      ['check', '--diff-base', 'HEAD:a.py'],
      root,
      gitEnv,
      `--diff-base "HEAD:a.py": unknown revision (not a commit) in ${root}`,
    ],
    [
      ['check', '--diff-base', 'auto'],
      root,
      gitEnv,
      '--diff-base "auto": no upstream branch, and HEAD has no parent (it is the first commit); name a base: --diff-base REV',
    ],
    [
      ['check', '--diff-base', '--output=x'],
      root,
      gitEnv,
      '--diff-base "--output=x": expected a revision such as "origin/main", "HEAD~1" or "auto"',
    ],
    [
      ['check', '--diff-base', ''],
      root,
      gitEnv,
      '--diff-base "": expected a revision such as "origin/main", "HEAD~1" or "auto"',
    ],
    [['check', '--diff-base'], root, gitEnv, '--diff-base needs a value'],
  ];
  for (const [argv, cwd, env, message] of cases) {
    assert.deepEqual(
      await run(argv, cwd, env),
      { status: 2, stdout: '', stderr: `libvirt-gate: ${message}\n` },
      argv.join(' '),
    );
  }
  const empty = tempDir({ 'a.py': '' });
  git(empty, 'init', '-q', '-b', 'main');
  assert.deepEqual(await run(['check', '--diff-base', 'auto'], empty), {
    status: 2,
    stdout: '',
    stderr: `libvirt-gate: --diff-base "auto": ${empty} has no commit yet; name a base: --diff-base REV\n`,
  });
  // A missing path is the usual path error, not a git one.
  assert.deepEqual(await run(['check', 'nope.py', '--diff-base', 'HEAD'], root), {
    status: 2,
    stdout: '',
    stderr: 'libvirt-gate: nope.py: no such file or directory\n',
  });
});

const checks = `import libvirt


class Driver(object):
    def old(self, conf):
        if self._host.has_min_version((0, 10, 2)):
            conf.a = 1

    def unguarded(self, dom):
        return dom.interfaceAddresses(0)
`;
const added = `
    def new(self, conf, dom):
        if self._host.has_min_version((0, 9, 0)):
            conf.b = 2
        return dom.interfaceAddresses(1)
`;

test('--fix and --diff with --diff-base fix only the findings on new lines', async () => {
  const root = gitRepo({ '.libvirt-gate.toml': config, 'a.py': checks });
  write(root, { 'a.py': checks + added });
  const base = head(root).slice(0, 12);
  const diff = await run(['check', '--diff', '--diff-base', 'HEAD'], root);
  assert.deepEqual(diff, {
    status: 1,
    stderr: 'would apply 1 fix in 1 file\n',
    stdout: [
      '--- a/a.py',
      '+++ b/a.py',
      '@@ -10,6 +10,5 @@',
      '         return dom.interfaceAddresses(0)',
      ' ',
      '     def new(self, conf, dom):',
      '-        if self._host.has_min_version((0, 9, 0)):',
      '-            conf.b = 2',
      '+        conf.b = 2',
      '         return dom.interfaceAddresses(1)',
      '',
    ].join('\n'),
  });
  // The old obsolete check (line 6) has the same safe fix; it is not new, so it stays.
  const fixed = await run(['check', '--fix', '--diff-base', 'HEAD'], root);
  assert.equal(fixed.status, 1);
  assert.deepEqual(
    fixed.stdout.split('\n').map((l) => l.replace(/^(a\.py:\d+:\d+: LVG\d+) .*/, '$1')),
    [
      'a.py:14:20: LVG001',
      'a.py:14:20: LVG002',
      '1 file checked, 2 findings (LVG001: 1, LVG002: 1) in 0.00 s',
      `only lines changed since HEAD (${base}): 3 findings on other lines not shown`,
      '1 fix applied in 1 file',
      '',
    ],
  );
  assert.equal(
    fs.readFileSync(path.join(root, 'a.py'), 'utf8'),
    checks +
      added.replace(
        '        if self._host.has_min_version((0, 9, 0)):\n            conf.b = 2\n',
        '        conf.b = 2\n',
      ),
  );

  // Unsafe fixes too: lines a fix writes (the new MIN_* constant near the top) are new as well,
  // so what the later rounds find there may be fixed and is reported.
  write(root, { 'a.py': checks + added });
  const unsafe = await run(['check', '--fix', '--unsafe-fixes', '--diff-base', 'HEAD'], root);
  assert.deepEqual(unsafe, {
    status: 0,
    stderr: '',
    stdout: `1 file checked, 0 findings in 0.00 s\nonly lines changed since HEAD (${base}): 3 findings on other lines not shown\n3 fixes applied in 1 file\n`,
  });
  assert.equal(
    fs.readFileSync(path.join(root, 'a.py'), 'utf8'),
    [
      'import libvirt',
      '',
      'MIN_LIBVIRT_INTERFACE_ADDRESSES_VERSION = (1, 2, 14)',
      '',
      '',
      ...checks.split('\n').slice(3, -1),
      '',
      '    def new(self, conf, dom):',
      '        conf.b = 2',
      '        if CONF.libvirt.enable_untested_features:',
      '            if self._host.has_min_version(MIN_LIBVIRT_INTERFACE_ADDRESSES_VERSION):',
      '                return dom.interfaceAddresses(1)',
      '',
    ].join('\n'),
  );
});

test('--baseline with --diff-base: the baseline is matched against unchanged lines first', async () => {
  const line = '    return dom.interfaceAddresses(0)\n';
  const root = gitRepo({ '.libvirt-gate.toml': config, 'a.py': `import libvirt\n\n\ndef f(dom):\n${line}` });
  // --write-baseline records every finding of the tree, whatever --diff-base hides.
  write(root, { 'b.py': driver('untracked') });
  const written = await run(
    ['check', '--select', 'LVG002', '--diff-base', 'HEAD', '--write-baseline', 'base.json'],
    root,
  );
  assert.equal(written.status, 1);
  assert.deepEqual(
    (
      JSON.parse(fs.readFileSync(path.join(root, 'base.json'), 'utf8')) as { findings: { file: string }[] }
    ).findings.map((f) => f.file),
    ['a.py', 'b.py'],
  );
  write(root, { 'b.py': null });
  fs.writeFileSync(
    path.join(root, 'base.json'),
    JSON.stringify({
      version: 1,
      findings: [
        {
          file: 'a.py',
          code: 'LVG002',
          symbol: 'virDomain.interfaceAddresses',
          lineText: 'return dom.interfaceAddresses(0)',
          count: 1,
        },
      ],
    }),
  );
  git(root, 'add', 'base.json');
  // A new copy of the recorded line, above the old one: the old one uses up the baseline, the copy is new.
  write(root, { 'a.py': `import libvirt\n\n\ndef g(dom):\n${line}\n\ndef f(dom):\n${line}` });
  const copy = await json(['check', '--diff-base', 'HEAD', '--baseline', 'base.json'], root);
  assert.deepEqual(where(copy.doc), ['a.py:5:16 LVG002']);
  assert.deepEqual([copy.doc.summary.baselined, copy.doc.summary.outsideDiff], [0, 1]);
  // Re-indenting the recorded line makes it new to git; the baseline (whitespace-insensitive) still accounts for it.
  write(root, { 'a.py': `import libvirt\n\n\ndef f(dom):\n    if dom:\n    ${line}` });
  const moved = await json(['check', '--diff-base', 'HEAD', '--baseline', 'base.json'], root);
  assert.deepEqual(where(moved.doc), []);
  assert.deepEqual([moved.status, moved.doc.summary.baselined, moved.doc.summary.outsideDiff], [0, 1, 0]);
});

test("the user's git config changes nothing: prefixes, relative paths, colour, renames, hunk context; no external diff or textconv runs", async () => {
  const root = gitRepo({
    '.libvirt-gate.toml': config,
    'a.py': driver('one', 'two', 'three'),
    '.gitattributes': '*.py diff=conv\n',
  });
  const marker = path.join(root, 'ran');
  write(root, { 'tool.sh': `#!/bin/sh\ntouch '${marker}'\ncat "$1"\n` });
  fs.chmodSync(path.join(root, 'tool.sh'), 0o755);
  for (const [key, value] of [
    ['diff.noprefix', 'true'],
    ['diff.mnemonicPrefix', 'true'],
    ['diff.relative', 'true'],
    ['color.ui', 'always'],
    ['color.diff', 'always'],
    ['diff.renames', 'false'],
    ['diff.interHunkContext', '10'],
    ['diff.context', '7'],
    ['diff.external', path.join(root, 'tool.sh')],
    ['diff.conv.textconv', path.join(root, 'tool.sh')],
    ['core.pager', path.join(root, 'tool.sh')],
    ['diff.submodule', 'log'],
  ])
    git(root, 'config', key, value);
  // Moved into the folder checked: a rename only when git sees the old path too.
  fs.mkdirSync(path.join(root, 'pkg'));
  git(root, 'mv', 'a.py', 'pkg/b.py');
  write(root, {
    'pkg/b.py': driver('one', 'two', 'three')
      .replace('def two', 'def second')
      .replace(/(def three\(dom\):\n).*\n/, '$1    return dom.interfaceAddresses(2)\n'),
  });
  git(root, 'add', '-A');
  const r = await json(['check', 'pkg', '--diff-base', 'HEAD'], root);
  assert.deepEqual(where(r.doc), ['pkg/b.py:13:16 LVG002']);
  assert.equal(fs.existsSync(marker), false, 'an external program ran');
  // From a subfolder too (diff.relative would make paths relative to it).
  write(root, { 'sub/c.py': driver('x') });
  assert.deepEqual(where((await json(['check', '..', '--diff-base', 'HEAD'], path.join(root, 'sub'))).doc), [
    '../pkg/b.py:13:16 LVG002',
    'c.py:5:16 LVG002',
  ]);
});
