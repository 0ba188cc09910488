// libvirt-gate check: which files are read (gitignore, excludes, symlinks), files that cannot
// be checked, the prefilter, and a closed stdout pipe.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { workerCount } from '../../server/src/cli/parallel';
import { discoverFiles } from '../../server/src/cli/discover';
import { buildPrefilter, configClassMention, factoryCallMention } from '../../server/src/cli/prefilter';
import { decodeSource, readSource } from '../../server/src/cli/source';
import { PolicyResolver } from '../../server/src/config/loadConfig';
import { loadFeatureDb } from '../../server/src/data/loadFeatureDb';
import { loadXmlFeatureDb } from '../../server/src/data/loadXmlFeatureDb';
import { analyzeDocument, initParser, WorkspaceIndex } from '../../server/src/engine/api';
import { cliDir, copyTree, mainTs, projectDir, run, tempDir, tsxLoader } from '../cli/harness';
import { workspaceFiles } from '../support/engineHarness';

function discover(root: string, paths: string[] = ['.'], exclude: string[] = []): string[] {
  return discoverFiles(paths, { cwd: root, exclude, resolver: new PolicyResolver({ cwd: root }) }).map((f) =>
    path.relative(root, f),
  );
}

test('gitignore (nested, negated), config exclude and --exclude', () => {
  assert.deepEqual(discover(projectDir), [
    'driver/__init__.py',
    'driver/addresses.py',
    'driver/blockjob.py',
    'driver/clean.py',
    'driver/legacy/old.py',
    'driver/migration.py',
  ]);
  assert.deepEqual(discover(projectDir, ['.'], ['legacy', 'driver/b*.py']), [
    'driver/__init__.py',
    'driver/addresses.py',
    'driver/clean.py',
    'driver/migration.py',
  ]);
  const root = tempDir({
    '.git/HEAD': '',
    '.gitignore': 'gen/\n*.tmp.py\n',
    'a.py': '',
    'x.tmp.py': '',
    'gen/g.py': '',
    'sub/.gitignore': '!keep.tmp.py\nlocal.py\n',
    'sub/keep.tmp.py': '',
    'sub/local.py': '',
    'sub/b.py': '',
    '.tox/t.py': '',
    'notes.txt': '',
  });
  assert.deepEqual(discover(root), ['a.py', 'sub/b.py', 'sub/keep.tmp.py']);
  // A .gitignore above the folder named on the command line still applies (up to the repository top).
  assert.deepEqual(discover(root, ['sub']), ['sub/b.py', 'sub/keep.tmp.py']);
  // A file named explicitly is checked whatever its name, unless excluded.
  assert.deepEqual(discover(root, ['notes.txt', 'a.py', 'a.py']), ['notes.txt', 'a.py']);
  assert.deepEqual(discover(root, ['a.py'], ['a.py']), []);
});

test('symlinks: never followed inside folders, no loops, each file once', () => {
  const outside = tempDir({ 'secret.py': 'import libvirt\n' });
  const root = tempDir({ 'pkg/a.py': '' });
  fs.symlinkSync(root, path.join(root, 'pkg', 'loop'));
  fs.symlinkSync(path.join(root, 'pkg', 'a.py'), path.join(root, 'pkg', 'alias.py'));
  fs.symlinkSync(path.join(outside, 'secret.py'), path.join(root, 'pkg', 'secret.py'));
  fs.symlinkSync(outside, path.join(root, 'outside'));
  fs.symlinkSync(path.join(root, 'self1'), path.join(root, 'self2'));
  fs.symlinkSync(path.join(root, 'self2'), path.join(root, 'self1'));
  assert.deepEqual(discover(root), ['pkg/a.py']);
  // Named on the command line, a link is resolved; a loop is a clear error.
  assert.deepEqual(discover(root, ['pkg/alias.py', 'pkg/a.py']), ['pkg/a.py']);
  assert.throws(() => discover(root, ['self1']), { message: 'self1: symbolic link loop' });
});

test('unreadable, binary, huge and non-UTF-8 files are reported and the run goes on', async () => {
  const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20);
  const root = tempDir({
    'a_bin.py': Buffer.from([0x69, 0x6d, 0x00, 0x70]),
    'b_big.py': big,
    'c_latin1.py': Buffer.from('import libvirt\n# caf\xe9\nflags = libvirt.VIR_MIGRATE_POST_COPY\n', 'latin1'),
    'd_ok.py': 'import libvirt\nflags = libvirt.VIR_MIGRATE_POST_COPY\n',
  });
  const r = await run(['check', '--select', 'LVG005'], { cwd: root });
  assert.equal(r.status, 1);
  assert.equal(
    r.stdout,
    [
      'c_latin1.py:3:17: LVG005 libvirt.VIR_MIGRATE_POST_COPY is not defined by any libvirt version up to 12.3.0; did you mean VIR_MIGRATE_POSTCOPY?',
      'd_ok.py:2:17: LVG005 libvirt.VIR_MIGRATE_POST_COPY is not defined by any libvirt version up to 12.3.0; did you mean VIR_MIGRATE_POSTCOPY?',
      'a_bin.py: note: skipped: binary (NUL byte in the first 8 KB)',
      'b_big.py: note: skipped: larger than 10 MB (10.0 MB)',
      'c_latin1.py: note: invalid UTF-8; decoded with replacement characters',
      '2 files checked, 2 findings (LVG005: 2) in 0.00 s',
      '',
    ].join('\n'),
  );
  const json = JSON.parse((await run(['check', '--format', 'json', '--select', 'LVG005'], { cwd: root })).stdout) as {
    skipped: unknown;
    notes: unknown;
  };
  assert.deepEqual(json.skipped, [
    { file: 'a_bin.py', reason: 'binary (NUL byte in the first 8 KB)' },
    { file: 'b_big.py', reason: 'larger than 10 MB (10.0 MB)' },
  ]);
  assert.deepEqual(json.notes, [{ file: 'c_latin1.py', reason: 'invalid UTF-8; decoded with replacement characters' }]);
  assert.deepEqual(readSource(root), { kind: 'skip', reason: 'unreadable (EISDIR)' });
  if (process.getuid?.() !== 0) {
    fs.chmodSync(path.join(root, 'd_ok.py'), 0o000);
    assert.deepEqual(readSource(path.join(root, 'd_ok.py')), { kind: 'skip', reason: 'unreadable (EACCES)' });
  }
});

test('BOM and CRLF are recognised', () => {
  const decoded = decodeSource(Buffer.from('\uFEFFa = 1\r\nb = 2\r\n', 'utf8'));
  assert.deepEqual(decoded, {
    kind: 'text',
    text: 'a = 1\r\nb = 2\r\n',
    hasBom: true,
    eol: '\r\n',
    invalidUtf8: false,
    bytes: 17,
  });
});

test('the prefilter never skips a fixture file with findings', async () => {
  await initParser();
  const db = loadFeatureDb();
  const xmlDb = loadXmlFeatureDb();
  const dirs = [
    path.join(cliDir, '..', 'fixtures', 'examples'),
    path.join(cliDir, '..', 'fixtures', 'rules', 'LVG010'),
    path.join(projectDir, 'driver'),
    path.join(projectDir, 'driver', 'legacy'),
  ];
  let skippedClean = 0;
  for (const dir of dirs) {
    const resolver = new PolicyResolver({ cwd: dir });
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.py'))) {
      const file = path.join(dir, name);
      const text = fs.readFileSync(file, 'utf8');
      const { policy } = resolver.resolve(file);
      // Also under the examples' policy (min 1.0.0), where far more is reported.
      for (const p of [
        policy,
        {
          ...policy,
          minLibvirt: 1_000_000,
          minQemu: 2_000_000,
          select: ['LVG001', 'LVG002', 'LVG003', 'LVG004', 'LVG005', 'LVG006', 'LVG007'],
        },
      ]) {
        const index = new WorkspaceIndex();
        index.setFile(`file://${file}`, text);
        const extra = file.replace(/\.py$/, '.workspace');
        for (const f of workspaceFiles(extra))
          index.setFile(`file://${path.join(extra, f)}`, fs.readFileSync(path.join(extra, f), 'utf8'));
        const findings = analyzeDocument({ uri: `file://${file}`, text }, index, p).findings;
        const mayMatter =
          buildPrefilter(p, db, xmlDb).mayMatter(text) ||
          configClassMention(index.xmlConfigClassNames())(text) ||
          factoryCallMention(index.elementFactoryNames())(text);
        if (findings.length) assert.ok(mayMatter, `${name} has findings but the prefilter skips it`);
        else if (!mayMatter) skippedClean++;
      }
    }
  }
  assert.ok(skippedClean >= 2);
  const prefilter = buildPrefilter(new PolicyResolver().resolve(projectDir).policy, db, xmlDb);
  assert.equal(prefilter.mayMatter('def f(x):\n    x.update(1)\n'), false);
  assert.equal(prefilter.mayMatter('def f(domain):\n    domain.x()\n'), true);
  assert.equal(prefilter.mayMatter('def f(obj):\n    obj.fsFreeze()\n'), true);
  assert.equal(prefilter.mayMatter('def f(obj):\n    obj.assertEqual()\n'), false);
  assert.equal(prefilter.mayMatter('if self._get_connection().x:\n    pass\n'), true);
  assert.equal(prefilter.mayMatter('if CONF.enable_untested_features:\n    pass\n'), true);
  // XML it may write: a table element after '<', a builder, a config class.
  assert.equal(prefilter.mayMatter("x = '<memoryBacking><locked/></memoryBacking>'\n"), true);
  assert.equal(prefilter.mayMatter("x = '<html><body/></html>' if a<b else None\n"), false);
  assert.equal(prefilter.mayMatter("el = etree.Element('x')\n"), true);
  assert.equal(prefilter.mayMatter('class C(object):\n    def format_dom(self):\n        pass\n'), true);
  assert.equal(prefilter.mayMatter('d = vconfig.LibvirtConfigGuestDisk()\nd.driver_io = 1\n'), false);
  const mentions = configClassMention(['LibvirtConfigGuestDisk', 'Guest']);
  assert.equal(mentions('d = vconfig.LibvirtConfigGuestDisk()\n'), true);
  assert.equal(mentions('d = other.Thing()\n'), false);
  // A whole word: `Guest` inside `LibvirtGuest` or `GuestAgent` is not the class `Guest`.
  assert.equal(mentions('g = host.LibvirtGuest(GuestAgent())\n'), false);
  assert.equal(mentions('g = Guest(dom)\n'), true);
  assert.equal(configClassMention([])('Guest'), false);
  const calls = factoryCallMention(['lxml_subelement']);
  assert.equal(calls('ozutil.lxml_subelement(root, "os")\n'), true);
  assert.equal(calls('from ozutil import lxml_subelement\n'), false);
  assert.equal(factoryCallMention([])('sub(x)'), false);
});

test('a closed stdout pipe ends the run quietly', async () => {
  const root = tempDir(
    Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [`m${i}.py`, 'import libvirt\nflags = libvirt.VIR_MIGRATE_POST_COPY\n']),
    ),
  );
  const child = spawn(process.execPath, ['--import', tsxLoader, mainTs, 'check', '--select', 'LVG005'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdout.once('data', () => child.stdout.destroy());
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  assert.equal(stderr, '');
  assert.equal(status, 1);
});

test('the real process: exit statuses and one-line errors', async () => {
  const spawnCli = (args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', tsxLoader, mainTs, ...args], { cwd: projectDir });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  const clean = await spawnCli(['check', 'driver/clean.py']);
  assert.equal(clean.status, 0);
  assert.match(clean.stdout, /^1 file checked, 0 findings in \d+\.\d\d s\n$/);
  assert.deepEqual(await spawnCli(['check', 'missing/']), {
    status: 2,
    stdout: '',
    stderr: 'libvirt-gate: missing/: no such file or directory\n',
  });
  assert.equal((await spawnCli(['check'])).status, 1);
});

test('workers by default: none for small runs or on two cores, up to four otherwise; forced by LIBVIRT_GATE_WORKERS', () => {
  const big = [1500, 25_000_000] as const;
  assert.equal(workerCount(...big, {}, 2), 0);
  assert.equal(workerCount(...big, {}, 1), 0);
  assert.equal(workerCount(...big, {}, 3), 3);
  assert.equal(workerCount(...big, {}, 16), 4);
  assert.equal(workerCount(20, 25_000_000, {}, 8), 0);
  assert.equal(workerCount(1500, 900_000, {}, 8), 0);
  assert.equal(workerCount(...big, { LIBVIRT_GATE_WORKERS: '2' }, 2), 2);
  assert.equal(workerCount(...big, { LIBVIRT_GATE_WORKERS: '0' }, 8), 0);
  assert.equal(workerCount(...big, { LIBVIRT_GATE_WORKERS: '99' }, 8), 16);
  assert.equal(workerCount(...big, { LIBVIRT_GATE_WORKERS: 'many' }, 2), 0);
});

/**
 * Runs `check` on a copy of the sample project with LIBVIRT_GATE_WORKERS 0 and 2, from main.ts
 * under tsx or through the npm bin (the bundled CLI): the same findings, and --stats says how
 * many worker threads ran.
 */
function sameWithWorkers(launcher: readonly string[]): void {
  const dir = copyTree(projectDir);
  const runWith = (workers: string) =>
    spawnSync(process.execPath, [...launcher, 'check', '.', '--format', 'json', '--fail-on', 'never', '--stats'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, LIBVIRT_GATE_WORKERS: workers },
    });
  const one = runWith('0');
  const two = runWith('2');
  assert.equal(one.status, 0, one.stderr);
  assert.equal(two.status, 0, two.stderr);
  assert.match(one.stderr, /^worker threads: 0$/m);
  assert.match(two.stderr, /^worker threads: 2$/m);
  const findings = (out: string) => (JSON.parse(out) as { findings: unknown[] }).findings;
  assert.ok(findings(one.stdout).length > 0);
  assert.deepEqual(findings(two.stdout), findings(one.stdout));
}

test('worker threads give the same report as one thread', () => {
  sameWithWorkers(['--import', tsxLoader, mainTs]);
});

test('the npm bin starts worker threads (the bundled CLI is their entry, not the bin wrapper)', () => {
  const top = path.join(__dirname, '..', '..');
  assert.ok(fs.existsSync(path.join(top, 'dist', 'cli.js')), 'dist/cli.js: run `npm run build` first');
  sameWithWorkers([path.join(top, 'bin', 'libvirt-gate.js')]);
});

test('a file that only names a config class, or calls an element factory, is analyzed, on one thread and with workers', () => {
  const dir = tempDir({
    'pyproject.toml': '[tool.libvirt-gate]\nmin-version = "1.0.0"\n',
    'driver/config.py': [
      'from lxml import etree',
      '',
      '',
      'class LibvirtConfigGuestDisk(object):',
      "    root_name = 'disk'",
      '',
      '    def format_dom(self):',
      '        dev = etree.Element(self.root_name)',
      "        drv = etree.SubElement(dev, 'driver')",
      '        if self.driver_discard is not None:',
      "            drv.set('discard', self.driver_discard)",
      '        return dev',
      '',
    ].join('\n'),
    // Nothing here names libvirt, a check, a gate or XML: only the config class.
    'driver/designer.py': [
      'from driver import config',
      '',
      '',
      'def disk():',
      '    conf = config.LibvirtConfigGuestDisk()',
      "    conf.driver_discard = 'unmap'",
      '    return conf',
      '',
    ].join('\n'),
    'driver/xmlutil.py': [
      'from lxml import etree',
      '',
      '',
      'def sub(parent, name, attrs=None):',
      '    el = etree.SubElement(parent, name)',
      '    for k, v in (attrs or {}).items():',
      '        el.set(k, v)',
      '    return el',
      '',
    ].join('\n'),
    // Nor here: only a call of the element factory.
    'driver/devices.py': [
      'from driver.xmlutil import sub',
      '',
      '',
      'def balloon(parent):',
      "    return sub(parent, 'memballoon', {'autodeflate': 'on'})",
      '',
    ].join('\n'),
  });
  for (const workers of ['0', '2']) {
    const r = spawnSync(
      process.execPath,
      ['--import', tsxLoader, mainTs, 'check', '.', '--format', 'json', '--fail-on', 'never'],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, LIBVIRT_GATE_WORKERS: workers } },
    );
    assert.equal(r.status, 0, r.stderr);
    const findings = (
      JSON.parse(r.stdout) as { findings: { file: string; line: number; code: string; symbol: string }[] }
    ).findings;
    assert.deepEqual(
      findings.map((f) => [f.file, f.line, f.code, f.symbol]),
      [
        ['driver/designer.py', 6, 'LVG010', "domain/devices/disk/driver/@discard='unmap'"],
        ['driver/devices.py', 5, 'LVG010', "domain/devices/memballoon/@autodeflate='on'"],
      ],
      workers,
    );
  }
});
