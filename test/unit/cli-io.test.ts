// libvirt-gate check and its output and input going wrong: a full device (--output /dev/full,
// stdout on /dev/full), a write failing half-way (no partial file), a report to a FIFO or
// through a symbolic link, a file removed between discovery and reading, a FIFO or a broken
// link named on the command line.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { mainTs, projectDir, run, tempDir, tsxLoader } from '../cli/harness';
// The module itself (not a namespace copy), so the wrappers below are what the CLI calls.
import fs = require('node:fs');

const hasDevFull = fs.existsSync('/dev/full');
const finding = 'import libvirt\nflags = libvirt.VIR_MIGRATE_POST_COPY\n';
const findingLine = (file: string): string =>
  `${file}:2:17: LVG005 libvirt.VIR_MIGRATE_POST_COPY is not defined by any libvirt version up to 12.3.0; did you mean VIR_MIGRATE_POSTCOPY?`;

/** Replaces fs[name] while `body` runs. */
async function patched<K extends 'openSync' | 'writeFileSync' | 'renameSync'>(
  name: K,
  replacement: (original: (typeof fs)[K]) => (typeof fs)[K],
  body: () => Promise<void>,
): Promise<void> {
  const original = fs[name];
  fs[name] = replacement(original);
  try {
    await body();
  } finally {
    fs[name] = original;
  }
}

/**
 * As root, a rename over /dev/full would replace the device with a regular file: whatever the
 * code under test does, these guards make that a test failure instead of a broken machine.
 */
async function devicesGuarded(body: () => Promise<void>): Promise<void> {
  const inDev = (p: unknown): boolean => typeof p === 'string' && p.startsWith('/dev/');
  await patched(
    'renameSync',
    (original) => (from, to) => {
      if (inDev(to)) throw new Error(`test guard: rename over ${String(to)}`);
      original(from, to);
    },
    () =>
      patched(
        'writeFileSync',
        (original) => (file, data, options) => {
          if (inDev(file) && /\/\.[^/]*\.tmp$/.test(String(file)))
            throw new Error(`test guard: temp file ${String(file)}`);
          original(file, data, options);
        },
        body,
      ),
  );
}

function spawnCli(
  args: string[],
  options: { cwd: string; stdout?: number | 'pipe' },
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, mainTs, ...args], {
      cwd: options.cwd,
      stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test(
  '--output /dev/full: one line, status 2, the device left as it was',
  { skip: !hasDevFull && 'no /dev/full' },
  async () => {
    const before = fs.statSync('/dev/full');
    await devicesGuarded(async () => {
      const r = await run(['check', '--output', '/dev/full']);
      assert.deepEqual(r, {
        status: 2,
        stdout: '',
        stderr: 'libvirt-gate: /dev/full: cannot write: no space left on device (ENOSPC)\n',
      });
    });
    const after = fs.statSync('/dev/full');
    assert.ok(after.isCharacterDevice());
    assert.deepEqual([after.ino, after.rdev], [before.ino, before.rdev]);
    assert.deepEqual(
      fs.readdirSync('/dev').filter((n) => n.startsWith('.full.')),
      [],
    );
  },
);

test(
  'stdout on /dev/full: one line, status 2 (not the findings status 1)',
  { skip: !hasDevFull && 'no /dev/full' },
  async () => {
    const fd = fs.openSync('/dev/full', 'w');
    try {
      const r = await spawnCli(['check'], { cwd: projectDir, stdout: fd });
      assert.deepEqual(r, {
        status: 2,
        stdout: '',
        stderr: 'libvirt-gate: stdout: cannot write: no space left on device (ENOSPC)\n',
      });
    } finally {
      fs.closeSync(fd);
    }
    // The same run with a working stdout has findings (status 1): 2 is the write failure.
    assert.equal((await spawnCli(['check'], { cwd: projectDir })).status, 1);
  },
);

/** The error a write gets when the disk is full. */
const diskFull = (): Error =>
  Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', errno: -28 });

test('a write failing half-way leaves the previous report and no temp file', async () => {
  const root = tempDir({ 'a.py': finding, 'out/report.txt': 'previous report\n' });
  await patched(
    'writeFileSync',
    (original) => (file, data, options) => {
      if (!String(file).endsWith('.tmp')) return original(file, data, options);
      // Half the report reaches the disk, then the disk is full.
      original(file, String(data).slice(0, 10), options);
      throw diskFull();
    },
    async () => {
      const r = await run(['check', '--output', 'out/report.txt'], { cwd: root });
      assert.deepEqual(r, {
        status: 2,
        stdout: '',
        stderr: 'libvirt-gate: out/report.txt: cannot write: no space left on device (ENOSPC)\n',
      });
    },
  );
  assert.deepEqual(fs.readdirSync(path.join(root, 'out')), ['report.txt']);
  assert.equal(fs.readFileSync(path.join(root, 'out', 'report.txt'), 'utf8'), 'previous report\n');
});

test('a JSON report (written in chunks) failing half-way leaves the previous report and no temp file', async () => {
  const root = tempDir({ 'a.py': finding, 'out/report.json': '{"previous": true}\n' });
  let chunks = 0;
  await patched(
    'writeFileSync',
    (original) => (file, data, options) => {
      if (typeof file !== 'number') return original(file, data, options);
      // Part of a chunk reaches the disk, then the disk is full.
      chunks++;
      original(file, String(data).slice(0, 10), options);
      throw diskFull();
    },
    async () => {
      const r = await run(['check', '--format', 'json', '--output', 'out/report.json'], { cwd: root });
      assert.deepEqual(r, {
        status: 2,
        stdout: '',
        stderr: 'libvirt-gate: out/report.json: cannot write: no space left on device (ENOSPC)\n',
      });
    },
  );
  assert.equal(chunks, 1);
  assert.deepEqual(fs.readdirSync(path.join(root, 'out')), ['report.json']);
  assert.equal(fs.readFileSync(path.join(root, 'out', 'report.json'), 'utf8'), '{"previous": true}\n');
});

test('--output into a path that cannot be a folder: one line naming it, status 2, nothing written', async () => {
  const root = tempDir({ 'a.py': finding, afile: 'x' });
  const r = await run(['check', '--output', 'afile/report.txt'], { cwd: root });
  assert.deepEqual(r, {
    status: 2,
    stdout: '',
    stderr: 'libvirt-gate: afile/report.txt: cannot write: not a directory (ENOTDIR)\n',
  });
  assert.deepEqual(fs.readdirSync(root).sort(), ['a.py', 'afile']);
  assert.equal(fs.readFileSync(path.join(root, 'afile'), 'utf8'), 'x');
});

test('--output to a FIFO writes into it (the FIFO stays); through a link, the link stays', async () => {
  const root = tempDir({ 'a.py': finding, 'real/keep.txt': '' });
  const expected = (await run(['check', '--format', 'json'], { cwd: root })).stdout;
  assert.ok(expected.includes('VIR_MIGRATE_POST_COPY'));
  const fifo = path.join(root, 'report.fifo');
  const made = spawnSync('mkfifo', [fifo]);
  if (made.status === 0) {
    // The reader is a process of its own: one blocked on a FIFO nobody opens can be killed.
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    reader.stdout.on('data', (d: Buffer) => {
      text += d.toString();
    });
    const readerDone = new Promise<void>((resolve) => reader.on('close', () => resolve()));
    const r = await spawnCli(['check', '--format', 'json', '--output', 'report.fifo'], { cwd: root });
    const killer = setTimeout(() => reader.kill(), 5000);
    await readerDone;
    clearTimeout(killer);
    assert.deepEqual(r, { status: 1, stdout: '', stderr: '' });
    assert.equal(text, expected);
    assert.ok(fs.lstatSync(fifo).isFIFO());
  }
  fs.symlinkSync(path.join('real', 'report.json'), path.join(root, 'link.json'));
  fs.writeFileSync(path.join(root, 'real', 'report.json'), 'old');
  fs.chmodSync(path.join(root, 'real', 'report.json'), 0o640);
  const r = await run(['check', '--format', 'json', '--output', 'link.json'], { cwd: root });
  assert.deepEqual(r, { status: 1, stdout: '', stderr: '' });
  assert.equal(fs.readlinkSync(path.join(root, 'link.json')), path.join('real', 'report.json'));
  assert.equal(fs.readFileSync(path.join(root, 'real', 'report.json'), 'utf8'), expected);
  assert.equal(fs.statSync(path.join(root, 'real', 'report.json')).mode & 0o777, 0o640);
  assert.deepEqual(fs.readdirSync(path.join(root, 'real')).sort(), ['keep.txt', 'report.json']);
});

test('a file removed between discovery and reading is reported as skipped; the run goes on', async () => {
  // Simulated: the first open of gone.py deletes it first, as if removed right after the folder walk.
  const root = tempDir({ 'a.py': finding, 'gone.py': finding, 'z.py': finding });
  const gone = path.join(root, 'gone.py');
  await patched(
    'openSync',
    (original) => (file, flags, mode) => {
      if (file === gone && fs.existsSync(gone)) fs.unlinkSync(gone);
      return original(file, flags, mode);
    },
    async () => {
      const r = await run(['check', '--select', 'LVG005'], { cwd: root });
      assert.deepEqual(r, {
        status: 1,
        stdout: [
          findingLine('a.py'),
          findingLine('z.py'),
          'gone.py: note: skipped: unreadable (ENOENT)',
          '2 files checked, 2 findings (LVG005: 2) in 0.00 s',
          '',
        ].join('\n'),
        stderr: '',
      });
    },
  );
});

test('a FIFO named on the command line is skipped, not waited on', () => {
  const root = tempDir({ 'a.py': finding });
  if (spawnSync('mkfifo', [path.join(root, 'pipe.py')]).status !== 0) return;
  // A subprocess with a time limit: a blocking open would hang this test's own event loop.
  const r = spawnSync(
    process.execPath,
    ['--import', tsxLoader, mainTs, 'check', '--select', 'LVG005', 'pipe.py', 'a.py'],
    { cwd: root, encoding: 'utf8', timeout: 20_000 },
  );
  assert.equal(r.error, undefined, 'the run ended by itself');
  assert.equal(r.stderr, '');
  assert.equal(r.status, 1);
  assert.equal(
    r.stdout.replace(/ in \d+\.\d\d s\n$/, ' in T s\n'),
    [
      findingLine('a.py'),
      'pipe.py: note: skipped: not a regular file',
      '1 file checked, 1 finding (LVG005: 1) in T s',
      '',
    ].join('\n'),
  );
});

test('a broken link: named, it is an error (status 2); inside a folder, it is not followed', async () => {
  const root = tempDir({ 'a.py': finding });
  fs.symlinkSync('nowhere.py', path.join(root, 'broken.py'));
  assert.deepEqual(await run(['check', 'broken.py'], { cwd: root }), {
    status: 2,
    stdout: '',
    stderr: 'libvirt-gate: broken.py: no such file or directory\n',
  });
  assert.deepEqual(await run(['check', '--select', 'LVG005'], { cwd: root }), {
    status: 1,
    stdout: `${findingLine('a.py')}\n1 file checked, 1 finding (LVG005: 1) in 0.00 s\n`,
    stderr: '',
  });
});
