// Shared by the CLI tests: run the CLI in-process with captured streams and a pinned clock,
// copy fixture trees to temp folders, and compare with golden files (UPDATE_GOLDEN=1 rewrites them).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from '../../server/src/cli/cli';
import type { CliIo } from '../../server/src/cli/io';

export const cliDir = __dirname;
export const projectDir = path.join(__dirname, 'project');
export const goldenDir = path.join(__dirname, 'golden');
export const mainTs = path.join(__dirname, '..', '..', 'server', 'src', 'cli', 'main.ts');
export const tsxLoader = pathToFileURL(require.resolve('tsx')).href;

export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function run(
  argv: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; tty?: boolean } = {},
): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    cwd: options.cwd ?? projectDir,
    env: options.env ?? {},
    stdout: {
      write: (s: string) => {
        stdout += s;
      },
      isTTY: options.tty ?? false,
    },
    stderr: {
      write: (s: string) => {
        stderr += s;
      },
      isTTY: false,
    },
    now: () => 0,
  };
  const status = await runCli(argv, io);
  return { status, stdout, stderr };
}

/** A writable copy of a fixture tree (realpath'd: macOS and some CI have symlinked tmp). */
export function copyTree(src: string): string {
  const dest = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-cli-')));
  fs.cpSync(src, dest, { recursive: true });
  return dest;
}

export function tempDir(files: Record<string, string | Buffer> = {}): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lvg-cli-')));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}

/** Compares with test/cli/golden/<name>; with UPDATE_GOLDEN=1 writes it instead. */
export function assertGolden(name: string, actual: string): void {
  const file = path.join(goldenDir, name);
  if (process.env['UPDATE_GOLDEN'] === '1') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `golden ${name} differs (UPDATE_GOLDEN=1 to accept)`);
}

/** Every file of a tree, relative, with its content. */
export function readTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) out[path.relative(root, full).split(path.sep).join('/')] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return out;
}
