// Benchmark (not a test): the same measurements for an earlier commit and for the working
// tree, in one run on the same generated files, with the ratio. The earlier commit is built
// from `git archive` (its own CLI and its own scripts/bench/measure.ts), so each side is
// measured with its own code.
//   node scripts/bench-compare.mjs [--before REF] [--files N] [--runs N]
// REF defaults to the last commit before the syntax-layer restructuring (issue 9).
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import { generateTree } from './bench/generate.mjs';

const require = createRequire(import.meta.url);
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const beforeRef = option('--before', '9919139');
const files = Number(option('--files', '1500'));
const runs = Number(option('--runs', '3'));
const out = path.join(root, '.bench', 'compare');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'error',
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

/** Bundles a source tree's CLI and measuring script into `dir` (wasm files beside them when it uses any). */
async function bundle(src, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const nodePaths = [path.join(root, 'node_modules')];
  await esbuild.build({
    ...common,
    nodePaths,
    entryPoints: [path.join(src, 'server/src/cli/main.ts')],
    outfile: path.join(dir, 'cli.js'),
  });
  await esbuild.build({
    ...common,
    nodePaths,
    entryPoints: [path.join(src, 'scripts/bench/measure.ts')],
    outfile: path.join(dir, 'measure.js'),
  });
  for (const file of ['web-tree-sitter/tree-sitter.wasm', 'tree-sitter-python/tree-sitter-python.wasm']) {
    try {
      fs.copyFileSync(require.resolve(file), path.join(dir, path.basename(file)));
    } catch {
      // A side that does not use tree-sitter at run time needs no wasm.
    }
  }
}

fs.rmSync(out, { recursive: true, force: true });
const beforeSrc = path.join(out, 'before-src');
fs.mkdirSync(beforeSrc, { recursive: true });
const sha = execFileSync('git', ['rev-parse', '--short', beforeRef], { cwd: root, encoding: 'utf8' }).trim();
execFileSync('sh', ['-c', `git archive ${sha} | tar -x -C "${beforeSrc}"`], { cwd: root });
await bundle(beforeSrc, path.join(out, 'before'));
await bundle(root, path.join(out, 'after'));

const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-compare-'));
const generated = generateTree(tree, { files });
const mb = generated.bytes / (1024 * 1024);
const hasTime = fs.existsSync('/usr/bin/time');

/** Whole tree with the side's CLI in a fresh process: best wall time of `runs`, its CPU %, peak RSS. */
function check(side) {
  let best = { seconds: Infinity, cpu: NaN, rssMb: NaN };
  for (let k = 0; k < runs; k++) {
    const cli = path.join(out, side, 'cli.js');
    const args = [
      cli,
      'check',
      tree,
      '--format',
      'json',
      '--output',
      path.join(out, `${side}.json`),
      '--fail-on',
      'never',
    ];
    const start = performance.now();
    const r = hasTime
      ? spawnSync('/usr/bin/time', ['-f', '%P %M', process.execPath, ...args], { encoding: 'utf8' })
      : spawnSync(process.execPath, args, { encoding: 'utf8' });
    const seconds = (performance.now() - start) / 1000;
    if (r.status !== 0) throw new Error(`${side} check failed (${r.status}): ${r.stderr}`);
    const m = /(\d+)%\s+(\d+)\s*$/.exec(r.stderr.trim());
    if (seconds < best.seconds)
      best = { seconds, cpu: m ? Number(m[1]) : NaN, rssMb: m ? Math.round(Number(m[2]) / 1024) : NaN };
  }
  return best;
}

function measure(side) {
  const r = spawnSync(process.execPath, [path.join(out, side, 'measure.js')], {
    input: JSON.stringify({ files: generated.files, big: generated.big[0] }),
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`${side} measure failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const before = { check: check('before'), single: measure('before') };
const after = { check: check('after'), single: measure('after') };
const sameFindings =
  JSON.stringify(
    JSON.parse(fs.readFileSync(path.join(out, 'before.json'), 'utf8')).findings.map((f) => [
      f.file,
      f.line,
      f.column,
      f.code,
      f.message,
    ]),
  ) ===
  JSON.stringify(
    JSON.parse(fs.readFileSync(path.join(out, 'after.json'), 'utf8')).findings.map((f) => [
      f.file,
      f.line,
      f.column,
      f.code,
      f.message,
    ]),
  );

const pad = (s, n) => String(s).padStart(n);
const row = (name, b, a, unit, digits = 2) =>
  console.log(
    `${name.padEnd(46)} ${pad(b.toFixed(digits), 9)} ${unit.padEnd(3)} ${pad(a.toFixed(digits), 9)} ${unit.padEnd(3)} ${pad(`${(b / a).toFixed(2)}×`, 7)}`,
  );
console.log(
  `\nbefore ${sha} vs after (working tree): ${generated.files.length} files, ${mb.toFixed(1)} MB, ${os.cpus().length} CPUs, node ${process.version}`,
);
console.log(`${''.padEnd(46)} ${pad('before', 13)} ${pad('after', 13)} ${pad('ratio', 7)}`);
row('check, whole tree (best of runs, wall)', before.check.seconds, after.check.seconds, 's');
row(`${after.single.bigLines}-line file, cold analysis (median)`, before.single.coldMs, after.single.coldMs, 'ms', 0);
row('same file, re-analysis after a one-line edit', before.single.editMs, after.single.editMs, 'ms', 0);
row('parse only, all files (the parser floor)', before.single.parseSeconds, after.single.parseSeconds, 's');
console.log(
  `CPU use of the whole-tree check: before ${before.check.cpu}% after ${after.check.cpu}% (200% = both cores)`,
);
console.log(`peak RSS of the whole-tree check: before ${before.check.rssMb} MB, after ${after.check.rssMb} MB`);
console.log(`findings identical: ${sameFindings ? 'yes' : 'NO'}`);
fs.rmSync(tree, { recursive: true, force: true });
